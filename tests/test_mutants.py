"""Focused checks on details of the core modules that broader tests pass over."""

from __future__ import annotations

import decimal
import hashlib
import pickle
import random
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import ClassVar

import attrs
import pytest

import parscore
from parscore import (
    NOT_APPLICABLE,
    Assessment,
    AssessmentError,
    Entered,
    Node,
    Normalisation,
    NotApplicablePolicy,
    PassFail,
    PluginError,
    Problem,
    Rounding,
    Scheme,
    SchemeError,
    dumps_scheme,
    evaluate,
    evaluation,
    load_scheme,
    loads_assessments,
    loads_scheme,
    scheme_problems,
)
from parscore.evaluation import (
    _APPRAISED,
    _SELF_ASSESSED,
    _Block,
    _column_scorer,
    _columns,
    _leaf_scorer,
    _no_positive_exponent,
    _PendingProvenance,
    _plain_row,
    _Plan,
    _score_columns,
    _score_unit,
    _Scoring,
)
from parscore.model import Band, RankMethod
from parscore.numbers import EXACT, parse_decimal, trim
from parscore.ranking import rank, rank_values
from parscore.rules import BUILTIN_RULES, Bonus, Deduction, Ratio, Rule, Survey, Tier, Tiers
from parscore.schemefile import _band_key, _is_consequence, _rule_table, _sorted, _toml_key, _toml_value
from test_evaluation import ASSESSMENTS, SCHEME

D = Decimal


# -- ranking ---------------------------------------------------------------


def test_rank_orders_ties_by_key_whatever_the_input_order() -> None:
    scores = {"d": D(7), "c": D(8), "a": D(9), "b": D(8)}
    for method in RankMethod:
        assert list(rank(scores, method)) == ["a", "b", "c", "d"]


def test_rank_of_a_single_zero_score() -> None:
    assert rank({"a": D(0)}, RankMethod.COMPETITION) == {"a": 1}
    assert rank({"a": 0, "b": 0}, RankMethod.DENSE) == {"a": 1, "b": 1}


def test_rank_values_gives_each_score_the_rank_rank_gives_its_key() -> None:
    chooser = random.Random(5)
    for size in (0, 1, 2, 7, 60):
        scores = [D(chooser.choice(("1", "1.0", "2", "2.50", "2.5", "0", "-0", "3"))) for _ in range(size)]
        for method in RankMethod:
            by_key = rank({f"k{n:03}": score for n, score in enumerate(scores)}, method)
            assert rank_values(scores, method) == [by_key[f"k{n:03}"] for n in range(size)]
    assert rank_values([D("2.50"), D("2.5"), D(3)], RankMethod.COMPETITION) == [2, 2, 1]
    assert rank_values([D(1), D(3), D(3), D(2)], RankMethod.DENSE) == [3, 1, 1, 2]


# -- rules -----------------------------------------------------------------


def test_tiers_with_equal_points_at_different_thresholds_are_fine() -> None:
    rule = Tiers((Tier(D(0), D(1)), Tier(D("0.5"), D(3)), Tier(D(1), D(3))))
    assert rule.problems(D(5)) == []


# -- numbers ---------------------------------------------------------------


def test_trim_ignores_the_callers_context() -> None:
    with decimal.localcontext() as context:
        context.prec = 3
        context.traps[decimal.Inexact] = True
        assert trim(D("123456.00")) == D(123456)
        assert str(trim(D("123456.00"))) == "123456"


def test_trim_of_a_large_integral_quotient() -> None:
    assert str(trim(D("1E+30"))) == "1" + "0" * 30


# -- model -----------------------------------------------------------------


def _scheme(rounding: Rounding, *leaves: Node, scale: Decimal | None = None) -> Scheme:
    """A scheme of ``leaves`` (fields) scored out of 10, or normalised to ``scale``."""
    top = scale or D(10)
    return Scheme(
        id="vn.test-mutants.commune.2024",
        title="Mutants",
        issuer="Test",
        level="commune",
        year=2024,
        fields=leaves,
        bands=(Band("Tốt", top * D("0.8")), Band("Khá", top / 2, top * D("0.8")), Band("Yếu", D(0), top / 2)),
        rounding=rounding,
        normalisation=None if scale is None else Normalisation(scale),
    )


def test_integer_maxima_survive_rounding_to_whole_points() -> None:
    scheme = _scheme(
        Rounding(leaf=0),
        Node("1", "Tiêu chí 1", D(4), rule=Entered()),
        Node("2", "Tiêu chí 2", D("6.00"), rule=PassFail()),
    )
    assert scheme_problems(scheme) == ()


def test_maxima_finer_than_the_leaf_rounding_are_reported() -> None:
    with pytest.raises(SchemeError) as raised:
        _scheme(
            Rounding(leaf=0),
            Node("1", "Tiêu chí 1", D("4.5"), rule=Entered()),
            Node("2", "Tiêu chí 2", D("5.5"), rule=PassFail()),
        )
    assert [p.key for p in raised.value.problems] == ["rounding.leaf"]
    assert "1 (4.5), 2 (5.5)" in str(raised.value)


def test_parse_decimal_counts_decimals_whatever_the_callers_context() -> None:
    with decimal.localcontext() as context:
        context.prec = 5
        with pytest.raises(ValueError, match="at most 10 decimals"):
            parse_decimal("1.00000000001")
        assert parse_decimal("1.0000000001") == D("1.0000000001")


# -- evaluation: each leaf's scoring function agrees with parse and points --


class _OwnEntered(Entered):
    """A subclass of a built-in rule: scored through ``parse`` and ``points``."""


_EXTREMES = {1: D("1E+101"), 2: D("1E-101"), 3: D("Infinity"), 5: D("1E+100"), 6: D("-1E-100")}


class _Huge(Entered):
    """Points no built-in rule gives: beyond 10^±100, at its edges, infinite."""

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        assert isinstance(value, Decimal)
        return _EXTREMES.get(int(value), value) if value == value.to_integral_value() else value


_RULES: list[tuple[Rule, str]] = [
    (Entered(), "5"),
    (Entered(step=D("0.5")), "5"),
    (PassFail(), "5"),
    (PassFail(), "0.5"),
    (Ratio(), "4"),
    (Ratio(threshold=D("0.85")), "2.5"),
    (Tiers((Tier(D(0), D(0)), Tier(D("0.5"), D("1.5")), Tier(D("0.5"), D(2)), Tier(D(1), D(3)))), "3"),
    (Deduction(per=D("0.25")), "1.5"),
    (Deduction(per=D(1), floor=D(1)), "3"),
    (Bonus(per_item=D("0.5")), "2"),
    (Bonus(per_item=D(1), cap=D("1.5")), "2"),
    (Survey(), "3"),
    (_OwnEntered(), "5"),
    (_Huge(), "5"),
]

