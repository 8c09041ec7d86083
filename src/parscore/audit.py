"""Audits of what a report printed, from the printed figures alone.

``compare_published`` checks a report against a recomputation from the
assessments.  Often there are none: a district publishes its tables and
nothing else.  ``audit`` checks such a report against itself and its scheme:
totals that are not the sum of their printed field points, parents that are
not the sum of their printed parts, the same figure printed twice with two
values, points above their maximum, bands that do not contain the printed
total, ranks that do not follow from the printed points, averages that are
not the mean of the printed rows, maxima that differ from the scheme or do
not add up to the stated total, and claims in the text.

``audit_summary`` checks reports that print only summaries (band counts with
percentages, lists of units that rose or fell, moved up or down), read by
``load_summary``: counts must add up to the number of units, percentages
must be the counts' shares rounded half-up as printed, and lists of one
partition must be disjoint and name every unit exactly once.

A printed figure agrees with a computed one as in ``compare_published``: the
computed value, rounded half-up to the decimals printed, equals it.  Printed
figures are taken as exact; with ``rounded=True`` each is taken as any value
that prints as it, and a sum or mean is reported only when no such values
could give the printed result.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple, cast

import attrs

from . import _toml
from .assessments import nfc_name as _nfc
from .errors import AssessmentError, InputError, Problem
from .model import Node, NotApplicablePolicy, Scheme, level_name
from .numbers import divide, round_half_up, trim
from .numbers import format_decimal as _fmt
from .numbers import places as _places
from .published import (
    CLAIM_KINDS,
    Claim,
    Discrepancy,
    FieldTable,
    Published,
    PublishedRow,
    _agrees,
    _first,
    _rank_consistency,
    _same_band,
)
from .ranking import rank
from .tables import Column, Table
from .units import UnitError, UnitRegistry

__all__ = [
    "PARTITIONS",
    "Change",
    "Check",
    "PublishedAudit",
    "Summary",
    "SummaryAudit",
    "SummaryAverage",
    "SummaryBand",
    "SummaryCount",
    "SummaryField",
    "SummaryList",
    "SummarySpread",
    "SummarySubmission",
    "SummaryUnit",
    "audit",
    "audit_published",
    "audit_summary",
    "check_table",
    "discrepancy_table",
    "load_summary",
    "loads_summary",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


def _table(
    name: str, title: tuple[str, str], columns: Sequence[Column], rows: Iterable[Sequence[Any]],
    notes: Sequence[tuple[str, str]] = (),
) -> Table:
    # ``cast``: mypy's attrs plugin cannot type the ``converter=tuple`` parameters of ``Table``.
    return Table(name, title, cast(Any, tuple(columns)), [tuple(r) for r in rows], cast(Any, tuple(notes)))


# --- checks -------------------------------------------------------------------


@attrs.frozen
class Check:
    """One figure of a report checked against what the report's other figures imply.

    ``stated`` is the figure as printed, ``computed`` what it should be,
    ``arithmetic`` how that was computed (``0 + 4 + 16 + 7 = 27``) and
    ``agrees`` whether the two agree.  Checks that agree are kept too: they
    are the figures the report gets right.
    """

    where: str
    subject: str
    stated: str
    computed: str
    arithmetic: str
    agrees: bool

    def discrepancy(self) -> Discrepancy:
        """This check as a ``Discrepancy``, the form every disagreement takes in parscore."""
        return Discrepancy(self.where, self.subject, self.stated, self.computed,
                           f"stated {self.stated}, computed {self.computed}: {self.arithmetic}")

    def __str__(self) -> str:
        verdict = "agrees" if self.agrees else "DISAGREES"
        return f"{self.where}: {self.subject}: {verdict}: stated {self.stated}; {self.arithmetic}"


_CHECK_COLUMNS = (
    Column("where", "Where", "Vị trí"),
    Column("subject", "Subject", "Nội dung"),
    Column("stated", "Stated", "Số liệu báo cáo"),
    Column("computed", "Computed", "Tính lại"),
    Column("arithmetic", "Arithmetic", "Phép tính"),
    Column("agrees", "Agrees", "Khớp"),
)


def check_table(
    checks: Iterable[Check], name: str = "checks",
    title: tuple[str, str] = ("Checks of the report's figures", "Kiểm tra số liệu của báo cáo"),
    notes: Sequence[tuple[str, str]] = (),
) -> Table:
    """Every check as a row, with its arithmetic and whether the report's figure agrees."""
    return _table(name, title, _CHECK_COLUMNS,
                  ((c.where, c.subject, c.stated, c.computed, c.arithmetic, c.agrees) for c in checks), notes)


def discrepancy_table(
    found: Iterable[Discrepancy], name: str = "discrepancies",
    title: tuple[str, str] = ("Discrepancies in the report", "Sai lệch trong báo cáo"),
    notes: Sequence[tuple[str, str]] = (),
) -> Table:
    """Every discrepancy as a row: where, what, the printed and the computed figure, why."""
    columns = (
        Column("where", "Where", "Vị trí"),
        Column("subject", "Subject", "Nội dung"),
        Column("published", "Published", "Số liệu công bố"),
        Column("computed", "Computed", "Tính lại"),
        Column("message", "Explanation", "Giải thích"),
    )
    return _table(name, title, columns, ((d.where, d.subject, d.published, d.computed, d.message)
                                         for d in found), notes)


def _sum_text(values: Sequence[Decimal]) -> str:
    return " + ".join(_fmt(v) for v in values) if values else "0"


def _half(value: Decimal, decimals: int | None) -> Decimal:
    """Half a unit of the last printed decimal: how far the true value may be from ``value``."""
    return Decimal(5).scaleb(-max(_places(value), decimals or 0) - 1)


def _within(printed: Decimal, exact: Decimal, spread: Decimal, decimals: int | None = None) -> bool:
    """Whether some value within ``spread`` of ``exact`` prints as ``printed``."""
    if not spread:
        return _agrees(printed, exact, decimals)
    half = _half(printed, decimals)
    return exact - spread < printed + half and exact + spread >= printed - half


# --- the audit of published tables ---------------------------------------------


class _Figure(NamedTuple):
    """One printed value of one unit's points on one node.

    A named tuple: a country's report prints a hundred thousand of them.
    """

    value: Decimal
    spread: Decimal
    where: str
    subject: str
    #: The decimals the report prints to where it drops trailing zeros (0 when it does not say).
    decimals: int
    from_claim: bool
    order: int

    @property
    def places(self) -> int:
        """The decimals it is printed to: as written, or more where the report drops trailing zeros.

        Worked out when asked for: most figures are never compared with another.
        """
        return max(_places(self.value), self.decimals)


