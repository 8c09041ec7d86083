"""Benchmark: evaluating a national-scale case, against a bare-Decimal floor and two peers.

Run from the repository root (with parscore installed)::

    python benchmarks/bench_evaluate.py [--units 10600] [--repeat 3] [--seed 2022]
                                        [--zen-layout one-node|per-kind] [--no-peers]

The peers are optional; install them with
``python -m pip install -r benchmarks/requirements.txt``.  They are never
dependencies of parscore, and the script says so and goes on without any
peer that is not installed.

It builds, deterministically from ``--seed``, a scheme of 8 fields and 80
leaves that uses every built-in rule (entered with a step, pass/fail, ratio
with a threshold, tiers, deduction with a floor, bonus with a cap, survey),
with not-applicable leaves under both policies (full and drop), leaf and
normalised rounding, and assessments for ``--units`` units.  Everything is
built through the public API before any timing starts ("load-free"), and so
is each peer's own form of the same input.

It then times, best of ``--repeat`` runs each:

* ``parscore.evaluate(scheme, assessments)``: points, totals, bands, ranks;
* a bare loop doing the same arithmetic on plain tuples with ``Decimal`` and
  no objects: the floor for pure Python;
* pandas, as an analyst would write it: one ``DataFrame`` of float inputs, a
  few column operations per rule kind, float sums, ``round``, ``pd.cut`` for
  bands and ``rank(method="min")`` for ranks;
* the ZEN rules engine (``zen-engine``, GoRules' JDM decision graphs): the
  same rules as a decision graph (every leaf an expression, in one expression
  node, or with ``--zen-layout per-kind`` one node per rule kind), evaluated
  once per unit, synchronously and with ``async_evaluate``, its leaf points
  then summed, normalised, banded and ranked in Python;

and counts, for each, the units whose normalised total (as it would publish
it, rounded to the scheme's decimals), band or ranks differ from parscore's
exact half-up result.  The bare loop must agree with parscore on every unit;
the peers need not (``--no-peers`` skips them).  Then it measures, in a
separate untimed run, the peak memory ``evaluate`` allocates
(``tracemalloc``); what ``evaluate`` leaves for first use, once each: every
unit's row of points and inputs, and the input hash; and times making every
node's explanation for one unit and ``Result.field_averages()``.

Last come the analysis tables of that result: every analysis of the public
API (``result_table``, the averages, ``gap_table`` with and without a plan,
``distribution``, ``compare_years``, ``adjustments``, ``compare_published``,
``audit_published``, ``audit_summary``), each timed best of ``--repeat``,
against the aim of all of them in under 2 s; then every table they made,
rendered in each format.  Their other inputs (the self-assessed result as
the other year and the self-assessment, a published report and a summary
report of the result with a few mistakes, a plan) are built before timing.

This is a benchmark, not a test: it prints figures and exits with status 1
only when the bare loop and parscore disagree.
"""

from __future__ import annotations

import argparse
import asyncio
import decimal
import gc
import importlib.metadata
import json
import math
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

import parscore
from parscore import (
    NOT_APPLICABLE,
    Assessment,
    Assessments,
    Band,
    Bonus,
    Deduction,
    Entered,
    Node,
    Normalisation,
    NotApplicablePolicy,
    Observation,
    PassFail,
    Plan,
    PlanItem,
    Published,
    RankMethod,
    Ratio,
    Result,
    Rounding,
    Scheme,
    Summary,
    Survey,
    Table,
    Tier,
    Tiers,
    Unit,
    UnitResult,
    adjustments,
    audit_published,
    audit_summary,
    compare_published,
    compare_years,
    distribution,
    gap_table,
    result_table,
    round_half_up,
)
from parscore.audit import (
    Change,
    SummaryAverage,
    SummaryBand,
    SummaryCount,
    SummaryField,
    SummaryList,
    SummarySpread,
    SummaryUnit,
    discrepancy_table,
)
from parscore.numbers import format_decimal
from parscore.published import Claim, FieldTable, PublishedRow

# The peers: optional, benchmark-only (benchmarks/requirements.txt).
INSTALL_HINT = "pip install -r benchmarks/requirements.txt"
try:
    import numpy as np
    import pandas as pd
except ImportError:  # pragma: no cover - depends on the environment
    np = pd = None  # type: ignore[assignment]
try:
    import zen
except ImportError:  # pragma: no cover - depends on the environment
    zen = None  # type: ignore[assignment]

D = Decimal
KINDS = ("entered", "pass_fail", "ratio", "tiers", "deduction", "bonus", "survey")
LEAF_PLACES = 2
NORMALISED_PLACES = 2
SCALE = D(100)

# --- the case ---------------------------------------------------------------


def make_rule(kind: str, max_points: Decimal) -> Any:
    """A rule of ``kind`` whose parameters are valid on a leaf of ``max_points``."""
    if kind == "entered":
        return Entered(step=D("0.25"))
    if kind == "pass_fail":
        return PassFail()
    if kind == "ratio":
        return Ratio(threshold=D("0.5"))
    if kind == "tiers":
        return Tiers(
            (
                Tier(D(0), D(0)),
                Tier(D(50), max_points / 2),
                Tier(D(80), max_points * D("0.8")),
                Tier(D(95), max_points),
            )
        )
    if kind == "deduction":
        return Deduction(per=D("0.25"), floor=max_points / 4)
    if kind == "bonus":
        return Bonus(per_item=D("0.5"), cap=max_points - D("0.5"))
    if kind == "survey":
        return Survey()
    raise ValueError(kind)


def make_scheme() -> Scheme:
    """8 fields × 4 criteria; criteria 2–4 have 3 sub-criteria each: 80 leaves.

    Leaf maxima, rules and not-applicable policies cycle, so every rule kind
    and both policies appear in every field.
    """
    maxima = (D(1), D("1.5"), D(2), D("2.5"), D(3))
    leaf_number = 0

    def leaf(code: str) -> Node:
        nonlocal leaf_number
        k = leaf_number
        leaf_number += 1
        max_points = maxima[k % len(maxima)]
        kind = KINDS[k % len(KINDS)]
        policy = (NotApplicablePolicy.FULL, NotApplicablePolicy.DROP, None, None, None, None)[k % 6]
        return Node(code, f"Tiêu chí {code}", max_points, make_rule(kind, max_points), policy)

    fields = []
    for f in range(1, 9):
        criteria = []
        for c in range(1, 5):
            code = f"{f}.{c}"
            if c == 1:
                criteria.append(leaf(code))
            else:
                subs = [leaf(f"{code}.{s}") for s in range(1, 4)]
                criteria.append(
                    Node(code, f"Tiêu chí {code}", sum((s.max for s in subs), D(0)), children=subs)
                )
        fields.append(
            Node(str(f), f"Lĩnh vực {f}", sum((c.max for c in criteria), D(0)), children=criteria)
        )
    bands = (
        Band("Xuất sắc", D(90)),
        Band("Tốt", D(80), D(90)),
        Band("Khá", D(65), D(80)),
        Band("Trung bình", D(50), D(65)),
        Band("Yếu", D(0), D(50)),
    )
    return Scheme(
        id="vn.bench.national.province.2024",
        title="Benchmark scheme",
        issuer="parscore benchmarks",
        level="province",
        year=2024,
        fields=fields,
        bands=bands,
        rounding=Rounding(leaf=LEAF_PLACES, normalised=NORMALISED_PLACES),
        normalisation=Normalisation(SCALE),
    )


