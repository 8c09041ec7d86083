"""Shared machinery for reading TOML documents strictly.

Parsing keeps every number exact (``parse_float=Decimal``), caps the size,
turns decode errors and cattrs validation errors into ``Problem`` records
with key paths, and finds the line of a key path in the text.
"""

from __future__ import annotations

import enum
import json
import re
import sys
import typing
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn

from .errors import Problem
from .numbers import MAX_INTEGER_DIGITS, parse_decimal

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

#: The largest document parscore reads: far above any real scheme or a
#: national year of assessments, far below what would exhaust memory.
MAX_BYTES = 64 * 1024 * 1024

T = TypeVar("T")
E = TypeVar("E", bound=enum.Enum)


def read_text(path: str | Path) -> str:
    """Read a UTF-8 document, refusing one over ``MAX_BYTES``."""
    path = Path(path)
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ValueError(f"{path} is {size} bytes, more than the {MAX_BYTES} parscore reads")
    return path.read_bytes().decode("utf-8")


def toml_string(value: str) -> str:
    """A TOML basic string for ``value``: JSON escapes, plus DEL, which TOML forbids raw."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


def parse(text: str, file: str | None) -> tuple[dict[str, Any] | None, list[Problem]]:
    """Parse TOML text with exact decimals; a decode error becomes a problem."""
    if _over_cap(text):
        return None, [Problem(f"document is larger than the {MAX_BYTES} bytes parscore reads", file=file)]
    try:
        return tomllib.loads(text, parse_float=_parse_float), []
    except tomllib.TOMLDecodeError as exc:
        line = getattr(exc, "lineno", None)
        column = getattr(exc, "colno", None)
        message = getattr(exc, "msg", None) or re.sub(
            r"\s*\((?:at line \d+, column \d+|at end of document)\)$", "", str(exc)
        )
        if line is None:
            found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
            if found:
                line, column = int(found.group(1)), int(found.group(2))
            elif str(exc).endswith("(at end of document)"):
                line = text.count("\n") + 1
        return None, [Problem(f"not valid TOML: {message}", file=file, line=line, column=column)]
    except _NumberOutOfRange as exc:
        at = _literal_at(text, exc.literal)
        return None, [Problem(f"not valid TOML: the number {_shorten(exc.literal)} is out of range",
                              file=file, line=text.count("\n", 0, at) + 1)]
    except ValueError as exc:
        # Python refuses to convert whole numbers of thousands of digits from text.
        longest = max(re.finditer(r"[0-9](?:_?[0-9])*", text), key=lambda m: m.end() - m.start(), default=None)
        if longest is None or "digits" not in str(exc):  # pragma: no cover - no other ValueError is known
            return None, [Problem(f"not valid TOML: {exc}", file=file)]
        return None, [Problem(f"not valid TOML: the whole number {_shorten(longest.group())} has too many digits",
                              file=file, line=text.count("\n", 0, longest.start()) + 1)]
    except RecursionError:
        return None, [Problem("not valid TOML: arrays or inline tables nested too deeply",
                              file=file, line=_deepest_line(text))]


def _over_cap(text: str) -> bool:
    """Whether ``text`` is more than ``MAX_BYTES`` in UTF-8, as ``read_text`` counts a file.

    Counted a slice at a time, so that a long text is never encoded whole.
    """
    if len(text) > MAX_BYTES:
        return True
    if len(text) <= MAX_BYTES // 4:  # at most 4 bytes a character
        return False
    size = 0
    step = 1 << 20
    for start in range(0, len(text), step):
        size += len(text[start:start + step].encode("utf-8", "surrogatepass"))
        if size > MAX_BYTES:
            return True
    return False


class _NumberOutOfRange(ValueError):
    def __init__(self, literal: str) -> None:
        super().__init__(literal)
        self.literal = literal


def _parse_float(literal: str) -> Decimal:
    try:
        return Decimal(literal)
    except ArithmeticError:  # an exponent beyond what Decimal holds
        raise _NumberOutOfRange(literal) from None


def _literal_at(text: str, literal: str) -> int:
    """The position of the number ``literal`` written as a value in ``text``."""
    found = re.search(rf"(?<![\w.+-]){re.escape(literal)}(?![\w.])", text)
    return found.start() if found else max(text.find(literal), 0)


def _shorten(text: str, width: int = 40) -> str:
    return text if len(text) <= width else f"{text[:width - 1]}…"


#: Strings and comments (skipped), brackets and newlines (counted) of a TOML text.
_NESTING = re.compile(
    r'"""(?:[^\\]|\\.)*?"""|\'\'\'.*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}\n]',
    re.DOTALL,
)


def _deepest_line(text: str) -> int:
    """The line where the arrays and inline tables of ``text`` are nested deepest."""
    depth = deepest = 0
    line = at = 1
    for token in _NESTING.finditer(text):
        kind = token.group()
        if kind in ("[", "{"):
            depth += 1
            if depth > deepest:
                deepest, at = depth, line
        elif kind in ("]", "}"):
            depth -= 1
        else:
            line += kind.count("\n")
    return at


# --- strict converter ------------------------------------------------------


def _strict_str(value: object, _: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"expected text, got {_describe(value)}")
    return value


def _strict_int(value: object, _: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected a whole number, got {_describe(value)}")
    # No year, count, rank or number of decimals has more digits (nor can every one be written out).
    if abs(value) >= 10**MAX_INTEGER_DIGITS:
        raise ValueError(f"expected a whole number with at most {MAX_INTEGER_DIGITS} digits, got {_describe(value)}")
    return value



def _decimal(value: object, _: object) -> Decimal:
    return parse_decimal(value)


def _enum(value: object, cls: type[E]) -> E:
    choices = ", ".join(repr(m.value) for m in cls)
    try:
        return cls(value)
    except ValueError:
        raise ValueError(f"expected one of {choices}, got {_describe(value)}") from None


def _describe(value: object) -> str:
    kinds = {bool: "a boolean", int: "a whole number", Decimal: "a number", str: "text",
             dict: "a table", list: "an array"}
    kind = kinds.get(type(value), type(value).__name__)
    if isinstance(value, (dict, list)):
        shown = ""
    elif isinstance(value, Decimal):
        shown = str(value)
    elif isinstance(value, int) and value.bit_length() > 1000:
        # Python refuses to write whole numbers of thousands of digits as text.
        shown = f"of {value.bit_length()} bits"
    else:
        shown = repr(value)
    return f"{kind} {shown}".strip()


def _is_array(t: object) -> bool:
    origin = typing.get_origin(t)
    args = typing.get_args(t)
    return origin is list or (origin is tuple and len(args) == 2 and args[1] is Ellipsis)


def _is_table(t: object) -> bool:
    return typing.get_origin(t) is dict


_STRUCTURE_ERRORS = (BaseValidationError, ValueError, TypeError, KeyError, AttributeError)


def _noted(exc: Exception, note: str) -> Exception:
    """``exc`` with ``note`` added, as cattrs notes where an item failed."""
    exc.__notes__ = [*getattr(exc, "__notes__", []), note]
    return exc


def _array_hook(converter: cattrs.Converter, t: Any) -> Callable[[object, object], object]:
    """Structure an array item by item, refusing anything that is not an array."""
    args = typing.get_args(t)
    item_type = args[0] if args else Any
    build = tuple if typing.get_origin(t) is tuple else list

    def structure_array(value: object, _: object) -> object:
        if not isinstance(value, (list, tuple)):
            raise TypeError(f"expected an array, got {_describe(value)}")
        items: list[object] = []
        errors: list[Exception] = []
        for i, item in enumerate(value):
            try:
                items.append(converter.structure(item, item_type))
            except _STRUCTURE_ERRORS as exc:
                errors.append(_noted(exc, IterableValidationNote(f"item {i}", i, item_type)))
        if errors:
            raise IterableValidationError(f"while structuring {t!r}", errors, t)
        return build(items)

    return structure_array


def _table_hook(converter: cattrs.Converter, t: Any) -> Callable[[object, object], object]:
    """Structure a table value by value, refusing anything that is not a table."""
    args = typing.get_args(t)
    key_type, value_type = args if len(args) == 2 else (Any, Any)

    def structure_table(value: object, _: object) -> object:
        if not isinstance(value, dict):
            raise TypeError(f"expected a table, got {_describe(value)}")
        result: dict[object, object] = {}
        errors: list[Exception] = []
        for k, v in value.items():
            try:
                result[converter.structure(k, key_type)] = converter.structure(v, value_type)
            except _STRUCTURE_ERRORS as exc:
                errors.append(_noted(exc, IterableValidationNote(f"key {k!r}", k, value_type)))
        if errors:
            raise IterableValidationError(f"while structuring {t!r}", errors, t)
        return result

    return structure_table


def _attrs_hook(converter: cattrs.Converter, cls: Any) -> Callable[[object, object], object]:
    """Structure an attrs class from a table, refusing anything that is not a table."""
    inner = make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)

    def structure_record(value: object, _: object) -> object:
        if not isinstance(value, dict):
            raise TypeError(f"expected a table, got {_describe(value)}")
        return inner(value, cls)

    return structure_record


def make_converter() -> cattrs.Converter:
    """A converter that forbids unknown keys and never coerces types silently."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_structure_hook(str, _strict_str)
    converter.register_structure_hook(int, _strict_int)
    converter.register_structure_hook(Decimal, _decimal)
    converter.register_structure_hook_func(
        lambda t: isinstance(t, type) and issubclass(t, enum.Enum), _enum
    )
    converter.register_structure_hook_factory(attrs.has, lambda t: _attrs_hook(converter, t))
    converter.register_structure_hook_factory(_is_array, lambda t: _array_hook(converter, t))
    converter.register_structure_hook_factory(_is_table, lambda t: _table_hook(converter, t))
    converter.register_unstructure_hook(Decimal, lambda d: d)
    return converter