#: ``_Figure(*fields)`` without the Python-level ``__new__`` of a named tuple.
_new_figure = functools.partial(tuple.__new__, _Figure)


@attrs.frozen
class PublishedAudit:
    """What ``audit_published`` found: every discrepancy, and what it could not check."""

    scheme_id: str
    source: str
    discrepancies: tuple[Discrepancy, ...]
    #: Figures the printed figures alone cannot check, each in English and Vietnamese.
    unchecked: tuple[tuple[str, str], ...] = ()

    def table(self) -> Table:
        """The discrepancies as a table; what could not be checked is in its notes."""
        return discrepancy_table(
            self.discrepancies, "audit",
            (f"Audit of the published figures: {self.source}", f"Kiểm tra số liệu công bố: {self.source}"),
            self.unchecked,
        )


def _default_registry(published: Published) -> UnitRegistry:
    """The units of a report: its ``[units]`` table, or one per ranking-table row.

    A printed name that is an alias stands for the alias's unit id; any
    other name is its own id.  Without a ranking table, the first field
    table's rows, or else the units the claims name, define the units.
    """
    if published.units:
        return UnitRegistry.of(dict(published.units))
    aliases = {_nfc(k): _nfc(v) for k, v in published.aliases}
    rows: Sequence[PublishedRow] = published.results or next(
        (t.rows for t in published.fields if t.rows), ()
    )
    names = [r.unit for r in rows] or [c.unit for c in published.claims if c.unit is not None]
    units: dict[str, str] = {}
    for name in names:
        printed = _nfc(name)
        units.setdefault(aliases.get(printed, printed), printed)
    return UnitRegistry.of(units)


