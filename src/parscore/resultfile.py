"""Results as JSON: everything a ``Result`` holds, written exactly and read back equal.

``dumps_result`` writes every unit's totals, band, rank and field ranks, the
points (and, where leaves were dropped, the maximum) of every node, each
leaf's input as its rule read it, the leaf points rounded and the
provenance.  Numbers are JSON text in Python's exact ``Decimal`` notation
(``"17.50"``, ``"1E+1"``, ``"-0"``), so every digit and exponent comes back.

``loads_result`` rebuilds the ``Result`` for the scheme it was computed
with: a result whose provenance names another scheme (another content hash)
is refused, since its points would be read against the wrong tree.  Every
other problem (malformed JSON, a missing or unknown key, a wrong type, a
code the scheme does not have, a band it does not name) is collected and
raised together as one ``ResultError`` with the key path of each.

The format, for one unit of a two-node scheme::

    {
      "format": "parscore result 1",
      "provenance": {"scheme_id": "vn.demo.commune.2023", "scheme_revision": 0,
                     "scheme_hash": "sha256:…", "parscore_version": "…",
                     "input_hash": "sha256:…", "basis": "appraised"},
      "units": [
        {"id": "a", "name": "UBND xã A", "rank": 1, "raw_total": "9.5",
         "max_total": "10", "normalised_total": "9.5", "band": "Tốt",
         "field_ranks": {"1": 1}, "points": {"1": "9.5", "1.1": "3.5", "1.2": "6"},
         "maxima": null, "inputs": {"1.1": "3.5", "1.2": "6"}, "rounded": []}
      ]
    }

``inputs`` holds a number as text, ``true`` or ``false`` (pass/fail), or
``"n/a"`` for a leaf marked not applicable; ``rounded`` lists each leaf whose
points were rounded, with its points before rounding.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from decimal import MAX_EMAX, MIN_EMIN, Decimal
from pathlib import Path
from typing import Any

from . import _toml
from .assessments import NOT_APPLICABLE
from .errors import InputError, Problem
from .evaluation import Provenance, Result, UnitResult, _Plan
from .model import Band, Scheme
from .schemefile import scheme_hash

__all__ = ["FORMAT", "ResultError", "dumps_result", "load_result", "loads_result"]

#: The format marker every result file starts with.
FORMAT = "parscore result 1"
_BASES = ("appraised", "self_assessed")
_TOP_KEYS = ("format", "provenance", "units")
_PROVENANCE_KEYS = ("scheme_id", "scheme_revision", "scheme_hash", "parscore_version", "input_hash", "basis")
_UNIT_KEYS = ("id", "name", "rank", "raw_total", "max_total", "normalised_total", "band", "field_ranks",
              "points", "maxima", "inputs", "rounded")
#: Python's exact notation of a finite ``Decimal``, as ``str`` writes it.
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
#: No result holds a number this long; longer text is refused before it is read.
_MAX_NUMBER_TEXT = 200
#: The problems of a key that is not in the text: each is placed at the line of its parent (a
#: missing code at its ``points``, ``maxima``, ``inputs`` or ``field_ranks`` table, not at the
#: same code further on in another table).
_REQUIRED = "required key is missing"
_MISSING_CODE = "missing: every code of the scheme needs a value"


class ResultError(InputError):
    """A result file is malformed or was computed with another scheme."""


# --- writing ---------------------------------------------------------------------


def _number(value: Decimal) -> str:
    return str(value)


def _input(value: object) -> str | bool:
    if value is NOT_APPLICABLE:
        return "n/a"
    if isinstance(value, bool):
        return value
    if isinstance(value, Decimal):
        return _number(value)
    raise TypeError(f"cannot write a leaf input of type {type(value).__name__}: {value!r}")


def _unit(unit: UnitResult, plan: _Plan) -> dict[str, Any]:
    codes = [node.code for node in plan.nodes]
    return {
        "id": unit.unit_id,
        "name": unit.name,
        "rank": unit.rank,
        "raw_total": _number(unit.raw_total),
        "max_total": _number(unit.max_total),
        "normalised_total": _number(unit.normalised_total),
        "band": unit.band.name,
        "field_ranks": dict(unit.field_ranks),
        "points": dict(zip(codes, map(_number, unit.points), strict=True)),
        "maxima": None if unit.maxima is None else dict(zip(codes, map(_number, unit.maxima), strict=True)),
        "inputs": {
            plan.nodes[i].code: _input(value) for i, value in zip(plan.leaves, unit.inputs, strict=True)
        },
        "rounded": [[plan.nodes[i].code, _number(before)] for i, before in unit.rounded],
    }


def dumps_result(result: Result) -> str:
    """``result`` as JSON that ``loads_result`` reads back to an equal ``Result``."""
    plan = _Plan.of(result.scheme)
    p = result.provenance
    data = {
        "format": FORMAT,
        "provenance": {
            "scheme_id": p.scheme_id,
            "scheme_revision": p.scheme_revision,
            "scheme_hash": p.scheme_hash,
            "parscore_version": p.parscore_version,
            "input_hash": p.input_hash,
            "basis": p.basis,
        },
        "units": [_unit(u, plan) for u in result.units],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# --- reading ------------------------------------------------------------------------


class _Object(dict[str, Any]):
    """A JSON object, remembering the keys it was given more than once."""

    duplicates: tuple[str, ...] = ()


def _pairs(pairs: list[tuple[str, Any]]) -> _Object:
    obj = _Object(pairs)
    if len(obj) < len(pairs):
        keys = [k for k, _ in pairs]
        obj.duplicates = tuple(sorted({k for k in keys if keys.count(k) > 1}))
    return obj


class _Constant(ValueError):
    pass


def _constant(name: str) -> object:
    raise _Constant(f"{name} is not a number parscore reads")


def _key(key: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{key}[{part}]"
    shown = part if re.fullmatch(r"[A-Za-z0-9_-]+", part) else json.dumps(part, ensure_ascii=False)
    return f"{key}.{shown}" if key else shown


def _describe(value: object) -> str:
    if isinstance(value, float):
        return f"the JSON number {value!r} (numbers are written as text)"
    if value is None:
        return "null"
    return _toml._describe(value)


class _Reader:
    """Reads the parsed JSON against the scheme, collecting every problem with its key path."""

    def __init__(self, scheme: Scheme) -> None:
        self.scheme = scheme
        self.plan = _Plan.of(scheme)
        self.codes = tuple(node.code for node in self.plan.nodes)
        self.leaf_codes = tuple(self.plan.nodes[i].code for i in self.plan.leaves)
        self.field_codes = tuple(self.plan.nodes[i].code for i in self.plan.fields)
        self.bands = {band.name: band for band in reversed(scheme.bands)}
        self.found: list[Problem] = []

    def problem(self, message: str, key: str) -> None:
        self.found.append(Problem(message, key=key))

    def table(self, value: object, key: str, keys: tuple[str, ...] | None = None) -> dict[str, Any] | None:
        """``value`` when it is a JSON object, with exactly ``keys`` when they are given."""
        if not isinstance(value, dict):
            self.problem(f"expected an object, got {_describe(value)}", key)
            return None
        for name in getattr(value, "duplicates", ()):
            self.problem("key given more than once", _key(key, name))
        if keys is not None:
            for name in value:
                if name not in keys:
                    self.problem(f"unknown key {name!r}", _key(key, name))
            for name in keys:
                if name not in value:
                    self.problem(_REQUIRED, _key(key, name))
        return value

    def text(self, value: object, key: str, *, blank: bool = True) -> str | None:
        if not isinstance(value, str):
            self.problem(f"expected text, got {_describe(value)}", key)
            return None
        if not blank and not value.strip():
            self.problem("must not be blank", key)
            return None
        return value

    def whole(self, value: object, key: str, least: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(f"expected a whole number, got {_describe(value)}", key)
            return None
        if value < least:
            self.problem(f"expected a whole number of at least {least}, got {value}", key)
            return None
        return value

    def number(self, value: object, key: str) -> Decimal | None:
        """An exact number written as text, as ``dumps_result`` writes every ``Decimal``."""
        if not isinstance(value, str):
            self.problem(f"expected a number written as text, such as \"17.5\", got {_describe(value)}", key)
            return None
        if len(value) > _MAX_NUMBER_TEXT or not _NUMBER.fullmatch(value):
            shown = value if len(value) <= 40 else value[:39] + "…"
            self.problem(f"expected a number written as text, such as \"17.5\", got {shown!r}", key)
            return None
        try:
            number = Decimal(value)
        except ArithmeticError:
            number = None
        if number is None or not MIN_EMIN <= number.adjusted() <= MAX_EMAX:
            self.problem(f"the number {value[:40]} is out of range", key)
            return None
        return number

    def by_code(
        self, value: object, key: str, codes: tuple[str, ...], read: Callable[[object, str], Any]
    ) -> tuple[Any, ...] | None:
        """One value for each of ``codes``, in that order, from an object keyed by code."""
        table = self.table(value, key)
        if table is None:
            return None
        for code in table:
            if code not in codes:
                self.problem(f"scheme {self.scheme.id!r} has no such code here", _key(key, code))
        values = []
        complete = True
        for code in codes:
            if code not in table:
                self.problem(_MISSING_CODE, _key(key, code))
                complete = False
                continue
            item = read(table[code], _key(key, code))
            complete = complete and item is not None
            values.append(item)
        return tuple(values) if complete and len(table) == len(codes) else None

    def leaf_input(self, value: object, key: str) -> object:
        if isinstance(value, bool):
            return value
        if value == "n/a":
            return NOT_APPLICABLE
        return self.number(value, key)

    def provenance(self, value: object) -> Provenance | None:
        table = self.table(value, "provenance", _PROVENANCE_KEYS)
        if table is None or any(name not in table for name in _PROVENANCE_KEYS):
            return None
        texts: dict[str, str] = {}
        for name in _PROVENANCE_KEYS:
            if name != "scheme_revision":
                text = self.text(table[name], f"provenance.{name}")
                if text is not None:
                    texts[name] = text
        revision = self.whole(table["scheme_revision"], "provenance.scheme_revision", 0)
        if revision is None or len(texts) < len(_PROVENANCE_KEYS) - 1:
            return None
        if texts["basis"] not in _BASES:
            self.problem(f"expected one of {', '.join(map(repr, _BASES))}, got {texts['basis']!r}",
                         "provenance.basis")
            return None
        expected = scheme_hash(self.scheme)
        if texts["scheme_hash"] != expected:
            self.problem(
                f"this result was computed with scheme {texts['scheme_id']!r} revision {revision}"
                f" ({texts['scheme_hash']}), not with the scheme given, {self.scheme.id!r} revision"
                f" {self.scheme.revision} ({expected}); read it with the scheme it was computed with",
                "provenance.scheme_hash",
            )
            return None
        if texts["scheme_id"] != self.scheme.id:
            self.problem(f"the scheme's id is {self.scheme.id!r}, not {texts['scheme_id']!r}",
                         "provenance.scheme_id")
        if revision != self.scheme.revision:
            self.problem(f"the scheme's revision is {self.scheme.revision}, not {revision}",
                         "provenance.scheme_revision")
        return Provenance(texts["scheme_id"], revision, texts["scheme_hash"], texts["parscore_version"],
                          texts["input_hash"], texts["basis"])

    def rounded(self, value: object, key: str) -> tuple[tuple[int, Decimal], ...] | None:
        if not isinstance(value, list):
            self.problem(f"expected an array of [code, points before rounding], got {_describe(value)}", key)
            return None
        items = []
        for i, item in enumerate(value):
            where = _key(key, i)
            if not (isinstance(item, list) and len(item) == 2):
                self.problem(f"expected [code, points before rounding], got {_describe(item)}", where)
                continue
            code, before = item
            number = self.number(before, _key(where, 1))
            if not isinstance(code, str) or code not in self.leaf_codes:
                self.problem(f"expected the code of a leaf of scheme {self.scheme.id!r}, got {_describe(code)}",
                             _key(where, 0))
                continue
            if number is not None:
                items.append((self.plan.index[code], number))
        return tuple(items) if len(items) == len(value) else None

    def unit(self, value: object, key: str) -> UnitResult | None:
        before = len(self.found)
        table = self.table(value, key, _UNIT_KEYS)
        if table is None:
            return None

        def read(name: str, how: Callable[[object, str], Any]) -> Any:
            # A key that is missing was reported by ``table``.
            return how(table[name], f"{key}.{name}") if name in table else None

        unit_id = read("id", lambda v, k: self.text(v, k, blank=False))
        name = read("name", lambda v, k: self.text(v, k, blank=False))
        rank = read("rank", lambda v, k: self.whole(v, k, 1))
        raw_total, max_total, score = (read(n, self.number) for n in ("raw_total", "max_total", "normalised_total"))
        band = read("band", self.band)
        field_ranks = read("field_ranks", lambda v, k: self.by_code(v, k, self.field_codes,
                                                                    lambda v, k: self.whole(v, k, 1)))
        points = read("points", lambda v, k: self.by_code(v, k, self.codes, self.number))
        maxima = read("maxima", lambda v, k: None if v is None else self.by_code(v, k, self.codes, self.number))
        inputs = read("inputs", lambda v, k: self.by_code(v, k, self.leaf_codes, self.leaf_input))
        rounded = read("rounded", self.rounded)
        if len(self.found) > before:
            return None
        return UnitResult(
            unit_id, name, raw_total, max_total, score, band, rank,
            tuple(zip(self.field_codes, field_ranks, strict=True)), points, maxima, inputs, rounded,
            self.scheme, self.plan,
        )

    def band(self, value: object, key: str) -> Band | None:
        name = self.text(value, key)
        if name is None:
            return None
        band = self.bands.get(name)
        if band is None:
            known = ", ".join(repr(b.name) for b in self.scheme.bands)
            self.problem(f"scheme {self.scheme.id!r} has no band {name!r}; its bands: {known}", key)
        return band

    def result(self, data: object, text: str) -> Result | None:
        if not isinstance(data, dict):
            start = len(text) - len(text.lstrip())
            self.found.append(Problem(f"expected an object, got {_describe(data)}",
                                      line=text.count("\n", 0, start) + 1))
            return None
        top = self.table(data, "", _TOP_KEYS)
        if top is None:
            return None
        if "format" in top and top["format"] != FORMAT:
            self.problem(f"expected {FORMAT!r}, got {_describe(top['format'])}", "format")
        provenance = self.provenance(top["provenance"]) if "provenance" in top else None
        if provenance is None:
            return None  # without the right scheme, the units cannot be read
        units_raw = top.get("units")
        if not isinstance(units_raw, list):
            if "units" in top:
                self.problem(f"expected an array of units, got {_describe(units_raw)}", "units")
            return None
        units = []
        seen: dict[str, str] = {}
        for i, raw in enumerate(units_raw):
            unit = self.unit(raw, f"units[{i}]")
            if unit is None:
                continue
            if unit.unit_id in seen:
                self.problem(f"duplicate unit id {unit.unit_id!r}, also {seen[unit.unit_id]}", f"units[{i}].id")
                continue
            seen[unit.unit_id] = f"units[{i}]"
            units.append(unit)
        if self.found:
            return None
        # As ``evaluate`` does: the plan records where each unit is, for ``Result.unit``.
        self.plan.unit_positions.update((u.unit_id, position) for position, u in enumerate(units))
        return Result(self.scheme, provenance, tuple(units))


def _parse(text: str, file: str | None) -> tuple[object, list[Problem]]:
    if _toml._over_cap(text):
        return None, [Problem(f"document is larger than the {_toml.MAX_BYTES} bytes parscore reads", file=file)]
    try:
        return json.loads(text, object_pairs_hook=_pairs, parse_constant=_constant, parse_float=float), []
    except json.JSONDecodeError as exc:
        return None, [Problem(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno, column=exc.colno)]
    except _Constant as exc:
        # The first NaN or Infinity outside a string.
        tokens = re.finditer(r'"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)', text)
        word = next((m for m in tokens if not m.group().startswith('"')), None)
        line = text.count("\n", 0, word.start()) + 1 if word else 1
        return None, [Problem(f"not valid JSON: {exc}", file=file, line=line)]
    except ValueError as exc:
        # Python refuses to convert whole numbers of thousands of digits from text.
        longest = max(re.finditer(r"[0-9]+", text), key=lambda m: m.end() - m.start(), default=None)
        if longest is None or "digits" not in str(exc):  # pragma: no cover - no other ValueError is known
            return None, [Problem(f"not valid JSON: {exc}", file=file)]
        return None, [Problem("not valid JSON: a whole number has too many digits", file=file,
                              line=text.count("\n", 0, longest.start()) + 1)]
    except RecursionError:
        return None, [Problem("not valid JSON: arrays or objects nested too deeply", file=file,
                              line=_deepest_line(text))]


def _deepest_line(text: str) -> int:
    depth = deepest = 0
    line = at = 1
    for token in re.finditer(r'"(?:[^"\\\n]|\\.)*"|[\[\]{}\n]', text):
        kind = token.group()
        if kind in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif kind in ("]", "}"):
            depth -= 1
        elif kind == "\n":
            line += 1
    return at


def _located(problems: list[Problem], text: str, file: str | None) -> Iterator[Problem]:
    """Each problem with the file, and the line its key path leads to in the text."""
    units = re.search(r'"units"\s*:\s*\[', text)
    # Where each unit starts, when the result is laid out as ``dumps_result`` writes it.
    unit_starts = [m.start() for m in _UNIT_START.finditer(text, units.end())] if units else []
    for problem in problems:
        line = problem.line
        if line is None and problem.key:
            key = problem.key
            if problem.message in (_REQUIRED, _MISSING_CODE):  # not in the text: place it at its parent
                key = _KEY_PARENT.sub("", key)
            at = _position(key, text, unit_starts)
            line = None if at is None else text.count("\n", 0, at) + 1
        yield Problem(problem.message, file=file, line=line, column=problem.column, key=problem.key,
                      node=problem.node)


_KEY_PARENT = re.compile(r'(?:\.(?:"(?:[^"\\]|\\.)*"|[^.\["]+)|\[\d+\])$')
_UNIT_START = re.compile(r"^    \{", re.MULTILINE)
_KEY_PART = re.compile(r'\[(\d+)\]|("(?:[^"\\]|\\.)*")|([^.\["]+)')


def _position(key: str, text: str, unit_starts: list[int]) -> int | None:
    """Where the value of key path ``key`` is written: each key found after its parent's."""
    position: int | None = None
    parent = ""
    for part in _KEY_PART.finditer(key):
        index, quoted, bare = part.groups()
        if index is not None:
            if parent == "units" and int(index) < len(unit_starts):
                position = unit_starts[int(index)]
            continue
        name = json.loads(quoted) if quoted else bare
        found = re.compile(re.escape(json.dumps(name, ensure_ascii=False)) + r"\s*:").search(text, position or 0)
        if found is None:
            break
        position, parent = found.start(), name
    return position


def loads_result(text: str, scheme: Scheme, *, file: str | None = None) -> Result:
    """Read a result written by ``dumps_result`` for ``scheme``; ``file`` names it in errors.

    Raises ``ResultError`` listing every problem, or the one that the
    result was computed with another scheme (its provenance's scheme hash
    is not ``scheme_hash(scheme)``).
    """
    data, found = _parse(text, file)
    if found:
        raise ResultError(found, source=file)
    reader = _Reader(scheme)
    result = reader.result(data, text)
    if result is None:
        raise ResultError(list(_located(reader.found, text, file)), source=file)
    return result


def load_result(path: str | Path, scheme: Scheme) -> Result:
    """Read a result JSON file written by ``dumps_result`` (see ``loads_result``)."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise ResultError([Problem(f"cannot read the result: {exc}", file=file)]) from exc
    return loads_result(text, scheme, file=file)
