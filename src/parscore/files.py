"""Files: assessments and tables in the formats offices exchange them in.

Reading assessments (``read_assessments``), by the file's suffix:

``.csv``
    UTF-8 with or without a byte-order mark; cells separated by ``,`` or
    ``;`` (the header row decides: the separator that splits it into more
    cells); numbers with a decimal comma or point ("4,5", "4.5").  Two
    layouts:

    * **long**: one row per unit and criterion, with the columns
      ``unit_id``, ``unit_name``, ``code`` and at least one of
      ``appraised``, ``self_assessed``, ``evidence``;
    * **wide**: one row per unit, as report tables print them: ``unit_id``
      and ``unit_name``, then one column per criterion code, holding the
      appraised values (or, with ``basis="self_assessed"``, the
      self-assessed ones).

    ``layout="auto"`` takes the long layout when there is a ``code`` column.
``.xlsx``
    The same two layouts on the first sheet (or the one named by
    ``sheet``), read with openpyxl, an optional dependency
    (``pip install 'parscore[xlsx]'``).  Formulas are read by the value
    the spreadsheet last computed.
``.json``
    The structure of the TOML format (see ``parscore.assessments``):
    ``{"scheme": ..., "units": [{"id", "name", "appraised", "self_assessed",
    "evidence"}]}``; numbers as JSON numbers (read exactly) or as text.
``.toml``
    The TOML format itself.

The headings of the columns are matched without regard to case, Unicode
normal form, spaces, ``_`` or ``-``; each may be given in English or in
Vietnamese (``HEADINGS`` lists them all):

=================  ============================================================
column             accepted headings
=================  ============================================================
``unit_id``        unit_id, id, Mã đơn vị
``unit_name``      unit_name, name, unit, Tên đơn vị, Đơn vị
``code``           code, criterion, Mã tiêu chí, Tiêu chí
``appraised``      appraised, Điểm thẩm định, Thẩm định
``self_assessed``  self_assessed, Điểm tự đánh giá, Tự đánh giá, Điểm tự chấm, Tự chấm
``evidence``       evidence, Tài liệu kiểm chứng, Kiểm chứng
=================  ============================================================

Reading is strict: an unknown column (and, when a scheme is given, a code
that is not one of its leaves), a duplicate column, unit or row, an empty
cell that is needed, or a bad number is an error naming the file and the
cell (``C7``: column letter and row number, as a spreadsheet shows them;
``Sheet1!C7`` in a workbook).  Every problem is listed in one
``AssessmentError``.  Text is stored in Unicode NFC whatever form it came
in; ``true`` and ``false`` in a cell are read as yes and no, and ``n/a``,
``không phát sinh`` or ``kps`` as not applicable.

Writing: ``write_assessments`` writes the same formats (reading them back
gives equal assessments, to the last digit), ``write_tables`` writes
``Table`` and ``Result`` objects as CSV, JSON, Markdown, HTML, plain text or
``.xlsx`` (one sheet per table), in English or Vietnamese.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import io
import json
import math
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from html import escape
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Literal, cast

from . import _toml
from .assessments import (
    NOT_APPLICABLE,
    Assessment,
    Assessments,
    NotApplicable,
    Observation,
    Unit,
    dumps_assessments,
    loads_assessments,
)
from .errors import AssessmentError, MissingDependencyError, Problem
from .evaluation import Result
from .model import Node, Scheme, level_name
from .numbers import EXACT, MAX_DECIMALS, MAX_INTEGER_DIGITS, format_decimal, parse_decimal, round_half_up, trim
from .numbers import places as _written_places
from .tables import Cell, Column, Format, Locale, Table

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell as SheetCell  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.cell.cell import MergedCell  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.styles import Font  # type: ignore[import-untyped, unused-ignore]
    from openpyxl.worksheet.worksheet import Worksheet  # type: ignore[import-untyped, unused-ignore]

__all__ = [
    "HEADINGS",
    "MissingDependencyError",
    "read_assessments",
    "result_table",
    "tables_html",
    "write_assessments",
    "write_tables",
]

Layout = Literal["auto", "long", "wide"]
Basis = Literal["appraised", "self_assessed"]
AssessmentFormat = Literal["csv", "xlsx", "json", "toml"]
TableFormat = Literal["text", "md", "csv", "json", "html", "xlsx"]

#: The accepted headings of each column, English first, then Vietnamese.
#: The first of each is what the English writers use, the first Vietnamese
#: one what the Vietnamese writers use.
HEADINGS: Mapping[str, tuple[str, ...]] = {
    "unit_id": ("unit_id", "id", "Mã đơn vị"),
    "unit_name": ("unit_name", "name", "unit", "Tên đơn vị", "Đơn vị"),
    "code": ("code", "criterion", "Mã tiêu chí", "Tiêu chí"),
    "appraised": ("appraised", "Điểm thẩm định", "Thẩm định"),
    "self_assessed": ("self_assessed", "Điểm tự đánh giá", "Tự đánh giá", "Điểm tự chấm", "Tự chấm"),
    "evidence": ("evidence", "Tài liệu kiểm chứng", "Kiểm chứng"),
}
_VI_HEADINGS = {
    "unit_id": "Mã đơn vị",
    "unit_name": "Tên đơn vị",
    "code": "Mã tiêu chí",
    "appraised": "Điểm thẩm định",
    "self_assessed": "Điểm tự đánh giá",
    "evidence": "Tài liệu kiểm chứng",
}
_LONG_ROLES = ("unit_id", "unit_name", "code", "appraised", "self_assessed", "evidence")
_VALUE_ROLES = ("appraised", "self_assessed", "evidence")
_PARTS: tuple[Basis, Basis] = ("appraised", "self_assessed")

_ASSESSMENT_SUFFIXES: Mapping[str, AssessmentFormat] = {
    ".csv": "csv", ".xlsx": "xlsx", ".json": "json", ".toml": "toml"
}
_TABLE_SUFFIXES: Mapping[str, TableFormat] = {
    ".txt": "text", ".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json",
    ".html": "html", ".htm": "html", ".xlsx": "xlsx",
}
_INSTALL = "pip install 'parscore[xlsx]'"

#: Text made only of digits, separators, signs and spaces: meant as a number.
_NUMBERISH = re.compile(r"[+-]?[\d.,\s]*\d[\d.,\s]*")
#: Number formats that only fix the decimals shown ("0", "0.00", "#,##0.0").
_PLAIN_FORMAT = re.compile(r"(?:#,##)?0(?:\.(0+))?")
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


# --- small helpers ---------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _normal_heading(text: str) -> str:
    """A heading as it is matched: NFC, case-folded, ``_`` and ``-`` as spaces, spaces collapsed."""
    folded = _nfc(text).casefold().replace("_", " ").replace("-", " ")
    return " ".join(folded.split())


_ROLE_OF = {_normal_heading(h): role for role, headings in HEADINGS.items() for h in headings}


def _column_letters(index: int) -> str:
    """``A`` for column 0, ``Z`` for 25, ``AA`` for 26, as spreadsheets name columns."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _natural(code: str) -> tuple[tuple[int, int, str], ...]:
    """Order codes as people number them: 1, 2, 10, 10.1, 10.2, 10.10."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in code.split("."))


def _quote(code: str) -> str:
    return code if code.replace("_", "a").replace("-", "a").isalnum() else json.dumps(code, ensure_ascii=False)


def _place(unit_id: str | None, code: str | None) -> str:
    parts = []
    if unit_id is not None:
        parts.append(f"unit {unit_id!r}")
    if code is not None:
        parts.append(f"criterion {code!r}")
    return ", ".join(parts)


def _read_bytes(path: Path, file: str) -> bytes:
    try:
        size = path.stat().st_size
        if size > _toml.MAX_BYTES:
            raise AssessmentError(
                [Problem(f"the file is {size} bytes, more than the {_toml.MAX_BYTES} parscore reads", file=file)]
            )
        return path.read_bytes()
    except OSError as exc:
        raise AssessmentError([Problem(f"cannot read the assessments: {exc}", file=file)]) from exc


def _decode(data: bytes, file: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise AssessmentError(
            [Problem(f"not UTF-8 text (byte 0x{data[exc.start]:02x}); save the file as UTF-8", file=file, line=line)]
        ) from exc


def _openpyxl(doing: str) -> ModuleType:
    """The openpyxl module, or an error that says how to install it."""
    try:
        import openpyxl  # type: ignore[import-untyped, unused-ignore]
    except ImportError as exc:
        raise MissingDependencyError(f"{doing} .xlsx files needs openpyxl: {_INSTALL}") from exc
    module: ModuleType = openpyxl
    return module


# --- spreadsheet numbers -----------------------------------------------------------


def _sheet_decimal(value: float | int, number_format: str) -> Decimal:
    """The exact number a spreadsheet cell holds as a binary float (or a whole number).

    Spreadsheets store every number as a binary float, so the digits typed
    into a cell are not kept as such.  The shortest ``repr`` of the float is
    the number as typed (up to 15 significant digits), so ``Decimal(repr(v))``
    is the one exact reading there is.  It is made here and only here, for
    floats that come from a spreadsheet cell: parscore takes no float from a
    Python caller.  A number format that shows more decimals ("0.00" on
    4.5) gives the number those decimals, as the cell shows it; decimals are
    only ever added as zeros, never rounded away.
    """
    if isinstance(value, int):
        number = Decimal(value)
    elif not math.isfinite(value):
        return Decimal(repr(value))
    else:
        number = Decimal(int(value)) if value.is_integer() else Decimal(repr(value))
    plain = _PLAIN_FORMAT.fullmatch(number_format.strip())
    if plain and number.adjusted() < MAX_INTEGER_DIGITS:
        places = len(plain.group(1) or "")
        exponent = number.as_tuple().exponent
        if isinstance(exponent, int) and -exponent < places <= MAX_DECIMALS:
            number = number.quantize(Decimal(1).scaleb(-places), context=EXACT)
    return number


def _number_format(places: int) -> str:
    return "0" if places <= 0 else "0." + "0" * places


def _exact_float(value: Decimal) -> tuple[float, str] | None:
    """``value`` as a float and a number format that read back to the same digits, if any."""
    number_format = _number_format(_written_places(value))
    as_float = float(value)
    if not math.isfinite(as_float):
        return None
    # openpyxl writes a float with 16 significant digits ("%.16g"): read back what it writes.
    written = float(f"{as_float:.16g}")
    if format_decimal(_sheet_decimal(written, number_format)) != format_decimal(value):
        return None
    return as_float, number_format


# --- reading: cells ----------------------------------------------------------------

#: A cell as read: text from CSV; from a spreadsheet also whole numbers,
#: exact numbers (made by ``_sheet_decimal``), booleans, dates and times.
_Raw = str | int | Decimal | bool | datetime.date | datetime.time | datetime.timedelta | None
_Value = Decimal | bool | str | NotApplicable


def _empty(raw: _Raw) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def _text(raw: _Raw) -> str:
    """A cell read as text (ids, names, codes, evidence), in NFC."""
    if isinstance(raw, str):
        return _nfc(raw)
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, Decimal):
        return format_decimal(raw)
    if isinstance(raw, (datetime.date, datetime.time)):
        return raw.isoformat()
    return str(raw)


def _value(raw: _Raw) -> _Value:
    """A value cell: a number, yes/no, not applicable, or a word the rule reads.

    Raises ``ValueError`` with the reason for a bad number or a date.
    """
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, Decimal)):
        return parse_decimal(raw)
    if isinstance(raw, (datetime.date, datetime.time, datetime.timedelta)):
        shown = raw.isoformat() if isinstance(raw, (datetime.date, datetime.time)) else str(raw)
        raise ValueError(
            f"the spreadsheet holds a date or time here ({shown}), not a number;"
            " format the cell as a number or as text"
        )
    assert raw is not None
    text = _nfc(raw).strip()
    if text.casefold() in ("true", "false"):
        return text.casefold() == "true"
    # The assessments' own reading: numbers exactly, the words for n/a, other words as text.
    value = Observation("", text).appraised
    assert value is not None
    if isinstance(value, str) and _NUMBERISH.fullmatch(value):
        raise ValueError(f"expected a number such as 4,5 or 4.5, got {text!r}")
    return value


def _value_problem(node: Node, value: _Value) -> str | None:
    """What the leaf's rule finds wrong with ``value``, if anything."""
    if value is NOT_APPLICABLE or node.rule is None:
        return None
    try:
        node.rule.parse(value)
    except ValueError as exc:
        return str(exc)
    return None


