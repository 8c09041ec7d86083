"""Invariants of the analyses on drawn schemes and assessments that fit them.

Each test is named after the invariant it checks.  The strategies come from
``strategies.py``; those only these tests need are defined here.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

from hypothesis import given
from hypothesis import strategies as st

from parscore import Assessment, Assessments, Observation, Result, Scheme, evaluate, round_half_up
from parscore.analysis import adjustments, compare_years, distribution, gap_table
from parscore.tables import Table

from .strategies import assessments_for, cases, schemes

Case = tuple[Scheme, Assessments]
ZERO = Decimal(0)


def _number(cell: object) -> Decimal:
    assert isinstance(cell, Decimal), cell
    return cell


@st.composite
def two_years(draw: st.DrawFn, *, normalised: bool | None = None) -> tuple[Scheme, Assessments, Assessments]:
    """One scheme and two sets of assessments of the same units (a "before" and an "after")."""
    scheme = draw(schemes(normalised=normalised, metadata=False))
    first = draw(assessments_for(scheme))
    second = draw(assessments_for(scheme, min_units=len(first), max_units=len(first)))
    items = tuple(
        Assessment(old.unit, new.observations) for old, new in zip(first.items, second.items, strict=True)
    )
    return scheme, first, Assessments(scheme.id, items)


@st.composite
def shuffled(draw: st.DrawFn, assessments: Assessments) -> Assessments:
    """The same assessments with units and observations in another order."""
    items = [Assessment(a.unit, tuple(draw(st.permutations(a.observations)))) for a in assessments.items]
    return Assessments(assessments.scheme_id, tuple(draw(st.permutations(items))))


def _self_assessed_as_appraised(assessments: Assessments) -> Assessments:
    """Every unit self-assesses exactly what the appraisal gave."""
    return Assessments(assessments.scheme_id, tuple(
        Assessment(a.unit, tuple(Observation(o.code, o.appraised, o.appraised, o.evidence)
                                 for o in a.observations))
        for a in assessments.items
    ))


def _renders(tables: list[Table]) -> list[str]:
    return [t.render(f, loc) for t in tables for f in ("text", "md", "csv", "json") for loc in ("en", "vi")]


@given(cases())
def test_gaps_sum_to_max_minus_total(case: Case) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    fields = {f.code for f in scheme.fields}
    for unit in result.units:
        table = gap_table(result, unit.unit_id)
        records = table.records()
        total = records[-1]
        assert (total["code"], total["max"], total["points"]) == ("", unit.max_total, unit.raw_total)
        assert total["gap"] == unit.max_total - unit.raw_total
        field_gaps = [_number(r["gap"]) for r in records[:-1] if r["code"] in fields]
        assert sum(field_gaps, ZERO) == total["gap"]
        gaps = {r["code"]: _number(r["gap"]) for r in records[:-1]}
        for node in scheme.nodes():
            record = next(r for r in records if r["code"] == node.code)
            assert record["gap"] == _number(record["max"]) - _number(record["points"]) >= 0
            if node.children:
                assert sum((gaps[c.code] for c in node.children), ZERO) == gaps[node.code]


@given(cases(), st.integers(1, 5))
def test_top_gaps_are_the_largest_leaf_gaps(case: Case, top: int) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    unit = result.units[0]
    leaves = {n.code for n in scheme.leaves()}
    losing = sorted((n.gap for n in unit.nodes() if n.code in leaves and n.gap > 0), reverse=True)
    table = gap_table(result, unit.unit_id, sort="gap", top=top)
    assert [_number(g) for g in table.column("gap")[:-1]] == losing[:top]
    assert table.rows[-1] == gap_table(result, unit.unit_id).rows[-1]


@given(two_years())
def test_comparison_deltas_sum_to_total_delta(years: tuple[Scheme, Assessments, Assessments]) -> None:
    scheme, first, second = years
    before, after = evaluate(scheme, first), evaluate(scheme, second)
    comparison = compare_years(before, after)
    assert not comparison.unmatched
    assert len(comparison.units.rows) == len(after.units)
    changes: dict[str, Decimal] = {}
    for record in comparison.fields.records():
        unit_id = str(record["unit"])
        changes[unit_id] = changes.get(unit_id, ZERO) + _number(record["change"])
    for record in comparison.units.records():
        unit_id = str(record["unit"])
        old, new = before.unit(unit_id), after.unit(unit_id)
        assert record["change"] == new.score - old.score
        # Field changes are of raw points: they add up to the change of the raw total,
        # which is the score whenever the scheme does not normalise.
        assert changes[unit_id] == new.raw_total - old.raw_total
        if scheme.normalisation is None:
            assert changes[unit_id] == record["change"]


@given(two_years())
def test_comparison_summary_partitions_the_units(years: tuple[Scheme, Assessments, Assessments]) -> None:
    scheme, first, second = years
    comparison = compare_years(evaluate(scheme, first), evaluate(scheme, second))
    counts = comparison.summary.column("units")
    compared = counts[0]
    assert compared == len(first)
    assert counts[1] + counts[2] + counts[3] == compared  # type: ignore[operator]
    assert counts[4] + counts[5] + counts[6] == compared  # type: ignore[operator]
    assert counts[7] + counts[8] + counts[9] == compared  # type: ignore[operator]
    assert counts[10] == counts[11] == 0
    rose, fell = comparison.summary.rows[1][2], comparison.summary.rows[2][2]
    changes = [_number(c) for c in comparison.units.column("change")]
    assert rose == sum((c for c in changes if c > 0), ZERO)
    assert fell == -sum((c for c in changes if c < 0), ZERO)


@given(cases())
def test_band_counts_sum_to_number_of_units(case: Case) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    bands = distribution(result).bands
    assert bands.column("band") == tuple(b.name for b in scheme.bands)
    assert sum(int(str(c)) for c in bands.column("units")) == len(result.units)
    for band, count in zip(scheme.bands, bands.column("units"), strict=True):
        assert count == sum(1 for u in result.units if u.band.name == band.name)


@given(cases())
def test_band_percentages_sum_to_100_within_rounding(case: Case) -> None:
    scheme, assessments = case
    bands = distribution(evaluate(scheme, assessments)).bands
    shares = [_number(s) for s in bands.column("percentage")]
    # Exact shares are divisions to 34 digits (added here without rounding);
    # each shown share is off by at most 0.05.
    with localcontext() as context:
        context.prec = 100
        assert abs(sum(shares, ZERO) - 100) <= Decimal("1e-30")
    shown = sum((round_half_up(s, 1) for s in shares), ZERO)
    assert abs(shown - 100) <= Decimal("0.05") * len(shares)


@given(cases())
def test_distribution_extremes_bound_the_average(case: Case) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    table = distribution(result).fields
    for record in table.records():
        low, high = _number(record["minimum"]), _number(record["maximum"])
        assert low <= _number(record["average"]) <= high
        assert record["spread"] == high - low
    assert table.records()[-1]["average"] == result.average_total()
    assert [r["average"] for r in table.records()[:-1]] == [a for _, a in result.field_averages()]


@given(cases())
def test_adjustments_vanish_when_self_assessment_is_the_appraisal(case: Case) -> None:
    scheme, assessments = case
    result = adjustments(scheme, _self_assessed_as_appraised(assessments))
    assert all(d == 0 for d in result.nodes.column("difference"))
    assert set(result.ranking.column("rank")) == {1}
    assert set(result.ranking.column("adjusted")) == {0}


@given(two_years())
def test_adjustments_are_self_assessed_minus_appraised(
    years: tuple[Scheme, Assessments, Assessments],
) -> None:
    scheme, first, second = years
    # The first set's values stand as each unit's self-assessment of the second.
    claimed = {a.unit.id: {o.code: o.appraised for o in a.observations} for a in first.items}
    items = tuple(
        Assessment(a.unit, tuple(
            Observation(o.code, o.appraised, claimed[a.unit.id][o.code]) for o in a.observations
        ))
        for a in second.items
    )
    result = adjustments(scheme, Assessments(scheme.id, items))
    own, official = evaluate(scheme, first), evaluate(scheme, second)
    differences = [_number(d) for d in result.ranking.column("difference")]
    assert differences == sorted(differences, reverse=True)
    for record in result.ranking.records():
        unit_id = str(record["unit"])
        assert record["difference"] == own.unit(unit_id).score - official.unit(unit_id).score
    for record in result.nodes.records():
        unit_id = str(record["unit"])
        code = str(record["code"])
        assert record["difference"] == (
            own.unit(unit_id).node(code).points - official.unit(unit_id).node(code).points)


@given(st.data())
def test_renders_do_not_depend_on_input_order(data: st.DataObject) -> None:
    scheme, first, second = data.draw(two_years())
    first_shuffled, second_shuffled = data.draw(shuffled(first)), data.draw(shuffled(second))

    def tables(before_in: Assessments, after_in: Assessments) -> list[Table]:
        before: Result = evaluate(scheme, before_in)
        after: Result = evaluate(scheme, after_in)
        comparison = compare_years(before, after)
        spread = distribution(after)
        adjusted = adjustments(scheme, _self_assessed_as_appraised(after_in))
        unit_id = min(u.unit_id for u in after.units)
        return [
            gap_table(after, unit_id), gap_table(after, unit_id, sort="gap", top=3),
            comparison.units, comparison.fields, comparison.summary,
            spread.fields, spread.bands, adjusted.nodes, adjusted.ranking,
        ]

    assert _renders(tables(first_shuffled, second_shuffled)) == _renders(tables(first, second))
