"""Benchmark: evaluating a national-scale case, against a bare-Decimal floor.

Run from the repository root (with parscore installed)::

    python benchmarks/bench_evaluate.py [--units 10600] [--repeat 3] [--seed 2022]

It builds, deterministically from ``--seed``, a scheme of 8 fields and 80
leaves that uses every built-in rule (entered with a step, pass/fail, ratio
with a threshold, tiers, deduction with a floor, bonus with a cap, survey),
with not-applicable leaves under both policies (full and drop), leaf and
normalised rounding, and assessments for ``--units`` units.  Everything is
built through the public API before any timing starts ("load-free").

It then times, best of ``--repeat`` runs each:

* ``parscore.evaluate(scheme, assessments)``: points, totals, bands, ranks;
* a bare loop doing the same arithmetic on plain tuples with ``Decimal`` and
  no objects: the floor for pure Python;

checks that both give the same totals, bands and ranks for every unit, and
measures, in a separate untimed run, the peak memory ``evaluate`` allocates
(``tracemalloc``).  Last it times making every node's explanation for one
unit and ``Result.field_averages()``.

This is a benchmark, not a test: it prints figures and exits with status 1
only when the bare loop and parscore disagree.
"""

from __future__ import annotations

import argparse
import decimal
import gc
import random
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

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
    Ratio,
    Rounding,
    Scheme,
    Survey,
    Tier,
    Tiers,
    Unit,
)

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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=10_600, help="units to evaluate (default 10600)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs, best kept (default 3)")
    parser.add_argument("--seed", type=int, default=2022, help="seed of the generated case")
    args = parser.parse_args(argv)

    scheme = make_scheme()
    n_leaves = sum(1 for _ in scheme.leaves())
    start = time.perf_counter()
    assessments = make_assessments(scheme, args.units, args.seed)
    built = time.perf_counter() - start
    plain, units = bare_inputs(scheme, assessments)

    print(f"parscore {parscore.__version__}, Python {sys.version.split()[0]}")
    print(f"units:              {len(assessments):>10,}")
    print(f"leaves:             {n_leaves:>10,}  ({sum(1 for _ in scheme.nodes())} nodes)")
    print(f"building input:     {built:>10.3f} s  (not timed below)")

    t_eval, result = best_of(args.repeat, lambda: parscore.evaluate(scheme, assessments))
    t_bare, bare = best_of(args.repeat, lambda: bare_loop(plain, units))

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

    print(f"parscore evaluate:  {t_eval:>10.3f} s  (best of {args.repeat})")
    print(f"bare Decimal loop:  {t_bare:>10.3f} s  (best of {args.repeat})")
    print(f"ratio:              {t_eval / t_bare:>10.2f} ×")
    print(f"per unit:           {t_eval / len(assessments) * 1e6:>10.1f} µs")
    print(f"mismatches:         {mismatches:>10}  (units whose totals, band or ranks differ)")

    del result
    peak = peak_memory(lambda: parscore.evaluate(scheme, assessments))
    print(f"peak memory:        {peak / 2**20:>10.1f} MB  (tracemalloc, evaluate only)")

    result = parscore.evaluate(scheme, assessments)
    one = result.units[len(result.units) // 2]
    t_explain, nodes = best_of(args.repeat, one.nodes)
    t_averages, _ = best_of(args.repeat, result.field_averages)
    print(f"explain one unit:   {t_explain * 1e3:>10.3f} ms  ({len(nodes)} nodes)")
    print(f"field_averages():   {t_averages * 1e3:>10.3f} ms")
    return 1 if mismatches else 0


if __name__ == "__main__":
    sys.exit(main())