def _code_problem(scheme: Scheme, nodes: Mapping[str, Node], code: str) -> str | None:
    """Why ``code`` cannot hold points in ``scheme``, if it cannot."""
    node = nodes.get(code)
    if node is None:
        return f"unknown criterion {code!r}: not in scheme {scheme.id!r}"
    if not node.is_leaf:
        depth = code.count(".") + 1
        return (
            f"{level_name(depth)} {code} of scheme {scheme.id!r} is not a leaf:"
            f" give points for its {level_name(depth + 1, 2)} instead"
        )
    return None


# --- reading: grids (CSV and spreadsheets) -------------------------------------------


class _Grid:
    """The cells of a CSV file or a sheet, with what is needed to name a cell."""

    def __init__(self, rows: list[list[_Raw]], file: str, sheet: str | None) -> None:
        self.rows = rows
        self.file = file
        self.prefix = "" if sheet is None else _sheet_prefix(sheet)
        self.found: list[Problem] = []

    def cell(self, row: int, column: int) -> str:
        """The name of a cell: row and column count from 0 here, from 1 and A on screen."""
        return f"{self.prefix}{_column_letters(column)}{row + 1}"

    def problem(self, row: int, column: int | None, message: str) -> None:
        key = f"{self.prefix}row {row + 1}" if column is None else self.cell(row, column)
        self.found.append(Problem(message, file=self.file, key=key))

    def get(self, row: int, column: int) -> _Raw:
        cells = self.rows[row]
        return cells[column] if column < len(cells) else None


def _sheet_prefix(sheet: str) -> str:
    plain = all(c.isalnum() or c == "_" for c in sheet)
    return f"{sheet}!" if plain else "'" + sheet.replace("'", "''") + "'!"


