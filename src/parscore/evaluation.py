"""The evaluator: exact points per node, totals, bands and ranks.

``evaluate`` is a pure function of a scheme and assessments.  Arithmetic is
``Decimal`` throughout; the only roundings are those the scheme declares,
and each is written into the explanation of the value it changed.  The
assessments are sorted by unit id and code before anything is computed, so
the same input in any order gives an identical ``Result``.

Per-node details (explanations, percentages) are made on demand from the
stored points, which keeps evaluating a whole country fast.

How it stays fast at a country's scale (10,000+ units, see
``benchmarks/``): each evaluation compiles the scheme once into ``_Scoring``,
which holds for every leaf a scoring function specialised to its rule and a
column scorer that scores the leaf's values of all units at once with a few
C-level passes (``_score_columns``); parents' points are sums of their
children's columns.  A unit with anything unusual (a missing, unknown or
invalid value, a rule that raises) goes through the reference path,
``_score_unit``, instead, which finds and words every problem.  Both paths
give the same ``Decimal`` values, to the last digit and trailing zero
(additions and products are exact, so their order changes nothing), so a
unit's result does not depend on the path it took; the tests hold the two
paths to that.
"""

from __future__ import annotations

import bisect
import decimal
import hashlib
import operator
from collections.abc import Callable, Iterable, Sequence
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from functools import reduce
from itertools import compress, repeat
from typing import Any, Generic, Literal, TypeVar, cast

import attrs

from ._version import __version__
from .assessments import NOT_APPLICABLE, Assessment, Assessments
from .errors import AssessmentError, Problem
from .model import Band, Node, NotApplicablePolicy, Scheme, level_name, tree_path
from .numbers import CONTEXT, EXACT, divide, exact_sum, round_half_up
from .numbers import format_decimal as _fmt
from .ranking import rank_values
from .rules import Bonus, Deduction, Entered, PassFail, Ratio, Rule, Survey, Tiers
from .schemefile import scheme_hash

__all__ = ["NodeResult", "Provenance", "Result", "UnitResult", "evaluate"]

Basis = Literal["appraised", "self_assessed"]
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_T = TypeVar("_T")
_FULL = NotApplicablePolicy.FULL
_DROP = NotApplicablePolicy.DROP
_NotApplicable = type(NOT_APPLICABLE)
#: A context in which adding never rounds, for the fast path's rounding test.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

#: A leaf's scoring function: a raw value in, ``(input as the rule read it,
#: points)`` out, or ``None`` when the value needs the reference path.
_Scorer = Callable[[object], "tuple[object, Decimal] | None"]

#: Gives some items of a list of points as a tuple (see ``_getter``).
_Getter = Callable[[list[Decimal]], tuple[Decimal, ...]]

#: A unit's scored row: id, name, raw total, score, max total, points,
#: maxima, inputs, rounded (the fields of ``UnitResult`` in that order).
_Row = tuple[str, str, Decimal, Decimal, Decimal, "tuple[Decimal, ...] | _Cell",
             "tuple[Decimal, ...] | None", "tuple[object, ...] | _Cell", "tuple[tuple[int, Decimal], ...] | _Cell"]


@attrs.frozen
class Provenance:
    """What a result was computed from, so it can be recomputed and checked later."""

    scheme_id: str
    scheme_revision: int
    scheme_hash: str
    parscore_version: str
    input_hash: str
    basis: str


@attrs.frozen
class NodeResult:
    """One node's outcome for one unit."""

    code: str
    title: str
    level: str
    points: Decimal
    max: Decimal
    #: False when the node was dropped as not applicable (its max is then 0).
    applicable: bool
    explanation: str

    @property
    def gap(self) -> Decimal:
        """Points lost: max − points."""
        return self.max - self.points

    @property
    def percentage(self) -> Decimal | None:
        """Points as a percentage of max (unrounded); ``None`` where max is 0."""
        return divide(self.points * _HUNDRED, self.max) if self.max else None


# --- the plan: a scheme compiled for evaluation ------------------------------


def _exponent(value: Decimal) -> int:
    """The exponent of a finite ``Decimal``: -2 for 1.25, 0 for 3, 1 for 1E+1."""
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: schemes hold no NaN or infinity
    return exponent