def draw(rng: random.Random, kind: str, max_points: Decimal) -> Any:
    """A raw appraised value for a leaf of ``kind``, in the forms units give them."""
    if kind == "entered":
        quarters = rng.randint(0, int(max_points * 4))
        value = D(quarters) / 4
        return value if rng.random() < 0.5 else f"{value}".replace(".", ",")
    if kind == "pass_fail":
        passed = rng.random() < 0.8
        return passed if rng.random() < 0.5 else ("đạt" if passed else "không đạt")
    if kind == "ratio":
        return D(rng.randint(300, 1000)) / 1000
    if kind == "tiers":
        return D(rng.randint(0, 1000)) / 10
    if kind in ("deduction", "bonus"):
        return rng.randint(0, 8)
    if kind == "survey":
        return f"{D(rng.randint(400, 1000)) / 10}"
    raise ValueError(kind)


def make_assessments(scheme: Scheme, units: int, seed: int) -> Assessments:
    """Appraised and self-assessed values for every leaf, evidence for some."""
    rng = random.Random(seed)
    leaves = list(scheme.leaves())
    items = []
    for u in range(units):
        observations = []
        for node in leaves:
            kind = node.rule.kind  # type: ignore[union-attr]
            if node.not_applicable is not None and rng.random() < 0.1:
                appraised: Any = NOT_APPLICABLE
                self_assessed: Any = "không phát sinh"
            else:
                appraised = draw(rng, kind, node.max)
                self_assessed = appraised if rng.random() < 0.7 else draw(rng, kind, node.max)
            evidence = f"Văn bản số {rng.randint(1, 999)}/UBND" if rng.random() < 0.1 else None
            observations.append(Observation(node.code, appraised, self_assessed, evidence))
        items.append(Assessment(Unit(f"u{u:05d}", f"UBND xã {u:05d}"), tuple(observations)))
    rng.shuffle(items)  # evaluation must not depend on input order
    return Assessments(scheme.id, tuple(items))


# --- the bare loop ----------------------------------------------------------


def bare_inputs(scheme: Scheme, assessments: Assessments) -> tuple[Any, list[tuple[str, tuple[Any, ...]]]]:
    """The scheme and values as plain tuples: what the bare loop starts from.

    Values are the already-parsed appraised values (``Decimal``, ``bool``, a
    word such as "đạt", or ``None`` for not applicable) in leaf order.
    """
    nodes = list(scheme.nodes())
    index = {n.code: i for i, n in enumerate(nodes)}
    parents = []
    for n in nodes:
        head, _, _ = n.code.rpartition(".")
        parents.append(index[head] if head else -1)
    leaves = []
    for i, n in enumerate(nodes):
        if n.children:
            continue
        rule = n.rule
        kind = rule.kind  # type: ignore[union-attr]
        if kind == "tiers":
            params: Any = tuple(sorted(((t.at_least, t.points) for t in rule.tiers), reverse=True))  # type: ignore[union-attr]
        elif kind == "entered":
            params = rule.step  # type: ignore[union-attr]
        elif kind == "ratio":
            params = rule.threshold  # type: ignore[union-attr]
        elif kind == "deduction":
            params = (rule.per, rule.floor)  # type: ignore[union-attr]
        elif kind == "bonus":
            params = (rule.per_item, n.max if rule.cap is None else rule.cap)  # type: ignore[union-attr]
        else:
            params = None
        policy = None if n.not_applicable is None else n.not_applicable.value
        leaves.append((i, kind, params, n.max, policy))
    plain = {
        "maxima": tuple(n.max for n in nodes),
        "parents": tuple(parents),
        "fields": tuple(i for i, p in enumerate(parents) if p < 0),
        "leaves": tuple(leaves),
        "bands": tuple((b.lower, b.upper, b.name) for b in scheme.bands),
    }
    codes = [nodes[i].code for i, *_ in leaves]
    units = []
    for a in assessments.items:
        by_code = {o.code: o.appraised for o in a.observations}
        units.append(
            (a.unit.id, tuple(None if by_code[c] is NOT_APPLICABLE else by_code[c] for c in codes))
        )
    return plain, units


