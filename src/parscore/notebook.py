"""Results in Jupyter: HTML views, pandas data frames and charts.

``Scheme``, ``Result`` and ``Table`` show themselves as HTML in a notebook
(``_repr_html_``): a scheme as its tree with maxima, rules and bands; a
result as the ranked units with their field points, totals and coloured
bands; a table with its title and notes.  The HTML is a self-contained
fragment (no scripts, no style sheets, no external files) with every text
escaped.  ``scheme_html``, ``result_html`` and ``table_html`` give the same
HTML in English or Vietnamese.

``Result.to_pandas()`` and ``Table.to_pandas()`` give pandas data frames.
Numbers stay exact: every point, total, average and percentage is a Python
``Decimal`` in a column of dtype ``object``, never a float.  Whole numbers
(ranks, counts) are integer columns.

``plot_ranking``, ``plot_heatmap``, ``plot_gaps`` and ``plot_slope`` draw
results with matplotlib.  Each returns a ``matplotlib.figure.Figure`` made
without ``pyplot``, so no global state changes and any backend (``Agg``
included) can save it; the same input gives the same figure.  Numbers are
turned into floats only to draw them; every number written on a chart is
the exact value, formatted.

pandas and matplotlib are optional: nothing here imports them until a
function needs them, and a missing one raises ``MissingDependencyError``
naming the extra to install (``pip install 'parscore[pandas]'``,
``pip install 'parscore[plot]'``).

>>> from parscore import Assessment, Band, Entered, Node, Scheme, evaluate
>>> scheme = Scheme("vn.demo.commune.2023", "Chỉ số CCHC", "UBND huyện", "commune", 2023,
...     (Node("1", "Chỉ đạo, điều hành", Decimal(10), rule=Entered()),),
...     (Band("Tốt", Decimal(5)), Band("Khá", Decimal(0), Decimal(5))))
>>> result = evaluate(scheme, [Assessment.of("a", "UBND xã A & B", appraised={"1": "7,5"})])
>>> "UBND xã A &amp; B" in result_html(result)
True
>>> band_colours(scheme)
{'Khá': '#d73027', 'Tốt': '#1a9850'}
"""

from __future__ import annotations

import html
import importlib
import math
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

import attrs

from .errors import MissingDependencyError
from .evaluation import NodeResult, Result, UnitResult
from .model import Band, Node, RankMethod, Scheme, level_name
from .numbers import divide, exact_sum, format_decimal, round_half_up, trim
from .tables import Cell, Column, Locale, Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "MissingDependencyError",
    "band_colours",
    "plot_gaps",
    "plot_heatmap",
    "plot_ranking",
    "plot_slope",
    "result_html",
    "result_to_pandas",
    "scheme_html",
    "table_html",
    "table_to_pandas",
]

_LOCALES: tuple[Locale, ...] = ("en", "vi")
#: Decimals shown for averages in HTML (half-up); the exact value is in the cell's tooltip.
_AVERAGE_PLACES = 2


# --- words -----------------------------------------------------------------------------

_WORDS: dict[str, tuple[str, str]] = {
    "code": ("Code", "Mã"),
    "node": ("Field / criterion", "Lĩnh vực / tiêu chí"),
    "max": ("Max", "Điểm tối đa"),
    "rule": ("Rule", "Cách chấm"),
    "not_applicable": ("Not applicable", "Không phát sinh"),
    "band": ("Band", "Xếp loại"),
    "from": ("From", "Từ"),
    "below": ("Below", "Dưới"),
    "rank": ("Rank", "Xếp hạng"),
    "unit": ("Unit", "Đơn vị"),
    "total": ("Total", "Tổng điểm"),
    "score": ("Score", "Điểm quy đổi"),
    "average": ("Average", "Điểm trung bình"),
    "maximum": ("Maximum", "Điểm tối đa"),
    "points": ("points", "điểm"),
    "no_units": ("no units", "không có đơn vị"),
    "dropped": ("not applicable", "không phát sinh"),
    "appraised": ("appraised", "thẩm định"),
    "self_assessed": ("self-assessed", "tự đánh giá"),
    "source_notes": ("The source contradicts itself", "Tài liệu gốc tự mâu thuẫn"),
    "competition": ("competition ranking (1, 2, 2, 4)", "xếp hạng 1, 2, 2, 4"),
    "dense": ("dense ranking (1, 2, 2, 3)", "xếp hạng 1, 2, 2, 3"),
    "achieved": ("points achieved", "điểm đạt được"),
    "lost": ("points lost", "điểm bị mất"),
    "rose": ("rose", "tăng điểm"),
    "fell": ("fell", "giảm điểm"),
    "unchanged": ("unchanged", "không đổi"),
    "field": ("Field", "Lĩnh vực"),
    "percent_of_max": ("% of the field's maximum", "% điểm tối đa của lĩnh vực"),
    "unpaired": ("Not in both results", "Không có trong cả hai kết quả"),
}

_LEVELS_VI = {"field": "lĩnh vực", "criterion": "tiêu chí", "sub-criterion": "tiêu chí thành phần", "item": "mục"}