def _leaf_scorer(rule: Rule, max_points: Decimal, words: dict[str, bool]) -> tuple[_Scorer, int | None]:
    """The scoring function of one leaf, and the lowest exponent its points can have.

    Each built-in rule gets a function that does exactly what its ``parse``
    and ``points`` do for a well-formed value (the same ``Decimal``
    operations, in the same order, in the caller's context) without method
    calls or messages.  Whatever such a function does not recognise (a word
    for a number, a value out of range, ``None``) returns ``None``, and the
    unit goes through the reference path, where ``parse`` and ``points``
    word the problem.  Rules of any other class, including subclasses of
    built-in ones, are called as they are.

    The exponent says whether the leaf's points can need rounding at all:
    pass/fail, tiers, deductions and bonuses only ever give numbers whose
    exponent is known from the scheme; ``None`` means it depends on the value.
    """
    kind = type(rule)
    if kind is Entered:
        step = cast(Entered, rule).step

        def entered(raw: object) -> tuple[object, Decimal] | None:
            # Assessments hold numbers as finite Decimals already: ``parse`` returns them as they are.
            if raw.__class__ is not Decimal or not raw.is_finite():
                return None
            if raw < 0 or raw > max_points or (step is not None and raw % step != 0):
                return None
            return raw, raw

        return entered, None
    if kind is PassFail:
        def pass_fail(raw: object) -> tuple[object, Decimal] | None:
            if raw is True:
                return True, max_points
            if raw is False:
                return False, _ZERO
            if raw.__class__ is not str:
                return None
            # Words ("đạt", "không đạt") are read once per evaluation and remembered.
            verdict = words.get(raw)
            if verdict is None:
                try:
                    verdict = words[raw] = cast(PassFail, rule).parse(raw)
                except ValueError:
                    return None
            return verdict, (max_points if verdict else _ZERO)

        return pass_fail, min(_exponent(max_points), 0)
    if kind is Ratio:
        threshold = cast(Ratio, rule).threshold

        def ratio(raw: object) -> tuple[object, Decimal] | None:
            if raw.__class__ is not Decimal or not raw.is_finite():
                return None
            if raw < 0 or raw > 1:
                return None
            if threshold is not None and raw < threshold:
                return raw, _ZERO
            return raw, raw * max_points

        return ratio, None
    if kind is Tiers:
        # Highest threshold first; a stable sort keeps the first of equal
        # thresholds first, the one ``max(..., key=at_least)`` picks.
        tiers = tuple(
            (t.at_least, t.points)
            for t in sorted(cast(Tiers, rule).tiers, key=lambda t: t.at_least, reverse=True)
        )

        def tiered(raw: object) -> tuple[object, Decimal] | None:
            if raw.__class__ is not Decimal or not raw.is_finite():
                return None
            for at_least, points in tiers:
                if raw >= at_least:
                    return raw, points
            return None

        return tiered, min((_exponent(p) for _, p in tiers), default=0)
    if kind is Deduction or kind is Bonus:
        deduction = kind is Deduction
        per, bound = _per_and_bound(rule, max_points)

        def counted(raw: object) -> tuple[object, Decimal] | None:
            if raw.__class__ is not Decimal or not raw.is_finite():
                return None
            # ``parse`` reads a whole count and quantizes it to exponent 0; a
            # value already at exponent 0 is whole and would come back unchanged.
            if raw.same_quantum(_ONE):
                if raw < 0:
                    return None
                count = raw
            else:
                if raw != raw.to_integral_value() or raw < 0:
                    return None
                count = raw.quantize(_ONE)
            if deduction:
                # max(max − count × per, floor): ``max`` keeps the first on a tie.
                points = max_points - count * per
                return count, (bound if points < bound else points)
            # min(count × per_item, cap): ``min`` keeps the first on a tie.
            points = count * per
            return count, (bound if points > bound else points)

        # count has exponent 0, so count × per has the exponent of per.
        lowest = min(_exponent(per), _exponent(bound), _exponent(max_points) if deduction else 0)
        return counted, lowest
    if kind is Survey:

        def survey(raw: object) -> tuple[object, Decimal] | None:
            if raw.__class__ is not Decimal or not raw.is_finite():
                return None
            if raw < 0 or raw > _HUNDRED:
                return None
            return raw, (raw * max_points).scaleb(-2)

        return survey, None

    def other(raw: object) -> tuple[object, Decimal] | None:
        if raw is None:
            return None
        try:
            value = rule.parse(raw)
            points = rule.points(value, max_points)
        except ValueError:
            return None
        # Points that are not a finite Decimal of moderate size (within
        # 10^±100) are left to the reference path, which treats them as it
        # always has; the fast path's rounding test relies on that size.
        if points.__class__ is not Decimal or not points.is_finite() or not -100 <= points.adjusted() <= 100:
            return None
        return value, points

    return other, None


#: A leaf's column scorer: the numbers of many units in, their points and
#: inputs as the rule read them out, with the positions of the numbers that
#: need the reference path (their points and inputs are placeholders).
#: A column's points, inputs as the rule read them, and the positions of
#: the numbers that need the reference path.
_Scored = tuple[Sequence[Decimal], Sequence[object], Sequence[int]]
_ColumnScorer = Callable[[Sequence[object], "set[type]"], _Scored]


def _per_and_bound(rule: Rule, max_points: Decimal) -> tuple[Decimal, Decimal]:
    """A deduction's points per occurrence and floor, or a bonus's points per item and cap."""
    if isinstance(rule, Deduction):
        return rule.per, rule.floor
    bonus = cast(Bonus, rule)
    return bonus.per_item, max_points if bonus.cap is None else bonus.cap


def _one_by_one(scorer: _Scorer) -> _ColumnScorer:
    """A column scorer that calls a leaf's scoring function on each value."""

    def score_each(
        numbers: Sequence[object], kinds: set[type] | None = None
    ) -> tuple[list[Decimal], list[object], list[int]]:
        points: list[Decimal] = []
        inputs: list[object] = []
        failures: list[int] = []
        for j, raw in enumerate(numbers):
            try:
                scored = scorer(raw)
            except Exception:  # noqa: BLE001 - the reference path raises it again, or reports it
                scored = None
            if scored is None:
                failures.append(j)
                points.append(_ZERO)
                inputs.append(None)
            else:
                inputs.append(scored[0])
                points.append(scored[1])
        return points, inputs, failures

    return score_each


def _plain_decimals(numbers: Sequence[object], kinds: set[type]) -> bool:
    """Whether every value is a finite ``Decimal`` (not a subclass): what the scorers take as numbers.

    ``kinds`` is the set of the numbers' types.
    """
    return kinds == {Decimal} and all(map(Decimal.is_finite, numbers))  # type: ignore[arg-type]


