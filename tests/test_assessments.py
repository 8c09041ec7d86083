"""Assessments: reading them from TOML, writing them back, building them in Python."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

from parscore import (
    NOT_APPLICABLE,
    Assessment,
    AssessmentError,
    Assessments,
    Observation,
    Unit,
    dumps_assessments,
    load_assessments,
    loads_assessments,
)

D = Decimal
NAM_NUNG = "UBND xã Nâm Nung"

TEXT = """\
scheme = "vn.test-assessments.commune.2024"

[[units]]
id = "nam-nung"
name = "UBND xã Nâm Nung"
appraised = { "1" = "17,5", "2" = 10, "3" = 4.25, "4" = "đạt", "5" = true, "6" = "n/a" }
self_assessed = { "1" = "17.5", "2" = "9,75" }
evidence = { "1" = "Kế hoạch CCHC số 12/KH-UBND" }

[[units]]
id = "dak-mam"
name = "UBND thị trấn Đắk Mâm"

[units.appraised]
"1" = " 15 "
"2.1" = "không phát sinh"
"""


def test_loads_assessments() -> None:
    assessments = loads_assessments(TEXT, file="a.toml")
    assert assessments.scheme_id == "vn.test-assessments.commune.2024"
    assert len(assessments) == 2
    # Kept in unit-id order, whatever the file's order.
    assert [a.unit.id for a in assessments] == ["dak-mam", "nam-nung"]
    dak_mam, nam_nung = assessments.items
    assert dak_mam.unit == Unit("dak-mam", "UBND thị trấn Đắk Mâm")
    assert dak_mam.observations == (
        Observation("1", D(15)),
        Observation("2.1", NOT_APPLICABLE),
    )
    assert nam_nung.unit.name == NAM_NUNG
    assert nam_nung.observations == (
        Observation("1", D("17.5"), D("17.5"), "Kế hoạch CCHC số 12/KH-UBND"),
        Observation("2", D(10), D("9.75")),
        Observation("3", D("4.25")),
        Observation("4", "đạt"),
        Observation("5", True),
        Observation("6", NOT_APPLICABLE),
    )
    # Numbers are exact decimals, never floats, whatever way they were written.
    assert type(nam_nung.observations[2].appraised) is Decimal
    assert str(nam_nung.observations[2].appraised) == "4.25"


def test_load_assessments_from_a_path(tmp_path: Path) -> None:
    path = tmp_path / "data.toml"
    path.write_text(TEXT, encoding="utf-8")
    assert load_assessments(path) == loads_assessments(TEXT)
    with pytest.raises(AssessmentError, match="cannot read the assessments: "):
        load_assessments(tmp_path / "missing.toml")


@pytest.mark.parametrize(
    "marker", ["n/a", "N/A", " na ", "không phát sinh", "Không phát sinh", "KPS", "kps"]
)
def test_not_applicable_markers(marker: str) -> None:
    text = f'[[units]]\nid = "x"\nname = "X"\nappraised = {{ "1" = "{marker}" }}\n'
    assert loads_assessments(text).items[0].observations[0].appraised is NOT_APPLICABLE
    assert Observation("1", marker).appraised is NOT_APPLICABLE


def test_not_applicable_marker_in_nfd_from_toml() -> None:
    marker = unicodedata.normalize("NFD", "Không phát sinh")
    text = f'[[units]]\nid = "x"\nname = "X"\nappraised = {{ "1" = "{marker}" }}\n'
    assert loads_assessments(text).items[0].observations[0].appraised is NOT_APPLICABLE


def test_not_applicable_marker_in_nfd_from_python() -> None:
    marker = unicodedata.normalize("NFD", "Không phát sinh")
    assert Observation("1", marker).appraised is NOT_APPLICABLE


def test_unit_names_and_words_are_normalised_to_nfc() -> None:
    nfd_name = unicodedata.normalize("NFD", NAM_NUNG)
    nfd_word = unicodedata.normalize("NFD", "đạt")
    assert nfd_name != NAM_NUNG
    text = f'[[units]]\nid = "nam-nung"\nname = "{nfd_name}"\nappraised = {{ "1" = "{nfd_word}" }}\n'
    item = loads_assessments(text).items[0]
    assert item.unit.name == NAM_NUNG
    assert item.observations[0].appraised == "đạt"
    assert Unit("nam-nung", nfd_name) == Unit("nam-nung", NAM_NUNG)
    assert Assessment.of("x", nfd_name, appraised={"1": nfd_word}).observations[0].appraised == "đạt"


def test_unit_ids_in_nfc_and_nfd_are_the_same_unit() -> None:
    nfc_id, nfd_id = "đắk-mâm", unicodedata.normalize("NFD", "đắk-mâm")
    text = (
        f'[[units]]\nid = "{nfc_id}"\nname = "A"\n\n'
        f'[[units]]\nid = "{nfd_id}"\nname = "B"\n'
    )
    with pytest.raises(AssessmentError) as info:
        loads_assessments(text, file="a.toml")
    assert str(info.value) == (
        "a.toml: 1 problem\n  - line 6 (units[1].id): duplicate unit id 'đắk-mâm', also units[0]"
    )


def test_every_problem_is_reported_at_once() -> None:
    text = """\