def _check_locale(locale: str) -> None:
    if locale not in _LOCALES:
        raise ValueError(f"locale must be one of {', '.join(_LOCALES)}, got {locale!r}")


def _word(key: str, locale: Locale) -> str:
    en, vi = _WORDS[key]
    return vi if locale == "vi" else en


def _num(value: Decimal, locale: Locale, places: int | None = None) -> str:
    """A number as shown: trailing zeros dropped, rounded half-up when ``places`` is given."""
    shown = trim(round_half_up(value, places)) if places is not None else trim(value)
    return format_decimal(shown, comma=locale == "vi")


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _esc(text: str) -> str:
    return html.escape(_nfc(text), quote=True)


def _basis(result: Result, locale: Locale) -> str:
    basis = result.provenance.basis
    return _word(basis, locale) if basis in ("appraised", "self_assessed") else basis


# --- band colours -----------------------------------------------------------------------

#: Red (lowest band) to green (highest): ColorBrewer's RdYlGn, 9 classes.
_PALETTE = ("#d73027", "#f46d43", "#fdae61", "#fee08b", "#ffffbf", "#d9ef8b", "#a6d96a", "#66bd63", "#1a9850")


def band_colours(scheme: Scheme) -> dict[str, str]:
    """Each band's colour, as ``#rrggbb``: red for the lowest band to green for the highest.

    Bands are ordered by their lower bound; the colours are spread evenly
    over a red-yellow-green scale, so the same scheme always gets the same
    colours, in HTML and in charts alike.  Keys are sorted by band name.
    """
    ordered = sorted(scheme.bands, key=lambda b: b.lower)
    count = len(ordered)
    last = len(_PALETTE) - 1
    colours = {}
    for i, band in enumerate(ordered):
        # Integer arithmetic, rounded half-up: the same index on every platform.
        index = last if count == 1 else (2 * i * last + count - 1) // (2 * (count - 1))
        colours[band.name] = _PALETTE[index]
    return dict(sorted(colours.items()))


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on ``colour`` (``#rrggbb``)."""
    red, green, blue = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    # Perceived brightness (ITU-R BT.601 weights), in integers.
    return "#000000" if 299 * red + 587 * green + 114 * blue >= 128_000 else "#ffffff"


# --- HTML -------------------------------------------------------------------------------

#: Only what a notebook's own table style leaves unsaid: alignment and band colours.
_LEFT = "text-align: left"
_RIGHT = "text-align: right"
#: Rows shown by default before the rest are summarised in one line.
MAX_ROWS = 250


def _td(text: str, *, number: bool = False, title: str | None = None, style: str = "", tag: str = "td") -> str:
    styles = "; ".join(part for part in (_RIGHT if number else _LEFT, style) if part)
    tip = f' title="{_esc(title)}"' if title else ""
    return f'<{tag} style="{styles}"{tip}>{text}</{tag}>'


def _th(text: str, *, number: bool = False, title: str | None = None) -> str:
    return _td(text, number=number, title=title, tag="th")


def _more(hidden: int, span: int, locale: Locale) -> str:
    """The row that stands for ``hidden`` rows left out."""
    text = (f"… và {hidden} dòng nữa (max_rows=None để hiện tất cả)" if locale == "vi"
            else f"… and {hidden} more {'row' if hidden == 1 else 'rows'} (max_rows=None shows them all)")
    return f'<tr><td colspan="{span}" style="{_LEFT}"><em>{_esc(text)}</em></td></tr>'


def _check_rows(max_rows: int | None) -> None:
    if max_rows is not None and max_rows < 1:
        raise ValueError(f"max_rows must be 1 or more, or None, got {max_rows}")


def _band_cell(band: Band, colours: dict[str, str], tag: str = "td") -> str:
    colour = colours.get(band.name)
    style = f"background-color: {colour}; color: {_ink(colour)}" if colour else ""
    return _td(_esc(band.name), style=style, tag=tag)


def _notes(title: str, notes: Sequence[str]) -> str:
    if not notes:
        return ""
    items = "".join(f"<li>{_esc(note)}</li>" for note in notes)
    return f"<p>{_esc(title)}:</p><ul>{items}</ul>"


def _rule_text(rule: object) -> str:
    """A rule in words close to its TOML: ``deduction (per = 0.25)``; parameters at their default are left out."""
    kind = str(getattr(rule, "kind", type(rule).__name__))
    cls = type(rule)
    if not attrs.has(cls):
        return kind
    parts = []
    for field in attrs.fields(cls):
        value = getattr(rule, field.name)
        if value is None or (field.default is not attrs.NOTHING and value == field.default):
            continue
        parts.append(f"{field.name} = {_value_text(value)}")
    return f"{kind} ({', '.join(parts)})" if parts else kind


def _value_text(value: object) -> str:
    if isinstance(value, Decimal):
        return format_decimal(value)
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_value_text(v) for v in value) + "]"
    cls = type(value)
    if attrs.has(cls):
        inner = ", ".join(f"{f.name} = {_value_text(getattr(value, f.name))}" for f in attrs.fields(cls))
        return "{" + inner + "}"
    return str(value)