def _column_scorer(rule: Rule, max_points: Decimal, scorer: _Scorer, words: dict[str, bool]) -> _ColumnScorer:
    """The column scorer of one leaf: ``scorer``'s results for many numbers at once.

    For a built-in rule, a column of plainly valid numbers (checked with a few
    C-level passes over it and ``kinds``, the set of its numbers' types) is scored with the
    same ``Decimal`` operations ``scorer`` does; any other column, and any
    other rule, goes value by value through ``scorer``, which finds the
    numbers that need the reference path.  ``min`` and ``max`` keep the first
    of equal numbers, as ``scorer`` does.
    """
    one_by_one = _one_by_one(scorer)
    kind = type(rule)
    empty: tuple[int, ...] = ()

    if kind is Entered:
        step = cast(Entered, rule).step

        def entered(numbers: Sequence[Any], kinds: set[type]) -> _Scored:
            # A NaN makes min() raise and an infinity fails the range: no is_finite pass.
            if (
                kinds == {Decimal}
                and min(numbers) >= 0
                and max(numbers) <= max_points
                and (step is None or not any(map(operator.mod, numbers, repeat(step))))
            ):
                return numbers, numbers, empty
            return one_by_one(numbers, kinds)

        return _guarded(entered, one_by_one)
    if kind is PassFail:
        points_of = {True: max_points, False: _ZERO}

        def pass_fail(values: Sequence[object], kinds: set[type]) -> _Scored:
            if not kinds <= {bool, str}:
                return one_by_one(values, kinds)
            # Only booleans and text: no two distinct values are equal.
            verdicts: dict[object, bool] = {True: True, False: False}
            for raw in set(values):
                if isinstance(raw, str):
                    verdict = words.get(raw)
                    if verdict is None:
                        try:
                            verdict = words[raw] = cast(PassFail, rule).parse(raw)
                        except ValueError:
                            return one_by_one(values, kinds)
                    verdicts[raw] = verdict
            read = tuple(map(verdicts.__getitem__, values))
            return tuple(map(points_of.__getitem__, read)), read, empty

        return _guarded(pass_fail, one_by_one)
    if kind is Ratio:
        threshold = cast(Ratio, rule).threshold

        def ratio(numbers: Sequence[Any], kinds: set[type]) -> _Scored:
            if not (kinds == {Decimal} and min(numbers) >= 0 and max(numbers) <= 1):
                return one_by_one(numbers, kinds)
            if threshold is None:
                return tuple(map(operator.mul, numbers, repeat(max_points))), numbers, empty
            # (points, 0)[below the threshold], for each value.
            products = map(operator.mul, numbers, repeat(max_points))
            below = map(operator.lt, numbers, repeat(threshold))
            return tuple(map(operator.getitem, zip(products, repeat(_ZERO)), below)), numbers, empty

        return _guarded(ratio, one_by_one)
    if kind is Tiers:
        # Each distinct threshold with the points ``max(..., key=at_least)``
        # picks for it (the first of equal thresholds), lowest first.
        picked: dict[Decimal, Decimal] = {}
        for tier in cast(Tiers, rule).tiers:
            picked.setdefault(tier.at_least, tier.points)
        thresholds = sorted(picked)
        by_count = [_ZERO, *(picked[t] for t in thresholds)]

        def tiered(numbers: Sequence[Any], kinds: set[type]) -> _Scored:
            if not _plain_decimals(numbers, kinds):
                return one_by_one(numbers, kinds)
            # How many thresholds each value reaches: 0 is below every tier.
            reached = list(map(bisect.bisect_right, repeat(thresholds), numbers))
            if 0 in reached:
                return one_by_one(numbers, kinds)
            return tuple(map(by_count.__getitem__, reached)), numbers, empty

        return _guarded(tiered, one_by_one)
    if kind is Deduction or kind is Bonus:
        deduction = kind is Deduction
        per, bound = _per_and_bound(rule, max_points)

        def counted(counts: Sequence[Any], kinds: set[type]) -> _Scored:
            # Whole counts written with exponent 0 are what ``parse`` gives back
            # unchanged (and no NaN or infinity has that exponent).
            if not (
                kinds == {Decimal}
                and all(map(Decimal.same_quantum, counts, repeat(_ONE)))
                and min(counts) >= 0
            ):
                return one_by_one(counts, kinds)
            if deduction:
                points = [bound if (p := max_points - c * per) < bound else p for c in counts]
            else:
                points = [bound if (p := c * per) > bound else p for c in counts]
            return points, counts, empty

        return _guarded(counted, one_by_one)
    if kind is Survey:
        hundredth = max_points.scaleb(-2)

        def survey(numbers: Sequence[Any], kinds: set[type]) -> _Scored:
            if not (kinds == {Decimal} and min(numbers) >= 0 and max(numbers) <= _HUNDRED):
                return one_by_one(numbers, kinds)
            # v × max ÷ 100, as one exact product: (v × max).scaleb(-2) to the last digit.
            return tuple(map(operator.mul, numbers, repeat(hundredth))), numbers, empty

        return _guarded(survey, one_by_one)
    return one_by_one


def _guarded(fast: _ColumnScorer, one_by_one: _ColumnScorer) -> _ColumnScorer:
    """``fast``, or ``one_by_one`` for a column where ``fast`` raises (an empty one, say)."""

    def score(values: Sequence[object], kinds: set[type]) -> _Scored:
        try:
            return fast(values, kinds)
        except Exception:  # noqa: BLE001 - one by one, each value's problem is found
            return one_by_one(values, kinds)

    return score


@attrs.frozen
class _Plan:
    """The scheme flattened for evaluation: nodes in tree order with parents.

    Results keep it to make node details on demand, so it holds plain data
    only (results stay picklable); what scoring needs besides is in ``_Scoring``.
    """

    nodes: tuple[Node, ...]
    parents: tuple[int, ...]
    leaves: tuple[int, ...]
    fields: tuple[int, ...]
    index: dict[str, int]
    #: Each node's children, as node indices.
    children: tuple[tuple[int, ...], ...]
    #: Node index → position among the leaves (in ``UnitResult.inputs``).
    leaf_position: dict[int, int]
    #: (parent, its children last first) from the last parent to the first:
    #: adding in this order is what summing the tree bottom-up does.
    sums: tuple[tuple[int, tuple[int, ...]], ...]
    maxima: tuple[Decimal, ...]
    max_total: Decimal
    #: Unit id → position in ``Result.units``, filled in by ``evaluate``.
    unit_positions: dict[str, int] = attrs.field(factory=dict)

    @classmethod
    def of(cls, scheme: Scheme) -> _Plan:
        nodes: list[Node] = []
        parents: list[int] = []

        def visit(node: Node, parent: int) -> None:
            position = len(nodes)
            nodes.append(node)
            parents.append(parent)
            for child in node.children:
                visit(child, position)

        fields = []
        for field in scheme.fields:
            fields.append(len(nodes))
            visit(field, -1)
        leaves = tuple(i for i, n in enumerate(nodes) if n.is_leaf)
        children: list[list[int]] = [[] for _ in nodes]
        for i, parent in enumerate(parents):
            if parent >= 0:
                children[parent].append(i)
        sums = tuple(
            (i, tuple(reversed(children[i]))) for i in range(len(nodes) - 1, -1, -1) if children[i]
        )
        return cls(
            tuple(nodes),
            tuple(parents),
            leaves,
            tuple(fields),
            {n.code: i for i, n in enumerate(nodes)},
            tuple(map(tuple, children)),
            {i: position for position, i in enumerate(leaves)},
            sums,
            tuple(n.max for n in nodes),
            scheme.max_total,
        )


