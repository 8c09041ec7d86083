"""Published figures, and the check of a report against what the scheme computes.

Reports publish totals, bands, ranks, per-field tables and averages.  A
``Published`` record holds them as printed, unit names spelt as printed; an
explicit alias table maps each spelling to a unit id.  ``compare_published``
recomputes everything and returns every ``Discrepancy`` with its place, and
never adjusts either side.

A printed number agrees with a computed one when the computed value, rounded
half-up to as many decimals as were printed, equals it (67.75 prints the
exact mean 67.75; 7.8 prints 7.8333…).
"""

from __future__ import annotations

import functools
import itertools
import operator
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import attrs

from . import _toml
from . import units as _units
from .assessments import nfc_name as _nfc
from .errors import AssessmentError, Problem
from .evaluation import Result, UnitResult
from .numbers import divide, exact_sum, places, round_half_up
from .numbers import format_decimal as _fmt

__all__ = [
    "Claim",
    "Discrepancy",
    "FieldTable",
    "Published",
    "PublishedRow",
    "compare_published",
    "load_published",
    "loads_published",
    "resolve_unit",
]


@attrs.frozen
class PublishedRow:
    """One printed row: a unit as spelt, its rank, its points, maybe its band."""

    unit: str
    points: Decimal
    rank: int | None = None
    band: str | None = None


@attrs.frozen
class FieldTable:
    """A per-field table as printed: its rows, maximum and average."""

    code: str
    where: str
    rows: tuple[PublishedRow, ...]
    max: Decimal | None = None
    average: Decimal | None = None
    #: The decimals this table's points are printed to (trailing zeros dropped).
    decimals: int | None = None


#: What a ``Claim`` can state, and what it is checked against.
CLAIM_KINDS = {
    "average_total": "the mean score of all units",
    "total": "a unit's score (its normalised total)",
    "raw_total": "a unit's raw total, before normalisation",
    "points": "a unit's points on the listed codes, added up",
    "deduction": "a unit's points lost (max − points) on the listed codes, added up",
    "max": "the scheme's maximum on the listed codes, added up (all fields when none are listed)",
    "average_points": "the mean over all units of their points on the listed codes",
}


@attrs.frozen
class Claim:
    """A figure stated in the report's text, such as a sub-total or a deduction.

    ``what`` is one of ``CLAIM_KINDS``; ``unit`` names the unit as printed
    where the claim is about one; ``codes`` lists the nodes it covers.
    """

    what: str
    value: Decimal
    where: str
    text: str | None = None
    unit: str | None = None
    codes: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    decimals: int | None = None


@attrs.frozen
class Published:
    """Everything one report published about one scheme's results."""

    scheme: str
    source: str
    aliases: tuple[tuple[str, str], ...]
    results_where: str
    results: tuple[PublishedRow, ...]
    average: Decimal | None = None
    average_band: str | None = None
    fields: tuple[FieldTable, ...] = ()
    claims: tuple[Claim, ...] = ()
    #: The decimals the report prints its figures to, where tables and
    #: claims do not say otherwise: "80" printed to 1 decimal means 80.0.
    decimals: int | None = None
    #: The decimals of the ranking table's totals, if it differs.
    results_decimals: int | None = None
    #: The units the report is about, id → official name, when it says so: it
    #: lets an audit identify every spelling without the assessments.
    units: tuple[tuple[str, str], ...] = ()


@attrs.frozen
class Discrepancy:
    """A published figure that disagrees with the recomputed one."""

    where: str
    subject: str
    published: str
    computed: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.subject}: {self.message}"




def resolve_unit(name: str, units: Mapping[str, str], aliases: Mapping[str, str]) -> str:
    """The id of the unit printed as ``name``.

    ``units`` maps ids to canonical names.  A name matches a unit's id or
    its name (in NFC), or an entry of the explicit ``aliases`` table; a
    near-miss is never matched silently: ``ValueError`` lists the candidates.
    The matching is ``parscore.units.resolve_unit``'s; its errors are
    ``ValueError``s.
    """
    return _units.resolve_unit(name, units, aliases)