def _band_rows(bands: Iterable[Band], colours: dict[str, str], locale: Locale) -> str:
    rows = []
    for band in sorted(bands, key=lambda b: b.lower, reverse=True):
        upper = _num(band.upper, locale) if band.upper is not None else ""
        rows.append(
            "<tr>" + _band_cell(band, colours) + _td(_num(band.lower, locale), number=True)
            + _td(upper, number=True) + "</tr>"
        )
    head = "<tr>" + _th(_word("band", locale)) + _th(_word("from", locale), number=True)
    head += _th(_word("below", locale), number=True) + "</tr>"
    return f"<table><thead>{head}</thead><tbody>{''.join(rows)}</tbody></table>"


def scheme_html(scheme: Scheme, locale: Locale = "en") -> str:
    """The scheme as HTML: its header, its tree (code, title, max, rule) and its bands.

    Each node's title is indented by its depth; fields are in bold.
    Leaves show their rule with its parameters and their not-applicable
    policy.  Where the scheme's source contradicts itself, the notes follow.
    """
    _check_locale(locale)
    vi = locale == "vi"
    facts = [
        f"<code>{_esc(scheme.id)}</code> r{scheme.revision}",
        _esc(scheme.issuer),
        _esc(f"{scheme.level} {scheme.year}"),
        _esc(f"{_num(scheme.max_total, locale)} {_word('points', locale)}"),
    ]
    if scheme.normalisation is not None:
        scale = _num(scheme.normalisation.scale, locale)
        facts.append(_esc(f"quy đổi thang điểm {scale}" if vi else f"normalised to a scale of {scale}"))
    rounding = scheme.rounding
    if rounding.leaf is not None:
        facts.append(_esc(f"làm tròn điểm đến {rounding.leaf} chữ số thập phân" if vi
                          else f"leaf points rounded half-up to {rounding.leaf} decimals"))
    if rounding.normalised is not None:
        facts.append(_esc(f"làm tròn điểm quy đổi đến {rounding.normalised} chữ số thập phân" if vi
                          else f"normalised total rounded half-up to {rounding.normalised} decimals"))
    facts.append(_esc(_word("dense" if scheme.ranking.method is RankMethod.DENSE else "competition", locale)))
    show_policy = any(n.not_applicable is not None for n in scheme.nodes())
    head = ["<tr>", _th(_word("code", locale)), _th(_word("node", locale)), _th(_word("max", locale), number=True),
            _th(_word("rule", locale))]
    if show_policy:
        head.append(_th(_word("not_applicable", locale)))
    head.append("</tr>")
    rows = []
    for node in scheme.nodes():
        rows.append(_node_row(node, show_policy, locale))
    total = _td("") + _td(f"<strong>{_esc(_word('total', locale))}</strong>")
    total += _td(f"<strong>{_num(scheme.max_total, locale)}</strong>", number=True) + _td("")
    total += _td("") if show_policy else ""
    parts = [
        '<div class="parscore parscore-scheme">',
        f"<p><strong>{_esc(scheme.title)}</strong><br>{' · '.join(facts)}</p>",
    ]
    if scheme.description:
        parts.append(f"<p>{_esc(scheme.description)}</p>")
    parts += [
        f"<table><thead>{''.join(head)}</thead><tbody>{''.join(rows)}</tbody>",
        f"<tfoot><tr>{total}</tr></tfoot></table>",
        _band_rows(scheme.bands, band_colours(scheme), locale),
        _notes(_word("source_notes", locale), scheme.source_notes()),
        "</div>",
    ]
    return "".join(parts)


def _node_row(node: Node, show_policy: bool, locale: Locale) -> str:
    depth = node.code.count(".")
    level = level_name(depth + 1)
    title = _esc(node.title)
    if depth == 0:
        title = f"<strong>{title}</strong>"
    if node.note:
        title += f'<br><small>{_esc(node.note)}</small>'
    indent = f"padding-left: {8 + 20 * depth}px"
    cells = [
        _td(_esc(node.code), title=_LEVELS_VI[level] if locale == "vi" else level),
        _td(title, style=indent),
        _td(_num(node.max, locale), number=True),
        _td(_esc(_rule_text(node.rule)) if node.is_leaf and node.rule is not None else ""),
    ]
    if show_policy:
        cells.append(_td(_esc(node.not_applicable.value) if node.not_applicable is not None else ""))
    return "<tr>" + "".join(cells) + "</tr>"


def _normalised(result: Result) -> bool:
    """Whether scores differ in kind from raw totals: normalised, or some leaves dropped."""
    return result.scheme.normalisation is not None or any(u.maxima is not None for u in result.units)


