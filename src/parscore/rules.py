"""Leaf scoring rules: how a leaf's points follow from what was observed.

Each rule is a small frozen class with a ``kind`` (its name in TOML), the kind
of input it takes from an assessment, a check of its own parameters against
the leaf's maximum, and two pure functions: ``points`` (fast, used by the
evaluator) and ``explain`` (the same computation in words, made on demand).

>>> rule = Deduction(per=Decimal("0.25"))
>>> rule.points(Decimal(2), Decimal(2))
Decimal('1.50')
>>> rule.explain(Decimal(2), Decimal(2))
'deduction 2 × 0.25 from 2 → 1.50'
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from decimal import Decimal
from typing import ClassVar, Protocol, runtime_checkable

import attrs

from .numbers import format_decimal as _fmt
from .numbers import parse_decimal

__all__ = [
    "BUILTIN_RULES",
    "Bonus",
    "Deduction",
    "Entered",
    "PassFail",
    "Ratio",
    "Rule",
    "Survey",
    "Tier",
    "Tiers",
]

_ZERO = Decimal(0)
_HUNDRED = Decimal(100)


@runtime_checkable
class Rule(Protocol):
    """What every leaf rule provides; third-party rules implement the same."""

    kind: ClassVar[str]
    #: What an assessment gives for a leaf with this rule, in words.
    takes: ClassVar[str]

    def parse(self, raw: object) -> Decimal | bool:
        """Turn a raw assessment value into this rule's input, or raise ``ValueError``."""
        ...

    def problems(self, max_points: Decimal) -> list[str]:
        """What is wrong with this rule's parameters on a leaf of ``max_points``."""
        ...

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        """The leaf's points for ``value``; raises ``ValueError`` on bad input."""
        ...

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        """How ``points`` reached its result, in one line."""
        ...


def _number(raw: object) -> Decimal:
    if isinstance(raw, bool):
        raise ValueError(f"expected a number, got the boolean {raw!r}")
    return parse_decimal(raw)


def _count(raw: object, what: str) -> Decimal:
    value = _number(raw)
    if value != value.to_integral_value() or value < 0:
        raise ValueError(f"expected a whole number of {what} (0 or more), got {_fmt(value)}")
    return value.quantize(Decimal(1))


@attrs.frozen
class Entered:
    """Points entered by the appraiser within [0, max], optionally in steps.

    A ``step`` such as 0.25 makes 1.3 an error instead of a silent rounding.
    """

    step: Decimal | None = None
    kind: ClassVar[str] = "entered"
    takes: ClassVar[str] = "points"

    def parse(self, raw: object) -> Decimal:
        return _number(raw)

    def problems(self, max_points: Decimal) -> list[str]:
        if self.step is not None and self.step <= 0:
            return [f"step must be above 0, got {_fmt(self.step)}"]
        return []

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        assert isinstance(value, Decimal)
        if value < 0 or value > max_points:
            raise ValueError(
                f"points must be between 0 and the maximum {_fmt(max_points)}, got {_fmt(value)}"
            )
        if self.step is not None and value % self.step != 0:
            raise ValueError(f"points must be a multiple of {_fmt(self.step)}, got {_fmt(value)}")
        return value

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        return f"entered {_fmt(self.points(value, max_points))} of {_fmt(max_points)}"


@attrs.frozen
class PassFail:
    """Đạt / không đạt: the full maximum or nothing."""

    kind: ClassVar[str] = "pass_fail"
    takes: ClassVar[str] = "true (passed) or false"

    def parse(self, raw: object) -> bool:
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str):
            word = raw.strip().casefold()
            if word in {"true", "đạt", "yes", "pass"}:
                return True
            if word in {"false", "không đạt", "no", "fail"}:
                return False
        raise ValueError(f"expected true or false (đạt / không đạt), got {raw!r}")

    def problems(self, max_points: Decimal) -> list[str]:
        return []

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        if not isinstance(value, bool):
            raise ValueError(f"expected true or false, got {value!r}")
        return max_points if value else _ZERO

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        verdict = "passed" if value else "not passed"
        return f"{verdict} → {_fmt(self.points(value, max_points))}"


@attrs.frozen
class Ratio:
    """A share in [0, 1] times the maximum; below ``threshold`` it earns 0."""

    threshold: Decimal | None = None
    kind: ClassVar[str] = "ratio"
    takes: ClassVar[str] = "a ratio between 0 and 1"

    def parse(self, raw: object) -> Decimal:
        return _number(raw)

    def problems(self, max_points: Decimal) -> list[str]:
        if self.threshold is not None and not 0 <= self.threshold <= 1:
            return [f"threshold must be between 0 and 1, got {_fmt(self.threshold)}"]
        return []

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        assert isinstance(value, Decimal)
        if value < 0 or value > 1:
            raise ValueError(f"ratio must be between 0 and 1, got {_fmt(value)}")
        if self.threshold is not None and value < self.threshold:
            return _ZERO
        return value * max_points

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        result = self.points(value, max_points)
        assert isinstance(value, Decimal)
        if self.threshold is not None and value < self.threshold:
            return f"ratio {_fmt(value)} below threshold {_fmt(self.threshold)} → 0"
        return f"ratio {_fmt(value)} × {_fmt(max_points)} → {_fmt(result)}"


@attrs.frozen
class Tier:
    """One step of a ``Tiers`` rule: ``points`` for a value of at least ``at_least``."""

    at_least: Decimal
    points: Decimal