_RAWS: list[object] = [
    D(-1), D("-0.5"), D(0), D("0.0"), D("0.25"), D("0.5"), D("0.84"), D("0.85"), D("0.9"), D(1), D("1.0"),
    D("1E+0"), D(2), D("2.00"), D("2.5"), D(3), D(5), D(6), D(7), D(99), D(100), D("100.5"), D(101),
    D("NaN"), D("Infinity"), D("-Infinity"), True, False, "đạt", "không đạt", "Đạt", " đạt ", "x", "1", 1, None,
]


def _reference(rule: Rule, raw: object, max_points: Decimal) -> tuple[object, Decimal] | None:
    try:
        value = rule.parse(raw)
        return value, rule.points(value, max_points)
    except ValueError:
        return None


def _well_formed(rule: Rule, raw: object) -> bool:
    if type(rule) is PassFail:
        return isinstance(raw, (bool, str))
    return raw.__class__ is Decimal


@pytest.mark.parametrize(("rule", "max_points"), _RULES)
def test_leaf_scorer_agrees_with_parse_and_points(rule: Rule, max_points: str) -> None:
    maximum = D(max_points)
    words: dict[str, bool] = {}
    scorer, lowest = _leaf_scorer(rule, maximum, words)
    exponents = []
    for raw in _RAWS * 2:  # twice: words read once are remembered
        expected = _reference(rule, raw, maximum)
        got = scorer(raw)
        if expected is None:
            assert got is None, raw
            continue
        if not expected[1].is_finite() or abs(expected[1].adjusted()) > 100:
            assert got is None, raw
            continue
        if _well_formed(rule, raw):
            assert got is not None, raw
        if got is not None:
            assert type(got[0]) is type(expected[0]), raw
            assert str(got[0]) == str(expected[0]), raw
            assert type(got[1]) is Decimal, raw
            assert str(got[1]) == str(expected[1]), raw
            exponents.append(got[1].as_tuple().exponent)
    if lowest is not None:
        assert lowest == min(exponents)


def _plain(rule: Rule, raw: object) -> bool:
    """Whether a column scorer takes ``raw`` as it is, without its leaf scorer."""
    if type(rule) in (Deduction, Bonus):
        return raw.__class__ is Decimal and raw.same_quantum(D(1))  # type: ignore[attr-defined]
    return _well_formed(rule, raw)


@pytest.mark.parametrize(("rule", "max_points"), [(r, m) for r, m in _RULES if type(r) in BUILTIN_RULES.values()])
def test_column_scorer_scores_plainly_valid_columns_itself(rule: Rule, max_points: str) -> None:
    maximum = D(max_points)
    scorer, _ = _leaf_scorer(rule, maximum, {})
    good = [raw for raw in _RAWS if _plain(rule, raw) and scorer(raw) is not None]
    assert D(0) in good or type(rule) is PassFail  # the bounds are in the columns
    # Given a leaf scorer that takes nothing, any value it is handed fails.
    score_column = _column_scorer(rule, maximum, lambda raw: None, {})
    with decimal.localcontext(EXACT):
        for column in (good, good[::-1], good[:1], good[-1:], good * 3):
            points, inputs, failures = score_column(tuple(column), set(map(type, column)))
            expected = [scorer(raw) for raw in column]
            assert list(failures) == [], column
            assert [(type(p), str(p)) for p in points] == [(Decimal, str(e[1])) for e in expected if e], column
            assert [(type(i), repr(i)) for i in inputs] == [(type(e[0]), repr(e[0])) for e in expected if e]


def _each(scorer: Callable[[object], tuple[object, Decimal] | None], raw: object) -> tuple[object, Decimal] | None:
    try:
        return scorer(raw)
    except Exception:  # noqa: BLE001 - a raising value is one the reference path must see
        return None


@pytest.mark.parametrize(("rule", "max_points"), _RULES)
def test_column_scorer_agrees_with_the_leaf_scorer_value_by_value(rule: Rule, max_points: str) -> None:
    maximum = D(max_points)
    words: dict[str, bool] = {}
    scorer, _ = _leaf_scorer(rule, maximum, words)
    score_column = _column_scorer(rule, maximum, scorer, words)
    good = [raw for raw in _RAWS if _each(scorer, raw) is not None]
    columns = [[], good, _RAWS, *([*good, raw] for raw in _RAWS), *([raw, *good] for raw in _RAWS)]
    columns += [[first, second] for first in good for second in _RAWS]
    with decimal.localcontext(EXACT):
        for column in columns:
            points, inputs, failures = score_column(tuple(column), set(map(type, column)))
            expected = [_each(scorer, raw) for raw in column]
            assert list(failures) == [j for j, e in enumerate(expected) if e is None], column
            assert len(points) == len(inputs) == len(column)
            for j, scored in enumerate(expected):
                if scored is not None:
                    assert (type(inputs[j]), repr(inputs[j])) == (type(scored[0]), repr(scored[0])), column[j]
                    assert (type(points[j]), repr(points[j])) == (Decimal, repr(scored[1])), column[j]


def test_leaf_scorer_exponent_bounds() -> None:
    def lowest(rule: Rule, max_points: str) -> int | None:
        return _leaf_scorer(rule, D(max_points), {})[1]

    assert lowest(PassFail(), "5") == 0
    assert lowest(PassFail(), "1E+1") == 0
    assert lowest(PassFail(), "0.25") == -2
    assert lowest(Tiers((Tier(D(0), D("0.5")), Tier(D(1), D(3)))), "3") == -1
    assert lowest(Deduction(per=D(1), floor=D("0.5")), "3") == -1
    assert lowest(Deduction(per=D(1)), "2.75") == -2
    assert lowest(Deduction(per=D("0.125")), "3") == -3
    assert lowest(Bonus(per_item=D(1)), "2.5") == -1
    assert lowest(Bonus(per_item=D(1), cap=D(2)), "2.5") == 0
    assert lowest(Bonus(per_item=D("1E+1")), "20") == 0
    assert lowest(Entered(), "5") is None
    assert lowest(Ratio(), "5") is None
    assert lowest(Survey(), "5") is None
    assert lowest(_OwnEntered(), "5") is None


# -- evaluation: the fast path and the reference path give the same rows ------

_VALUES: dict[str, list[object]] = {
    "1.1": ["0", "0.25", "1.5", "2,75", "3"],
    "1.2.1": ["0", "1", "2", "3", "5", "1.0"],
    "1.2.2": [True, False, "đạt", "không đạt", "n/a"],
    "1.3": ["0", "1", "2", "4", "5", "4.0"],
    "2.1": ["0", "0.4", "0.5", "0.8333", "0.9", "0.123456", "1"],
    "2.2": ["0", "0.5", "0.85", "0.9", "1", "n/a"],
    "2.3": ["0", "40", "50", "71", "87,5", "91,34", "100", "33.3333"],
}


