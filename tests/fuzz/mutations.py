"""Hypothesis strategies for broken documents: mutations of valid ones.

Two families:

``mutated(seeds)``
    Text mutations of a valid document: lines deleted, duplicated or
    swapped; values replaced by other TOML types (NaN, infinities, huge
    and float-like numbers, dates, arrays, tables, control characters, NFD
    text); raw text injected (random Unicode without surrogates, brackets,
    quotes, a BOM); a table or array-of-tables entry duplicated; keys
    renamed; deep nesting; the UTF-8 bytes truncated anywhere; the whole
    text normalised to NFD.  Most of these are no longer valid TOML.

``reshaped(seeds)``
    Structural mutations: the document is parsed, a node of its tree is
    deleted, replaced by a value of another type, duplicated, renamed or
    wrapped, and the tree is written back as valid TOML.  These reach the
    checks behind the parser: types, required and unknown keys, duplicates.
"""

from __future__ import annotations

import datetime
import json
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

__all__ = ["Documents", "dump_json", "dump_toml", "mutated", "reshaped", "reshaped_json", "toml_values"]

class Documents(tuple[str, ...]):
    """Documents to mutate, shown by their number only: they are too long to print in a report."""

    def __repr__(self) -> str:
        return f"Documents(<{len(self)} documents of {sum(map(len, self))} characters>)"


# --- values of every TOML type, and the awkward ones --------------------------------

#: Numbers as TOML literals that stress exact parsing: NaN and infinities,
#: numbers too large or too precise for any score, float-like integers,
#: more digits than Python converts to an int by default, and other bases.
_NUMBER_LITERALS = (
    "nan", "+nan", "-nan", "inf", "+inf", "-inf", "0", "-0", "+0", "0.0", "-0.0", "1e0", "1E+5", "1e-5",
    "1e999999999", "-1e999999999", "1e-999999999", "1e-9999999999999999999", "1.0e+1000000",
    "99999999999999999999", "123456789012345678901234567890.123456789012345678901234567890",
    "0.00000000001", "1_000", "1_000.000_1", "0x7fffffffffffffffffffffff", "0o777", "0b101",
    "9" * 4301, "1" + "0" * 5000, "0x" + "f" * 4000, "-" + "9" * 300, "1." + "0" * 3000 + "1",
    "3.14159", "-17.5", "100.5", "4.5", "1e400", "2024", "9223372036854775808",
)
_OTHER_LITERALS = (
    "true", "false", "[]", "{}", "[[]]", "[{}]", "[1, 2]", '[1, "a", 2.5, true]', "{ a = 1 }",
    '{ kind = "pass_fail" }', '{ kind = "nope" }', '{ "1" = 1, "2" = "n/a" }', "[{ a = 1 }, { b = 2 }]",
    "1979-05-27", "1979-05-27T07:32:00Z", "1979-05-27T07:32:00", "07:32:00", "1979-05-27 07:32:00.999999-07:00",
    '""', '" "', "''", '"\\u0000"', '"a\\u0000b"', '"\\u0007\\u001b[31m"', '"\\u007f"', '"\\ud7ff"',
    '"\\U0010FFFF"', '"\\r"', '"\\n"', '"\\t "', '"\\uFEFF"', '"\\u200b"', '"\\u2028"', '"\\u0085"',
    '"n/a"', '"NA"', '"kps"', '"không phát sinh"', '"đạt"', '"không đạt"', '"true"', '"yes"',
    '"4,5"', '"4.5"', '" 17.5 "', '"1e5"', '"1E+999999"', '"NaN"', '"nan"', '"Infinity"', '"-inf"',
    '"0x10"', '"1_000"', '"1,000.5"', '"1.000,5"', '"4,,5"', '"\u0664\u066b\u0665"', '"\uff11\uff12"', '"½"',
    '"-0"', '"+3"',
    '"' + "9" * 40 + '"', '"0.' + "0" * 30 + '1"', '"achieved"', '"in_progress"', '"above"', '"survey"',
    '"competition"', '"dense"', '"full"', '"drop"', '"entered"', '"tiers"',
    "'''\nmulti\nline'''", '"""\nmulti\nline"""', '"""', "'", '"', "[", "{", "= 1", "1 = 1",
)