def _agrees(printed: Decimal, exact: Decimal, decimals: int | None = None) -> bool:
    """Whether ``exact`` prints as ``printed``.

    A figure is compared at the decimals it is printed with, or at
    ``decimals`` when the report is known to print more and drop trailing
    zeros (then "80" must be 80.0, not 79.96).
    """
    if exact == printed:
        # Printed exactly: rounding it to the printed decimals (or more) leaves it as it is.
        return True
    shown = max(places(printed), decimals or 0)
    quantum = _QUANTA.get(shown)
    if quantum is None:
        return round_half_up(exact, shown) == printed
    # round_half_up(exact, shown), with its quantum made once.
    return exact.quantize(quantum, rounding=ROUND_HALF_UP) == printed


#: The quanta ``round_half_up`` rounds to, for the decimals reports print.
_QUANTA = {shown: Decimal(1).scaleb(-shown) for shown in range(16)}


def _first(*values: int | None) -> int | None:
    return next((v for v in values if v is not None), None)


@functools.lru_cache(maxsize=1024)
def _same_band(a: str, b: str) -> bool:
    # Remembered: a report prints a few band names, once for each of thousands of units.
    return _nfc(a).casefold() == _nfc(b).casefold()


def _rank_consistency(table: str, rows: tuple[PublishedRow, ...]) -> list[Discrepancy]:
    """Ranks printed against the printed points alone: one score per rank, more points never ranked below fewer.

    A row is out of order when some row with fewer points has a better
    (smaller) rank; each such row is reported with all of those rows, in
    table order.  A country's table has ten thousand rows, so it is not
    checked pair by pair: a table in order is recognised in a few C-level
    passes, and in one that is not, sorting the rows by points once finds
    for every row the best rank among the rows with fewer points, so only
    the rows out of order are compared with others.
    """
    found: list[Discrepancy] = []
    ranked = [r for r in rows if r.rank is not None]
    ranks = [r.rank for r in ranked if r.rank is not None]
    points_of = [r.points for r in ranked]
    # One score per rank: every row's points equal to those of the last row of its rank.
    if not all(map(operator.eq, map(dict(zip(ranks, points_of, strict=True)).__getitem__, ranks), points_of)):
        # Each rank's distinct points (the first written of equal ones).
        shared: dict[int, set[Decimal]] = {}
        for rank_value, points in zip(ranks, points_of, strict=True):
            shared.setdefault(rank_value, set()).add(points)
        for rank_value, values in sorted(shared.items()):
            if len(values) > 1:
                shown = ", ".join(_fmt(v) for v in sorted(values, reverse=True))
                found.append(Discrepancy(table, f"rank {rank_value}", shown, "one score per rank",
                                         f"rank {rank_value} is shared by different points ({shown})"))
    # In order of points (fewest first) and, for equal points, of ranks (worst
    # first), a table in order has ranks that never get worse: a row with
    # fewer points ranked better than one with more would be a rise.
    order = sorted(range(len(ranked)), key=ranks.__getitem__, reverse=True)
    order.sort(key=points_of.__getitem__)
    in_order = list(map(ranks.__getitem__, order))
    if all(map(operator.ge, in_order, itertools.islice(in_order, 1, None))):
        return found
    # One pass up the points, a group of equal points at a time: for each row,
    # how many rows (the first in ``order``) have fewer points, and the best
    # rank among them.
    fewer = [0] * len(ranked)
    best_below: list[int | None] = [None] * len(ranked)
    best: int | None = None  # the best rank of the groups passed
    group_best = start = 0
    previous = None
    for position, k in enumerate(order):
        points, rank_k = points_of[k], ranks[k]
        if position == 0 or points != previous:
            if position and (best is None or group_best < best):
                best = group_best
            start, previous, group_best = position, points, rank_k
        elif rank_k < group_best:
            group_best = rank_k
        fewer[k], best_below[k] = start, best
    for k, lowest in enumerate(best_below):
        if lowest is None or lowest >= ranks[k]:
            continue
        a = ranked[k]
        below = [ranked[j] for j in sorted(j for j in order[:fewer[k]] if ranks[j] < ranks[k])]
        names = ", ".join(f"{b.unit} ({_fmt(b.points)}, rank {b.rank})" for b in below)
        found.append(Discrepancy(
            table, a.unit, f"rank {a.rank}", f"better than rank {lowest}",
            f"{a.unit} has {_fmt(a.points)} points but rank {a.rank}, below units with"
            f" fewer points: {names}",
        ))
    return found