def _units(count: int, seed: int) -> list[Assessment]:
    chooser = random.Random(seed)
    units = []
    for n in range(count):
        appraised = {code: chooser.choice(values) for code, values in _VALUES.items()}
        self_assessed = {code: chooser.choice(values) for code, values in _VALUES.items()}
        units.append(Assessment.of(f"u{n:03}", f"UBND xã {n}", appraised, self_assessed))
    return units


def _rows(scheme: Scheme, units: list[Assessment], basis: str) -> list[tuple[object, object]]:
    """Each unit's row from the column path (all units at once) and from the reference path."""
    plan = _Plan.of(scheme)
    scoring = _Scoring.of(scheme, plan)
    values_of = _APPRAISED if basis == "appraised" else _SELF_ASSESSED
    with decimal.localcontext(EXACT):
        rows = _score_columns(scheme, plan, scoring, units, _columns(units, values_of))
        # Points, inputs and roundings are kept by column; a row gives them as UnitResult does.
        fast = [None if row is None else _plain_row(row) for row in rows]
        references = []
        for unit in units:
            found: list[object] = []
            references.append(_score_unit(scheme, plan, scoring, unit, basis, found))  # type: ignore[arg-type]
            assert found == []
    return list(zip(fast, references, strict=True))


def _variant(variant: str) -> str:
    text = SCHEME
    if variant == "no rounding":
        text = text.replace("leaf = 2\n", "")
    elif variant == "no normalisation":
        text = text.replace("[normalisation]\nscale = 100\n", "").replace("normalised = 1\n", "")
        text = text.replace('not_applicable = "drop"', 'not_applicable = "full"')
        text = text.replace("from = 90", "from = 18").replace("to = 90", "to = 18")
        text = text.replace("from = 70", "from = 14").replace("to = 70", "to = 14")
        text = text.replace("from = 50", "from = 10").replace("to = 50", "to = 10")
    elif variant == "whole leaf points":
        text = text.replace("leaf = 2\n", "leaf = 0\n").replace("step = 0.25", "step = 1")
        text = text.replace("per = 0.5, floor = 0.5", "per = 1, floor = 1").replace("per_item = 0.75", "per_item = 1")
        text = text.replace("points = 2 }", "points = 3 }")
    return text


@pytest.mark.parametrize("basis", ["appraised", "self_assessed"])
@pytest.mark.parametrize("variant", ["as written", "no rounding", "no normalisation", "whole leaf points"])
def test_fast_and_reference_paths_agree(basis: str, variant: str) -> None:
    text = _variant(variant)
    scheme = loads_scheme(text)
    units = _units(60, seed=len(variant))
    if variant == "whole leaf points":
        units = [
            Assessment.of(
                u.unit.id,
                u.unit.name,
                {o.code: _whole(o.code, o.appraised) for o in u.observations},
                {o.code: _whole(o.code, o.self_assessed) for o in u.observations},
            )
            for u in units
        ]
    for fast, reference in _rows(scheme, units, basis):
        assert fast is not None
        assert repr(fast) == repr(reference)


def _whole(code: str, value: object) -> object:
    if code == "1.1" and isinstance(value, Decimal):
        return value.to_integral_value(rounding=decimal.ROUND_FLOOR)
    return value


def test_results_of_the_fast_path_match_hand_computed_rounding() -> None:
    scheme = loads_scheme(SCHEME)
    unit = Assessment.of(
        "x",
        "UBND xã X",
        {"1.1": "1", "1.2.1": 0, "1.2.2": True, "1.3": 0, "2.1": "0.123456", "2.2": 0, "2.3": "33.3333"},
    )
    ((fast, reference),) = _rows(scheme, [unit], "appraised")
    assert fast is not None
    assert repr(fast) == repr(reference)
    points = dict(zip((n.code for n in _Plan.of(scheme).nodes), fast[5], strict=True))
    assert str(points["2.1"]) == "0"  # below the threshold
    assert str(points["2.3"]) == "1.00"  # 33.3333 % of 3 = 0.999999 → 1.00
    rounded = {_Plan.of(scheme).nodes[i].code: str(p) for i, p in fast[8]}
    assert rounded == {"2.3": "0.999999"}


# -- evaluation: results ---------------------------------------------------------


def _input_hash(scheme_id: str | None, units: list[Assessment], basis: str = "appraised") -> str:
    """The input hash written out from its documented definition."""
    sha = hashlib.sha256(b"parscore assessments 2\n")
    sha.update(ascii(scheme_id).encode("ascii"))
    for unit in sorted(units, key=lambda a: a.unit.id):
        sha.update(ascii((unit.unit.id, unit.unit.name)).encode("ascii"))
        observations = sorted(unit.observations, key=lambda o: o.code)
        sha.update(ascii(tuple(o.code for o in observations)).encode("ascii"))
        sha.update(ascii(tuple(getattr(o, basis) for o in observations)).encode("ascii"))
    return "sha256:" + sha.hexdigest()


def test_input_hash_follows_its_definition() -> None:
    scheme = loads_scheme(SCHEME)
    assessments = loads_assessments(ASSESSMENTS)
    result = evaluate(scheme, assessments)
    assert result.provenance.input_hash == _input_hash(scheme.id, list(assessments.items))
    units = _units(5, seed=7)
    plain = evaluate(scheme, units, basis="self_assessed")
    assert plain.provenance.input_hash == _input_hash(None, units, "self_assessed")
    assert evaluate(scheme, units).provenance.input_hash == _input_hash(None, units)
    p = plain.provenance
    assert (p.scheme_id, p.scheme_revision, p.parscore_version, p.basis) == (
        scheme.id,
        3,
        parscore.__version__,
        "self_assessed",
    )


def test_input_hash_covers_only_what_the_result_depends_on() -> None:
    scheme = loads_scheme(SCHEME)
    units = _units(5, seed=7)
    result = evaluate(scheme, units)
    first = units[0]
    other = Assessment(
        first.unit,
        tuple(attrs.evolve(o, self_assessed=None, evidence="Văn bản số 1/UBND") for o in first.observations),
    )
    same = evaluate(scheme, [other, *units[1:]])
    assert same.provenance.input_hash == result.provenance.input_hash
    assert same.units == result.units
    flipped = tuple(
        attrs.evolve(o, appraised=Decimal(1) if o.appraised is NOT_APPLICABLE else NOT_APPLICABLE)
        if o.code == "2.2"
        else o
        for o in first.observations
    )
    changed = Assessment(first.unit, flipped)
    assert evaluate(scheme, [changed, *units[1:]]).provenance.input_hash != result.provenance.input_hash


