"""Tables: the immutable result of every analysis, rendered the way users read them.

A ``Table`` holds typed cells (text, exact ``Decimal`` numbers, integers),
headings in English and Vietnamese, and notes.  ``render`` writes it as plain
text, Markdown, CSV or JSON; one ``locale`` switch picks the headings and the
decimal separator (``vi``: Vietnamese headings and a decimal comma, with
``;`` between CSV cells so the comma stays a decimal separator).

Numbers are exact in CSV and JSON (JSON carries them as text, so no reader
turns them into floats); text and Markdown round a column only where it
declares ``places``, half-up.

>>> t = Table("demo", ("Demo", "Ví dụ"), (Column("unit", "Unit", "Đơn vị"),
...           Column("points", "Points", "Điểm", "number")), (("Xã A", Decimal("4.5")),))
>>> print(t.render("csv", "vi"), end="")
Đơn vị;Điểm
Xã A;4,5
"""

from __future__ import annotations

import contextlib
import contextvars
import csv
import io
import itertools
import json
import operator
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any, Literal

import attrs

from .numbers import format_decimal, round_half_up, trim

__all__ = ["Cell", "Column", "Format", "Locale", "Table"]

#: A table cell: text, an exact number, a whole number, a yes/no, or empty.
Cell = str | Decimal | int | bool | None
Format = Literal["text", "md", "csv", "json"]
Locale = Literal["en", "vi"]
FORMATS: tuple[Format, ...] = ("text", "md", "csv", "json")
LOCALES: tuple[Locale, ...] = ("en", "vi")


@attrs.frozen
class Column:
    """A column: its key, its headings, the kind of its cells and display decimals."""

    key: str
    en: str
    vi: str
    kind: Literal["text", "number", "integer", "percent"] = "text"
    #: Decimals shown in text and Markdown (half-up); ``None`` shows every digit.
    places: int | None = None

    def heading(self, locale: Locale) -> str:
        return self.vi if locale == "vi" else self.en


#: True while a table is built by a caller that has made sure none of its cells
#: is a float (see ``_cells_checked``): the table then checks only the widths of its rows.
_CELLS_CHECKED: contextvars.ContextVar[bool] = contextvars.ContextVar("parscore_cells_checked", default=False)


@contextlib.contextmanager
def _cells_checked() -> Iterator[None]:
    """Build tables whose cells the caller has already checked, within this block only.

    For parscore's analyses of a country (a table of a million rows), which
    look at each cell's type while it is at hand, as they make it, rather
    than the table looking at all of them again.  Thread- and task-safe: it
    is a context variable.
    """
    token = _CELLS_CHECKED.set(True)
    try:
        yield
    finally:
        _CELLS_CHECKED.reset(token)