def _csv_rows(path: Path, file: str) -> list[list[_Raw]]:
    text = _decode(_read_bytes(path, file), file)
    delimiter = ","
    for line in text.splitlines():
        if line.strip():
            widths = {d: len(next(csv.reader([line], delimiter=d))) for d in ",;"}
            delimiter = ";" if widths[";"] > widths[","] else ","
            break
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[_Raw]] = []
    try:
        rows.extend(list(row) for row in reader)
    except csv.Error as exc:
        raise AssessmentError([Problem(f"not valid CSV: {exc}", file=file, line=reader.line_num)]) from exc
    return rows


def _xlsx_rows(path: Path, file: str, sheet: str | None) -> tuple[list[list[_Raw]], str]:
    openpyxl = _openpyxl("reading")
    from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped, unused-ignore]

    size = _read_size(path, file)
    if size > _toml.MAX_BYTES:
        raise AssessmentError(
            [Problem(f"the file is {size} bytes, more than the {_toml.MAX_BYTES} parscore reads", file=file)]
        )
    # A damaged workbook makes openpyxl raise many kinds of errors (XML syntax
    # errors, missing parts, style indexes out of range) and warn about
    # values it cannot convert; each becomes a problem naming the file.
    broken = (OSError, InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, TypeError,
              SyntaxError, IndexError, AttributeError, UserWarning)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UserWarning)
        # Opened here, so that the file is closed even when openpyxl fails halfway.
        with open(path, "rb") as stream:
            return _sheet_rows(openpyxl, stream, sheet, file, broken)


def _sheet_rows(
    openpyxl: Any, stream: Any, sheet: str | None, file: str, broken: tuple[type[BaseException], ...]
) -> tuple[list[list[_Raw]], str]:
    """The rows of one sheet of an open workbook stream, and the sheet's name."""
    try:
        workbook = openpyxl.load_workbook(stream, data_only=True)
    except broken as exc:
        raise AssessmentError([Problem(f"not an .xlsx workbook: {exc}", file=file)]) from exc
    try:
        names = list(workbook.sheetnames)
        if sheet is not None and sheet not in names:
            listed = ", ".join(repr(n) for n in names)
            raise AssessmentError([Problem(f"no sheet {sheet!r}; the sheets are {listed}", file=file)])
        if not workbook.worksheets:
            raise AssessmentError([Problem("the workbook has no worksheet", file=file)])
        worksheet = workbook[sheet] if sheet is not None else workbook.worksheets[0]
        rows = [[_sheet_cell(c) for c in row] for row in worksheet.iter_rows()]
        return rows, str(worksheet.title)
    except broken as exc:
        raise AssessmentError([Problem(f"not an .xlsx workbook: {exc}", file=file)]) from exc
    finally:
        workbook.close()


def _read_size(path: Path, file: str) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise AssessmentError([Problem(f"cannot read the assessments: {exc}", file=file)]) from exc


def _sheet_cell(cell: SheetCell) -> _Raw:
    value: object = cell.value
    if isinstance(value, (float, int)) and not isinstance(value, bool):
        return _sheet_decimal(value, str(cell.number_format))
    if value is None or isinstance(value, (str, int, bool, datetime.date, datetime.time, datetime.timedelta)):
        return value
    return str(value)


def _header(grid: _Grid) -> tuple[int, list[str]] | None:
    """The header row (the first that is not blank) and its headings, padded to the widest row."""
    width = max((len(r) for r in grid.rows), default=0)
    for i, row in enumerate(grid.rows):
        if not all(_empty(c) for c in row):
            headings = ["" if _empty(c) else " ".join(_text(c).split()) for c in row]
            return i, headings + [""] * (width - len(headings))
    return None


def _columns_with_data(grid: _Grid, start: int, headings: list[str]) -> None:
    """Report a column with data but no heading, once, at its header cell."""
    for column, heading in enumerate(headings):
        if heading:
            continue
        for row in range(start + 1, len(grid.rows)):
            if not _empty(grid.get(row, column)):
                grid.problem(start, column, f"no heading above data (first in {grid.cell(row, column)})")
                break


def _roles(grid: _Grid, start: int, headings: list[str], allowed: Sequence[str]) -> dict[str, int]:
    """The columns of the known headings, reporting duplicates."""
    found: dict[str, int] = {}
    for column, heading in enumerate(headings):
        role = _ROLE_OF.get(_normal_heading(heading))
        if role is None or role not in allowed:
            continue
        if role in found:
            first = found[role]
            grid.problem(
                start, column, f"duplicate column {heading!r}: {grid.cell(start, first)} is the {role} column already"
            )
            continue
        found[role] = column
    return found


def _require(grid: _Grid, start: int, roles: Mapping[str, int], needed: Sequence[str]) -> bool:
    ok = True
    for role in needed:
        if role not in roles:
            options = ", ".join(repr(h) for h in HEADINGS[role])
            grid.problem(start, None, f"no {role} column; its heading may be {options}")
            ok = False
    return ok


def _blank(row: list[_Raw]) -> bool:
    return all(_empty(c) for c in row)


def _unit_cells(grid: _Grid, row: int, roles: Mapping[str, int]) -> tuple[str | None, str | None]:
    """The unit id and name of a row, reporting empty cells."""
    found: list[str | None] = []
    for role, what in (("unit_id", "a unit id"), ("unit_name", "a unit name")):
        raw = grid.get(row, roles[role])
        if _empty(raw):
            grid.problem(row, roles[role], f"empty cell: every row needs {what}")
            found.append(None)
        else:
            found.append(_text(raw).strip())
    return found[0], found[1]


def _read_value(
    grid: _Grid, row: int, column: int, unit_id: str | None, code: str, node: Node | None
) -> _Value | None:
    """A value cell, or ``None`` after reporting what is wrong with it."""
    try:
        value = _value(grid.get(row, column))
    except ValueError as exc:
        grid.problem(row, column, f"{_place(unit_id, code)}: {exc}")
        return None
    if node is not None:
        wrong = _value_problem(node, value)
        if wrong is not None:
            grid.problem(row, column, f"{_place(unit_id, code)}: {wrong}")
            return None
    return value


_Units = dict[str, tuple[str, dict[str, Observation]]]