def test_the_input_hash_is_worked_out_once_when_first_read() -> None:
    scheme = loads_scheme(SCHEME)
    units = _units(5, seed=7)
    result = evaluate(scheme, units)
    pending = result._provenance
    assert isinstance(pending, _PendingProvenance)
    # A result pickled before its provenance was read carries the provenance itself.
    copy = pickle.loads(pickle.dumps(result))
    assert type(copy._provenance) is parscore.Provenance
    provenance = result.provenance
    assert provenance is result.provenance  # worked out once
    assert attrs.asdict(provenance)["input_hash"] == _input_hash(None, units)
    assert copy.provenance == provenance and copy == result
    assert provenance.scheme_hash == parscore.scheme_hash(scheme)
    assert repr(result).startswith(f"Result(provenance={provenance!r}, units=(UnitResult(")


def test_unit_rows_are_made_from_the_columns_once() -> None:
    points = [(D(1), D(2)), (D(3), D(4)), (D(4), D(6))]
    inputs = [(D(1), D(2)), (True, False)]
    block = _Block(points, inputs, ((2, (1,), (D("3.95"),)),))
    assert block.points.column(2) == (D(4), D(6))
    assert [block.points.row(u) for u in (1, 0)] == [(D(2), D(4), D(6)), (D(1), D(3), D(4))]
    assert block.points.column(2) is None  # the columns are let go once the rows are made
    assert block.points.row(1) is block.points.row(1)
    assert [block.inputs.row(u) for u in (0, 1)] == [(D(1), True), (D(2), False)]
    assert (block.rounded(0), block.rounded(1)) == ((), ((2, D("3.95")),))
    copy = pickle.loads(pickle.dumps(block))
    assert (copy.points.row(0), copy.inputs.row(1), copy.rounded(1)) == (
        (D(1), D(3), D(4)), (D(2), False), ((2, D("3.95")),)
    )


def test_a_parent_sums_to_the_digits_the_reference_path_writes() -> None:
    entered = [Node(f"1.{k}", f"Tiêu chí 1.{k}", D(100), rule=Entered()) for k in (1, 2)]
    whole = [Node("2.1", "Tiêu chí 2.1", D(3), rule=PassFail()), Node("2.2", "Tiêu chí 2.2", D(100), rule=Entered())]
    scheme = _scheme(
        Rounding(),
        Node("1", "Lĩnh vực 1", D(200), children=tuple(entered)),
        Node("2", "Lĩnh vực 2", D(103), children=tuple(whole)),
    )
    assert [_no_positive_exponent(n) for n in scheme.leaves()] == [False, False, True, False]
    units = [
        Assessment.of(f"u{n}", f"UBND xã {n}", {"1.1": D("1E+1"), "1.2": D("2E+1"), "2.1": True, "2.2": D("5E+1")})
        for n in range(3)
    ]
    for unit in evaluate(scheme, units).units:
        # 0 + 1E+1 + 2E+1 is 30, not 3E+1; 3 + 5E+1 is 53 without adding 0.
        assert [str(p) for p in unit.points] == ["30", "1E+1", "2E+1", "53", "3", "5E+1"]
        assert str(unit.raw_total) == "83"
    for fast, reference in _rows(scheme, units, "appraised"):
        assert repr(fast) == repr(reference)


def test_leaves_whose_points_can_have_a_positive_exponent() -> None:
    def fine(rule: Rule, max_points: str) -> bool:
        return _no_positive_exponent(Node("1", "Tiêu chí 1", D(max_points), rule=rule))

    assert fine(PassFail(), "5") and not fine(PassFail(), "1E+1")
    assert fine(Tiers((Tier(D(0), D("0.5")), Tier(D(1), D(3)))), "3")
    assert not fine(Tiers((Tier(D(0), D(0)), Tier(D(1), D("3E+1")))), "30")
    assert fine(Deduction(per=D(1), floor=D("0.5")), "3") and not fine(Deduction(per=D("1E+1")), "30")
    assert not fine(Deduction(per=D(1), floor=D("1E+1")), "30")
    assert fine(Bonus(per_item=D("0.5")), "2") and not fine(Bonus(per_item=D(1), cap=D("1E+1")), "20")
    assert not fine(Bonus(per_item=D("1E+1")), "20")
    assert not any(fine(rule, "5") for rule in (Entered(), Ratio(), Survey()))


def test_well_formed_units_never_take_the_reference_path(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object) -> None:
        raise AssertionError("the reference path scored a well-formed unit")

    variants = ("as written", "no rounding", "no normalisation")
    schemes = {variant: loads_scheme(_variant(variant)) for variant in variants}
    monkeypatch.setattr(evaluation, "_score_unit", refuse)
    for scheme in schemes.values():
        for basis in ("appraised", "self_assessed"):
            result = evaluate(scheme, _units(20, seed=3), basis=basis)  # type: ignore[arg-type]
            assert len(result.units) == 20


def test_well_formed_columns_are_never_scored_value_by_value(monkeypatch: pytest.MonkeyPatch) -> None:
    handed: list[object] = []
    one_by_one = evaluation._one_by_one

    def recording(scorer: Callable[[object], object]) -> Callable[..., object]:
        score_each = one_by_one(scorer)  # type: ignore[arg-type]

        def score(values: tuple[object, ...], kinds: object = None) -> object:
            handed.extend(values)
            return score_each(values, kinds)  # type: ignore[arg-type]

        return score

    monkeypatch.setattr(evaluation, "_one_by_one", recording)
    units = _units(20, seed=3)
    # Leaf 2.2 not applicable for every unit, and for one unit only.
    absent = [Assessment(u.unit, tuple(attrs.evolve(o, appraised=NOT_APPLICABLE) if o.code == "2.2" else o
                                       for o in u.observations)) for u in units]
    for variant in ("as written", "no rounding", "no normalisation"):
        scheme = loads_scheme(_variant(variant))
        for case in (units, absent, [absent[0], *units[1:]]):
            # Counts written as whole numbers ("1", not "1.0"): what parse gives back unchanged.
            plain = [Assessment(u.unit, tuple(
                attrs.evolve(o, appraised=o.appraised.quantize(D(1)))
                if o.code in ("1.2.1", "1.3") and isinstance(o.appraised, Decimal) else o
                for o in u.observations
            )) for u in case]
            result = evaluate(scheme, plain)
            assert handed == [], variant
            assert [(u.unit_id, u.points, u.inputs) for u in result.units] == [
                (r.unit_id, r.points, r.inputs) for r in _reference_result(scheme, plain)
            ]


def _reference_result(scheme: Scheme, units: list[Assessment]) -> list[evaluation.UnitResult]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(evaluation, "_score_columns", lambda scheme, plan, scoring, units, columns: [None] * len(units))
        return list(evaluate(scheme, units).units)


def _dropping_scheme(*, all_leaves: bool) -> Scheme:
    drop = NotApplicablePolicy.DROP
    return _scheme(
        Rounding(leaf=2, normalised=2),
        Node("1", "Lĩnh vực 1", D(6), children=(
            Node("1.1", "Tiêu chí 1.1", D(3), rule=Ratio(), not_applicable=drop),
            Node("1.2", "Tiêu chí 1.2", D(3), rule=Ratio(), not_applicable=drop),
        )),
        Node("2", "Lĩnh vực 2", D(4), children=(
            Node("2.1", "Tiêu chí 2.1", D(4), rule=Entered(), not_applicable=drop if all_leaves else None),
        )),
        scale=D(100),
    )