class _Audit:
    """The state of one audit: the units, every printed figure, what was found."""

    def __init__(self, scheme: Scheme, published: Published, units: UnitRegistry | None, rounded: bool):
        self.scheme = scheme
        self.published = published
        self.rounded = rounded
        registry = units if units is not None else _default_registry(published)
        self.registry = registry.with_aliases(published.aliases)
        self.problems: list[Problem] = []
        self.found: list[Discrepancy] = []
        self.unchecked: list[tuple[str, str]] = []
        #: The first figure printed for each unit's node, and all of them for the nodes printed more than once.
        self.figures: dict[tuple[str, str], _Figure] = {}
        self.repeated: dict[tuple[str, str], list[_Figure]] = {}
        #: Whether some figure is a claim of the text (its bounds are checked with ``printed_twice``).
        self.claim_figures = False
        self.names: dict[str, str] = {}
        self.nodes = {n.code: n for n in scheme.nodes()}
        self._values: dict[tuple[str, str], tuple[Decimal, Decimal, list[Decimal]] | None] = {}
        #: Printed names already identified: a country's report prints each name in every table.
        self._ids: dict[str, str] = {}
        #: The codes whose points some unit may have from the printed figures (see ``knowable``);
        #: ``None`` until every figure is collected.
        self._knowable: set[str] | None = None

    # -- helpers --

    def resolve(self, name: str, where: str) -> str | None:
        uid = self._ids.get(name)
        if uid is None:
            try:
                uid = self.registry.resolve(name)
            except UnitError as exc:
                self.problems.append(Problem(f"{where}: {exc}"))
                return None
            self._ids[name] = uid
        self.names.setdefault(uid, name)
        return uid

    def spread(self, value: Decimal, decimals: int | None) -> Decimal:
        return _half(value, decimals) if self.rounded else _ZERO

    def add(self, uid: str, code: str, figure: _Figure) -> None:
        key = (uid, code)
        first = self.figures.setdefault(key, figure)
        if first is not figure:
            self.repeated.setdefault(key, [first]).append(figure)

    def reference(self, uid: str, code: str) -> _Figure | None:
        """The figure other printings of a unit's node are checked against: the most
        precise, a claim (text, appendix) before a table row, then the first."""
        key = (uid, code)
        first = self.figures.get(key)
        listed = self.repeated.get(key)
        if first is None or listed is None:
            return first
        return sorted(listed, key=lambda f: (-f.places, not f.from_claim, f.order))[0]

    def knowable(self) -> set[str]:
        """The codes some unit's points may be known for: printed for some unit, or with
        parts that all are.  ``value`` is ``None`` for every other code, for every unit."""
        printed = {code for _, code in self.figures}
        known: set[str] = set()

        def visit(node: Node) -> bool:
            parts = [visit(child) for child in node.children]
            if node.code in printed or (parts and all(parts)):
                known.add(node.code)
                return True
            return False

        for field in self.scheme.fields:
            visit(field)
        return known

    def value(self, uid: str, code: str) -> tuple[Decimal, Decimal, list[Decimal]] | None:
        """A unit's points on a node from the printed figures: printed, or the sum of its
        printed parts; with the spread and the parts added (empty when printed)."""
        key = (uid, code)
        if key not in self._values:
            node = self.nodes[code]
            if self._knowable is not None and code not in self._knowable:
                return None  # neither printed for any unit nor made of parts that are
            ref = self.reference(uid, code)
            if ref is not None:
                self._values[key] = (ref.value, ref.spread, [])
            elif node.children:
                parts = [self.value(uid, c.code) for c in node.children]
                known = [p for p in parts if p is not None]
                if len(known) == len(parts):
                    total = trim(sum((p[0] for p in known), _ZERO))
                    self._values[key] = (total, sum((p[1] for p in known), _ZERO), [p[0] for p in known])
                else:
                    self._values[key] = None
            else:
                self._values[key] = None
        return self._values[key]

    def score(self, raw: Decimal, spread: Decimal) -> tuple[Decimal, Decimal, str]:
        """The score a raw total gives under the scheme's normalisation, with how."""
        scheme = self.scheme
        if scheme.normalisation is None:
            return raw, spread, ""
        exact = divide(raw * scheme.scale, scheme.max_total)
        places = scheme.rounding.normalised
        score = exact if places is None else round_half_up(exact, places)
        how = f", × {_fmt(trim(scheme.scale))} ÷ {_fmt(trim(scheme.max_total))} = {_fmt(exact)}"
        if score != exact:
            how += f" → {_fmt(score)}"
        return score, divide(spread * scheme.scale, scheme.max_total), how

    # -- the steps, in report order --

    def run(self) -> PublishedAudit:
        scheme, published = self.scheme, self.published
        if published.scheme != scheme.id:
            self.found.append(Discrepancy("report", "scheme", published.scheme, scheme.id,
                                          "the report is about another scheme"))
        self.collect()
        self.ranking_table()
        for table in published.fields:
            self.field_table(table)
        self.maxima_total()
        self.printed_twice()
        self.parts()
        for claim in published.claims:
            self.claim(claim)
        if self.problems:
            raise AssessmentError(self.problems, source=published.source)
        return PublishedAudit(scheme.id, published.source, tuple(self.found), tuple(self.unchecked))

    def collect(self) -> None:
        """Every printed point figure: field-table rows, then single-node ``points`` claims."""
        published = self.published
        order = 0
        for table in published.fields:
            if table.code not in self.nodes or "." in table.code:
                self.problems.append(
                    Problem(f"{table.where}: scheme {self.scheme.id!r} has no field {table.code!r}")
                )
                continue
            decimals = _first(table.decimals, published.decimals)
            at_least = decimals or 0
            code, where, figures = table.code, table.where, self.figures
            for row in table.rows:
                uid = self._ids.get(row.unit) or self.resolve(row.unit, where)
                if uid is not None:
                    order += 1
                    points = row.points
                    figure = _new_figure((points, _half(points, decimals) if self.rounded else _ZERO, where,
                                          row.unit, at_least, False, order))
                    if figures.setdefault((uid, code), figure) is not figure:  # what ``add`` does
                        self.add(uid, code, figure)
        for claim in published.claims:
            if claim.what != "points" or claim.unit is None or len(claim.codes) != 1:
                continue
            code = claim.codes[0]
            if code not in self.nodes:
                continue  # reported with the claim
            uid = self.resolve(claim.unit, claim.where)
            if uid is not None:
                order += 1
                decimals = _first(claim.decimals, published.decimals)
                figure = _Figure(claim.value, self.spread(claim.value, decimals), claim.where,
                                 f"{claim.unit}: points of {code}", decimals or 0, True, order)
                self.add(uid, code, figure)
                self.claim_figures = True
        self._knowable = self.knowable()

    def ranking_table(self) -> None:
        published, scheme = self.published, self.scheme
        where = published.results_where
        decimals = _first(published.results_decimals, published.decimals)
        totals: dict[str, Decimal] = {}
        spreads: dict[str, Decimal] = {}
        resolved: list[tuple[PublishedRow, str]] = []
        drops = scheme.normalisation is not None and any(
            n.not_applicable is NotApplicablePolicy.DROP for n in scheme.leaves()
        )
        unknown: list[str] = []
        if published.results and drops:
            self.unchecked.append((
                f"{where}: totals are not recomputed: the scheme drops criteria that do not apply,"
                " and the printed figures do not say which did",
                f"{where}: không tính lại tổng điểm: bộ tiêu chí loại bỏ tiêu chí không phát sinh,"
                " số liệu công bố không cho biết tiêu chí nào",
            ))
        for row in published.results:
            uid = self._ids.get(row.unit) or self.resolve(row.unit, where)
            if uid is None:
                continue
            if uid in totals:
                self.found.append(Discrepancy(where, row.unit, "listed twice", "listed once",
                                              f"{row.unit} is listed more than once"))
                continue
            totals[uid] = row.points
            spreads[uid] = self.spread(row.points, decimals)
            resolved.append((row, uid))
            fields = [] if drops else [self.value(uid, f.code) for f in scheme.fields]
            if not drops and any(v is None for v in fields):
                unknown.append(row.unit)
            if not drops and all(v is not None for v in fields):
                raw = trim(sum((v[0] for v in fields if v is not None), _ZERO))
                spread = sum((v[1] for v in fields if v is not None), _ZERO)
                score, spread, how = self.score(raw, spread)
                if not _within(row.points, score, spread, decimals):
                    parts = _sum_text([v[0] for v in fields if v is not None])
                    self.found.append(Discrepancy(
                        where, row.unit, _fmt(row.points), _fmt(score),
                        f"total printed {_fmt(row.points)}, but its field points add up to"
                        f" {parts} = {_fmt(raw)}{how}",
                    ))
            if row.band is not None:
                self.band(where, row.unit, row.points, row.band, "total")
        if unknown:
            self.unchecked.append((
                f"{where}: the totals of {len(unknown)} of {len(resolved)} units are not recomputed:"
                f" their field points are not all printed ({', '.join(unknown)})",
                f"{where}: không tính lại tổng điểm của {len(unknown)}/{len(resolved)} đơn vị:"
                f" điểm các lĩnh vực không được công bố đầy đủ ({', '.join(unknown)})",
            ))
        computed = rank(totals, scheme.ranking.method)
        for row, uid in resolved:
            if row.rank is not None and row.rank != computed[uid]:
                self.found.append(Discrepancy(
                    where, row.unit, str(row.rank), str(computed[uid]),
                    f"rank printed {row.rank}, computed {computed[uid]} from the printed totals",
                ))
        self.missing(where, set(totals))
        self.found.extend(_rank_consistency(where, published.results))
        if published.average is not None:
            if not totals:
                self.problems.append(Problem(f"{where}: an average is printed but no total"))
            else:
                exact = divide(sum(totals.values(), _ZERO), Decimal(len(totals)))
                spread = divide(sum(spreads.values(), _ZERO), Decimal(len(totals)))
                if not _within(published.average, exact, spread):
                    self.found.append(Discrepancy(
                        where, "average total", _fmt(published.average), _fmt(exact),
                        f"average printed {_fmt(published.average)}, but the {len(totals)} printed totals"
                        f" average {_fmt(exact)}",
                    ))
            if published.average_band is not None:
                self.band(where, "average band", published.average, published.average_band, "average")

    def band(self, where: str, subject: str, points: Decimal, printed: str, what: str) -> None:
        try:
            band = self.scheme.band_for(points).name
        except ValueError as exc:
            self.found.append(Discrepancy(where, subject, printed, "no band", str(exc)))
            return
        if not _same_band(printed, band):
            self.found.append(Discrepancy(
                where, subject, printed, band,
                f"band printed {printed!r} for a printed {what} of {_fmt(points)}, which is in band {band!r}",
            ))

    def missing(self, where: str, seen: set[str]) -> None:
        for unit in self.registry:
            if unit.id not in seen:
                self.found.append(
                    Discrepancy(where, unit.name, "missing", "listed", "unit missing from the table")
                )

    def field_table(self, table: FieldTable) -> None:
        published, scheme = self.published, self.scheme
        node = self.nodes.get(table.code)
        if node is None or "." in table.code:
            return  # reported while collecting
        if table.max is not None and table.max != node.max:
            self.found.append(Discrepancy(
                table.where, f"field {table.code} maximum", _fmt(table.max), _fmt(node.max),
                f"maximum printed {_fmt(table.max)}, scheme has {_fmt(node.max)}",
            ))
        decimals = _first(table.decimals, published.decimals)
        maximum = node.max if table.max is None else table.max  # as ``bounds`` takes it
        points: dict[str, Decimal] = {}
        spreads: dict[str, Decimal] = {}
        resolved: list[tuple[PublishedRow, str]] = []
        for row in table.rows:
            uid = self._ids.get(row.unit) or self.resolve(row.unit, table.where)
            if uid is None:
                continue
            if uid in points:
                self.found.append(Discrepancy(table.where, row.unit, "listed twice", "listed once",
                                              f"{row.unit} is listed more than once"))
                continue
            points[uid] = row.points
            spreads[uid] = _half(row.points, decimals) if self.rounded else _ZERO
            resolved.append((row, uid))
            if row.points < 0 or row.points > maximum:
                self.bounds(table.where, row.unit, row.points, node.code, table.max)
        computed = rank(points, scheme.ranking.method)
        for row, uid in resolved:
            if row.rank is not None and row.rank != computed[uid]:
                self.found.append(Discrepancy(
                    table.where, row.unit, str(row.rank), str(computed[uid]),
                    f"rank printed {row.rank}, computed {computed[uid]} from the printed points",
                ))
        self.missing(table.where, set(points))
        self.found.extend(_rank_consistency(table.where, table.rows))
        if table.average is not None and points:
            exact = divide(sum(points.values(), _ZERO), Decimal(len(points)))
            spread = divide(sum(spreads.values(), _ZERO), Decimal(len(points)))
            if not _within(table.average, exact, spread):
                self.found.append(Discrepancy(
                    table.where, f"field {table.code} average", _fmt(table.average), _fmt(exact),
                    f"average printed {_fmt(table.average)}, but the {len(points)} printed points"
                    f" average {_fmt(exact)}",
                ))

    def bounds(
        self, where: str, subject: str, value: Decimal, code: str, printed: Decimal | None = None
    ) -> None:
        """Points within 0 and the maximum: the one printed with them, else the scheme's
        (a printed maximum that differs from the scheme's is reported on its own)."""
        maximum = self.nodes[code].max if printed is None else printed
        if value < 0 or value > maximum:
            self.found.append(Discrepancy(
                where, subject, _fmt(value), f"0 to {_fmt(maximum)}",
                f"points printed {_fmt(value)}, outside 0 to the maximum {_fmt(maximum)} of {code}",
            ))

    def maxima_total(self) -> None:
        """The printed field maxima against the total the scheme's source states."""
        printed = {t.code: t.max for t in self.published.fields if t.max is not None}
        source = self.scheme.source
        if source is None or source.stated_total is None:
            return
        if not all(f.code in printed for f in self.scheme.fields):
            return
        maxima = [printed[f.code] for f in self.scheme.fields]
        total = trim(sum(maxima, _ZERO))
        if total != source.stated_total:
            self.found.append(Discrepancy(
                "field tables", "sum of the field maxima", _fmt(total), _fmt(source.stated_total),
                f"the printed field maxima add up to {_sum_text(maxima)} = {_fmt(total)},"
                f" but the scheme states a total of {_fmt(source.stated_total)}",
            ))

    def printed_twice(self) -> None:
        """A unit's node printed more than once (a table and the text) with different values."""
        # Only the nodes printed more than once, or in a claim, have anything to check.
        if not self.repeated and not self.claim_figures:
            return
        for (uid, code), first in self.figures.items():
            listed = self.repeated.get((uid, code))
            if listed is None:  # printed once: nothing to compare it with
                if first.from_claim:
                    self.bounds(first.where, first.subject, first.value, code)
                continue
            ref = self.reference(uid, code)
            assert ref is not None
            for figure in listed:
                if figure is ref:
                    continue
                if figure.from_claim:
                    self.bounds(figure.where, figure.subject, figure.value, code)
                decimals = figure.places if not self.rounded else None
                if not _within(figure.value, ref.value, ref.spread, decimals):
                    self.found.append(Discrepancy(
                        figure.where, figure.subject, _fmt(figure.value), _fmt(ref.value),
                        f"points printed {_fmt(figure.value)}, but {ref.where} prints {_fmt(ref.value)}"
                        f" for {level_name(code.count('.') + 1)} {code}",
                    ))
            if ref.from_claim:
                self.bounds(ref.where, ref.subject, ref.value, code)

    def parts(self) -> None:
        """Printed points of a parent against the sum of its printed parts."""
        knowable = self._knowable
        # The codes with parts whose points the figures may tell: for any other,
        # a part's value is None for every unit, and there is nothing to check.
        checkable = {
            code for code, node in self.nodes.items()
            if node.children and (knowable is None or all(c.code in knowable for c in node.children))
        }
        if not checkable:
            return
        for (uid, code) in list(self.figures):
            node = self.nodes[code]
            if code not in checkable:
                continue
            ref = self.reference(uid, code)
            if ref is None:
                continue
            parts = [self.value(uid, c.code) for c in node.children]
            if any(p is None for p in parts):
                continue
            values = [p[0] for p in parts if p is not None]
            spread = sum((p[1] for p in parts if p is not None), _ZERO)
            total = trim(sum(values, _ZERO))
            if not _within(ref.value, total, spread, ref.places):
                self.found.append(Discrepancy(
                    ref.where, ref.subject, _fmt(ref.value), _fmt(total),
                    f"points printed {_fmt(ref.value)}, but the parts of {code} add up to"
                    f" {_sum_text(values)} = {_fmt(total)}",
                ))

    def claim(self, claim: Claim) -> None:
        if claim.what not in CLAIM_KINDS:
            known = ", ".join(repr(k) for k in CLAIM_KINDS)
            self.problems.append(Problem(f"{claim.where}: unknown claim {claim.what!r}; known: {known}"))
            return
        for code in claim.codes:
            if code not in self.nodes:
                self.problems.append(
                    Problem(f"{claim.where}: scheme {self.scheme.id!r} has no criterion {code!r}")
                )
                return
        computed = self.claimed(claim)
        if computed is None:
            return
        label, exact, spread, how = computed
        averaged = claim.what in ("average_total", "average_points")
        decimals = claim.decimals if averaged else _first(claim.decimals, self.published.decimals)
        if not _within(claim.value, exact, spread, decimals):
            self.found.append(Discrepancy(
                claim.where, label, _fmt(claim.value), _fmt(exact),
                f"the report states {_fmt(claim.value)}, computed {_fmt(exact)}{how}",
            ))

    def not_checked(self, claim: Claim, why: str, vi: str) -> None:
        self.unchecked.append((f"{claim.where}: {claim.what} {_fmt(claim.value)}: {why}",
                               f"{claim.where}: {claim.what} {_fmt(claim.value)}: {vi}"))

    def claimed(self, claim: Claim) -> tuple[str, Decimal, Decimal, str] | None:
        """What ``claim`` should say according to the other printed figures, or ``None``."""
        scheme, codes = self.scheme, claim.codes
        span = f" of {', '.join(codes)}" if codes else ""
        if claim.what == "max":
            nodes = [self.nodes[c] for c in codes] or list(scheme.fields)
            listed = [n.max for n in nodes]
            how = f" ({_sum_text(listed)})" if len(listed) > 1 else ""
            return f"maximum{span}", sum(listed, _ZERO), _ZERO, how
        if claim.what == "average_total":
            totals = self.printed_totals()
            if not totals:
                self.not_checked(claim, "no total is printed", "không có tổng điểm được công bố")
                return None
            values = [v for v, _ in totals.values()]
            return ("average total", divide(sum(values, _ZERO), Decimal(len(values))),
                    divide(sum((s for _, s in totals.values()), _ZERO), Decimal(len(values))),
                    f" (the mean of the {len(values)} printed totals)")
        if claim.what == "average_points":
            if not codes:
                self.problems.append(Problem(f"{claim.where}: claim 'average_points' needs codes"))
                return None
            sums = [self.sum_of(u.id, codes, text=False) for u in self.registry]
            if not sums or any(s is None for s in sums):
                self.not_checked(claim, "not every unit's points on these codes are printed",
                                 "không phải mọi đơn vị đều có điểm được công bố cho các mã này")
                return None
            known = [s for s in sums if s is not None]
            return (f"average points{span}", divide(sum((s[0] for s in known), _ZERO), Decimal(len(known))),
                    divide(sum((s[1] for s in known), _ZERO), Decimal(len(known))),
                    f" (the mean over {len(known)} units)")
        if claim.unit is None:
            self.problems.append(Problem(f"{claim.where}: claim {claim.what!r} needs the unit it is about"))
            return None
        uid = self.resolve(claim.unit, claim.where)
        if uid is None:
            return None
        if claim.what in ("total", "raw_total"):
            field_sum = self.sum_of(uid, tuple(f.code for f in scheme.fields))
            printed = self.printed_totals().get(uid)
            if claim.what == "total" and printed is not None:
                where = self.published.results_where
                return f"{claim.unit}: total", printed[0], printed[1], f" (printed in {where})"
            if claim.what == "raw_total" and scheme.normalisation is None and printed is not None:
                return f"{claim.unit}: raw total", printed[0], printed[1], " (the printed total)"
            if field_sum is None:
                self.not_checked(claim, "the unit's field points are not all printed",
                                 "điểm các lĩnh vực của đơn vị không được công bố đầy đủ")
                return None
            if claim.what == "raw_total":
                return f"{claim.unit}: raw total", field_sum[0], field_sum[1], f" ({field_sum[2]})"
            score, spread, how = self.score(field_sum[0], field_sum[1])
            return f"{claim.unit}: total", score, spread, f" ({field_sum[2]}{how})"
        if not codes:
            self.problems.append(Problem(f"{claim.where}: claim {claim.what!r} needs codes"))
            return None
        if claim.what == "points" and len(codes) == 1:
            return None  # a printed figure: checked with the others of its node
        found = self.sum_of(uid, codes)
        if found is None:
            self.not_checked(claim, "the points of these codes are not all printed",
                             "điểm của các mã này không được công bố đầy đủ")
            return None
        if claim.what == "points":
            return f"{claim.unit}: points{span}", found[0], found[1], f" ({found[2]})"
        maxima = sum((self.nodes[c].max for c in codes), _ZERO)
        return (f"{claim.unit}: deduction{span}", maxima - found[0], found[1],
                f" ({_fmt(maxima)} − {_fmt(found[0])})")

    def printed_totals(self) -> dict[str, tuple[Decimal, Decimal]]:
        decimals = _first(self.published.results_decimals, self.published.decimals)
        totals: dict[str, tuple[Decimal, Decimal]] = {}
        for row in self.published.results:
            uid = self._ids.get(row.unit) or self.resolve(row.unit, self.published.results_where)
            if uid is not None and uid not in totals:
                totals[uid] = (row.points, self.spread(row.points, decimals))
        return totals

    def sum_of(self, uid: str, codes: Sequence[str], text: bool = True) -> tuple[Decimal, Decimal, str] | None:
        """A unit's points on ``codes`` added up, their spread, and the sum written out (unless not ``text``)."""
        values = [self.value(uid, c) for c in codes]
        if any(v is None for v in values):
            return None
        known = [v for v in values if v is not None]
        total = trim(sum((v[0] for v in known), _ZERO))
        written = _sum_text([v[0] for v in known]) + (f" = {_fmt(total)}" if len(known) > 1 else "") if text else ""
        return total, sum((v[1] for v in known), _ZERO), written


