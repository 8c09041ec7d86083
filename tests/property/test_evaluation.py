"""Invariants of ``evaluate`` on drawn schemes and assessments that fit them.

Each test is named after the invariant it checks.  The strategies live in
``strategies.py``; the settings profiles in ``conftest.py``.
"""

from __future__ import annotations

import decimal
import json
import random
from decimal import ROUND_FLOOR, Decimal
from itertools import combinations

import attrs
from hypothesis import example, given
from hypothesis import strategies as st

from parscore import (
    NOT_APPLICABLE,
    Assessment,
    Assessments,
    Node,
    Normalisation,
    NotApplicablePolicy,
    PassFail,
    RankMethod,
    Result,
    Rounding,
    Scheme,
    SchemeError,
    evaluate,
)
from parscore.cli import result_to_json
from parscore.evaluation import _APPRAISED, _columns, _plain_row, _Plan, _score_columns, _score_unit, _Scoring
from parscore.numbers import EXACT

from .strategies import (
    CoarseCase,
    cases,
    coarse_leaf_rounding_cases,
    coarse_normalised_rounding_cases,
    decimals_of,
    one_leaf_scheme,
    passing,
    spoiled_cases,
)

Case = tuple[Scheme, Assessments]


def _evaluate(case: Case) -> Result:
    scheme, assessments = case
    return evaluate(scheme, assessments)


def _half_up(value: Decimal, places: int) -> Decimal:
    """Half-up rounding of a value ≥ 0, computed without ``quantize``."""
    assert value >= 0
    shifted = value.scaleb(places) + Decimal("0.5")
    return Decimal(int(shifted.to_integral_value(rounding=ROUND_FLOOR))).scaleb(-places)


def _json(result: Result) -> bytes:
    # The way ``parscore evaluate --format json`` writes it.
    return json.dumps(result_to_json(result), ensure_ascii=False, indent=2, sort_keys=False).encode()


# --- points and sums ------------------------------------------------------------


@given(cases())
def test_points_between_zero_and_max_at_every_node(case: Case) -> None:
    scheme, _ = case
    for unit in _evaluate(case).units:
        for node in unit.nodes():
            assert 0 <= node.points <= node.max, (unit.unit_id, node)
            # The applicable max is the scheme's, or less where leaves were dropped.
            assert 0 <= node.max <= scheme.node(node.code).max, (unit.unit_id, node)


@given(cases())
def test_parent_points_equal_sum_of_children(case: Case) -> None:
    scheme, _ = case
    for unit in _evaluate(case).units:
        for parent in scheme.nodes():
            if parent.is_leaf:
                continue
            kids = [unit.node(c.code) for c in parent.children]
            mine = unit.node(parent.code)
            assert mine.points == sum((k.points for k in kids), Decimal(0)), (unit.unit_id, parent.code)
            assert mine.max == sum((k.max for k in kids), Decimal(0)), (unit.unit_id, parent.code)


@given(cases())
def test_total_equals_sum_of_fields(case: Case) -> None:
    scheme, _ = case
    for unit in _evaluate(case).units:
        fields = unit.fields()
        assert [f.code for f in fields] == [f.code for f in scheme.fields]
        assert unit.raw_total == sum((f.points for f in fields), Decimal(0))
        assert unit.max_total == sum((f.max for f in fields), Decimal(0))
        if scheme.normalisation is None and unit.max_total == scheme.max_total:
            assert unit.normalised_total == unit.raw_total


@given(cases())
def test_sum_of_gaps_equals_max_minus_total(case: Case) -> None:
    scheme, _ = case
    for unit in _evaluate(case).units:
        expected = unit.max_total - unit.raw_total
        assert sum((f.gap for f in unit.fields()), Decimal(0)) == expected
        leaves = [n for n in unit.nodes() if scheme.node(n.code).is_leaf]
        assert sum((n.gap for n in leaves), Decimal(0)) == expected
        for node in unit.nodes():
            assert node.gap == node.max - node.points
            assert node.gap >= 0


# --- normalisation, bands, ranks --------------------------------------------------


@given(cases())
def test_normalised_total_within_scale_and_monotone_in_raw_total(case: Case) -> None:
    scheme, _ = case
    units = _evaluate(case).units
    places = scheme.rounding.normalised
    for unit in units:
        assert 0 <= unit.normalised_total <= scheme.scale, unit
        if scheme.normalisation is not None or unit.max_total != scheme.max_total:
            exact = unit.raw_total * scheme.scale / unit.max_total
            assert places is not None
            assert decimals_of(unit.normalised_total) <= places
            assert abs(unit.normalised_total - exact) <= Decimal("0.5").scaleb(-places)
    for a, b in combinations(units, 2):
        if a.max_total != b.max_total:
            continue
        if a.raw_total == b.raw_total:
            assert a.normalised_total == b.normalised_total, (a, b)
        high, low = (a, b) if a.raw_total > b.raw_total else (b, a)
        assert high.normalised_total >= low.normalised_total, (high, low)