def test_units_that_drop_several_leaves_on_the_column_path() -> None:
    scheme = _dropping_scheme(all_leaves=False)
    na = NOT_APPLICABLE
    units = [
        Assessment.of("u0", "UBND xã 0", {"1.1": na, "1.2": na, "2.1": 2}),
        Assessment.of("u1", "UBND xã 1", {"1.1": "0.123", "1.2": na, "2.1": 1}),
        Assessment.of("u2", "UBND xã 2", {"1.1": na, "1.2": "0.5", "2.1": 4}),
        Assessment.of("u3", "UBND xã 3", {"1.1": "0.123", "1.2": "0.5", "2.1": 0}),
    ]
    for fast, reference in _rows(scheme, units, "appraised"):
        assert repr(fast) == repr(reference)
    result = {u.unit_id: u for u in evaluate(scheme, units).units}
    assert [(result[k].max_total, result[k].score) for k in ("u0", "u1", "u2", "u3")] == [
        (D(4), D(50)), (D(7), D("19.57")), (D(7), D("78.57")), (D(10), D("18.70")),
    ]
    assert result["u0"].maxima == (D(0), D(0), D(0), D(4), D(4))
    # 0.123 × 3 = 0.369 is rounded for u1 and u3; the units for which 1.1 does not apply round nothing.
    assert [result[k].rounded for k in ("u0", "u1", "u2", "u3")] == [(), ((1, D("0.369")),), (), ((1, D("0.369")),)]


def test_a_unit_for_which_nothing_applies_is_named_among_others() -> None:
    scheme = _dropping_scheme(all_leaves=True)
    na = NOT_APPLICABLE
    units = [Assessment.of("u0", "UBND xã 0", {"1.1": na, "1.2": na, "2.1": na})]
    units += [Assessment.of(f"u{n}", f"UBND xã {n}", {"1.1": "0.5", "1.2": na, "2.1": n}) for n in (1, 2)]
    with pytest.raises(AssessmentError) as caught:
        evaluate(scheme, units)
    assert [p.message for p in caught.value.problems] == [
        "unit 'u0': every leaf was dropped as not applicable; nothing to score"
    ]


def test_a_unit_with_a_problem_among_others_is_named_alone() -> None:
    scheme = loads_scheme(SCHEME)
    units = _units(5, seed=7)
    second = units[1]
    units[1] = Assessment(second.unit, tuple(attrs.evolve(o, appraised=D(99)) if o.code == "1.1" else o
                                             for o in second.observations))
    with pytest.raises(AssessmentError) as caught:
        evaluate(scheme, units)
    assert [p.message.split(":")[0] for p in caught.value.problems] == ["unit 'u001'"]


def test_evaluation_ignores_the_callers_context() -> None:
    scheme = loads_scheme(_variant("no normalisation"))
    units = _units(20, seed=11)
    expected = evaluate(scheme, units)
    with decimal.localcontext() as context:
        context.prec = 2
        context.rounding = decimal.ROUND_DOWN
        got = evaluate(scheme, units)
    assert [(u.unit_id, str(u.raw_total), str(u.score), u.points) for u in got.units] == [
        (u.unit_id, str(u.raw_total), str(u.score), u.points) for u in expected.units
    ]


def test_without_normalisation_the_score_is_the_raw_total() -> None:
    scheme = loads_scheme(_variant("no normalisation"))
    result = evaluate(scheme, _units(30, seed=5))
    for unit in result.units:
        assert repr(unit.score) == repr(unit.raw_total)
        assert unit.total_explanation() == f"total {unit.raw_total} of 20"
    an = evaluate(scheme, loads_assessments(ASSESSMENTS)).unit("an")
    assert an.total_explanation() == "total 14.88 of 20"
    assert str(an.score) == "14.88"


def test_total_explanation_when_the_scale_is_the_maximum() -> None:
    scheme = loads_scheme(SCHEME.replace("scale = 100", "scale = 20").replace("from = 90", "from = 18")
                          .replace("to = 90", "to = 18").replace("from = 70", "from = 14")
                          .replace("to = 70", "to = 14").replace("from = 50", "from = 10")
                          .replace("to = 50", "to = 10"))
    result = evaluate(scheme, loads_assessments(ASSESSMENTS))
    an = result.unit("an")
    assert (an.raw_total, an.max_total, an.normalised_total) == (D("14.88"), D(20), D("14.9"))
    assert an.total_explanation().startswith("total 14.88 of 20 on a scale of 20: 14.88 × 20 ÷ 20 = 14.88")
    zero = Assessment.of(
        "z", "UBND xã Z", {"1.1": 0, "1.2.1": 9, "1.2.2": False, "1.3": 0, "2.1": 0, "2.2": "n/a", "2.3": 0}
    )
    dropped = evaluate(scheme, [zero]).unit("z")
    assert (dropped.raw_total, dropped.max_total, dropped.normalised_total) == (D("0.5"), D(16), D("0.6"))
    unfloored = loads_scheme(SCHEME.replace("per = 0.5, floor = 0.5", "per = 0.5"))
    nothing = Assessment.of(
        "z", "UBND xã Z", {"1.1": 0, "1.2.1": 9, "1.2.2": False, "1.3": 0, "2.1": 0, "2.2": 0, "2.3": 0}
    )
    zero = evaluate(unfloored, [nothing]).unit("z")
    assert (zero.raw_total, zero.normalised_total) == (0, 0)
    assert " of 20 on a scale of 100: " in zero.total_explanation()


def test_unit_lookup_in_results_with_one_unit_or_rebuilt() -> None:
    scheme = loads_scheme(SCHEME)
    result = evaluate(scheme, loads_assessments(ASSESSMENTS))
    single = evaluate(scheme, [next(u for u in loads_assessments(ASSESSMENTS).items if u.unit.id == "dung")])
    assert single.unit("dung").unit_id == "dung"
    assert single.field_averages() == (("1", D(1)), ("2", D(5)))
    reversed_units = attrs.evolve(result, units=tuple(reversed(result.units)))
    assert [reversed_units.unit(u.unit_id).unit_id for u in result.units] == [u.unit_id for u in result.units]
    first_two = attrs.evolve(result, units=result.units[:2])
    assert first_two.unit(result.units[1].unit_id) is result.units[1]
    for unit in result.units[2:]:
        with pytest.raises(KeyError):
            first_two.unit(unit.unit_id)
    empty = evaluate(scheme, [])
    with pytest.raises(ValueError, match=r"^no units to average$"):
        empty.field_averages()