def _long(grid: _Grid, start: int, headings: list[str], scheme: Scheme | None) -> _Units:
    nodes = {n.code: n for n in scheme.nodes()} if scheme is not None else {}
    roles = _roles(grid, start, headings, _LONG_ROLES)
    for column, heading in enumerate(headings):
        if heading and _ROLE_OF.get(_normal_heading(heading)) is None:
            names = ", ".join(_LONG_ROLES)
            grid.problem(start, column, f"unknown column {heading!r}; the columns of the long layout are {names}")
    _columns_with_data(grid, start, headings)
    ok = _require(grid, start, roles, ("unit_id", "unit_name", "code"))
    if not any(role in roles for role in _VALUE_ROLES):
        grid.problem(start, None, "no appraised, self_assessed or evidence column: there are no values to read")
        ok = False
    units: _Units = {}
    if not ok:
        return units
    named: dict[str, int] = {}
    seen: dict[tuple[str, str], int] = {}
    value_columns = [roles[r] for r in _VALUE_ROLES if r in roles]
    for row in range(start + 1, len(grid.rows)):
        if _blank(grid.rows[row]):
            continue
        unit_id, name = _unit_cells(grid, row, roles)
        code_raw = grid.get(row, roles["code"])
        code = None
        if _empty(code_raw):
            grid.problem(row, roles["code"], "empty cell: every row needs a criterion code")
        else:
            code = _text(code_raw).strip()
            if scheme is not None:
                wrong = _code_problem(scheme, nodes, code)
                if wrong is not None:
                    grid.problem(row, roles["code"], wrong)
                    code = None
        if unit_id is not None and name is not None:
            if unit_id in named:
                first = named[unit_id]
                if units[unit_id][0] != name:
                    grid.problem(
                        row,
                        roles["unit_name"],
                        f"unit {unit_id!r} is named {name!r} here but {units[unit_id][0]!r} in"
                        f" {grid.cell(first, roles['unit_name'])}",
                    )
            else:
                named[unit_id] = row
                units[unit_id] = (name, {})
        if code is None:
            continue
        if unit_id is not None:
            if (unit_id, code) in seen:
                grid.problem(
                    row,
                    roles["code"],
                    f"duplicate row for unit {unit_id!r}, criterion {code!r}, also row {seen[unit_id, code] + 1}",
                )
                continue
            seen[unit_id, code] = row
        node = nodes.get(code)
        values: dict[str, _Value | None] = {}
        ok = True
        for part in _PARTS:
            if part in roles and not _empty(grid.get(row, roles[part])):
                values[part] = _read_value(grid, row, roles[part], unit_id, code, node)
                ok = ok and values[part] is not None
        evidence = None
        if "evidence" in roles and not _empty(grid.get(row, roles["evidence"])):
            evidence = _text(grid.get(row, roles["evidence"]))
        if ok and not values and evidence is None:
            grid.problem(
                row,
                min(value_columns),
                f"empty cells: no appraised value, no self-assessed value and no evidence for {_place(unit_id, code)}",
            )
            continue
        if ok and unit_id is not None and unit_id in units:
            units[unit_id][1][code] = Observation(code, values.get("appraised"), values.get("self_assessed"), evidence)
    return units


def _wide(grid: _Grid, start: int, headings: list[str], scheme: Scheme | None, basis: Basis) -> _Units:
    nodes = {n.code: n for n in scheme.nodes()} if scheme is not None else {}
    roles = _roles(grid, start, headings, ("unit_id", "unit_name"))
    codes: dict[int, str] = {}
    first_of: dict[str, int] = {}
    for column, heading in enumerate(headings):
        if not heading:
            continue
        role = _ROLE_OF.get(_normal_heading(heading))
        if role in ("unit_id", "unit_name"):
            continue
        if role is not None:
            grid.problem(
                start,
                column,
                f"column {heading!r} belongs to the long layout (one row per unit and criterion);"
                " a wide table has unit_id, unit_name and one column per criterion code",
            )
            continue
        code = heading.strip()
        if code in first_of:
            grid.problem(start, column, f"duplicate column {code!r}, also {grid.cell(start, first_of[code])}")
            continue
        first_of[code] = column
        if scheme is not None:
            if code not in nodes:
                grid.problem(start, column, f"unknown column {heading!r}: not a criterion of scheme {scheme.id!r}")
                continue
            wrong = _code_problem(scheme, nodes, code)
            if wrong is not None:
                grid.problem(start, column, f"column {heading!r}: {wrong}")
                continue
        codes[column] = code
    _columns_with_data(grid, start, headings)
    if scheme is not None:
        missing = [n.code for n in scheme.leaves() if n.code not in first_of]
        if missing:
            listed = ", ".join(repr(c) for c in missing)
            grid.problem(start, None, f"no column for these criteria of scheme {scheme.id!r}: {listed}")
    units: _Units = {}
    if not _require(grid, start, roles, ("unit_id", "unit_name")):
        return units
    what = basis.replace("_", "-")
    first_row: dict[str, int] = {}
    for row in range(start + 1, len(grid.rows)):
        if _blank(grid.rows[row]):
            continue
        unit_id, name = _unit_cells(grid, row, roles)
        duplicate = unit_id is not None and unit_id in first_row
        if duplicate and unit_id is not None:
            grid.problem(
                row,
                roles["unit_id"],
                f"duplicate unit {unit_id!r}, also {grid.cell(first_row[unit_id], roles['unit_id'])}",
            )
        observations: dict[str, Observation] = {}
        for column, code in codes.items():
            if _empty(grid.get(row, column)):
                grid.problem(row, column, f"empty cell: no {what} value for {_place(unit_id, code)}")
                continue
            value = _read_value(grid, row, column, unit_id, code, nodes.get(code))
            if value is not None:
                observations[code] = (
                    Observation(code, value) if basis == "appraised" else Observation(code, None, value)
                )
        if unit_id is not None and name is not None and not duplicate:
            first_row[unit_id] = row
            units[unit_id] = (name, observations)
    return units


def _grid_assessments(grid: _Grid, scheme: Scheme | None, layout: Layout, basis: Basis) -> Assessments:
    header = _header(grid)
    if header is None:
        raise AssessmentError([Problem("the file is empty: expected a header row", file=grid.file)])
    start, headings = header
    if layout == "auto":
        has_code = any(_ROLE_OF.get(_normal_heading(h)) == "code" for h in headings)
        layout = "long" if has_code else "wide"
    if layout == "long":
        units = _long(grid, start, headings, scheme)
    else:
        units = _wide(grid, start, headings, scheme, basis)
    if grid.found:
        raise AssessmentError(grid.found, source=grid.file)
    return Assessments(
        scheme.id if scheme is not None else None,
        tuple(Assessment(Unit(uid, name), tuple(obs.values())) for uid, (name, obs) in units.items()),
    )


# --- reading: JSON and TOML ---------------------------------------------------------


class _JsonObject(dict[str, Any]):
    """A JSON object that remembers the keys it had more than once."""

    duplicates: list[str]


def _json_object(pairs: list[tuple[str, Any]]) -> _JsonObject:
    result = _JsonObject()
    result.duplicates = []
    for key, value in pairs:
        if key in result:
            result.duplicates.append(key)
        result[key] = value
    return result


class _Refused(ValueError):
    """A JSON token that parscore refuses: ``token`` as written, ``message`` the problem."""

    def __init__(self, token: str, message: str) -> None:
        super().__init__(message)
        self.token = token
        self.message = message


def _refuse_constant(name: str) -> object:
    raise _Refused(name, f"{name} is not a number parscore accepts")


def _json_int(literal: str) -> int:
    try:
        return int(literal)
    except ValueError:  # Python refuses to convert whole numbers of thousands of digits from text
        raise _Refused(literal, "a whole number has too many digits") from None


def _json_decimal(literal: str) -> Decimal:
    try:
        return Decimal(literal)
    except decimal.DecimalException:
        raise _Refused(literal, "a number is out of range") from None


#: A JSON string, or a constant or number outside one (as ``json`` reads them: ASCII digits only).
_JSON_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|-?(?:NaN|Infinity)|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?')


def _json_place(text: str, at: int) -> tuple[int, int]:
    """The 1-based line and column of index ``at`` of ``text``, counted as ``json`` counts them."""
    return text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)


