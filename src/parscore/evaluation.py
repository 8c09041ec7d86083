"""The evaluator: exact points per node, totals, bands and ranks.

``evaluate`` is a pure function of a scheme and assessments.  Arithmetic is
``Decimal`` throughout; the only roundings are those the scheme declares,
and each is written into the explanation of the value it changed.  The
assessments are sorted by unit id and code before anything is computed, so
the same input in any order gives an identical ``Result``.

Per-node details (explanations, percentages) are made on demand from the
stored points, which keeps evaluating a whole country fast.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

import attrs

from ._version import __version__
from .assessments import NOT_APPLICABLE, Assessment, Assessments, dumps_assessments
from .errors import AssessmentError, Problem
from .model import Band, Node, NotApplicablePolicy, Scheme, level_name, tree_path
from .numbers import divide, round_half_up
from .numbers import format_decimal as _fmt
from .ranking import rank
from .schemefile import scheme_hash

__all__ = ["NodeResult", "Provenance", "Result", "UnitResult", "evaluate"]

Basis = Literal["appraised", "self_assessed"]
_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


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


@attrs.frozen
class _Plan:
    """The scheme flattened for evaluation: nodes in tree order with parents."""

    nodes: tuple[Node, ...]
    parents: tuple[int, ...]
    leaves: tuple[int, ...]
    fields: tuple[int, ...]
    index: dict[str, int]

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
        return cls(tuple(nodes), tuple(parents), leaves, tuple(fields), {n.code: i for i, n in enumerate(nodes)})


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
    #: Every node's points, in tree order (see ``nodes``).
    points: tuple[Decimal, ...] = attrs.field(repr=False)
    #: Every node's applicable max in tree order, or ``None`` when nothing was dropped.
    maxima: tuple[Decimal, ...] | None = attrs.field(repr=False)
    #: Each leaf's input as the rule read it, in tree order.
    inputs: tuple[object, ...] = attrs.field(repr=False)
    rounded: tuple[tuple[int, Decimal], ...] = attrs.field(repr=False)
    _scheme: Scheme = attrs.field(repr=False, eq=False)
    _plan: _Plan = attrs.field(repr=False, eq=False)

    @property
    def score(self) -> Decimal:
        """The score bands and ranks use: the normalised total."""
        return self.normalised_total

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
            kids = [self._plan.index[c.code] for c in node.children]
            parts = " + ".join(_fmt(self.points[k]) for k in kids)
            return f"sum of {len(kids)} {level_name(node.code.count('.') + 2)}s: {parts} → {_fmt(points)}"
        leaf_position = self._plan.leaves.index(i)
        value = self.inputs[leaf_position]
        if value is NOT_APPLICABLE:
            if node.not_applicable is NotApplicablePolicy.FULL:
                return f"not applicable: full points → {_fmt(node.max)}"
            return f"not applicable: dropped, the maximum {_fmt(node.max)} leaves the denominator"
        assert node.rule is not None
        text = node.rule.explain(value, node.max)  # type: ignore[arg-type]
        for position, before in self.rounded:
            if position == i:
                places = self._scheme.rounding.leaf
                text += f"; rounded half-up to {places} decimals: {_fmt(before)} → {_fmt(points)}"
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
            text += f", rounded half-up to {scheme.rounding.normalised} decimals → {_fmt(self.normalised_total)}"
        return text


@attrs.frozen
class Result:
    """The outcome of one evaluation: every unit, ranked, with provenance."""

    scheme: Scheme = attrs.field(repr=False)
    provenance: Provenance
    #: Units in rank order; units sharing a rank are in unit-id order.
    units: tuple[UnitResult, ...]

    def unit(self, unit_id: str) -> UnitResult:
        """The result of the unit with ``unit_id``."""
        for unit in self.units:
            if unit.unit_id == unit_id:
                return unit
        raise KeyError(f"no unit {unit_id!r} in this result")

    def average_total(self) -> Decimal:
        """The mean score of all units (unrounded)."""
        return _mean(u.score for u in self.units)

    def field_averages(self) -> tuple[tuple[str, Decimal], ...]:
        """Each field's mean points over all units (unrounded), in scheme order."""
        plan = self.units[0]._plan if self.units else _Plan.of(self.scheme)
        return tuple(
            (plan.nodes[i].code, _mean(u.points[i] for u in self.units)) for i in plan.fields
        )


def _mean(values: Iterable[Decimal]) -> Decimal:
    items = list(values)
    if not items:
        raise ValueError("no units to average")
    return divide(sum(items, _ZERO), Decimal(len(items)))


def _input_hash(assessments: Assessments) -> str:
    text = dumps_assessments(assessments)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def evaluate(
    scheme: Scheme,
    assessments: Assessments | Iterable[Assessment],
    *,
    basis: Basis = "appraised",
) -> Result:
    """Score every unit against ``scheme``; rank and band them.

    ``basis`` picks the appraised (official) or the self-assessed values.
    Every missing, unknown or out-of-range value of every unit is collected
    and raised together as one ``AssessmentError``.
    """
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
    partial = [_score_unit(scheme, plan, a, basis, found) for a in assessments.items]
    if found:
        raise AssessmentError(found, source="assessments")
    scored = [p for p in partial if p is not None]
    ranks = rank({p[0]: p[3] for p in scored}, scheme.ranking.method)
    field_ranks = {
        plan.nodes[i].code: rank({p[0]: p[5][i] for p in scored}, scheme.ranking.method)
        for i in plan.fields
    }
    units = []
    for unit_id, name, raw_total, score, max_total, points, maxima, inputs, rounded in scored:
        units.append(
            UnitResult(
                unit_id,
                name,
                raw_total,
                max_total,
                score,
                scheme.band_for(score),
                ranks[unit_id],
                tuple((code, r[unit_id]) for code, r in field_ranks.items()),
                points,
                maxima,
                inputs,
                rounded,
                scheme,
                plan,
            )
        )
    units.sort(key=lambda u: (u.rank, u.unit_id))
    provenance = Provenance(
        scheme.id, scheme.revision, scheme_hash(scheme), __version__, _input_hash(assessments), basis
    )
    return Result(scheme, provenance, tuple(units))


def _score_unit(
    scheme: Scheme, plan: _Plan, assessment: Assessment, basis: Basis, found: list[Problem]
) -> tuple | None:  # type: ignore[type-arg]
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
                    f" {level_name(obs.code.count('.') + 2)}s instead",
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
                    maxima = [n.max for n in plan.nodes]
                j = i
                while j >= 0:
                    maxima[j] -= node.max
                    j = plan.parents[j]
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
    for i in range(len(plan.nodes) - 1, -1, -1):
        parent = plan.parents[i]
        if parent >= 0:
            points[parent] += points[i]
    raw_total = sum((points[i] for i in plan.fields), _ZERO)
    max_total = scheme.max_total if maxima is None else sum((maxima[i] for i in plan.fields), _ZERO)
    if max_total == 0:
        found.append(Problem(f"{where}: every leaf was dropped as not applicable; nothing to score"))
        return None
    if scheme.normalisation is None and maxima is None:
        score = raw_total
    else:
        score = divide(raw_total * scheme.scale, max_total)
        places = scheme.rounding.normalised
        if places is not None:
            score = round_half_up(score, places)
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