def test_parents_of_one_child_name_it_in_the_singular() -> None:
    one_child = '[[fields.criteria.subcriteria]]\ncode = "1.2.2"\ntitle = "Kiểm tra CCHC"\nmax = 2\n'
    one_child += 'rule = { kind = "pass_fail" }\nnot_applicable = "full"\n'
    assert one_child in SCHEME
    text = SCHEME.replace(one_child, "").replace('title = "Báo cáo"\nmax = 4', 'title = "Báo cáo"\nmax = 2')
    text = text.replace('title = "Kế hoạch CCHC"\nmax = 3', 'title = "Kế hoạch CCHC"\nmax = 5')
    scheme = loads_scheme(text)
    values = {"1.1": "2.75", "1.2.1": 1, "1.3": 2, "2.1": "0.8333", "2.2": "0.9", "2.3": "87.5"}
    unit = evaluate(scheme, [Assessment.of("an", "UBND xã An", values)]).unit("an")
    assert unit.node("1.2").explanation == "sum of 1 sub-criterion: 1.5 → 1.5"
    assert unit.node("1").explanation == "sum of 3 criteria: 2.75 + 1.5 + 1.50 → 5.75"
    assert unit.node("1").title == "Chỉ đạo, điều hành"


# -- schemefile ------------------------------------------------------------------


_HALF = D("0.5")
_ONE = D(1)


@attrs.frozen
class _Window:
    """A third-party rule whose defaults and unset values are left out of TOML."""

    step: Decimal = _HALF
    low: Decimal | None = None
    high: Decimal = _ONE
    kind: ClassVar[str] = "window"
    takes: ClassVar[str] = "a number"

    def parse(self, raw: object) -> Decimal:
        return parse_decimal(raw)

    def problems(self, max_points: Decimal) -> list[str]:
        return []

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        return max_points if value == self.high else D(0)

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        return f"window → {self.points(value, max_points)}"


def test_rule_tables_leave_out_defaults_and_unset_values() -> None:
    assert _rule_table(_Window(high=D(2))) == {"kind": "window", "high": D(2)}
    assert _rule_table(_Window(step=D(1), low=D(0))) == {"kind": "window", "step": D(1), "low": D(0)}
    assert _rule_table(Deduction(per=D(1))) == {"kind": "deduction", "per": D(1)}
    assert _rule_table(Deduction(per=D(1), floor=D(1))) == {"kind": "deduction", "per": D(1), "floor": D(1)}


def test_toml_values_and_keys() -> None:
    assert (_toml_value(True), _toml_value(False)) == ("true", "false")
    assert _toml_value({"a": [True, D("1.50")]}) == "{ a = [true, 1.50] }"
    with pytest.raises(TypeError, match=r"^cannot write object to TOML$"):
        _toml_value(object())
    assert [_toml_key(k) for k in ("a_b", "a-b", "a1")] == ["a_b", "a-b", "a1"]
    assert [_toml_key(k) for k in ("a b", "đạt", "a.b")] == ['"a b"', '"đạt"', '"a.b"']


def test_band_problems_name_the_toml_keys() -> None:
    assert _band_key(Problem("m", key="bands[2].lower")).key == "bands[2].from"
    assert _band_key(Problem("m", key="bands[1].upper")).key == "bands[1].to"
    assert _band_key(Problem("m", key="a.b.upper")).key == "a.b.to"
    assert _band_key(Problem("m", key="lower")).key == "lower"
    assert _band_key(Problem("m", key="bands[1].name")).key == "bands[1].name"
    assert _band_key(Problem("m")).key is None


def test_problems_sort_by_line_then_key() -> None:
    problems = [Problem("c", key="c", line=2), Problem("n", line=2), Problem("B", key="B", line=2),
                Problem("a", key="a", line=1), Problem("x", key="x")]
    assert [p.message for p in _sorted(problems)] == ["a", "n", "B", "c", "x"]


def test_load_scheme_passes_its_rules_on(tmp_path: Path) -> None:
    path = tmp_path / "scheme.toml"
    path.write_text(SCHEME.replace('rule = { kind = "survey" }', 'rule = { kind = "window", high = 2 }'), "utf-8")
    scheme = load_scheme(path, rules={**BUILTIN_RULES, "window": _Window})
    assert scheme.node("2.3").rule == _Window(high=D(2))
    with pytest.raises(SchemeError) as raised:
        load_scheme(path)
    assert raised.value.problems[0].file == str(path)


def test_load_scheme_names_a_file_it_cannot_read(tmp_path: Path) -> None:
    path = tmp_path / "missing.toml"
    with pytest.raises(SchemeError) as raised:
        load_scheme(path)
    assert raised.value.source == str(path)
    assert raised.value.problems[0].file == str(path)
    assert raised.value.problems[0].message.startswith("cannot read the scheme: ")


def test_bands_refuse_unknown_keys() -> None:
    text = SCHEME.replace('name = "A"\nfrom = 90\n', 'name = "A"\nfrom = 90\ncolour = "green"\n')
    assert text != SCHEME
    with pytest.raises(SchemeError, match="colour"):
        loads_scheme(text)


def test_a_scheme_without_leaf_rounding_round_trips() -> None:
    scheme = loads_scheme(_variant("no rounding"))
    assert scheme.rounding.leaf is None and scheme.rounding.normalised == 1
    assert "normalised = 1" in dumps_scheme(scheme)
    assert loads_scheme(dumps_scheme(scheme)) == scheme


def _consequence(problem: Problem, **kwargs: object) -> bool:
    context: dict[str, object] = {
        "broken": set(),
        "ruleless": set(),
        "reliable_total": True,
        "reliable_scale": True,
        "bands_complete": True,
        "unread": set(),
    }
    context.update(kwargs)
    return _is_consequence(problem, **context)  # type: ignore[arg-type]


def test_problems_that_follow_from_earlier_ones_are_dropped() -> None:
    assert _consequence(Problem("m", key="rounding.leaf"), unread={"rounding"})
    assert not _consequence(Problem("m", key="rounding.leaf"))
    assert not _consequence(Problem("m", key="bands[0].name"), unread={"bands"})
    assert not _consequence(Problem("m", key="fields[0].max"), unread={"fields"})
    leafless = Problem("a leaf needs a scoring rule", node="field 1 › criterion 1.2")
    assert _consequence(leafless, ruleless={"1.2"})
    assert _consequence(leafless, broken={"1.2"})
    assert not _consequence(leafless, ruleless={"1"})
    assert _consequence(Problem("m", key="bands[1].to"), bands_complete=False)
    above = Problem("band 'A' reaches 120, above the scale 100", key="bands[0].to")
    assert not _consequence(above)
    assert _consequence(above, reliable_scale=False)
    assert _consequence(above, unread={"normalisation"})
    assert not _consequence(Problem("the leaf reaches above the scale", key="normalisation.scale"),
                            reliable_scale=False)
    assert _consequence(Problem("m", key="total"), reliable_total=False)
    assert not _consequence(Problem("m", key="total"))
    assert _consequence(Problem("a scheme needs at least one field", key="fields"), reliable_total=False)
    assert not _consequence(Problem("other", key="fields"), reliable_total=False)
    assert not _consequence(Problem("a scheme needs at least one field", key="fields"))
    assert _consequence(Problem("m", key="normalisation"), unread={"normalisation"})
    assert not _consequence(Problem("m", key="normalisation"))
    assert not _consequence(Problem("m", key="ranking.method"), unread={"normalisation"})
    sums = Problem("max is 4 but the children's maxima add up to 3", key="fields[0].max", node="field 1")
    assert _consequence(sums, broken={"1"})
    assert not _consequence(sums)
    assert not _consequence(Problem("the children's maxima", key="fields[0].title", node="field 1"), broken={"1"})
    assert not _consequence(Problem("m", key="fields[0].max", node="field 1"), broken={"1"})


