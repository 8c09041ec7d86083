"""Tables: checked on construction, rendered column by column exactly as cell by cell.

``Table`` checks and writes its cells a column at a time, in a few C-level
passes, so that a country's tables (a million rows) render in seconds.
These tests hold that to the straightforward way, one cell at a time, kept
here as the reference: every format and locale, byte for byte, on tables
with every kind of cell, text that needs escaping, numbers written with
different exponents in one column, and the empty edge cases.
"""

from __future__ import annotations

import csv
import enum
import io
import json
import random
from collections.abc import Callable
from decimal import Decimal

import pytest

from parscore import Column, Table
from parscore.numbers import format_decimal
from parscore.tables import FORMATS, LOCALES, Cell, Locale

D = Decimal


# --- the reference: one cell at a time ----------------------------------------------------


def _ref_strings(table: Table, locale: Locale, exact: bool) -> list[list[str]]:
    # Table._cell, the function that writes one cell, applied to every cell.
    return [[table._cell(c, cell, locale, exact) for c, cell in zip(table.columns, row, strict=True)]
            for row in table.rows]


def _ref_title(table: Table, locale: Locale) -> str:
    return table.title[1] if locale == "vi" else table.title[0]


def _ref_notes(table: Table, locale: Locale) -> list[str]:
    return [vi if locale == "vi" else en for en, vi in table.notes]