@attrs.frozen
class Tiers:
    """Points by the highest tier a value reaches (e.g. disbursement ≥ 85 %)."""

    tiers: tuple[Tier, ...]
    kind: ClassVar[str] = "tiers"
    takes: ClassVar[str] = "a value compared with the tiers"

    def parse(self, raw: object) -> Decimal:
        return _number(raw)

    def problems(self, max_points: Decimal) -> list[str]:
        found = []
        if not self.tiers:
            found.append("tiers must list at least one tier")
        seen = set()
        for tier in self.tiers:
            if tier.at_least in seen:
                found.append(f"two tiers start at {_fmt(tier.at_least)}")
            seen.add(tier.at_least)
            if not _ZERO <= tier.points <= max_points:
                found.append(
                    f"tier at {_fmt(tier.at_least)} gives {_fmt(tier.points)},"
                    f" outside 0 to the maximum {_fmt(max_points)}"
                )
        ordered = sorted(self.tiers, key=lambda t: t.at_least)
        for low, high in itertools.pairwise(ordered):
            if low.points > high.points and low.at_least != high.at_least:
                found.append(
                    f"tier at {_fmt(low.at_least)} gives more ({_fmt(low.points)}) than"
                    f" the higher tier at {_fmt(high.at_least)} ({_fmt(high.points)})"
                )
        return found

    def _tier(self, value: Decimal | bool) -> Tier:
        assert isinstance(value, Decimal)
        reached = [t for t in self.tiers if value >= t.at_least]
        if not reached:
            lowest = min(t.at_least for t in self.tiers)
            raise ValueError(f"value {_fmt(value)} is below the lowest tier ({_fmt(lowest)})")
        return max(reached, key=lambda t: t.at_least)

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        return self._tier(value).points

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        tier = self._tier(value)
        assert isinstance(value, Decimal)
        return f"value {_fmt(value)} reaches tier ≥ {_fmt(tier.at_least)} → {_fmt(tier.points)}"


@attrs.frozen
class Deduction:
    """The maximum less ``per`` for each occurrence, never below ``floor``."""

    per: Decimal
    floor: Decimal = _ZERO
    kind: ClassVar[str] = "deduction"
    takes: ClassVar[str] = "a whole number of occurrences"

    def parse(self, raw: object) -> Decimal:
        return _count(raw, "occurrences")

    def problems(self, max_points: Decimal) -> list[str]:
        found = []
        if self.per <= 0:
            found.append(f"per must be above 0, got {_fmt(self.per)}")
        if not _ZERO <= self.floor <= max_points:
            found.append(
                f"floor must be between 0 and the maximum {_fmt(max_points)}, got {_fmt(self.floor)}"
            )
        return found

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        assert isinstance(value, Decimal)
        if value < 0 or value != value.to_integral_value():
            raise ValueError(f"occurrences must be a whole number, 0 or more, got {_fmt(value)}")
        return max(max_points - value * self.per, self.floor)

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        result = self.points(value, max_points)
        assert isinstance(value, Decimal)
        text = f"deduction {_fmt(value)} × {_fmt(self.per)} from {_fmt(max_points)}"
        if result == self.floor and max_points - value * self.per < self.floor:
            return f"{text} stops at the floor → {_fmt(result)}"
        return f"{text} → {_fmt(result)}"


@attrs.frozen
class Bonus:
    """``per_item`` points for each recognised item, capped at ``cap`` or the maximum."""

    per_item: Decimal
    cap: Decimal | None = None
    kind: ClassVar[str] = "bonus"
    takes: ClassVar[str] = "a whole number of items"

    def parse(self, raw: object) -> Decimal:
        return _count(raw, "items")

    def problems(self, max_points: Decimal) -> list[str]:
        found = []
        if self.per_item <= 0:
            found.append(f"per_item must be above 0, got {_fmt(self.per_item)}")
        if self.cap is not None and not _ZERO < self.cap <= max_points:
            found.append(
                f"cap must be above 0 and at most the maximum {_fmt(max_points)}, got {_fmt(self.cap)}"
            )
        return found

    def _cap(self, max_points: Decimal) -> Decimal:
        return max_points if self.cap is None else self.cap

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        assert isinstance(value, Decimal)
        if value < 0 or value != value.to_integral_value():
            raise ValueError(f"items must be a whole number, 0 or more, got {_fmt(value)}")
        return min(value * self.per_item, self._cap(max_points))

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        assert isinstance(value, Decimal)
        raw = value * self.per_item
        cap = self._cap(max_points)
        text = f"bonus {_fmt(value)} × {_fmt(self.per_item)}"
        if raw > cap:
            return f"{text} = {_fmt(raw)}, capped at {_fmt(cap)} → {_fmt(cap)}"
        return f"{text} → {_fmt(raw)}"


@attrs.frozen
class Survey:
    """A survey index in percent (0–100) scaled to the maximum."""

    kind: ClassVar[str] = "survey"
    takes: ClassVar[str] = "an index in percent, 0 to 100"

    def parse(self, raw: object) -> Decimal:
        return _number(raw)

    def problems(self, max_points: Decimal) -> list[str]:
        return []

    def points(self, value: Decimal | bool, max_points: Decimal) -> Decimal:
        assert isinstance(value, Decimal)
        if value < 0 or value > _HUNDRED:
            raise ValueError(f"survey index must be between 0 and 100, got {_fmt(value)}")
        return (value * max_points).scaleb(-2)

    def explain(self, value: Decimal | bool, max_points: Decimal) -> str:
        assert isinstance(value, Decimal)
        result = self.points(value, max_points)
        return f"survey index {_fmt(value)} % of {_fmt(max_points)} → {_fmt(result)}"


#: The rules every scheme may use, by their TOML ``kind``.
BUILTIN_RULES: Mapping[str, type[Rule]] = {
    cls.kind: cls for cls in (Entered, PassFail, Ratio, Tiers, Deduction, Bonus, Survey)
}
