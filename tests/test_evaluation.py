"""The evaluator on a small hand-made scheme, with every result worked out by hand.

The scheme has three levels, every rule kind, a leaf that earns full points
when not applicable and one that is dropped, leaf rounding (2 decimals) and
normalisation to 100 (1 decimal).  Its maximum is 20, so a unit with nothing
dropped scores raw × 5.

Hand computation (appraised values; "→" is the rule's result):

======  =====================================================  ======  =====================
unit    leaves 1.1, 1.2.1, 1.2.2, 1.3 | 2.1, 2.2, 2.3            raw     normalised
======  =====================================================  ======  =====================
an      2.75, 2−0.5=1.5, đạt 2, 2×0.75=1.5 |                     14.88   14.88 × 5 = 74.4
        0.8333×3=2.4999→2.50, 0.9→tier 0.85: 2, 87.5%×3=2.625→2.63
        field 1 = 7.75, field 2 = 7.13
binh    3, 2−2.5→floor 0.5, n/a full 2, 5×0.75=3.75→cap 3 |     11.24   of 16 (2.2 dropped):
        0.4 below 0.5: 0, n/a dropped, 91.34%×3=2.7402→2.74     11.24×100/16 = 70.25 → 70.3
        field 1 = 8.5, field 2 = 2.74 (of 6)
chau    3, 2, không đạt 0, 0.75 | 3, 4, 71%×3=2.13               14.88   74.4 (ties with an)
        field 1 = 5.75, field 2 = 9.13
dung    0, 2−1=1, false 0, 0 | 0.5×3=1.5, 0.85: 2, 50%: 1.5      6       30
        field 1 = 1, field 2 = 5
giang   3, 2, true 2, 1.5 | 0.9×3=2.7, 0.85: 2, 40%: 1.2         14.4    72
        field 1 = 8.5 (ties with binh), field 2 = 5.9
======  =====================================================  ======  =====================

Average total (74.4 + 74.4 + 72 + 70.3 + 30) / 5 = 64.22; field averages
31.5 / 5 = 6.3 and 29.9 / 5 = 5.98.
"""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

import parscore
from parscore import (
    NOT_APPLICABLE,
    Assessment,
    AssessmentError,
    Assessments,
    evaluate,
    loads_assessments,
    loads_scheme,
)

D = Decimal

SCHEME = """\
format = 1
id = "vn.test-evaluation.commune.2024"
title = "Bộ chỉ số kiểm thử"
issuer = "Test issuer"
level = "commune"
year = 2024
revision = 3

[ranking]
method = "competition"

[rounding]
leaf = 2
normalised = 1

[normalisation]
scale = 100

[[bands]]
name = "A"
from = 90

[[bands]]
name = "B"
from = 70
to = 90

[[bands]]
name = "C"
from = 50
to = 70

[[bands]]
name = "D"
from = 0
to = 50

[[fields]]
code = "1"
title = "Chỉ đạo, điều hành"
max = 10

[[fields.criteria]]
code = "1.1"
title = "Kế hoạch CCHC"
max = 3
rule = { kind = "entered", step = 0.25 }

[[fields.criteria]]
code = "1.2"
title = "Báo cáo"
max = 4

[[fields.criteria.subcriteria]]
code = "1.2.1"
title = "Báo cáo đúng hạn"
max = 2
rule = { kind = "deduction", per = 0.5, floor = 0.5 }

[[fields.criteria.subcriteria]]
code = "1.2.2"
title = "Kiểm tra CCHC"
max = 2
rule = { kind = "pass_fail" }
not_applicable = "full"

[[fields.criteria]]
code = "1.3"
title = "Sáng kiến"
max = 3
rule = { kind = "bonus", per_item = 0.75 }

[[fields]]
code = "2"
title = "Dịch vụ công"
max = 10

[[fields.criteria]]
code = "2.1"
title = "Tỷ lệ hồ sơ đúng hạn"
max = 3
rule = { kind = "ratio", threshold = 0.5 }

[[fields.criteria]]
code = "2.2"
title = "Giải ngân vốn đầu tư công"
max = 4
not_applicable = "drop"

[fields.criteria.rule]
kind = "tiers"
tiers = [
    { at_least = 0, points = 0 },
    { at_least = 0.85, points = 2 },
    { at_least = 1, points = 4 },
]

[[fields.criteria]]
code = "2.3"
title = "Chỉ số hài lòng"
max = 3
rule = { kind = "survey" }
"""