def bare_loop(plain: Any, units: list[tuple[str, tuple[Any, ...]]]) -> dict[str, tuple[Any, ...]]:
    """Score, total, normalise, band and rank with inline Decimal arithmetic.

    The same work ``evaluate`` does (every node's points, range checks,
    half-up rounding, drops, normalisation, bands, overall and field ranks),
    with no objects: the fastest plain Python can go.
    """
    ctx = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
    # Exact addition keeps the smaller exponent: p + 0.00 keeps the quantum
    # of 0.00 exactly when p has at most 2 decimals (cheaper than as_tuple()).
    exact_add = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN).add
    tick = D(0).scaleb(-LEAF_PLACES)
    half_up = decimal.ROUND_HALF_UP
    leaf_q = D(1).scaleb(-LEAF_PLACES)
    norm_q = D(1).scaleb(-NORMALISED_PLACES)
    zero, one, hundred = D(0), D(1), D(100)
    maxima0 = plain["maxima"]
    parents = plain["parents"]
    fields = plain["fields"]
    leaves = plain["leaves"]
    bands = plain["bands"]
    n_nodes = len(maxima0)
    out = {}
    for unit_id, values in units:
        points = [zero] * n_nodes
        maxima = None
        for (i, kind, params, mx, policy), v in zip(leaves, values, strict=True):
            if v is None:  # not applicable
                if policy == "full":
                    points[i] = mx
                elif policy == "drop":
                    if maxima is None:
                        maxima = list(maxima0)
                    j = i
                    while j >= 0:
                        maxima[j] -= mx
                        j = parents[j]
                else:
                    raise ValueError("n/a without a policy")
                continue
            if kind == "entered":
                if v < 0 or v > mx or (params is not None and v % params):
                    raise ValueError("entered out of range")
                p = v
            elif kind == "pass_fail":
                if v is True or v == "đạt":
                    p = mx
                elif v is False or v == "không đạt":
                    p = zero
                else:
                    raise ValueError("not a verdict")
            elif kind == "ratio":
                if v < 0 or v > one:
                    raise ValueError("ratio out of range")
                p = zero if params is not None and v < params else v * mx
            elif kind == "tiers":
                for at_least, tier_points in params:
                    if v >= at_least:
                        p = tier_points
                        break
                else:
                    raise ValueError("below the lowest tier")
            elif kind == "deduction":
                if v < 0 or v != v.to_integral_value():
                    raise ValueError("not a count")
                p = mx - v * params[0]
                if p < params[1]:
                    p = params[1]
            elif kind == "bonus":
                if v < 0 or v != v.to_integral_value():
                    raise ValueError("not a count")
                p = v * params[0]
                if p > params[1]:
                    p = params[1]
            else:  # survey
                if v < 0 or v > hundred:
                    raise ValueError("survey out of range")
                p = (v * mx).scaleb(-2)
            if not exact_add(p, tick).same_quantum(tick):  # more decimals than the scheme keeps
                p = p.quantize(leaf_q, rounding=half_up)
            points[i] = p
        for i in range(n_nodes - 1, -1, -1):
            parent = parents[i]
            if parent >= 0:
                points[parent] += points[i]
        raw_total = sum([points[i] for i in fields], zero)
        max_total = sum([(maxima or maxima0)[i] for i in fields], zero)
        score = ctx.divide(raw_total * SCALE, max_total).quantize(norm_q, rounding=half_up)
        for lower, upper, name in bands:
            if score >= lower and (upper is None or score < upper):
                band = name
                break
        out[unit_id] = (raw_total, max_total, score, band, tuple(points[i] for i in fields))
    # Competition ranks, overall and per field: highest first, ties share a rank.
    ranks: dict[str, list[int]] = {unit_id: [] for unit_id in out}
    for key in [lambda r: r[2]] + [lambda r, k=k: r[4][k] for k in range(len(fields))]:
        ordered = sorted(out, key=lambda u: (-key(out[u]), u))
        previous, current = None, 0
        for position, unit_id in enumerate(ordered, start=1):
            score = key(out[unit_id])
            if score != previous:
                current, previous = position, score
            ranks[unit_id].append(current)
    return {u: (*row[:4], tuple(ranks[u])) for u, row in out.items()}


# --- the peers: the same case as others would compute it ------------------------
#
# Both peers start from the values a spreadsheet export gives: floats for
# numbers, whole numbers for counts, true/false for verdicts, empty for not
# applicable.  Turning the assessments into that form is loading, done before
# timing, as for the bare loop.  Neither peer checks ranges or steps: an
# analyst's notebook and a decision graph rarely do.

#: A unit's outcome as a peer publishes it: normalised total (a float rounded
#: to the scheme's decimals), band name, (overall rank, field ranks...).
PeerRow = tuple[float, str, tuple[int, ...]]


def peer_leaves(scheme: Scheme) -> list[dict[str, Any]]:
    """Each leaf as the peers see it: code, ZEN key, field, kind, max, policy, parameters."""
    leaves = []
    for field in scheme.fields:
        for node in field.walk():
            if node.children:
                continue
            rule = node.rule
            kind = rule.kind  # type: ignore[union-attr]
            params: dict[str, Any] = {}
            if kind == "entered":
                params["step"] = rule.step  # type: ignore[union-attr]
            elif kind == "ratio":
                params["threshold"] = rule.threshold  # type: ignore[union-attr]
            elif kind == "tiers":
                params["tiers"] = tuple(sorted(((t.at_least, t.points) for t in rule.tiers), reverse=True))  # type: ignore[union-attr]
            elif kind == "deduction":
                params["per"], params["floor"] = rule.per, rule.floor  # type: ignore[union-attr]
            elif kind == "bonus":
                params["per"] = rule.per_item  # type: ignore[union-attr]
                params["cap"] = node.max if rule.cap is None else rule.cap  # type: ignore[union-attr]
            leaves.append(
                {
                    "code": node.code,
                    "key": "c" + node.code.replace(".", "_"),
                    "field": field.code,
                    "kind": kind,
                    "max": node.max,
                    "policy": None if node.not_applicable is None else node.not_applicable.value,
                    **params,
                }
            )
    return leaves


def export_values(assessments: Assessments, leaves: list[dict[str, Any]]) -> list[tuple[str, tuple[Any, ...]]]:
    """Each unit's appraised values in leaf order, as a spreadsheet export holds them."""
    verdict = PassFail().parse
    units = []
    for a in assessments.items:
        by_code = {o.code: o.appraised for o in a.observations}
        row: list[Any] = []
        for leaf in leaves:
            v = by_code[leaf["code"]]
            if v is NOT_APPLICABLE:
                row.append(None)
            elif leaf["kind"] == "pass_fail":
                row.append(verdict(v))
            else:
                assert isinstance(v, Decimal)
                row.append(int(v) if leaf["kind"] in ("deduction", "bonus") else float(v))
        units.append((a.unit.id, tuple(row)))
    return units


def float_ranks(scores: dict[str, float], dense: bool) -> dict[str, int]:
    """Ranks of float scores, highest first, equal floats sharing a rank."""
    ordered = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
    ranks, previous, current = {}, None, 0
    for position, (key, score) in enumerate(ordered, start=1):
        if score != previous:
            current, previous = (current + 1 if dense else position), score
        ranks[key] = current
    return ranks


# pandas ----------------------------------------------------------------------