@attrs.frozen
class _Scoring:
    """What the fast path needs to score a unit's leaves, made once per evaluation."""

    #: The leaf codes sorted, as ``Assessment`` sorts its observations.
    codes: tuple[str, ...]
    #: For each leaf in tree order, the position of its code in ``codes``.
    code_positions: tuple[int, ...]
    #: Per leaf in tree order: (node index, column scorer, whether its points
    #: may need rounding, max, not-applicable policy).
    columns: tuple[tuple[int, _ColumnScorer, bool, Decimal, NotApplicablePolicy | None], ...]
    #: Zero with the scheme's leaf decimals, and the quantum ``round_half_up``
    #: rounds leaf points to (unused when the scheme does not round leaves).
    tick: Decimal
    quantum: Decimal
    #: ``_Plan.sums`` with a getter of the children's points for each parent,
    #: and a getter of the fields' points: one C call instead of a loop.
    sums: tuple[tuple[int, _Getter], ...]
    field_points: _Getter
    #: ``_Plan.sums`` for columns: (parent, a child to start from or ``None``,
    #: the other children).  Adding to ``Decimal(0)`` only ever lowers a
    #: positive exponent to 0; starting from a child whose points never have
    #: a positive exponent gives the same digits with one addition fewer.
    column_sums: tuple[tuple[int, int | None, tuple[int, ...]], ...]
    #: The same for the raw total, the sum of the fields.
    column_total: tuple[int | None, tuple[int, ...]]

    @classmethod
    def of(cls, scheme: Scheme, plan: _Plan) -> _Scoring:
        places = scheme.rounding.leaf
        words: dict[str, bool] = {}
        columns = []
        for i in plan.leaves:
            node = plan.nodes[i]
            assert node.rule is not None
            scorer, lowest = _leaf_scorer(node.rule, node.max, words)
            check = places is not None and (lowest is None or lowest < -places)
            score_column = _column_scorer(node.rule, node.max, scorer, words)
            columns.append((i, score_column, check, node.max, node.not_applicable))
        codes = sorted(plan.nodes[i].code for i in plan.leaves)
        code_position = {code: position for position, code in enumerate(codes)}
        # Nodes whose points never have a positive exponent: parents (their
        # sums are those of such a node or of 0), and leaves whose rule gives
        # only numbers written in the scheme, or products of whole counts and them.
        fine = [bool(n.children) or _no_positive_exponent(n) for n in plan.nodes]

        def start(children: tuple[int, ...]) -> tuple[int | None, tuple[int, ...]]:
            first = next((child for child in children if fine[child]), None)
            return first, tuple(child for child in children if child != first)

        return cls(
            tuple(codes),
            tuple(code_position[plan.nodes[i].code] for i in plan.leaves),
            tuple(columns),
            _ZERO.scaleb(-(places or 0)),
            _ONE.scaleb(-(places or 0)),
            tuple((parent, _getter(kids)) for parent, kids in plan.sums),
            _getter(plan.fields),
            tuple((parent, *start(kids)) for parent, kids in plan.sums),
            start(plan.fields),
        )


def _no_positive_exponent(node: Node) -> bool:
    """Whether no points of leaf ``node`` (not applicable included) can have a positive exponent."""
    rule = node.rule
    kind = type(rule)
    constants: list[Decimal] = [node.max]
    if kind is PassFail:
        pass
    elif kind is Tiers:
        constants += (tier.points for tier in cast(Tiers, rule).tiers)
    elif kind is Deduction or kind is Bonus:
        constants += _per_and_bound(cast(Rule, rule), node.max)
    else:  # points that depend on the value's exponent
        return False
    return all(_exponent(c) <= 0 for c in constants)


def _getter(indices: tuple[int, ...]) -> _Getter:
    """A function giving the items at ``indices`` of a list, always as a tuple.

    ``itemgetter`` does that in C for two indices or more, but gives the bare
    item for one.
    """
    if len(indices) == 1:
        (only,) = indices
        return lambda items: (items[only],)
    return operator.itemgetter(*indices)


# --- results -------------------------------------------------------------------


#: Leaves whose points were rounded, with the points before: (node index, points).
Rounded = tuple[tuple[int, Decimal], ...]


class _Rows(Generic[_T]):
    """Columns (a tuple per node or leaf, a value per unit) read a unit's row at a time.

    The rows are made, for all units at once, when the first is asked for,
    and the columns are let go.  The rows are set before the columns go: a
    thread that finds no columns finds the rows another thread made.
    """

    __slots__ = ("_columns", "_rows")

    def __init__(self, columns: list[Sequence[_T]]) -> None:
        self._columns: list[Sequence[_T]] | None = columns
        self._rows: list[tuple[_T, ...]] | None = None

    def column(self, i: int) -> Sequence[_T] | None:
        """Column ``i``, while the columns are kept."""
        return None if self._columns is None else self._columns[i]

    def row(self, unit: int) -> tuple[_T, ...]:
        rows = self._rows
        if rows is None:
            columns = self._columns
            if columns is None:
                rows = self._rows
            else:
                rows = self._rows = list(zip(*columns, strict=True))
                self._columns = None
        assert rows is not None
        return rows[unit]


class _Block:
    """The points, inputs and roundings of every unit an evaluation scored by columns.

    Points and inputs are kept as the columns that scored them, made into
    rows on first use.  Roundings are kept by leaf, as a country's evaluation
    rounds hundreds of thousands of leaf points: (node index, the units
    rounded in ascending order, their points before).
    """

    __slots__ = ("inputs", "points", "roundings")

    def __init__(
        self,
        points: list[Sequence[Decimal]],
        inputs: list[Sequence[object]],
        roundings: tuple[tuple[int, tuple[int, ...], tuple[Decimal, ...]], ...],
    ) -> None:
        self.points = _Rows(points)
        self.inputs = _Rows(inputs)
        self.roundings = roundings

    def rounded(self, unit: int) -> Rounded:
        found = []
        for i, units, befores in self.roundings:
            at = bisect.bisect_left(units, unit)
            if at < len(units) and units[at] == unit:
                found.append((i, befores[at]))
        return tuple(found)


class _Cell:
    """One unit's place in a ``_Block``: what ``UnitResult`` holds instead of its own tuples."""

    __slots__ = ("block", "unit")

    def __init__(self, block: _Block, unit: int) -> None:
        self.block = block
        self.unit = unit

    def __repr__(self) -> str:
        return f"<unit {self.unit} of an evaluation>"


def _points_of(points: tuple[Decimal, ...] | _Cell) -> tuple[Decimal, ...]:
    return points.block.points.row(points.unit) if isinstance(points, _Cell) else points


def _inputs_of(inputs: tuple[object, ...] | _Cell) -> tuple[object, ...]:
    return inputs.block.inputs.row(inputs.unit) if isinstance(inputs, _Cell) else inputs


def _rounded_pairs(rounded: Rounded | _Cell) -> Rounded:
    return rounded.block.rounded(rounded.unit) if isinstance(rounded, _Cell) else rounded


def _plain_row(row: _Row) -> _Row:
    """``row`` with its points, inputs and roundings as tuples, however they are kept."""
    return (*row[:5], _points_of(row[5]), row[6], _inputs_of(row[7]), _rounded_pairs(row[8]))