ASSESSMENTS = """\
scheme = "vn.test-evaluation.commune.2024"

[[units]]
id = "an"
name = "UBND xã An"

[units.appraised]
"1.1" = "2,75"
"1.2.1" = 1
"1.2.2" = "đạt"
"1.3" = 2
"2.1" = "0,8333"
"2.2" = "0,9"
"2.3" = "87,5"

[[units]]
id = "binh"
name = "UBND xã Bình"

[units.appraised]
"1.1" = 3
"1.2.1" = 5
"1.2.2" = "n/a"
"1.3" = 5
"2.1" = "0.4"
"2.2" = "không phát sinh"
"2.3" = "91,34"

[[units]]
id = "chau"
name = "UBND xã Châu"
appraised = { "1.1" = 3, "1.2.1" = 0, "1.2.2" = "không đạt", "1.3" = 1, "2.1" = 1, "2.2" = 1, "2.3" = 71 }

[[units]]
id = "dung"
name = "UBND xã Dũng"
appraised = { "1.1" = 0, "1.2.1" = 2, "1.2.2" = false, "1.3" = 0, "2.1" = "0.5", "2.2" = "0.85", "2.3" = 50 }

[[units]]
id = "giang"
name = "UBND xã Giang"
appraised = { "1.1" = 3, "1.2.1" = 0, "1.2.2" = true, "1.3" = 2, "2.1" = "0.9", "2.2" = "0.85", "2.3" = 40 }
"""


@pytest.fixture(scope="module")
def scheme() -> parscore.Scheme:
    return loads_scheme(SCHEME, file="evaluation/scheme.toml")


@pytest.fixture(scope="module")
def assessments() -> Assessments:
    return loads_assessments(ASSESSMENTS, file="evaluation/assessments.toml")


@pytest.fixture(scope="module")
def result(scheme: parscore.Scheme, assessments: Assessments) -> parscore.Result:
    return evaluate(scheme, assessments)


def test_totals_bands_and_ranks(result: parscore.Result) -> None:
    rows = [
        (u.rank, u.unit_id, u.name, u.raw_total, u.max_total, u.normalised_total, u.band.name)
        for u in result.units
    ]
    assert rows == [
        (1, "an", "UBND xã An", D("14.88"), D(20), D("74.4"), "B"),
        (1, "chau", "UBND xã Châu", D("14.88"), D(20), D("74.4"), "B"),
        (3, "giang", "UBND xã Giang", D("14.4"), D(20), D(72), "B"),
        (4, "binh", "UBND xã Bình", D("11.24"), D(16), D("70.3"), "B"),
        (5, "dung", "UBND xã Dũng", D(6), D(20), D(30), "D"),
    ]
    # The score bands and ranks use is the normalised total.
    assert [u.score for u in result.units] == [u.normalised_total for u in result.units]


def test_normalised_totals_are_rounded_to_the_declared_decimals(result: parscore.Result) -> None:
    # 70.25 rounds half-up to 70.3 (banker's rounding would give 70.2).
    assert str(result.unit("binh").normalised_total) == "70.3"
    assert str(result.unit("an").normalised_total) == "74.4"


def test_field_ranks_share_ties(result: parscore.Result) -> None:
    ranks = {u.unit_id: dict(u.field_ranks) for u in result.units}
    assert ranks == {
        "binh": {"1": 1, "2": 5},
        "giang": {"1": 1, "2": 3},
        "an": {"1": 3, "2": 2},
        "chau": {"1": 4, "2": 1},
        "dung": {"1": 5, "2": 4},
    }
    assert result.unit("chau").field_rank("2") == 1


