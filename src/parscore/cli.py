"""The ``parscore`` command line.

Exit status: 0 on success, 1 when a scheme, the data or a worked example has
problems (all of them are listed on stderr) or when ``audit`` finds
discrepancies, 2 on wrong usage.

Every command that prints a table takes ``--format`` (``table``, ``md``,
``csv``, ``json``, ``xlsx``, ``html``), ``--locale`` (``en`` or ``vi``) and
``--output FILE``; a command that prints several tables also takes
``--table`` to pick some of them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, NoReturn, TextIO, cast

import attrs

from ._version import __version__
from .analysis import adjustments, compare_years, distribution, gap_table, load_plan
from .assessments import Assessments
from .audit import audit_published, audit_summary, discrepancy_table, load_summary
from .errors import ParscoreError
from .evaluation import Result, evaluate
from .files import read_assessments, result_table, tables_html, write_tables
from .kit import create_plugin
from .model import Scheme
from .numbers import format_decimal, round_half_up, trim
from .plugins import (
    DISABLE_AUTOLOAD,
    InstalledScheme,
    available_schemes,
    get_scheme,
    get_scheme_package,
    installed_rules,
)
from .projection import load_tracking, project
from .published import Discrepancy, compare_published, load_published
from .schemediff import diff_schemes
from .schemefile import load_scheme
from .tables import Cell, Column, Locale, Table

__all__ = ["main", "render_table", "result_to_json"]

_EXAMPLE_ID = "vn.dak-nong.krong-no.commune.2022"
_EXAMPLE_DATA = "schemes/krong_no_2022/examples/communes-2022"
_DAK_GLONG_ID = "vn.dak-nong.district.2023"
_DAK_GLONG_DATA = "schemes/dak_nong_district_2023/examples/dak-glong-2023"
_PHU_YEN_ID = "vn.son-la.phu-yen.commune.2022"
_PHU_YEN_DATA = "schemes/phu_yen_2022/examples/communes-2022-summary"
_DEMO = "tests/data/cli"
_WIDTH = 80
#: Text cells longer than this are wrapped within their column in the terminal table.
_WRAP = 40

#: The output formats, and the suffixes of ``--output`` that choose them when ``--format`` is not given.
_FORMATS = ("table", "md", "csv", "json", "xlsx", "html")
_SUFFIXES = {
    ".txt": "table", ".text": "table", ".md": "md", ".markdown": "md", ".csv": "csv", ".json": "json",
    ".xlsx": "xlsx", ".html": "html", ".htm": "html",
}
#: The levels of government in Vietnamese.
_LEVELS_VI = {"commune": "xã", "district": "huyện", "province": "tỉnh", "department": "sở, ngành"}
#: Assessments files bigger than this (bytes) or with more units than this are slow enough to show progress.
_SLOW_BYTES = 256 * 1024
_SLOW_UNITS = 500


# --- schemes and numbers --------------------------------------------------------------------------


def _scheme(ref: str) -> Scheme:
    """A scheme file path or an installed scheme id."""
    if ref.endswith(".toml") or Path(ref).exists():
        return load_scheme(ref, rules=installed_rules())
    return get_scheme(ref)


def _num(value: Decimal, places: int | None = None, locale: Locale = "en") -> str:
    if places is not None:
        value = round_half_up(value, places)
    return format_decimal(trim(value), comma=locale == "vi")


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _words(locale: Locale, en: str, vi: str) -> str:
    return vi if locale == "vi" else en


def _table(name: str, title: tuple[str, str], columns: Sequence[Column], rows: Sequence[Sequence[Cell]],
           notes: Sequence[tuple[str, str]] = ()) -> Table:
    """A ``Table``, built through a plain callable: mypy's attrs plugin cannot type its tuple converters."""
    build: Callable[..., Table] = Table
    return build(name, title, tuple(columns), [tuple(r) for r in rows], tuple(notes))


def _with_notes(table: Table, notes: Sequence[tuple[str, str]]) -> Table:
    return table if not notes else attrs.evolve(table, notes=cast(Any, (*table.notes, *notes)))


def _source_notes(scheme: Scheme) -> list[tuple[str, str]]:
    return [(f"source contradiction: {n}", f"mâu thuẫn trong văn bản gốc: {n}") for n in scheme.source_notes()]


# --- the evaluation as text and JSON ------------------------------------------------------------------