scheme = "vn.test-assessments.commune.2024"
colour = "red"

[[units]]
id = "a"
name = "UBND xã A"
extra = 1
appraised = { "1.1" = [1], "2" = { x = 1 } }
evidence = { "1.1" = 3 }

[[units]]
id = "a"
name = "UBND xã A bis"

[[units]]
name = ""

[[units]]
id = "b"
name = "UBND xã B"
appraised = 5
"""
    with pytest.raises(AssessmentError) as info:
        loads_assessments(text, file="a.toml")
    assert sorted((p.line, p.key, p.message) for p in info.value.problems) == [
        (2, "colour", "unknown key 'colour'"),
        (7, "units[0].extra", "unknown key 'extra'"),
        (8, 'units[0].appraised."1.1"', "expected a number, got list [1]"),
        (8, "units[0].appraised.2", "expected a number, got dict {'x': 1}"),
        (9, 'units[0].evidence."1.1"', "evidence must be text, got 3"),
        (12, "units[1].id", "duplicate unit id 'a', also units[0]"),
        (15, "units[2].id", "a unit needs a non-empty text 'id'"),
        (16, "units[2].name", "a unit needs a non-empty text 'name'"),
        (21, "units[3].appraised", "expected a table, got a whole number 5"),
    ]
    assert str(info.value).startswith("a.toml: 9 problems\n  - line 2 (colour): unknown key 'colour'\n")


def test_problems_in_a_sub_table_point_at_their_own_line() -> None:
    text = '[[units]]\nid = "x"\nname = "X"\n\n[units.appraised]\n"1.1" = 1\n"1.2" = [2]\nplain = [3]\n'
    with pytest.raises(AssessmentError) as info:
        loads_assessments(text, file="a.toml")
    assert [(p.line, p.key) for p in info.value.problems] == [
        (7, 'units[0].appraised."1.2"'),
        (8, "units[0].appraised.plain"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("scheme = 3\n", "a.toml: 1 problem\n  - line 1 (scheme): scheme must be a scheme id (text), got 3"),
        (
            "units = 3\n",
            "a.toml: 1 problem\n  - line 1 (units): expected an array of tables, got a whole number 3",
        ),
        ("[[units]\n", "a.toml: 1 problem\n  - line 1, column 8: not valid TOML: Expected ']]' at the end of"
                       " an array declaration"),
        (
            '[[units]]\nid = "x"\nname = "X"\nappraised = { "1.1" = nan }\n',
            "a.toml: 1 problem\n  - line 4 (units[0].appraised.\"1.1\"): expected a finite number, got NaN",
        ),
    ],
)
def test_bad_documents(text: str, message: str) -> None:
    with pytest.raises(AssessmentError) as info:
        loads_assessments(text, file="a.toml")
    assert str(info.value) == message


def test_text_that_is_not_a_number_is_kept_for_the_rule() -> None:
    # "4,5 điểm" is not a number; the rule decides at evaluation time.
    item = Assessment.of("x", "X", appraised={"1": "4,5 điểm", "2": "Đạt"})
    assert [o.appraised for o in item.observations] == ["4,5 điểm", "Đạt"]


# --- writing ------------------------------------------------------------------


def test_dumps_assessments() -> None:
    assessments = Assessments(
        "vn.test-assessments.commune.2024",
        (Assessment.of("b", "UBND xã Bê", appraised={"1": "4,5", "2": True, "3": "n/a"},
                       self_assessed={"1": 5}, evidence={"2": 'Văn bản "số 1"'}),),
    )
    assert dumps_assessments(assessments) == "\n".join(
        [
            'scheme = "vn.test-assessments.commune.2024"',
            "",
            "[[units]]",
            'id = "b"',
            'name = "UBND xã Bê"',
            "",
            "[units.appraised]",
            '"1" = "4.5"',
            '"2" = true',
            '"3" = "n/a"',
            "",
            "[units.self_assessed]",
            '"1" = "5"',
            "",
            "[units.evidence]",
            '"2" = "Văn bản \\"số 1\\""',
            "",
        ]
    )


def test_dumps_then_loads_is_equal() -> None:
    original = loads_assessments(TEXT)
    text = dumps_assessments(original)
    assert loads_assessments(text) == original
    assert dumps_assessments(loads_assessments(text)) == text


def test_dumps_then_loads_python_built_assessments() -> None:
    original = Assessments(
        None,
        (
            Assessment.of("z", "UBND xã Zê", appraised={"1.1": D("0.10"), "1.2": False, "x y": "đạt"}),
            Assessment.of(
                "a", "Đơn vị A", self_assessed={"1": NOT_APPLICABLE}, evidence={"1": "Báo cáo\nhai dòng"}
            ),
        ),
    )
    again = loads_assessments(dumps_assessments(original))
    assert again == original
    assert str(again.items[1].observations[0].appraised) == "0.10"


# --- Python API ---------------------------------------------------------------


def test_assessment_of() -> None:
    item = Assessment.of(
        " nam-nung ",
        " UBND xã Nâm Nung ",
        appraised={"2": 10, "1": "17,5"},
        self_assessed={"1": D("17.5"), "3": "n/a"},
        evidence={"2": "KH 12"},
    )
    assert item.unit == Unit("nam-nung", NAM_NUNG)
    assert item.observations == (
        Observation("1", D("17.5"), D("17.5"), None),
        Observation("2", D(10), None, "KH 12"),
        Observation("3", None, NOT_APPLICABLE, None),
    )


def test_assessment_of_refuses_floats() -> None:
    with pytest.raises(ValueError, match=r"got the float 4\.5"):
        Assessment.of("x", "X", appraised={"1": 4.5})


def test_observation_order_does_not_matter() -> None:
    one = Assessment(Unit("x", "X"), (Observation("2", 1), Observation("1", 2)))
    two = Assessment(Unit("x", "X"), (Observation("1", 2), Observation("2", 1)))
    assert one == two
    assert [o.code for o in one.observations] == ["1", "2"]
    assert one.codes == two.codes == ("1", "2")
    assert attrs.evolve(one, observations=(Observation("3", 1),)).codes == ("3",)


def test_duplicates_are_refused_in_python() -> None:
    with pytest.raises(ValueError, match=r"unit 'x' has more than one observation for \['1'\]"):
        Assessment(Unit("x", "X"), (Observation("1", 1), Observation("1", 2)))
    with pytest.raises(ValueError, match=r"more than one assessment for unit\(s\) \['x'\]"):
        Assessments(None, (Assessment.of("x", "X"), Assessment.of("x", "Y")))
    # Every duplicate is named once, wherever it falls in the input.
    observations = [Observation(code, 1) for code in ("4", "1", "2", "1", "4", "3", "4")]
    with pytest.raises(ValueError, match=r"more than one observation for \['1', '4'\]$"):
        Assessment(Unit("x", "X"), tuple(observations))
    units = [Assessment.of(uid, "X") for uid in ("c", "a", "b", "c", "a")]
    with pytest.raises(ValueError, match=r"unit\(s\) \['a', 'c'\]$"):
        Assessments(None, tuple(units))


def test_unit_id_must_not_be_empty() -> None:
    with pytest.raises(ValueError, match="a unit id must not be empty"):
        Unit("  ", "X")


def test_not_applicable_marker() -> None:
    assert repr(NOT_APPLICABLE) == "NOT_APPLICABLE"
    assert NOT_APPLICABLE.value == "n/a"
