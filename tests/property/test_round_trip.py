"""Invariants of the TOML formats: what is written reads back equal."""

from __future__ import annotations

from decimal import Decimal

import attrs
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from parscore import (
    Assessment,
    Assessments,
    Observation,
    Scheme,
    Unit,
    dumps_assessments,
    dumps_scheme,
    loads_assessments,
    loads_scheme,
    scheme_hash,
)

from .strategies import assessments_for, codes, free_assessments, one_leaf_scheme, schemes, texts


@given(schemes())
def test_scheme_toml_round_trip(scheme: Scheme) -> None:
    text = dumps_scheme(scheme)
    loaded = loads_scheme(text)
    assert loaded == scheme
    assert scheme_hash(loaded) == scheme_hash(scheme)
    # Writing is a fixed point: the loaded scheme writes the same text.
    assert dumps_scheme(loaded) == text


@given(free_assessments() | schemes(metadata=False).flatmap(assessments_for))
def test_assessments_toml_round_trip(assessments: Assessments) -> None:
    text = dumps_assessments(assessments)
    loaded = loads_assessments(text)
    assert loaded == assessments
    assert dumps_assessments(loaded) == text


def _with_del(text: str, position: int) -> str:
    position %= len(text) + 1
    return f"{text[:position]}\x7f{text[position:]}"


@given(schemes(metadata=False), texts(max_size=6), st.integers(0, 6))
@example(Scheme(**one_leaf_scheme(Decimal(1))), "a", 1)  # type: ignore[arg-type]
def test_scheme_toml_round_trip_with_del_in_a_title(scheme: Scheme, title: str, position: int) -> None:
    # U+007F (DEL) is the one character TOML forbids raw that JSON escaping leaves raw.
    scheme = attrs.evolve(scheme, title=_with_del(title, position))
    assert loads_scheme(dumps_scheme(scheme)) == scheme


# --- once bugs, now guarded ------------------------------------------------------


@given(texts(max_size=6), st.integers(0, 6))
@example("a", 1)
def test_assessments_toml_round_trip_with_del_in_evidence(evidence: str, position: int) -> None:
    unit = Assessment(
        Unit("u1", "UBND xã Nâm Nung"), (Observation("1", 1, None, _with_del(evidence, position)),)
    )
    assessments = Assessments(None, (unit,))
    assert loads_assessments(dumps_assessments(assessments)) == assessments


@given(st.sampled_from(("", " ", "\t")))
def test_a_unit_without_a_name_is_refused_so_it_can_never_be_written(name: str) -> None:
    with pytest.raises(ValueError, match="needs a name"):
        Unit("u1", name)


@given(codes)
def test_an_empty_observation_is_refused_so_it_can_never_be_lost(code: str) -> None:
    with pytest.raises(ValueError, match="has no appraised value, no self-assessed value and no evidence"):
        Observation(code)