def structure(
    converter: cattrs.Converter, raw: object, cls: type[T], key: str, found: list[Problem]
) -> T | None:
    """Structure ``raw`` as ``cls``; on failure record every problem under ``key``."""
    try:
        return converter.structure(raw, cls)
    except BaseValidationError as exc:
        found.extend(validation_problems(exc, key))
    except (ValueError, TypeError, KeyError) as exc:
        found.append(Problem(_message(exc), key=key or None))
    return None


def _join(key: str, part: str | int) -> str:
    if isinstance(part, int):
        return f"{key}[{part}]"
    return f"{key}.{part}" if key else part


def validation_problems(exc: BaseException, key: str) -> Iterator[Problem]:
    """Flatten a cattrs validation error tree into problems with key paths."""
    if isinstance(exc, BaseValidationError):
        for inner in exc.exceptions:
            notes = getattr(inner, "__notes__", [])
            sub = key
            for note in notes:
                if isinstance(note, AttributeValidationNote):
                    sub = _join(key, note.name)
                elif isinstance(note, IterableValidationNote):
                    sub = _join(key, note.index if isinstance(note.index, int) else str(note.index))
            if isinstance(inner, KeyError) and not isinstance(inner, BaseValidationError):
                yield Problem("required key is missing", key=sub or None)
            else:
                yield from validation_problems(inner, sub)
    elif isinstance(exc, ForbiddenExtraKeysError):
        for name in sorted(exc.extra_fields):
            yield Problem(f"unknown key {name!r}", key=_join(key, name))
    else:
        yield Problem(_message(exc), key=key or None)