def audit_published(
    scheme: Scheme, published: Published, units: UnitRegistry | None = None, *, rounded: bool = False
) -> PublishedAudit:
    """Check a report's printed figures against one another and the scheme, without assessments.

    In report order: the scheme id; the ranking table (each total against its
    printed field points, its band, its rank, missing units, the table's
    consistency, the average and its band); each field table (maximum,
    points within the maximum, ranks, missing units, consistency, average);
    the sum of the printed field maxima against the scheme's stated total;
    every unit's node printed twice with different values; parents against
    their printed parts; then each claim.

    ``units`` identifies the printed names (ids, names and aliases; the
    report's ``[aliases]`` are added to it).  Without it the ranking table's
    rows are the units, so a spelling variant elsewhere must be an alias.
    A name that cannot be identified raises ``AssessmentError`` listing the
    candidates, since nothing can be checked for it.
    """
    return _Audit(scheme, published, units, rounded).run()


def audit(
    scheme: Scheme, published: Published, units: UnitRegistry | None = None, *, rounded: bool = False
) -> tuple[Discrepancy, ...]:
    """Every inconsistency of a report's printed figures, found without assessments.

    The discrepancies of ``audit_published``, which also lists what it could
    not check.
    """
    return audit_published(scheme, published, units, rounded=rounded).discrepancies