def test_dense_ranking(assessments: Assessments) -> None:
    dense = loads_scheme(SCHEME.replace('method = "competition"', 'method = "dense"'))
    result = evaluate(dense, assessments)
    assert [(u.unit_id, u.rank) for u in result.units] == [
        ("an", 1), ("chau", 1), ("giang", 2), ("binh", 3), ("dung", 4),
    ]
    assert {u.unit_id: dict(u.field_ranks)["1"] for u in result.units} == {
        "binh": 1, "giang": 1, "an": 2, "chau": 3, "dung": 4,
    }


def test_node_points(result: parscore.Result) -> None:
    def points(unit_id: str) -> dict[str, Decimal]:
        return {n.code: n.points for n in result.unit(unit_id).nodes()}

    assert points("an") == {
        "1": D("7.75"), "1.1": D("2.75"), "1.2": D("3.5"), "1.2.1": D("1.5"), "1.2.2": D(2),
        "1.3": D("1.5"), "2": D("7.13"), "2.1": D("2.5"), "2.2": D(2), "2.3": D("2.63"),
    }
    assert points("binh") == {
        "1": D("8.5"), "1.1": D(3), "1.2": D("2.5"), "1.2.1": D("0.5"), "1.2.2": D(2),
        "1.3": D(3), "2": D("2.74"), "2.1": D(0), "2.2": D(0), "2.3": D("2.74"),
    }
    assert points("chau") == {
        "1": D("5.75"), "1.1": D(3), "1.2": D(2), "1.2.1": D(2), "1.2.2": D(0),
        "1.3": D("0.75"), "2": D("9.13"), "2.1": D(3), "2.2": D(4), "2.3": D("2.13"),
    }
    assert points("dung") == {
        "1": D(1), "1.1": D(0), "1.2": D(1), "1.2.1": D(1), "1.2.2": D(0),
        "1.3": D(0), "2": D(5), "2.1": D("1.5"), "2.2": D(2), "2.3": D("1.5"),
    }
    assert points("giang") == {
        "1": D("8.5"), "1.1": D(3), "1.2": D(4), "1.2.1": D(2), "1.2.2": D(2),
        "1.3": D("1.5"), "2": D("5.9"), "2.1": D("2.7"), "2.2": D(2), "2.3": D("1.2"),
    }


def test_node_results_of_a_unit_with_a_dropped_leaf(result: parscore.Result) -> None:
    binh = result.unit("binh")
    dropped = binh.node("2.2")
    assert (dropped.points, dropped.max, dropped.applicable, dropped.percentage) == (D(0), D(0), False, None)
    assert dropped.gap == D(0)
    field = binh.node("2")
    assert (field.level, field.points, field.max, field.applicable) == ("field", D("2.74"), D(6), True)
    assert field.gap == D("3.26")
    full = binh.node("1.2.2")
    assert (full.level, full.points, full.max, full.applicable) == ("sub-criterion", D(2), D(2), True)
    assert binh.node("1.2").level == "criterion"
    assert [f.code for f in binh.fields()] == ["1", "2"]
    assert [(f.points, f.max) for f in binh.fields()] == [(D("8.5"), D(10)), (D("2.74"), D(6))]


def test_percentages(result: parscore.Result) -> None:
    an = result.unit("an")
    assert an.node("1.2").percentage == D("87.5")
    assert an.node("2").percentage == D("71.3")
    # Unrounded: 2.75 of 3 is 91.66…%.
    assert str(an.node("1.1").percentage).startswith("91.666666666")