def result_html(result: Result, locale: Locale = "en", *, max_rows: int | None = MAX_ROWS) -> str:
    """The result as HTML: units in rank order with each field's points, totals and band.

    Band cells are coloured with ``band_colours``.  A second header row
    holds each field's maximum; a footer row the averages (shown to 2
    decimals, half-up, the exact value in the cell's tooltip) and the band
    of the average score.  Where scores are normalised (or a unit had
    leaves dropped as not applicable) the raw total and the score are both
    shown.  The source's contradictions and the provenance close it.
    Beyond ``max_rows`` units one line says how many more there are
    (averages are still of every unit); ``max_rows=None`` shows them all.
    """
    _check_locale(locale)
    _check_rows(max_rows)
    scheme = result.scheme
    colours = band_colours(scheme)
    normalised = _normalised(result)
    fields = scheme.fields
    head = [_th(_word("rank", locale), number=True), _th(_word("unit", locale))]
    head += [_th(_esc(f.code), number=True, title=f.title) for f in fields]
    head.append(_th(_word("total", locale), number=True))
    if normalised:
        head.append(_th(_word("score", locale), number=True))
    head.append(_th(_word("band", locale)))
    maxima = [_td(""), _td(f"<em>{_esc(_word('maximum', locale))}</em>")]
    maxima += [_td(f"<em>{_num(f.max, locale)}</em>", number=True) for f in fields]
    maxima.append(_td(f"<em>{_num(scheme.max_total, locale)}</em>", number=True))
    if normalised:
        maxima.append(_td(f"<em>{_num(scheme.scale, locale)}</em>", number=True))
    maxima.append(_td(""))
    body = []
    for unit in result.units[:max_rows]:
        row = [_td(str(unit.rank), number=True), _td(_esc(unit.name), title=unit.unit_id)]
        for field in unit.fields():
            row.append(_field_cell(field, locale))
        row.append(_td(_num(unit.raw_total, locale), number=True, title=unit.total_explanation()))
        if normalised:
            row.append(_td(_num(unit.normalised_total, locale), number=True, title=unit.total_explanation()))
        row.append(_band_cell(unit.band, colours))
        body.append("<tr>" + "".join(row) + "</tr>")
    if max_rows is not None and len(result.units) > max_rows:
        body.append(_more(len(result.units) - max_rows, len(head), locale))
    if not result.units:
        span = len(head)
        body.append(f'<tr><td colspan="{span}" style="{_LEFT}">{_esc(_word("no_units", locale))}</td></tr>')
    foot = ""
    if result.units:
        cells = [_td(""), _td(f"<strong>{_esc(_word('average', locale))}</strong>")]
        cells += [_average_cell(average, locale) for _, average in result.field_averages()]
        if normalised:
            cells.append(_average_cell(_mean([u.raw_total for u in result.units]), locale))
        average = result.average_total()
        cells.append(_average_cell(average, locale))
        cells.append(_band_cell(scheme.band_for(average), colours))
        foot = "<tfoot><tr>" + "".join(cells) + "</tr></tfoot>"
    provenance = result.provenance
    out_of = _num(scheme.scale, locale)
    count = len(result.units)
    summary = (
        f"điểm {_basis(result, locale)}, trên {out_of} điểm; {count} đơn vị" if locale == "vi"
        else f"{_basis(result, locale)} points out of {out_of}; {count} {'unit' if count == 1 else 'units'}"
    )
    return "".join([
        '<div class="parscore parscore-result">',
        f"<p><strong>{_esc(scheme.title)}</strong><br>",
        f"<code>{_esc(scheme.id)}</code> r{scheme.revision}: {_esc(summary)}</p>",
        f"<table><thead><tr>{''.join(head)}</tr><tr>{''.join(maxima)}</tr></thead>",
        f"<tbody>{''.join(body)}</tbody>{foot}</table>",
        _notes(_word("source_notes", locale), scheme.source_notes()),
        f'<p><small>parscore {_esc(provenance.parscore_version)} · scheme {_esc(provenance.scheme_hash)}'
        f" · input {_esc(provenance.input_hash)}</small></p>",
        "</div>",
    ])


def _field_cell(field: NodeResult, locale: Locale) -> str:
    if not field.applicable:
        return _td("–", number=True, title=_word("dropped", locale))
    return _td(_num(field.points, locale), number=True, title=field.explanation)


def _average_cell(value: Decimal, locale: Locale) -> str:
    return _td(f"<strong>{_num(value, locale, _AVERAGE_PLACES)}</strong>", number=True,
               title=format_decimal(value, comma=locale == "vi"))


def _mean(values: Sequence[Decimal]) -> Decimal:
    return divide(exact_sum(values), Decimal(len(values)))


def _table_cell(column: Column, cell: Cell, locale: Locale) -> tuple[str, str | None]:
    """A cell as shown (as ``Table.render`` shows it in text), and its exact value where that differs."""
    if cell is None:
        return "", None
    if isinstance(cell, bool):
        words = ("có", "không") if locale == "vi" else ("yes", "no")
        return words[0] if cell else words[1], None
    if isinstance(cell, Decimal):
        comma = locale == "vi"
        suffix = " %" if column.kind == "percent" else ""
        if column.places is None:
            return format_decimal(trim(cell), comma) + suffix, None
        rounded = round_half_up(cell, column.places)
        exact = format_decimal(trim(cell), comma) + suffix if rounded != cell else None
        return format_decimal(rounded, comma) + suffix, exact
    return str(cell), None


