"""Unit identity: which body a printed name means, never guessed.

Reports spell the same commune differently from table to table ("Đắk Mâm",
"Đăk Mâm", "Đắc Mâm"; "Nâm Nung", "Năm Nung", "Nam Nung"), and Unicode may
arrive composed (NFC) or decomposed (NFD).  A ``UnitRegistry`` holds each
unit's stable id and display name and an explicit alias table.  ``resolve``
accepts a name only when it is, after NFC normalisation, exactly an id, a
unit's name or an alias.  A name that differs from a known unit only by
diacritics, by a common spelling variant or by a missing "xã" is never
matched: it raises ``UnknownUnitError`` naming the candidates, so the alias
is added by a person who has checked it.

>>> registry = UnitRegistry.of({"nam-nung": "UBND xã Nâm Nung"}, {"UBND xã Năm Nung": "nam-nung"})
>>> registry.resolve("UBND xã Năm Nung")
'nam-nung'
>>> registry.resolve("Nam Nung")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
parscore.errors.UnknownUnitError: unknown unit 'Nam Nung': ... candidates: nam-nung (UBND xã Nâm Nung)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any, cast

import attrs

from .assessments import Assessments, Unit
from .assessments import nfc_name as _nfc
from .errors import AmbiguousUnitError, InputError, Problem, UnitError, UnknownUnitError
from .tables import Column, Table

__all__ = [
    "AmbiguousUnitError",
    "UnitError",
    "UnitRegistry",
    "UnknownUnitError",
    "fold_name",
    "resolve_unit",
    "unit_resolver",
]




#: Words that open a unit's name but do not identify it: "UBND xã Nam Đà" is Nam Đà.
_PREFIXES = (
    ("uy", "ban", "nhan", "dan"),
    ("ubnd",),
    ("thi", "tran"),
    ("thi", "xa"),
    ("thanh", "pho"),
    ("xa",),
    ("phuong",),
    ("huyen",),
)
_APOSTROPHES = re.compile(r"[\u2019\u2018\u02bc\u00b4`]")
_SEPARATORS = re.compile(r"[\s'\-.,]+")


def fold_name(name: str) -> str:
    """A key under which spelling variants of one name coincide: for suggestions only.

    Casefolded, without diacritics (Nam, Năm and Nâm all give ``nam``; Đ
    gives ``d``), a word-final ``c`` read as ``k`` (Đắc, Đắk and Đăk all give
    ``dak``; Đức and Đứk give ``duk``), leading "UBND", "xã", "thị trấn" and
    the like dropped, and spaces, hyphens and apostrophes removed.  Names
    with the same key are *candidates* for one another; ``resolve`` never
    matches by this key.

    >>> fold_name("UBND xã Năm N'Đir") == fold_name("Nâm N\u2019Đir")
    True
    >>> fold_name("UBND thị trấn Đắc Mâm"), fold_name("Thị trấn")
    ('dakmam', 'thitran')
    """
    return "".join(_folded_words(name))


def _folded_words(name: str) -> tuple[str, ...]:
    text = _APOSTROPHES.sub("'", unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D")))
    plain = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    words = [w for w in _SEPARATORS.split(plain) if w]
    stripped = True
    while stripped:
        stripped = False
        for prefix in _PREFIXES:
            if tuple(words[: len(prefix)]) == prefix and len(words) > len(prefix):
                words = words[len(prefix):]
                stripped = True
                break
    return tuple(w[:-1] + "k" if w.endswith("c") else w for w in words)


def _contains(words: tuple[str, ...], part: tuple[str, ...]) -> bool:
    """Whether ``part`` is a run of consecutive words of ``words``."""
    return any(words[i : i + len(part)] == part for i in range(len(words) - len(part) + 1))


@attrs.frozen
class _Index:
    """Exact lookups (after NFC) from ids, names and aliases to unit ids."""

    names: dict[str, str]  # id → display name
    by_id: dict[str, str]  # NFC id → id
    by_name: dict[str, tuple[str, ...]]  # NFC name → ids
    by_alias: dict[str, tuple[str, ...]]  # NFC alias → target ids, as given

    @classmethod
    def of(cls, units: Mapping[str, str], aliases: Mapping[str, str]) -> _Index:
        by_id = {_nfc(uid): uid for uid in units}
        by_name: dict[str, list[str]] = {}
        for uid, name in units.items():
            by_name.setdefault(_nfc(name), []).append(uid)
        by_alias: dict[str, list[str]] = {}
        for alias, target in aliases.items():
            targets = by_alias.setdefault(_nfc(alias), [])
            if target not in targets:
                targets.append(target)
        return cls(
            dict(units), by_id,
            {k: tuple(v) for k, v in by_name.items()},
            {k: tuple(v) for k, v in by_alias.items()},
        )

    def label(self, uid: str) -> str:
        return f"{uid} ({self.names[uid]})"

    def resolve(self, name: str) -> str:
        wanted = _nfc(name)
        if wanted in self.by_id:
            return self.by_id[wanted]
        named = self.by_name.get(wanted, ())
        if len(named) > 1:
            listed = ", ".join(self.label(u) for u in sorted(named))
            raise AmbiguousUnitError(
                f"ambiguous unit {name!r}: it is the name of {len(named)} units: {listed};"
                " name one of them by its id or an alias", name, tuple(sorted(named)),
            )
        if named:
            return named[0]
        targets = self.by_alias.get(wanted, ())
        if len(targets) > 1:
            raise AmbiguousUnitError(
                f"ambiguous unit {name!r}: the alias table maps it to {len(targets)} units:"
                f" {', '.join(sorted(targets))}", name, tuple(sorted(targets)),
            )
        if targets:
            target = self.by_id.get(_nfc(targets[0]))
            if target is None:
                raise UnknownUnitError(f"alias {name!r} points to unknown unit id {targets[0]!r}", name)
            return target
        candidates = self.candidates(wanted)
        hint = f"; candidates: {', '.join(self.label(u) for u in candidates)}" if candidates else ""
        raise UnknownUnitError(f"unknown unit {name!r}: add it to the alias table{hint}", name, candidates)

    def candidates(self, name: str) -> tuple[str, ...]:
        """Ids of units ``name`` may mean: those with the same folded spelling, else
        those whose folded spelling holds it, is held in it, or ends with the same word."""
        words = _folded_words(name)
        key = "".join(words)
        if not key:
            return ()
        spellings: dict[str, set[str]] = {uid: {uid, uname} for uid, uname in self.names.items()}
        for alias, targets in self.by_alias.items():
            for target in targets:
                uid = self.by_id.get(_nfc(target))
                if uid is not None:
                    spellings[uid].add(alias)
        folded = {uid: {_folded_words(s) for s in found} - {()} for uid, found in spellings.items()}
        same = sorted(uid for uid, forms in folded.items() if any("".join(f) == key for f in forms))
        if same:
            return tuple(same)
        return tuple(sorted(
            uid for uid, forms in folded.items()
            if any(_contains(f, words) or _contains(words, f) or f[-1:] == words[-1:] for f in forms)
        ))


def resolve_unit(name: str, units: Mapping[str, str], aliases: Mapping[str, str]) -> str:
    """The id of the unit printed as ``name``, given ids → names and an alias table.

    ``name`` matches, after Unicode NFC normalisation and trimming, a unit's
    id, a unit's name or a key of ``aliases`` (whose value is a unit id),
    in that order.  Nothing else matches: a near miss raises
    ``UnknownUnitError`` listing the candidates, a name shared by several
    units ``AmbiguousUnitError``.  This is the one implementation behind
    ``UnitRegistry.resolve`` and ``published.resolve_unit``.
    """
    return _Index.of(units, aliases).resolve(name)


def unit_resolver(units: Mapping[str, str], aliases: Mapping[str, str]) -> Callable[[str], str]:
    """``resolve_unit`` for many names against the same units: the lookups are made once.

    ``unit_resolver(units, aliases)(name)`` is ``resolve_unit(name, units,
    aliases)``, with the same matches and errors; resolving every row of a
    country's report one name at a time would index all the units per name.
    """
    return _Index.of(units, aliases).resolve


def _units(units: Iterable[Unit]) -> tuple[Unit, ...]:
    return tuple(units)


def _aliases(aliases: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted({(_nfc(alias), _nfc(target)) for alias, target in aliases}))


@attrs.frozen
class UnitRegistry:
    """The units of one set of results, with the alias table of their other spellings.

    Building one checks it and raises ``InputError`` listing every problem:
    a duplicate id, an alias that points to no unit, an alias mapped to two
    units, or an alias that is already another unit's id or name.  Two units
    may share a name (communes of different districts do); resolving that
    name is then an ``AmbiguousUnitError``.
    """

    units: tuple[Unit, ...] = attrs.field(converter=_units)
    #: (alias, unit id) pairs, in NFC, sorted.
    aliases: tuple[tuple[str, str], ...] = attrs.field(default=(), converter=_aliases)
    _index: _Index = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = self.problems()
        if problems:
            raise InputError(problems, source="unit registry")
        index = _Index.of({u.id: u.name for u in self.units}, dict(self.aliases))
        object.__setattr__(self, "_index", index)

    @classmethod
    def of(
        cls, units: Mapping[str, str] | Iterable[Unit], aliases: Mapping[str, str] | None = None
    ) -> UnitRegistry:
        """A registry from ids → names (or ``Unit`` records) and aliases → ids."""
        listed = [Unit(k, v) for k, v in units.items()] if isinstance(units, Mapping) else list(units)
        return cls(listed, tuple((aliases or {}).items()))

    @classmethod
    def from_assessments(
        cls, assessments: Assessments, aliases: Mapping[str, str] | Iterable[tuple[str, str]] = ()
    ) -> UnitRegistry:
        """The units of ``assessments`` (their ids and names only), with ``aliases``."""
        pairs = aliases.items() if isinstance(aliases, Mapping) else aliases
        return cls((a.unit for a in assessments), tuple(pairs))

    def problems(self) -> tuple[Problem, ...]:
        """Every inconsistency of the units and the alias table; empty when there is none."""
        found: list[Problem] = []
        ids: dict[str, int] = {}
        for i, unit in enumerate(self.units):
            if unit.id in ids:
                found.append(Problem(f"duplicate unit id {unit.id!r}, also units[{ids[unit.id]}]",
                                     key=f"units[{i}].id"))
            ids.setdefault(unit.id, i)
        owners: dict[str, set[str]] = {}
        for unit in self.units:
            owners.setdefault(unit.id, set()).add(unit.id)
            owners.setdefault(unit.name, set()).add(unit.id)
        targets: dict[str, set[str]] = {}
        for alias, target in self.aliases:
            targets.setdefault(alias, set()).add(target)
        for alias, mapped in sorted(targets.items()):
            if not alias:
                found.append(Problem("an alias must not be empty", key="aliases"))
                continue
            if len(mapped) > 1:
                listed = ", ".join(sorted(mapped))
                found.append(Problem(f"alias {alias!r} is mapped to several units: {listed}",
                                     key=f"aliases.{alias}"))
            for target in sorted(mapped):
                if target not in ids:
                    found.append(Problem(f"alias {alias!r} points to unknown unit id {target!r}",
                                         key=f"aliases.{alias}"))
                others = sorted(owners.get(alias, set()) - {target})
                if others:
                    found.append(Problem(
                        f"alias {alias!r} maps to {target!r},"
                        f" but it is the id or name of {', '.join(others)}",
                        key=f"aliases.{alias}",
                    ))
        return tuple(found)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    @property
    def ids(self) -> tuple[str, ...]:
        """The unit ids, in registry order."""
        return tuple(u.id for u in self.units)

    def unit(self, unit_id: str) -> Unit:
        """The unit with id ``unit_id`` (after NFC); ``KeyError`` names it if there is none."""
        uid = self._index.by_id.get(_nfc(unit_id))
        if uid is None:
            raise KeyError(f"no unit with id {unit_id!r}")
        return next(u for u in self.units if u.id == uid)

    def resolve(self, name: str) -> str:
        """The id of the unit printed as ``name``: an id, a name or an alias, exactly (after NFC).

        Raises ``UnknownUnitError`` (listing near-miss candidates) or
        ``AmbiguousUnitError``; never picks a unit by resemblance.
        """
        return self._index.resolve(name)

    def candidates(self, name: str) -> tuple[Unit, ...]:
        """The units a name not in the registry may mean (same folded spelling), for a person to choose."""
        return tuple(self.unit(uid) for uid in self._index.candidates(_nfc(name)))

    def with_aliases(self, aliases: Mapping[str, str] | Iterable[tuple[str, str]]) -> UnitRegistry:
        """This registry with more aliases; the same alias twice must name the same unit."""
        pairs = tuple(aliases.items() if isinstance(aliases, Mapping) else aliases)
        if not pairs:
            return self  # the same units and aliases, already checked
        return UnitRegistry(self.units, (*self.aliases, *pairs))

    def table(self) -> Table:
        """Every unit and every alias that names it."""
        spellings: dict[str, list[str]] = {u.id: [] for u in self.units}
        for alias, target in self.aliases:
            spellings.setdefault(target, []).append(alias)
        columns = (Column("id", "Id", "Mã"), Column("name", "Name", "Tên"),
                   Column("aliases", "Aliases", "Cách viết khác"))
        # ``cast``: mypy's attrs plugin cannot type a ``converter=tuple`` parameter.
        return Table(
            "units", ("Units and their aliases", "Đơn vị và các cách viết khác"), cast(Any, columns),
            [(u.id, u.name, "; ".join(spellings[u.id])) for u in self.units],
        )