@attrs.frozen
class UnitResult:
    """One unit's result: totals, band, ranks and the points of every node."""

    unit_id: str
    name: str
    raw_total: Decimal
    #: The most this unit could earn: the scheme's total less dropped leaves.
    max_total: Decimal
    normalised_total: Decimal
    band: Band
    rank: int
    field_ranks: tuple[tuple[str, int], ...]
    #: Every node's points, as ``points`` gives them.
    _points: tuple[Decimal, ...] | _Cell = attrs.field(repr=False, eq=_points_of, alias="points")
    #: Every node's applicable max in tree order, or ``None`` when nothing was dropped.
    maxima: tuple[Decimal, ...] | None = attrs.field(repr=False)
    #: Each leaf's input, as ``inputs`` gives them.
    _inputs: tuple[object, ...] | _Cell = attrs.field(repr=False, eq=_inputs_of, alias="inputs")
    #: The leaves whose points were rounded, as ``rounded`` gives them.
    _rounded: Rounded | _Cell = attrs.field(repr=False, eq=_rounded_pairs, alias="rounded")
    _scheme: Scheme = attrs.field(repr=False, eq=False)
    _plan: _Plan = attrs.field(repr=False, eq=False)

    @property
    def points(self) -> tuple[Decimal, ...]:
        """Every node's points, in tree order (see ``nodes``)."""
        return _points_of(self._points)

    @property
    def inputs(self) -> tuple[object, ...]:
        """Each leaf's input as the rule read it, in tree order."""
        return _inputs_of(self._inputs)

    @property
    def score(self) -> Decimal:
        """The score bands and ranks use: the normalised total."""
        return self.normalised_total

    @property
    def rounded(self) -> Rounded:
        """Each leaf whose points were rounded, with its points before: (node index, points), in tree order."""
        return _rounded_pairs(self._rounded)

    def nodes(self) -> tuple[NodeResult, ...]:
        """Every node's result in tree order, with its explanation."""
        return tuple(self._node_result(i) for i in range(len(self._plan.nodes)))

    def node(self, code: str) -> NodeResult:
        """The result of the node with ``code``."""
        try:
            return self._node_result(self._plan.index[code])
        except KeyError:
            raise KeyError(f"scheme {self._scheme.id!r} has no criterion {code!r}") from None

    def fields(self) -> tuple[NodeResult, ...]:
        """The results of the top-level fields."""
        return tuple(self._node_result(i) for i in self._plan.fields)

    def field_rank(self, code: str) -> int:
        """This unit's rank on field ``code`` among the evaluated units."""
        return dict(self.field_ranks)[code]

    def _node_result(self, i: int) -> NodeResult:
        node = self._plan.nodes[i]
        max_points = self.maxima[i] if self.maxima is not None else node.max
        points = self.points[i]
        applicable = max_points != 0 or node.max == 0
        return NodeResult(
            node.code,
            node.title,
            level_name(node.code.count(".") + 1),
            points,
            max_points,
            applicable,
            self._explain(i, node, points),
        )

    def _explain(self, i: int, node: Node, points: Decimal) -> str:
        if node.children:
            kids = self._plan.children[i]
            parts = " + ".join(_fmt(self.points[k]) for k in kids)
            kind = level_name(node.code.count(".") + 2, len(kids))
            return f"sum of {len(kids)} {kind}: {parts} → {_fmt(points)}"
        value = self.inputs[self._plan.leaf_position[i]]
        if value is NOT_APPLICABLE:
            if node.not_applicable is NotApplicablePolicy.FULL:
                return f"not applicable: full points → {_fmt(node.max)}"
            return f"not applicable: dropped, the maximum {_fmt(node.max)} leaves the denominator"
        assert node.rule is not None
        text = node.rule.explain(value, node.max)  # type: ignore[arg-type]
        for position, before in self.rounded:
            if position == i:
                places = self._scheme.rounding.leaf
                text += f"; rounded half-up to {_decimals(places)}: {_fmt(before)} → {_fmt(points)}"
        return text

    def total_explanation(self) -> str:
        """How the normalised total follows from the raw total."""
        scheme = self._scheme
        if self.normalised_total == self.raw_total and self.max_total == scheme.scale:
            return f"total {_fmt(self.raw_total)} of {_fmt(self.max_total)}"
        exact = divide(self.raw_total * scheme.scale, self.max_total)
        text = (
            f"total {_fmt(self.raw_total)} of {_fmt(self.max_total)} on a scale of"
            f" {_fmt(scheme.scale)}: {_fmt(self.raw_total)} × {_fmt(scheme.scale)} ÷"
            f" {_fmt(self.max_total)} = {_fmt(exact)}"
        )
        if exact != self.normalised_total:
            places = scheme.rounding.normalised
            text += f", rounded half-up to {_decimals(places)} → {_fmt(self.normalised_total)}"
        return text


def _provenance_of(provenance: Provenance | _PendingProvenance) -> Provenance:
    return provenance.resolve() if isinstance(provenance, _PendingProvenance) else provenance


@attrs.frozen(repr=False)
class Result:
    """The outcome of one evaluation: every unit, ranked, with provenance."""

    scheme: Scheme = attrs.field(repr=False)
    #: What the result was computed from, as ``provenance`` gives it.
    _provenance: Provenance | _PendingProvenance = attrs.field(alias="provenance", eq=_provenance_of)
    #: Units in rank order; units sharing a rank are in unit-id order.
    units: tuple[UnitResult, ...]

    @property
    def provenance(self) -> Provenance:
        """What the result was computed from (``evaluate`` hashes the input when this is first read)."""
        return _provenance_of(self._provenance)

    def __repr__(self) -> str:
        return f"Result(provenance={self.provenance!r}, units={self.units!r})"

    def unit(self, unit_id: str) -> UnitResult:
        """The result of the unit with ``unit_id``."""
        if self.units:
            # evaluate() records where each unit is, so that looking up every
            # unit of a country is not quadratic.  A Result rebuilt with other
            # units may not match that record: hence the check, and the search.
            position = self.units[0]._plan.unit_positions.get(unit_id)
            if position is not None and position < len(self.units):
                found = self.units[position]
                if found.unit_id == unit_id:
                    return found
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise KeyError(f"no unit {unit_id!r} in this result")

    def average_total(self) -> Decimal:
        """The mean score of all units (unrounded)."""
        return _mean([u.score for u in self.units])

    def field_averages(self) -> tuple[tuple[str, Decimal], ...]:
        """Each field's mean points over all units (unrounded), in scheme order."""
        plan = self.units[0]._plan if self.units else _Plan.of(self.scheme)
        points = [u.points for u in self.units]
        return tuple(
            (plan.nodes[i].code, _mean(list(map(operator.itemgetter(i), points)))) for i in plan.fields
        )

    def _repr_html_(self) -> str:
        from .notebook import result_html

        return result_html(self)

    def to_pandas(self, *, nodes: bool = False) -> Any:
        """The result as a pandas ``DataFrame`` (exact ``Decimal`` values); see ``parscore.notebook``."""
        from .notebook import result_to_pandas

        return result_to_pandas(self, nodes=nodes)