# --- summaries -------------------------------------------------------------------


class Change(enum.Enum):
    """The direction of a printed change: "tăng" (a rise) or "giảm" (a fall)."""

    RISE = "tăng"
    FALL = "giảm"


@attrs.frozen
class SummarySubmission:
    """Self-assessments submitted on time (``on_time`` of ``of``) and the late ones."""

    where: str
    on_time: int
    of: int
    late: tuple[str, ...] = ()
    late_count: int | None = None
    text: str | None = None


@attrs.frozen
class SummaryAverage:
    """The average score printed, and its change since the previous year."""

    where: str
    points: Decimal
    out_of: Decimal | None = None
    change: Change | None = None
    change_points: Decimal | None = None
    text: str | None = None


@attrs.frozen
class SummaryUnit:
    """One unit's score singled out (the best, the worst)."""

    where: str
    unit: str
    points: Decimal
    out_of: Decimal | None = None
    text: str | None = None


@attrs.frozen
class SummarySpread:
    """The gap between the top and the bottom unit."""

    where: str
    top: str
    top_points: Decimal
    bottom: str
    bottom_points: Decimal
    points: Decimal
    narrowed_since_previous: Decimal | None = None
    text: str | None = None


@attrs.frozen
class SummaryCount:
    """A count of units stated in the text."""

    where: str
    count: int
    text: str | None = None


