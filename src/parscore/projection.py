"""Mid-year tracking and the year-end projection it supports.

Half-way through a year an office tracks every criterion of the scheme:
achieved, not achieved, in progress or expected to fail, each with the
points it carries.  Reports give these by status ("Tự chấm đạt 50/57:
chiếm 57 điểm"), naming some criteria or groups of criteria ("TCTP 50,
51") with their points.  A ``Tracking`` holds that, with the survey points
of earlier years and the year's target; ``project`` works out what is
guaranteed, what is still possible, what is still needed for the target
and which criteria in progress could supply it, and checks that the
statuses account for the stated criteria and points.

The arithmetic is exact.  "Guaranteed" assumes that what is achieved stays
achieved (self-assessed points survive the appraisal), that the survey
points carried from a previous year are earned again, and that nothing not
achieved or expected to fail earns a point.

>>> tracking = loads_tracking('''
... year = 2022
... items = 3
... [[statuses]]
... status = "achieved"
... count = 2
... points = "60"
... [[statuses]]
... status = "in_progress"
... count = 1
... points = "5"
... [[statuses.items]]
... number = "7"
... title = "Báo cáo"
... points = "5"
... [[survey]]
... year = 2021
... points = "25"
... [target]
... points = "87"
... ''')
>>> p = project(tracking)
>>> p.guaranteed, p.best, p.needed
(Decimal('85'), Decimal('90'), Decimal('2'))
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs

from . import _toml
from .audit import Check, check_table
from .errors import InputError, Problem
from .numbers import format_decimal as _fmt
from .numbers import trim
from .published import Discrepancy
from .tables import Column, Locale, Table

__all__ = [
    "Candidate",
    "Keep",
    "Outcome",
    "Projection",
    "ProjectionClaim",
    "Status",
    "StatusGroup",
    "SurveyPoints",
    "Target",
    "TrackedItem",
    "Tracking",
    "load_tracking",
    "loads_tracking",
    "project",
]

_ZERO = Decimal(0)


class Status(enum.Enum):
    """Where a tracked criterion stands mid-year."""

    ACHIEVED = "achieved"
    NOT_ACHIEVED = "not_achieved"
    IN_PROGRESS = "in_progress"
    EXPECTED_TO_FAIL = "expected_to_fail"

    def label(self, language: Locale = "en") -> str:
        """The status in words: "in progress", "đang thực hiện"."""
        return _STATUS_WORDS[self][1 if language == "vi" else 0]


_STATUS_WORDS = {
    Status.ACHIEVED: ("achieved", "đạt"),
    Status.NOT_ACHIEVED: ("not achieved", "không đạt"),
    Status.IN_PROGRESS: ("in progress", "đang thực hiện"),
    Status.EXPECTED_TO_FAIL: ("expected to fail", "dự kiến không đạt"),
}


class Outcome(enum.Enum):
    """What a projection claims of the target: reaching it, or being above it."""

    AT_LEAST = "at_least"
    ABOVE = "above"


class Keep(enum.Enum):
    """What a projection assumes is kept from last year: the survey points, or nothing."""

    SURVEY = "survey"
    NOTHING = "nothing"


def _numbers(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen
class TrackedItem:
    """A criterion, or a group of criteria the report names together, and its points.

    ``numbers`` are as the report numbers them (``("2",)``, ``("50", "51")``);
    ``code`` is the scheme code where it is known; ``points`` is ``None``
    where the report does not print them for this item alone.
    """

    numbers: tuple[str, ...] = attrs.field(converter=_numbers)
    title: str
    points: Decimal | None = None
    kind: str | None = None
    code: str | None = None

    @property
    def label(self) -> str:
        """The item's numbers, joined: ``2``, ``50, 51``."""
        return ", ".join(self.numbers)


@attrs.frozen
class StatusGroup:
    """One status line of the report: ``count`` criteria (of ``of``) carrying ``points``.

    ``items`` are the criteria it names, if any; a line such as "Tự chấm
    đạt 50/57: chiếm 57 điểm" names none.
    """

    status: Status
    count: int
    points: Decimal
    of: int | None = None
    label: str | None = None
    text: str | None = None
    items: tuple[TrackedItem, ...] = ()