def _ref_render(table: Table, fmt: str, locale: Locale) -> str:
    if fmt == "text":
        header = [c.heading(locale) for c in table.columns]
        body = _ref_strings(table, locale, exact=False)
        widths = [max([len(header[i]), *(len(r[i]) for r in body)]) for i in range(len(header))]
        numeric = [c.kind != "text" for c in table.columns]

        def line(cells: list[str]) -> str:
            return "  ".join(
                cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i]) for i, cell in enumerate(cells)
            ).rstrip()

        out = [_ref_title(table, locale), "", line(header), line(["-" * w for w in widths])]
        out += [line(row) for row in body]
        out += [f"* {note}" for note in _ref_notes(table, locale)]
        return "\n".join(out) + "\n"
    if fmt == "md":
        def escape(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        header = [escape(c.heading(locale)) for c in table.columns]
        align = ["---:" if c.kind != "text" else "---" for c in table.columns]
        out = [f"### {escape(_ref_title(table, locale))}", "", "| " + " | ".join(header) + " |",
               "| " + " | ".join(align) + " |"]
        out += ["| " + " | ".join(escape(cell) for cell in row) + " |" for row in _ref_strings(table, locale, False)]
        notes = _ref_notes(table, locale)
        if notes:
            out += ["", *(f"- {escape(note)}" for note in notes)]
        return "\n".join(out) + "\n"
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";" if locale == "vi" else ",", lineterminator="\n")
        writer.writerow([c.heading(locale) for c in table.columns])
        writer.writerows(_ref_strings(table, locale, exact=True))
        return buffer.getvalue()

    def value(cell: Cell) -> str | int | bool | None:
        return format_decimal(cell) if isinstance(cell, Decimal) else cell

    data = {
        "table": table.name,
        "title": _ref_title(table, locale),
        "columns": [{"key": c.key, "heading": c.heading(locale), "kind": c.kind} for c in table.columns],
        "rows": [{c.key: value(cell) for c, cell in zip(table.columns, row, strict=True)} for row in table.rows],
        "notes": _ref_notes(table, locale),
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _outcome(make: Callable[[], object]) -> object:
    """What ``make`` gives, or the class of what it raises (a signalling NaN cannot be written)."""
    try:
        return make()
    except Exception as exc:  # noqa: BLE001 - compared, not handled
        return type(exc)


def _assert_renders_as_reference(table: Table) -> None:
    for fmt in FORMATS:
        for locale in LOCALES:
            expected = _outcome(lambda: _ref_render(table, fmt, locale))  # noqa: B023 - called at once
            assert _outcome(lambda: table.render(fmt, locale)) == expected, (fmt, locale)  # noqa: B023
    for locale in LOCALES:
        for exact in (False, True):
            expected = _outcome(lambda: _ref_strings(table, locale, exact))  # noqa: B023
            assert _outcome(lambda: table.cells(locale, exact)) == expected  # noqa: B023


# --- tables with every kind of cell ------------------------------------------------------------


class Level(enum.IntEnum):
    LOW = 1


class Name(str):
    """Text that is not exactly ``str``: written as ``str`` writes it."""


COLUMNS = (
    Column("code", "Code", "Mã"),
    Column("name", "Unit | name", "Đơn vị {tên}"),
    Column("points", "Points", "Điểm", "number"),
    Column("average", "Average", "Trung bình", "number", 2),
    Column("share", "Share", "Tỷ lệ", "percent", 1),
    Column("count", "Count", "Số", "integer"),
    Column("done", "Done", "Xong"),
    Column("note", "Note", "Ghi chú"),
)

NUMBERS = [D("1.5"), D("1.50"), D("1.500"), D("-0.00"), D(0), D("0E-5"), D("1E+1"), D("1E-7"), D("2.345"),
           D("2.355"), D("-2.345"), D("99.95"), D("0.05"), D("14.814814814814814814814814814815"),
           D("100"), D("-1"), D("123456789.123"), D("NaN"), None]
TEXTS = ["Xã A", "UBND xã Nâm N'Đir", "a|b", "back\\slash", "two\nlines", "{braces}", "{0}", "\"quoted\"",
         "tab\there", "ctrl\x01char", "", " padded ", "Đắk Mâm", "emoji 😀", Name("subclass"), None]


def _random_table(seed: int, rows: int) -> Table:
    rng = random.Random(seed)
    body = []
    for k in range(rows):
        body.append((
            f"{k % 7}.{k % 3}", rng.choice(TEXTS), rng.choice(NUMBERS), rng.choice(NUMBERS), rng.choice(NUMBERS),
            rng.choice([0, 7, -3, 10**20, True, False, Level.LOW, None]), rng.choice([True, False, None]),
            rng.choice(TEXTS),
        ))
    notes = (("a note | with a bar", "ghi chú\nhai dòng"), ("{x}", "y"))
    return Table("demo {1}", ("Demo \"table\"", "Bảng | thử"), COLUMNS, body, notes[: seed % 3])


@pytest.mark.parametrize("seed", range(8))
def test_every_format_renders_as_the_cell_by_cell_reference(seed: int) -> None:
    _assert_renders_as_reference(_random_table(seed, rows=1 + seed * 37))


@pytest.mark.parametrize("seed", range(6))
def test_columns_of_one_kind_render_as_the_reference(seed: int) -> None:
    # Columns of text only, whole numbers only, finite numbers only (with and
    # without empty cells) take the column-at-a-time paths.
    rng = random.Random(seed)
    finite = [n for n in NUMBERS if n is not None and n.is_finite()] + [D("-0.5"), D("-0.05"), D("-0"), D("-0.000")]
    texts = [t for t in TEXTS if type(t) is str]
    columns = (*COLUMNS[:6], Column("exact", "Exact", "Chính xác", "number"), Column("big", "Big", "Lớn", "integer"))
    body = [(rng.choice(texts), rng.choice(texts), rng.choice(finite), rng.choice(finite), rng.choice(finite),
             rng.randint(-5, 5), rng.choice([*finite, None]), rng.choice([0, -7, 10**30]))
            for _ in range(1 + seed * 50)]
    _assert_renders_as_reference(Table("pure", ("Pure", "Thuần"), columns, body))


def test_numbers_with_different_exponents_in_one_column() -> None:
    # 1.5 and 1.50 are equal: text and CSV write them alike (trimmed, or to the
    # column's places), JSON keeps each as written.
    rows = [(D("1.5"), D("1.5")), (D("1.50"), D("1.50")), (D("1.500"), D("-0")), (D("1.5"), D("0.00"))]
    for signalling in ([(D("1"), D("sNaN"))], [(D("1"), None), (D("2"), D("NaN"))]):
        _assert_renders_as_reference(Table("s", ("S", "S"), (Column("a", "A", "A"), Column("b", "B", "B")), signalling))
    table = Table("n", ("N", "N"), (Column("a", "A", "A", "number"), Column("b", "B", "B", "number", 1)), rows)
    _assert_renders_as_reference(table)
    assert json.loads(table.render("json"))["rows"][1] == {"a": "1.50", "b": "1.50"}
    assert table.render("csv").splitlines()[1:] == ["1.5,1.5", "1.5,1.5", "1.5,0", "1.5,0"]
    assert table.render("text").splitlines()[-4:] == ["1.5  1.5", "1.5  1.5", "1.5  0.0", "1.5  0.0"]


@pytest.mark.parametrize("rows", [0, 1, 3])
def test_empty_edge_cases(rows: int) -> None:
    _assert_renders_as_reference(Table("none", ("None", "Không"), (), [()] * rows))
    _assert_renders_as_reference(Table("some", ("Some", "Vài"), COLUMNS[:2], [("a", "b")] * rows))


def test_repeated_column_keys_keep_the_last_cell_in_json() -> None:
    columns = (Column("k", "K1", "K1"), Column("k", "K2", "K2", "number"), Column("x", "X", "X"))
    table = Table("dup", ("Dup", "Dup"), columns, [("a", D(1), "b"), ("c", None, "d")])
    _assert_renders_as_reference(table)
    assert json.loads(table.render("json"))["rows"] == [{"k": "1", "x": "b"}, {"k": None, "x": "d"}]


def test_keys_with_braces_and_quotes() -> None:
    columns = (Column("{0}", "A", "A"), Column('a"b', "B", "B", "number"), Column("ü\\", "C", "C", "integer"))
    _assert_renders_as_reference(Table("k", ("K", "K"), columns, [("x", D("2.50"), 3), (None, None, None)]))


# --- checks on construction -----------------------------------------------------------------------


class Money(float):
    """A float by another name (as numpy's float64 is): refused too."""


@pytest.mark.parametrize("bad", [1.5, Money(2.5)])
def test_floats_are_refused_in_any_row(bad: float) -> None:
    rows = [("a", D(1))] * 1000 + [("b", bad)] + [("c", D(2))] * 10
    with pytest.raises(ValueError, match=rf"^table 'f' row 1000: floats are not exact, got {bad!r}$"):
        Table("f", ("F", "F"), (Column("a", "A", "A"), Column("b", "B", "B", "number")), rows)


def test_rows_of_the_wrong_width_are_refused_where_they_are() -> None:
    columns = (Column("a", "A", "A"), Column("b", "B", "B"))
    with pytest.raises(ValueError, match=r"^row 2 of table 'w' has 3 cells, not 2$"):
        Table("w", ("W", "W"), columns, [("a", "b"), ("c", "d"), ("e", "f", "g"), ("h",)])
    # The first problem in row order is the one reported, whatever its kind.
    with pytest.raises(ValueError, match=r"^table 'w' row 1: floats are not exact, got 0.5$"):
        Table("w", ("W", "W"), columns, [("a", "b"), ("c", 0.5), ("e", "f", "g")])
    with pytest.raises(ValueError, match=r"^row 1 of table 'w' has 1 cells, not 2$"):
        Table("w", ("W", "W"), columns, [("a", "b"), ("c",), ("e", 0.5)])


def test_cells_checked_by_the_caller_only_within_the_block() -> None:
    from parscore.tables import _cells_checked

    columns = (Column("a", "A", "A"), Column("b", "B", "B", "number"))
    with _cells_checked():
        Table("c", ("C", "C"), columns, [("a", D(1))])
        with pytest.raises(ValueError, match=r"^row 0 of table 'c' has 1 cells, not 2$"):
            Table("c", ("C", "C"), columns, [("a",)])  # widths are always checked
    with pytest.raises(ValueError, match="floats are not exact"):
        Table("c", ("C", "C"), columns, [("a", 0.5)])
    with pytest.raises(RuntimeError), _cells_checked():
        raise RuntimeError
    with pytest.raises(ValueError, match="floats are not exact"):
        Table("c", ("C", "C"), columns, [("a", 0.5)])


def test_a_context_that_writes_exponents_in_lower_case() -> None:
    import decimal

    columns = (Column("a", "A", "A", "number"), Column("b", "B", "B", "number", 2))
    table = Table("e", ("E", "E"), columns, [(D("1E+1"), D("1E-7")), (D("2.50"), D("-0"))])
    expected = {fmt: table.render(fmt) for fmt in FORMATS}
    with decimal.localcontext() as context:
        context.capitals = 0
        assert {fmt: table.render(fmt) for fmt in FORMATS} == expected
        _assert_renders_as_reference(table)
    assert '"a": "10"' in expected["json"]
