"""Focused checks on details of the core modules that broader tests pass over."""

from __future__ import annotations

import decimal
import random
from decimal import Decimal

import pytest

from parscore import (
    Assessment,
    Entered,
    Node,
    PassFail,
    Rounding,
    Scheme,
    SchemeError,
    loads_scheme,
    scheme_problems,
)
from parscore.model import Band, RankMethod
from parscore.numbers import EXACT, parse_decimal, trim
from parscore.ranking import rank

from test_evaluation import SCHEME
from parscore.evaluation import _columns, _leaf_scorer, _Plan, _score_fast, _score_unit, _Scoring
from parscore.rules import Bonus, Deduction, Ratio, Rule, Survey, Tier, Tiers

D = Decimal


# -- ranking ---------------------------------------------------------------


def test_rank_orders_ties_by_key_whatever_the_input_order() -> None:
    scores = {"d": D(7), "c": D(8), "a": D(9), "b": D(8)}
    for method in RankMethod:
        assert list(rank(scores, method)) == ["a", "b", "c", "d"]


def test_rank_of_a_single_zero_score() -> None:
    assert rank({"a": D(0)}, RankMethod.COMPETITION) == {"a": 1}
    assert rank({"a": 0, "b": 0}, RankMethod.DENSE) == {"a": 1, "b": 1}


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


def _scheme(rounding: Rounding, *leaves: Node) -> Scheme:
    return Scheme(
        id="vn.test-mutants.commune.2024",
        title="Mutants",
        issuer="Test",
        level="commune",
        year=2024,
        fields=leaves,
        bands=(Band("Tốt", D(8)), Band("Khá", D(5), D(8)), Band("Yếu", D(0), D(5))),
        rounding=rounding,
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


class _Huge(Entered):
    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        return D("1E+101") if value == 1 else D("1E-101") if value == 2 else D(value)


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
        if isinstance(expected[1], Decimal) and abs(expected[1].adjusted()) > 100:
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
    plan = _Plan.of(scheme)
    scoring = _Scoring.of(scheme, plan)
    column = 1 if basis == "appraised" else 2
    rows = []
    with decimal.localcontext(EXACT):
        for unit in units:
            found: list[object] = []
            reference = _score_unit(scheme, plan, scoring, unit, basis, found)  # type: ignore[arg-type]
            assert found == []
            fast = _score_fast(scheme, plan, scoring, unit, _columns(unit)[column])
            rows.append((fast, reference))
    return rows


@pytest.mark.parametrize("basis", ["appraised", "self_assessed"])
@pytest.mark.parametrize("variant", ["as written", "no rounding", "no normalisation", "whole leaf points"])
def test_fast_and_reference_paths_agree(basis: str, variant: str) -> None:
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