@attrs.frozen
class SurveyPoints:
    """Survey (XHH) points earned in one year."""

    year: int
    points: Decimal
    text: str | None = None


@attrs.frozen
class Target:
    """The score the unit aims for this year."""

    points: Decimal
    text: str | None = None


@attrs.frozen
class ProjectionClaim:
    """The report's own projection: keep ``keep``, gain at least ``min_gain`` from
    the ``gain_from`` criteria, and the score will be ``outcome`` the ``target``."""

    keep: Keep
    min_gain: Decimal
    gain_from: Status
    outcome: Outcome
    target: Decimal
    text: str | None = None


@attrs.frozen
class Tracking:
    """A unit's mid-year tracking: statuses with their points, survey points, target."""

    year: int
    statuses: tuple[StatusGroup, ...]
    scheme: str | None = None
    unit: str | None = None
    as_of: str | None = None
    where: str | None = None
    #: The number of criteria tracked ("57 tiêu chí, tiêu chí thành phần").
    items: int | None = None
    #: The points of the directly assessed part, and of the survey part.
    direct_max: Decimal | None = None
    survey_max: Decimal | None = None
    #: The scale of the whole score (100).
    scale: Decimal | None = None
    survey: tuple[SurveyPoints, ...] = ()
    target: Target | None = None
    projection: ProjectionClaim | None = None

    def points(self, status: Status) -> Decimal:
        """The points of every criterion with ``status``."""
        return sum((g.points for g in self.statuses if g.status is status), _ZERO)

    def count(self, status: Status) -> int:
        """The number of criteria with ``status``."""
        return sum(g.count for g in self.statuses if g.status is status)

    def survey_for(self, year: int) -> SurveyPoints | None:
        """The survey points of ``year``, if recorded."""
        return next((s for s in self.survey if s.year == year), None)


# --- TOML ----------------------------------------------------------------------


@attrs.frozen
class _Item:
    title: str
    number: str | None = None
    numbers: list[str] | None = None
    points: Decimal | None = None
    kind: str | None = None
    code: str | None = None


@attrs.frozen
class _Status:
    status: Status
    count: int
    points: Decimal
    of: int | None = None
    label: str | None = None
    text: str | None = None
    items: list[_Item] = attrs.Factory(list)


@attrs.frozen
class _Document:
    year: int
    statuses: list[_Status]
    scheme: str | None = None
    unit: str | None = None
    as_of: str | None = None
    where: str | None = None
    items: int | None = None
    direct_max: Decimal | None = None
    survey_max: Decimal | None = None
    scale: Decimal | None = None
    survey: list[SurveyPoints] = attrs.Factory(list)
    target: Target | None = None
    projection: ProjectionClaim | None = None


