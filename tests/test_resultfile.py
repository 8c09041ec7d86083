"""Where ``loads_result`` places the problems of a result file: the line of the key they concern."""

from __future__ import annotations

import json
from typing import Any

import pytest

from parscore import Scheme, evaluate, loads_assessments, loads_scheme
from parscore.catalogue import EXAMPLE_ASSESSMENTS, EXAMPLE_SCHEME
from parscore.resultfile import ResultError, dumps_result, loads_result


@pytest.fixture(scope="module")
def scheme() -> Scheme:
    return loads_scheme(EXAMPLE_SCHEME)


def _changed(scheme: Scheme, unit: int, table: str, code: str | None = None) -> str:
    """The example result with ``code`` left out of ``table`` of unit ``unit`` (the whole table without a code)."""
    data: dict[str, Any] = json.loads(dumps_result(evaluate(scheme, loads_assessments(EXAMPLE_ASSESSMENTS))))
    if code is None:
        del data["units"][unit][table]
    else:
        del data["units"][unit][table][code]
    return json.dumps(data, ensure_ascii=False, indent=2)


def _line(text: str, unit: int, key: str | None = None) -> int:
    """The line where unit ``unit`` starts, or of its ``"key":``, in a result laid out as ``dumps_result`` writes it."""
    lines = text.split("\n")
    start = [i for i, line in enumerate(lines) if line == "    {"][unit]
    if key is None:
        return start + 1
    return next(i for i in range(start, len(lines)) if lines[i].lstrip().startswith(f'"{key}":')) + 1


@pytest.mark.parametrize(
    ("unit", "table", "code", "key"),
    [
        (0, "points", "3.2", 'units[0].points."3.2"'),  # 3.2 is written further on in the unit's inputs
        (0, "points", "1", "units[0].points.1"),  # 1 is written further on in the next unit's points only
        (1, "points", "2.1", 'units[1].points."2.1"'),
        (0, "field_ranks", "2", "units[0].field_ranks.2"),  # 2 is written further on in the unit's points
        (0, "inputs", "1.1", 'units[0].inputs."1.1"'),  # 1.1 is written further on in the next unit
    ],
)
def test_a_missing_code_is_placed_at_its_table(scheme: Scheme, unit: int, table: str, code: str, key: str) -> None:
    text = _changed(scheme, unit, table, code)
    with pytest.raises(ResultError) as caught:
        loads_result(text, scheme, file="result.json")
    (problem,) = caught.value.problems
    assert (problem.file, problem.key, problem.message, problem.code) == (
        "result.json", key, "missing: every code of the scheme needs a value", "PS427"
    )
    assert problem.line == _line(text, unit, table)


def test_the_catalogue_example_points_at_the_points_table(scheme: Scheme) -> None:
    text = _changed(scheme, 0, "points", "3.2")
    assert text.split("\n")[24] == '      "points": {'
    with pytest.raises(ResultError) as caught:
        loads_result(text, scheme)
    assert str(caught.value) == (
        '1 problem\n  - line 25 (units[0].points."3.2"): missing: every code of the scheme needs a value'
    )


def test_a_missing_key_is_placed_at_its_unit(scheme: Scheme) -> None:
    text = _changed(scheme, 1, "points")
    with pytest.raises(ResultError) as caught:
        loads_result(text, scheme)
    (problem,) = caught.value.problems
    assert (problem.key, problem.message) == ("units[1].points", "required key is missing")
    assert problem.line == _line(text, 1)