def _message(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"required key {exc.args[0]!r} is missing" if exc.args else "required key is missing"
    return str(exc) or type(exc).__name__


def table(raw: object, key: str, found: list[Problem]) -> dict[str, Any] | None:
    """``raw`` when it is a table, else record what came instead."""
    if isinstance(raw, dict):
        return raw
    found.append(Problem(f"expected a table, got {_describe(raw)}", key=key))
    return None


def array_of_tables(raw: object, key: str, found: list[Problem]) -> list[dict[str, Any]]:
    """The tables of an array of tables, recording anything that is not one."""
    if not isinstance(raw, list):
        found.append(Problem(f"expected an array of tables, got {_describe(raw)}", key=key))
        return []
    tables = []
    for i, item in enumerate(raw):
        if isinstance(item, dict):
            tables.append(item)
        else:
            found.append(Problem(f"expected a table, got {_describe(item)}", key=f"{key}[{i}]"))
            tables.append({})
    return tables


# --- locating key paths -----------------------------------------------------

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_ASSIGN = re.compile(r"""^\s*((?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*'))*)\s*=""")
_PART = re.compile(r"""[A-Za-z0-9_-]+|"[^"]*"|'[^']*'""")


def _parts(dotted: str) -> list[str]:
    return [p.strip("\"'") for p in _PART.findall(dotted)]


def key_lines(text: str) -> dict[str, int]:
    """Map key paths such as ``fields[2].criteria[0].max`` to their line.

    A best-effort scan of headers and assignments: good for documents
    written as tables, silent (no line) for anything it cannot place.
    """
    lines: dict[str, int] = {}
    counts: dict[str, int] = {}
    current = ""
    in_multiline = False
    # Only "\n" ends a TOML line (``splitlines`` would also split at U+2028 or U+0085 in a string).
    for number, line in enumerate(text.split("\n"), start=1):
        if in_multiline:
            if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
                in_multiline = False
            continue
        header = _HEADER.match(line)
        if header:
            parts = _parts(header.group(2))
            path = ""
            for i, part in enumerate(parts):
                path = _join(path, part)
                last = i == len(parts) - 1
                if path in counts and not (last and header.group(1) == "["):
                    index = counts[path] + (1 if last else 0)
                    if last:
                        counts[path] = index
                    path = f"{path}[{index}]"
                elif last and header.group(1) == "[[":
                    counts[path] = 0
                    lines.setdefault(path, number)
                    path = f"{path}[0]"
            current = path
            lines.setdefault(current, number)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            path = current
            for part in _parts(assign.group(1)):
                path = _join(path, part)
            lines.setdefault(path, number)
            rest = line[assign.end():]
            if rest.count('"""') == 1 or rest.count("'''") == 1:
                in_multiline = True
    return lines


def locate(problems: list[Problem], text: str | None, file: str | None) -> list[Problem]:
    """Add the file and, where the key path is found, the line to each problem."""
    found = key_lines(text) if text is not None else {}
    located = []
    for problem in problems:
        line = problem.line
        if line is None and problem.key is not None:
            # Key paths quote parts that are not bare keys (units[0].appraised."1.2");
            # the scan records them unquoted, as ``_parts`` reads them.  The empty
            # key ("" = 1) is a key too.
            key = re.sub(r'"([^"]*)"', r"\1", problem.key)
            while True:
                if key in found:
                    line = found[key]
                    break
                shorter = re.sub(r"(\.[^.\[]*|\[\d+\])$", "", key)
                if shorter == key or (not re.search(r"[.\[]", shorter) and shorter not in found):
                    break
                key = shorter
        located.append(
            Problem(problem.message, file=problem.file or file, line=line,
                    column=problem.column, key=problem.key, node=problem.node)
        )
    return located