#: Text a person or a broken export might put in a string.
_AWKWARD_TEXT = (
    "", " ", "\t", "\u00a0", "\ufeff", "\u200b", "\u2028", "\u2029", "\x85", "\x7f", "\x00", "\x1b",
    "Đắk Mâm", unicodedata.normalize("NFD", "Đắk Mâm"), unicodedata.normalize("NFD", "UBND xã Nâm Nung"),
    "x[", "a.b", "[0]", '"', "'", "\\", "#", "=", "\n", "\r\n", "\r", "\U0001d7d9\U0001d7da", "Ⅻ", "ﬁ", "İ", "ß",
)

_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=12) | st.sampled_from(_AWKWARD_TEXT)
_KEYS = st.sampled_from(
    ("id", "name", "code", "title", "max", "rule", "kind", "units", "rows", "fields", "bands", "from",
     "to", "scheme", "year", "format", "points", "total", "unit", "items", "statuses", "status", "where",
     "count", "appraised", "self_assessed", "evidence", "criteria", "subcriteria", "x[", "a.b", "", " ",
     "1", "1.1", "Đ", unicodedata.normalize("NFD", "Đắk"))
) | _TEXT


def _toml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


_SCALAR_LITERALS = st.one_of(
    st.sampled_from(_NUMBER_LITERALS),
    st.sampled_from(_OTHER_LITERALS),
    st.integers(-(10**30), 10**30).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: _float_literal(d)),
    _TEXT.map(_toml_string),
)


def _float_literal(value: Decimal) -> str:
    text = str(value)
    return text if any(c in text for c in ".eE") or not value.is_finite() else f"{text}.0"


def _toml_containers(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Arrays and inline tables of the TOML values ``inner`` draws."""
    arrays = st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]")
    tables = st.lists(st.tuples(_KEYS, inner), max_size=3).map(
        lambda kvs: "{ " + ", ".join(f"{_toml_string(k)} = {v}" for k, v in _unique(kvs)) + " }"
    )
    return arrays | tables


#: Any TOML value as written on the right of ``=``.
toml_values = st.recursive(_SCALAR_LITERALS, _toml_containers, max_leaves=5)


def _unique(pairs: Sequence[tuple[str, Any]]) -> list[tuple[str, Any]]:
    seen: dict[str, Any] = {}
    for key, value in pairs:
        seen.setdefault(key, value)
    return list(seen.items())


# --- text mutations ------------------------------------------------------------------------

Mutation = Callable[[st.DrawFn, str], str]
_KEY = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_ASSIGNMENT = re.compile(rf"^(\s*{_KEY}(?:\s*\.\s*{_KEY})*\s*=\s*)")
_HEADER = re.compile(r"^\s*\[")


def _index(draw: st.DrawFn, items: Sequence[object]) -> int:
    return draw(st.integers(0, max(len(items) - 1, 0)))


def _delete_line(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    del lines[_index(draw, lines)]
    return "\n".join(lines)


def _duplicate_line(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    line = lines[_index(draw, lines)]
    lines.insert(draw(st.integers(0, len(lines))), line)
    return "\n".join(lines)


def _swap_lines(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    i, j = _index(draw, lines), _index(draw, lines)
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _assignments(lines: list[str]) -> list[int]:
    return [i for i, line in enumerate(lines) if _ASSIGNMENT.match(line) and not line.lstrip().startswith("#")]


def _replace_value(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    candidates = _assignments(lines)
    if not candidates:
        return text
    i = draw(st.sampled_from(candidates))
    found = _ASSIGNMENT.match(lines[i])
    assert found is not None
    lines[i] = found.group(1) + draw(toml_values)
    return "\n".join(lines)


def _rename_key(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    candidates = _assignments(lines)
    if not candidates:
        return text
    i = draw(st.sampled_from(candidates))
    _, _, value = lines[i].partition("=")
    lines[i] = f"{_toml_string(draw(_KEYS))} ={value}"
    return "\n".join(lines)


def _add_assignment(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    key = draw(_KEYS)
    lines.insert(draw(st.integers(0, len(lines))), f"{_toml_string(key)} = {draw(toml_values)}")
    return "\n".join(lines)


def _duplicate_table(draw: st.DrawFn, text: str) -> str:
    lines = text.split("\n")
    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    if not headers:
        return text
    start = draw(st.sampled_from(headers))
    end = next((h for h in headers if h > start), len(lines))
    block = lines[start:end]
    to = draw(st.sampled_from([*headers, len(lines)]))
    return "\n".join(lines[:to] + block + lines[to:])


def _inject(draw: st.DrawFn, text: str) -> str:
    piece = draw(
        st.text(st.characters(exclude_categories=("Cs",)), min_size=1, max_size=8)
        | st.sampled_from(("[", "]", "[[", "]]", "{", "}", '"', "'", "=", "\n", ".", ",", "#", "\\", "\ufeff",
                           "\x00", "\x7f", "\r", "\u0301", "\u2028", '"""', "'''", "[x]\n", "[[fields]]\n"))
    )
    at = draw(st.integers(0, len(text)))
    return text[:at] + piece + text[at:]