def _decimals(places: int | None) -> str:
    return f"{places} decimal" if places == 1 else f"{places} decimals"


def _mean(items: list[Decimal]) -> Decimal:
    if not items:
        raise ValueError("no units to average")
    return divide(exact_sum(items), Decimal(len(items)))


# --- the input hash ----------------------------------------------------------------

_CODE = operator.attrgetter("code")
_APPRAISED = operator.attrgetter("appraised")
_SELF_ASSESSED = operator.attrgetter("self_assessed")


class _InputDigest:
    """The SHA-256 of a canonical text of what a result depends on: ``Provenance.input_hash``.

    The text is the ``ascii()`` of the scheme id, then for each unit in
    unit-id order its id and name, and its observations' codes and values
    on the result's basis (appraised or self-assessed), each as a tuple in
    code order.  Evidence and the values of the other basis do not change a
    result, so they are not part of it.  Assessments keep units and
    observations sorted, so the hash does not depend on input order.
    ``ascii`` writes the values assessments hold (``Decimal`` with its exact
    digits, ``True``/``False``, text quoted and escaped, ``NOT_APPLICABLE``,
    ``None``) so that no two inputs give the same text, and it escapes every
    non-ASCII character, so the text does not depend on Python's Unicode
    version or its hash seed.
    """

    def __init__(self, scheme_id: str | None, leaf_codes: tuple[str, ...]) -> None:
        self._sha = hashlib.sha256(b"parscore assessments 2\n")
        self._sha.update(ascii(scheme_id).encode("ascii"))
        # Most units observe exactly the scheme's leaves: write those codes once.
        self._codes = leaf_codes
        self._codes_text = ascii(leaf_codes).encode("ascii")

    def add(self, assessment: Assessment, codes: tuple[str, ...], values: tuple[object, ...]) -> None:
        unit = assessment.unit
        self._sha.update(ascii((unit.id, unit.name)).encode("ascii"))
        self._sha.update(self._codes_text if codes == self._codes else ascii(codes).encode("ascii"))
        self._sha.update(ascii(values).encode("ascii"))

    def hexdigest(self) -> str:
        return "sha256:" + self._sha.hexdigest()


class _PendingProvenance:
    """The provenance of an evaluation, its input hash worked out when it is first read.

    Hashing every value of a country costs a good part of evaluating it, and
    most results are looked at, not saved: so ``evaluate`` keeps the
    (immutable) assessments and hashes them on demand, then lets them go.
    It pickles as the ``Provenance`` it stands for; two threads asking at
    once get equal ones.
    """

    __slots__ = ("_basis", "_codes", "_done", "_items", "_scheme", "_scheme_id")

    def __init__(self, scheme: Scheme, assessments: Assessments, basis: Basis, codes: tuple[str, ...]) -> None:
        self._scheme: Scheme | None = scheme
        self._scheme_id = assessments.scheme_id
        self._items: tuple[Assessment, ...] | None = assessments.items
        self._basis = basis
        self._codes = codes
        self._done: Provenance | None = None

    def resolve(self) -> Provenance:
        done, scheme, items = self._done, self._scheme, self._items
        if done is None and scheme is not None and items is not None:
            values_of = _APPRAISED if self._basis == "appraised" else _SELF_ASSESSED
            digest = _InputDigest(self._scheme_id, self._codes)
            for assessment in items:
                observations = assessment.observations
                digest.add(assessment, tuple(map(_CODE, observations)), tuple(map(values_of, observations)))
            done = self._done = Provenance(
                scheme.id, scheme.revision, scheme_hash(scheme), __version__, digest.hexdigest(), self._basis
            )
            self._scheme = self._items = None
        assert done is not None
        return done

    def __reduce__(self) -> tuple[type[Provenance], tuple[str, int, str, str, str, str]]:
        p = self.resolve()
        return Provenance, (p.scheme_id, p.scheme_revision, p.scheme_hash, p.parscore_version, p.input_hash, p.basis)



# --- evaluating --------------------------------------------------------------------


def evaluate(
    scheme: Scheme,
    assessments: Assessments | Iterable[Assessment],
    *,
    basis: Basis = "appraised",
) -> Result:
    """Score every unit against ``scheme``; rank and band them.

    ``basis`` picks the appraised (official) or the self-assessed values.
    Every missing, unknown or out-of-range value of every unit is collected
    and raised together as one ``AssessmentError``.  Arithmetic runs in a
    context wide enough that no sum or product of accepted numbers rounds,
    whatever the caller's context.
    """
    with decimal.localcontext(EXACT):
        return _evaluate(scheme, assessments, basis)


