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
which holds for every leaf a small scoring function specialised to its rule,
and every unit first takes a fast path, ``_score_fast``, that only reads
values and adds points.  A unit with anything unusual (a missing, unknown or
invalid value, a rule that raises) goes through the reference path,
``_score_unit``, instead, which finds and words every problem.  Both paths do
the same ``Decimal`` operations in the same order, so a unit's result does
not depend on the path it took.
"""

from __future__ import annotations

import decimal
import hashlib
import operator
from collections.abc import Callable, Iterable
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal
from typing import Any, Literal, cast

import attrs

from ._version import __version__
from .assessments import NOT_APPLICABLE, Assessment, Assessments
from .errors import AssessmentError, Problem
from .model import Band, Node, NotApplicablePolicy, Scheme, level_name, tree_path
from .numbers import EXACT, divide, exact_sum, round_half_up
from .numbers import format_decimal as _fmt
from .ranking import rank
from .rules import Bonus, Deduction, Entered, PassFail, Ratio, Rule, Survey, Tiers
from .schemefile import scheme_hash

__all__ = ["NodeResult", "Provenance", "Result", "UnitResult", "evaluate"]

Basis = Literal["appraised", "self_assessed"]
_ZERO = Decimal(0)
_ONE = Decimal(1)
_HUNDRED = Decimal(100)
_FULL = NotApplicablePolicy.FULL
_DROP = NotApplicablePolicy.DROP
#: A context in which adding never rounds, for the fast path's rounding test.
_EXACT = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)

#: A leaf's scoring function: a raw value in, ``(input as the rule read it,
#: points)`` out, or ``None`` when the value needs the reference path.
_Scorer = Callable[[object], "tuple[object, Decimal] | None"]

#: Gives some items of a list of points as a tuple (see ``_getter``).
_Getter = Callable[[list[Decimal]], tuple[Decimal, ...]]

#: A unit's scored row: id, name, raw total, score, max total, points,
#: maxima, inputs, rounded (the fields of ``UnitResult`` in that order).
_Row = tuple[str, str, Decimal, Decimal, Decimal, tuple[Decimal, ...],
             "tuple[Decimal, ...] | None", tuple[object, ...], tuple[tuple[int, Decimal], ...]]


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
        if isinstance(rule, Deduction):
            per, bound = rule.per, rule.floor
        else:
            bonus = cast(Bonus, rule)
            per = bonus.per_item
            bound = max_points if bonus.cap is None else bonus.cap

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
    #: Per leaf in tree order: (node index, scorer, whether its points may
    #: need rounding, max, not-applicable policy).
    specs: tuple[tuple[int, _Scorer, bool, Decimal, NotApplicablePolicy | None], ...]
    #: Zero with the scheme's leaf decimals, and the quantum ``round_half_up``
    #: rounds leaf points to (unused when the scheme does not round leaves).
    tick: Decimal
    quantum: Decimal
    #: ``_Plan.sums`` with a getter of the children's points for each parent,
    #: and a getter of the fields' points: one C call instead of a loop.
    sums: tuple[tuple[int, _Getter], ...]
    field_points: _Getter

    @classmethod
    def of(cls, scheme: Scheme, plan: _Plan) -> _Scoring:
        places = scheme.rounding.leaf
        words: dict[str, bool] = {}
        specs = []
        for i in plan.leaves:
            node = plan.nodes[i]
            assert node.rule is not None
            scorer, lowest = _leaf_scorer(node.rule, node.max, words)
            check = places is not None and (lowest is None or lowest < -places)
            specs.append((i, scorer, check, node.max, node.not_applicable))
        codes = sorted(plan.nodes[i].code for i in plan.leaves)
        code_position = {code: position for position, code in enumerate(codes)}
        return cls(
            tuple(codes),
            tuple(code_position[plan.nodes[i].code] for i in plan.leaves),
            tuple(specs),
            _ZERO.scaleb(-(places or 0)),
            _ONE.scaleb(-(places or 0)),
            tuple((parent, _getter(kids)) for parent, kids in plan.sums),
            _getter(plan.fields),
        )


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


@attrs.frozen
class Result:
    """The outcome of one evaluation: every unit, ranked, with provenance."""

    scheme: Scheme = attrs.field(repr=False)
    provenance: Provenance
    #: Units in rank order; units sharing a rank are in unit-id order.
    units: tuple[UnitResult, ...]

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

#: A unit's observations as columns: codes, appraised, self-assessed, evidence.
_Columns = tuple[tuple[Any, ...], tuple[Any, ...], tuple[Any, ...], tuple[Any, ...]]


_OBSERVATION = operator.attrgetter("code", "appraised", "self_assessed", "evidence")
_NO_COLUMNS: _Columns = ((), (), (), ())


def _columns(assessment: Assessment) -> _Columns:
    """The observations of one unit as four columns, in code order.

    Reading rows and transposing them with ``zip`` runs in C, with no Python
    code per value.
    """
    return tuple(zip(*map(_OBSERVATION, assessment.observations), strict=True)) or _NO_COLUMNS  # type: ignore[return-value]


class _InputDigest:
    """The SHA-256 of a canonical text of the assessments: ``Provenance.input_hash``.

    The text is the ``ascii()`` of the scheme id, then for each unit in
    unit-id order its id and name, and its observations' codes, appraised
    and self-assessed values and evidence, each as a tuple in code order.
    Assessments keep units and observations sorted, so the hash does not
    depend on input order.  ``ascii`` writes the values assessments hold
    (``Decimal`` with its exact digits, ``True``/``False``, text quoted and
    escaped, ``NOT_APPLICABLE``, ``None``) so that no two inputs give the same
    text, and it escapes every non-ASCII character, so the text does not
    depend on Python's Unicode version or its hash seed.  Writing it is a few
    C calls per unit, far cheaper than writing the assessments as TOML.
    """

    def __init__(self, scheme_id: str | None, leaf_codes: tuple[str, ...]) -> None:
        self._sha = hashlib.sha256(b"parscore assessments 1\n")
        self._sha.update(ascii(scheme_id).encode("ascii"))
        # Most units observe exactly the scheme's leaves: write those codes once.
        self._codes = leaf_codes
        self._codes_text = ascii(leaf_codes).encode("ascii")

    def add(self, assessment: Assessment, columns: _Columns) -> None:
        unit = assessment.unit
        self._sha.update(ascii((unit.id, unit.name)).encode("ascii"))
        codes = columns[0]
        self._sha.update(self._codes_text if codes == self._codes else ascii(codes).encode("ascii"))
        self._sha.update(ascii(columns[1:]).encode("ascii"))

    def hexdigest(self) -> str:
        return "sha256:" + self._sha.hexdigest()


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
    digest = _InputDigest(assessments.scheme_id, scoring.codes)
    column = 1 if basis == "appraised" else 2
    scored: list[_Row] = []
    for assessment in assessments.items:
        columns = _columns(assessment)
        if not found:  # once there is a problem, evaluate raises and the hash is not needed
            digest.add(assessment, columns)
        row = None
        if columns[0] == scoring.codes:
            try:
                row = _score_fast(scheme, plan, scoring, assessment, columns[column])
            except Exception:  # noqa: BLE001 - the reference path below raises it again, or reports it
                row = None
        if row is None:
            row = _score_unit(scheme, plan, scoring, assessment, basis, found)
        if row is not None:
            scored.append(row)
    if found:
        raise AssessmentError(found, source="assessments")
    method = scheme.ranking.method
    ranks = rank({row[0]: row[3] for row in scored}, method)
    field_codes = [plan.nodes[i].code for i in plan.fields]
    field_ranks = [rank({row[0]: row[5][i] for row in scored}, method) for i in plan.fields]
    bands: dict[Decimal, Band] = {}  # score → band: scores repeat, and bands depend on the value only
    units = []
    for unit_id, name, raw_total, score, max_total, points, maxima, inputs, rounded in scored:
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
                ranks[unit_id],
                tuple(zip(field_codes, [r[unit_id] for r in field_ranks], strict=True)),
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
    provenance = Provenance(
        scheme.id, scheme.revision, scheme_hash(scheme), __version__, digest.hexdigest(), basis
    )
    return Result(scheme, provenance, tuple(units))


def _score_fast(
    scheme: Scheme, plan: _Plan, scoring: _Scoring, assessment: Assessment, raws: tuple[object, ...]
) -> _Row | None:
    """Score a unit whose observations are exactly the scheme's leaves, in code order.

    Returns ``None`` at the first value that is not plainly valid, for the
    reference path to score and report; never records a problem itself.
    """
    points = [_ZERO] * len(plan.nodes)
    inputs: list[object] = []
    rounded: list[tuple[int, Decimal]] = []
    maxima: list[Decimal] | None = None
    tick, quantum = scoring.tick, scoring.quantum
    exact_add = _EXACT.add
    not_applicable = NOT_APPLICABLE
    in_tree_order = map(raws.__getitem__, scoring.code_positions)
    for (i, scorer, check, leaf_max, policy), raw in zip(scoring.specs, in_tree_order, strict=True):
        if raw is not_applicable:
            if policy is _FULL:
                points[i] = leaf_max
            elif policy is _DROP:
                if maxima is None:
                    maxima = list(plan.maxima)
                _drop(plan, maxima, i)
            else:
                return None
            inputs.append(raw)
            continue
        scored = scorer(raw)
        if scored is None:
            return None
        value, leaf_points = scored
        # Round only points with more decimals than the scheme keeps.  Adding
        # ``tick`` (0 with exactly that many decimals) exactly gives the smaller
        # of the two exponents, so the sum keeps tick's quantum exactly when the
        # points have no more decimals: a third of the cost of ``as_tuple()``.
        if check and not exact_add(leaf_points, tick).same_quantum(tick):
            # What round_half_up(leaf_points, places) does, with its quantum made once.
            rounded_points = leaf_points.quantize(quantum, rounding=ROUND_HALF_UP)
            if rounded_points != leaf_points:
                rounded.append((i, leaf_points))
            leaf_points = rounded_points
        inputs.append(value)
        points[i] = leaf_points
    return _finish(scheme, plan, scoring, assessment, points, maxima, inputs, rounded)


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