def _refused_place(text: str, token: str) -> tuple[int | None, int | None]:
    """Where ``token`` is first written outside a string, as ``json`` met it before it refused it.

    Everything before a refused token was read as valid JSON, so its
    strings, numbers and constants are whole tokens of ``_JSON_TOKEN``.
    """
    for match in _JSON_TOKEN.finditer(text):
        if match.group() == token:
            return _json_place(text, match.start())
    return None, None  # pragma: no cover - json met the token in the text


def _describe(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    return repr(value)


def _duplicates(value: object, key: str, found: list[Problem]) -> None:
    if isinstance(value, _JsonObject):
        for name in value.duplicates:
            found.append(Problem(f"duplicate key {name!r}", key=f"{key}.{_quote(name)}" if key else _quote(name)))


def _json_assessments(path: Path, file: str) -> tuple[Assessments, dict[str, int]]:
    """Read the JSON format; also gives each unit id's index in ``units``."""
    text = _decode(_read_bytes(path, file), file)
    try:
        data = json.loads(text, parse_float=_json_decimal, parse_int=_json_int, parse_constant=_refuse_constant,
                          object_pairs_hook=_json_object)
    except json.JSONDecodeError as exc:
        raise AssessmentError(
            [Problem(f"not valid JSON: {exc.msg}", file=file, line=exc.lineno, column=exc.colno)]
        ) from exc
    except _Refused as exc:
        line, column = _refused_place(text, exc.token)
        raise AssessmentError(
            [Problem(f"not valid JSON: {exc.message}", file=file, line=line, column=column)]
        ) from exc
    except ValueError as exc:  # pragma: no cover - no other ValueError is known
        raise AssessmentError([Problem(f"not valid JSON: {exc}", file=file)]) from exc
    except RecursionError as exc:
        raise AssessmentError(
            [Problem("not valid JSON: arrays or objects nested too deeply", file=file, line=1)]
        ) from exc
    found: list[Problem] = []
    if not isinstance(data, dict):
        line, column = _json_place(text, len(text) - len(text.lstrip(" \t\n\r")))  # where the value starts
        raise AssessmentError(
            [Problem(f'expected an object with "scheme" and "units", got {_describe(data)}', file=file, line=line,
                     column=column)]
        )
    _duplicates(data, "", found)
    for extra in sorted(set(data) - {"scheme", "units"}):
        found.append(Problem(f"unknown key {extra!r}", key=_quote(extra)))
    scheme_id = data.get("scheme")
    if scheme_id is not None and not isinstance(scheme_id, str):
        found.append(Problem(f"scheme must be a scheme id (text), got {_describe(scheme_id)}", key="scheme"))
        scheme_id = None
    raw_units = data.get("units", [])
    if not isinstance(raw_units, list):
        found.append(Problem(f"expected an array of units, got {_describe(raw_units)}", key="units"))
        raw_units = []
    items = []
    index: dict[str, int] = {}
    for i, raw in enumerate(raw_units):
        key = f"units[{i}]"
        if not isinstance(raw, dict):
            found.append(Problem(f"expected an object, got {_describe(raw)}", key=key))
            continue
        _duplicates(raw, key, found)
        for extra in sorted(set(raw) - {"id", "name", *_PARTS, "evidence"}):
            found.append(Problem(f"unknown key {extra!r}", key=f"{key}.{_quote(extra)}"))
        unit_id, name = raw.get("id"), raw.get("name")
        for field, value in (("id", unit_id), ("name", name)):
            if not isinstance(value, str) or not value.strip():
                found.append(Problem(f"a unit needs a non-empty text {field!r}", key=f"{key}.{field}"))
        if not isinstance(unit_id, str) or not isinstance(name, str) or not unit_id.strip() or not name.strip():
            continue
        uid = _nfc(unit_id).strip()
        if uid in index:
            found.append(Problem(f"duplicate unit id {uid!r}, also units[{index[uid]}]", key=f"{key}.id"))
            continue
        index[uid] = i
        tables: dict[str, dict[str, Any]] = {}
        for part in (*_PARTS, "evidence"):
            table = raw.get(part, {})
            _duplicates(table, f"{key}.{part}", found)
            if not isinstance(table, dict):
                found.append(Problem(f"expected an object, got {_describe(table)}", key=f"{key}.{part}"))
                table = {}
            tables[part] = {_nfc(code).strip(): value for code, value in table.items()}
        observations = []
        for code in sorted(set().union(*tables.values())):
            values: dict[str, _Value] = {}
            ok = True
            for part in _PARTS:
                if code not in tables[part]:
                    continue
                value = tables[part][code]
                where = f"{key}.{part}.{_quote(code)}"
                if isinstance(value, str) and not value.strip():
                    found.append(Problem("empty value: leave the code out instead", key=where))
                    ok = False
                elif isinstance(value, (bool, str, int, Decimal)):
                    try:
                        values[part] = _value(value)
                    except ValueError as exc:
                        found.append(Problem(str(exc), key=where))
                        ok = False
                else:
                    found.append(Problem(f"expected a number, text or true/false, got {_describe(value)}", key=where))
                    ok = False
            evidence = tables["evidence"].get(code)
            if evidence is not None and not isinstance(evidence, str):
                found.append(
                    Problem(f"evidence must be text, got {_describe(evidence)}", key=f"{key}.evidence.{_quote(code)}")
                )
                ok = False
            if ok:
                note = _nfc(evidence) if isinstance(evidence, str) else None
                observations.append(Observation(code, values.get("appraised"), values.get("self_assessed"), note))
        items.append(Assessment(Unit(uid, name), tuple(observations)))
    if found:
        raise AssessmentError([_with_file(p, file) for p in found], source=file)
    return Assessments(scheme_id, tuple(items)), index


def _with_file(problem: Problem, file: str) -> Problem:
    """``problem`` with its file set."""
    return Problem(problem.message, file=file, line=problem.line, column=problem.column, key=problem.key,
                   node=problem.node)


def _toml_index(text: str) -> dict[str, int]:
    data, _ = _toml.parse(text, None)
    units = data.get("units", []) if data is not None else []
    return {
        _nfc(u["id"]).strip(): i
        for i, u in enumerate(units if isinstance(units, list) else [])
        if isinstance(u, dict) and isinstance(u.get("id"), str)
    }


def _scheme_problems(assessments: Assessments, scheme: Scheme, index: Mapping[str, int]) -> list[Problem]:
    """What does not fit ``scheme`` in assessments read from JSON or TOML, by key path."""
    found = []
    if assessments.scheme_id is not None and assessments.scheme_id != scheme.id:
        found.append(
            Problem(f"the assessments are for scheme {assessments.scheme_id!r}, not {scheme.id!r}", key="scheme")
        )
    nodes = {n.code: n for n in scheme.nodes()}
    for item in sorted(assessments.items, key=lambda a: index.get(a.unit.id, 0)):
        key = f"units[{index.get(item.unit.id, 0)}]"
        for obs in item.observations:
            parts = [p for p in (*_PARTS, "evidence") if getattr(obs, p) is not None]
            wrong = _code_problem(scheme, nodes, obs.code)
            if wrong is not None:
                found.append(Problem(wrong, key=f"{key}.{parts[0]}.{_quote(obs.code)}"))
                continue
            for part in _PARTS:
                value = getattr(obs, part)
                if value is None:
                    continue
                wrong = _value_problem(nodes[obs.code], value)
                if wrong is not None:
                    found.append(Problem(wrong, key=f"{key}.{part}.{_quote(obs.code)}"))
    return found


# --- reading: the entry point -------------------------------------------------------


def read_assessments(
    path: str | Path,
    scheme: Scheme | None = None,
    layout: Layout = "auto",
    *,
    basis: Basis = "appraised",
    sheet: str | None = None,
) -> Assessments:
    """Read assessments from a ``.csv``, ``.xlsx``, ``.json`` or ``.toml`` file.

    Offices keep points in spreadsheets and CSV exports as often as in
    parscore's TOML; this reads them all into the same ``Assessments``.
    With a ``scheme``, every code must be one of its leaves and every value
    must be what the leaf's rule reads, so that mistakes are reported with
    their cell before any evaluation.  ``layout`` picks the long or wide
    layout of a CSV file or sheet (``auto``: long when there is a ``code``
    column); ``basis`` says whether the values of a wide table are the
    appraised or the self-assessed ones; ``sheet`` names the sheet of a
    workbook (the first by default).  Every problem is raised together in
    one ``AssessmentError``, each naming the file and its cell or key.
    """
    if layout not in ("auto", "long", "wide"):
        raise ValueError(f"layout must be 'auto', 'long' or 'wide', got {layout!r}")
    if basis not in _PARTS:
        raise ValueError(f"basis must be 'appraised' or 'self_assessed', got {basis!r}")
    path = Path(path)
    file = str(path)
    kind = _ASSESSMENT_SUFFIXES.get(path.suffix.casefold())
    if kind is None:
        what = repr(path.suffix) if path.suffix else "a file without a suffix"
        raise AssessmentError(
            [Problem(f"cannot read {what}: parscore reads .csv, .xlsx, .json and .toml assessments", file=file)]
        )
    if sheet is not None and kind != "xlsx":
        raise ValueError("sheet names a sheet of an .xlsx workbook")
    if kind in ("csv", "xlsx"):
        if kind == "csv":
            grid = _Grid(_csv_rows(path, file), file, None)
        else:
            rows, title = _xlsx_rows(path, file, sheet)
            grid = _Grid(rows, file, title)
        return _grid_assessments(grid, scheme, layout, basis)
    if layout != "auto":
        raise ValueError("layout applies to .csv and .xlsx files only")
    if kind == "json":
        assessments, index = _json_assessments(path, file)
        text = None
    else:
        try:
            text = _toml.read_text(path)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise AssessmentError([Problem(f"cannot read the assessments: {exc}", file=file)]) from exc
        assessments = loads_assessments(text, file=file)
        index = _toml_index(text)
    if scheme is None:
        return assessments
    found = _scheme_problems(assessments, scheme, index)
    if found:
        if text is None:
            located = [_with_file(p, file) for p in found]
        else:
            located = sorted(_toml.locate(found, text, file), key=lambda p: (p.line is None, p.line or 0))
        raise AssessmentError(located, source=file)
    return Assessments(scheme.id, assessments.items)


# --- writing assessments ---------------------------------------------------------------


def _format_of(path: Path, format: str | None, known: Mapping[str, str], what: str) -> str:
    if format is not None:
        if format not in set(known.values()):
            choices = ", ".join(sorted(set(known.values())))
            raise ValueError(f"format must be one of {choices}, got {format!r}")
        return format
    found = known.get(path.suffix.casefold())
    if found is None:
        suffixes = ", ".join(known)
        raise ValueError(f"cannot tell the format of {what} {str(path)!r} from its suffix; use {suffixes} or format=")
    return found


def _cell_text(value: object, locale: Locale) -> str:
    """A value as CSV text: numbers exact with the locale's decimal separator."""
    if value is None:
        return ""
    if isinstance(value, NotApplicable):
        return "n/a"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_decimal(value, comma=locale == "vi")
    return _nfc(str(value))


def _heading(role: str, locale: Locale) -> str:
    return _VI_HEADINGS[role] if locale == "vi" else role


def _assessment_grid(
    assessments: Assessments, layout: Literal["long", "wide"], basis: Basis, locale: Locale
) -> tuple[list[str], list[list[object]]]:
    """Headings and rows of the long or wide layout, cells as values (not yet text)."""
    if layout == "long":
        headings = [_heading(r, locale) for r in _LONG_ROLES]
        long_rows: list[list[object]] = []
        for item in assessments.items:
            for obs in sorted(item.observations, key=lambda o: _natural(o.code)):
                long_rows.append(
                    [item.unit.id, item.unit.name, obs.code, obs.appraised, obs.self_assessed, obs.evidence]
                )
        return headings, long_rows
    codes = sorted({o.code for a in assessments.items for o in a.observations}, key=_natural)
    lost = []
    for item in assessments.items:
        have = {o.code: o for o in item.observations}
        for code in codes:
            found = have.get(code)
            if found is None or getattr(found, basis) is None:
                lost.append(f"unit {item.unit.id!r} has no {basis.replace('_', '-')} value for {code!r}")
            elif any(getattr(found, p) is not None for p in (*_PARTS, "evidence") if p != basis):
                lost.append(f"unit {item.unit.id!r}, criterion {code!r} has more than its {basis.replace('_', '-')}"
                            " value (self-assessed, appraised or evidence)")
    if lost:
        raise ValueError(
            "the wide layout holds exactly one value per unit and criterion; write the long layout instead:\n  "
            + "\n  ".join(lost)
        )
    headings = [_heading("unit_id", locale), _heading("unit_name", locale), *codes]
    rows: list[list[object]] = []
    for item in assessments.items:
        have = {o.code: o for o in item.observations}
        rows.append([item.unit.id, item.unit.name, *(getattr(have[c], basis) for c in codes)])
    return headings, rows


def _write_text(path: Path, text: str, bom: bool = False) -> None:
    path.write_text(("\ufeff" if bom else "") + text, encoding="utf-8", newline="")


def _json_value(value: object) -> object:
    if isinstance(value, NotApplicable):
        return "n/a"
    if isinstance(value, Decimal):
        return format_decimal(value)
    return value


def _dumps_json(assessments: Assessments) -> str:
    """Assessments as JSON text in the structure of the TOML format, numbers exact as text."""
    units = []
    for item in assessments.items:
        unit: dict[str, object] = {"id": item.unit.id, "name": item.unit.name}
        ordered = sorted(item.observations, key=lambda o: _natural(o.code))
        for part in (*_PARTS, "evidence"):
            pairs = {o.code: _json_value(getattr(o, part)) for o in ordered if getattr(o, part) is not None}
            if pairs:
                unit[part] = pairs
        units.append(unit)
    data: dict[str, object] = {}
    if assessments.scheme_id is not None:
        data["scheme"] = assessments.scheme_id
    data["units"] = units
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_assessments(
    assessments: Assessments,
    path: str | Path,
    *,
    format: AssessmentFormat | None = None,
    layout: Literal["long", "wide"] = "long",
    basis: Basis = "appraised",
    locale: Locale = "en",
    bom: bool = False,
) -> None:
    """Write assessments as CSV, ``.xlsx``, JSON or TOML, for ``read_assessments`` to read back equal.

    Assessments travel between offices as spreadsheets as often as files;
    this writes them in those formats without losing a digit.  ``format``
    defaults to the one of the file's suffix.  ``layout`` (CSV and
    ``.xlsx``) is ``long`` (one row per unit and criterion, every value) or
    ``wide`` (one row per unit, one column per code, holding the ``basis``
    values only: a unit without such a value, or with a value of another
    kind, is refused rather than lost).  ``locale="vi"`` writes Vietnamese
    headings and, in CSV, a decimal comma with ``;`` between cells; ``bom``
    starts a CSV file with a byte-order mark, which Excel needs to see UTF-8.
    """
    path = Path(path)
    kind = _format_of(path, format, _ASSESSMENT_SUFFIXES, "assessments file")
    if layout not in ("long", "wide"):
        raise ValueError(f"layout must be 'long' or 'wide', got {layout!r}")
    if locale not in ("en", "vi"):
        raise ValueError(f"locale must be 'en' or 'vi', got {locale!r}")
    if kind == "json":
        _write_text(path, _dumps_json(assessments))
        return
    if kind == "toml":
        _write_text(path, dumps_assessments(assessments))
        return
    headings, rows = _assessment_grid(assessments, layout, basis, locale)
    if kind == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if locale == "vi" else ",", lineterminator="\n")
        writer.writerow(headings)
        writer.writerows([_cell_text(c, locale) for c in row] for row in rows)
        _write_text(path, buffer.getvalue(), bom)
        return
    openpyxl = _openpyxl("writing")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Điểm đánh giá" if locale == "vi" else "Assessments"
    bold = openpyxl.styles.Font(bold=True)
    for column, heading in enumerate(headings, start=1):
        _put_text(sheet, 1, column, heading).font = bold
    for r, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            _put_value(sheet, r, column, value)
    sheet.freeze_panes = "C2" if layout == "wide" else "A2"
    _fit_columns(sheet, [headings, *([_cell_text(c, locale) for c in row] for row in rows)])
    workbook.save(path)