def _truncate(draw: st.DrawFn, text: str) -> str:
    data = text.encode("utf-8")
    return data[: draw(st.integers(0, len(data)))].decode("utf-8", errors="ignore")


def _bom(draw: st.DrawFn, text: str) -> str:
    return "\ufeff" + text


def _normalise(draw: st.DrawFn, text: str) -> str:
    return unicodedata.normalize(draw(st.sampled_from(("NFD", "NFKC", "NFKD"))), text)


def _nest(draw: st.DrawFn, text: str) -> str:
    depth = draw(st.sampled_from((2, 50, 200, 400, 1000, 3000)))
    opener, closer = draw(st.sampled_from((("[", "]"), ("{ a = ", "}"), ("[{ a = ", "}]"))))
    value = opener * depth + "1" + closer * depth
    lines = text.split("\n")
    lines.insert(draw(st.integers(0, len(lines))), f"nested = {value}")
    return "\n".join(lines)


def _crlf(draw: st.DrawFn, text: str) -> str:
    return text.replace("\n", draw(st.sampled_from(("\r\n", "\r", "\u2028", "\x85"))))


MUTATIONS: tuple[Mutation, ...] = (
    _delete_line, _duplicate_line, _swap_lines, _replace_value, _replace_value, _replace_value,
    _rename_key, _add_assignment, _duplicate_table, _inject, _truncate, _bom, _normalise, _nest, _crlf,
)


@st.composite
def mutated(draw: st.DrawFn, seeds: Sequence[str], max_mutations: int = 4) -> str:
    """A valid document of ``seeds`` after one to ``max_mutations`` text mutations."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, max_mutations))):
        text = draw(st.sampled_from(MUTATIONS))(draw, text)
    return text


# --- structural mutations ---------------------------------------------------------------------


_DATES = st.sampled_from((
    datetime.date(2022, 11, 18), datetime.datetime(2022, 11, 18, 7, 30), datetime.time(7, 30),
    datetime.datetime(2022, 11, 18, 7, 30, tzinfo=datetime.timezone.utc),
))
_SCALARS = st.one_of(
    st.booleans(),
    st.integers(),
    st.integers(-(10**40), 10**40),
    st.decimals(),
    st.sampled_from(tuple(Decimal(x) for x in ("NaN", "-Infinity", "1E+999999999", "1E-999999999", "-0", "4.5"))),
    _TEXT,
    st.sampled_from(("4,5", "1e5", "NaN", "n/a", "đạt", "x", "1.1", "achieved", "entered", "pass_fail")),
    _DATES,
)
def _containers(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Arrays and tables of the values ``inner`` draws."""
    return st.lists(inner, max_size=3) | st.dictionaries(_KEYS, inner, max_size=3)


_TREES = st.recursive(_SCALARS, _containers, max_leaves=6)


