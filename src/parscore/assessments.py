"""Assessments: what each unit reported and what the appraisers confirmed.

An ``Assessment`` holds one unit's ``Observation`` per leaf: the
self-assessed value (tự chấm), the appraised value (điểm thẩm định, the
official one) and an evidence note.  Values are raw as the unit gave them;
the leaf's rule reads them (points, true/false, a ratio, a count...), and
``NOT_APPLICABLE`` marks a leaf that did not arise (không phát sinh).

The TOML format::

    scheme = "vn.dak-nong.krong-no.commune.2022"

    [[units]]
    id = "nam-nung"
    name = "UBND xã Nâm Nung"
    appraised = { "1" = "17,5", "2" = 10 }
    self_assessed = { "1" = 17.5 }
    evidence = { "1" = "Kế hoạch CCHC số 12/KH-UBND" }
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Mapping
from decimal import Decimal
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs

from . import _toml
from .errors import AssessmentError, Problem
from .numbers import format_decimal, parse_decimal

__all__ = [
    "NOT_APPLICABLE",
    "Assessment",
    "Assessments",
    "NotApplicable",
    "Observation",
    "Unit",
    "dumps_assessments",
    "load_assessments",
    "loads_assessments",
]


class NotApplicable(enum.Enum):
    """The marker for a leaf that did not arise for a unit (không phát sinh)."""

    NOT_APPLICABLE = "n/a"

    def __repr__(self) -> str:
        return "NOT_APPLICABLE"


NOT_APPLICABLE = NotApplicable.NOT_APPLICABLE

#: A raw observed value: points or a number as given, a boolean, or n/a.
Value = Decimal | int | str | bool | NotApplicable


def _value(raw: object) -> Decimal | bool | str | NotApplicable:
    if isinstance(raw, NotApplicable) or isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and nfc_name(raw).casefold() in {"n/a", "na", "không phát sinh", "kps"}:
        return NOT_APPLICABLE
    if isinstance(raw, str):
        try:
            return parse_decimal(raw)
        except ValueError:
            return unicodedata.normalize("NFC", raw.strip())
    return parse_decimal(raw)


def _optional_value(raw: object) -> Decimal | bool | str | NotApplicable | None:
    return None if raw is None else _value(raw)


def _optional_text(text: str | None) -> str | None:
    return None if text is None else unicodedata.normalize("NFC", text)


def nfc_name(text: str) -> str:
    """A name or id as parscore compares it: Unicode NFC, without surrounding spaces."""
    return unicodedata.normalize("NFC", text).strip()



@attrs.frozen
class Unit:
    """An assessed body: a stable ``id`` and its display ``name`` (Unicode NFC)."""

    id: str = attrs.field(converter=nfc_name)
    name: str = attrs.field(converter=nfc_name)

    @id.validator
    def _check_id(self, _: object, value: str) -> None:
        if not value:
            raise ValueError("a unit id must not be empty")

    @name.validator
    def _check_name(self, _: object, value: str) -> None:
        if not value:
            raise ValueError(f"unit {self.id!r} needs a name")


@attrs.frozen
class Observation:
    """What was observed for one leaf of one unit.

    Numbers are parsed exactly on construction ("4,5" → ``Decimal('4.5')``);
    floats are refused.  Words the rule understands ("đạt") stay text.
    """

    code: str
    appraised: Decimal | bool | str | NotApplicable | None = attrs.field(
        default=None, converter=_optional_value
    )
    self_assessed: Decimal | bool | str | NotApplicable | None = attrs.field(
        default=None, converter=_optional_value
    )
    evidence: str | None = attrs.field(default=None, converter=_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.appraised is None and self.self_assessed is None and self.evidence is None:
            raise ValueError(
                f"observation {self.code!r} has no appraised value, no self-assessed value and no evidence"
            )


def _by_code(observations: Iterable[Observation]) -> tuple[Observation, ...]:
    return tuple(sorted(observations, key=lambda o: o.code))


@attrs.frozen
class Assessment:
    """One unit's observations, kept sorted by code so order never matters."""

    unit: Unit
    observations: tuple[Observation, ...] = attrs.field(converter=_by_code)
    #: The observations' codes, in order (made once: evaluation compares them with the scheme's).
    codes: tuple[str, ...] = attrs.field(init=False, eq=False, repr=False)

    @observations.validator
    def _check_unique(self, _: object, value: tuple[Observation, ...]) -> None:
        codes = tuple(o.code for o in value)
        # Sorted by code, so equal codes are neighbours.
        duplicates = sorted({c for c, after in pairwise(codes) if c == after})
        if duplicates:
            raise ValueError(f"unit {self.unit.id!r} has more than one observation for {duplicates}")

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "codes", tuple(o.code for o in self.observations))

    @classmethod
    def of(
        cls,
        unit_id: str,
        name: str,
        appraised: Mapping[str, object] | None = None,
        self_assessed: Mapping[str, object] | None = None,
        evidence: Mapping[str, str] | None = None,
    ) -> Assessment:
        """Build from mappings of code → value, the way a spreadsheet row reads.

        >>> a = Assessment.of("x", "UBND xã X", appraised={"1": "4,5"})
        >>> a.observations[0].appraised
        Decimal('4.5')
        """
        appraised = appraised or {}
        self_assessed = self_assessed or {}
        evidence = evidence or {}
        codes = sorted(set(appraised) | set(self_assessed) | set(evidence))
        return cls(
            Unit(unit_id, name),
            tuple(
                Observation(c, appraised.get(c), self_assessed.get(c), evidence.get(c))
                for c in codes
            ),
        )