def table_html(table: Table, locale: Locale = "en", *, max_rows: int | None = MAX_ROWS) -> str:
    """The table as HTML: its title as the caption, its columns and rows, and its notes.

    Cells are shown as ``Table.render`` shows them in text and Markdown
    (columns with ``places`` rounded half-up, the exact value in the
    cell's tooltip); numbers are aligned right.  Beyond ``max_rows`` rows
    one line says how many more there are; ``max_rows=None`` shows them all.
    """
    _check_locale(locale)
    _check_rows(max_rows)
    numeric = [c.kind != "text" for c in table.columns]
    head = "".join(_th(_esc(c.heading(locale)), number=n) for c, n in zip(table.columns, numeric, strict=True))
    rows = []
    for row in table.rows[:max_rows]:
        cells = []
        for column, cell, number in zip(table.columns, row, numeric, strict=True):
            shown, exact = _table_cell(column, cell, locale)
            cells.append(_td(_esc(shown), number=number, title=exact))
        rows.append("<tr>" + "".join(cells) + "</tr>")
    if max_rows is not None and len(table.rows) > max_rows:
        rows.append(_more(len(table.rows) - max_rows, len(table.columns), locale))
    title = table.title[1] if locale == "vi" else table.title[0]
    notes = [vi if locale == "vi" else en for en, vi in table.notes]
    items = "".join(f"<li>{_esc(note)}</li>" for note in notes)
    return "".join([
        f'<div class="parscore parscore-table" data-table="{_esc(table.name)}">',
        f'<table><caption style="caption-side: top; {_LEFT}"><strong>{_esc(title)}</strong></caption>',
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>",
        f"<ul>{items}</ul>" if items else "",
        "</div>",
    ])


# --- pandas -------------------------------------------------------------------------------


def _pandas() -> Any:
    try:
        return importlib.import_module("pandas")
    except ImportError as exc:
        raise MissingDependencyError(
            "converting to a pandas DataFrame needs pandas, which is not installed:"
            " pip install 'parscore[pandas]'",
            name="pandas",
        ) from exc


def _series(pd: Any, values: list[Cell], kind: str) -> Any:
    """A column as a pandas Series: numbers stay ``Decimal`` (dtype object), whole numbers are ``Int64``."""
    present = [v for v in values if v is not None]
    if kind == "integer" and all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return pd.Series(values, dtype="Int64")
    if kind == "text" and present and all(isinstance(v, str) for v in present):
        return pd.Series(values)
    return pd.Series(values, dtype=object)


def table_to_pandas(table: Table, locale: Locale | None = None) -> Any:
    """The table as a pandas ``DataFrame``, one row per row of the table.

    Columns are named by their keys, or by their headings in ``locale``
    (``"en"`` or ``"vi"``) when it is given.  Number and percent cells
    stay exact: ``Decimal`` objects in columns of dtype ``object`` (sum
    them with ``sum(...)``, or convert with ``.astype(float)`` only to
    draw them); integer columns have pandas' nullable ``Int64`` dtype;
    empty cells are ``None`` (``<NA>`` in integer columns).  The table's
    name, title (English, Vietnamese), notes and column headings are kept
    in ``DataFrame.attrs``.
    """
    if locale is not None:
        _check_locale(locale)
    pd = _pandas()
    columns = {
        i: _series(pd, [row[i] for row in table.rows], column.kind) for i, column in enumerate(table.columns)
    }
    frame = pd.DataFrame(columns)
    frame.columns = [c.key if locale is None else c.heading(locale) for c in table.columns]
    frame.attrs.update({
        "name": table.name,
        "title": table.title,
        "notes": table.notes,
        "headings": {c.key: (c.en, c.vi) for c in table.columns},
    })
    return frame


_UNIT_COLUMNS = ("name", "rank", "score", "band", "raw_total", "max_total")
_NODE_COLUMNS = ("unit_id", "name", "code", "title", "level", "points", "max", "gap", "percentage", "applicable")