def compare_published(result: Result, published: Published) -> tuple[Discrepancy, ...]:
    """Every disagreement between ``published`` and ``result``, in report order.

    Raises ``AssessmentError`` when a printed unit cannot be identified,
    since nothing can be compared for it.
    """
    units = {u.unit_id: u.name for u in result.units}
    aliases = dict(published.aliases)
    problems: list[Problem] = []
    found: list[Discrepancy] = []
    # A country's report prints every unit's name in each of its tables: each
    # name is identified once, each unit looked up once, each node's points
    # read where ``UnitResult.node`` reads them, without its explanation.
    resolver = _units.unit_resolver(units, aliases)
    identified: dict[str, str] = {}
    looked_up: dict[str, UnitResult] = {}
    positions = {node.code: i for i, node in enumerate(result.scheme.nodes())}
    field_ranks: dict[str, dict[str, int]] = {}

    def resolve(name: str, where: str) -> str | None:
        uid = identified.get(name)
        if uid is not None:
            return uid
        try:
            uid = identified[name] = resolver(name)
        except ValueError as exc:
            problems.append(Problem(f"{where}: {exc}"))
            return None
        return uid

    def unit_of(uid: str) -> UnitResult:
        unit = looked_up.get(uid)
        if unit is None:
            unit = looked_up[uid] = result.unit(uid)
        return unit

    def ranks_of(uid: str, unit: UnitResult) -> dict[str, int]:
        ranks = field_ranks[uid] = dict(unit.field_ranks)  # what ``unit.field_rank(code)`` looks in
        return ranks

    if published.scheme != result.scheme.id:
        found.append(Discrepancy("report", "scheme", published.scheme, result.scheme.id,
                                 "the report is about another scheme"))
    where = published.results_where
    seen: set[str] = set()
    decimals = _first(published.results_decimals, published.decimals)
    for row in published.results:
        uid = identified.get(row.unit) or resolve(row.unit, where)
        if uid is None:
            continue
        seen.add(uid)
        unit = looked_up.get(uid) or unit_of(uid)
        if not _agrees(row.points, unit.score, decimals):
            found.append(Discrepancy(where, row.unit, _fmt(row.points), _fmt(unit.score),
                                     f"total printed {_fmt(row.points)}, computed {_fmt(unit.score)}"))
        if row.band is not None and not _same_band(row.band, unit.band.name):
            found.append(Discrepancy(where, row.unit, row.band, unit.band.name,
                                     f"band printed {row.band!r}, computed {unit.band.name!r}"))
        if row.rank is not None and row.rank != unit.rank:
            found.append(Discrepancy(where, row.unit, str(row.rank), str(unit.rank),
                                     f"rank printed {row.rank}, computed {unit.rank}"))
    for uid in sorted(set(units) - seen):
        found.append(Discrepancy(where, units[uid], "missing", "evaluated", "unit missing from the table"))
    found.extend(_rank_consistency(where, published.results))
    if published.average is not None and not result.units:
        problems.append(Problem(f"{where}: an average is printed but no unit was evaluated"))
    elif published.average is not None:
        exact = result.average_total()
        if not _agrees(published.average, exact):
            found.append(Discrepancy(where, "average total", _fmt(published.average), _fmt(exact),
                                     f"average printed {_fmt(published.average)}, computed {_fmt(exact)}"))
        if published.average_band is not None:
            band = result.scheme.band_for(exact).name
            if not _same_band(published.average_band, band):
                found.append(Discrepancy(where, "average band", published.average_band, band,
                                         f"band of the average printed {published.average_band!r}, computed {band!r}"))
    averages = dict(result.field_averages()) if result.units and published.fields else {}
    for table in published.fields:
        try:
            node = result.scheme.node(table.code)
        except KeyError as exc:
            problems.append(Problem(f"{table.where}: {exc.args[0]}"))
            continue
        if "." in table.code:
            problems.append(Problem(
                f"{table.where}: [[fields]] tables are per field; {table.code!r} is a criterion"
                " (state its points as claims with what = \"points\")"
            ))
            continue
        if table.max is not None and table.max != node.max:
            found.append(Discrepancy(table.where, f"field {table.code} maximum", _fmt(table.max), _fmt(node.max),
                                     f"maximum printed {_fmt(table.max)}, scheme has {_fmt(node.max)}"))
        code, where = table.code, table.where
        position = positions[code]
        decimals = _first(table.decimals, published.decimals)
        # A column at a time: the rows identified, their units, the points and
        # ranks computed; then only the rows whose figures are not exactly the
        # computed ones are looked at one by one, in the table's order.
        listed = [(row, uid) for row in table.rows
                  if (uid := identified.get(row.unit) or resolve(row.unit, where)) is not None]
        seen = {uid for _, uid in listed}
        listed_units = [looked_up.get(uid) or unit_of(uid) for _, uid in listed]
        points_computed = [unit.points[position] for unit in listed_units]
        computed_ranks = [(field_ranks.get(uid) or ranks_of(uid, unit))[code]
                          for (_, uid), unit in zip(listed, listed_units, strict=True)]
        same_points = list(map(operator.eq, [row.points for row, _ in listed], points_computed))
        same_ranks = list(map(operator.eq, [row.rank for row, _ in listed], computed_ranks))
        for k in [k for k, (a, b) in enumerate(zip(same_points, same_ranks, strict=True)) if not (a and b)]:
            row, points, computed_rank = listed[k][0], points_computed[k], computed_ranks[k]
            if not same_points[k] and not _agrees(row.points, points, decimals):
                found.append(Discrepancy(where, row.unit, _fmt(row.points), _fmt(points),
                                         f"points printed {_fmt(row.points)}, computed {_fmt(points)}"))
            if row.rank is not None and row.rank != computed_rank:
                found.append(Discrepancy(where, row.unit, str(row.rank), str(computed_rank),
                                         f"rank printed {row.rank}, computed {computed_rank}"))
        for uid in sorted(set(units) - seen):
            found.append(Discrepancy(table.where, units[uid], "missing", "evaluated",
                                     "unit missing from the table"))
        found.extend(_rank_consistency(table.where, table.rows))
        if table.average is not None and not _agrees(table.average, averages[table.code]):
            exact = averages[table.code]
            found.append(Discrepancy(table.where, f"field {table.code} average", _fmt(table.average),
                                     _fmt(exact), f"average printed {_fmt(table.average)}, computed {_fmt(exact)}"))
    for claim in published.claims:
        computed = _claimed(result, claim, resolve, problems)
        if computed is None:
            continue
        label, exact = computed
        averaged = claim.what in ("average_total", "average_points")
        decimals = claim.decimals if averaged else _first(claim.decimals, published.decimals)
        if not _agrees(claim.value, exact, decimals):
            found.append(Discrepancy(claim.where, label, _fmt(claim.value), _fmt(exact),
                                     f"the report states {_fmt(claim.value)}, computed {_fmt(exact)}"))
    if problems:
        raise AssessmentError(problems, source=published.source)
    return tuple(found)