@given(cases())
def test_band_never_lower_for_higher_score(case: Case) -> None:
    scheme, _ = case
    units = _evaluate(case).units
    for unit in units:
        assert unit.band in scheme.bands
        assert unit.band.contains(unit.score), unit
    for a, b in combinations(units, 2):
        high, low = (a, b) if a.score >= b.score else (b, a)
        assert high.band.lower >= low.band.lower, (high, low)
        if high.score == low.score:
            assert high.band == low.band


@given(cases(), st.randoms(use_true_random=False))
def test_ranks_unchanged_by_permutation_of_input(case: Case, rng: random.Random) -> None:
    scheme, assessments = case
    shuffled = []
    for item in assessments.items:
        observations = list(item.observations)
        rng.shuffle(observations)
        shuffled.append(Assessment(item.unit, tuple(observations)))
    rng.shuffle(shuffled)
    original = evaluate(scheme, assessments)
    permuted = evaluate(scheme, Assessments(assessments.scheme_id, tuple(shuffled)))
    assert permuted == original
    assert _json(permuted) == _json(original)
    # A plain iterable of assessments, in any order, is the same input.
    from_list = evaluate(scheme, shuffled)
    assert from_list == evaluate(scheme, list(reversed(assessments.items)))
    assert [(u.unit_id, u.rank) for u in from_list.units] == [(u.unit_id, u.rank) for u in original.units]


@given(cases())
def test_equal_scores_share_a_rank(case: Case) -> None:
    result = _evaluate(case)
    for a, b in combinations(result.units, 2):
        if a.score == b.score:
            assert a.rank == b.rank, (a, b)
        else:
            high, low = (a, b) if a.score > b.score else (b, a)
            assert high.rank < low.rank, (high, low)
        for (code, rank_a), (_, rank_b), fa, fb in zip(
            a.field_ranks, b.field_ranks, a.fields(), b.fields(), strict=True
        ):
            assert (rank_a == rank_b) == (fa.points == fb.points), (code, a, b)
    # Units are listed by rank, and by unit id within a shared rank.
    assert [(u.rank, u.unit_id) for u in result.units] == sorted((u.rank, u.unit_id) for u in result.units)


@given(cases())
def test_rank_follows_the_scheme_rank_method(case: Case) -> None:
    scheme, _ = case
    units = _evaluate(case).units
    scores = [u.score for u in units]
    for unit in units:
        if scheme.ranking.method is RankMethod.COMPETITION:
            # Competition ranking (1-2-2-4): one more than the units strictly better.
            expected = 1 + sum(1 for s in scores if s > unit.score)
        else:
            # Dense ranking (1-2-2-3): one more than the distinct better scores.
            expected = 1 + len({s for s in scores if s > unit.score})
        assert unit.rank == expected, (scheme.ranking.method, unit)


# --- numbers ----------------------------------------------------------------------


@given(cases())
def test_points_are_decimal_never_float(case: Case) -> None:
    result = _evaluate(case)
    for unit in result.units:
        for value in (unit.raw_total, unit.max_total, unit.normalised_total, unit.score):
            assert type(value) is Decimal, (unit.unit_id, value)
        for node in unit.nodes():
            for value in (node.points, node.max, node.gap):
                assert type(value) is Decimal, (unit.unit_id, node)
            assert node.percentage is None or type(node.percentage) is Decimal
    assert type(result.average_total()) is Decimal
    for _, average in result.field_averages():
        assert type(average) is Decimal


@given(cases())
def test_leaf_points_are_what_the_rule_gives(case: Case) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    places = scheme.rounding.leaf
    for item in assessments:
        unit = result.unit(item.unit.id)
        for obs in item.observations:
            leaf, got = scheme.node(obs.code), unit.node(obs.code)
            if obs.appraised is NOT_APPLICABLE:
                if leaf.not_applicable is NotApplicablePolicy.FULL:
                    assert (got.points, got.max, got.applicable) == (leaf.max, leaf.max, True)
                else:
                    assert (got.points, got.max, got.applicable) == (0, 0, False)
                continue
            assert leaf.rule is not None
            computed = leaf.rule.points(leaf.rule.parse(obs.appraised), leaf.max)
            if places is not None and decimals_of(computed) > places:
                computed = _half_up(computed, places)
            assert got.points == computed, (item.unit.id, obs, got)
            assert got.max == leaf.max and got.applicable