def pandas_inputs(scheme: Scheme, leaves: list[dict[str, Any]], values: list[tuple[str, tuple[Any, ...]]]) -> Any:
    """One DataFrame of float inputs (a row per unit, a column per leaf) and the scheme as Series."""
    codes = [leaf["code"] for leaf in leaves]
    frame = pd.DataFrame(
        [row for _, row in values], index=pd.Index([u for u, _ in values], name="unit"), columns=codes, dtype=float
    )

    def series(name: str, kind: str | None = None) -> Any:
        chosen = [leaf for leaf in leaves if kind is None or leaf["kind"] == kind]
        return pd.Series([float(leaf[name] or 0) for leaf in chosen], index=[leaf["code"] for leaf in chosen])

    # Tiers as two arrays, tier by tier (highest first) × tier leaf, padded
    # with unreachable tiers so that leaves with fewer tiers fit.
    tiered = [leaf for leaf in leaves if leaf["kind"] == "tiers"]
    depth = max((len(leaf["tiers"]) for leaf in tiered), default=0)
    padded = [list(leaf["tiers"]) + [(math.inf, 0)] * (depth - len(leaf["tiers"])) for leaf in tiered]
    bands = sorted(scheme.bands, key=lambda b: b.lower)
    tables = {
        "columns": {kind: [leaf["code"] for leaf in leaves if leaf["kind"] == kind] for kind in KINDS},
        "max": series("max"),
        "threshold": series("threshold", "ratio"),
        "tier_at": [np.array([float(t[j][0]) for t in padded]) for j in range(depth)],
        "tier_points": [np.array([float(t[j][1]) for t in padded]) for j in range(depth)],
        "per": pd.concat([series("per", "deduction"), series("per", "bonus")]),
        "floor": series("floor", "deduction"),
        "cap": series("cap", "bonus"),
        "full": [leaf["code"] for leaf in leaves if leaf["policy"] == "full"],
        "drop": [leaf["code"] for leaf in leaves if leaf["policy"] == "drop"],
        "field": pd.Series([leaf["field"] for leaf in leaves], index=codes),
        "field_codes": [f.code for f in scheme.fields],
        "max_total": float(scheme.max_total),
        "scale": float(scheme.scale),
        "leaf_places": scheme.rounding.leaf,
        "places": scheme.rounding.normalised,
        "bins": [float(b.lower) for b in bands] + [math.inf],
        "labels": [b.name for b in bands],
        "rank_method": "dense" if scheme.ranking.method is RankMethod.DENSE else "min",
    }
    return frame, tables


def pandas_evaluate(frame: Any, t: dict[str, Any]) -> Any:
    """Points, totals, bands and ranks with vectorised float operations, as an analyst writes them."""
    cols, mx = t["columns"], t["max"]
    parts = []
    c = cols["entered"]
    parts.append(frame[c])
    c = cols["pass_fail"]
    parts.append(frame[c] * mx[c])
    c = cols["ratio"]
    parts.append((frame[c] * mx[c]).where(frame[c] >= t["threshold"][c], 0.0))
    c = cols["tiers"]
    v = frame[c].to_numpy()
    tiers = np.select([v >= at for at in t["tier_at"]], t["tier_points"], default=np.nan)
    parts.append(pd.DataFrame(tiers, index=frame.index, columns=c))
    c = cols["deduction"]
    parts.append((mx[c] - frame[c] * t["per"][c]).clip(lower=t["floor"], axis=1))
    c = cols["bonus"]
    parts.append((frame[c] * t["per"][c]).clip(upper=t["cap"], axis=1))
    c = cols["survey"]
    parts.append(frame[c] * mx[c] / 100)
    points = pd.concat(parts, axis=1)[frame.columns]
    if t["leaf_places"] is not None:
        points = points.round(t["leaf_places"])
    # Not applicable: full points, or dropped from the unit's maximum.
    na = frame.isna()
    points = points.mask(na, 0.0)
    full, drop = t["full"], t["drop"]
    points[full] = points[full].mask(na[full], mx[full], axis=1)
    max_total = t["max_total"] - (na[drop] * mx[drop]).sum(axis=1)
    field_points = points.T.groupby(t["field"], sort=False).sum().T
    raw_total = field_points.sum(axis=1)
    score = (raw_total * t["scale"] / max_total).round(t["places"])
    out = pd.DataFrame({"score": score})
    out["band"] = pd.cut(score, bins=t["bins"], right=False, labels=t["labels"])
    out["rank"] = score.rank(method=t["rank_method"], ascending=False).astype(int)
    ranks = field_points.rank(method=t["rank_method"], ascending=False).astype(int)
    return out.join(ranks[t["field_codes"]].add_prefix("rank "))


def pandas_rows(out: Any) -> dict[str, PeerRow]:
    """pandas' outcome per unit, for comparing."""
    return {
        unit_id: (score, str(band), tuple(ranks))
        for unit_id, score, band, *ranks in out.itertuples(name=None)
    }


# ZEN (GoRules) -----------------------------------------------------------------


def zen_leaf_expression(leaf: dict[str, Any], leaf_places: int | None) -> str:
    """A leaf's points as a ZEN expression over its input value."""
    v: str = leaf["key"]
    m = format_decimal(leaf["max"])
    kind = leaf["kind"]
    if kind == "entered":
        points = v
    elif kind == "pass_fail":
        points = f"{v} ? {m} : 0"
    elif kind == "ratio":
        points = f"{v} * {m}"
        if leaf["threshold"] is not None:
            points = f"{v} < {format_decimal(leaf['threshold'])} ? 0 : {points}"
    elif kind == "tiers":
        points = "null"  # below the lowest tier
        for at_least, tier_points in reversed(leaf["tiers"]):
            points = f"{v} >= {format_decimal(at_least)} ? {format_decimal(tier_points)} : ({points})"
    elif kind == "deduction":
        points = f"max([{m} - {v} * {format_decimal(leaf['per'])}, {format_decimal(leaf['floor'])}])"
    elif kind == "bonus":
        points = f"min([{v} * {format_decimal(leaf['per'])}, {format_decimal(leaf['cap'])}])"
    elif kind == "survey":
        points = f"{v} * {m} / 100"
    else:
        raise ValueError(kind)
    if leaf_places is not None:
        points = f"round({points}, {leaf_places})"  # ZEN's round is half away from zero
    if leaf["policy"] == "full":
        points = f"{v} == null ? {m} : ({points})"
    elif leaf["policy"] == "drop":
        points = f"{v} == null ? 0 : ({points})"
    return points


#: How ``zen_model`` lays out the rules: all leaves in one expression node, or
#: one expression node per rule kind.  One node is the faster of the two.
ZEN_LAYOUTS = ("one-node", "per-kind")