def _tuple_rows(rows: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(map(tuple, rows))


def _columns(columns: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(columns)


def _notes(notes: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(notes)


@attrs.frozen
class Table:
    """An analysis table: named, titled in two languages, with typed cells and notes."""

    name: str
    title: tuple[str, str]
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    rows: tuple[tuple[Cell, ...], ...] = attrs.field(converter=_tuple_rows)
    #: Remarks that belong with the table, each in English and Vietnamese.
    notes: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_notes)

    @rows.validator
    def _check_rows(self, _: object, rows: tuple[tuple[Cell, ...], ...]) -> None:
        # The lengths of all rows and the types of all cells (unless the caller
        # has checked them), in a few C-level passes: a country's table has
        # millions of cells.  Only a table that fails is looked at row by row,
        # to say where.
        if set(map(len, rows)) <= {len(self.columns)} and (
            _CELLS_CHECKED.get()
            or not any(issubclass(kind, float) for kind in set(map(type, itertools.chain.from_iterable(rows))))
        ):
            return
        for i, row in enumerate(rows):
            if len(row) != len(self.columns):
                raise ValueError(f"row {i} of table {self.name!r} has {len(row)} cells, not {len(self.columns)}")
            for cell in row:
                if isinstance(cell, float):
                    raise ValueError(f"table {self.name!r} row {i}: floats are not exact, got {cell!r}")

    def column(self, key: str) -> tuple[Cell, ...]:
        """Every cell of the column ``key``, top to bottom."""
        keys = [c.key for c in self.columns]
        if key not in keys:
            raise KeyError(f"table {self.name!r} has no column {key!r}; columns: {', '.join(keys)}")
        index = keys.index(key)
        return tuple(row[index] for row in self.rows)

    def records(self) -> tuple[dict[str, Cell], ...]:
        """The rows as mappings from column key to cell."""
        return tuple({c.key: cell for c, cell in zip(self.columns, row, strict=True)} for row in self.rows)

    def render(self, format: Format = "text", locale: Locale = "en") -> str:
        """The table as ``text``, ``md`` (Markdown), ``csv`` or ``json``, in ``en`` or ``vi``."""
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
        if locale not in LOCALES:
            raise ValueError(f"locale must be one of {', '.join(LOCALES)}, got {locale!r}")
        return {"text": self._text, "md": self._markdown, "csv": self._csv, "json": self._json}[format](locale)

    def _repr_html_(self) -> str:
        from .notebook import table_html

        return table_html(self)

    def to_pandas(self, locale: Locale | None = None) -> Any:
        """The table as a pandas ``DataFrame`` (exact ``Decimal`` values); see ``parscore.notebook``."""
        from .notebook import table_to_pandas

        return table_to_pandas(self, locale)

    # --- rendering -------------------------------------------------------------

    def _cell(self, column: Column, cell: Cell, locale: Locale, exact: bool) -> str:
        if cell is None:
            return ""
        if isinstance(cell, bool):
            words = ("có", "không") if locale == "vi" else ("yes", "no")
            return words[0] if cell else words[1]
        if isinstance(cell, Decimal):
            value = cell if exact or column.places is None else round_half_up(cell, column.places)
            text = format_decimal(trim(value) if exact or column.places is None else value)
            if locale == "vi":
                text = text.replace(".", ",")
            return text + (" %" if column.kind == "percent" and not exact else "")
        return str(cell)

    def cells(self, locale: Locale = "en", exact: bool = False) -> list[list[str]]:
        """Every cell as text: as text and Markdown show it, or ``exact`` as CSV and JSON do."""
        return self._strings(locale, exact)

    def _strings(self, locale: Locale, exact: bool) -> list[list[str]]:
        return [list(row) for row in zip(*self._column_strings(locale, exact), strict=True)] if self.columns else [
            [] for _ in self.rows
        ]

    def _column_strings(self, locale: Locale, exact: bool) -> list[list[str]]:
        """Every cell as ``_cell`` writes it, column by column."""
        if not self.rows:
            return [[] for _ in self.columns]
        return [
            self._column_text(column, list(map(operator.itemgetter(k), self.rows)), locale, exact)
            for k, column in enumerate(self.columns)
        ]

    def _column_text(self, column: Column, cells: list[Cell], locale: Locale, exact: bool) -> list[str]:
        """The cells of ``column`` as ``_cell`` writes them, with as little Python per cell as can be.

        A column of text is itself; whole numbers are written by ``str``.  A
        column of finite ``Decimal`` numbers (and empty cells) holds few
        distinct values, and how ``_cell`` writes a number depends only on
        its value (equal values such as 1.5 and 1.50 are written alike:
        trimmed, or rounded to the column's places), so each distinct value
        is written once.  Any other column goes a cell at a time.
        """
        kinds = set(map(type, cells))
        if kinds == {str}:
            return cells  # type: ignore[return-value]
        if kinds == {int}:
            return list(map(str, cells))
        if kinds <= {Decimal, type(None)}:
            try:
                distinct: set[Cell] | None = set(cells)
            except TypeError:  # a signalling NaN cannot be hashed
                distinct = None
            if distinct is not None and all(cell is None or cell.is_finite() for cell in distinct):  # type: ignore[union-attr]
                written = {cell: self._cell(column, cell, locale, exact) for cell in distinct}
                return list(map(written.__getitem__, cells))
        cell_text = self._cell
        return [cell_text(column, cell, locale, exact) for cell in cells]

    def _title(self, locale: Locale) -> str:
        return self.title[1] if locale == "vi" else self.title[0]

    def _notes(self, locale: Locale) -> list[str]:
        return [vi if locale == "vi" else en for en, vi in self.notes]

    def _text(self, locale: Locale) -> str:
        header = [c.heading(locale) for c in self.columns]
        columns = self._column_strings(locale, exact=False)
        widths = [max(len(heading), max(map(len, cells), default=0))
                  for heading, cells in zip(header, columns, strict=True)]
        # One format per line, each cell right-aligned (numbers) or left-aligned
        # (text) to its column's width, as ``str.rjust`` and ``str.ljust`` pad.
        line = "  ".join(
            ("{:>%d}" if c.kind != "text" else "{:<%d}") % width for c, width in zip(self.columns, widths, strict=True)
        ).format
        out = [self._title(locale), "", line(*header).rstrip(), line(*["-" * w for w in widths]).rstrip()]
        out += map(str.rstrip, map(line, *columns)) if columns else ["" for _ in self.rows]
        out += [f"* {note}" for note in self._notes(locale)]
        return "\n".join(out) + "\n"

    def _markdown(self, locale: Locale) -> str:
        def escape(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        header = [escape(c.heading(locale)) for c in self.columns]
        align = ["---:" if c.kind != "text" else "---" for c in self.columns]
        out = [f"### {escape(self._title(locale))}", "", "| " + " | ".join(header) + " |",
               "| " + " | ".join(align) + " |"]
        # Escape only the columns that have something to escape, and write each row with one format.
        columns = [
            list(map(escape, cells)) if any(c in "".join(cells) for c in "\\|\n") else cells
            for cells in self._column_strings(locale, False)
        ]
        row = ("| " + " | ".join(["{}"] * len(columns)) + " |").format
        out += map(row, *columns) if columns else [row() for _ in self.rows]
        notes = self._notes(locale)
        if notes:
            out += ["", *(f"- {escape(note)}" for note in notes)]
        return "\n".join(out) + "\n"

    def _csv(self, locale: Locale) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if locale == "vi" else ",", lineterminator="\n")
        writer.writerow([c.heading(locale) for c in self.columns])
        columns = self._column_strings(locale, exact=True)
        writer.writerows(zip(*columns, strict=True) if columns else [[] for _ in self.rows])
        return buffer.getvalue()

    def _json(self, locale: Locale) -> str:
        def value(cell: Cell) -> str | int | bool | None:
            return format_decimal(cell) if isinstance(cell, Decimal) else cell

        keys = [c.key for c in self.columns]
        fast = bool(self.rows) and bool(keys) and len(set(keys)) == len(keys)
        data = {
            "table": self.name,
            "title": self._title(locale),
            "columns": [{"key": c.key, "heading": c.heading(locale), "kind": c.kind} for c in self.columns],
            "rows": [] if fast else [
                {c.key: value(cell) for c, cell in zip(self.columns, row, strict=True)} for row in self.rows
            ],
            "notes": self._notes(locale),
        }
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
        if not fast:
            return text
        # The rows, written as ``json.dumps(..., indent=2)`` writes them in that
        # place, a column at a time: its pure-Python indenting encoder takes
        # seconds for a table of a million rows.
        head, tail = text.split('\n  "rows": []', 1)
        return head + '\n  "rows": ' + self._json_rows(keys) + tail

    def _json_rows(self, keys: list[str]) -> str:
        """The rows as JSON objects in a list, indented at the depth of ``"rows"``."""
        encoded: dict[str, str] = {}

        def string(text: str) -> str:
            found = encoded.get(text)
            if found is None:
                found = encoded[text] = json.dumps(text, ensure_ascii=False)
            return found

        def value(cell: Cell) -> str:
            return json.dumps(format_decimal(cell) if isinstance(cell, Decimal) else cell, ensure_ascii=False)

        def column_json(cells: list[Cell]) -> tuple[list[str], bool]:
            """The cells as JSON values, or as the text of JSON strings still to be quoted (then True)."""
            kinds = set(map(type, cells))
            if kinds == {str}:  # each distinct text encoded once
                return list(map({text: string(text) for text in set(cells)}.__getitem__, cells)), False  # type: ignore[arg-type]
            if kinds == {int}:
                return list(map(int.__repr__, cells)), False
            if kinds == {Decimal} and all(map(Decimal.is_finite, cells)):  # type: ignore[arg-type]
                # format_decimal, in C: ``str`` writes plain notation as ``format(..., "f")``
                # does wherever it writes no exponent; a negative zero is written "0".
                # Its digits, point and sign need no escaping in a JSON string.
                written = list(map(str, cells))
                joined = "".join(written)
                if "E" in joined or "e" in joined:  # an exponent (a context may write it "e")
                    written = list(map(format, cells, itertools.repeat("f")))
                if any(text.startswith("-0") for text in set(written)):  # maybe a negative zero
                    written = [text[1:] if text[0] == "-" and not cell else text
                               for text, cell in zip(written, cells, strict=True)]
                return written, True
            return list(map(value, cells)), False

        columns, quoted = zip(*(column_json(list(map(operator.itemgetter(k), self.rows))) for k in range(len(keys))),
                              strict=True)
        row = ("    {{\n" + ",\n".join(
            "      " + string(key).replace("{", "{{").replace("}", "}}") + (': "{}"' if quote else ": {}")
            for key, quote in zip(keys, quoted, strict=True)
        ) + "\n    }}").format
        return "[\n" + ",\n".join(map(row, *columns)) + "\n  ]"
