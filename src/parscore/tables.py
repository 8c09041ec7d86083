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

import csv
import io
import json
from collections.abc import Iterable, Sequence
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


def _tuple_rows(rows: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    return tuple(tuple(row) for row in rows)


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
        return [
            [self._cell(c, cell, locale, exact) for c, cell in zip(self.columns, row, strict=True)]
            for row in self.rows
        ]

    def _title(self, locale: Locale) -> str:
        return self.title[1] if locale == "vi" else self.title[0]

    def _notes(self, locale: Locale) -> list[str]:
        return [vi if locale == "vi" else en for en, vi in self.notes]

    def _text(self, locale: Locale) -> str:
        header = [c.heading(locale) for c in self.columns]
        body = self._strings(locale, exact=False)
        widths = [max([len(header[i]), *(len(r[i]) for r in body)]) for i in range(len(header))]
        numeric = [c.kind != "text" for c in self.columns]

        def line(cells: list[str]) -> str:
            return "  ".join(
                cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i]) for i, cell in enumerate(cells)
            ).rstrip()

        out = [self._title(locale), "", line(header), line(["-" * w for w in widths])]
        out += [line(row) for row in body]
        out += [f"* {note}" for note in self._notes(locale)]
        return "\n".join(out) + "\n"

    def _markdown(self, locale: Locale) -> str:
        def escape(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        header = [escape(c.heading(locale)) for c in self.columns]
        align = ["---:" if c.kind != "text" else "---" for c in self.columns]
        out = [f"### {escape(self._title(locale))}", "", "| " + " | ".join(header) + " |",
               "| " + " | ".join(align) + " |"]
        out += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in self._strings(locale, False)]
        notes = self._notes(locale)
        if notes:
            out += ["", *(f"- {escape(note)}" for note in notes)]
        return "\n".join(out) + "\n"

    def _csv(self, locale: Locale) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if locale == "vi" else ",", lineterminator="\n")
        writer.writerow([c.heading(locale) for c in self.columns])
        writer.writerows(self._strings(locale, exact=True))
        return buffer.getvalue()

    def _json(self, locale: Locale) -> str:
        def value(cell: Cell) -> str | int | bool | None:
            return format_decimal(cell) if isinstance(cell, Decimal) else cell

        data = {
            "table": self.name,
            "title": self._title(locale),
            "columns": [{"key": c.key, "heading": c.heading(locale), "kind": c.kind} for c in self.columns],
            "rows": [{c.key: value(cell) for c, cell in zip(self.columns, row, strict=True)} for row in self.rows],
            "notes": self._notes(locale),
        }
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