def loads_tracking(text: str, *, file: str | None = None) -> Tracking:
    """Read a tracking file (TOML), reporting every problem at once with its line and key.

    Top level: ``year``, optional ``scheme``, ``unit``, ``as_of``, ``where``,
    ``items`` (criteria tracked), ``direct_max``, ``survey_max``, ``scale``.
    ``[[statuses]]``: ``status`` (achieved, not_achieved, in_progress,
    expected_to_fail), ``count``, ``points``, optional ``of``, ``label``,
    ``text`` and ``[[statuses.items]]`` (``number`` or ``numbers``,
    ``title``, optional ``points``, ``kind``, ``code``).  ``[[survey]]``:
    ``year``, ``points``.  ``[target]``: ``points``.  ``[projection]``: ``keep``
    (survey, nothing), ``min_gain``, ``gain_from`` (a status), ``outcome``
    (above, at_least), ``target``.  Numbers may be written "66,5".
    """
    data, found = _toml.parse(text, file)
    if data is None:
        raise InputError(found, source=file)
    doc = _toml.structure(_toml.make_converter(), data, _Document, "", found)
    if doc is None:
        raise InputError(_toml.locate(found, text, file), source=file)
    statuses = []
    for i, raw in enumerate(doc.statuses):
        key = f"statuses[{i}]"
        if raw.count < 0:
            found.append(Problem(f"count must not be negative, got {raw.count}", key=f"{key}.count"))
        if raw.points < 0:
            found.append(Problem(f"points must not be negative, got {_fmt(raw.points)}", key=f"{key}.points"))
        if raw.of is not None and raw.of < 1:
            found.append(Problem(f"of must be at least 1, got {raw.of}", key=f"{key}.of"))
        items = []
        for j, item in enumerate(raw.items):
            ikey = f"{key}.items[{j}]"
            if (item.number is None) == (item.numbers is None):
                found.append(Problem("an item needs exactly one of 'number' or 'numbers'", key=ikey))
                continue
            numbers = [item.number] if item.number is not None else list(item.numbers or [])
            if not numbers or any(not n.strip() for n in numbers):
                found.append(Problem("an item's numbers must not be empty", key=f"{ikey}.numbers"))
                continue
            if item.points is not None and item.points < 0:
                found.append(
                    Problem(f"points must not be negative, got {_fmt(item.points)}", key=f"{ikey}.points")
                )
            items.append(TrackedItem(numbers, item.title, item.points, item.kind, item.code))
        statuses.append(
            StatusGroup(raw.status, raw.count, raw.points, raw.of, raw.label, raw.text, tuple(items))
        )
    if doc.items is not None and doc.items < 1:
        found.append(Problem(f"items must be at least 1, got {doc.items}", key="items"))
    years = [s.year for s in doc.survey]
    for i, year in enumerate(years):
        if year in years[:i]:
            found.append(Problem(f"survey points of {year} are given twice", key=f"survey[{i}].year"))
    if doc.projection is not None and doc.projection.min_gain < 0:
        found.append(Problem("min_gain must not be negative", key="projection.min_gain"))
    if found:
        raise InputError(_toml.locate(found, text, file), source=file)
    return Tracking(
        doc.year, tuple(statuses), doc.scheme, doc.unit, doc.as_of, doc.where, doc.items, doc.direct_max,
        doc.survey_max, doc.scale, tuple(doc.survey), doc.target, doc.projection,
    )