def result_to_pandas(result: Result, *, nodes: bool = False) -> Any:
    """The result as a pandas ``DataFrame``.

    By default one row per unit, in rank order, indexed by unit id:
    ``name``, ``rank``, ``score`` (the score bands and ranks use), ``band``
    (its name), ``raw_total``, ``max_total``, then one column per field
    named by its code holding the field's points.  With ``nodes=True``,
    one row per unit and node (fields, criteria, sub-criteria, in tree
    order): ``unit_id``, ``name``, ``code``, ``title``, ``level``,
    ``points``, ``max``, ``gap``, ``percentage`` (of max, unrounded;
    ``None`` where max is 0) and ``applicable``.

    Points, totals, gaps and percentages are exact ``Decimal`` objects in
    columns of dtype ``object``, never floats.  The scheme id and the
    result's provenance are kept in ``DataFrame.attrs``.
    """
    pd = _pandas()
    scheme = result.scheme
    provenance = attrs.asdict(result.provenance)
    if nodes:
        rows = [
            (u.unit_id, u.name, n.code, n.title, n.level, n.points, n.max, n.gap, n.percentage, n.applicable)
            for u in result.units
            for n in u.nodes()
        ]
        exact = ("points", "max", "gap", "percentage")
        frame = pd.DataFrame({
            key: pd.Series([row[i] for row in rows], dtype=object if key in exact or not rows else None)
            for i, key in enumerate(_NODE_COLUMNS)
        })
    else:
        codes = [f.code for f in scheme.fields]
        clashes = sorted(set(codes) & set(_UNIT_COLUMNS))
        if clashes:
            raise ValueError(f"field codes {clashes} clash with the columns {list(_UNIT_COLUMNS)}; use nodes=True")
        units = result.units
        data = {
            "name": pd.Series([u.name for u in units], dtype=object if not units else None),
            "rank": pd.Series([u.rank for u in units], dtype="int64"),
            "score": pd.Series([u.score for u in units], dtype=object),
            "band": pd.Series([u.band.name for u in units], dtype=object if not units else None),
            "raw_total": pd.Series([u.raw_total for u in units], dtype=object),
            "max_total": pd.Series([u.max_total for u in units], dtype=object),
        }
        per_unit = [u.fields() for u in units]
        for i, code in enumerate(codes):
            data[code] = pd.Series([fields[i].points for fields in per_unit], dtype=object)
        frame = pd.DataFrame(data)
        frame.index = pd.Index([u.unit_id for u in units], name="unit_id", dtype=object)
    frame.attrs.update({"scheme_id": scheme.id, "provenance": provenance})
    return frame


# --- charts ---------------------------------------------------------------------------------


def _figure_class() -> type[Figure]:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise MissingDependencyError(
            "drawing charts needs matplotlib, which is not installed: pip install 'parscore[plot]'",
            name="matplotlib",
        ) from exc
    return Figure


def _short(text: str, width: int) -> str:
    text = _nfc(text)
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _title(scheme: Scheme, first: str) -> str:
    return "\n".join([textwrap.fill(_nfc(first), 80), textwrap.fill(_nfc(scheme.title), 80)])


def _unit_label(unit: UnitResult) -> str:
    return f"{unit.rank}. {_nfc(unit.name)}"


def _find_unit(result: Result, unit: str) -> UnitResult:
    """The unit with id ``unit``, or else with exactly that name (compared in NFC)."""
    try:
        return result.unit(unit)
    except KeyError:
        matches = [u for u in result.units if _nfc(u.name) == _nfc(unit)]
        if len(matches) == 1:
            return matches[0]
        known = ", ".join(u.unit_id for u in result.units) or "none"
        raise KeyError(f"no unit {unit!r} in this result (neither an id nor a name); ids: {known}") from None


def _hide_frame(ax: Axes, *sides: str) -> None:
    for side in sides:
        ax.spines[side].set_visible(False)


def plot_ranking(result: Result, *, locale: Locale = "en") -> Figure:
    """The units ranked, as horizontal bars as long as their scores, coloured by band.

    The best unit is at the top; each bar is labelled with its exact score.
    Dotted lines mark where each band starts; the legend names the bands.
    """
    _check_locale(locale)
    figure_class = _figure_class()
    from matplotlib.patches import Patch

    scheme = result.scheme
    colours = band_colours(scheme)
    units = result.units
    figure = figure_class(figsize=(9, 1.8 + 0.35 * max(len(units), 1)), layout="constrained")
    ax = figure.add_subplot()
    positions = list(range(len(units)))
    bars = ax.barh(
        positions, [float(u.score) for u in units], color=[colours[u.band.name] for u in units],
        edgecolor="#404040", linewidth=0.5, height=0.7,
    )
    ax.bar_label(bars, labels=[_num(u.score, locale) for u in units], padding=3, fontsize=9)
    ax.set_yticks(positions, labels=[_unit_label(u) for u in units])
    ax.set_ylim(max(len(units), 1) - 0.5, -0.5)
    scale = float(scheme.scale)
    ax.set_xlim(0, scale * 1.08)
    for band in scheme.bands:
        if 0 < band.lower <= scheme.scale:
            ax.axvline(float(band.lower), color="#808080", linestyle=":", linewidth=0.8, zorder=0)
    handles = [
        Patch(facecolor=colours[b.name], edgecolor="#404040", linewidth=0.5,
              label=f"{_nfc(b.name)} ≥ {_num(b.lower, locale)}")
        for b in sorted(scheme.bands, key=lambda b: b.lower, reverse=True)
    ]
    ax.legend(handles=handles, title=_word("band", locale), loc="lower right", fontsize=8, title_fontsize=8,
              framealpha=0.9)
    out_of = _num(scheme.scale, locale)
    ax.set_xlabel(f"Điểm {_basis(result, locale)} (trên {out_of})" if locale == "vi"
                  else f"Score, {_basis(result, locale)} (out of {out_of})")
    _hide_frame(ax, "top", "right")
    figure.suptitle(_title(scheme, f"{scheme.id} r{scheme.revision}"), fontsize=10)
    return figure


