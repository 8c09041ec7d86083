"""Analyses of results: improvement gaps and plans, changes since last year,
distributions, and self-assessment against appraisal.

Every function here is pure: it reads ``Result`` objects (or a scheme and
assessments) and returns immutable ``Table`` objects, or a small frozen
class holding several, with headings in English and Vietnamese and exact
``Decimal`` cells.  Rows are always sorted by a stated key, ties by unit id
or by the scheme's order of codes, so the same input in any order renders
byte for byte the same.

``Table`` cells are not translated, only headings and notes are.  Where a
cell holds a word rather than a number (the direction of a change), it
carries both languages: ``"up / tăng bậc"``.

>>> from parscore import Assessment, Band, Entered, Node, Scheme, evaluate
>>> scheme = Scheme("vn.demo.commune.2023", "Chỉ số CCHC", "UBND huyện", "commune", 2023,
...     (Node("1", "Chỉ đạo, điều hành", Decimal(10), children=(
...         Node("1.1", "Kế hoạch CCHC", Decimal(4), rule=Entered()),
...         Node("1.2", "Báo cáo", Decimal(6), rule=Entered()))),),
...     (Band("Tốt", Decimal(0)),))
>>> result = evaluate(scheme, [Assessment.of("a", "UBND xã A", appraised={"1.1": "3,5", "1.2": 6})])
>>> print(gap_table(result, "a").render("csv"), end="")
Code,Field / criterion,Max,Points 2023,Gap,% of max
1,"Chỉ đạo, điều hành",10,9.5,0.5,95
1.1,Kế hoạch CCHC,4,3.5,0.5,87.5
1.2,Báo cáo,6,6,0,100
,Tổng điểm,10,9.5,0.5,95
"""

from __future__ import annotations

import contextlib
import itertools
import operator
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Literal

import attrs

from . import _toml
from .assessments import Assessment, Assessments, nfc_name
from .errors import InputError, Problem
from .evaluation import NodeResult, Result, UnitResult, evaluate
from .model import Node, RankMethod, Scheme, level_name
from .numbers import divide, format_decimal, parse_decimal, round_half_up, trim
from .published import resolve_unit
from .ranking import rank
from .tables import Cell, Column, Table, _cells_checked
from .units import unit_resolver

__all__ = [
    "Adjustments",
    "Distribution",
    "Plan",
    "PlanDiscrepancy",
    "PlanError",
    "PlanItem",
    "Unmatched",
    "YearComparison",
    "adjustments",
    "compare_years",
    "distribution",
    "gap_table",
    "load_plan",
    "loads_plan",
    "plan_problems",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)
#: The title of every total row: the data's titles are Vietnamese, and so is this one.
TOTAL_TITLE = "Tổng điểm"

_LEVELS_VI = {
    "field": "lĩnh vực", "criterion": "tiêu chí", "sub-criterion": "tiêu chí thành phần", "item": "mục",
}
_PLURAL_EN = {"field": "fields", "criterion": "criteria", "sub-criterion": "sub-criteria", "item": "items"}
_POSSESSIVE_EN = {
    "field": "fields'", "criterion": "criteria's", "sub-criterion": "sub-criteria's", "item": "items'",
}

#: Words for the direction of a change, in both languages (cells are not translated).
POINTS_WORDS = {1: "rose / tăng điểm", 0: "unchanged / không đổi", -1: "fell / giảm điểm"}
STEP_WORDS = {1: "up / tăng bậc", 0: "kept / giữ bậc", -1: "down / giảm bậc"}
#: The rows of a comparison's summary, as seed 004 words them.
BAND_ROWS = {1: "moved up a band / tăng bậc xếp loại", 0: "kept the band / giữ bậc xếp loại",
             -1: "moved down a band / giảm bậc xếp loại"}
RANK_ROWS = {1: "moved up in rank / tăng bậc xếp hạng", 0: "kept the rank / giữ bậc xếp hạng",
             -1: "moved down in rank / giảm bậc xếp hạng"}


def _en(value: Decimal) -> str:
    return format_decimal(value)


def _vi(value: Decimal) -> str:
    return format_decimal(value, comma=True)


def _level(code: str) -> str:
    return level_name(code.count(".") + 1)


def _label(code: str) -> tuple[str, str]:
    """``("field 2", "lĩnh vực 2")`` for code ``2``."""
    level = _level(code)
    return f"{level} {code}", f"{_LEVELS_VI[level]} {code}"


def _sign(value: Decimal | int) -> int:
    return (value > 0) - (value < 0)


def _units_word(count: int) -> str:
    return "unit" if count == 1 else "units"


def _names(units: Iterable[UnitResult]) -> str:
    return ", ".join(u.name for u in units)


def _table(
    name: str,
    title: tuple[str, str],
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    notes: Sequence[tuple[str, str]] = (),
) -> Table:
    """A ``Table``, built through a plain callable: mypy's attrs plugin cannot type its tuple converters."""
    build: Callable[..., Table] = Table
    return build(name, title, tuple(columns), rows, tuple(notes))


def _positions(scheme: Scheme) -> dict[str, int]:
    """Each node's place in tree order: where ``UnitResult.points`` holds its points.

    Reading a node's points there, rather than through ``UnitResult.node``,
    does not write the node's explanation: what makes the analyses of a
    country's units fast.
    """
    return {node.code: i for i, node in enumerate(scheme.nodes())}


def _picker(positions: Sequence[int]) -> Callable[[Sequence[Decimal]], tuple[Decimal, ...]]:
    """A function giving the items at ``positions`` of a sequence, always as a tuple (in C, for two or more)."""
    if len(positions) == 1:
        (only,) = positions
        return lambda items: (items[only],)
    if not positions:
        return lambda items: ()
    return operator.itemgetter(*positions)


def _find_unit(result: Result, unit: str) -> UnitResult:
    """The unit whose id or exact name (NFC) is ``unit``; ``ValueError`` lists near candidates."""
    names = {u.unit_id: u.name for u in result.units}
    try:
        return result.unit(resolve_unit(unit, names, {}))
    except ValueError as exc:
        message = str(exc)
        marker = "; candidates:"
        hint = message[message.index(marker):] if marker in message else ""
        raise ValueError(f"no unit {unit!r} in this result (neither an id nor a name){hint}") from None


# --- improvement plans ----------------------------------------------------------------


class PlanError(InputError):
    """An improvement plan file is malformed (every problem listed, each with its place)."""


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else parse_decimal(value)


def _strip(value: str) -> str:
    return value.strip()




def _optional_text(value: str | None) -> str | None:
    return None if value is None else unicodedata.normalize("NFC", value)