# --- spreadsheet cells -------------------------------------------------------------------


def _put_text(sheet: Worksheet, row: int, column: int, text: str) -> SheetCell | MergedCell:
    """A text cell, kept as text even when it starts with ``=`` (never a formula)."""
    from openpyxl.utils.exceptions import IllegalCharacterError  # type: ignore[import-untyped, unused-ignore]

    cell = sheet.cell(row=row, column=column)
    try:
        cell.value = _nfc(text)
    except IllegalCharacterError:
        raise ValueError(
            f"{_column_letters(column - 1)}{row}: {text!r} holds a control character that .xlsx cannot store"
        ) from None
    cell.data_type = "s"
    return cell


def _put_value(sheet: Worksheet, row: int, column: int, value: object) -> None:
    """An assessment value: an exact number as a number cell where the float reads back the same."""
    if value is None:
        return
    if isinstance(value, bool):
        sheet.cell(row=row, column=column).value = value
        return
    if isinstance(value, Decimal):
        number = _exact_float(value)
        if number is not None:
            cell = sheet.cell(row=row, column=column)
            cell.value, cell.number_format = number
            return
        # Too many digits for a binary float: kept exact as text, which reading parses.
        _put_text(sheet, row, column, format_decimal(value))
        return
    _put_text(sheet, row, column, _cell_text(value, "en"))