def _evaluate(scheme: Scheme, assessments: Assessments | Iterable[Assessment], basis: Basis) -> Result:
    if basis not in ("appraised", "self_assessed"):
        raise ValueError(f"basis must be 'appraised' or 'self_assessed', got {basis!r}")
    if not isinstance(assessments, Assessments):
        assessments = Assessments(None, tuple(assessments))
    found: list[Problem] = []
    if assessments.scheme_id is not None and assessments.scheme_id != scheme.id:
        found.append(
            Problem(
                f"the assessments are for scheme {assessments.scheme_id!r}, not {scheme.id!r}",
                key="scheme",
            )
        )
    plan = _Plan.of(scheme)
    scoring = _Scoring.of(scheme, plan)
    items = assessments.items
    values_of = _APPRAISED if basis == "appraised" else _SELF_ASSESSED
    # Units that observe exactly the scheme's leaves are scored a leaf at a
    # time; the rest, and those with a value that is not plainly valid, one
    # by one through the reference path, which words every problem.
    regular = [k for k, assessment in enumerate(items) if assessment.codes == scoring.codes]
    fast: list[_Row | None] = [None] * len(items)
    units_by_column = [items[k] for k in regular]
    scored_columns = _score_columns(scheme, plan, scoring, units_by_column, _columns(units_by_column, values_of))
    for k, row in zip(regular, scored_columns, strict=True):
        fast[k] = row
    scored: list[_Row] = []
    for assessment, row in zip(items, fast, strict=True):
        if row is None:
            row = _score_unit(scheme, plan, scoring, assessment, basis, found)
        if row is not None:
            scored.append(row)
    if found:
        raise AssessmentError(found, source="assessments")
    method = scheme.ranking.method
    ranks = rank_values([row[3] for row in scored], method)
    # Each unit's (field code, rank) pairs.  Units share ranks, so each
    # distinct pair is made once and shared.
    kept = [row[5] for row in scored]
    # Scored a column at a time, every unit in order: the fields' columns are there.
    first = kept[0] if kept else None
    block = first.block if isinstance(first, _Cell) else None
    whole = block is not None and all(
        isinstance(p, _Cell) and p.block is block and p.unit == u for u, p in enumerate(kept)
    )
    by_field = []
    for i in plan.fields:
        code = plan.nodes[i].code
        column = block.points.column(i) if whole and block is not None else None
        field_points = column if column is not None else [_points_of(p)[i] for p in kept]
        field_ranks = rank_values(field_points, method)
        pair_of = {r: (code, r) for r in set(field_ranks)}
        by_field.append(map(pair_of.__getitem__, field_ranks))
    bands: dict[Decimal, Band] = {}  # score → band: scores repeat, and bands depend on the value only
    units = []
    each_field_ranks = zip(*by_field, strict=True) if by_field else repeat(())
    for row, unit_rank, unit_field_ranks in zip(scored, ranks, each_field_ranks, strict=False):
        unit_id, name, raw_total, score, max_total, points, maxima, inputs, rounded = row
        band = bands.get(score)
        if band is None:
            band = bands[score] = scheme.band_for(score)
        units.append(
            UnitResult(
                unit_id,
                name,
                raw_total,
                max_total,
                score,
                band,
                unit_rank,
                unit_field_ranks,
                points,
                maxima,
                inputs,
                rounded,
                scheme,
                plan,
            )
        )
    units.sort(key=lambda u: (u.rank, u.unit_id))
    plan.unit_positions.update((u.unit_id, position) for position, u in enumerate(units))
    provenance = _PendingProvenance(scheme, assessments, basis, scoring.codes)
    return Result(scheme, provenance, tuple(units))


def _columns(units: Sequence[Assessment], values_of: Callable[[Any], object]) -> list[tuple[object, ...]]:
    """The values of units that observe the same codes, a column per code (see ``_score_columns``).

    Read a unit at a time, the way they lie in memory, and transposed in one
    C call; the rows are let go before scoring starts.
    """
    return list(zip(*(tuple(map(values_of, unit.observations)) for unit in units), strict=True))


def _score_columns(
    scheme: Scheme, plan: _Plan, scoring: _Scoring, units: list[Assessment], columns: list[tuple[object, ...]]
) -> list[_Row | None]:
    """Score units whose observations are exactly the scheme's leaves, a leaf at a time.

    ``columns`` holds the values on the basis evaluated, a column per code
    of ``scoring.codes`` and a value per unit.  Every leaf's values,
    one per unit, are scored together by the leaf's column scorer, and each
    parent's points are the sums of its children's columns, so the work per
    value is a few C-level steps instead of a pass through Python code.
    Gives each unit's row, or ``None`` for a unit with a value that is not
    plainly valid, for the reference path to score and report; never records
    a problem itself.  The ``Decimal`` operations are those of the reference
    path: additions are exact, so their order does not change a digit.
    """
    count = len(units)
    if not count:
        return []
    node_points: list[Sequence[Decimal]] = [()] * len(plan.nodes)
    node_inputs: list[Sequence[object]] = []
    bad = bytearray(count)
    # Per leaf that rounded any unit's points: (leaf, units, points before).
    roundings: list[tuple[int, tuple[int, ...], tuple[Decimal, ...]]] = []
    # Leaves dropped where not applicable, and for each unit the set of
    # them it dropped, as bits (leaf ``drop_leaves[b]`` is bit ``1 << b``).
    drop_leaves: list[int] = []
    drop_bits = [0] * count
    tick, quantum = scoring.tick, scoring.quantum
    exact_add, same_quantum = _EXACT.add, Decimal.same_quantum
    not_applicable = NOT_APPLICABLE
    is_, not_ = operator.is_, operator.not_
    for (i, score_column, check, leaf_max, policy), position in zip(
        scoring.columns, scoring.code_positions, strict=True
    ):
        values: Sequence[object] = columns[position]
        # The units for which this leaf is not applicable.  Their values are
        # scored as a stand-in (another unit's value) so that the column stays
        # whole; their points and inputs are replaced afterwards.
        kinds = set(map(type, values))
        absent: list[int] = []
        if _NotApplicable in kinds:
            absent = list(compress(range(count), map(is_, values, repeat(not_applicable))))
            stand_in = next((raw for raw in values if raw is not not_applicable), _ZERO)
            kinds.discard(_NotApplicable)
            kinds.add(type(stand_in))
            values = list(values)
            for u in absent:
                values[u] = stand_in
            if policy is _DROP:
                bit = 1 << len(drop_leaves)
                drop_leaves.append(i)
                for u in absent:
                    drop_bits[u] |= bit
            elif policy is not _FULL:
                for u in absent:
                    bad[u] = 1
        points, inputs, failures = score_column(values, kinds)
        for u in failures:
            bad[u] = 1
        # A column's exact sum has the smallest exponent of its points: when
        # that needs no rounding, no point does.
        if check and not same_quantum(reduce(exact_add, points, tick), tick):
            # What round_half_up(points, places) does, with its quantum made
            # once: points with more decimals than the scheme keeps are rounded.
            need = map(not_, map(same_quantum, map(exact_add, points, repeat(tick)), repeat(tick)))
            afters = map(Decimal.quantize, points, repeat(quantum), repeat(ROUND_HALF_UP))
            # (point, rounded)[need]: each point, or its rounding where it needs one.
            befores, points = points, tuple(map(operator.getitem, zip(points, afters, strict=True), need))
            changed = list(map(operator.ne, points, befores))
            for u in absent:  # a stand-in's rounding is not the unit's
                changed[u] = False
            if any(changed):
                roundings.append((i, tuple(compress(range(count), changed)), tuple(compress(befores, changed))))
        if absent:
            fill = leaf_max if policy is _FULL else _ZERO
            points, inputs = list(points), list(inputs)
            for u in absent:
                points[u], inputs[u] = fill, not_applicable
        # Tuples: the garbage collector stops tracking a tuple of numbers.
        points, inputs = tuple(points), tuple(inputs)  # the same tuples when they are tuples already
        node_points[i] = points
        node_inputs.append(inputs)
    add = _EXACT.add
    for parent, first, others in scoring.column_sums:
        total: Iterable[Decimal] = repeat(_ZERO) if first is None else node_points[first]
        for child in others:
            total = map(add, total, node_points[child])
        node_points[parent] = tuple(total)
    first, others = scoring.column_total
    raw_totals: Iterable[Decimal] = repeat(_ZERO) if first is None else node_points[first]
    for field in others:
        raw_totals = map(add, raw_totals, node_points[field])
    block = _Block(node_points, node_inputs, tuple(roundings))
    rounded_units = set().union(*(units_rounded for _, units_rounded, _ in roundings))
    normalise = scheme.normalisation is not None
    scale, places = scheme.scale, scheme.rounding.normalised
    to_places = _ONE.scaleb(-places) if places is not None else None
    patterns: dict[int, tuple[tuple[Decimal, ...], Decimal]] = {}
    out: list[_Row | None] = []
    for u, (assessment, raw_total) in enumerate(zip(units, raw_totals, strict=True)):
        if bad[u]:
            out.append(None)
            continue
        drops = drop_bits[u]
        maxima: tuple[Decimal, ...] | None = None
        max_total = plan.max_total
        if drops:
            # Units that drop the same leaves share one tuple of maxima.
            shared_maxima = patterns.get(drops)
            if shared_maxima is None:
                reduced = list(plan.maxima)
                for b, leaf in enumerate(drop_leaves):
                    if drops >> b & 1:
                        _drop(plan, reduced, leaf)
                shared_maxima = patterns[drops] = (tuple(reduced), sum(scoring.field_points(reduced), _ZERO))
            maxima, max_total = shared_maxima
        if max_total == 0:
            out.append(None)  # nothing to score: the reference path says so
            continue
        if not normalise and maxima is None:
            score = raw_total
        elif to_places is not None:
            # round_half_up(divide(...), places): divide's trimming of an exact
            # quotient changes no digit that rounding keeps.
            score = CONTEXT.divide(raw_total * scale, max_total).quantize(to_places, rounding=ROUND_HALF_UP)
        else:  # not for a valid scheme: normalising or dropping leaves needs [rounding] normalised
            out.append(None)
            continue
        unit = assessment.unit
        cell = _Cell(block, u)
        out.append(
            (unit.id, unit.name, raw_total, score, max_total, cell, maxima, cell, cell if u in rounded_units else ())
        )
    return out