@attrs.frozen
class PlanItem:
    """One row of an improvement plan: a node's target, its tasks and the responsible office.

    ``target`` accepts the number forms reports use ("1,5", "4.5", 2) and
    refuses floats, as assessments do.
    """

    code: str = attrs.field(converter=_strip)
    target: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    tasks: str | None = attrs.field(default=None, converter=_optional_text)
    office: str | None = attrs.field(default=None, converter=_optional_text)


def _items(items: Iterable[PlanItem]) -> tuple[PlanItem, ...]:
    return tuple(items)


def _pairs(pairs: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(pairs)


@attrs.frozen
class Plan:
    """A unit's improvement plan (kế hoạch khắc phục, cải thiện) for one year.

    ``unit`` is the unit's id or name; ``scheme``, when given, is the id of
    the scheme whose maxima the targets are measured against.  ``file`` and
    ``lines`` (key path → line) are set by the loader so that problems can
    say where they are; they take no part in equality.
    """

    unit: str = attrs.field(converter=nfc_name)
    year: int
    items: tuple[PlanItem, ...] = attrs.field(default=(), converter=_items)
    source: str | None = None
    scheme: str | None = None
    total_target: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    file: str | None = attrs.field(default=None, eq=False, repr=False)
    lines: tuple[tuple[str, int], ...] = attrs.field(default=(), eq=False, repr=False, converter=_pairs)

    @items.validator
    def _check_items(self, _: object, items: tuple[PlanItem, ...]) -> None:
        codes = [item.code for item in items]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"the plan has more than one item for {', '.join(duplicates)}")

    def item(self, code: str) -> PlanItem | None:
        """The item for ``code``, or ``None`` when the plan has none."""
        for item in self.items:
            if item.code == code:
                return item
        return None

    def line(self, key: str) -> int | None:
        """The line of key path ``key`` (or of the nearest enclosing key) in the plan's file."""
        lines = dict(self.lines)
        while key:
            if key in lines:
                return lines[key]
            cut = max(key.rfind("."), key.rfind("["))
            key = key[:cut] if cut > 0 else ""
        return None


@attrs.frozen
class _ItemDocument:
    code: str
    target: Decimal | None = None
    tasks: str | None = None
    office: str | None = None


@attrs.frozen
class _PlanDocument:
    unit: str
    year: int
    source: str | None = None
    scheme: str | None = None
    total_target: Decimal | None = None
    items: list[_ItemDocument] = attrs.Factory(list)


def loads_plan(text: str, *, file: str | None = None) -> Plan:
    """Read an improvement plan from TOML text, reporting every problem at once.

    The format (``unit`` and ``year`` required, the rest optional)::

        unit = "dak-glong"            # the unit's id or name
        year = 2024                   # the year the targets are for
        source = "Kế hoạch số …"      # the document transcribed
        scheme = "vn.dak-nong.district.2023"   # the scheme of the maxima
        total_target = "100"          # the TỔNG ĐIỂM row's target

        [[items]]
        code = "2.1"                  # a field, criterion or sub-criterion
        target = "2,5"                # its target; "2,5", "2.5" or 2
        tasks = "Cập nhật, …"         # the tasks (nhiệm vụ, giải pháp)
        office = "Phòng Tư pháp"      # the responsible office (đơn vị chủ trì)

    Unknown keys, wrong types, floats that would lose digits, blank codes,
    repeated codes and items with nothing in them are refused with a
    ``PlanError`` whose problems carry the file, line and key.  Whether the
    targets fit a scheme is checked by ``plan_problems``.
    """
    data, found = _toml.parse(text, file)
    if data is None:
        raise PlanError(found, source=file)
    document = _toml.structure(_toml.make_converter(), data, _PlanDocument, "", found)
    if document is None:
        raise PlanError(_toml.locate(found, text, file), source=file)
    if not document.unit.strip():
        found.append(Problem("unit must name the unit (its id or name)", key="unit"))
    seen: dict[str, int] = {}
    for i, item in enumerate(document.items):
        key = f"items[{i}]"
        code = item.code.strip()
        if not code:
            found.append(Problem("code must not be empty", key=f"{key}.code"))
        elif code in seen:
            found.append(Problem(f"duplicate code {code!r}, also items[{seen[code]}]", key=f"{key}.code"))
        else:
            seen[code] = i
        if item.target is None and item.tasks is None and item.office is None:
            found.append(Problem("an item needs a target, tasks or an office", key=key))
    if found:
        raise PlanError(_toml.locate(found, text, file), source=file)
    return Plan(
        document.unit,
        document.year,
        tuple(PlanItem(i.code, i.target, i.tasks, i.office) for i in document.items),
        _optional_text(document.source),
        document.scheme,
        document.total_target,
        file,
        tuple(sorted(_toml.key_lines(text).items())),
    )


