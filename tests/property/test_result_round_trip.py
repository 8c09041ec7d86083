"""Invariants of the result JSON format: a result written and read back is the same result.

Equal to the last digit: every ``Decimal`` comes back with its digits and
exponent (``17.50`` stays ``17.50``, not ``17.5``), every input with its
type (``True`` is not ``Decimal(1)``), and whatever is computed from the
result on demand (node explanations, the JSON and table renderings, look-ups
by unit id) is the same.
"""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parscore import (
    Assessments,
    Scheme,
    dumps_assessments,
    dumps_scheme,
    evaluate,
    get_scheme_package,
    loads_assessments,
    loads_scheme,
)
from parscore.cli import render_table, result_to_json
from parscore.evaluation import Result, UnitResult
from parscore.plugins import available_schemes
from parscore.resultfile import ResultError, dumps_result, loads_result

from .strategies import assessments_for, schemes


def _exact(value: object) -> object:
    """``value`` with every number and input tagged by its type and written exactly."""
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, tuple):
        return tuple(_exact(v) for v in value)
    if isinstance(value, str):
        return ("str", value)
    if value is None:
        return None
    return (type(value).__name__, repr(value))


def _unit_fields(unit: UnitResult) -> object:
    names = [a.alias for a in attrs.fields(UnitResult) if a.eq]  # public names: `rounded`, not `_rounded`
    return _exact(tuple(getattr(unit, name) if name != "band" else attrs.astuple(unit.band) for name in names))


def assert_same(loaded: Result, result: Result) -> None:
    assert loaded == result
    assert loaded.scheme is result.scheme
    assert _exact(attrs.astuple(loaded.provenance)) == _exact(attrs.astuple(result.provenance))
    assert [_unit_fields(u) for u in loaded.units] == [_unit_fields(u) for u in result.units]
    for unit in result.units:
        again = loaded.unit(unit.unit_id)
        assert again == unit
        assert again.nodes() == unit.nodes()
        assert again.total_explanation() == unit.total_explanation()
    assert result_to_json(loaded) == result_to_json(result)
    assert render_table(loaded) == render_table(result)


def _case(scheme: Scheme) -> st.SearchStrategy[tuple[Scheme, Assessments]]:
    return assessments_for(scheme).map(lambda assessments: (scheme, assessments))


@given(schemes().flatmap(_case))
def test_result_json_round_trip(case: tuple[Scheme, Assessments]) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    text = dumps_result(result)
    loaded = loads_result(text, scheme)
    assert_same(loaded, result)
    # Writing is a fixed point: the loaded result writes the same text.
    assert dumps_result(loaded) == text


@given(schemes(leaf_rounding=True, normalised=True).flatmap(_case))
def test_result_json_round_trip_with_rounded_and_dropped_leaves(case: tuple[Scheme, Assessments]) -> None:
    scheme, assessments = case
    result = evaluate(scheme, assessments)
    assert_same(loads_result(dumps_result(result), scheme), result)


@given(schemes(metadata=False).flatmap(_case), st.sampled_from(("title", "revision", "bands")))
def test_a_result_is_refused_for_another_scheme(case: tuple[Scheme, Assessments], change: str) -> None:
    scheme, assessments = case
    text = dumps_result(evaluate(scheme, assessments))
    if change == "title":
        other = attrs.evolve(scheme, title=scheme.title + " (sửa đổi)")
    elif change == "revision":
        other = attrs.evolve(scheme, revision=scheme.revision + 1)
    else:
        other = attrs.evolve(scheme, bands=tuple(attrs.evolve(b, name=b.name + "*") for b in scheme.bands))
    with pytest.raises(ResultError) as caught:
        loads_result(text, other, file="result.json")
    (problem,) = caught.value.problems
    assert problem.key == "provenance.scheme_hash"
    assert problem.file == "result.json"
    assert problem.line is not None
    assert "read it with the scheme it was computed with" in problem.message


# The shipped schemes and their worked examples: real titles, notes, sources and codes.
SHIPPED = sorted(s.id for s in available_schemes() if s.error is None and s.id.startswith("vn."))


@pytest.mark.parametrize("scheme_id", SHIPPED)
def test_shipped_schemes_examples_and_results_round_trip(scheme_id: str) -> None:
    package = get_scheme_package(scheme_id)
    scheme = package.load_scheme()
    text = dumps_scheme(scheme)
    assert loads_scheme(text) == scheme
    assert dumps_scheme(loads_scheme(text)) == text
    for name in package.examples:
        assessments = package.load_example(name).assessments
        assert loads_assessments(dumps_assessments(assessments)) == assessments
        result = evaluate(scheme, assessments)
        assert_same(loads_result(dumps_result(result), scheme), result)


def test_the_shipped_schemes_are_found() -> None:
    assert "vn.dak-nong.krong-no.commune.2022" in SHIPPED
    assert len(SHIPPED) >= 5