@attrs.frozen
class SummaryBand:
    """A band's printed count, its units where listed, and its share in percent."""

    name: str
    where: str
    count: int
    units: tuple[str, ...] | None = None
    share: Decimal | None = None
    text: str | None = None


@attrs.frozen
class SummaryList:
    """One category of a partition of the units (rose, fell; up, kept, down)."""

    where: str
    count: int
    units: tuple[str, ...] | None = None
    #: The printed sum of the category's changes (the points all risers gained).
    points: Decimal | None = None
    text: str | None = None


@attrs.frozen
class SummaryField:
    """A field's printed average and maximum."""

    code: str
    average: Decimal
    max: Decimal | None = None
    table: str | None = None
    text: str | None = None


#: The partitions a summary may print, and their categories, in order.
PARTITIONS: dict[str, tuple[str, ...]] = {
    "points_since_previous": ("rose", "same", "fell"),
    "steps_since_previous": ("up", "kept", "down"),
}


@attrs.frozen
class Summary:
    """Everything a summary-only report prints about one year's results."""

    scheme: str
    year: int
    units: int
    source: str | None = None
    previous_year: int | None = None
    aliases: tuple[tuple[str, str], ...] = ()
    submission: SummarySubmission | None = None
    average: SummaryAverage | None = None
    best: SummaryUnit | None = None
    worst: SummaryUnit | None = None
    spread: SummarySpread | None = None
    above_average: SummaryCount | None = None
    bands: tuple[SummaryBand, ...] = ()
    #: Each partition's categories in ``PARTITIONS`` order, those printed only.
    points_since_previous: tuple[tuple[str, SummaryList], ...] = ()
    steps_since_previous: tuple[tuple[str, SummaryList], ...] = ()
    fields: tuple[SummaryField, ...] = ()


@attrs.frozen
class _SummaryDocument:
    scheme: str
    year: int
    units: int
    source: str | None = None
    previous_year: int | None = None
    aliases: dict[str, str] = attrs.Factory(dict)
    submission: SummarySubmission | None = None
    average: SummaryAverage | None = None
    best: SummaryUnit | None = None
    worst: SummaryUnit | None = None
    spread: SummarySpread | None = None
    above_average: SummaryCount | None = None
    bands: tuple[SummaryBand, ...] = ()
    points_since_previous: dict[str, SummaryList] = attrs.Factory(dict)
    steps_since_previous: dict[str, SummaryList] = attrs.Factory(dict)
    fields: tuple[SummaryField, ...] = ()


def loads_summary(text: str, *, file: str | None = None) -> Summary:
    """Read a summary-only report's figures from TOML, reporting every problem at once.

    The shape is that of ``summary-2022.toml`` in the Phù Yên example:
    ``scheme``, ``year``, ``units`` (the number of units), optional
    ``[aliases]``, ``[submission]``, ``[average]``, ``[best]``, ``[worst]``,
    ``[spread]``, ``[above_average]``, ``[[bands]]``,
    ``[points_since_previous.rose|same|fell]``,
    ``[steps_since_previous.up|kept|down]`` and ``[[fields]]``.
    """
    data, found = _toml.parse(text, file)
    if data is None:
        raise InputError(found, source=file)
    doc = _toml.structure(_toml.make_converter(), data, _SummaryDocument, "", found)
    if doc is None:
        raise InputError(_toml.locate(found, text, file), source=file)
    if doc.units < 1:
        found.append(Problem(f"units must be at least 1, got {doc.units}", key="units"))
    counts = [(f"bands[{i}].count", b.count) for i, b in enumerate(doc.bands)]
    partitions = {}
    for name, categories in PARTITIONS.items():
        given: dict[str, SummaryList] = getattr(doc, name)
        for key in sorted(set(given) - set(categories)):
            found.append(
                Problem(f"unknown category {key!r}; known: {', '.join(categories)}", key=f"{name}.{key}")
            )
        partitions[name] = tuple((c, given[c]) for c in categories if c in given)
        counts += [(f"{name}.{c}.count", given[c].count) for c in categories if c in given]
    for key, count in counts:
        if count < 0:
            found.append(Problem(f"a count must not be negative, got {count}", key=key))
    names = [b.name for b in doc.bands]
    for i, name in enumerate(names):
        if name in names[:i]:
            found.append(Problem(f"duplicate band {name!r}", key=f"bands[{i}].name"))
    if found:
        raise InputError(_toml.locate(found, text, file), source=file)
    return Summary(
        doc.scheme, doc.year, doc.units, doc.source, doc.previous_year,
        tuple(sorted((_nfc(k), _nfc(v)) for k, v in doc.aliases.items())),
        doc.submission, doc.average, doc.best, doc.worst, doc.spread, doc.above_average,
        doc.bands, partitions["points_since_previous"], partitions["steps_since_previous"], doc.fields,
    )