def plot_heatmap(result: Result, *, locale: Locale = "en") -> Figure:
    """Each unit's points in each field as a percentage of the field's maximum.

    Units are rows, in rank order; fields are columns, in the scheme's
    order.  Each cell is coloured from red (0 %) to green (100 %) and
    labelled with the percentage rounded half-up to a whole number; a
    field dropped as not applicable is left grey.
    """
    _check_locale(locale)
    figure_class = _figure_class()
    import matplotlib
    import numpy

    scheme = result.scheme
    units = result.units
    fields = scheme.fields
    values = [[_percentage(f) for f in u.fields()] for u in units]
    # With no units, one grey row keeps the axes drawable.
    matrix = numpy.array(
        [[math.nan if v is None else float(v) for v in row] for row in values] or [[math.nan] * len(fields)],
        dtype=float,
    )
    figure = figure_class(figsize=(4.5 + 0.9 * len(fields), 2.6 + 0.38 * max(len(units), 1)), layout="constrained")
    ax = figure.add_subplot()
    cmap = matplotlib.colormaps["RdYlGn"].with_extremes(bad="#d9d9d9")
    image = ax.imshow(numpy.ma.masked_invalid(matrix), cmap=cmap, vmin=0, vmax=100, aspect="auto")
    for row, unit_values in enumerate(values):
        for column, value in enumerate(unit_values):
            if value is None:
                text, ink = "–", "#000000"
            else:
                text = _num(value, locale, 0)
                ink = _ink(matplotlib.colors.to_hex(cmap(float(value) / 100)))
            ax.text(column, row, text, ha="center", va="center", fontsize=8, color=ink)
    ax.set_xticks(range(len(fields)), labels=[f"{f.code}. {_short(f.title, 28)}" for f in fields],
                  rotation=35, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(len(units)), labels=[_unit_label(u) for u in units], fontsize=9)
    if not units:
        ax.text(0.5, 0.5, _word("no_units", locale), transform=ax.transAxes, ha="center", va="center")
    ax.set_xlabel(_word("field", locale))
    figure.colorbar(image, ax=ax, label=_word("percent_of_max", locale), shrink=0.8)
    figure.suptitle(_title(scheme, f"{scheme.id} r{scheme.revision}: {_basis(result, locale)}"), fontsize=10)
    return figure


def _percentage(node: NodeResult) -> Decimal | None:
    return node.percentage if node.applicable else None


def plot_gaps(
    result: Result,
    unit_id: str,
    *,
    level: Literal["field", "leaf"] = "field",
    top: int | None = None,
    locale: Locale = "en",
) -> Figure:
    """One unit's gap chart: for each field (or each leaf) the points achieved and the points lost.

    Each bar is as long as the node's maximum: the points achieved in grey,
    the points lost (max − points) in red, labelled with the exact loss.
    Bars are ordered by points lost, largest first, ties in the scheme's
    order; ``top=N`` keeps the N largest losses.  Nodes dropped as not
    applicable are left out.  ``unit_id`` is the unit's id or its exact name.
    """
    _check_locale(locale)
    if level not in ("field", "leaf"):
        raise ValueError(f"level must be 'field' or 'leaf', got {level!r}")
    if top is not None and top < 1:
        raise ValueError(f"top must be 1 or more, got {top}")
    figure_class = _figure_class()
    from matplotlib.patches import Patch

    scheme = result.scheme
    unit = _find_unit(result, unit_id)
    if level == "field":
        nodes = list(unit.fields())
    else:
        nodes = [unit.node(leaf.code) for leaf in scheme.leaves()]
    nodes = [n for n in nodes if n.applicable]
    order = sorted(range(len(nodes)), key=lambda i: (-nodes[i].gap, i))
    chosen = [nodes[i] for i in order][:top]
    figure = figure_class(figsize=(9, 1.9 + 0.35 * max(len(chosen), 1)), layout="constrained")
    ax = figure.add_subplot()
    positions = list(range(len(chosen)))
    achieved_colour, lost_colour = "#bdbdbd", "#d73027"
    ax.barh(positions, [float(n.points) for n in chosen], color=achieved_colour, height=0.7)
    lost = ax.barh(positions, [float(n.gap) for n in chosen], left=[float(n.points) for n in chosen],
                   color=lost_colour, height=0.7)
    of = "trên" if locale == "vi" else "of"
    ax.bar_label(lost, labels=[f"−{_num(n.gap, locale)} {of} {_num(n.max, locale)}" if n.gap else ""
                               for n in chosen], padding=3, fontsize=8)
    ax.set_yticks(positions, labels=[f"{n.code}. {_short(n.title, 40)}" for n in chosen], fontsize=9)
    ax.set_ylim(max(len(chosen), 1) - 0.5, -0.5)
    widest = max((float(n.max) for n in chosen), default=1.0)
    ax.set_xlim(0, widest * 1.3)
    ax.set_xlabel(_word("points", locale))
    ax.legend(handles=[Patch(color=achieved_colour, label=_word("achieved", locale)),
                       Patch(color=lost_colour, label=_word("lost", locale))], loc="lower right", fontsize=8)
    _hide_frame(ax, "top", "right")
    out_of = _num(unit.max_total, locale)
    if locale == "vi":
        what = "lĩnh vực" if level == "field" else "tiêu chí"
        heading = (f"{_nfc(unit.name)}: {_num(unit.raw_total, locale)} trên {out_of} điểm, xếp hạng {unit.rank},"
                   f" {_nfc(unit.band.name)} — điểm bị mất theo {what}")
    else:
        what = "field" if level == "field" else "leaf"
        heading = (f"{_nfc(unit.name)}: {_num(unit.raw_total, locale)} of {out_of} points, rank {unit.rank},"
                   f" {_nfc(unit.band.name)} — points lost per {what}")
    figure.suptitle(_title(scheme, heading), fontsize=10)
    return figure