def render_table(result: Result, locale: Locale = "en") -> str:
    """The ranked result as a plain-text table that fits 80 columns, headed in English or Vietnamese."""
    scheme = result.scheme
    vi = locale == "vi"
    normalised = scheme.normalisation is not None or any(u.maxima is not None for u in result.units)
    header = (["Hạng", "Đơn vị", "Tổng điểm"] if vi else ["Rank", "Unit", "Total"]) + (
        [_words(locale, "Score", "Điểm quy đổi")] if normalised else []
    ) + [_words(locale, "Band", "Xếp loại")]
    rows = []
    for unit in result.units:
        row = [str(unit.rank), unit.name, _num(unit.raw_total, locale=locale)]
        if normalised:
            row.append(_num(unit.normalised_total, locale=locale))
        row.append(unit.band.name)
        rows.append(row)
    footer = None
    if result.units:
        average = result.average_total()
        footer = ["", _words(locale, "Average", "Trung bình"), _num(average, 2, locale)] + (
            [""] if normalised else []
        ) + [scheme.band_for(average).name]
    table = [header, *rows, *([footer] if footer else [])]
    widths = [max(len(r[i]) for r in table) for i in range(len(header))]
    spare = _WIDTH - (sum(widths) + 2 * (len(widths) - 1))
    if spare < 0:  # shorten unit names, never numbers or bands
        widths[1] = max(12, widths[1] + spare)
    right = {0, 2, 3} if normalised else {0, 2}

    def line(cells: list[str]) -> str:
        cells = [_clip(c, widths[i]) for i, c in enumerate(cells)]
        return "  ".join(
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    rule = line(["-" * w for w in widths])
    basis = result.provenance.basis
    if vi:
        basis_words = "điểm thẩm định" if basis == "appraised" else "điểm tự đánh giá"
        subtitle = f"{scheme.id} r{scheme.revision}: {basis_words}, thang điểm {_num(scheme.scale, locale=locale)}"
    else:
        subtitle = f"{scheme.id} r{scheme.revision}: {basis} points out of {_num(scheme.scale)}"
    out = [
        _clip(scheme.title, _WIDTH),
        _clip(subtitle, _WIDTH),
        "",
        line(header),
        rule,
        *(line(r) for r in rows),
    ]
    if footer:
        out += [rule, line(footer)]
    return "\n".join(out) + "\n"


def _discrepancy_json(d: Discrepancy) -> dict[str, str]:
    return {"where": d.where, "subject": d.subject, "published": d.published,
            "computed": d.computed, "message": d.message}


def result_to_json(result: Result) -> dict[str, Any]:
    """The full result, every node with its explanation, as JSON-ready data."""
    p = result.provenance
    return {
        "provenance": {
            "scheme_id": p.scheme_id,
            "scheme_revision": p.scheme_revision,
            "scheme_hash": p.scheme_hash,
            "parscore_version": p.parscore_version,
            "input_hash": p.input_hash,
            "basis": p.basis,
        },
        "source_notes": list(result.scheme.source_notes()),
        "units": [
            {
                "id": u.unit_id,
                "name": u.name,
                "rank": u.rank,
                "raw_total": format_decimal(u.raw_total),
                "max_total": format_decimal(u.max_total),
                "normalised_total": format_decimal(u.normalised_total),
                "band": u.band.name,
                "total_explanation": u.total_explanation(),
                "field_ranks": dict(u.field_ranks),
                "nodes": [
                    {
                        "code": n.code,
                        "points": format_decimal(n.points),
                        "max": format_decimal(n.max),
                        "gap": format_decimal(n.gap),
                        "explanation": n.explanation,
                    }
                    for n in u.nodes()
                ],
            }
            for u in result.units
        ],
        "field_averages": (
            {code: format_decimal(avg) for code, avg in result.field_averages()} if result.units else {}
        ),
    }


# --- progress, usage errors and output ------------------------------------------------------------


class _Progress:
    """One updating line on stderr for slow work, shown only when stderr is a terminal."""

    def __init__(self, err: TextIO) -> None:
        try:
            self.enabled = bool(err.isatty())
        except (AttributeError, ValueError):
            self.enabled = False
        self.err = err
        self.shown = False

    def show(self, message: str) -> None:
        if self.enabled:
            width = shutil.get_terminal_size((_WIDTH, 24)).columns - 1  # one line, or "\r" cannot rewrite it
            self.err.write("\r\x1b[K" + _clip(f"parscore: {message}", width))
            self.err.flush()
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            self.err.write("\r\x1b[K")
            self.err.flush()
            self.shown = False


@attrs.frozen
class _Section:
    """One table a command outputs, with its own terminal rendering if it has one."""

    key: str
    table: Table
    text: Callable[[Locale], str] | None = None

    def render_text(self, locale: Locale) -> str:
        return self.text(locale) if self.text is not None else _terminal(self.table, locale)


def _terminal(table: Table, locale: Locale) -> str:
    """``table`` as ``Table.render("text")`` shows it, with text longer than ``_WRAP`` wrapped within its column."""
    header = [c.heading(locale) for c in table.columns]
    numeric = [c.kind != "text" for c in table.columns]
    body = []
    for row in table.cells(locale, exact=False):
        cells = [[cell] if numeric[i] or len(cell) <= _WRAP else textwrap.wrap(cell, _WRAP) or [""]
                 for i, cell in enumerate(row)]
        height = max(len(c) for c in cells)
        body += [[c[k] if k < len(c) else "" for c in cells] for k in range(height)]
    widths = [max([len(header[i]), *(len(r[i]) for r in body)]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            cell.rjust(widths[i]) if numeric[i] else cell.ljust(widths[i]) for i, cell in enumerate(cells)
        ).rstrip()

    title = table.title[1] if locale == "vi" else table.title[0]
    out = [title, "", line(header), line(["-" * w for w in widths]), *(line(r) for r in body)]
    out += [f"* {vi if locale == 'vi' else en}" for en, vi in table.notes]
    return "\n".join(out) + "\n"


def _usage(args: argparse.Namespace, message: str) -> NoReturn:
    parser: argparse.ArgumentParser = args.parser
    parser.error(message)


def _output_format(args: argparse.Namespace) -> str:
    if args.format is not None:
        return str(args.format)
    if args.output is not None:
        return _SUFFIXES.get(Path(args.output).suffix.casefold(), "table")
    return "table"


def _check_output(args: argparse.Namespace) -> None:
    """Usage errors of the output options, found before any work is done."""
    if not hasattr(args, "locale"):
        return
    args.format = _output_format(args)
    if args.format == "xlsx" and args.output is None:
        _usage(args, "--format xlsx needs --output FILE: a workbook cannot be written to the terminal")


def _emit(args: argparse.Namespace, out: TextIO, sections: Sequence[_Section],
          json_text: Callable[[], str] | None = None, progress: _Progress | None = None) -> None:
    """Write the sections in ``args.format`` and ``args.locale``, to ``args.output`` or ``out``.

    ``json_text``: the command's own JSON, written instead of the tables' when ``--table`` is not given.
    """
    wanted = getattr(args, "table", None)
    chosen = [s for s in sections if s.key in wanted] if wanted else list(sections)
    fmt, locale = args.format, args.locale
    tables = [s.table for s in chosen]
    if fmt == "csv" and len(tables) != 1:
        keys = ", ".join(s.key for s in sections)
        _usage(args, f"a CSV file holds one table, and this command writes {len(tables)}: choose one with"
                     f" --table ({keys})")
    if fmt == "xlsx":
        if progress is not None and sum(len(t.rows) for t in tables) >= _SLOW_UNITS * 10:
            progress.show(f"writing {args.output}…")
        try:
            write_tables(tables, args.output, "xlsx", locale)
        except OSError as exc:
            raise _Failure(f"cannot write {args.output}: {exc}") from exc
        return
    if fmt == "table":
        text = "\n".join(s.render_text(locale) for s in chosen)
    elif fmt == "md":
        text = "\n".join(t.render("md", locale) for t in tables)
    elif fmt == "csv":
        text = tables[0].render("csv", locale)
    elif fmt == "json":
        if json_text is not None and not wanted:
            text = json_text()
        elif len(tables) == 1:
            text = tables[0].render("json", locale)
        else:
            data = [json.loads(t.render("json", locale)) for t in tables]
            text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        text = tables_html(tables, locale)
    if progress is not None:
        progress.clear()  # before anything reaches the terminal
    if args.output is None:
        out.write(text)
        return
    try:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise _Failure(f"cannot write {args.output}: {exc}") from exc


class _Failure(Exception):
    """A problem with the data or the files that is not a ``ParscoreError``: exit status 1."""


@contextlib.contextmanager
def _refused() -> Iterator[None]:
    """What an analysis refuses as a ``ValueError`` (a unit not in the data, a plan for another unit)."""
    try:
        yield
    except ParscoreError:
        raise
    except ValueError as exc:
        raise _Failure(str(exc)) from exc


def _read(args: argparse.Namespace, path: str, scheme: Scheme, progress: _Progress,
          basis: str | None = None) -> Assessments:
    """The assessments of ``path`` (TOML, CSV, JSON or .xlsx, by suffix), checked against ``scheme``."""
    suffix = Path(path).suffix.casefold()
    layout: Literal["auto", "long", "wide"] = args.layout
    sheet: str | None = args.sheet
    if layout != "auto" and suffix not in (".csv", ".xlsx"):
        _usage(args, f"--layout applies to .csv and .xlsx files, not {path}")
    if sheet is not None and suffix != ".xlsx":
        _usage(args, f"--sheet applies to .xlsx workbooks, not {path}")
    try:
        slow = Path(path).stat().st_size >= _SLOW_BYTES
    except OSError:
        slow = False
    if slow:
        progress.show(f"reading {path}…")
    chosen = basis or getattr(args, "basis", "appraised")
    return read_assessments(path, scheme, layout, basis="self_assessed" if chosen == "self_assessed" else "appraised",
                            sheet=sheet)


def _evaluate(scheme: Scheme, assessments: Assessments, basis: str, progress: _Progress) -> Result:
    if len(assessments) >= _SLOW_UNITS:
        progress.show(f"scoring {len(assessments)} units…")
    return evaluate(scheme, assessments, basis="self_assessed" if basis == "self_assessed" else "appraised")


# --- commands --------------------------------------------------------------------------------------


def _cmd_check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scheme = _scheme(args.scheme)
    leaves = sum(1 for _ in scheme.leaves())
    out.write(
        f"ok: {scheme.id} revision {scheme.revision}: {len(scheme.fields)} fields, {leaves} leaves,"
        f" {_num(scheme.max_total)} points, {len(scheme.bands)} bands\n"
    )
    for note in scheme.source_notes():
        out.write(f"source contradiction: {note}\n")
    return 0


def _discrepancy_text(discrepancies: Sequence[Discrepancy], locale: Locale) -> str:
    if not discrepancies:
        return _words(locale, "every published figure agrees with the recomputation\n",
                      "mọi số liệu công bố khớp với kết quả tính lại\n")
    head = _words(locale, f"{len(discrepancies)} published figures disagree with the recomputation:\n",
                  f"{len(discrepancies)} số liệu công bố không khớp với kết quả tính lại:\n")
    return head + "".join(f"  - {d}\n" for d in discrepancies)


def _cmd_evaluate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    try:
        scheme = _scheme(args.scheme)
        result = _evaluate(scheme, _read(args, args.data, scheme, progress), args.basis, progress)
        discrepancies: tuple[Discrepancy, ...] = ()
        if args.published:
            discrepancies = compare_published(result, load_published(args.published))

        def results_text(locale: Locale) -> str:
            notes = "".join(f"\n{_words(locale, en, vi)}\n" for en, vi in _source_notes(scheme))
            return render_table(result, locale) + notes

        sections = [_Section("results", _with_notes(result_table(result), _source_notes(scheme)), results_text)]
        if args.published:
            found = discrepancy_table(
                discrepancies, "discrepancies",
                ("Published figures that disagree with the recomputation",
                 "Số liệu công bố không khớp với kết quả tính lại"),
            )
            sections.append(_Section("discrepancies", found, lambda locale: _discrepancy_text(discrepancies, locale)))

        def full_json() -> str:
            data = result_to_json(result)
            if args.published:
                data["discrepancies"] = [_discrepancy_json(d) for d in discrepancies]
            return json.dumps(data, ensure_ascii=False, indent=2) + "\n"

        _emit(args, out, sections, full_json, progress)
    finally:
        progress.clear()
    return 0


def _schemes_table(listed: Sequence[InstalledScheme]) -> Table:
    rows = [(s.id, s.revision, s.level, s.year, s.issuer, s.title, s.distribution, s.error) for s in listed]
    return _table(
        "schemes", ("Installed schemes", "Các bộ tiêu chí đã cài đặt"),
        (Column("id", "Id", "Mã"), Column("revision", "Revision", "Phiên bản", "integer"),
         Column("level", "Level", "Cấp"), Column("year", "Year", "Năm", "integer"),
         Column("issuer", "Issuer", "Cơ quan ban hành"), Column("title", "Title", "Tên"),
         Column("distribution", "Distribution", "Gói cài đặt"), Column("error", "Error", "Lỗi")),
        rows,
    )


def _cmd_schemes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    listed = available_schemes()

    def text(locale: Locale) -> str:
        if not listed:
            return _words(locale, "no schemes installed\n", "chưa cài đặt bộ tiêu chí nào\n")
        lines = []
        for item in listed:
            if item.error is not None:
                lines.append(f"{item.id}  BROKEN ({item.distribution}): {item.error}\n")
            else:
                lines.append(f"{item.id}  r{item.revision}  {item.level} {item.year}  {item.issuer}"
                             f"  ({item.distribution})\n    {item.title}\n")
        return "".join(lines)

    _emit(args, out, [_Section("schemes", _schemes_table(listed), text)])
    return 0


def _bands_text(scheme: Scheme, locale: Locale) -> str:
    def band(b: Any) -> str:
        upper = (f" {_words(locale, 'and', 'và')} < {_num(b.upper, locale=locale)}" if b.upper is not None else "")
        return f"{b.name} ≥ {_num(b.lower, locale=locale)}{upper}"

    ordered = sorted(scheme.bands, key=lambda b: b.lower, reverse=True)
    return _words(locale, "bands: ", "xếp loại: ") + ", ".join(band(b) for b in ordered)


def _about(scheme: Scheme) -> tuple[str, str]:
    """The issuer, level, year, total and scale of a scheme, in English and Vietnamese."""
    en = f"{scheme.issuer}, {scheme.level}, {scheme.year}; {_num(scheme.max_total)} points"
    level = _LEVELS_VI.get(scheme.level, scheme.level)
    vi = f"{scheme.issuer}, cấp {level}, năm {scheme.year}; {_num(scheme.max_total, locale='vi')} điểm"
    if scheme.normalisation:
        en += f" on a scale of {_num(scheme.scale)}"
        vi += f", quy về thang {_num(scheme.scale, locale='vi')}"
    return en, vi


def _cmd_show(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    scheme = _scheme(args.scheme)

    about = _about(scheme)

    def text(locale: Locale) -> str:
        lines = [f"{scheme.id} r{scheme.revision}: {scheme.title}\n", f"{_words(locale, *about)}\n\n"]
        maximum = _words(locale, "max", "tối đa")
        for node in scheme.nodes():
            depth = node.code.count(".")
            rule = f"  [{node.rule.kind}]" if node.rule is not None and node.is_leaf else ""
            points = _num(node.max, locale=locale)
            lines.append(f"{'  ' * depth}{node.code}  {node.title}  ({maximum} {points}){rule}\n")
        lines.append(f"\n{_bands_text(scheme, locale)}\n")
        lines += [f"{_words(locale, en, vi)}\n" for en, vi in _source_notes(scheme)]
        return "".join(lines)

    rows = [(n.code, n.title, n.max, n.rule.kind if n.rule is not None and n.is_leaf else None)
            for n in scheme.nodes()]
    table = _table(
        "scheme", (f"{scheme.id} r{scheme.revision}: {scheme.title}",
                   f"{scheme.id} phiên bản {scheme.revision}: {scheme.title}"),
        (Column("code", "Code", "Mã"), Column("title", "Field / criterion", "Lĩnh vực / tiêu chí"),
         Column("max", "Max", "Điểm tối đa", "number"), Column("rule", "Rule", "Cách chấm")),
        rows,
        [about, (_bands_text(scheme, "en"), _bands_text(scheme, "vi")), *_source_notes(scheme)],
    )
    _emit(args, out, [_Section("scheme", table, text)])
    return 0


def _cmd_gaps(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    try:
        scheme = _scheme(args.scheme)
        result = _evaluate(scheme, _read(args, args.data, scheme, progress), args.basis, progress)
        unit = args.unit
        if unit is None:
            if len(result.units) != 1:
                ids = ", ".join(u.unit_id for u in result.units) or "none"
                _usage(args, f"{args.data} has {len(result.units)} units: name one with --unit (ids: {ids})")
            unit = result.units[0].unit_id
        plan = load_plan(args.plan) if args.plan else None
        with _refused():
            table = gap_table(result, unit, plan, sort=args.sort, top=args.top)
        _emit(args, out, [_Section("gaps", table)], progress=progress)
    finally:
        progress.clear()
    return 0


def _pairs(values: Sequence[tuple[str, str]] | None) -> dict[str, str] | None:
    return dict(values) if values else None


def _cmd_compare(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    try:
        after_scheme = _scheme(args.scheme)
        before_scheme = _scheme(args.before_scheme) if args.before_scheme else after_scheme
        before = _evaluate(before_scheme, _read(args, args.before, before_scheme, progress), args.basis, progress)
        after = _evaluate(after_scheme, _read(args, args.after, after_scheme, progress), args.basis, progress)
        with _refused():
            comparison = compare_years(before, after, field_map=_pairs(args.field_map),
                                       unit_map=_pairs(args.unit_map))
        sections = [_Section("units", comparison.units), _Section("fields", comparison.fields),
                    _Section("summary", comparison.summary)]
        _emit(args, out, sections, progress=progress)
    finally:
        progress.clear()
    return 0


def _cmd_distribution(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    try:
        scheme = _scheme(args.scheme)
        found = distribution(_evaluate(scheme, _read(args, args.data, scheme, progress), args.basis, progress))
        _emit(args, out, [_Section("fields", found.fields), _Section("bands", found.bands)], progress=progress)
    finally:
        progress.clear()
    return 0


def _cmd_adjustments(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    progress = _Progress(err)
    try:
        scheme = _scheme(args.scheme)
        assessments = _read(args, args.data, scheme, progress, basis="appraised")
        if len(assessments) >= _SLOW_UNITS:
            progress.show(f"scoring {len(assessments)} units twice…")
        found = adjustments(scheme, assessments)
        _emit(args, out, [_Section("ranking", found.ranking), _Section("nodes", found.nodes)], progress=progress)
    finally:
        progress.clear()
    return 0


def _cmd_project(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    tracking = load_tracking(args.tracking)
    with _refused():
        projection = project(tracking, args.survey_year)
    locale: Locale = args.locale
    sections = [
        _Section("projection", projection.table(locale)),
        _Section("in-progress", projection.candidates_table(locale)),
        _Section("checks", projection.checks_table()),
    ]
    _emit(args, out, sections)
    return 0


def _audit_text(title: str, discrepancies: Sequence[Discrepancy], unchecked: Sequence[tuple[str, str]],
                locale: Locale) -> str:
    lines = [title, ""]
    if discrepancies:
        lines.append(_words(locale, f"{len(discrepancies)} discrepancies:", f"{len(discrepancies)} sai lệch:"))
        lines += [f"  - {d}" for d in discrepancies]
    else:
        lines.append(_words(locale, "no discrepancies", "không có sai lệch"))
    lines += [_words(locale, f"not checked: {en}", f"không kiểm tra được: {vi}") for en, vi in unchecked]
    return "\n".join(lines) + "\n"


def _cmd_audit(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.published is None and args.summary is None:
        _usage(args, "give a PUBLISHED file, a --summary FILE, or both")
    scheme = _scheme(args.scheme)
    sections = []
    found = 0
    if args.published is not None:
        report = audit_published(scheme, load_published(args.published), rounded=args.rounded)
        table = report.table()
        found += len(report.discrepancies)
        sections.append(_Section("published", table, lambda locale: _audit_text(
            table.title[1 if locale == "vi" else 0], report.discrepancies, report.unchecked, locale)))
    if args.summary is not None:
        summary = audit_summary(load_summary(args.summary), scheme)
        checks = summary.table()
        found += len(summary.discrepancies)

        def summary_text(locale: Locale) -> str:
            title = checks.title[1 if locale == "vi" else 0]
            wrong = [c for c in summary.checks if not c.agrees]
            right = [c for c in summary.checks if c.agrees]
            lines = [title, ""]
            if wrong:
                lines.append(_words(locale, f"{len(wrong)} of {len(summary.checks)} checks disagree:",
                                    f"{len(wrong)} trên {len(summary.checks)} phép kiểm tra không khớp:"))
                lines += [f"  - {c}" for c in wrong]
            if right:
                lines.append(_words(locale, f"{len(right)} of {len(summary.checks)} checks agree:",
                                    f"{len(right)} trên {len(summary.checks)} phép kiểm tra khớp:"))
                lines += [f"  - {c}" for c in right]
            lines += [_words(locale, f"not checked: {en}", f"không kiểm tra được: {vi}")
                      for en, vi in summary.unchecked]
            return "\n".join(lines) + "\n"

        sections.append(_Section("summary", checks, summary_text))
    _emit(args, out, sections)
    if found:
        err.write(f"error: the audit found {found} {'discrepancy' if found == 1 else 'discrepancies'}\n")
        return 1
    return 0


def _cmd_diff(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    diff = diff_schemes(_scheme(args.old), _scheme(args.new))
    table = diff.table(args.locale)

    def text(locale: Locale) -> str:
        lines = [table.title[1 if locale == "vi" else 0], ""]
        lines += [f"  - {c.message_vi if locale == 'vi' else c.message}" for c in diff.changes]
        lines += ["", *(vi if locale == "vi" else en for en, vi in table.notes)]
        return "\n".join(lines) + "\n"

    _emit(args, out, [_Section("changes", table, text)])
    return 0


def _cmd_test(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    ids = [args.scheme] if args.scheme else [s.id for s in available_schemes()]
    passed = failed = 0
    for scheme_id in ids:
        try:
            outcomes = get_scheme_package(scheme_id).run_examples()
        except ParscoreError as exc:
            err.write(f"{scheme_id}: ERROR\n{exc}\n")
            failed += 1
            continue
        if not outcomes:
            out.write(f"{scheme_id}: no worked examples\n")
        for outcome in outcomes:
            out.write(f"{scheme_id} {outcome.report()}\n")
            passed += outcome.passed
            failed += not outcome.passed
    out.write(f"examples: {passed} passed, {failed} failed\n")
    return 1 if failed else 0


def _cmd_new_scheme(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    written = create_plugin(args.dest, args.id, args.title, args.issuer, args.document)
    out.write(f"created the plug-in for {args.id} in {args.dest}:\n")
    out.writelines(f"  {path}\n" for path in written)
    out.write(
        f"\nnext: `pip install -e '{args.dest}[test]'`, edit {written[4]},"
        f" check it with `parscore check {written[4]}` and run `parscore test {args.id}`\n"
    )
    return 0


# --- the parser -----------------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    """An argument parser that reports usage errors through ``main``'s streams."""

    def error(self, message: str) -> NoReturn:
        raise _UsageError(f"{self.format_usage()}{self.prog}: error: {message}\n")

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        raise _Exit(status, message or "")

    def print_help(self, file: Any = None) -> None:
        raise _Exit(0, self.format_help())


class _UsageError(Exception):
    pass


class _Exit(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _mapping(text: str) -> tuple[str, str]:
    """``OLD=NEW`` as a pair."""
    old, sep, new = text.partition("=")
    if not sep or not old.strip() or not new.strip():
        hint = " (a list of pairs ends at the next option or --: give it after the data files)" if not sep else ""
        raise argparse.ArgumentTypeError(f"expected OLD=NEW, got {text!r}{hint}")
    return old.strip(), new.strip()


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text!r}")
    return value


def _year(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a year, got {text!r}") from None


def _output_options(parser: argparse.ArgumentParser, tables: Sequence[str] = ()) -> None:
    group = parser.add_argument_group("output")
    group.add_argument("--format", choices=_FORMATS, default=None,
                       help="table (for the terminal, the default), md (Markdown), csv, json, xlsx (needs"
                            " --output) or html; by default the suffix of --output chooses")
    group.add_argument("--locale", choices=("en", "vi"), default="en",
                       help="headings and notes in English (the default) or Vietnamese, with a decimal comma"
                            " in table, md, csv and html output")
    group.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    if tables:
        group.add_argument("--table", action="append", choices=tables, metavar="NAME",
                           help=f"output only this table ({', '.join(tables)}); may be repeated"
                                " (default: every one)")


def _data_options(parser: argparse.ArgumentParser, basis: bool = True) -> None:
    group = parser.add_argument_group("data files (TOML, CSV, JSON or .xlsx, by suffix)")
    group.add_argument("--layout", choices=("auto", "long", "wide"), default="auto",
                       help="of a CSV file or sheet: one row per unit and criterion (long) or per unit (wide);"
                            " auto: long when there is a code column")
    group.add_argument("--sheet", metavar="NAME", help="the sheet of an .xlsx workbook (default: the first)")
    if basis:
        group.add_argument("--basis", choices=("appraised", "self_assessed"), default="appraised",
                           help="which values to score (default: appraised, the official ones)")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="parscore",
        description="Score public bodies against PAR Index (Chỉ số CCHC) schemes, exactly.",
        epilog=f"example: parscore evaluate --scheme {_EXAMPLE_ID} {_EXAMPLE_DATA}/assessments.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"parscore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, example: str, more: str = "") -> argparse.ArgumentParser:
        made = sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + "." + more,
                              epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter)
        made.set_defaults(parser=made)
        return made

    check = command("check", "validate a scheme file or an installed scheme",
                    "parscore check schemes/krong_no_2022/scheme.toml")
    check.add_argument("scheme", metavar="SCHEME", help="a scheme TOML file or an installed scheme id")
    check.set_defaults(run=_cmd_check)

    ev = command("evaluate", "score, band and rank the units of an assessments file",
                 f"parscore evaluate --scheme {_EXAMPLE_ID} {_EXAMPLE_DATA}/assessments.toml"
                 f" --published {_EXAMPLE_DATA}/published.toml",
                 "\n\nWithout --table, --format json writes the full result, every node explained.")
    ev.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    ev.add_argument("data", metavar="DATA", help="assessments file")
    ev.add_argument("--published", metavar="FILE",
                    help="published figures (TOML) to check against the recomputation")
    _data_options(ev)
    _output_options(ev, ("results", "discrepancies"))
    ev.set_defaults(run=_cmd_evaluate)

    gaps = command("gaps", "a unit's improvement gaps: per field and criterion the points it lost, and its plan",
                   f"parscore gaps --scheme {_DAK_GLONG_ID} {_DAK_GLONG_DATA}/assessments.toml"
                   f" --plan {_DAK_GLONG_DATA}/plan-2024.toml --sort gap --top 5")
    gaps.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    gaps.add_argument("data", metavar="DATA", help="assessments file")
    gaps.add_argument("--unit", metavar="ID_OR_NAME",
                      help="the unit's id or exact name (needed when DATA holds more than one unit)")
    gaps.add_argument("--plan", metavar="FILE", help="the unit's improvement plan (TOML): targets, tasks, offices")
    gaps.add_argument("--sort", choices=("code", "gap"), default="code",
                      help="rows in the scheme's order (code, the default) or largest gap first (gap)")
    gaps.add_argument("--top", type=_positive, metavar="N",
                      help="only the N criteria with the largest gaps (the total row stays the whole unit's)")
    _data_options(gaps)
    _output_options(gaps)
    gaps.set_defaults(run=_cmd_gaps)

    compare = command(
        "compare", "compare two results of the same units: changes of score, rank and band, per unit and field",
        f"parscore compare --before-scheme {_DEMO}/demo-2023.toml --scheme {_DEMO}/demo-2024.toml"
        f" {_DEMO}/communes-2023.toml {_DEMO}/communes-2024.toml --field-map 2=3 --table summary",
    )
    compare.add_argument("--scheme", required=True, metavar="ID_OR_FILE",
                         help="the scheme of the later result (AFTER)")
    compare.add_argument("--before-scheme", metavar="ID_OR_FILE",
                         help="the scheme of the earlier result (BEFORE), if not the same")
    compare.add_argument("before", metavar="BEFORE", help="assessments file of the earlier result")
    compare.add_argument("after", metavar="AFTER", help="assessments file of the later result")
    compare.add_argument("--field-map", type=_mapping, nargs="+", action="extend", metavar="OLD=NEW",
                         help="pair field OLD of BEFORE with field NEW of AFTER (fields are paired by code"
                              " otherwise)")
    compare.add_argument("--unit-map", type=_mapping, nargs="+", action="extend", metavar="OLD=NEW",
                         help="pair unit OLD of BEFORE with unit NEW of AFTER, ids or exact names (units are"
                              " paired by id otherwise)")
    _data_options(compare)
    _output_options(compare, ("units", "fields", "summary"))
    compare.set_defaults(run=_cmd_compare)

    dist = command("distribution", "averages, extremes and spreads per field, and the units in each band",
                   f"parscore distribution --scheme {_EXAMPLE_ID} {_EXAMPLE_DATA}/assessments.toml --table bands")
    dist.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    dist.add_argument("data", metavar="DATA", help="assessments file")
    _data_options(dist)
    _output_options(dist, ("fields", "bands"))
    dist.set_defaults(run=_cmd_distribution)

    adj = command("adjustments", "compare each unit's self-assessment with its appraisal",
                  f"parscore adjustments --scheme {_DEMO}/demo-2024.toml {_DEMO}/communes-2024.toml"
                  " --table ranking",
                  "\n\nEvery unit needs both self-assessed and appraised values (a long layout or TOML, JSON).")
    adj.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    adj.add_argument("data", metavar="DATA", help="assessments file with self-assessed and appraised values")
    _data_options(adj, basis=False)
    _output_options(adj, ("ranking", "nodes"))
    adj.set_defaults(run=_cmd_adjustments)

    proj = command("project", "project the year-end score from a mid-year tracking file",
                   "parscore project schemes/tam_nong_district_2021/examples/tam-nong-2021/tracking-2022.toml")
    proj.add_argument("tracking", metavar="TRACKING", help="the tracking file (TOML)")
    proj.add_argument("--survey-year", type=_year, metavar="YEAR",
                      help="carry the survey points of YEAR (default: the latest year before the tracking's)")
    _output_options(proj, ("projection", "in-progress", "checks"))
    proj.set_defaults(run=_cmd_project)

    aud = command("audit", "check a report's printed figures against one another and the scheme, without"
                           " assessments",
                  f"parscore audit --scheme {_PHU_YEN_ID} {_PHU_YEN_DATA}/published.toml"
                  f" --summary {_PHU_YEN_DATA}/summary-2022.toml",
                  "\n\nThe exit status is 1 when the audit finds a discrepancy (the report is written"
                  " all the same),\n0 when every figure agrees.")
    aud.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    aud.add_argument("published", metavar="PUBLISHED", nargs="?", help="the published figures (TOML)")
    aud.add_argument("--summary", metavar="FILE",
                     help="the figures of a summary report (TOML): band counts, shares, who rose or fell")
    aud.add_argument("--rounded", action="store_true",
                     help="take each printed figure as any value that prints as it (report a sum only when no"
                          " such values give it)")
    _output_options(aud, ("published", "summary"))
    aud.set_defaults(run=_cmd_audit)

    diff = command("diff", "list what changed from one scheme to another, and whether scores stay comparable",
                   f"parscore diff {_EXAMPLE_ID} {_PHU_YEN_ID}")
    diff.add_argument("old", metavar="OLD", help="the earlier scheme: installed id or TOML file")
    diff.add_argument("new", metavar="NEW", help="the later scheme: installed id or TOML file")
    _output_options(diff)
    diff.set_defaults(run=_cmd_diff)

    schemes = command("schemes", f"list installed schemes, and broken plug-ins with their error"
                      f" ({DISABLE_AUTOLOAD}=1 ignores third-party plug-ins)", "parscore schemes")
    _output_options(schemes)
    schemes.set_defaults(run=_cmd_schemes)

    show = command("show", "print a scheme's tree with codes, titles, maxima and rules",
                   f"parscore show {_EXAMPLE_ID}")
    show.add_argument("scheme", metavar="SCHEME", help="a scheme TOML file or an installed scheme id")
    _output_options(show)
    show.set_defaults(run=_cmd_show)

    test = command("test", "run the worked examples installed schemes ship, and check their published figures",
                   f"parscore test {_EXAMPLE_ID}")
    test.add_argument("scheme", metavar="ID", nargs="?", help="one installed scheme id (default: every one)")
    test.set_defaults(run=_cmd_test)

    new = command("new-scheme", "create a ready scheme plug-in package for a province",
                  "parscore new-scheme parscore-scheme-lam-dong --id vn.lam-dong.commune.2025"
                  " --title 'Chỉ số CCHC cấp xã tỉnh Lâm Đồng năm 2025' --issuer 'UBND tỉnh Lâm Đồng'")
    new.add_argument("dest", metavar="DEST", help="the folder to create")
    new.add_argument("--id", required=True, help="scheme id: <country>.<issuer…>.<level>.<year>")
    new.add_argument("--title", required=True, help="the scheme's title, as the decision names it")
    new.add_argument("--issuer", required=True, help="who issues the scheme, e.g. 'UBND tỉnh Lâm Đồng'")
    new.add_argument("--document", default="Quyết định số …/QĐ-UBND",
                     help="the issuing decision (number and date)")
    new.set_defaults(run=_cmd_new_scheme)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = _parser().parse_args(argv)
        _check_output(args)
        return int(args.run(args, out, err))
    except _UsageError as exc:
        err.write(str(exc))
        return 2
    except _Exit as exc:
        (out if exc.status == 0 else err).write(exc.message)
        return exc.status
    except ParscoreError as exc:
        err.write(f"error: {exc}\n")
        return 1
    except _Failure as exc:
        err.write(f"error: {exc}\n")
        return 1
    except BrokenPipeError:  # the reader (e.g. `head`) stopped reading: not an error of ours
        _silence_stdout()
        return 0


def _silence_stdout() -> None:
    """Point stdout at devnull, so that Python's final flush raises nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