def _claimed(
    result: Result, claim: Claim, resolve: Any, problems: list[Problem]
) -> tuple[str, Decimal] | None:
    """What ``claim`` should say, recomputed, with a label naming it."""
    if claim.what not in CLAIM_KINDS:
        known = ", ".join(repr(k) for k in CLAIM_KINDS)
        problems.append(Problem(f"{claim.where}: unknown claim {claim.what!r}; known: {known}"))
        return None
    codes = claim.codes
    for code in codes:
        try:
            result.scheme.node(code)
        except KeyError as exc:
            problems.append(Problem(f"{claim.where}: {exc.args[0]}"))
            return None
    span = f" of {', '.join(codes)}" if codes else ""
    if claim.what in ("average_total", "average_points") and not result.units:
        problems.append(Problem(f"{claim.where}: claim {claim.what!r} needs evaluated units"))
        return None
    if claim.what == "average_total":
        return "average total", result.average_total()
    if claim.what == "max":
        nodes = [result.scheme.node(c) for c in codes] or list(result.scheme.fields)
        return f"maximum{span}", exact_sum(n.max for n in nodes)
    if claim.what == "average_points":
        if not codes:
            problems.append(Problem(f"{claim.where}: claim 'average_points' needs codes"))
            return None
        # Each unit's points on the codes, read where ``unit.node(code).points`` reads them.
        index = {node.code: i for i, node in enumerate(result.scheme.nodes())}
        positions = [index[c] for c in codes]
        averages = [exact_sum(u.points[i] for i in positions) for u in result.units]
        return f"average points{span}", divide(exact_sum(averages), Decimal(len(averages)))
    if claim.unit is None:
        problems.append(Problem(f"{claim.where}: claim {claim.what!r} needs the unit it is about"))
        return None
    uid = resolve(claim.unit, claim.where)
    if uid is None:
        return None
    unit = result.unit(uid)
    if claim.what == "total":
        return f"{claim.unit}: total", unit.score
    if claim.what == "raw_total":
        return f"{claim.unit}: raw total", unit.raw_total
    if not codes:
        problems.append(Problem(f"{claim.where}: claim {claim.what!r} needs codes"))
        return None
    outcomes = [unit.node(c) for c in codes]
    if claim.what == "points":
        return f"{claim.unit}: points{span}", exact_sum(n.points for n in outcomes)
    return f"{claim.unit}: deduction{span}", exact_sum(n.gap for n in outcomes)