class _Unloadable(Mapping[str, type[Rule]]):
    """Rules whose plug-in cannot be loaded."""

    def __getitem__(self, kind: str) -> type[Rule]:
        if kind == "entered":
            return Entered
        raise PluginError(f"cannot load the rule {kind!r}")

    def __iter__(self) -> Iterator[str]:
        return iter(("entered", "pass_fail", "survey", "tiers", "ratio", "deduction", "bonus"))

    def __len__(self) -> int:
        return 7

    def __contains__(self, kind: object) -> bool:
        return kind in tuple(self)


def test_rule_tables_without_a_kind_or_with_an_unloadable_one() -> None:
    with pytest.raises(SchemeError) as raised:
        loads_scheme(SCHEME.replace('rule = { kind = "survey" }', "rule = { step = 1 }"))
    assert [(p.message, p.key) for p in raised.value.problems] == [
        ("a rule needs a 'kind'", "fields[1].criteria[2].rule")
    ]
    with pytest.raises(SchemeError) as raised:
        loads_scheme(SCHEME, rules=_Unloadable())
    messages = {(p.message, p.key) for p in raised.value.problems}
    assert ("cannot load the rule 'survey'", "fields[1].criteria[2].rule.kind") in messages


def test_field_ranks_skip_after_a_tie_in_competition_ranking() -> None:
    result = evaluate(loads_scheme(SCHEME), loads_assessments(ASSESSMENTS))
    assert {u.unit_id: dict(u.field_ranks)["1"] for u in result.units} == {
        "binh": 1, "giang": 1, "an": 3, "chau": 4, "dung": 5,
    }


def test_a_dropped_leaf_leaves_the_maxima_above_it() -> None:
    disbursement = 'title = "Giải ngân vốn đầu tư công"\nmax = '
    text = SCHEME.replace(disbursement + "4", disbursement + "1")
    text = text.replace("at_least = 0.85, points = 2", 'at_least = 0.85, points = 0.5')
    text = text.replace("at_least = 1, points = 4", "at_least = 1, points = 1")
    text = text.replace('title = "Tỷ lệ hồ sơ đúng hạn"\nmax = 3', 'title = "Tỷ lệ hồ sơ đúng hạn"\nmax = 6')
    scheme = loads_scheme(text)
    binh = evaluate(scheme, loads_assessments(ASSESSMENTS)).unit("binh")
    assert binh.max_total == 19
    dropped = binh.node("2.2")
    assert (dropped.points, dropped.max, dropped.applicable) == (0, 0, False)
    field = binh.node("2")
    assert (field.max, field.applicable) == (9, True)
    assert binh.node("1.2.2").applicable


def test_an_unknown_criterion_is_reported_alone() -> None:
    values = {"1.0": 1, "1.1": 3, "1.2.1": 0, "1.2.2": True, "1.3": 2, "2.1": "0.9", "2.2": "0.85", "2.3": 40}
    with pytest.raises(AssessmentError) as raised:
        evaluate(loads_scheme(SCHEME), [Assessment.of("x", "UBND xã X", values)])
    assert [p.message for p in raised.value.problems] == [
        "unit 'x': unknown criterion '1.0', not in scheme 'vn.test-evaluation.commune.2024'"
    ]


class _Fussy(Entered):
    """A rule that fails with an error of its own on some values."""

    def parse(self, raw: object) -> Decimal:
        if raw == 2:
            raise TypeError("two is not allowed")
        return super().parse(raw)


def test_errors_other_than_value_errors_of_a_rule_propagate() -> None:
    scheme = loads_scheme(SCHEME.replace('rule = { kind = "survey" }', 'rule = { kind = "fussy" }'),
                          rules={**BUILTIN_RULES, "fussy": _Fussy})
    values = {"1.1": 3, "1.2.1": 0, "1.2.2": True, "1.3": 2, "2.1": "0.9", "2.2": "0.85", "2.3": 2}
    with pytest.raises(TypeError, match="two is not allowed"):
        evaluate(scheme, [Assessment.of("x", "UBND xã X", values)])
    values["2.3"] = 3
    assert evaluate(scheme, [Assessment.of("x", "UBND xã X", values)]).unit("x").node("2.3").points == 3