def _paths(tree: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [path]
    if isinstance(tree, dict):
        for key, value in tree.items():
            found += _paths(value, (*path, key))
    elif isinstance(tree, list):
        for i, value in enumerate(tree):
            found += _paths(value, (*path, i))
    return found


def _at(tree: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        tree = tree[part]
    return tree


def _mutate_tree(draw: st.DrawFn, tree: Any, max_mutations: int) -> None:
    """Change one to ``max_mutations`` nodes of ``tree`` in place."""
    for _ in range(draw(st.integers(1, max_mutations))):
        paths = _paths(tree)
        path = draw(st.sampled_from(paths))
        action = draw(st.sampled_from(("delete", "replace", "replace", "duplicate", "rename", "wrap", "add")))
        if not path:
            action = "add"
        if action == "add":
            target = _at(tree, path)
            if isinstance(target, dict):
                target[draw(_KEYS)] = draw(_TREES)
            elif isinstance(target, list):
                target.insert(draw(st.integers(0, len(target))), draw(_TREES))
            continue
        parent, last = _at(tree, path[:-1]), path[-1]
        if action == "delete":
            del parent[last]
        elif action == "replace":
            parent[last] = draw(_TREES)
        elif action == "wrap":
            parent[last] = [parent[last]] if draw(st.booleans()) else {draw(_KEYS): parent[last]}
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(last, _copy(parent[last]))
        elif action in ("duplicate", "rename") and isinstance(parent, dict):
            value = parent.pop(last) if action == "rename" else _copy(parent[last])
            parent[draw(_KEYS)] = value


@st.composite
def reshaped(draw: st.DrawFn, seeds: Sequence[str], max_mutations: int = 3) -> str:
    """A valid TOML document of ``seeds`` with one to ``max_mutations`` nodes of its tree changed."""
    tree = tomllib.loads(draw(st.sampled_from(seeds)), parse_float=Decimal)
    _mutate_tree(draw, tree, max_mutations)
    return dump_toml(tree)


@st.composite
def reshaped_json(draw: st.DrawFn, seeds: Sequence[str], max_mutations: int = 3) -> str:
    """A valid JSON document of ``seeds`` with one to ``max_mutations`` nodes of its tree changed."""
    tree = json.loads(draw(st.sampled_from(seeds)), parse_float=Decimal)
    if not isinstance(tree, (dict, list)) or not tree:
        return json.dumps(tree)
    _mutate_tree(draw, tree, max_mutations)
    return dump_json(tree, indent=draw(st.sampled_from((None, 2))))


def _copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


# --- writing a tree back as TOML ---------------------------------------------------------------


def _key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else _toml_string(key)


def _inline(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "nan"
        if value.is_infinite():
            return "-inf" if value < 0 else "inf"
        return _float_literal(value)
    if isinstance(value, str):
        return _toml_string(value)
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_inline(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_inline(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__}")


def _is_array_of_tables(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _write(table: dict[str, Any], path: list[str], out: list[str]) -> None:
    nested = [(k, v) for k, v in table.items() if isinstance(v, dict) or _is_array_of_tables(v)]
    for key, value in table.items():
        if not (isinstance(value, dict) or _is_array_of_tables(value)):
            out.append(f"{_key(key)} = {_inline(value)}")
    for key, value in nested:
        dotted = ".".join(_key(p) for p in [*path, key])
        if isinstance(value, dict):
            out.append(f"\n[{dotted}]")
            _write(value, [*path, key], out)
        else:
            for item in value:
                out.append(f"\n[[{dotted}]]")
                _write(item, [*path, key], out)


def dump_toml(tree: dict[str, Any]) -> str:
    """``tree`` as TOML that ``tomllib`` reads back equal: tables and arrays of tables as headers."""
    out: list[str] = []
    _write(tree, [], out)
    return "\n".join(out) + "\n"


# --- writing a tree back as JSON ----------------------------------------------------------------


def _json(value: Any, indent: int | None, depth: int = 0) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return "NaN"
        if value.is_infinite():
            return "-Infinity" if value < 0 else "Infinity"
        return str(value)  # valid JSON number syntax, with the exact digits
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (datetime.date, datetime.time)):
        return json.dumps(value.isoformat())
    if isinstance(value, (list, dict)):
        items = (
            [_json(v, indent, depth + 1) for v in value]
            if isinstance(value, list)
            else [f"{json.dumps(k, ensure_ascii=False)}: {_json(v, indent, depth + 1)}" for k, v in value.items()]
        )
        opener, closer = ("[", "]") if isinstance(value, list) else ("{", "}")
        if indent is None or not items:
            return opener + ", ".join(items) + closer
        inner = "\n" + " " * (indent * (depth + 1))
        return opener + inner + ("," + inner).join(items) + "\n" + " " * (indent * depth) + closer
    raise TypeError(f"cannot write {type(value).__name__}")


def dump_json(tree: Any, indent: int | None = None) -> str:
    """``tree`` as JSON, numbers written with their exact digits (NaN and infinities as Python writes them)."""
    return _json(tree, indent) + "\n"