def load_tracking(path: str | Path) -> Tracking:
    """Read a tracking TOML file (see ``loads_tracking``)."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise InputError([Problem(f"cannot read the tracking file: {exc}", file=file)]) from exc
    return loads_tracking(text, file=file)


# --- the projection ----------------------------------------------------------------


@attrs.frozen
class Candidate:
    """A criterion in progress and what it could contribute to the target."""

    item: TrackedItem
    #: Whether its points alone reach the target, and alone take the score above it.
    reaches: bool | None
    exceeds: bool | None


@attrs.frozen
class Projection:
    """What a tracking guarantees, allows and still needs, with its consistency checks.

    ``needed`` is the gain that *reaches* the target: the score reaches it
    with a gain of at least ``needed``, and is *above* it only with a gain
    of strictly more than ``needed``.  It is 0 when the target is already
    guaranteed, ``None`` when there is no target.
    """

    year: int
    achieved: Decimal
    survey_year: int | None
    survey: Decimal
    guaranteed: Decimal
    in_progress: Decimal
    best: Decimal
    not_achieved: Decimal
    expected_to_fail: Decimal
    #: The most the score can be: achieved + in progress + the whole survey part.
    ceiling: Decimal | None
    target: Decimal | None
    needed: Decimal | None
    candidates: tuple[Candidate, ...]
    #: The fewest criteria in progress whose points together reach the target.
    fewest_to_reach: int | None
    checks: tuple[Check, ...]
    #: The report's own projection, checked.
    claim: Check | None = None

    @property
    def reachable(self) -> bool | None:
        """Whether the criteria in progress can still bring the score to the target."""
        return None if self.target is None else self.best >= self.target

    def score_with(self, gain: Decimal) -> Decimal:
        """The projected score if the criteria in progress gain ``gain`` points."""
        return self.guaranteed + gain

    def meets(self, gain: Decimal, outcome: Outcome = Outcome.AT_LEAST) -> bool:
        """Whether a gain of ``gain`` reaches the target (``AT_LEAST``) or passes it (``ABOVE``)."""
        if self.target is None:
            raise ValueError("the tracking has no target")
        score = self.score_with(gain)
        return score > self.target if outcome is Outcome.ABOVE else score >= self.target

    @property
    def discrepancies(self) -> tuple[Discrepancy, ...]:
        """The checks (and the report's projection) that do not agree."""
        checks = (*self.checks, *((self.claim,) if self.claim else ()))
        return tuple(c.discrepancy() for c in checks if not c.agrees)

    def table(self, language: Locale = "en") -> Table:
        """The projection as a table of figures, labelled in ``language``."""
        vi = language == "vi"
        survey_label = (f"điểm điều tra XHH giữ như năm {self.survey_year}" if vi
                        else f"survey points kept from {self.survey_year}") if self.survey_year else (
            "điểm điều tra XHH" if vi else "survey points")
        rows: list[tuple[str, str, Decimal | None]] = [
            ("achieved", "đạt" if vi else "achieved", self.achieved),
            ("survey", survey_label, self.survey),
            ("guaranteed", "điểm chắc chắn" if vi else "guaranteed score", self.guaranteed),
            ("in_progress", "đang thực hiện" if vi else "in progress", self.in_progress),
            ("best", "điểm cao nhất có thể" if vi else "best possible score", self.best),
            ("not_achieved", "không đạt" if vi else "not achieved", self.not_achieved),
            ("expected_to_fail", "dự kiến không đạt" if vi else "expected to fail", self.expected_to_fail),
        ]
        if self.ceiling is not None:
            rows.append(("ceiling", "tối đa (toàn bộ điểm XHH)" if vi else "ceiling (full survey points)",
                         self.ceiling))
        notes: list[tuple[str, str]] = [(
            "Guaranteed: achieved points kept through the appraisal, survey points as in the year shown,"
            " nothing from criteria not achieved or expected to fail.",
            "Điểm chắc chắn: giữ được điểm các tiêu chí đạt qua thẩm định, điểm XHH như năm nêu,"
            " không có điểm từ các tiêu chí không đạt hoặc dự kiến không đạt.",
        )]
        if self.target is not None and self.needed is not None:
            rows.append(("target", "mục tiêu" if vi else "target", self.target))
            label = "điểm cần thêm để đạt mục tiêu" if vi else "points needed to reach the target"
            rows.append(("needed", label, self.needed))
            t, n = _fmt(self.target), _fmt(self.needed)
            tv, nv = _fmt(self.target, comma=True), _fmt(self.needed, comma=True)
            notes.append((
                f"Reaching {t} needs a gain of at least {n}; a score above {t} needs strictly more than {n}.",
                f"Đạt {tv} điểm cần thêm ít nhất {nv} điểm; trên {tv} điểm cần thêm nhiều hơn {nv} điểm.",
            ))
        return _table(
            "projection", ("Projection of the year-end score", "Dự kiến điểm cuối năm"),
            (Column("key", "Key", "Mã"), Column("figure", "Figure", "Chỉ tiêu"),
             Column("points", "Points", "Điểm", "number")),
            rows, notes,
        )

    def candidates_table(self, language: Locale = "en") -> Table:
        """The criteria in progress, largest first, and whether each alone reaches the target."""
        return _table(
            "in-progress", ("Criteria in progress", "Tiêu chí đang thực hiện"),
            (Column("number", "Number", "Số TT"), Column("title", "Title", "Tên tiêu chí"),
             Column("points", "Points", "Điểm", "number"),
             Column("reaches", "Alone reaches the target", "Riêng nó đạt mục tiêu"),
             Column("exceeds", "Alone passes the target", "Riêng nó vượt mục tiêu")),
            [(c.item.label, c.item.title, c.item.points, c.reaches, c.exceeds) for c in self.candidates],
        )

    def checks_table(self) -> Table:
        """Every consistency check of the tracking, with its arithmetic."""
        checks = (*self.checks, *((self.claim,) if self.claim else ()))
        return check_table(checks, "tracking-checks", ("Checks of the tracking", "Kiểm tra số liệu theo dõi"))


def _table(
    name: str, title: tuple[str, str], columns: Sequence[Column], rows: Iterable[Sequence[Any]],
    notes: Sequence[tuple[str, str]] = (),
) -> Table:
    # ``cast``: mypy's attrs plugin cannot type the ``converter=tuple`` parameters of ``Table``.
    return Table(name, title, cast(Any, tuple(columns)), [tuple(r) for r in rows], cast(Any, tuple(notes)))


def _plus(values: Sequence[Decimal | int]) -> str:
    return " + ".join(_fmt(v) if isinstance(v, Decimal) else str(v) for v in values) or "0"


def _checks(tracking: Tracking) -> list[Check]:
    """Whether the statuses account for the stated criteria and points."""
    where = tracking.where or "tracking"
    checks: list[Check] = []
    groups = tracking.statuses
    if tracking.items is not None:
        counts = [g.count for g in groups]
        total = sum(counts)
        checks.append(Check(where, "criteria by status", str(tracking.items), str(total),
                            f"{_plus(counts)} = {total}", total == tracking.items))
        for g in groups:
            if g.of is not None:
                checks.append(Check(where, f"{g.status.value}: of", str(g.of), str(tracking.items),
                                    f"{g.count}/{g.of} counts out of the {tracking.items} criteria tracked",
                                    g.of == tracking.items))
    if tracking.direct_max is not None:
        points = [g.points for g in groups]
        total_points = trim(sum(points, _ZERO))
        checks.append(Check(where, "points by status", _fmt(tracking.direct_max), _fmt(total_points),
                            f"{_plus(points)} = {_fmt(total_points)}", total_points == tracking.direct_max))
    for g in groups:
        if not g.items:
            continue
        named = sum(len(i.numbers) for i in g.items)
        checks.append(Check(where, f"{g.status.value}: criteria named", str(g.count), str(named),
                            f"{_plus([len(i.numbers) for i in g.items])} = {named}"
                            f" ({'; '.join(i.label for i in g.items)})", named == g.count))
        if all(i.points is not None for i in g.items):
            values = [i.points for i in g.items if i.points is not None]
            total_items = trim(sum(values, _ZERO))
            checks.append(Check(where, f"{g.status.value}: points of the criteria named", _fmt(g.points),
                                _fmt(total_items), f"{_plus(values)} = {_fmt(total_items)}",
                                total_items == g.points))
    seen: dict[str, Status] = {}
    for g in groups:
        for item in g.items:
            for number in item.numbers:
                if number in seen and seen[number] is not g.status:
                    checks.append(Check(
                        where, f"criterion {number}", f"{seen[number].value}, {g.status.value}",
                        "one status", f"criterion {number} is tracked under two statuses", False,
                    ))
                seen.setdefault(number, g.status)
    if tracking.survey_max is not None:
        for s in tracking.survey:
            top = tracking.survey_max
            checks.append(Check(where, f"survey points {s.year}", _fmt(s.points), f"0 to {_fmt(top)}",
                                f"0 ≤ {_fmt(s.points)} ≤ {_fmt(top)}", _ZERO <= s.points <= top))
    if tracking.scale is not None and tracking.direct_max is not None and tracking.survey_max is not None:
        total_max = trim(tracking.direct_max + tracking.survey_max)
        checks.append(Check(where, "direct + survey maxima", _fmt(tracking.scale), _fmt(total_max),
                            f"{_fmt(tracking.direct_max)} + {_fmt(tracking.survey_max)} = {_fmt(total_max)}",
                            total_max == tracking.scale))
    if tracking.projection is not None and tracking.target is not None:
        checks.append(Check(where, "projection target", _fmt(tracking.projection.target),
                            _fmt(tracking.target.points), "the target stated for the year",
                            tracking.projection.target == tracking.target.points))
    return checks


def _survey_year(tracking: Tracking, survey_year: int | None) -> SurveyPoints | None:
    if survey_year is not None:
        found = tracking.survey_for(survey_year)
        if found is None:
            known = ", ".join(str(s.year) for s in tracking.survey) or "none"
            raise ValueError(f"no survey points for {survey_year}; recorded: {known}")
        return found
    earlier = [s for s in tracking.survey if s.year < tracking.year]
    return max(earlier, key=lambda s: s.year) if earlier else None


def project(tracking: Tracking, survey_year: int | None = None) -> Projection:
    """The year-end projection of a tracking: guaranteed, best, needed, and what can supply it.

    The survey points carried are those of ``survey_year``, by default of
    the latest year before the tracking's (last year's).  The report's own
    projection (``[projection]``), if any, is checked with those survey
    points: kept points + ``min_gain`` must be above (or at least) the
    target, and ``min_gain`` must not exceed the points in progress.
    """
    survey = _survey_year(tracking, survey_year)
    carried = survey.points if survey else _ZERO
    achieved = tracking.points(Status.ACHIEVED)
    in_progress = tracking.points(Status.IN_PROGRESS)
    guaranteed = achieved + carried
    best = guaranteed + in_progress
    ceiling = achieved + in_progress + tracking.survey_max if tracking.survey_max is not None else None
    target = tracking.target.points if tracking.target else None
    needed = max(target - guaranteed, _ZERO) if target is not None else None
    items = [i for g in tracking.statuses if g.status is Status.IN_PROGRESS for i in g.items]
    ordered = sorted(items, key=lambda i: (i.points is None, -(i.points or _ZERO)))
    candidates = tuple(
        Candidate(i, None if needed is None or i.points is None else i.points >= needed,
                  None if needed is None or i.points is None else i.points > needed)
        for i in ordered
    )
    fewest: int | None = None
    if needed is not None:
        running = _ZERO
        for count, points in enumerate([_ZERO, *(i.points for i in ordered if i.points is not None)]):
            running += points
            if running >= needed:
                fewest = count
                break
    claim = None
    if tracking.projection is not None:
        kept = carried if tracking.projection.keep is Keep.SURVEY else _ZERO
        claim = _claim(tracking, tracking.projection, achieved, kept, survey)
    return Projection(
        tracking.year, achieved, survey.year if survey else None, carried, trim(guaranteed), in_progress,
        trim(best), tracking.points(Status.NOT_ACHIEVED), tracking.points(Status.EXPECTED_TO_FAIL),
        trim(ceiling) if ceiling is not None else None, target,
        trim(needed) if needed is not None else None, candidates, fewest, tuple(_checks(tracking)), claim,
    )


def _claim(
    tracking: Tracking, claim: ProjectionClaim, achieved: Decimal, kept: Decimal, survey: SurveyPoints | None
) -> Check:
    """The report's projection: does keeping ``kept`` and gaining ``min_gain`` give the outcome?"""
    where = tracking.where or "tracking"
    available = tracking.points(claim.gain_from)
    score = trim(achieved + kept + claim.min_gain)
    above = claim.outcome is Outcome.ABOVE
    holds = (score > claim.target if above else score >= claim.target) and claim.min_gain <= available
    relation = ">" if score > claim.target else ("=" if score == claim.target else "<")
    kept_text = f" + {_fmt(kept)} (survey {survey.year})" if claim.keep is Keep.SURVEY and survey else ""
    stated = f"{'above' if above else 'at least'} {_fmt(claim.target)}"
    return Check(
        where, "the report's projection", stated, _fmt(score),
        f"{_fmt(achieved)}{kept_text} + {_fmt(claim.min_gain)} = {_fmt(score)}"
        f" {relation} {_fmt(claim.target)};"
        f" the gain of {_fmt(claim.min_gain)} is {'within' if claim.min_gain <= available else 'more than'}"
        f" the {_fmt(available)} points {claim.gain_from.label()}",
        holds,
    )