def test_leaf_explanations(result: parscore.Result) -> None:
    def explanations(unit_id: str) -> dict[str, str]:
        return {n.code: n.explanation for n in result.unit(unit_id).nodes() if "." in n.code}

    an = explanations("an")
    assert an["1.1"] == "entered 2.75 of 3"
    assert an["1.2.1"] == "deduction 1 × 0.5 from 2 → 1.5"
    assert an["1.2.2"] == "passed → 2"
    assert an["1.3"] == "bonus 2 × 0.75 → 1.50"
    # Leaf rounding is written into the explanation of the value it changed.
    assert an["2.1"] == "ratio 0.8333 × 3 → 2.4999; rounded half-up to 2 decimals: 2.4999 → 2.50"
    assert an["2.2"] == "value 0.9 reaches tier ≥ 0.85 → 2"
    assert an["2.3"] == "survey index 87.5 % of 3 → 2.625; rounded half-up to 2 decimals: 2.625 → 2.63"
    binh = explanations("binh")
    assert binh["1.2.1"] == "deduction 5 × 0.5 from 2 stops at the floor → 0.5"
    assert binh["1.2.2"] == "not applicable: full points → 2"
    assert binh["1.3"] == "bonus 5 × 0.75 = 3.75, capped at 3 → 3"
    assert binh["2.1"] == "ratio 0.4 below threshold 0.5 → 0"
    assert binh["2.2"] == "not applicable: dropped, the maximum 4 leaves the denominator"
    assert binh["2.3"] == "survey index 91.34 % of 3 → 2.7402; rounded half-up to 2 decimals: 2.7402 → 2.74"
    chau = explanations("chau")
    assert chau["1.2.2"] == "not passed → 0"
    # 71 % of 3 is exactly 2.13: nothing was rounded, nothing is said about rounding.
    assert chau["2.3"] == "survey index 71 % of 3 → 2.13"
    assert chau["2.2"] == "value 1 reaches tier ≥ 1 → 4"


def test_parent_explanations_list_the_children(result: parscore.Result) -> None:
    an = result.unit("an")
    assert an.node("1.2").explanation.endswith(": 1.5 + 2 → 3.5")
    assert an.node("2").explanation.endswith(": 2.50 + 2 + 2.63 → 7.13")
    assert an.node("1").explanation.startswith("sum of 3 ")
    assert an.node("1.2").explanation.startswith("sum of 2 ")


def test_parent_explanations_use_the_right_plural(result: parscore.Result) -> None:
    an = result.unit("an")
    assert an.node("1").explanation == "sum of 3 criteria: 2.75 + 3.5 + 1.50 → 7.75"
    assert an.node("1.2").explanation == "sum of 2 sub-criteria: 1.5 + 2 → 3.5"
    with pytest.raises(AssessmentError, match="give points for its sub-criteria instead"):
        evaluate(result.scheme, [Assessment.of("x", "X", appraised={"1.2": 1})])


def test_total_explanations(result: parscore.Result) -> None:
    assert result.unit("an").total_explanation() == (
        "total 14.88 of 20 on a scale of 100: 14.88 × 100 ÷ 20 = 74.4"
    )
    assert result.unit("binh").total_explanation() == (
        "total 11.24 of 16 on a scale of 100: 11.24 × 100 ÷ 16 = 70.25,"
        " rounded half-up to 1 decimal → 70.3"
    )


def test_averages(result: parscore.Result) -> None:
    assert result.average_total() == D("64.22")
    assert result.field_averages() == (("1", D("6.3")), ("2", D("5.98")))


def test_lookups_name_what_is_missing(result: parscore.Result) -> None:
    with pytest.raises(KeyError, match="no unit 'nobody' in this result"):
        result.unit("nobody")
    with pytest.raises(KeyError, match=r"scheme 'vn\.test-evaluation\.commune\.2024' has no criterion '9'"):
        result.unit("an").node("9")


# --- provenance and order independence ----------------------------------------


def test_provenance(result: parscore.Result, scheme: parscore.Scheme) -> None:
    p = result.provenance
    assert (p.scheme_id, p.scheme_revision, p.basis) == ("vn.test-evaluation.commune.2024", 3, "appraised")
    assert p.parscore_version == parscore.__version__
    assert p.scheme_hash.startswith("sha256:") and len(p.scheme_hash) == 71
    assert p.input_hash.startswith("sha256:") and len(p.input_hash) == 71
    assert p.scheme_hash != p.input_hash


def test_scheme_hash_does_not_depend_on_the_toml_layout(
    result: parscore.Result, assessments: Assessments
) -> None:
    # The same scheme written differently: comments stripped, keys reordered,
    # inline tables for the rules written as sub-tables, 3 written 3.0.
    lines = [line for line in SCHEME.splitlines() if not line.startswith("#")]
    text = "\n".join(lines).replace("max = 3\n", "max = 3.00\n").replace(
        'rule = { kind = "survey" }', '\n[fields.criteria.rule]\nkind = "survey"'
    )
    text = text.replace('title = "Bộ chỉ số kiểm thử"\n', "").replace(
        "revision = 3", 'revision = 3\ntitle = "Bộ chỉ số kiểm thử"'
    )
    assert text != SCHEME
    relaid = loads_scheme(text)
    again = evaluate(relaid, assessments)
    assert again.provenance.scheme_hash == result.provenance.scheme_hash
    assert again.provenance == result.provenance