def _problems(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(SchemeError) as raised:
        loads_scheme(text, file="s.toml")
    assert raised.value.source == "s.toml"
    return [(p.line, p.key, p.message) for p in raised.value.problems]


def test_an_unreadable_entry_does_not_hide_other_problems() -> None:
    year = SCHEME.replace("year = 2024", 'year = "soon"').replace("leaf = 2", "leaf = 11")
    assert _problems(year) == [
        (6, "year", "expected a whole number, got text 'soon'"),
        (13, "rounding.leaf", "decimals must be from 0 to 10, got 11"),
    ]
    title = SCHEME.replace('title = "Bộ chỉ số kiểm thử"', "title = 5")
    title = title.replace('title = "Kế hoạch CCHC"\nmax = 3', 'title = "Kế hoạch CCHC"\nmax = 2')
    assert _problems(title) == [
        (3, "title", "expected text, got a whole number 5"),
        (41, "fields[0].max", "the children's maxima add up to 9 (2 + 4 + 3), not to this node's max 10"),
    ]
    assert _problems(SCHEME.replace("scale = 100", 'scale = "big"')) == [
        (17, "normalisation.scale", "expected a number such as 4,5 or 4.5, got 'big'"),
    ]
    assert _problems(SCHEME.replace('name = "A"\nfrom = 90', 'name = "A"\nfrom = "x"')) == [
        (21, "bands[0].from", "expected a number such as 4,5 or 4.5, got 'x'"),
    ]


def test_tables_that_are_not_tables() -> None:
    no_table = SCHEME.replace("[normalisation]\nscale = 100\n", "")
    assert _problems(no_table.replace("revision = 3\n", "revision = 3\nnormalisation = 5\n")) == [
        (8, "normalisation", "expected a table, got a whole number 5"),
    ]
    no_table = SCHEME.replace("[rounding]\nleaf = 2\nnormalised = 1\n", "")
    assert _problems(no_table.replace("revision = 3\n", 'revision = 3\nrounding = "x"\n')) == [
        (8, "rounding", "expected a table, got text 'x'"),
    ]
    assert _problems(SCHEME[: SCHEME.index("[[fields]]")]) == [(None, "fields", "a scheme needs [[fields]]")]


# -- model: scheme problems, each with its key and node --------------------------


def _model_problems(**kwargs: object) -> list[tuple[str | None, str | None, str]]:
    defaults: dict[str, object] = {
        "id": "vn.test-mutants.commune.2024",
        "title": "Mutants",
        "issuer": "Test",
        "level": "commune",
        "year": 2024,
        "fields": _fields(Node("1.1", "C", D(4), rule=Entered()), Node("1.2", "C", D(2), rule=Entered())),
        "bands": (Band("A", D(8)), Band("B", D(5), D(8)), Band("C", D(0), D(5))),
    }
    defaults.update(kwargs)
    try:
        Scheme(**defaults)  # type: ignore[arg-type]
    except SchemeError as exc:
        return [(p.key, p.node, p.message) for p in exc.problems]
    return []


def _fields(*first: Node) -> tuple[Node, ...]:
    return (Node("1", "F", D(6), children=first), Node("2", "F", D(4), rule=PassFail()))


def test_node_problems_name_their_key_and_node() -> None:
    untitled = _fields(Node("1.1", " ", D(4), rule=Entered()), Node("1.2", "C", D(2), rule=Entered()))
    assert _model_problems(fields=untitled) == [
        ("fields[0].criteria[0].title", "field 1 › criterion 1.1", "title must not be empty")
    ]
    parent = Node("1", "F", D(6), children=(Node("1.1", "C", D(6), rule=Entered()),), rule=Entered(),
                  not_applicable=NotApplicablePolicy.FULL)
    assert _model_problems(fields=(parent, Node("2", "F", D(4), rule=PassFail()))) == [
        ("fields[0].rule", "field 1", "only leaves have a rule: this node's points are the sum of its children"),
        ("fields[0].not_applicable", "field 1", "only leaves have a not_applicable policy"),
    ]
    deep = Node("1.1.1", "S", D(6), children=(Node("1.1.1.1", "I", D(6), rule=Entered()),))
    assert _model_problems(fields=_fields(Node("1.1", "C", D(6), children=(deep,)))) == [
        (
            "fields[0].criteria[0].subcriteria[0]",
            "field 1 › criterion 1.1 › sub-criterion 1.1.1",
            "a sub-criterion cannot have children: schemes have at most 3 levels"
            " (field › criterion › sub-criterion)",
        )
    ]
    assert _model_problems(fields=_fields(Node("1.1", "C", D(6)))) == [
        ("fields[0].criteria[0].rule", "field 1 › criterion 1.1", "a leaf needs a scoring rule")
    ]
    capped = Bonus(per_item=D(1), cap=D(2))
    one = _fields(Node("1.1", "C", D(5), rule=Entered()), Node("1.2", "C", D(1), rule=capped))
    assert _model_problems(fields=one) == [
        ("fields[0].criteria[1].rule", "field 1 › criterion 1.2",
         "cap must be above 0 and at most the maximum 1, got 2")
    ]
    zero = _fields(Node("1.1", "C", D(6), rule=Entered()), Node("1.2", "C", D(0), rule=capped))
    assert _model_problems(fields=zero) == [
        ("fields[0].criteria[1].max", "field 1 › criterion 1.2", "max must be above 0, got 0")
    ]


def test_scheme_problems_of_the_header_and_rounding() -> None:
    assert _model_problems(id="vn.test-mutants.district.2023") == [
        ("level", None, "the id says level 'district' but level is 'commune'"),
        ("year", None, "the id says year 2023 but year is 2024"),
    ]
    fine = _fields(Node("1.1", "C", D(4), rule=Entered()), Node("1.2", "C", D(2), rule=Entered()))
    assert _model_problems(fields=fine, rounding=Rounding(leaf=0)) == []
    quarters = _fields(Node("1.1", "C", D("4.25"), rule=Entered()), Node("1.2", "C", D("1.75"), rule=Entered()))
    assert _model_problems(fields=quarters, rounding=Rounding(leaf=1)) == [
        ("rounding.leaf", None, "leaf points are rounded to 1 decimal, but these leaves' maxima have more decimals:"
         " 1.1 (4.25), 1.2 (1.75); a full score would round past the max")
    ]
    eighths = _fields(Node("1.1", "C", D("4.125"), rule=Entered()), Node("1.2", "C", D("1.875"), rule=Entered()))
    assert _model_problems(fields=eighths, rounding=Rounding(leaf=2)) == [
        ("rounding.leaf", None, "leaf points are rounded to 2 decimals, but these leaves' maxima have more decimals:"
         " 1.1 (4.125), 1.2 (1.875); a full score would round past the max")
    ]


def test_scale_problems() -> None:
    half = (Band("A", D("0.5")), Band("B", D(0), D("0.5")))
    assert _model_problems(normalisation=Normalisation(D(1)), rounding=Rounding(normalised=2), bands=half) == []
    two = (Band("A", D(2)), Band("B", D(0), D(2)))
    assert _model_problems(normalisation=Normalisation(D(1)), rounding=Rounding(normalised=2), bands=two) == [
        ("bands[0].from", None, "band 'A' starts at 2, above the scale 1")
    ]
    fifty = (Band("A", D(50)), Band("B", D(0), D(50)))
    assert _model_problems(normalisation=Normalisation(D(100)), rounding=Rounding(normalised=0), bands=fifty) == []
    assert _model_problems(normalisation=Normalisation(D("100.5")), rounding=Rounding(normalised=0), bands=fifty) == [
        ("rounding.normalised", None, "the scale 100.5 has more decimals than the 0 the normalised score is rounded"
         " to: a full score would round past the scale")
    ]
    fine = Normalisation(D("1.00000000001"))
    assert _model_problems(normalisation=fine, rounding=Rounding(normalised=10), bands=half) == [
        ("rounding.normalised", None, "the scale 1.00000000001 has more decimals than the 10 the normalised score is"
         " rounded to: a full score would round past the scale")
    ]
    at_the_top = (Band("Perfect", D(10)), Band("A", D(5), D(10)), Band("B", D(0), D(5)))
    assert _model_problems(bands=at_the_top) == []
    ones = (Node("1", "F", D(1), rule=Entered()), Node("2", "F", D(1), rule=PassFail()))
    three = (Band("A", D(3)), Band("B", D(0), D(3)))
    assert _model_problems(fields=ones, bands=three) == [
        ("bands[0].from", None, "band 'A' starts at 3, above the scale 2")
    ]