def zen_model(scheme: Scheme, leaves: list[dict[str, Any]], layout: str = "one-node") -> str:
    """The scheme's rules as a JDM decision graph: input → expression node(s) → output.

    Each leaf is one expression writing ``points.<leaf>``, and each leaf that
    drops when not applicable one more writing ``dropped.<leaf>`` (its max, or
    0).  With ``layout="one-node"`` they all sit in one expression node; with
    ``"per-kind"`` each rule kind has its own node, all fed by the input and
    merged by the output node.
    """

    def node(node_id: str, node_type: str, x: int, y: int, content: dict[str, Any] | None = None) -> dict[str, Any]:
        made: dict[str, Any] = {"id": node_id, "type": node_type, "name": node_id, "position": {"x": x, "y": y}}
        if content is not None:
            made["content"] = content
        return made

    def expressions(kinds: tuple[str, ...]) -> list[dict[str, str]]:
        made = []
        for leaf in leaves:
            if leaf["kind"] not in kinds:
                continue
            made.append(
                {
                    "id": f"{leaf['key']}-points",
                    "key": f"points.{leaf['key']}",
                    "value": zen_leaf_expression(leaf, scheme.rounding.leaf),
                }
            )
            if leaf["policy"] == "drop":
                made.append(
                    {
                        "id": f"{leaf['key']}-dropped",
                        "key": f"dropped.{leaf['key']}",
                        "value": f"{leaf['key']} == null ? {format_decimal(leaf['max'])} : 0",
                    }
                )
        return made

    if layout not in ZEN_LAYOUTS:
        raise ValueError(f"layout must be one of {ZEN_LAYOUTS}, got {layout!r}")
    groups = {"leaves": KINDS} if layout == "one-node" else {kind: (kind,) for kind in KINDS}
    nodes = [node("request", "inputNode", 0, 0)]
    edges = []
    for row, (name, kinds) in enumerate(groups.items()):
        content = {"expressions": expressions(kinds), "passThrough": False}
        nodes.append(node(name, "expressionNode", 300, 100 * row, content))
        edges.append({"id": f"request-{name}", "sourceId": "request", "targetId": name, "type": "edge"})
        edges.append({"id": f"{name}-response", "sourceId": name, "targetId": "response", "type": "edge"})
    nodes.append(node("response", "outputNode", 600, 0))
    return json.dumps({"contentType": "application/vnd.gorules.decision", "nodes": nodes, "edges": edges})


def zen_inputs(
    scheme: Scheme, leaves: list[dict[str, Any]], values: list[tuple[str, tuple[Any, ...]]], layout: str
) -> Any:
    """The compiled decision, each unit's context, and what Python needs to total them."""
    decision = zen.ZenEngine().create_decision(zen_model(scheme, leaves, layout))
    keys = [leaf["key"] for leaf in leaves]
    contexts = [(unit_id, dict(zip(keys, row, strict=True))) for unit_id, row in values]
    tables = {
        "field_keys": [[leaf["key"] for leaf in leaves if leaf["field"] == f.code] for f in scheme.fields],
        "max_total": float(scheme.max_total),
        "scale": float(scheme.scale),
        "places": scheme.rounding.normalised,
        "bands": [(float(b.lower), math.inf if b.upper is None else float(b.upper), b.name) for b in scheme.bands],
        "dense": scheme.ranking.method is RankMethod.DENSE,
    }
    return decision, contexts, tables


def zen_finish(results: list[tuple[str, dict[str, Any]]], t: dict[str, Any]) -> dict[str, PeerRow]:
    """Sum, normalise, band and rank ZEN's leaf points in Python, with floats."""
    scores, fields = {}, {}
    for unit_id, result in results:
        points = result["points"]
        field_points = [sum([points[k] for k in keys]) for keys in t["field_keys"]]
        max_total = t["max_total"] - sum(result.get("dropped", {}).values())
        scores[unit_id] = round(sum(field_points) * t["scale"] / max_total, t["places"])
        fields[unit_id] = field_points
    ranks = [float_ranks(scores, t["dense"])]
    ranks += [float_ranks({u: f[i] for u, f in fields.items()}, t["dense"]) for i in range(len(t["field_keys"]))]
    out = {}
    for unit_id, score in scores.items():
        band = next(name for lower, upper, name in t["bands"] if lower <= score < upper)
        out[unit_id] = (score, band, tuple(r[unit_id] for r in ranks))
    return out


def zen_sync(decision: Any, contexts: list[tuple[str, dict[str, Any]]], t: dict[str, Any]) -> dict[str, PeerRow]:
    """One ``evaluate`` call per unit, one after the other."""
    evaluate = decision.evaluate
    return zen_finish([(unit_id, evaluate(ctx)["result"]) for unit_id, ctx in contexts], t)


def zen_async(decision: Any, contexts: list[tuple[str, dict[str, Any]]], t: dict[str, Any]) -> dict[str, PeerRow]:
    """One ``async_evaluate`` call per unit, all awaited together (the engine may use several threads)."""

    async def run() -> list[Any]:
        return await asyncio.gather(*(decision.async_evaluate(ctx) for _, ctx in contexts))

    responses = asyncio.run(run())
    return zen_finish([(unit_id, r["result"]) for (unit_id, _), r in zip(contexts, responses, strict=True)], t)


# comparing -----------------------------------------------------------------------


def compare(result: Any, rows: dict[str, PeerRow], places: int) -> tuple[int, int, int, int, Decimal]:
    """How many units' published total, band, overall rank and field ranks differ from parscore's.

    A peer's total is compared as it would publish it: its float written
    with the scheme's decimals.  Last comes the largest difference of totals.
    """
    field_codes = [f.code for f in result.scheme.fields]
    totals = bands = ranks = field_ranks = 0
    largest = Decimal(0)
    for u in result.units:
        score, band, peer_ranks = rows[u.unit_id]
        published = Decimal(f"{score:.{places}f}")
        if published != u.normalised_total:
            totals += 1
            largest = max(largest, abs(published - u.normalised_total))
        bands += band != u.band.name
        ranks += peer_ranks[0] != u.rank
        field_ranks += peer_ranks[1:] != tuple(u.field_rank(c) for c in field_codes)
    return totals, bands, ranks, field_ranks, largest


# --- analysis tables ----------------------------------------------------------------
#
# Everything a user asks the library for once a country's result is there:
# each analysis of the public API on that result, and each table it returns
# rendered in every format ``Table.render`` writes.  What an analysis reads
# besides the result (the other year, a published report, a summary report,
# an improvement plan) is built from the result before timing.


def make_plan(result: Result, unit: UnitResult) -> Plan:
    """An improvement plan for ``unit``: every node's maximum as its target, tasks where it lost points."""
    scheme = result.scheme
    items = []
    for node in unit.nodes():
        lost = node.gap > 0
        tasks = f"Khắc phục tiêu chí {node.code}" if lost else None
        items.append(PlanItem(node.code, scheme.node(node.code).max, tasks, "Văn phòng UBND" if lost else None))
    return Plan(unit.unit_id, scheme.year + 1, tuple(items), "Kế hoạch số 1/KH-UBND", scheme.id, scheme.max_total)


