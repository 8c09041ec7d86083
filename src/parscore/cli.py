"""The ``parscore`` command line.

Exit status: 0 on success, 1 when a scheme or the data has problems (all of
them are listed on stderr), 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO

from .assessments import load_assessments
from .errors import InputError, ParscoreError
from .evaluation import Result, evaluate
from .model import Scheme
from .numbers import format_decimal, round_half_up
from .plugins import available_schemes, get_scheme
from .published import compare_published, load_published
from .schemefile import load_scheme

__all__ = ["main"]

_EXAMPLE_ID = "vn.dak-nong.krong-no.commune.2022"


def _scheme(ref: str) -> Scheme:
    """A scheme file path or an installed scheme id."""
    if ref.endswith(".toml") or Path(ref).exists():
        return load_scheme(ref)
    return get_scheme(ref)


def _num(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        value = round_half_up(value, places)
    return format_decimal(value)


def _width(text: str) -> int:
    return len(text)


def render_table(result: Result) -> str:
    """The ranked result as a plain-text table that fits 80 columns."""
    scheme = result.scheme
    normalised = scheme.normalisation is not None or any(u.maxima is not None for u in result.units)
    header = ["Rank", "Unit", "Total"] + (["Score"] if normalised else []) + ["Band"]
    rows = []
    for unit in result.units:
        row = [str(unit.rank), unit.name, _num(unit.raw_total)]
        if normalised:
            row.append(_num(unit.normalised_total))
        row.append(unit.band.name)
        rows.append(row)
    average = result.average_total() if result.units else None
    footer = None
    if average is not None:
        footer = ["", "Average", _num(average, 2)] + ([""] if normalised else []) + [
            scheme.band_for(average).name
        ]
    widths = [max(len(r[i]) for r in [header, *rows, *([footer] if footer else [])]) for i in range(len(header))]
    right = {0, 2, 3} if normalised else {0, 2}

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(widths[i]) if i in right else c.ljust(widths[i]) for i, c in enumerate(cells)
        ).rstrip()

    out = [
        f"{scheme.title}",
        f"scheme {scheme.id} (revision {scheme.revision}), {result.provenance.basis} points,"
        f" out of {_num(scheme.scale)}",
        "",
        line(header),
        line(["-" * w for w in widths]),
        *(line(r) for r in rows),
    ]
    if footer:
        out += [line(["-" * w for w in widths]), line(footer)]
    return "\n".join(out) + "\n"


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
        "field_averages": {code: format_decimal(avg) for code, avg in result.field_averages()},
    }


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    scheme = _scheme(args.scheme)
    leaves = sum(1 for _ in scheme.leaves())
    out.write(
        f"ok: {scheme.id} revision {scheme.revision}: {len(scheme.fields)} fields, {leaves} leaves,"
        f" {format_decimal(scheme.max_total)} points, {len(scheme.bands)} bands\n"
    )
    for note in scheme.source_notes():
        out.write(f"source contradiction: {note}\n")
    return 0


def _cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    scheme = _scheme(args.scheme)
    assessments = load_assessments(args.data)
    result = evaluate(scheme, assessments, basis=args.basis)
    discrepancies = ()
    if args.published:
        discrepancies = compare_published(result, load_published(args.published))
    if args.format == "json":
        data = result_to_json(result)
        if args.published:
            data["discrepancies"] = [
                {"where": d.where, "subject": d.subject, "published": d.published,
                 "computed": d.computed, "message": d.message}
                for d in discrepancies
            ]
        json.dump(data, out, ensure_ascii=False, indent=2, sort_keys=False)
        out.write("\n")
        return 0
    out.write(render_table(result))
    for note in scheme.source_notes():
        out.write(f"\nsource contradiction: {note}\n")
    if args.published:
        if discrepancies:
            out.write(f"\n{len(discrepancies)} published figures disagree with the recomputation:\n")
            out.writelines(f"  - {d}\n" for d in discrepancies)
        else:
            out.write("\nevery published figure agrees with the recomputation\n")
    return 0


def _cmd_schemes(args: argparse.Namespace, out: TextIO) -> int:
    for item in available_schemes():
        out.write(f"{item.id}  ({item.distribution})\n")
    return 0


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    scheme = _scheme(args.scheme)
    out.write(f"{scheme.id}: {scheme.title}\n")
    for node in scheme.nodes():
        depth = node.code.count(".")
        rule = f"  [{node.rule.kind}]" if node.rule is not None else ""
        out.write(f"{'  ' * depth}{node.code}  {node.title}  (max {format_decimal(node.max)}){rule}\n")
    out.write("bands: " + ", ".join(
        f"{b.name} [{format_decimal(b.lower)}, {format_decimal(b.upper) if b.upper is not None else ''})"
        for b in sorted(scheme.bands, key=lambda b: b.lower, reverse=True)
    ) + "\n")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="parscore",
        description="Score public bodies against PAR Index (Chỉ số CCHC) schemes.",
        epilog=f"example: parscore evaluate --scheme {_EXAMPLE_ID} assessments.toml",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    check = sub.add_parser(
        "check", help="validate a scheme file or installed scheme",
        epilog="example: parscore check schemes/krong_no_2022/scheme.toml",
    )
    check.add_argument("scheme", metavar="SCHEME", help="a scheme TOML file or an installed scheme id")
    check.set_defaults(run=_cmd_check)
    ev = sub.add_parser(
        "evaluate", help="score, band and rank the units of an assessments file",
        epilog=f"example: parscore evaluate --scheme {_EXAMPLE_ID} assessments.toml --format json",
    )
    ev.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    ev.add_argument("data", metavar="DATA", help="assessments TOML file")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.add_argument("--basis", choices=("appraised", "self_assessed"), default="appraised",
                    help="which values to score (default: appraised, the official ones)")
    ev.add_argument("--published", metavar="FILE",
                    help="published figures (TOML) to check against the recomputation")
    ev.set_defaults(run=_cmd_evaluate)
    schemes = sub.add_parser("schemes", help="list installed schemes", epilog="example: parscore schemes")
    schemes.set_defaults(run=_cmd_schemes)
    show = sub.add_parser("show", help="print a scheme's tree", epilog=f"example: parscore show {_EXAMPLE_ID}")
    show.add_argument("scheme", metavar="SCHEME", help="a scheme TOML file or an installed scheme id")
    show.set_defaults(run=_cmd_show)
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run the command line; returns the exit status."""
    out = out or sys.stdout
    err = err or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return int(args.run(args, out))
    except InputError as exc:
        err.write(f"error: {exc}\n")
        return 1
    except ParscoreError as exc:
        err.write(f"error: {exc}\n")
        return 1


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