def _series_label(result: Result, locale: Locale) -> str:
    return f"{result.scheme.year}, {_basis(result, locale)}"


def _spread_out(values: Sequence[float], gap: float) -> list[float]:
    """Label heights at least ``gap`` apart, each group of crowded labels centred on its points.

    Returned in the order of ``values``.
    """
    order = sorted(range(len(values)), key=lambda i: (values[i], i))
    clusters: list[tuple[list[int], float]] = []  # members from the bottom up, and the lowest label's height
    for i in order:
        clusters.append(([i], values[i]))
        while len(clusters) > 1:
            (low, low_start), (high, high_start) = clusters[-2], clusters[-1]
            if low_start + gap * len(low) <= high_start:
                break
            members = low + high
            centre = sum(values[k] for k in members) / len(members)
            clusters[-2:] = [(members, centre - gap * (len(members) - 1) / 2)]
    heights = [0.0] * len(values)
    for members, start in clusters:
        for position, k in enumerate(members):
            heights[k] = start + gap * position
    return heights


def plot_slope(
    before: Result,
    after: Result,
    *,
    labels: tuple[str, str] | None = None,
    locale: Locale = "en",
) -> Figure:
    """A slope chart of the same units' scores in two results, such as two years.

    Units are paired by id.  Each unit is a line from its score in
    ``before`` to its score in ``after``: green where it rose, red where it
    fell, grey where it stayed, labelled with its name and exact scores.
    Units in only one of the results are named under the chart, never left
    out silently.  ``labels`` names the two results; by default each is its
    scheme's year and basis.
    """
    _check_locale(locale)
    figure_class = _figure_class()
    from matplotlib.lines import Line2D

    if labels is None:
        labels = (_series_label(before, locale), _series_label(after, locale))
        if labels[0] == labels[1]:
            labels = (f"1: {labels[0]}", f"2: {labels[1]}")
    first = {u.unit_id: u for u in before.units}
    pairs = [(first[u.unit_id], u) for u in after.units if u.unit_id in first]
    paired = {u.unit_id for _, u in pairs}
    unpaired = sorted({u.unit_id for u in before.units} - paired) + sorted(
        {u.unit_id for u in after.units} - paired
    )
    height = 2.2 + 0.32 * max(len(pairs), 1)
    figure = figure_class(figsize=(9, height), layout="constrained")
    ax = figure.add_subplot()
    colours = {1: "#1a9850", -1: "#d73027", 0: "#737373"}
    low = min((float(min(b.score, a.score)) for b, a in pairs), default=0.0)
    high = max((float(max(b.score, a.score)) for b, a in pairs), default=1.0)
    span = max(high - low, 1.0)
    # About one line of 8-point text, in data units, for the axes' height.
    gap = span * 0.16 / max(height - 1.6, 0.5)
    left = _spread_out([float(b.score) for b, _ in pairs], gap)
    right = _spread_out([float(a.score) for _, a in pairs], gap)
    for (old, new), y_left, y_right in zip(pairs, left, right, strict=True):
        direction = (new.score > old.score) - (new.score < old.score)
        colour = colours[direction]
        ax.plot([0, 1], [float(old.score), float(new.score)], color=colour, marker="o", markersize=4,
                linewidth=1.5)
        ax.text(-0.04, y_left, f"{_short(old.name, 30)}  {_num(old.score, locale)}", ha="right", va="center",
                fontsize=8)
        ax.text(1.04, y_right, f"{_num(new.score, locale)}  {_short(new.name, 30)}", ha="left", va="center",
                fontsize=8)
    margin = gap * 2
    ax.set_ylim(min([low, *left, *right]) - margin, max([high, *left, *right]) + margin)
    ax.set_xlim(-0.9, 1.9)
    ax.set_xticks([0, 1], labels=[_nfc(labels[0]), _nfc(labels[1])])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0)
    ax.set_yticks([])
    _hide_frame(ax, "left", "right", "bottom", "top")
    figure.legend(
        handles=[Line2D([], [], color=colours[d], marker="o", markersize=4, label=_word(w, locale))
                 for d, w in ((1, "rose"), (0, "unchanged"), (-1, "fell"))],
        loc="outside lower center", ncols=3, fontsize=8, frameon=False,
    )
    if unpaired:
        figure.supxlabel(textwrap.fill(f"{_word('unpaired', locale)}: {', '.join(unpaired)}", 110),
                         fontsize=8, x=0.01, ha="left")
    scheme = after.scheme
    heading = f"{_nfc(labels[0])} → {_nfc(labels[1])}"
    figure.suptitle(_title(scheme, heading), fontsize=10)
    return figure