def load_plan(path: str | Path) -> Plan:
    """Read an improvement plan TOML file (see ``loads_plan`` for the format)."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise PlanError([Problem(f"cannot read the plan: {exc}", file=file)]) from exc
    return loads_plan(text, file=file)


@attrs.frozen
class PlanDiscrepancy:
    """A plan figure that does not fit the scheme or the plan's other figures.

    Shaped like ``published.Discrepancy``: ``published`` is the figure as the
    plan states it, ``computed`` what the scheme or the other targets give.
    ``where`` is the key path in the plan (``items[8].target``), ``file``
    and ``line`` its place when the plan was read from a file.
    """

    where: str
    subject: str
    published: str
    computed: str
    message: str
    message_vi: str
    file: str | None = None
    line: int | None = None

    def place(self) -> str:
        """``plan-2024.toml, line 80, items[8].target``: as much of the place as is known."""
        parts = [p for p in (self.file, f"line {self.line}" if self.line else None, self.where) if p]
        return ", ".join(parts)

    def __str__(self) -> str:
        return f"{self.place()}: {self.subject}: {self.message}"


def plan_problems(scheme: Scheme, plan: Plan) -> tuple[PlanDiscrepancy, ...]:
    """Every inconsistency between ``plan`` and ``scheme``, and within the plan's targets.

    Checked, in this order: the plan's ``scheme`` (when given) is this one;
    every code exists in the scheme; each target is at least 0 and at most
    its node's maximum; each parent's target equals the sum of its
    children's targets (when some children have targets, all must); and
    ``total_target`` equals the sum of the fields' targets and, level by
    level, of the criteria's and sub-criteria's targets (a leaf higher up
    counts at every level below it), wherever every target at that level is
    given.  Node checks follow the scheme's tree order.  Nothing is
    adjusted: each disagreement is returned with its place.
    """
    found: list[PlanDiscrepancy] = []
    keys = {item.code: f"items[{i}]" for i, item in enumerate(plan.items)}

    def add(where: str, subject: str, published: str, computed: str, en: str, vi: str) -> None:
        line = plan.line(where)
        found.append(PlanDiscrepancy(where, subject, published, computed, en, vi, plan.file, line))

    if plan.scheme is not None and plan.scheme != scheme.id:
        add("scheme", "scheme", plan.scheme, scheme.id,
            f"the plan is for scheme {plan.scheme!r}, not {scheme.id!r}",
            f"kế hoạch dùng bộ tiêu chí {plan.scheme!r}, không phải {scheme.id!r}")
    nodes = {node.code: node for node in scheme.nodes()}
    for item in sorted(plan.items, key=lambda i: i.code):
        if item.code not in nodes:
            add(f"{keys[item.code]}.code", f"item {item.code}", item.code, "",
                f"unknown criterion {item.code!r}: scheme {scheme.id!r} has no such code",
                f"mã {item.code!r} không có trong bộ tiêu chí {scheme.id!r}")
    targets = {i.code: i.target for i in plan.items if i.code in nodes and i.target is not None}
    for node in scheme.nodes():
        target = targets.get(node.code)
        if target is None:
            continue
        where = f"{keys[node.code]}.target"
        en_label, vi_label = _label(node.code)
        subject = f"{en_label} target"
        if target < 0:
            add(where, subject, _en(target), "0", f"target {_en(target)} is below 0",
                f"{vi_label}: mục tiêu {_vi(target)} nhỏ hơn 0")
        elif target > node.max:
            add(where, subject, _en(target), _en(node.max),
                f"target {_en(target)} is above the maximum {_en(node.max)}",
                f"{vi_label}: mục tiêu {_vi(target)} vượt điểm tối đa {_vi(node.max)}")
        if not node.children:
            continue
        child_level = _level(node.children[0].code)
        given = [c for c in node.children if c.code in targets]
        missing = [c.code for c in node.children if c.code not in targets]
        if given and missing:
            add(where, subject, _en(target), f"no target for {', '.join(missing)}",
                (f"its {child_level} {missing[0]} has no target" if len(missing) == 1 else
                 f"its {_PLURAL_EN[child_level]} {', '.join(missing)} have no target")
                + f", so the target {_en(target)} cannot be checked against theirs",
                f"{vi_label}: các {_LEVELS_VI[child_level]} {', '.join(missing)} không có mục tiêu,"
                f" không kiểm tra được mục tiêu {_vi(target)}")
        elif given:
            parts = [targets[c.code] for c in node.children]
            total = sum(parts, _ZERO)
            if total != target:
                add(where, subject, _en(target), _en(total),
                    f"the target is {_en(target)}, but its {_POSSESSIVE_EN[child_level]} targets add up to"
                    f" {_en(total)} ({' + '.join(map(_en, parts))})",
                    f"{vi_label}: mục tiêu là {_vi(target)}, nhưng mục tiêu của các {_LEVELS_VI[child_level]}"
                    f" cộng lại là {_vi(total)} ({' + '.join(map(_vi, parts))})")
    if plan.total_target is not None:
        total_target = plan.total_target
        depth = 1
        while True:
            cut = _cut(scheme.fields, depth)
            if depth > 1 and all(node.code.count(".") + 1 < depth for node in cut):
                break
            if all(node.code in targets for node in cut):
                total = sum((targets[node.code] for node in cut), _ZERO)
                if total != total_target:
                    mixed = any(node.code.count(".") + 1 < depth for node in cut)
                    level = level_name(depth)
                    en_whose = (f"the targets down to {level} level" if mixed
                                else f"the {_POSSESSIVE_EN[level]} targets")
                    vi_whose = (f"mục tiêu đến cấp {_LEVELS_VI[level]}" if mixed
                                else f"mục tiêu của các {_LEVELS_VI[level]}")
                    add("total_target", "total target", _en(total_target), _en(total),
                        f"the total target is {_en(total_target)}, but {en_whose} add up to {_en(total)}",
                        f"tổng mục tiêu là {_vi(total_target)}, nhưng {vi_whose} cộng lại là {_vi(total)}")
            depth += 1
    return tuple(found)


def _cut(fields: Sequence[Node], depth: int) -> list[Node]:
    """The nodes at ``depth``, with every leaf above that depth standing in for its level."""
    nodes: list[Node] = []
    for node in fields:
        if node.code.count(".") + 1 >= depth or not node.children:
            nodes.append(node)
        else:
            nodes.extend(_cut(node.children, depth))
    return nodes


# --- the improvement-gap table -----------------------------------------------------------


Sort = Literal["code", "gap"]


def gap_table(
    result: Result,
    unit_id: str,
    plan: Plan | None = None,
    *,
    sort: Sort = "code",
    top: int | None = None,
) -> Table:
    """A unit's improvement-gap table: where it lost points, and its plan for each node.

    One row per node (field, criterion, sub-criterion): code, title, max,
    points, gap (max − points) and points as a percentage of max (shown to
    1 decimal).  With a ``plan``, also the plan year's target, the gap to
    the target (target − points), the tasks and the responsible office:
    the table of seed 002's appendix.  A total row closes the table (code
    ``""``, title ``"Tổng điểm"``) with the unit's maximum, its raw total
    (before any normalisation) and the plan's ``total_target``.

    ``sort="code"`` keeps the scheme's tree order (each field followed by
    its criteria); ``sort="gap"`` orders rows by gap, largest first, ties
    in the scheme's order.  ``top=N`` keeps only the N leaves with the
    largest gaps (leaves that lost nothing are left out; a tie at the cut
    is broken by the scheme's order and noted); the total row still holds
    the whole unit's totals.

    ``unit_id`` may be the unit's id or its exact name.  A plan for
    another unit raises ``ValueError``.  Plan items whose codes are not in
    the scheme, nodes without a target, targets below the points already
    achieved and every inconsistency ``plan_problems`` finds are written
    in the table's notes, never dropped silently.
    """
    if sort not in ("code", "gap"):
        raise ValueError(f"sort must be 'code' or 'gap', got {sort!r}")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a whole number of at least 1, got {top!r}")
    unit = _find_unit(result, unit_id)
    scheme = result.scheme
    if plan is not None:
        try:
            planned = _find_unit(result, plan.unit)
        except ValueError:
            planned = None
        if planned is None or planned.unit_id != unit.unit_id:
            raise ValueError(f"the plan is for unit {plan.unit!r}, not {unit.unit_id!r} ({unit.name})")
    nodes = unit.nodes()
    leaves = {n.code for n in scheme.leaves()}
    notes: list[tuple[str, str]] = []
    order = list(range(len(nodes)))
    if top is not None:
        losing = sorted((i for i in order if nodes[i].code in leaves and nodes[i].gap > 0),
                        key=lambda i: (-nodes[i].gap, i))
        chosen = losing[:top]
        order = chosen if sort == "gap" else sorted(chosen)
        notes.append((
            (f"the criterion with the largest gap (of {len(losing)} that lost points);" if len(chosen) == 1
             else f"the {len(chosen)} criteria with the largest gaps (of {len(losing)} that lost points);")
            + " the total row is the whole unit's",
            f"{len(chosen)} tiêu chí có điểm chưa đạt lớn nhất (trong {len(losing)} tiêu chí bị mất điểm);"
            " dòng tổng là của cả đơn vị",
        ))
        if len(losing) > top and nodes[losing[top]].gap == nodes[losing[top - 1]].gap:
            tied = [nodes[i].code for i in losing if nodes[i].gap == nodes[losing[top - 1]].gap]
            notes.append((
                f"{', '.join(tied)} tie at the cut with a gap of {_en(nodes[losing[top - 1]].gap)};"
                " the first in the scheme's order are kept",
                f"{', '.join(tied)} bằng nhau ở ngưỡng cắt (chưa đạt {_vi(nodes[losing[top - 1]].gap)});"
                " giữ các tiêu chí đứng trước theo thứ tự bộ tiêu chí",
            ))
    elif sort == "gap":
        order.sort(key=lambda i: (-nodes[i].gap, i))

    columns = [
        Column("code", "Code", "Mã"),
        Column("title", "Field / criterion", "Lĩnh vực / tiêu chí"),
        Column("max", "Max", "Điểm tối đa", "number"),
        Column("points", f"Points {scheme.year}", f"Điểm {scheme.year} đạt được", "number"),
        Column("gap", "Gap", "Điểm chưa đạt", "number"),
        Column("percentage", "% of max", "Tỷ lệ đạt", "percent", 1),
    ]
    if plan is not None:
        columns += [
            Column("target", f"Target {plan.year}", f"Mục tiêu năm {plan.year}", "number"),
            Column("to_target", "To target", "Còn thiếu so với mục tiêu", "number"),
            Column("tasks", "Tasks", "Nhiệm vụ, giải pháp"),
            Column("office", "Responsible office", "Đơn vị chủ trì"),
        ]

    def row(code: str, title: str, max_points: Decimal, points: Decimal, item: PlanItem | None,
            target: Decimal | None) -> tuple[Cell, ...]:
        percentage = divide(points * _HUNDRED, max_points) if max_points else None
        cells: tuple[Cell, ...] = (code, title, max_points, points, max_points - points, percentage)
        if plan is None:
            return cells
        return (*cells, target, None if target is None else target - points,
                item.tasks if item else None, item.office if item else None)

    items = {item.code: item for item in plan.items} if plan is not None else {}
    rows = []
    for i in order:
        node = nodes[i]
        item = items.get(node.code)
        rows.append(row(node.code, node.title, node.max, node.points, item, item.target if item else None))
    rows.append(row("", TOTAL_TITLE, unit.max_total, unit.raw_total, None,
                    plan.total_target if plan is not None else None))

    if unit.normalised_total != unit.raw_total or unit.max_total != scheme.scale:
        notes.append((
            f"points are raw; the score on a scale of {_en(scheme.scale)} is {_en(unit.score)}",
            f"điểm là điểm thô; điểm quy về thang {_vi(scheme.scale)} là {_vi(unit.score)}",
        ))
    dropped = [n.code for n in nodes if not n.applicable]
    if dropped:
        notes.append((f"not applicable, left out of the maximum: {', '.join(dropped)}",
                      f"không phát sinh, không tính vào điểm tối đa: {', '.join(dropped)}"))
    if plan is not None:
        notes += _plan_notes(result, unit, plan, nodes)
    title = (
        (f"Improvement gaps: {unit.name} ({scheme.id})", f"Điểm chưa đạt: {unit.name} ({scheme.id})")
        if plan is None
        else (f"Improvement plan {plan.year}: {unit.name} ({scheme.id})",
              f"Kế hoạch cải thiện năm {plan.year}: {unit.name} ({scheme.id})")
    )
    return _table("gaps", title, columns, rows, notes)


def _plan_notes(
    result: Result, unit: UnitResult, plan: Plan, nodes: Sequence[NodeResult]
) -> list[tuple[str, str]]:
    notes: list[tuple[str, str]] = []
    targets = {item.code: item.target for item in plan.items if item.target is not None}
    untargeted = [n.code for n in nodes if n.code not in targets]
    if untargeted:
        notes.append((f"no target in the plan for: {', '.join(untargeted)}",
                      f"kế hoạch không có mục tiêu cho: {', '.join(untargeted)}"))
    below = [(n.code, t, n.points) for n in nodes if (t := targets.get(n.code)) is not None and t < n.points]
    if below:
        notes.append((
            "targets below the points already achieved: "
            + ", ".join(f"{c} ({_en(t)} < {_en(p)})" for c, t, p in below),
            "mục tiêu thấp hơn điểm đã đạt: " + ", ".join(f"{c} ({_vi(t)} < {_vi(p)})" for c, t, p in below),
        ))
    if plan.total_target is not None and plan.total_target < unit.raw_total:
        notes.append((
            f"the total target {_en(plan.total_target)} is below the points already achieved"
            f" ({_en(unit.raw_total)})",
            f"tổng mục tiêu {_vi(plan.total_target)} thấp hơn điểm đã đạt ({_vi(unit.raw_total)})",
        ))
    # Unknown codes, targets out of range and sums that disagree: plan_problems finds them all.
    for problem in plan_problems(result.scheme, plan):
        notes.append((f"plan: {problem.subject}: {problem.message}", f"kế hoạch: {problem.message_vi}"))
    return notes


# --- year-over-year comparison ---------------------------------------------------------------


@attrs.frozen
class Unmatched:
    """What a comparison of two years could not pair: field codes and unit ids of each year."""

    fields_before: tuple[str, ...] = ()
    fields_after: tuple[str, ...] = ()
    units_before: tuple[str, ...] = ()
    units_after: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.fields_before or self.fields_after or self.units_before or self.units_after)


@attrs.frozen
class YearComparison:
    """Two years' results side by side.

    ``units``: per unit the change of score, rank and band with its
    direction; ``fields``: per unit and paired field the change of points;
    ``summary``: the counts and sums a report prints (how many rose and by
    how many points in all, how many fell, kept, moved up or down a band or
    a rank); ``unmatched``: the fields and units that have no counterpart.
    """

    units: Table
    fields: Table
    summary: Table
    unmatched: Unmatched


def _pair_units(
    before: Result, after: Result, unit_map: Mapping[str, str] | None
) -> tuple[list[tuple[UnitResult, UnitResult]], tuple[str, ...], tuple[str, ...]]:
    """Units paired by id, or by ``unit_map`` (before → after, ids or exact names)."""
    before_names = {u.unit_id: u.name for u in before.units}
    after_names = {u.unit_id: u.name for u in after.units}
    pairs: dict[str, str] = {}
    if unit_map:
        resolve_before, resolve_after = unit_resolver(before_names, {}), unit_resolver(after_names, {})
    for key, value in sorted((unit_map or {}).items()):
        try:
            old, new = resolve_before(key), resolve_after(value)
        except ValueError as exc:
            raise ValueError(f"unit_map {key!r} → {value!r}: {exc}") from None
        if old in pairs or new in pairs.values():
            raise ValueError(f"unit_map pairs a unit twice: {key!r} → {value!r}")
        pairs[old] = new
    mapped = set(pairs.values())
    for unit_id in sorted(before_names):
        if unit_id not in pairs and unit_id in after_names and unit_id not in mapped:
            pairs[unit_id] = unit_id
    matched = [(before.unit(old), after.unit(new)) for old, new in pairs.items()]
    matched.sort(key=lambda p: (p[1].rank, p[1].unit_id))
    only_before = tuple(sorted(set(before_names) - set(pairs)))
    only_after = tuple(sorted(set(after_names) - set(pairs.values())))
    return matched, only_before, only_after


def _pair_fields(
    before: Scheme, after: Scheme, field_map: Mapping[str, str] | None
) -> tuple[list[tuple[Node, Node]], tuple[str, ...], tuple[str, ...]]:
    """Fields paired by ``field_map`` (before code → after code), then by equal code."""
    old = {f.code: f for f in before.fields}
    new = {f.code: f for f in after.fields}
    explicit = dict(field_map or {})
    for key, value in sorted(explicit.items()):
        if key not in old:
            raise ValueError(f"field_map: {before.id!r} has no field {key!r}; fields: {', '.join(old)}")
        if value not in new:
            raise ValueError(f"field_map: {after.id!r} has no field {value!r}; fields: {', '.join(new)}")
    targets = list(explicit.values())
    doubled = sorted({v for v in targets if targets.count(v) > 1})
    if doubled:
        raise ValueError(f"field_map maps more than one field to {', '.join(doubled)}")
    taken = set(targets)
    pairs: dict[str, str] = {}
    for code in old:
        if code in explicit:
            pairs[code] = explicit[code]
        elif code in new and code not in taken:
            pairs[code] = code
    position = {code: i for i, code in enumerate(new)}
    matched = sorted(((old[b], new[a]) for b, a in pairs.items()), key=lambda p: position[p[1].code])
    return (
        matched,
        tuple(c for c in old if c not in pairs),
        tuple(c for c in new if c not in pairs.values()),
    )


def _band_levels(before: Scheme, after: Scheme) -> tuple[dict[str, int], dict[str, int], str | None]:
    """Each year's band names → level (0 = lowest), and how they were matched."""

    def levels(scheme: Scheme) -> dict[str, int]:
        return {b.name: i for i, b in enumerate(sorted(scheme.bands, key=lambda b: b.lower))}

    old, new = levels(before), levels(after)
    if set(old) == set(new):
        return new, new, None
    if len(old) == len(new):
        return old, new, "position"
    return {}, {}, "none"


def _same_text(a: str, b: str) -> bool:
    def plain(text: str) -> str:
        return " ".join(unicodedata.normalize("NFC", text).casefold().split())

    return plain(a) == plain(b)


def compare_years(
    before: Result,
    after: Result,
    *,
    field_map: Mapping[str, str] | None = None,
    unit_map: Mapping[str, str] | None = None,
) -> YearComparison:
    """Compare two years' results for the same units, also across a change of scheme.

    Units are paired by id, or by ``unit_map`` (before → after, each an id
    or an exact name); fields by code, or by ``field_map`` (before code →
    after code; the codes it names are taken out of matching by code).
    Fields and units with no counterpart are listed in ``unmatched`` and in
    the notes, never dropped silently.

    Directions: a score rose or fell; a rank moved up when its number fell
    (1 is the top); a band moved up when the unit reached a higher band.
    Bands are compared by name when both years have the same band names,
    by position from the lowest when only their number agrees, and not at
    all otherwise (the cells are then empty and a note says why).

    Units are listed in the later year's rank order, ties by unit id;
    fields in the later scheme's order.  Score changes are of the score
    bands use (the normalised total); field changes are of raw points, so
    for a scheme that does not normalise they add up to the score change.
    """
    years = (before.scheme.year, after.scheme.year)
    if years[0] != years[1]:
        en_b, en_a, vi_b, vi_a = str(years[0]), str(years[1]), str(years[0]), str(years[1])
    else:
        en_b, en_a, vi_b, vi_a = "before", "after", "trước", "sau"
    pairs, only_before, only_after = _pair_units(before, after, unit_map)
    fields, fields_before, fields_after = _pair_fields(before.scheme, after.scheme, field_map)
    old_levels, new_levels, band_match = _band_levels(before.scheme, after.scheme)
    notes: list[tuple[str, str]] = []
    if before.scheme.scale != after.scheme.scale:
        notes.append((
            f"the scales differ ({_en(before.scheme.scale)} in {en_b}, {_en(after.scheme.scale)} in {en_a});"
            " scores are compared as published",
            f"thang điểm khác nhau ({_vi(before.scheme.scale)} năm {vi_b}, {_vi(after.scheme.scale)}"
            f" năm {vi_a}); điểm được so sánh như đã công bố",
        ))
    if band_match == "position":
        notes.append(("the two years' bands have different names: compared by position from the lowest",
                      "tên các mức xếp loại hai năm khác nhau: so sánh theo thứ tự từ mức thấp nhất"))
    elif band_match == "none":
        notes.append(("the two years have different numbers of bands: bands are not compared",
                      "số mức xếp loại hai năm khác nhau: không so sánh xếp loại"))
    for old, new in fields:
        if old.code != new.code:
            notes.append((f"field {old.code} of {en_b} is compared with field {new.code} of {en_a}",
                          f"lĩnh vực {old.code} năm {vi_b} được so với lĩnh vực {new.code} năm {vi_a}"))
        if old.max != new.max:
            notes.append((
                f"field {new.code}: the maximum changed from {_en(old.max)} to {_en(new.max)}",
                f"lĩnh vực {new.code}: điểm tối đa đổi từ {_vi(old.max)} thành {_vi(new.max)}",
            ))
        if not _same_text(old.title, new.title):
            notes.append((f"field {new.code}: the title changed from {old.title!r} to {new.title!r}",
                          f"lĩnh vực {new.code}: tên đổi từ {old.title!r} thành {new.title!r}"))
    for codes, en_this, en_other, vi_this, vi_other in ((fields_before, en_b, en_a, vi_b, vi_a),
                                                        (fields_after, en_a, en_b, vi_a, vi_b)):
        if codes:
            listed = ", ".join(codes)
            notes.append((f"fields of {en_this} with no counterpart in {en_other}: {listed}",
                          f"lĩnh vực năm {vi_this} không có lĩnh vực tương ứng năm {vi_other}: {listed}"))
    for ids, result, en_year, vi_year in ((only_before, before, en_b, vi_b), (only_after, after, en_a, vi_a)):
        if ids:
            listed = ", ".join(f"{i} ({result.unit(i).name})" for i in ids)
            notes.append((f"units only in {en_year}: {listed}", f"đơn vị chỉ có năm {vi_year}: {listed}"))
    for old_unit, new_unit in pairs:
        old_id, new_id = old_unit.unit_id, new_unit.unit_id
        if old_id != new_id:
            notes.append((f"unit {old_id} of {en_b} is compared with unit {new_id} of {en_a}",
                          f"đơn vị {old_id} năm {vi_b} được so với đơn vị {new_id} năm {vi_a}"))

    unit_rows = []
    band_moves: list[int | None] = []
    for old_unit, new_unit in pairs:
        change = new_unit.score - old_unit.score
        rank_change = old_unit.rank - new_unit.rank
        band_move: int | None = None
        if band_match != "none":
            band_move = _sign(new_levels[new_unit.band.name] - old_levels[old_unit.band.name])
        band_moves.append(band_move)
        unit_rows.append((
            new_unit.unit_id, new_unit.name,
            old_unit.score, new_unit.score, change, POINTS_WORDS[_sign(change)],
            old_unit.rank, new_unit.rank, rank_change, STEP_WORDS[_sign(rank_change)],
            old_unit.band.name, new_unit.band.name, None if band_move is None else STEP_WORDS[band_move],
        ))
    units = _table(
        "year_changes",
        (f"Changes from {en_b} to {en_a}", f"Thay đổi từ năm {vi_b} đến năm {vi_a}")
        if years[0] != years[1] else ("Changes", "Thay đổi"),
        (
            Column("unit", "Unit id", "Mã đơn vị"),
            Column("name", "Unit", "Đơn vị"),
            Column("score_before", f"Score {en_b}", f"Điểm {vi_b}", "number"),
            Column("score_after", f"Score {en_a}", f"Điểm {vi_a}", "number"),
            Column("change", "Change", "Tăng, giảm", "number"),
            Column("points_direction", "Points", "Điểm"),
            Column("rank_before", f"Rank {en_b}", f"Xếp hạng {vi_b}", "integer"),
            Column("rank_after", f"Rank {en_a}", f"Xếp hạng {vi_a}", "integer"),
            Column("rank_change", "Places up", "Số bậc tăng", "integer"),
            Column("rank_direction", "Rank", "Thứ hạng"),
            Column("band_before", f"Band {en_b}", f"Xếp loại {vi_b}"),
            Column("band_after", f"Band {en_a}", f"Xếp loại {vi_a}"),
            Column("band_direction", "Band", "Xếp loại"),
        ),
        tuple(unit_rows),
        tuple(notes),
    )

    field_rows: list[tuple[Cell, ...]] = []
    # Each paired field's points where ``UnitResult.node`` reads them, a unit's row at a time.
    before_positions, after_positions = _positions(before.scheme), _positions(after.scheme)
    old_codes, new_codes = [old.code for old, _ in fields], [new.code for _, new in fields]
    titles = [new.title for _, new in fields]
    old_points_of = _picker([before_positions[code] for code in old_codes])
    new_points_of = _picker([after_positions[code] for code in new_codes])
    count = len(fields)
    # Whether no cell is a float, looked at a unit at a time (see ``adjustments``).
    exact = _no_floats(old_codes, new_codes, titles)
    for old_unit, new_unit in pairs:
        old_points, new_points = old_points_of(old_unit.points), new_points_of(new_unit.points)
        if exact:
            kinds = set(map(type, itertools.chain(old_points, new_points)))
            exact = kinds <= {Decimal} and _no_floats((new_unit.unit_id, new_unit.name))
        field_rows.extend(zip(
            itertools.repeat(new_unit.unit_id, count), itertools.repeat(new_unit.name, count), old_codes,
            new_codes, titles, old_points, new_points, map(operator.sub, new_points, old_points), strict=True,
        ))
    with _cells_checked() if exact else contextlib.nullcontext():
        field_table = _table(
            "field_changes",
            (f"Field points from {en_b} to {en_a}", f"Điểm từng lĩnh vực từ năm {vi_b} đến năm {vi_a}")
            if years[0] != years[1] else ("Field points", "Điểm từng lĩnh vực"),
            (
                Column("unit", "Unit id", "Mã đơn vị"),
                Column("name", "Unit", "Đơn vị"),
                Column("field_before", f"Field {en_b}", f"Lĩnh vực {vi_b}"),
                Column("field_after", f"Field {en_a}", f"Lĩnh vực {vi_a}"),
                Column("title", "Title", "Tên lĩnh vực"),
                Column("points_before", f"Points {en_b}", f"Điểm {vi_b}", "number"),
                Column("points_after", f"Points {en_a}", f"Điểm {vi_a}", "number"),
                Column("change", "Change", "Tăng, giảm", "number"),
            ),
            tuple(field_rows),
            tuple(notes),
        )

    def group(test: Iterable[bool]) -> list[UnitResult]:
        return [new for (_, new), hit in zip(pairs, test, strict=True) if hit]

    changes = [new.score - old.score for old, new in pairs]
    rose = group(c > 0 for c in changes)
    fell = group(c < 0 for c in changes)
    same = group(c == 0 for c in changes)
    risen = sum((c for c in changes if c > 0), _ZERO)
    fallen = -sum((c for c in changes if c < 0), _ZERO)
    summary_rows: list[tuple[Cell, ...]] = [
        ("compared / so sánh", len(pairs), None, _names(u for _, u in pairs)),
        (POINTS_WORDS[1], len(rose), risen, _names(rose)),
        (POINTS_WORDS[-1], len(fell), fallen, _names(fell)),
        (POINTS_WORDS[0], len(same), None, _names(same)),
    ]
    rank_moves = [_sign(old.rank - new.rank) for old, new in pairs]
    for words, moves, comparable in ((BAND_ROWS, band_moves, band_match != "none"),
                                     (RANK_ROWS, rank_moves, True)):
        for direction in (1, 0, -1):
            members = group(m == direction for m in moves)
            summary_rows.append((words[direction], len(members) if comparable else None, None,
                                 _names(members)))
    for ids, result, en_year, vi_year in ((only_before, before, en_b, vi_b), (only_after, after, en_a, vi_a)):
        summary_rows.append((f"only in {en_year} / chỉ có năm {vi_year}", len(ids), None,
                             ", ".join(result.unit(i).name for i in ids)))
    summary_notes = list(notes)
    if pairs:
        net = trim(sum(changes, _ZERO))
        # The mean is shown to 2 decimals, half-up, as reports print averages.
        mean = round_half_up(divide(net, Decimal(len(pairs))), 2)
        summary_notes.insert(0, (
            f"net change of the {len(pairs)} {_units_word(len(pairs))} compared: {_en(net)} points,"
            f" {_en(mean)} on average",
            f"thay đổi của {len(pairs)} đơn vị được so sánh: tổng {_vi(net)} điểm, bình quân {_vi(mean)}",
        ))
    summary = _table(
        "year_summary",
        (f"Summary of changes from {en_b} to {en_a}", f"Tổng hợp thay đổi từ năm {vi_b} đến năm {vi_a}")
        if years[0] != years[1] else ("Summary of changes", "Tổng hợp thay đổi"),
        (
            Column("what", "Change", "Nội dung"),
            Column("units", "Units", "Số đơn vị", "integer"),
            Column("points", "Points", "Số điểm", "number"),
            Column("names", "Which", "Gồm"),
        ),
        tuple(summary_rows),
        tuple(summary_notes),
    )
    return YearComparison(units, field_table, summary,
                          Unmatched(fields_before, fields_after, only_before, only_after))


# --- distributions -------------------------------------------------------------------------------


@attrs.frozen
class Distribution:
    """How a result's points are spread.

    ``fields``: per field and overall, the average, minimum, maximum and
    spread; ``bands``: per band the number and share of units and who they are.
    """

    fields: Table
    bands: Table


def distribution(result: Result) -> Distribution:
    """Averages, extremes and spreads per field and overall, and the units in each band.

    Field rows follow the scheme's order; the overall row (code ``""``,
    title ``"Tổng điểm"``) is of the score bands use, against the scheme's
    scale.  Averages are exact in CSV and JSON and shown to 2 decimals in
    text and Markdown; spread is maximum − minimum.

    Bands follow the scheme's order of bands, each with its number of
    units, their share of all units (exact; shown to 1 decimal, half-up)
    and their names in rank order (ties by unit id).  The notes repeat each
    band the way reports print it: ``Nhóm B: 4 units, 14.8 %``.  With no
    units every average, extreme and share is empty.
    """
    scheme = result.scheme
    units = result.units
    count = len(units)
    field_rows: list[tuple[Cell, ...]] = []
    positions = _positions(scheme)
    for field in scheme.fields:
        i = positions[field.code]
        field_rows.append((field.code, field.title, field.max, *_spread([u.points[i] for u in units])))
    field_rows.append(("", TOTAL_TITLE, scheme.scale, *_spread([u.score for u in units])))
    fields = _table(
        "field_distribution",
        (f"Points per field: {scheme.id}", f"Điểm theo lĩnh vực: {scheme.id}"),
        (
            Column("code", "Code", "Mã"),
            Column("title", "Field", "Lĩnh vực"),
            Column("max", "Max", "Điểm tối đa", "number"),
            Column("average", "Average", "Điểm trung bình", "number", 2),
            Column("minimum", "Lowest", "Thấp nhất", "number"),
            Column("maximum", "Highest", "Cao nhất", "number"),
            Column("spread", "Spread", "Khoảng cách", "number"),
        ),
        tuple(field_rows),
        ((f"{count} {_units_word(count)}", f"{count} đơn vị"),),
    )
    band_rows: list[tuple[Cell, ...]] = []
    notes: list[tuple[str, str]] = []
    for band in scheme.bands:
        members = [u for u in units if u.band.name == band.name]
        share = divide(Decimal(len(members)) * _HUNDRED, Decimal(count)) if count else None
        band_rows.append((band.name, band.lower, band.upper, len(members), share, _names(members)))
        shown = round_half_up(share, 1) if share is not None else None
        en_share = f", {_en(shown)} %" if shown is not None else ""
        vi_share = f", {_vi(shown)} %" if shown is not None else ""
        notes.append((f"{band.name}: {len(members)} {_units_word(len(members))}{en_share}",
                      f"{band.name}: {len(members)} đơn vị{vi_share}"))
    bands = _table(
        "band_distribution",
        (f"Units per band: {scheme.id}", f"Số đơn vị theo xếp loại: {scheme.id}"),
        (
            Column("band", "Band", "Xếp loại"),
            Column("from", "From", "Từ", "number"),
            Column("to", "Below", "Dưới", "number"),
            Column("units", "Units", "Số đơn vị", "integer"),
            Column("percentage", "Share", "Tỷ lệ", "percent", 1),
            Column("names", "Which", "Gồm"),
        ),
        tuple(band_rows),
        tuple(notes),
    )
    return Distribution(fields, bands)


def _no_floats(*cells: Iterable[object]) -> bool:
    """Whether none of ``cells`` is a float, which a ``Table`` refuses."""
    return not any(issubclass(kind, float) for kind in set(map(type, itertools.chain(*cells))))


def _check_evaluated(result: Result, scheme: Scheme, basis: str, ids: set[str]) -> None:
    """That ``result`` may stand for evaluating assessments of units ``ids`` on ``basis`` against ``scheme``."""
    if result.provenance.basis != basis:
        raise ValueError(f"{basis}: the result given is on the {result.provenance.basis} values, not the {basis} ones")
    if result.scheme is not scheme and result.scheme != scheme:
        if result.scheme.id != scheme.id:
            raise ValueError(f"{basis}: the result given is of scheme {result.scheme.id!r}, not {scheme.id!r}")
        raise ValueError(f"{basis}: the result given is of another version of scheme {scheme.id!r}")
    units = {u.unit_id for u in result.units}
    if units != ids:
        extra, missing = sorted(units - ids), sorted(ids - units)
        parts = ([f"units not in the assessments: {', '.join(extra[:5])}{', …' if len(extra) > 5 else ''}"]
                 if extra else [])
        parts += ([f"no result for: {', '.join(missing[:5])}{', …' if len(missing) > 5 else ''}"]
                  if missing else [])
        raise ValueError(f"{basis}: the result given is not of these assessments' units: {'; '.join(parts)}")


def _spread(values: Sequence[Decimal]) -> tuple[Decimal | None, ...]:
    if not values:
        return (None, None, None, None)
    low, high = min(values), max(values)
    return (divide(sum(values, _ZERO), Decimal(len(values))), low, high, high - low)


# --- self-assessment against appraisal ------------------------------------------------------------


@attrs.frozen
class Adjustments:
    """What the appraisal changed in each unit's self-assessment.

    ``nodes``: per unit and node the self-assessed and appraised points and
    their difference; ``ranking``: units by how far they scored themselves
    above the appraisal in total, largest first.
    """

    nodes: Table
    ranking: Table


def adjustments(
    scheme: Scheme,
    assessments: Assessments | Iterable[Assessment],
    *,
    appraised: Result | None = None,
    self_assessed: Result | None = None,
) -> Adjustments:
    """Compare each unit's self-assessment (tự chấm) with its appraisal (thẩm định).

    Evaluates the assessments twice, on the appraised and on the
    self-assessed values, and gives per unit and node the difference
    self-assessed − appraised (positive: the unit scored itself higher),
    and a ranking of units by that difference in total score, largest
    first (ties share a rank and are listed by unit id).

    Every unit needs a value on both bases for every leaf: like
    ``evaluate``, a missing or invalid value raises ``AssessmentError``
    listing every problem (appraised values are checked first).

    ``appraised`` and ``self_assessed``, when given, are what ``evaluate``
    already gave for these assessments on that basis (the result being
    analysed, say), used instead of evaluating again.  Each must be of
    ``scheme``, on its basis, and hold the assessments' units, or
    ``ValueError`` says which is not; their values are not compared with
    the assessments'.

    Node rows are by unit id, then in the scheme's tree order; the
    maximum shown is the appraised one.  The ranking also counts each
    unit's adjusted criteria: the leaves whose points the appraisal changed.
    """
    if not isinstance(assessments, Assessments):
        assessments = Assessments(None, tuple(assessments))
    ids = {a.unit.id for a in assessments.items}
    for given, basis in ((appraised, "appraised"), (self_assessed, "self_assessed")):
        if given is not None:
            _check_evaluated(given, scheme, basis, ids)
    if appraised is None:
        appraised = evaluate(scheme, assessments)
    claimed = self_assessed if self_assessed is not None else evaluate(scheme, assessments, basis="self_assessed")
    # Points, maxima and titles straight from the results, in the scheme's
    # tree order (that of ``UnitResult.nodes()``): a country has a million rows.
    tree = list(scheme.nodes())
    codes = [n.code for n in tree]
    titles = [n.title for n in tree]
    scheme_maxima = tuple(n.max for n in tree)
    leaves = [n.is_leaf for n in tree]
    count = len(tree)
    node_rows: list[tuple[Cell, ...]] = []
    totals: dict[str, tuple[UnitResult, UnitResult, int]] = {}
    # Whether no cell is a float, looked at while each unit's cells are at hand,
    # so that the table need not look at its million cells again: points that
    # are all ``Decimal`` (not a subclass) give differences that are too.
    exact = _no_floats(codes, titles, scheme_maxima)
    for unit_id in sorted(u.unit_id for u in appraised.units):
        official, own = appraised.unit(unit_id), claimed.unit(unit_id)
        gaps = list(map(operator.sub, own.points, official.points))  # self-assessed − appraised, per node
        changed = len(list(filter(None, itertools.compress(gaps, leaves))))  # the leaves whose points differ
        maxima = official.maxima if official.maxima is not None else scheme_maxima
        if exact:
            kinds = set(map(type, itertools.chain(own.points, official.points, official.maxima or ())))
            exact = kinds == {Decimal} and _no_floats((unit_id, official.name))
        node_rows.extend(zip(itertools.repeat(unit_id, count), itertools.repeat(official.name, count), codes,
                             titles, maxima, own.points, official.points, gaps, strict=True))
        totals[unit_id] = (own, official, changed)
    with _cells_checked() if exact else contextlib.nullcontext():
        nodes = _table(
            "adjustments",
            (f"Self-assessment and appraisal: {scheme.id}", f"Điểm tự chấm và điểm thẩm định: {scheme.id}"),
            (
                Column("unit", "Unit id", "Mã đơn vị"),
                Column("name", "Unit", "Đơn vị"),
                Column("code", "Code", "Mã"),
                Column("title", "Field / criterion", "Lĩnh vực / tiêu chí"),
                Column("max", "Max", "Điểm tối đa", "number"),
                Column("self_assessed", "Self-assessed", "Tự chấm", "number"),
                Column("appraised", "Appraised", "Thẩm định", "number"),
                Column("difference", "Difference", "Chênh lệch", "number"),
            ),
            tuple(node_rows),
        )
    differences = {uid: own.score - official.score for uid, (own, official, _) in totals.items()}
    ranks = rank(differences, RankMethod.COMPETITION)
    order = sorted(differences, key=lambda uid: (ranks[uid], uid))
    ranking_rows = [
        (ranks[uid], uid, totals[uid][1].name, totals[uid][0].score, totals[uid][1].score,
         differences[uid], totals[uid][2])
        for uid in order
    ]
    over = sum(1 for d in differences.values() if d > 0)
    under = sum(1 for d in differences.values() if d < 0)
    ranking = _table(
        "over_scoring",
        (f"Units by self-assessment above appraisal: {scheme.id}",
         f"Đơn vị tự chấm cao hơn điểm thẩm định: {scheme.id}"),
        (
            Column("rank", "Rank", "Thứ tự", "integer"),
            Column("unit", "Unit id", "Mã đơn vị"),
            Column("name", "Unit", "Đơn vị"),
            Column("self_assessed", "Self-assessed", "Tự chấm", "number"),
            Column("appraised", "Appraised", "Thẩm định", "number"),
            Column("difference", "Difference", "Chênh lệch", "number"),
            Column("adjusted", "Criteria adjusted", "Số tiêu chí bị điều chỉnh", "integer"),
        ),
        tuple(ranking_rows),
        ((
            f"{over} {_units_word(over)} scored themselves above the appraisal, {under} below,"
            f" {len(differences) - over - under} exactly",
            f"{over} đơn vị tự chấm cao hơn điểm thẩm định, {under} đơn vị thấp hơn,"
            f" {len(differences) - over - under} đơn vị bằng",
        ),),
    )
    return Adjustments(nodes, ranking)