def _fit_columns(sheet: Worksheet, rows: Iterable[Sequence[str]]) -> None:
    from openpyxl.utils import get_column_letter  # type: ignore[import-untyped, unused-ignore]

    widths: dict[int, int] = {}
    for row in rows:
        for i, text in enumerate(row):
            widths[i] = max(widths.get(i, 0), max((len(line) for line in text.splitlines()), default=0))
    for i, width in widths.items():
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(max(width, 6), 60) + 2


# --- tables ------------------------------------------------------------------------------


def _table(name: str, title: tuple[str, str], columns: Sequence[Column], rows: Sequence[Sequence[Cell]],
           notes: Sequence[tuple[str, str]]) -> Table:
    """A ``Table``, built through a plain callable: mypy's attrs plugin cannot type its tuple converters."""
    build: Callable[..., Table] = Table
    return build(name, title, tuple(columns), rows, tuple(notes))


def result_table(result: Result) -> Table:
    """The ranked result as a ``Table``, one row per unit, as reports publish it.

    Columns: rank, unit id and name, each field's points, the total, the
    normalised score (only when the scheme normalises or a unit had leaves
    dropped as not applicable) and the band.  The notes name the fields,
    the basis and the average score.  Numbers are exact.
    """
    scheme = result.scheme
    normalised = scheme.normalisation is not None or any(u.maxima is not None for u in result.units)
    columns = [
        Column("rank", "Rank", "Xếp hạng", "integer"),
        Column("unit", "Unit id", "Mã đơn vị"),
        Column("name", "Unit", "Đơn vị"),
    ]
    columns += [
        Column(f"field_{f.code}", f"Field {f.code} (max {format_decimal(f.max)})",
               f"Lĩnh vực {f.code} (tối đa {format_decimal(f.max, comma=True)})", "number")
        for f in scheme.fields
    ]
    columns.append(Column("total", "Total", "Tổng điểm", "number"))
    if normalised:
        columns.append(
            Column("score", f"Score (of {format_decimal(scheme.scale)})",
                   f"Điểm quy đổi (thang {format_decimal(scheme.scale, comma=True)})", "number")
        )
    columns.append(Column("band", "Band", "Xếp loại"))
    rows: list[list[Cell]] = []
    # The fields' points where ``unit.fields()`` reads them (tree order), without writing explanations.
    tree = [node.code for node in scheme.nodes()]
    fields = [tree.index(f.code) for f in scheme.fields]
    for unit in result.units:
        row: list[Cell] = [unit.rank, unit.unit_id, unit.name]
        row += [unit.points[i] for i in fields]
        row.append(unit.raw_total)
        if normalised:
            row.append(unit.normalised_total)
        row.append(unit.band.name)
        rows.append(row)
    basis = result.provenance.basis
    basis_vi = "điểm thẩm định" if basis == "appraised" else "điểm tự đánh giá"
    notes = [(f"{scheme.id} revision {scheme.revision}, {basis.replace('_', '-')} points",
              f"{scheme.id} phiên bản {scheme.revision}, {basis_vi}")]
    notes += [(f"Field {f.code}: {f.title}", f"Lĩnh vực {f.code}: {f.title}") for f in scheme.fields]
    if result.units:
        average = trim(round_half_up(result.average_total(), 2))
        notes.append((f"Average score: {format_decimal(average)}",
                      f"Điểm trung bình: {format_decimal(average, comma=True)}"))
    return _table("results", (f"Ranked results: {scheme.title}", f"Kết quả xếp hạng: {scheme.title}"),
                  columns, rows, notes)


def _tables(tables: Table | Result | Iterable[Table | Result]) -> list[Table]:
    if isinstance(tables, (Table, Result)):
        tables = [tables]
    return [result_table(t) if isinstance(t, Result) else t for t in tables]