def test_scheme_hash_changes_with_the_scheme(result: parscore.Result, assessments: Assessments) -> None:
    changed = loads_scheme(SCHEME.replace("per_item = 0.75", "per_item = 0.5"))
    assert evaluate(changed, assessments).provenance.scheme_hash != result.provenance.scheme_hash


def shuffled(assessments: Assessments, seed: int) -> list[Assessment]:
    rng = random.Random(seed)
    items = []
    for item in assessments.items:
        observations = list(item.observations)
        rng.shuffle(observations)
        items.append(Assessment(item.unit, tuple(observations)))
    rng.shuffle(items)
    return items


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_same_result_in_any_order(
    scheme: parscore.Scheme, assessments: Assessments, result: parscore.Result, seed: int
) -> None:
    items = shuffled(assessments, seed)
    again = evaluate(scheme, Assessments(assessments.scheme_id, tuple(items)))
    assert again == result
    # A plain list in any order gives the same result as the list in order.
    assert evaluate(scheme, items) == evaluate(scheme, list(assessments.items))
    assert again.provenance.input_hash == result.provenance.input_hash
    assert [n.explanation for u in again.units for n in u.nodes()] == [
        n.explanation for u in result.units for n in u.nodes()
    ]


def test_the_order_of_units_in_the_file_does_not_matter(
    scheme: parscore.Scheme, result: parscore.Result
) -> None:
    header, *blocks = ASSESSMENTS.split("[[units]]")
    reversed_text = header + "".join(f"[[units]]{b.rstrip()}\n\n" for b in reversed(blocks))
    assert reversed_text != ASSESSMENTS
    assert evaluate(scheme, loads_assessments(reversed_text)) == result


def test_input_hash_changes_with_the_input(
    scheme: parscore.Scheme, assessments: Assessments, result: parscore.Result
) -> None:
    text = ASSESSMENTS.replace('"1.1" = "2,75"', '"1.1" = "2,5"')
    again = evaluate(scheme, loads_assessments(text))
    assert again.provenance.input_hash != result.provenance.input_hash
    assert again.unit("an").raw_total == D("14.63")


def test_a_plain_list_of_assessments(scheme: parscore.Scheme, assessments: Assessments) -> None:
    listed = evaluate(scheme, list(assessments.items))
    assert [(u.unit_id, u.score) for u in listed.units] == [
        (u.unit_id, u.score) for u in evaluate(scheme, assessments).units
    ]


def test_self_assessed_basis(scheme: parscore.Scheme) -> None:
    values = {"1.1": 3, "1.2.1": 0, "1.2.2": True, "1.3": 4, "2.1": 1, "2.2": 1, "2.3": 100}
    item = Assessment.of("an", "UBND xã An", appraised={**values, "1.1": "2,5"}, self_assessed=values)
    own = evaluate(scheme, [item], basis="self_assessed")
    assert own.provenance.basis == "self_assessed"
    assert own.units[0].raw_total == D(20)
    assert own.units[0].normalised_total == D(100)
    assert own.units[0].band.name == "A"
    official = evaluate(scheme, [item])
    assert official.units[0].raw_total == D("19.5")
    with pytest.raises(AssessmentError) as info:
        evaluate(scheme, [Assessment.of("x", "X", appraised=values)], basis="self_assessed")
    assert len(info.value.problems) == 7
    assert {p.message for p in info.value.problems} == {"unit 'x': no self-assessed value"}


def test_basis_must_be_known(scheme: parscore.Scheme, assessments: Assessments) -> None:
    with pytest.raises(ValueError, match=r"^basis must be 'appraised' or 'self_assessed', got 'both'$"):
        evaluate(scheme, assessments, basis="both")  # type: ignore[arg-type]


def test_no_units(scheme: parscore.Scheme) -> None:
    empty = evaluate(scheme, [])
    assert empty.units == ()
    with pytest.raises(ValueError, match="no units to average"):
        empty.average_total()