@given(cases(leaf_rounding=True))
def test_leaf_rounding_is_half_up_and_recorded(case: Case) -> None:
    scheme, assessments = case
    places = scheme.rounding.leaf
    assert places is not None
    result = evaluate(scheme, assessments)
    for item in assessments:
        unit = result.unit(item.unit.id)
        for obs in item.observations:
            leaf, got = scheme.node(obs.code), unit.node(obs.code)
            assert decimals_of(got.points) <= places, (item.unit.id, got)
            if obs.appraised is NOT_APPLICABLE:
                continue
            assert leaf.rule is not None
            exact = leaf.rule.points(leaf.rule.parse(obs.appraised), leaf.max)
            assert got.points == _half_up(exact, places), (item.unit.id, obs, got)
            note = f"rounded half-up to {places} decimal{'' if places == 1 else 's'}"
            if got.points != exact:
                assert note in got.explanation, got
                assert f"{exact:f}" in got.explanation or f"{exact.normalize():f}" in got.explanation, got
            else:
                assert "rounded" not in got.explanation, got


# --- rounding coarser than the numbers it rounds -------------------------------------
#
# A leaf of 0.75 rounded to 1 decimal would get 0.8 for a pass, and a scale of
# 99.75 rounded to 0 decimals would give a perfect unit 100: parscore must
# refuse such a scheme (on the rounding key) or keep the invariant anyway.
# Each test starts with that minimal example.

_BASE = Scheme(**one_leaf_scheme(Decimal(1)))  # type: ignore[arg-type]
_LEAF_075 = Node("2", "Tiêu chí 0,75 điểm", Decimal("0.75"), rule=PassFail())
_COARSE_SCALE = one_leaf_scheme(
    Decimal(1), normalisation=Normalisation(Decimal("99.75")), rounding=Rounding(normalised=0)
)


def _build(arguments: dict[str, object], key: str) -> Scheme | None:
    """The scheme, or ``None`` when parscore refuses it for its rounding (and only for that)."""
    try:
        return Scheme(**arguments)  # type: ignore[arg-type]
    except SchemeError as error:
        assert [p.key for p in error.problems] == [key], error
        return None


@given(coarse_leaf_rounding_cases())
@example((_BASE, Rounding(leaf=1), _LEAF_075, passing((*_BASE.fields, _LEAF_075))))
def test_points_between_zero_and_max_when_leaf_rounding_is_coarser_than_a_maximum(case: CoarseCase) -> None:
    base, rounding, leaf, assessments = case
    arguments = {a.name: getattr(base, a.name) for a in attrs.fields(Scheme)}
    scheme = _build({**arguments, "fields": (*base.fields, leaf), "rounding": rounding}, "rounding.leaf")
    if scheme is None:
        return
    for unit in evaluate(scheme, assessments).units:
        for node in unit.nodes():
            assert 0 <= node.points <= node.max, (unit.unit_id, node)


@given(coarse_normalised_rounding_cases())
@example((_COARSE_SCALE, passing(_COARSE_SCALE["fields"])))  # type: ignore[arg-type]
def test_normalised_total_within_scale_when_scale_has_more_decimals_than_rounding(
    case: tuple[dict[str, object], Assessments],
) -> None:
    arguments, assessments = case
    scheme = _build(arguments, "rounding.normalised")
    if scheme is None:
        return
    for unit in evaluate(scheme, assessments).units:
        assert unit.raw_total == unit.max_total
        assert 0 <= unit.normalised_total <= scheme.scale, unit


# --- the two scoring paths ----------------------------------------------------------


@given(spoiled_cases())
def test_leaf_columns_score_each_unit_as_the_reference_path_does(case: Case) -> None:
    """The leaf-at-a-time path gives a unit's row exactly, or leaves the unit to the reference path.

    It must never accept a unit that the reference path finds a problem in.
    """
    scheme, assessments = case
    plan = _Plan.of(scheme)
    scoring = _Scoring.of(scheme, plan)
    units = list(assessments.items)
    with decimal.localcontext(EXACT):
        columns = _score_columns(scheme, plan, scoring, units, _columns(units, _APPRAISED))
        for unit, row in zip(units, columns, strict=True):
            problems: list[object] = []
            reference = _score_unit(scheme, plan, scoring, unit, "appraised", problems)  # type: ignore[arg-type]
            if problems or reference is None:
                assert row is None, (unit.unit.id, problems)
            elif row is not None:
                assert repr(_plain_row(row)) == repr(reference)
