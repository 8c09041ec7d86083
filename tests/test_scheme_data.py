"""Data-driven scheme tests, in the style of tomli's ``tests/test_data.py``.

``data/schemes/valid/NAME.toml`` must load, and the loaded scheme, written
out as plain JSON by ``describe`` below, must equal ``NAME.json``.

``data/schemes/invalid/NAME.toml`` must fail with a ``SchemeError`` whose
message is exactly ``NAME.txt``.  Each file is loaded with the stable name
``invalid/NAME.toml`` so that messages do not depend on where the tests run.

To add a case, write the TOML, run the loader on it, and read the message
before saving it as the expected outcome: it is the test's claim that the
message is right.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

from parscore import SchemeError, loads_scheme
from parscore.model import Node, Scheme

DATA = Path(__file__).parent / "data" / "schemes"
VALID = sorted((DATA / "valid").glob("*.toml"))
INVALID = sorted((DATA / "invalid").glob("*.toml"))


def _number(value: Decimal | None) -> str | None:
    # ``str`` of a Decimal keeps what was written (5.50 stays 5.50), so the
    # expected files also check that the loader keeps numbers exact.
    return None if value is None else str(value)


def _rule(node: Node) -> dict[str, Any] | None:
    if node.rule is None:
        return None
    table: dict[str, Any] = {"kind": node.rule.kind}
    for a in attrs.fields(type(node.rule)):
        value = getattr(node.rule, a.name)
        if a.name == "tiers":
            table["tiers"] = [[_number(t.at_least), _number(t.points)] for t in value]
        else:
            table[a.name] = _number(value)
    return table


def _node(node: Node) -> dict[str, Any]:
    return {
        "code": node.code,
        "title": node.title,
        "max": _number(node.max),
        "rule": _rule(node),
        "not_applicable": node.not_applicable.value if node.not_applicable else None,
        "note": node.note,
        "children": [_node(c) for c in node.children],
    }


def describe(scheme: Scheme) -> dict[str, Any]:
    """The loaded scheme as plain JSON data, independent of parscore's own writers."""
    source = None
    if scheme.source is not None:
        source = {
            a.name: _number(v) if isinstance(v, Decimal) else v
            for a in attrs.fields(type(scheme.source))
            for v in [getattr(scheme.source, a.name)]
        }
    return {
        "id": scheme.id,
        "title": scheme.title,
        "issuer": scheme.issuer,
        "level": scheme.level,
        "year": scheme.year,
        "format": scheme.format,
        "revision": scheme.revision,
        "total": _number(scheme.total),
        "description": scheme.description,
        "source": source,
        "ranking": scheme.ranking.method.value,
        "rounding": {"leaf": scheme.rounding.leaf, "normalised": scheme.rounding.normalised},
        "normalisation": _number(scheme.normalisation.scale) if scheme.normalisation else None,
        "bands": [[b.name, _number(b.lower), _number(b.upper)] for b in scheme.bands],
        "max_total": _number(scheme.max_total),
        "leaves": [n.code for n in scheme.leaves()],
        "fields": [_node(f) for f in scheme.fields],
    }


def test_there_is_data() -> None:
    # A glob that silently matches nothing would make every test below vacuous.
    assert len(VALID) >= 4
    assert len(INVALID) >= 25


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.stem)
def test_valid(path: Path) -> None:
    scheme = loads_scheme(path.read_text(encoding="utf-8"), file=f"valid/{path.name}")
    expected = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert describe(scheme) == expected


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid(path: Path) -> None:
    expected = path.with_suffix(".txt").read_text(encoding="utf-8").rstrip("\n")
    with pytest.raises(SchemeError) as info:
        loads_scheme(path.read_text(encoding="utf-8"), file=f"invalid/{path.name}")
    assert str(info.value) == expected
    # Every problem names the file it was found in.
    assert info.value.source == f"invalid/{path.name}"
    assert all(p.file == f"invalid/{path.name}" for p in info.value.problems)


def test_every_invalid_file_has_its_message() -> None:
    missing = [p.name for p in INVALID if not p.with_suffix(".txt").exists()]
    assert missing == []
    missing = [p.name for p in VALID if not p.with_suffix(".json").exists()]
    assert missing == []
