"""Checks a leaf rule must pass, built-in or shipped by a plug-in.

The evaluator relies on every rule keeping its points within the leaf's
range, returning exact ``Decimal`` points, and explaining the same result it
computes.  ``rule_violations`` states those guarantees as code, so a plug-in
author can run them (with hypothesis, over generated inputs) exactly as
parscore runs them on its own rules.

>>> from decimal import Decimal
>>> from parscore.rules import Deduction
>>> rule_violations(Deduction(per=Decimal("0.25")), Decimal(2), 3)
[]
"""

from __future__ import annotations

from decimal import Decimal

from .rules import Rule

__all__ = ["rule_violations"]


def rule_violations(rule: Rule, max_points: Decimal, raw: object) -> list[str]:
    """What ``rule`` does wrong for input ``raw`` on a leaf of ``max_points``.

    An input the rule refuses with ``ValueError`` is fine (bad input is
    reported to the user); anything else it raises, points outside
    ``[0, max_points]``, non-``Decimal`` points, an explanation that is empty
    or differs between calls, or different points for the same input, are
    violations.
    """
    found: list[str] = []
    if not isinstance(getattr(rule, "kind", None), str):
        found.append("the rule has no text 'kind'")
    try:
        parameter_problems = rule.problems(max_points)
    except Exception as exc:  # noqa: BLE001 - any failure is a violation to report
        return [f"problems() raised {type(exc).__name__}: {exc}"]
    if not isinstance(parameter_problems, list) or not all(isinstance(p, str) for p in parameter_problems):
        found.append("problems() must return a list of messages")
    if parameter_problems:
        return found  # an invalid rule never reaches the evaluator
    try:
        value = rule.parse(raw)
        points = rule.points(value, max_points)
    except ValueError:
        return found
    except Exception as exc:  # noqa: BLE001 - any failure is a violation to report
        return [*found, f"raised {type(exc).__name__} instead of ValueError: {exc}"]
    if isinstance(points, bool) or not isinstance(points, Decimal):
        return [*found, f"points must be a Decimal, got {type(points).__name__} {points!r}"]
    if not points.is_finite():
        found.append(f"points must be finite, got {points}")
    elif not Decimal(0) <= points <= max_points:
        found.append(f"points {points} outside [0, {max_points}] for input {raw!r}")
    if rule.points(rule.parse(raw), max_points) != points:
        found.append(f"points differ between two calls with the same input {raw!r}")
    try:
        text = rule.explain(value, max_points)
    except Exception as exc:  # noqa: BLE001 - any failure is a violation to report
        return [*found, f"explain() raised {type(exc).__name__}: {exc}"]
    if not isinstance(text, str) or not text.strip():
        found.append("explain() must return a non-empty text")
    elif rule.explain(value, max_points) != text:
        found.append("explain() differs between two calls with the same input")
    return found