def test_a_unit_with_everything_dropped() -> None:
    tiny = loads_scheme(
        "\n".join(
            [
                'format = 1', 'id = "vn.test-tiny.commune.2024"', 'title = "T"', 'issuer = "I"',
                'level = "commune"', "year = 2024", "[rounding]", "normalised = 1",
                "[normalisation]", "scale = 100", "[[bands]]", 'name = "A"', "from = 0",
                "[[fields]]", 'code = "1"', 'title = "F"', "max = 2", 'not_applicable = "drop"',
            ]
        )
    )
    with pytest.raises(AssessmentError) as info:
        evaluate(tiny, [Assessment.of("x", "X", appraised={"1": NOT_APPLICABLE})])
    assert str(info.value) == (
        "assessments: 1 problem\n  - unit 'x': every leaf was dropped as not applicable; nothing to score"
    )
    ok = evaluate(tiny, [Assessment.of("x", "X", appraised={"1": "1,5"})])
    assert ok.units[0].normalised_total == D(75)


# --- problems -------------------------------------------------------------------


def test_every_assessment_problem_is_reported_at_once(scheme: parscore.Scheme) -> None:
    full = {"1.1": 3, "1.2.1": 0, "1.2.2": True, "1.3": 1, "2.1": 1, "2.2": 1, "2.3": 50}
    bad = Assessments(
        "vn.test-other.commune.2024",
        (
            # Unknown criterion, a value for a non-leaf, points above the maximum.
            Assessment.of("an", "UBND xã An", appraised={**full, "9.9": 1, "1.2": 2, "1.1": "3,5"}),
            # Negative points, a missing value, a ratio above 1.
            Assessment.of("binh", "UBND xã Bình", appraised={**{k: v for k, v in full.items() if k != "2.3"},
                                                             "1.1": "-1", "2.1": "1,5"}),
            # n/a where the scheme has no policy, off-step points, a fractional count, a bad word.
            Assessment.of("chau", "UBND xã Châu", appraised={**full, "1.3": "n/a", "1.1": "1.3",
                                                             "1.2.1": "0,5", "1.2.2": "có lẽ"}),
            # A unit without problems is not mentioned.
            Assessment.of("dung", "UBND xã Dũng", appraised=full),
        ),
    )
    with pytest.raises(AssessmentError) as info:
        evaluate(scheme, bad)
    lines = str(info.value).splitlines()
    # The wording of the plural is checked in test_parent_explanations_use_the_right_plural.
    not_a_leaf = lines.pop(2)
    assert not_a_leaf.startswith(
        "  - field 1 › criterion 1.2: unit 'an': '1.2' is not a leaf; give points for its sub-criteri"
    )
    assert lines == (
        [
            "assessments: 11 problems",
            "  - scheme: the assessments are for scheme 'vn.test-other.commune.2024',"
            " not 'vn.test-evaluation.commune.2024'",
            "  - unit 'an': unknown criterion '9.9', not in scheme 'vn.test-evaluation.commune.2024'",
            "  - field 1 › criterion 1.1: unit 'an': points must be between 0 and the maximum 3, got 3.5",
            "  - field 1 › criterion 1.1: unit 'binh': points must be between 0 and the maximum 3, got -1",
            "  - field 2 › criterion 2.1: unit 'binh': ratio must be between 0 and 1, got 1.5",
            "  - field 2 › criterion 2.3: unit 'binh': no appraised value",
            "  - field 1 › criterion 1.1: unit 'chau': points must be a multiple of 0.25, got 1.3",
            "  - field 1 › criterion 1.2 › sub-criterion 1.2.1: unit 'chau': expected a whole number"
            " of occurrences (0 or more), got 0.5",
            "  - field 1 › criterion 1.2 › sub-criterion 1.2.2: unit 'chau': expected true or false"
            " (đạt / không đạt), got 'có lẽ'",
            "  - field 1 › criterion 1.3: unit 'chau': marked not applicable, but the scheme gives"
            " this leaf no not_applicable policy",
        ]
    )
    assert all(isinstance(p, parscore.Problem) for p in info.value.problems)