def make_published(result: Result) -> Published:
    """The report a province would publish from ``result``, with five mistakes for the audits to find.

    A ranking table (rank, name, score, band), one table per field (each
    unit's rank in the field and points, the field's maximum and average to
    2 decimals), the average and its band, and claims in the text (the
    maximum, the average, a unit's total, raw total, points on two fields
    and deduction on one, a field's average).  The mistakes: two ranks
    swapped, a total mistyped, a band wrong, a unit's field points
    mistyped, a field average wrong.
    """
    scheme = result.scheme
    units = result.units
    averages = dict(result.field_averages())
    rows = [PublishedRow(u.name, u.score, u.rank, u.band.name) for u in units]
    k = next(k for k in range(len(rows) // 3, len(rows) - 1) if rows[k].points != rows[k + 1].points)
    rows[k], rows[k + 1] = attrs.evolve(rows[k], rank=rows[k + 1].rank), attrs.evolve(rows[k + 1], rank=rows[k].rank)
    rows[len(rows) // 2] = attrs.evolve(rows[len(rows) // 2], points=rows[len(rows) // 2].points + 1)
    last = rows[-1]
    wrong_band = scheme.bands[0].name if last.band != scheme.bands[0].name else scheme.bands[-1].name
    rows[-1] = attrs.evolve(last, band=wrong_band)
    position = {n.code: i for i, n in enumerate(scheme.nodes())}
    tables = []
    for f, field in enumerate(scheme.fields):
        i, code = position[field.code], field.code
        ordered = sorted(units, key=lambda u, code=code: (u.field_rank(code), u.unit_id))  # type: ignore[misc]
        field_rows = [PublishedRow(u.name, u.points[i], u.field_rank(code)) for u in ordered]
        average = round_half_up(averages[code], 2)
        if f == 1:
            field_rows[7] = attrs.evolve(field_rows[7], points=field_rows[7].points + D("0.5"))
        if f == 2:
            average += D("0.01")
        tables.append(FieldTable(code, f"Biểu {f + 2}", tuple(field_rows), field.max, average, 2))
    average = round_half_up(result.average_total(), 2)
    one = units[len(units) // 4]
    claims = (
        Claim("max", scheme.max_total, "Báo cáo, mục I"),
        Claim("average_total", average, "Báo cáo, mục II", decimals=2),
        Claim("total", one.score, "Báo cáo, mục III", unit=one.name),
        Claim("raw_total", one.raw_total, "Báo cáo, mục III", unit=one.name),
        Claim("points", one.node("1").points + one.node("2").points, "Báo cáo, mục III", unit=one.name,
              codes=("1", "2")),
        Claim("deduction", one.node("3").gap, "Báo cáo, mục III", unit=one.name, codes=("3",)),
        Claim("average_points", round_half_up(averages["1"], 2), "Báo cáo, mục IV", codes=("1",), decimals=2),
    )
    return Published(scheme.id, "Quyết định số 1/QĐ-UBND", (), "Biểu 1", tuple(rows), average,
                     scheme.band_for(average).name, tuple(tables), claims, 2)


def make_summary(result: Result, before: Result) -> Summary:
    """The summary-only report of ``result`` against ``before`` as last year, with two mistakes.

    Band counts, shares and lists, the average and its change, the best, the
    worst and the spread, the units above the average, the units that rose,
    kept or fell in points and in rank, and each field's average.  The
    mistakes: a band's share and the spread.
    """
    scheme = result.scheme
    units = result.units
    count = len(units)
    average = result.average_total()
    change = round_half_up(average - before.average_total(), 2)
    bands = []
    for k, band in enumerate(scheme.bands):
        members = tuple(u.name for u in units if u.band.name == band.name)
        share = round_half_up(D(len(members)) * 100 / count, 1) + (D("0.1") if k == 1 else 0)
        bands.append(SummaryBand(band.name, "Báo cáo, mục II", len(members), members, share))
    old = {u.unit_id: u for u in before.units}
    moves: dict[str, list[tuple[str, Decimal]]] = {k: [] for k in ("rose", "same", "fell", "up", "kept", "down")}
    for u in units:
        delta, step = u.score - old[u.unit_id].score, old[u.unit_id].rank - u.rank
        moves["rose" if delta > 0 else "fell" if delta < 0 else "same"].append((u.name, delta))
        moves["up" if step > 0 else "down" if step < 0 else "kept"].append((u.name, delta))

    def listed(key: str, points: bool = False) -> tuple[str, SummaryList]:
        members = moves[key]
        total = abs(sum((d for _, d in members), D(0))) if points else None
        return key, SummaryList("Báo cáo, mục III", len(members), tuple(name for name, _ in members), total)

    first, last = units[0], units[-1]
    where = "Báo cáo, mục I"
    return Summary(
        scheme.id, scheme.year, count, "Báo cáo số 1/BC-UBND", scheme.year - 1, (), None,
        SummaryAverage(where, round_half_up(average, 2), scheme.scale, Change.RISE if change >= 0 else Change.FALL,
                       abs(change)),
        SummaryUnit(where, first.name, first.score, scheme.scale),
        SummaryUnit(where, last.name, last.score, scheme.scale),
        SummarySpread(where, first.name, first.score, last.name, last.score, first.score - last.score + D("0.01")),
        SummaryCount(where, sum(1 for u in units if u.score > average)),
        tuple(bands),
        (listed("rose", True), listed("same"), listed("fell", True)),
        (listed("up"), listed("kept"), listed("down")),
        tuple(SummaryField(code, round_half_up(value, 2), scheme.node(code).max, f"Biểu {k + 2}")
              for k, (code, value) in enumerate(result.field_averages())),
    )


#: An analysis as the benchmark times it: a label, and a call giving its tables (none for figures).
Analysis = tuple[str, Callable[[], tuple[Table, ...]]]


def analyses(scheme: Scheme, assessments: Assessments, result: Result, before: Result) -> list[Analysis]:
    """Every analysis of the public API on ``result``, in the order of the printed table.

    ``before``, the self-assessed result of the same assessments, stands in
    for the previous year in ``compare_years`` (same units, same scheme, a
    third of the values different) and is the self-assessment
    ``adjustments`` sets against the appraisal.  A middle unit's gap table
    is made with and without an improvement plan; the published report and
    the summary report are the result's own figures, with a few mistakes.
    """
    unit = result.units[len(result.units) // 2]
    plan = make_plan(result, unit)
    published = make_published(result)
    summary = make_summary(result, before)

    def averages() -> tuple[Table, ...]:
        result.average_total()
        result.field_averages()
        return ()

    def distributed() -> tuple[Table, ...]:
        found = distribution(result)
        return found.fields, found.bands

    def compared() -> tuple[Table, ...]:
        found = compare_years(before, result)
        return found.units, found.fields, found.summary

    def adjusted() -> tuple[Table, ...]:
        found = adjustments(scheme, assessments, appraised=result, self_assessed=before)
        return found.nodes, found.ranking

    def checked() -> tuple[Table, ...]:
        found = compare_published(result, published)
        return (discrepancy_table(found, "discrepancies", ("Published figures that disagree with the recomputation",
                                                           "Số liệu công bố không khớp với kết quả tính lại")),)

    return [
        ("result_table", lambda: (result_table(result),)),
        ("average_total, field_averages", averages),
        ("gap_table", lambda: (gap_table(result, unit.unit_id),)),
        ("gap_table, plan, by gap", lambda: (gap_table(result, unit.unit_id, plan, sort="gap"),)),
        ("distribution", distributed),
        ("compare_years", compared),
        ("adjustments", adjusted),
        ("compare_published", checked),
        ("audit_published", lambda: (audit_published(scheme, published).table(),)),
        ("audit_summary", lambda: (audit_summary(summary, scheme).table(),)),
    ]


#: The formats every table is rendered in.
RENDER_FORMATS = ("text", "md", "csv", "json")


def time_analyses(runs: list[Analysis], repeat: int) -> tuple[list[tuple[str, float, tuple[Table, ...]]], float]:
    """Each analysis's best time of ``repeat``, with its tables, and the sum of those times."""
    timed = []
    for label, run in runs:
        seconds, tables = best_of(repeat, run)
        timed.append((label, seconds, tables))
    return timed, sum(seconds for _, seconds, _ in timed)


#: A table's rendering as the benchmark prints it: a label, rows, the best time and the size in bytes per format.
Rendered = tuple[str, int, tuple[float, ...], tuple[int, ...]]


def time_renders(tables: list[Table], repeat: int) -> list[Rendered]:
    """Each table's best rendering time of ``repeat`` in each of ``RENDER_FORMATS``, with the sizes in bytes.

    A table is labelled by its name, and the second of two of the same name
    (the gap tables) by its name and "(2)".
    """
    timed = []
    seen: dict[str, int] = {}
    for table in tables:
        seen[table.name] = seen.get(table.name, 0) + 1
        label = table.name if seen[table.name] == 1 else f"{table.name} ({seen[table.name]})"
        seconds, sizes = [], []
        for fmt in RENDER_FORMATS:
            best, text = best_of(repeat, lambda table=table, fmt=fmt: table.render(fmt))  # type: ignore[misc]
            seconds.append(best)
            sizes.append(len(text.encode("utf-8")))
        timed.append((label, len(table.rows), tuple(seconds), tuple(sizes)))
    return timed


def print_analyses(timed: list[tuple[str, float, tuple[Table, ...]]], total: float, repeat: int) -> None:
    print(f"{'analysis, best of ' + str(repeat):<32}{'time':>9}   tables (rows)")
    for label, seconds, tables in timed:
        made = ", ".join(f"{t.name} ({len(t.rows):,})" for t in tables) or "figures, no table"
        print(f"{label:<32}{seconds:>7.3f} s   {made}")
    print(f"{'total':<32}{total:>7.3f} s")


def print_renders(timed: list[Rendered], repeat: int) -> None:
    print(f"{'render, best of ' + str(repeat):<24}{'rows':>10}" + "".join(f"{f:>10}" for f in RENDER_FORMATS)
          + f"{'csv size':>11}")
    totals = [0.0] * len(RENDER_FORMATS)
    for label, rows, seconds, sizes in timed:
        totals = [a + b for a, b in zip(totals, seconds, strict=True)]
        print(f"{label:<24}{rows:>10,}" + "".join(f"{s:>8.3f} s" for s in seconds)
              + f"{sizes[RENDER_FORMATS.index('csv')] / 2**20:>8.1f} MB")
    print(f"{'total':<24}{'':>10}" + "".join(f"{s:>8.3f} s" for s in totals))


# --- measuring --------------------------------------------------------------


def best_of(repeat: int, func: Callable[[], Any]) -> tuple[float, Any]:
    """The fastest of ``repeat`` calls, in seconds, and the last call's result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start = time.perf_counter()
        result = func()
        best = min(best, time.perf_counter() - start)
    return best, result


def cpu_best_of(repeat: int, func: Callable[[], Any]) -> tuple[float, float, Any]:
    """Like ``best_of``, with the CPU time of the fastest call (all threads of the process)."""
    best, cpu = float("inf"), 0.0
    result = None
    for _ in range(repeat):
        result = None
        gc.collect()
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        elapsed, used = time.perf_counter() - start, time.process_time() - start_cpu
        if elapsed < best:
            best, cpu = elapsed, used
    return best, cpu, result


def peak_memory(func: Callable[[], Any]) -> int:
    """The most memory ``func`` had allocated at once, in bytes (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        result = func()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del result
    return peak


def version(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_600, help="units to evaluate (default 10600)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best kept (default 3)")
    parser.add_argument("--seed", type=int, default=2022, help="seed of the generated case")
    parser.add_argument(
        "--zen-layout",
        choices=ZEN_LAYOUTS,
        default="one-node",
        help="ZEN decision graph: every leaf in one expression node (default, the faster)"
        " or one expression node per rule kind",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="skip pandas and ZEN (and the aim against ZEN): parscore, the bare loop and the analysis tables only",
    )
    args = parser.parse_args(argv)

    scheme = make_scheme()
    n_leaves = sum(1 for _ in scheme.leaves())
    start = time.perf_counter()
    assessments = make_assessments(scheme, args.units, args.seed)
    built = time.perf_counter() - start
    plain, units = bare_inputs(scheme, assessments)
    leaves = peer_leaves(scheme)
    values = export_values(assessments, leaves)
    places = scheme.rounding.normalised
    assert places is not None

    peers = [f"parscore {parscore.__version__}", f"Python {sys.version.split()[0]}"]
    if pd is not None:
        peers += [f"pandas {pd.__version__}", f"numpy {np.__version__}"]
    if zen is not None:
        peers.append(f"zen-engine {version('zen-engine')}")
    print(", ".join(peers))
    print(f"units:              {len(assessments):>10,}")
    print(f"leaves:             {n_leaves:>10,}  ({sum(1 for _ in scheme.nodes())} nodes)")
    print(f"building input:     {built:>10.3f} s  (not timed below)")

    t_eval, result = best_of(args.repeat, lambda: parscore.evaluate(scheme, assessments))
    t_bare, bare = best_of(args.repeat, lambda: bare_loop(plain, units))

    # The bare loop must agree with parscore on everything, to the last digit.
    field_codes = [f.code for f in scheme.fields]
    mismatches = 0
    for u in result.units:
        raw_total, max_total, score, band, ranks = bare[u.unit_id]
        field_ranks = tuple(u.field_rank(c) for c in field_codes)
        if (u.raw_total, u.max_total, u.normalised_total, u.band.name, (u.rank, *field_ranks)) != (
            raw_total, max_total, score, band, ranks,
        ):
            mismatches += 1
    mismatches += abs(len(bare) - len(result.units))

    # The peers, each from its own form of the same input, built untimed.
    bare_rows = {unit_id: (float(row[2]), row[3], row[4]) for unit_id, row in bare.items()}
    lines: list[tuple[str, float, float | None, Any]] = [
        ("parscore evaluate", t_eval, None, None),
        ("bare Decimal loop", t_bare, None, compare(result, bare_rows, places)),
    ]
    missing = []
    t_zen = t_zen_async = None
    if args.no_peers:
        pass
    elif pd is None:
        missing.append("pandas")
    else:
        frame, tables = pandas_inputs(scheme, leaves, values)
        t_pandas, out = best_of(args.repeat, lambda: pandas_evaluate(frame, tables))
        lines.append(("pandas, floats", t_pandas, None, compare(result, pandas_rows(out), places)))
        del frame, out
    if args.no_peers:
        pass
    elif zen is None:
        missing.append("ZEN")
    else:
        decision, contexts, tables = zen_inputs(scheme, leaves, values, args.zen_layout)
        t_sync, rows = best_of(args.repeat, lambda: zen_sync(decision, contexts, tables))
        lines.append(("ZEN, sync", t_sync, None, compare(result, rows, places)))
        t_async, cpu, rows = cpu_best_of(args.repeat, lambda: zen_async(decision, contexts, tables))
        lines.append(("ZEN, async", t_async, cpu, compare(result, rows, places)))
        t_zen, t_zen_async = t_sync, t_async
        del contexts, rows

    print()
    print(
        f"{'best of ' + str(args.repeat):<18}{'time':>9}{'× parscore':>12}"
        f"{'totals ≠':>10}{'largest Δ':>11}{'bands ≠':>9}{'rank ≠':>8}{'field ranks ≠':>15}"
    )
    for name, seconds, cpu_time, compared in lines:
        text = f"{name:<18}{seconds:>7.3f} s  {seconds / t_eval:>9.2f}×"
        if compared is not None:
            totals, bands, ranks, field_ranks, largest = compared
            text += f"  {totals:>8,}  {format_decimal(largest):>9}  {bands:>7,}  {ranks:>6,}  {field_ranks:>13,}"
        if cpu_time is not None:
            text += f"  (CPU {cpu_time:.3f} s, all threads)"
        print(text)
    for name in missing:
        print(f"{name}: not installed — {INSTALL_HINT}")
    if args.no_peers:
        print("(pandas and ZEN skipped: --no-peers)")
    elif zen is not None:
        print(f"(ZEN: decision graph laid out {args.zen_layout}, one evaluation per unit; --zen-layout for the other)")
    print(
        f"(≠: units whose normalised total as published, to {places} decimals, band, rank, or rank in any"
        " field differs from parscore's exact half-up result; Δ: the largest difference of totals)"
    )
    print()
    print(f"ratio:              {t_eval / t_bare:>10.2f} ×  (parscore over the bare loop)")
    print(f"per unit:           {t_eval / len(assessments) * 1e6:>10.1f} µs  (parscore)")
    print(f"mismatches:         {mismatches:>10}  (bare loop vs parscore: raw or max total, score, band, ranks)")

    del result
    peak = peak_memory(lambda: parscore.evaluate(scheme, assessments))
    print(f"peak memory:        {peak / 2**20:>10.1f} MB  (tracemalloc, evaluate only)")

    # What evaluate leaves for first use, timed once on a fresh result: every
    # unit's row of node points and leaf inputs (kept by column until asked
    # for), and the input hash (worked out when the provenance is first read).
    result = parscore.evaluate(scheme, assessments)
    gc.collect()
    start = time.perf_counter()
    for unit in result.units[:1]:
        unit.points, unit.inputs  # noqa: B018 - the first use makes every unit's rows
    t_rows = time.perf_counter() - start
    start = time.perf_counter()
    result.provenance  # noqa: B018 - the first read hashes the input
    t_hash = time.perf_counter() - start
    print(f"unit rows, 1st use: {t_rows:>10.3f} s  (every unit's node points and leaf inputs, made once)")
    print(f"input hash, 1st read:{t_hash:>9.3f} s  (the provenance, worked out once)")
    print(f"evaluate and both:  {t_eval + t_rows + t_hash:>10.3f} s")
    one = result.units[len(result.units) // 2]
    t_explain, nodes = best_of(args.repeat, one.nodes)
    t_averages, _ = best_of(args.repeat, result.field_averages)
    print(f"explain one unit:   {t_explain * 1e3:>10.3f} ms  ({len(nodes)} nodes)")
    print(f"field_averages():   {t_averages * 1e3:>10.3f} ms")

    # The analysis tables of this result; the self-assessed result, the other
    # year and the self-assessment at once, is evaluated before timing.
    before = parscore.evaluate(scheme, assessments, basis="self_assessed")
    timed, t_tables = time_analyses(analyses(scheme, assessments, result, before), args.repeat)
    del before
    t_adjust_all, _ = best_of(1, lambda: adjustments(scheme, assessments))
    print()
    print_analyses(timed, t_tables, args.repeat)
    print(f"(adjustments(scheme, assessments), evaluating both bases itself: {t_adjust_all:.3f} s, once;"
          " not in the total)")
    print()
    print_renders(time_renders([t for _, _, tables in timed for t in tables], args.repeat), args.repeat)

    print()
    ratio = t_eval / t_bare
    print(f"aim: parscore within 3× the bare loop:     {ratio:.2f}×, {'met' if ratio <= 3 else 'NOT met'}")
    print(f"aim: all analysis tables under 2 s:        {t_tables:.2f} s, {'met' if t_tables < 2 else 'NOT met'}")
    if args.no_peers:
        print("aim: parscore at least 4× faster than ZEN: not measured (--no-peers)")
    elif t_zen is None or t_zen_async is None:
        print(f"aim: parscore at least 4× faster than ZEN: not measured (ZEN not installed — {INSTALL_HINT})")
    else:
        for how, seconds in (("sync", t_zen), ("async", t_zen_async)):
            speedup = seconds / t_eval
            print(
                f"aim: parscore at least 4× faster than ZEN ({how}): {speedup:.2f}×,"
                f" {'met' if speedup >= 4 else 'NOT met'}"
            )
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