def _drop(plan: _Plan, maxima: list[Decimal], leaf: int) -> None:
    """Take a dropped leaf's maximum off it and every node above it."""
    leaf_max = plan.maxima[leaf]
    j = leaf
    while j >= 0:
        maxima[j] -= leaf_max
        j = plan.parents[j]


def _finish(
    scheme: Scheme,
    plan: _Plan,
    scoring: _Scoring,
    assessment: Assessment,
    points: list[Decimal],
    maxima: list[Decimal] | None,
    inputs: list[object],
    rounded: list[tuple[int, Decimal]],
) -> _Row | None:
    """Sum the tree, total and normalise a unit's leaf points; ``None`` when nothing applies."""
    for parent, children in scoring.sums:
        points[parent] = sum(children(points), _ZERO)
    raw_total = sum(scoring.field_points(points), _ZERO)
    max_total = plan.max_total if maxima is None else sum(scoring.field_points(maxima), _ZERO)
    if max_total == 0:
        return None
    if scheme.normalisation is None and maxima is None:
        score = raw_total
    else:
        score = divide(raw_total * scheme.scale, max_total)
        places = scheme.rounding.normalised
        if places is not None:
            score = round_half_up(score, places)
    unit = assessment.unit
    return (
        unit.id,
        unit.name,
        raw_total,
        score,
        max_total,
        tuple(points),
        tuple(maxima) if maxima is not None else None,
        tuple(inputs),
        tuple(rounded),
    )


def _score_unit(
    scheme: Scheme, plan: _Plan, scoring: _Scoring, assessment: Assessment, basis: Basis, found: list[Problem]
) -> _Row | None:
    """The reference path: score one unit, recording each of its problems in ``found``."""
    unit = assessment.unit
    where = f"unit {unit.id!r}"
    before = len(found)
    values: dict[str, object] = {}
    for obs in assessment.observations:
        i = plan.index.get(obs.code)
        if i is None:
            found.append(Problem(f"{where}: unknown criterion {obs.code!r}, not in scheme {scheme.id!r}"))
            continue
        if not plan.nodes[i].is_leaf:
            found.append(
                Problem(
                    f"{where}: {obs.code!r} is not a leaf; give points for its"
                    f" {level_name(obs.code.count('.') + 2, 2)} instead",
                    node=tree_path(obs.code),
                )
            )
            continue
        value = obs.appraised if basis == "appraised" else obs.self_assessed
        if value is not None:
            values[obs.code] = value
    points = [_ZERO] * len(plan.nodes)
    maxima: list[Decimal] | None = None
    inputs: list[object] = []
    rounded: list[tuple[int, Decimal]] = []
    leaf_places = scheme.rounding.leaf
    for i in plan.leaves:
        node = plan.nodes[i]
        raw = values.get(node.code)
        if raw is None:
            found.append(Problem(f"{where}: no {basis.replace('_', '-')} value", node=tree_path(node.code)))
            inputs.append(None)
            continue
        if raw is NOT_APPLICABLE:
            inputs.append(raw)
            policy = node.not_applicable
            if policy is NotApplicablePolicy.FULL:
                points[i] = node.max
            elif policy is NotApplicablePolicy.DROP:
                if maxima is None:
                    maxima = list(plan.maxima)
                _drop(plan, maxima, i)
            else:
                found.append(
                    Problem(
                        f"{where}: marked not applicable, but the scheme gives this leaf no"
                        " not_applicable policy",
                        node=tree_path(node.code),
                    )
                )
            continue
        rule = node.rule
        assert rule is not None
        try:
            value = rule.parse(raw)
            leaf_points = rule.points(value, node.max)
        except ValueError as exc:
            found.append(Problem(f"{where}: {exc}", node=tree_path(node.code)))
            inputs.append(None)
            continue
        if leaf_places is not None and leaf_points.as_tuple().exponent < -leaf_places:  # type: ignore[operator]
            rounded_points = round_half_up(leaf_points, leaf_places)
            if rounded_points != leaf_points:
                rounded.append((i, leaf_points))
            leaf_points = rounded_points
        inputs.append(value)
        points[i] = leaf_points
    if len(found) > before:
        return None
    row = _finish(scheme, plan, scoring, assessment, points, maxima, inputs, rounded)
    if row is None:
        found.append(Problem(f"{where}: every leaf was dropped as not applicable; nothing to score"))
    return row