# --- TOML ----------------------------------------------------------------


@attrs.frozen
class _Row:
    unit: str
    rank: int | None = None
    total: Decimal | None = None
    points: Decimal | None = None
    band: str | None = None


@attrs.frozen
class _Results:
    where: str
    rows: list[_Row]
    average: Decimal | None = None
    average_band: str | None = None
    decimals: int | None = None


@attrs.frozen
class _Field:
    code: str
    where: str
    rows: list[_Row]
    max: Decimal | None = None
    average: Decimal | None = None
    decimals: int | None = None


@attrs.frozen
class _Document:
    scheme: str
    source: str
    results: _Results
    decimals: int | None = None
    aliases: dict[str, str] = attrs.Factory(dict)
    units: dict[str, str] = attrs.Factory(dict)
    fields: list[_Field] = attrs.Factory(list)
    claims: list[Claim] = attrs.Factory(list)


def _row(raw: _Row, key: str, found: list[Problem]) -> PublishedRow | None:
    value = raw.total if raw.total is not None else raw.points
    if value is None or (raw.total is not None and raw.points is not None):
        found.append(Problem("a row needs exactly one of 'total' or 'points'", key=key))
        return None
    return PublishedRow(_nfc(raw.unit), value, raw.rank, raw.band)


def loads_published(text: str, *, file: str | None = None) -> Published:
    """Read published figures from TOML (see ``docs/reference/published-format.md``)."""
    data, found = _toml.parse(text, file)
    if data is None:
        raise AssessmentError(found, source=file)
    doc = _toml.structure(_toml.make_converter(), data, _Document, "", found)
    if doc is None:
        raise AssessmentError(_toml.locate(found, text, file), source=file)
    rows = [_row(r, f"results.rows[{i}]", found) for i, r in enumerate(doc.results.rows)]
    tables = []
    for i, f in enumerate(doc.fields):
        frows = [_row(r, f"fields[{i}].rows[{j}]", found) for j, r in enumerate(f.rows)]
        tables.append(FieldTable(f.code, f.where, tuple(r for r in frows if r), f.max, f.average, f.decimals))
    if found:
        raise AssessmentError(_toml.locate(found, text, file), source=file)
    return Published(
        doc.scheme, doc.source, tuple(sorted(doc.aliases.items())), doc.results.where,
        tuple(r for r in rows if r), doc.results.average, doc.results.average_band,
        tuple(tables), tuple(doc.claims), doc.decimals, doc.results.decimals,
        tuple(sorted(doc.units.items())),
    )


def load_published(path: str | Path) -> Published:
    """Read a published-figures TOML file."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AssessmentError([Problem(f"cannot read the published figures: {exc}", file=file)]) from exc
    return loads_published(text, file=file)

