"""The ``parscore`` command line.

Exit status: 0 on success, 1 when a scheme, the data or a worked example has
problems (all of them are listed on stderr), 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NoReturn, TextIO

from ._version import __version__
from .assessments import load_assessments
from .errors import ParscoreError
from .evaluation import Result, evaluate
from .kit import create_plugin
from .model import Scheme
from .numbers import format_decimal, round_half_up, trim
from .plugins import DISABLE_AUTOLOAD, available_schemes, get_scheme, get_scheme_package, installed_rules
from .published import Discrepancy, compare_published, load_published
from .schemefile import load_scheme

__all__ = ["main", "render_table", "result_to_json"]

_EXAMPLE_ID = "vn.dak-nong.krong-no.commune.2022"
_EXAMPLE_DATA = "schemes/krong_no_2022/examples/communes-2022"
_WIDTH = 80


def _scheme(ref: str) -> Scheme:
    """A scheme file path or an installed scheme id."""
    if ref.endswith(".toml") or Path(ref).exists():
        return load_scheme(ref, rules=installed_rules())
    return get_scheme(ref)


def _num(value: Decimal, places: int | None = None) -> str:
    if places is not None:
        value = round_half_up(value, places)
    return format_decimal(trim(value))


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
    footer = None
    if result.units:
        average = result.average_total()
        footer = ["", "Average", _num(average, 2)] + ([""] if normalised else []) + [
            scheme.band_for(average).name
        ]
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
    out = [
        _clip(scheme.title, _WIDTH),
        _clip(f"{scheme.id} r{scheme.revision}: {result.provenance.basis} points out of"
              f" {_num(scheme.scale)}", _WIDTH),
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


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    scheme = _scheme(args.scheme)
    leaves = sum(1 for _ in scheme.leaves())
    out.write(
        f"ok: {scheme.id} revision {scheme.revision}: {len(scheme.fields)} fields, {leaves} leaves,"
        f" {_num(scheme.max_total)} points, {len(scheme.bands)} bands\n"
    )
    for note in scheme.source_notes():
        out.write(f"source contradiction: {note}\n")
    return 0


def _cmd_evaluate(args: argparse.Namespace, out: TextIO) -> int:
    scheme = _scheme(args.scheme)
    assessments = load_assessments(args.data)
    result = evaluate(scheme, assessments, basis=args.basis)
    discrepancies: tuple[Discrepancy, ...] = ()
    if args.published:
        discrepancies = compare_published(result, load_published(args.published))
    if args.format == "json":
        data = result_to_json(result)
        if args.published:
            data["discrepancies"] = [_discrepancy_json(d) for d in discrepancies]
        json.dump(data, out, ensure_ascii=False, indent=2)
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


def _cmd_schemes(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    listed = available_schemes()
    if not listed:
        out.write("no schemes installed\n")
    for item in listed:
        if item.error is not None:
            out.write(f"{item.id}  BROKEN ({item.distribution}): {item.error}\n")
        else:
            out.write(
                f"{item.id}  r{item.revision}  {item.level} {item.year}  {item.issuer}"
                f"  ({item.distribution})\n    {item.title}\n"
            )
    return 0


def _cmd_show(args: argparse.Namespace, out: TextIO) -> int:
    scheme = _scheme(args.scheme)
    out.write(f"{scheme.id} r{scheme.revision}: {scheme.title}\n")
    out.write(f"{scheme.issuer}, {scheme.level}, {scheme.year}; {_num(scheme.max_total)} points")
    out.write(f" on a scale of {_num(scheme.scale)}\n\n" if scheme.normalisation else "\n\n")
    for node in scheme.nodes():
        depth = node.code.count(".")
        rule = f"  [{node.rule.kind}]" if node.rule is not None and node.is_leaf else ""
        out.write(f"{'  ' * depth}{node.code}  {node.title}  (max {_num(node.max)}){rule}\n")
    out.write("\nbands: " + ", ".join(
        f"{b.name} ≥ {_num(b.lower)}" + (f" and < {_num(b.upper)}" if b.upper is not None else "")
        for b in sorted(scheme.bands, key=lambda b: b.lower, reverse=True)
    ) + "\n")
    for note in scheme.source_notes():
        out.write(f"source contradiction: {note}\n")
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


def _cmd_new_scheme(args: argparse.Namespace, out: TextIO) -> int:
    written = create_plugin(args.dest, args.id, args.title, args.issuer, args.document)
    out.write(f"created the plug-in for {args.id} in {args.dest}:\n")
    out.writelines(f"  {path}\n" for path in written)
    out.write(
        f"\nnext: `pip install -e '{args.dest}[test]'`, edit {written[4]},"
        f" check it with `parscore check {written[4]}` and run `parscore test {args.id}`\n"
    )
    return 0


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


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="parscore",
        description="Score public bodies against PAR Index (Chỉ số CCHC) schemes, exactly.",
        epilog=f"example: parscore evaluate --scheme {_EXAMPLE_ID} {_EXAMPLE_DATA}/assessments.toml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"parscore {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND", parser_class=_Parser)

    def command(name: str, help: str, example: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help[0].upper() + help[1:] + ".",
                              epilog=f"example:\n  {example}", formatter_class=argparse.RawDescriptionHelpFormatter)

    check = command("check", "validate a scheme file or an installed scheme",
                    "parscore check schemes/krong_no_2022/scheme.toml")
    check.add_argument("scheme", metavar="SCHEME", help="a scheme TOML file or an installed scheme id")
    check.set_defaults(run=_cmd_check)

    ev = command("evaluate", "score, band and rank the units of an assessments file",
                 f"parscore evaluate --scheme {_EXAMPLE_ID} {_EXAMPLE_DATA}/assessments.toml"
                 f" --published {_EXAMPLE_DATA}/published.toml")
    ev.add_argument("--scheme", required=True, metavar="ID_OR_FILE", help="installed scheme id or TOML file")
    ev.add_argument("data", metavar="DATA", help="assessments TOML file")
    ev.add_argument("--format", choices=("table", "json"), default="table")
    ev.add_argument("--basis", choices=("appraised", "self_assessed"), default="appraised",
                    help="which values to score (default: appraised, the official ones)")
    ev.add_argument("--published", metavar="FILE",
                    help="published figures (TOML) to check against the recomputation")
    ev.set_defaults(run=_cmd_evaluate)

    schemes = command("schemes", f"list installed schemes, and broken plug-ins with their error"
                      f" ({DISABLE_AUTOLOAD}=1 ignores third-party plug-ins)", "parscore schemes")
    schemes.set_defaults(run=_cmd_schemes, wants_err=True)

    show = command("show", "print a scheme's tree with codes, titles, maxima and rules",
                   f"parscore show {_EXAMPLE_ID}")
    show.add_argument("scheme", metavar="SCHEME", help="a scheme TOML file or an installed scheme id")
    show.set_defaults(run=_cmd_show)

    test = command("test", "run the worked examples installed schemes ship, and check their published figures",
                   f"parscore test {_EXAMPLE_ID}")
    test.add_argument("scheme", metavar="ID", nargs="?", help="one installed scheme id (default: every one)")
    test.set_defaults(run=_cmd_test, wants_err=True)

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
    except _UsageError as exc:
        err.write(str(exc))
        return 2
    except _Exit as exc:
        (out if exc.status == 0 else err).write(exc.message)
        return exc.status
    try:
        if getattr(args, "wants_err", False):
            return int(args.run(args, out, err))
        return int(args.run(args, out))
    except ParscoreError as exc:
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