def load_summary(path: str | Path) -> Summary:
    """Read a summary-only report's figures from a TOML file."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"cannot read the summary: {exc}", file=file)]) from exc
    return loads_summary(text, file=file)


@attrs.frozen
class SummaryAudit:
    """Every check of a summary report: those that agree and those that do not."""

    checks: tuple[Check, ...]
    #: What the printed figures alone cannot check, in English and Vietnamese.
    unchecked: tuple[tuple[str, str], ...] = ()

    @property
    def discrepancies(self) -> tuple[Discrepancy, ...]:
        """The checks that disagree, as discrepancies."""
        return tuple(c.discrepancy() for c in self.checks if not c.agrees)

    @property
    def consistent(self) -> bool:
        """Whether every check agrees."""
        return all(c.agrees for c in self.checks)

    def table(self) -> Table:
        """Every check, with its arithmetic; what could not be checked is in the notes."""
        return check_table(self.checks, "summary-audit",
                           ("Audit of the summary figures", "Kiểm tra số liệu tổng hợp"), self.unchecked)


def _share_text(count: int, total: int, exact: Decimal, printed: Decimal) -> str:
    places = _places(printed)
    return (f"{count} / {total} × 100 = {_fmt(round_half_up(exact, places + 3))}…"
            f" → {_fmt(round_half_up(exact, places))}")


class _SummaryAudit:
    def __init__(self, summary: Summary, scheme: Scheme | None, units: UnitRegistry | None):
        self.summary = summary
        self.scheme = scheme
        self.checks: list[Check] = []
        self.unchecked: list[tuple[str, str]] = []
        self.problems: list[Problem] = []
        self.registry = units.with_aliases(summary.aliases) if units is not None else self.default_registry()

    def default_registry(self) -> UnitRegistry | None:
        """The units named by the band lists, when every band lists its units."""
        bands = self.summary.bands
        if not bands or any(b.units is None for b in bands):
            return None
        names = {_nfc(n): _nfc(n) for b in bands for n in (b.units or ())}
        return UnitRegistry.of(names, dict(self.summary.aliases))

    def check(self, where: str, subject: str, stated: object, computed: object, arithmetic: str,
              agrees: bool | None = None) -> None:
        def text(value: object) -> str:
            return _fmt(value) if isinstance(value, Decimal) else str(value)

        ok = stated == computed if agrees is None else agrees
        self.checks.append(Check(where, subject, text(stated), text(computed), arithmetic, ok))

    def resolve(self, names: Sequence[str], where: str) -> list[str]:
        if self.registry is None:
            return [_nfc(n) for n in names]
        ids = []
        for name in names:
            try:
                ids.append(self.registry.resolve(name))
            except UnitError as exc:
                self.problems.append(Problem(f"{where}: {exc}"))
        return ids

    def run(self) -> SummaryAudit:
        s = self.summary
        if self.scheme is not None and s.scheme != self.scheme.id:
            self.check("report", "scheme", s.scheme, self.scheme.id, "the summary is about another scheme")
        self.submission()
        self.bands()
        for name in PARTITIONS:
            self.partition(name, getattr(s, name))
        self.average_change()
        self.extremes()
        self.fields()
        if self.problems:
            raise InputError(self.problems, source=s.source or "summary")
        return SummaryAudit(tuple(self.checks), tuple(self.unchecked))

    def submission(self) -> None:
        sub, units = self.summary.submission, self.summary.units
        if sub is None:
            return
        self.check(sub.where, "units expected to submit", sub.of, units, f"{sub.of} of the {units} units")
        if sub.late_count is not None:
            total = sub.on_time + sub.late_count
            self.check(sub.where, "on time + late", sub.of, total,
                       f"{sub.on_time} + {sub.late_count} = {total}")
            if sub.late:
                self.check(sub.where, "late units listed", sub.late_count, len(sub.late),
                           f"{len(sub.late)} named: {', '.join(sub.late)}")

    def bands(self) -> None:
        s = self.summary
        if not s.bands:
            return
        where = s.bands[0].where
        counts = [b.count for b in s.bands]
        total = sum(counts)
        self.check(where, "band counts", s.units, total,
                   f"{' + '.join(map(str, counts))} = {total} ({', '.join(b.name for b in s.bands)})")
        for band in s.bands:
            if band.units is not None:
                self.check(band.where, f"{band.name}: units listed", band.count, len(band.units),
                           f"{len(band.units)} named")
            if band.share is not None:
                exact = divide(Decimal(band.count) * _HUNDRED, Decimal(s.units))
                rounded = round_half_up(exact, _places(band.share))
                self.check(band.where, f"{band.name}: share (%)", band.share, rounded,
                           _share_text(band.count, s.units, exact, band.share), _agrees(band.share, exact))
            if self.scheme is not None and not any(_same_band(band.name, b.name) for b in self.scheme.bands):
                known = ", ".join(b.name for b in self.scheme.bands)
                self.check(band.where, f"{band.name}: band", band.name, "a band of the scheme",
                           f"the scheme's bands are {known}", False)
        if all(b.units is not None for b in s.bands):
            self.cover(where, "bands", [(b.name, b.units or ()) for b in s.bands])

    def cover(self, where: str, what: str, lists: Sequence[tuple[str, Sequence[str]]]) -> None:
        """Lists that must name every unit exactly once between them."""
        membership: dict[str, list[str]] = {}
        printed: dict[str, str] = {}
        for category, names in lists:
            for name, uid in zip(names, self.resolve(names, where), strict=False):
                membership.setdefault(uid, []).append(category)
                printed.setdefault(uid, name)
        universe = self.registry.ids if self.registry is not None else None
        for uid, categories in membership.items():
            if len(categories) > 1:
                self.check(where, printed[uid], ", ".join(categories), "exactly one",
                           f"{printed[uid]} is listed {len(categories)} times among {what}:"
                           f" {', '.join(categories)}", False)
        missing = [u for u in universe or () if u not in membership]
        for uid in missing:
            assert self.registry is not None
            name = self.registry.unit(uid).name
            self.check(where, name, "none", "exactly one",
                       f"{name} is in none of the lists of {what} ({', '.join(c for c, _ in lists)})", False)
        named = sum(len(n) for _, n in lists)
        distinct = len(membership)
        listed = " + ".join(str(len(n)) for _, n in lists)
        if universe is None:
            self.unchecked.append((f"{where}: {what}: not checked against every unit (no list of units)",
                                   f"{where}: {what}: không đối chiếu được với danh sách đơn vị"))
            self.check(where, f"{what}: distinct units named", named, distinct,
                       f"{listed} = {named} names, {distinct} distinct")
        else:
            self.check(where, f"{what}: every unit exactly once", self.summary.units, distinct,
                       f"{listed} = {named} names, {distinct} distinct units of {len(universe)}",
                       named == distinct == self.summary.units and not missing)

    def partition(self, name: str, categories: Sequence[tuple[str, SummaryList]]) -> None:
        if not categories:
            return
        s = self.summary
        where = categories[0][1].where
        counts = [c.count for _, c in categories]
        total = sum(counts)
        self.check(where, f"{name}: counts", s.units, total,
                   f"{' + '.join(map(str, counts))} = {total} ({', '.join(k for k, _ in categories)})")
        for key, category in categories:
            if category.units is not None:
                self.check(category.where, f"{name}.{key}: units listed", category.count, len(category.units),
                           f"{len(category.units)} named")
        if all(c.units is not None for _, c in categories):
            self.cover(where, name, [(k, c.units or ()) for k, c in categories])

    def average_change(self) -> None:
        s = self.summary
        average = s.average
        moves = dict(s.points_since_previous)
        if average is None or average.change_points is None or average.change is None:
            return
        stated = average.change_points if average.change is Change.RISE else -average.change_points
        rose, fell = moves.get("rose"), moves.get("fell")
        if rose is None or fell is None or rose.points is None or fell.points is None:
            self.unchecked.append((
                f"{average.where}: the change of the average needs the sums of rises and falls",
                f"{average.where}: thay đổi điểm trung bình cần tổng điểm tăng và giảm",
            ))
            return
        exact = divide(rose.points - fell.points, Decimal(s.units))
        places = _places(average.change_points)
        shown = _fmt(round_half_up(exact, places + 4))
        self.check(average.where, "change of the average", stated, round_half_up(exact, places),
                   f"({_fmt(rose.points)} − {_fmt(fell.points)}) / {s.units} = {shown}…"
                   f" → {_fmt(round_half_up(exact, places))},"
                   f" assuming the same {s.units} units the year before",
                   _agrees(stated, exact))

    def extremes(self) -> None:
        s = self.summary
        best, worst, spread = s.best, s.worst, s.spread
        if spread is not None:
            difference = spread.top_points - spread.bottom_points
            self.check(spread.where, "spread", spread.points, difference,
                       f"{_fmt(spread.top_points)} − {_fmt(spread.bottom_points)} = {_fmt(difference)}")
            for single, name, points, what in ((best, spread.top, spread.top_points, "top"),
                                               (worst, spread.bottom, spread.bottom_points, "bottom")):
                if single is not None:
                    agrees = _nfc(single.unit) == _nfc(name) and single.points == points
                    self.check(spread.where, f"spread {what}", f"{name} {_fmt(points)}",
                               f"{single.unit} {_fmt(single.points)}", f"as printed in {single.where}",
                               agrees)
        if s.average is not None and best is not None and worst is not None:
            a = s.average.points
            self.check(s.average.where, "average between the worst and the best", _fmt(a),
                       f"{_fmt(worst.points)} to {_fmt(best.points)}",
                       f"{_fmt(worst.points)} ≤ {_fmt(a)} ≤ {_fmt(best.points)}",
                       worst.points <= a <= best.points)
        for single, what in ((best, "best"), (worst, "worst")):
            if single is None or self.scheme is None:
                continue
            try:
                band = self.scheme.band_for(single.points).name
            except ValueError:
                continue
            listed = [b.name for b in s.bands if b.units is not None
                      and _nfc(single.unit) in {_nfc(n) for n in b.units}]
            if listed:
                self.check(single.where, f"{what}: {single.unit}'s band", ", ".join(listed), band,
                           f"{_fmt(single.points)} is in band {band}",
                           len(listed) == 1 and _same_band(listed[0], band))
        if s.above_average is not None:
            c = s.above_average
            self.check(c.where, "units above the average", c.count, f"0 to {s.units}",
                       f"{c.count} of {s.units} units", 0 <= c.count <= s.units)

    def fields(self) -> None:
        s, scheme = self.summary, self.scheme
        for field in s.fields:
            where = field.table or field.code
            if field.max is not None:
                self.check(where, f"field {field.code}: average within the maximum", _fmt(field.average),
                           f"0 to {_fmt(field.max)}", f"0 ≤ {_fmt(field.average)} ≤ {_fmt(field.max)}",
                           _ZERO <= field.average <= field.max)
            if scheme is not None:
                try:
                    node = scheme.node(field.code)
                except KeyError as exc:
                    self.problems.append(Problem(f"{where}: {exc.args[0]}"))
                    continue
                if field.max is not None:
                    self.check(where, f"field {field.code} maximum", field.max, node.max,
                               f"the scheme's maximum of field {field.code}", field.max == node.max)
        average = s.average
        if average is None or not s.fields or any(f.max is None for f in s.fields):
            return
        if scheme is not None and len(s.fields) != len(scheme.fields):
            return
        averages = [f.average for f in s.fields]
        maxima = [f.max for f in s.fields if f.max is not None]
        raw, top = trim(sum(averages, _ZERO)), trim(sum(maxima, _ZERO))
        scale = scheme.scale if scheme is not None else average.out_of
        if scale is None or not top:
            return
        exact = divide(raw * scale, top)
        spread = divide(sum((_half(a, None) for a in averages), _ZERO) * scale, top)
        low, high = exact - spread, exact + spread
        self.check(
            average.where, "average from the field averages", average.points, _fmt(round_half_up(exact, 2)),
            f"({_sum_text(averages)}) / ({_sum_text(maxima)}) × {_fmt(scale)} = {_fmt(raw)} / {_fmt(top)}"
            f" × {_fmt(scale)} = {_fmt(round_half_up(exact, 4))}…; the field averages are rounded, so the"
            f" average lies in [{_fmt(round_half_up(low, 2))}; {_fmt(round_half_up(high, 2))}]",
            _within(average.points, exact, spread),
        )


def audit_summary(
    summary: Summary, scheme: Scheme | None = None, units: UnitRegistry | None = None
) -> SummaryAudit:
    """Check a summary-only report against itself (and its scheme, when given).

    Band counts must add up to the number of units and match their lists;
    shares must be count / units × 100 rounded half-up to the printed
    decimals; each partition (bands; rose / fell; up / kept / down) must
    add up and, where its lists are printed, name every unit exactly once;
    the change of the average must be (sum of rises − sum of falls) / units
    at the printed decimals; the spread must be top − bottom; the average
    must lie within the rounding of the field averages.  The units are
    ``units`` or, by default, those the band lists name; every other list's
    names must be among them exactly (after NFC) or through ``[aliases]``,
    or the audit stops with an ``InputError`` listing the candidates.
    """
    return _SummaryAudit(summary, scheme, units).run()