def _by_unit(assessments: Iterable[Assessment]) -> tuple[Assessment, ...]:
    return tuple(sorted(assessments, key=lambda a: a.unit.id))


@attrs.frozen
class Assessments:
    """A set of units' assessments against one scheme, in unit-id order."""

    scheme_id: str | None
    items: tuple[Assessment, ...] = attrs.field(converter=_by_unit)

    @items.validator
    def _check_unique(self, _: object, value: tuple[Assessment, ...]) -> None:
        ids = [a.unit.id for a in value]
        # Sorted by unit id, so equal ids are neighbours.
        duplicates = sorted({i for i, after in pairwise(ids) if i == after})
        if duplicates:
            raise ValueError(f"more than one assessment for unit(s) {duplicates}")

    def __iter__(self) -> Any:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


# --- TOML ----------------------------------------------------------------

_UNIT_KEYS = {"id", "name", "appraised", "self_assessed", "evidence"}


def loads_assessments(text: str, *, file: str | None = None) -> Assessments:
    """Read assessments from TOML text, reporting every problem at once."""
    data, found = _toml.parse(text, file)
    if data is None:
        raise AssessmentError(found, source=file)
    for extra in sorted(set(data) - {"scheme", "units"}):
        found.append(Problem(f"unknown key {extra!r}", key=extra))
    scheme_id = data.get("scheme")
    if scheme_id is not None and not isinstance(scheme_id, str):
        found.append(Problem(f"scheme must be a scheme id (text), got {_shown(scheme_id)}", key="scheme"))
        scheme_id = None
    items = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(_toml.array_of_tables(data.get("units", []), "units", found)):
        key = f"units[{i}]"
        for extra in sorted(set(raw) - _UNIT_KEYS):
            found.append(Problem(f"unknown key {extra!r}", key=f"{key}.{extra}"))
        unit_id, name = raw.get("id"), raw.get("name")
        for field, value in (("id", unit_id), ("name", name)):
            if not isinstance(value, str) or not value.strip():
                found.append(Problem(f"a unit needs a non-empty text {field!r}", key=f"{key}.{field}"))
        if not isinstance(unit_id, str) or not isinstance(name, str) or not unit_id.strip() or not name.strip():
            continue
        uid = nfc_name(unit_id)
        if uid in seen:
            found.append(Problem(f"duplicate unit id {uid!r}, also {seen[uid]}", key=f"{key}.id"))
            continue
        seen[uid] = key
        tables: dict[str, dict[str, Any]] = {}
        for part in ("appraised", "self_assessed", "evidence"):
            value = raw.get(part, {})
            table = _toml.table(value, f"{key}.{part}", found)
            tables[part] = table or {}
        observations = []
        for code in sorted(set().union(*(set(t) for t in tables.values()))):
            values = {}
            ok = True
            for part in ("appraised", "self_assessed"):
                if code in tables[part]:
                    try:
                        values[part] = _value(tables[part][code])
                    except ValueError as exc:
                        found.append(Problem(str(exc), key=f"{key}.{part}.{_quote(code)}"))
                        ok = False
            evidence = tables["evidence"].get(code)
            if evidence is not None and not isinstance(evidence, str):
                found.append(
                    Problem(f"evidence must be text, got {_shown(evidence)}", key=f"{key}.evidence.{_quote(code)}")
                )
                ok = False
            if ok:
                observations.append(Observation(code, values.get("appraised"), values.get("self_assessed"), evidence))
        items.append(Assessment(Unit(uid, name), tuple(observations)))
    if found:
        located = _toml.locate(found, text, file)
        raise AssessmentError(sorted(located, key=lambda p: (p.line is None, p.line or 0)), source=file)
    return Assessments(scheme_id, tuple(items))


def _shown(value: object) -> str:
    """``repr(value)``, or its kind where it holds a whole number too long for Python to write out."""
    try:
        return repr(value)
    except ValueError:
        return _toml._describe(value)


def _quote(code: str) -> str:
    return code if code.replace("_", "a").replace("-", "a").isalnum() else f'"{code}"'


def load_assessments(path: str | Path) -> Assessments:
    """Read an assessments TOML file."""
    file = str(path)
    try:
        text = _toml.read_text(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AssessmentError([Problem(f"cannot read the assessments: {exc}", file=file)]) from exc
    return loads_assessments(text, file=file)


def _toml_scalar(value: object) -> str:
    if isinstance(value, NotApplicable):
        return '"n/a"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f'"{format_decimal(value)}"'
    return _toml.toml_string(value) if isinstance(value, str) else str(value)


def dumps_assessments(assessments: Assessments) -> str:
    """Write assessments as TOML that ``loads_assessments`` reads back equal."""
    out = []
    if assessments.scheme_id is not None:
        out.append(f"scheme = {_toml.toml_string(assessments.scheme_id)}")
    for item in assessments.items:
        out.append("\n[[units]]")
        out.append(f"id = {_toml.toml_string(item.unit.id)}")
        out.append(f"name = {_toml.toml_string(item.unit.name)}")
        for part in ("appraised", "self_assessed", "evidence"):
            pairs = [(o.code, getattr(o, part)) for o in item.observations if getattr(o, part) is not None]
            if pairs:
                out.append(f"\n[units.{part}]")
                out.extend(f"{_toml.toml_string(c)} = {_toml_scalar(v)}" for c, v in pairs)
    return "\n".join(out) + "\n"