def _title(table: Table, locale: Locale) -> str:
    return table.title[1] if locale == "vi" else table.title[0]


def _notes(table: Table, locale: Locale) -> list[str]:
    return [vi if locale == "vi" else en for en, vi in table.notes]


def tables_html(tables: Sequence[Table], locale: Locale = "en", title: str | None = None) -> str:
    """The tables as one standalone UTF-8 HTML page, as ``write_tables`` writes it."""
    return _html(tables, locale, title)


def _html(tables: Sequence[Table], locale: Locale, title: str | None) -> str:
    head = title if title is not None else (_title(tables[0], locale) if tables else "")
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{locale}">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{escape(head)}</title>",
        "<style>",
        "body { font-family: sans-serif; }",
        "table { border-collapse: collapse; margin: 1em 0; }",
        "caption { font-weight: bold; text-align: left; padding: 0.3em 0; }",
        "th, td { border: 1px solid #999; padding: 0.2em 0.5em; vertical-align: top; }",
        "td.number { text-align: right; }",
        "</style>",
        "</head>",
        "<body>",
    ]
    if title is not None:
        out.append(f"<h1>{escape(title)}</h1>")
    for table in tables:
        out.append(f'<table id="{escape(table.name)}">')
        out.append(f"<caption>{escape(_title(table, locale))}</caption>")
        out.append("<thead><tr>" + "".join(f"<th>{escape(c.heading(locale))}</th>" for c in table.columns)
                   + "</tr></thead>")
        out.append("<tbody>")
        # The cells as the text and Markdown renderings show them (rounded where a column says so).
        for row in table.cells(locale, exact=False):
            cells = "".join(
                f'<td class="number">{escape(text)}</td>' if column.kind != "text" else f"<td>{escape(text)}</td>"
                for column, text in zip(table.columns, row, strict=True)
            )
            out.append(f"<tr>{cells}</tr>")
        out.append("</tbody>")
        out.append("</table>")
        notes = _notes(table, locale)
        if notes:
            out.append("<ul>" + "".join(f"<li>{escape(n)}</li>" for n in notes) + "</ul>")
    out += ["</body>", "</html>"]
    return "\n".join(out) + "\n"


def _sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unused sheet name for a table: at most 31 characters, none of ``[]:*?/\\``."""
    base = _SHEET_NAME_FORBIDDEN.sub("-", name).strip("'").strip() or "Sheet"
    title = base[:31]
    counter = 2
    while title.casefold() in taken:
        suffix = f" ({counter})"
        title = base[: 31 - len(suffix)] + suffix
        counter += 1
    taken.add(title.casefold())
    return title


def _table_sheet(sheet: Worksheet, table: Table, locale: Locale, bold: Font) -> None:
    """One table on one sheet: its title, a blank row, headings, rows, then its notes.

    A spreadsheet cell holds a binary float, not the exact ``Decimal``: the
    number shown is right to the decimals of its format, and the CSV and
    JSON outputs stay the exact ones.  Numbers are stored as numbers (so
    they can be summed and sorted) with a format that shows the column's
    declared decimals, or else the decimals of the ``Decimal`` itself.
    """
    _put_text(sheet, 1, 1, _title(table, locale)).font = bold
    for column, spec in enumerate(table.columns, start=1):
        _put_text(sheet, 3, column, spec.heading(locale)).font = bold
    shown: list[list[str]] = [[c.heading(locale) for c in table.columns]]
    words = ("có", "không") if locale == "vi" else ("yes", "no")
    for r, row in enumerate(table.rows, start=4):
        texts = []
        for column, (spec, value) in enumerate(zip(table.columns, row, strict=True), start=1):
            texts.append("" if value is None else str(value))
            if value is None:
                continue
            if isinstance(value, bool):
                _put_text(sheet, r, column, words[0] if value else words[1])
            elif isinstance(value, (int, Decimal)):
                cell = sheet.cell(row=r, column=column)
                cell.value = float(value) if isinstance(value, Decimal) else value
                cell.number_format = _table_number_format(spec, value)
            else:
                _put_text(sheet, r, column, value)
        shown.append(texts)
    after = 4 + len(table.rows) + 1
    for i, note in enumerate(_notes(table, locale)):
        _put_text(sheet, after + i, 1, note)
    sheet.freeze_panes = "A4"
    _fit_columns(sheet, shown)


def _table_number_format(column: Column, value: int | Decimal) -> str:
    if column.places is not None:
        places = column.places
    elif isinstance(value, Decimal):
        # A float keeps about 15 significant digits: no point showing more.
        places = min(_written_places(value), max(0, 15 - (value.adjusted() + 1)))
    else:
        places = 0
    number_format = _number_format(places)
    return number_format + '" %"' if column.kind == "percent" else number_format


def write_tables(
    tables: Table | Result | Iterable[Table | Result],
    path: str | Path,
    format: TableFormat | None = None,
    locale: Locale = "en",
    *,
    title: str | None = None,
    bom: bool = False,
) -> None:
    """Write tables (a ``Result`` becomes its ``result_table``) to one file.

    Results are read in spreadsheets, web pages and reports as much as in a
    terminal; this writes them in each.  ``format`` defaults to the one of
    the file's suffix: ``csv`` (one table only: CSV has no room for more),
    ``json`` (one table gives its object as ``Table.render``, several an
    array of them), ``md``, ``text``, ``html`` (a standalone UTF-8 page, one
    HTML table per table, everything escaped) or ``xlsx`` (one sheet per
    table, numbers stored as numbers).  ``locale`` picks the headings, titles
    and notes (``vi``: Vietnamese, with a decimal comma in text formats).
    ``title`` heads the HTML page and the Markdown document (by default the
    page is titled after the first table).  ``bom`` starts a CSV file with a
    byte-order mark, which Excel needs to see UTF-8.
    """
    path = Path(path)
    kind = _format_of(path, format, _TABLE_SUFFIXES, "tables file")
    if locale not in ("en", "vi"):
        raise ValueError(f"locale must be 'en' or 'vi', got {locale!r}")
    single = isinstance(tables, (Table, Result))
    items = _tables(tables)
    if kind == "csv":
        if len(items) != 1:
            raise ValueError(f"a CSV file holds one table, not {len(items)}: write each to its own file")
        _write_text(path, items[0].render("csv", locale), bom)
    elif kind == "json":
        if single:
            _write_text(path, items[0].render("json", locale))
        else:
            data = [json.loads(t.render("json", locale)) for t in items]
            _write_text(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    elif kind in ("md", "text"):
        parts = [t.render(cast(Format, kind), locale) for t in items]
        if title is not None and kind == "md":
            parts.insert(0, f"# {title}\n")
        _write_text(path, "\n".join(parts))
    elif kind == "html":
        _write_text(path, _html(items, locale, title))
    else:
        openpyxl = _openpyxl("writing")
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        bold = openpyxl.styles.Font(bold=True)
        taken: set[str] = set()
        for table in items:
            _table_sheet(workbook.create_sheet(_sheet_title(table.name, taken)), table, locale, bold)
        if not items:
            workbook.create_sheet("Sheet")
        if title is not None:
            workbook.properties.title = title
        workbook.save(path)
