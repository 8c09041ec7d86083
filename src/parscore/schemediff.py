"""What changed between two editions of a scheme, and so why two years' scores differ in kind.

Schemes change from year to year: criteria are added, removed, renumbered or
moved to another field; maxima, titles and scoring rules change; bands and
the scale change.  A score of 80 under one edition is then not the score of
80 under the next.  ``diff_schemes(old, new)`` lists every such change.

Criteria are paired across editions in this order: the same code with the
same title; the same title (unique in both editions) under another code; a
title that differs only slightly (at the same level); the same code.
Whatever is left is added or removed.  Titles are compared after Unicode NFC
normalisation, case folding and collapsing spaces.

>>> from parscore import get_scheme
>>> diff = diff_schemes(get_scheme("vn.dak-nong.krong-no.commune.2022"),
...                     get_scheme("vn.son-la.phu-yen.commune.2022"))
>>> diff.comparable
False
>>> [c.kind.value for c in diff.changes][:3]
['title', 'max', 'max']
"""

from __future__ import annotations

import enum
import unicodedata
from collections.abc import Iterable, Sequence
from decimal import Decimal
from difflib import SequenceMatcher
from typing import Any, cast

import attrs

from .assessments import nfc_name as _nfc
from .model import Band, Node, Scheme, level_name
from .numbers import format_decimal as _fmt
from .numbers import trim
from .rules import Rule
from .tables import Column, Locale, Table

__all__ = ["ChangeKind", "SchemeChange", "SchemeDiff", "describe_rule", "diff_schemes"]

#: How alike two titles must be (difflib's ratio) for a criterion to be paired
#: with one whose title was reworded.
SIMILAR_TITLES = 0.8


class ChangeKind(enum.Enum):
    """What kind of change a ``SchemeChange`` is."""

    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"
    TITLE = "title"
    MAX = "max"
    RULE = "rule"
    NOT_APPLICABLE = "not_applicable"
    STRUCTURE = "structure"
    BAND = "band"
    TOTAL = "total"
    SCALE = "scale"
    ROUNDING = "rounding"
    RANKING = "ranking"

    def label(self, language: Locale = "en") -> str:
        """The kind in words, in English or Vietnamese."""
        return _KIND_WORDS[self][1 if language == "vi" else 0]


_KIND_WORDS = {
    ChangeKind.ADDED: ("added", "thêm mới"),
    ChangeKind.REMOVED: ("removed", "bỏ"),
    ChangeKind.MOVED: ("moved", "chuyển vị trí"),
    ChangeKind.TITLE: ("title changed", "đổi tên"),
    ChangeKind.MAX: ("maximum changed", "đổi điểm tối đa"),
    ChangeKind.RULE: ("scoring rule changed", "đổi cách chấm điểm"),
    ChangeKind.NOT_APPLICABLE: ("not-applicable policy changed", "đổi cách tính khi không phát sinh"),
    ChangeKind.STRUCTURE: ("structure changed", "đổi cấu trúc"),
    ChangeKind.BAND: ("band changed", "đổi xếp loại"),
    ChangeKind.TOTAL: ("total changed", "đổi tổng điểm"),
    ChangeKind.SCALE: ("scale changed", "đổi thang điểm"),
    ChangeKind.ROUNDING: ("rounding changed", "đổi cách làm tròn"),
    ChangeKind.RANKING: ("ranking changed", "đổi cách xếp hạng"),
}


@attrs.frozen
class SchemeChange:
    """One change from the old edition to the new, with what it was and what it is."""

    kind: ChangeKind
    old_code: str | None
    new_code: str | None
    old: str | None
    new: str | None
    #: The change in words, in English and in Vietnamese.
    message: str
    message_vi: str

    def __str__(self) -> str:
        return self.message


@attrs.frozen
class SchemeDiff:
    """Every change between two schemes, in the new edition's order, then what was removed."""

    old_id: str
    new_id: str
    changes: tuple[SchemeChange, ...]

    @property
    def comparable(self) -> bool:
        """Whether scores under the two editions mean the same: nothing changed but titles."""
        return all(c.kind is ChangeKind.TITLE for c in self.changes)

    def of_kind(self, *kinds: ChangeKind) -> tuple[SchemeChange, ...]:
        """The changes of the given kinds."""
        return tuple(c for c in self.changes if c.kind in kinds)

    def table(self, language: Locale = "en") -> Table:
        """The changes as a table, their words in ``language``."""
        vi = language == "vi"
        columns = (
            Column("change", "Change", "Thay đổi"),
            Column("old_code", "Old code", "Mã cũ"),
            Column("new_code", "New code", "Mã mới"),
            Column("old", "Was", "Trước"),
            Column("new", "Is", "Sau"),
            Column("explanation", "Explanation", "Giải thích"),
        )
        rows = [(c.kind.label(language), c.old_code, c.new_code, c.old, c.new,
                 c.message_vi if vi else c.message) for c in self.changes]
        if self.comparable:
            notes = [("Scores under the two editions are comparable: only titles changed.",
                      "Điểm theo hai bộ tiêu chí so sánh được: chỉ đổi tên.")]
        else:
            notes = [("Scores under the two editions are not directly comparable.",
                      "Điểm theo hai bộ tiêu chí không so sánh trực tiếp được.")]
        return Table(
            "scheme-diff", (f"Changes from {self.old_id} to {self.new_id}",
                            f"Thay đổi từ {self.old_id} sang {self.new_id}"),
            cast(Any, columns), rows, cast(Any, tuple(notes)),
        )




def _key(title: str) -> str:
    return " ".join(unicodedata.normalize("NFC", title).casefold().split()).rstrip(" .:;")


def _shown(value: object) -> str:
    if isinstance(value, Decimal):
        return _fmt(trim(value))
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(_shown(v) for v in value) + "]"
    if attrs.has(type(value)):
        fields = attrs.fields(cast(Any, type(value)))
        return "(" + ", ".join(f"{a.name} {_shown(getattr(value, a.name))}" for a in fields) + ")"
    return str(value)


def describe_rule(rule: Rule | None) -> str:
    """A rule as one comparable line: its kind and every parameter that is set.

    >>> from parscore.rules import Deduction
    >>> describe_rule(Deduction(per=Decimal("0.25")))
    'deduction (per 0.25, floor 0)'
    """
    if rule is None:
        return "none"
    kind = getattr(rule, "kind", type(rule).__name__)
    if not attrs.has(type(rule)):
        return f"{kind} {rule!r}"
    parts = [
        f"{a.name} {_shown(getattr(rule, a.name))}"
        for a in attrs.fields(cast(Any, type(rule)))
        if getattr(rule, a.name) is not None
    ]
    return f"{kind} ({', '.join(parts)})" if parts else str(kind)


def _label(code: str) -> str:
    return f"{level_name(code.count('.') + 1)} {code}"


def _label_vi(code: str) -> str:
    words = {1: "lĩnh vực", 2: "tiêu chí", 3: "tiêu chí thành phần"}
    return f"{words.get(code.count('.') + 1, 'mục')} {code}"


def _parts(count: int) -> str:
    return f"{count} part" + ("" if count == 1 else "s")


def _parent(code: str) -> str | None:
    return code.rsplit(".", 1)[0] if "." in code else None


def _pair(old: Sequence[Node], new: Sequence[Node]) -> dict[str, str]:
    """Old code → new code for every criterion found in both editions."""
    pairs: dict[str, str] = {}
    taken: set[str] = set()
    new_by_code = {n.code: n for n in new}

    def left(nodes: Sequence[Node], used: Iterable[str]) -> list[Node]:
        done = set(used)
        return [n for n in nodes if n.code not in done]

    for node in old:
        other = new_by_code.get(node.code)
        if other is not None and _key(other.title) == _key(node.title):
            pairs[node.code] = other.code
            taken.add(other.code)
    old_left, new_left = left(old, pairs), left(new, taken)
    old_titles = [_key(n.title) for n in old_left]
    new_titles = [_key(n.title) for n in new_left]
    for node in old_left:
        title = _key(node.title)
        if old_titles.count(title) == 1 and new_titles.count(title) == 1:
            other = new_left[new_titles.index(title)]
            pairs[node.code] = other.code
            taken.add(other.code)
    old_left, new_left = left(old, pairs), left(new, taken)
    similar = sorted(
        ((SequenceMatcher(None, _key(a.title), _key(b.title)).ratio(), i, j)
         for i, a in enumerate(old_left) for j, b in enumerate(new_left)
         if a.code.count(".") == b.code.count(".")),
        key=lambda t: (-t[0], t[1], t[2]),
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    for ratio, i, j in similar:
        if ratio < SIMILAR_TITLES:
            break
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        pairs[old_left[i].code] = new_left[j].code
        taken.add(new_left[j].code)
    for node in left(old, pairs):
        if node.code in new_by_code and node.code not in taken:
            pairs[node.code] = node.code
            taken.add(node.code)
    return pairs


def _node_changes(old: Scheme, new: Scheme) -> list[tuple[int, SchemeChange]]:
    old_nodes, new_nodes = list(old.nodes()), list(new.nodes())
    old_by, new_by = {n.code: n for n in old_nodes}, {n.code: n for n in new_nodes}
    pairs = _pair(old_nodes, new_nodes)
    back = {v: k for k, v in pairs.items()}
    position = {n.code: i for i, n in enumerate(new_nodes)}
    found: list[tuple[int, SchemeChange]] = []

    def add(at: int, kind: ChangeKind, oc: str | None, nc: str | None, was: str | None, now: str | None,
            en: str, vi: str) -> None:
        found.append((at, SchemeChange(kind, oc, nc, was, now, en, vi)))

    for node in new_nodes:
        at = position[node.code]
        if node.code not in back:
            parent = _parent(node.code)
            if parent is None or parent in back:  # else added with its parent
                top, top_vi = _fmt(node.max), _fmt(node.max, comma=True)
                add(at, ChangeKind.ADDED, None, node.code, None, f"{node.title} (max {top})",
                    f"{_label(node.code)} {node.title!r} (max {top}) is new",
                    f"{_label_vi(node.code)} “{node.title}” (tối đa {top_vi} điểm) là mới")
            continue
        before = old_by[back[node.code]]
        oc, nc = before.code, node.code
        old_parent, new_parent = _parent(oc), _parent(nc)
        parent_paired = pairs.get(old_parent) if old_parent else None
        if oc != nc:
            implied = (
                old_parent is not None and new_parent is not None and parent_paired == new_parent
                and old_parent != new_parent and nc == f"{new_parent}{oc[len(old_parent):]}"
            )
            if not implied:
                add(at, ChangeKind.MOVED, oc, nc, oc, nc,
                    f"{_label(oc)} {before.title!r} is now {_label(nc)}",
                    f"{_label_vi(oc)} “{before.title}” nay là {_label_vi(nc)}")
        elif old_parent is not None and new_parent is not None and parent_paired != new_parent:
            add(at, ChangeKind.MOVED, oc, nc, f"{old_parent} {old_by[old_parent].title}",
                f"{new_parent} {new_by[new_parent].title}",
                f"{_label(oc)} keeps its code under a different parent: the old {old_parent}"
                f" {old_by[old_parent].title!r} is now {parent_paired or 'removed'}",
                f"{_label_vi(oc)} giữ mã nhưng thuộc mục cha khác: {old_parent} cũ"
                f" “{old_by[old_parent].title}” nay là {parent_paired or 'đã bỏ'}")
        if _nfc(before.title) != _nfc(node.title):
            add(at, ChangeKind.TITLE, oc, nc, before.title, node.title,
                f"{_label(nc)}: title {before.title!r} → {node.title!r}",
                f"{_label_vi(nc)}: tên “{before.title}” → “{node.title}”")
        if before.max != node.max:
            add(at, ChangeKind.MAX, oc, nc, _fmt(trim(before.max)), _fmt(trim(node.max)),
                f"{_label(nc)}: maximum {_fmt(trim(before.max))} → {_fmt(trim(node.max))}",
                f"{_label_vi(nc)}: điểm tối đa {_fmt(trim(before.max), comma=True)}"
                f" → {_fmt(trim(node.max), comma=True)}")
        if before.is_leaf != node.is_leaf:
            was = "a leaf" if before.is_leaf else _parts(len(before.children))
            now = "a leaf" if node.is_leaf else _parts(len(node.children))
            add(at, ChangeKind.STRUCTURE, oc, nc, was, now,
                f"{_label(nc)}: was {was}, is {now}",
                f"{_label_vi(nc)}: " + ("nay chia thành các mục con" if before.is_leaf
                                         else "nay không còn mục con"))
        elif before.is_leaf:
            was_rule, now_rule = describe_rule(before.rule), describe_rule(node.rule)
            if was_rule != now_rule:
                add(at, ChangeKind.RULE, oc, nc, was_rule, now_rule,
                    f"{_label(nc)}: scoring rule {was_rule} → {now_rule}",
                    f"{_label_vi(nc)}: cách chấm {was_rule} → {now_rule}")
            if before.not_applicable != node.not_applicable:
                was_na = before.not_applicable.value if before.not_applicable else "none"
                now_na = node.not_applicable.value if node.not_applicable else "none"
                add(at, ChangeKind.NOT_APPLICABLE, oc, nc, was_na, now_na,
                    f"{_label(nc)}: not applicable {was_na} → {now_na}",
                    f"{_label_vi(nc)}: khi không phát sinh {was_na} → {now_na}")
    end = len(new_nodes)
    for node in old_nodes:
        if node.code in pairs:
            continue
        parent = _parent(node.code)
        if parent is not None and parent not in pairs:
            continue  # removed with its parent
        add(end, ChangeKind.REMOVED, node.code, None, f"{node.title} (max {_fmt(node.max)})", None,
            f"{_label(node.code)} {node.title!r} (max {_fmt(node.max)}) is removed",
            f"{_label_vi(node.code)} “{node.title}” (tối đa {_fmt(node.max, comma=True)} điểm) bị bỏ")
    found.sort(key=lambda item: item[0])
    return found


def _band_text(band: Band) -> str:
    upper = f"< {_fmt(trim(band.upper))}" if band.upper is not None else ""
    return f"≥ {_fmt(trim(band.lower))}" + (f", {upper}" if upper else "")


def _band_changes(old: Scheme, new: Scheme) -> list[SchemeChange]:
    found: list[SchemeChange] = []

    def name(band: Band) -> str:
        return _key(band.name)

    old_bands = sorted(old.bands, key=lambda b: b.lower, reverse=True)
    new_bands = sorted(new.bands, key=lambda b: b.lower, reverse=True)
    new_names = {name(b): b for b in new_bands}
    old_names = {name(b): b for b in old_bands}
    renamed: set[str] = set()
    for band in new_bands:
        before = old_names.get(name(band))
        if before is not None:
            if (before.lower, before.upper) != (band.lower, band.upper):
                found.append(SchemeChange(
                    ChangeKind.BAND, None, None, f"{before.name} {_band_text(before)}",
                    f"{band.name} {_band_text(band)}",
                    f"band {band.name!r}: {_band_text(before)} → {_band_text(band)}",
                    f"xếp loại “{band.name}”: {_band_text(before)} → {_band_text(band)}",
                ))
            continue
        same = next((b for b in old_bands if name(b) not in new_names and (b.lower, b.upper) ==
                     (band.lower, band.upper)), None)
        if same is not None:
            renamed.add(name(same))
            found.append(SchemeChange(
                ChangeKind.BAND, None, None, same.name, band.name,
                f"band {_band_text(band)} renamed {same.name!r} → {band.name!r}",
                f"xếp loại {_band_text(band)} đổi tên “{same.name}” → “{band.name}”",
            ))
        else:
            found.append(SchemeChange(
                ChangeKind.BAND, None, None, None, f"{band.name} {_band_text(band)}",
                f"band {band.name!r} ({_band_text(band)}) is new",
                f"xếp loại “{band.name}” ({_band_text(band)}) là mới",
            ))
    for band in old_bands:
        if name(band) not in new_names and name(band) not in renamed:
            found.append(SchemeChange(
                ChangeKind.BAND, None, None, f"{band.name} {_band_text(band)}", None,
                f"band {band.name!r} ({_band_text(band)}) is removed",
                f"xếp loại “{band.name}” ({_band_text(band)}) bị bỏ",
            ))
    return found


def _places(places: int | None, vi: bool = False) -> str:
    if places is None:
        return "không làm tròn" if vi else "none"
    return f"{places} chữ số thập phân" if vi else f"{places} decimals"


def _scheme_changes(old: Scheme, new: Scheme) -> list[SchemeChange]:
    found: list[SchemeChange] = []

    def number(value: Decimal | None) -> str:
        return "none" if value is None else _fmt(trim(value))

    def number_vi(value: Decimal | None) -> str:
        return "không" if value is None else _fmt(trim(value), comma=True)

    if old.max_total != new.max_total:
        found.append(SchemeChange(
            ChangeKind.TOTAL, None, None, number(old.max_total), number(new.max_total),
            f"the fields' maxima add up to {number(old.max_total)} → {number(new.max_total)}",
            f"tổng điểm tối đa các lĩnh vực {number_vi(old.max_total)} → {number_vi(new.max_total)}",
        ))
    old_stated = old.source.stated_total if old.source else None
    new_stated = new.source.stated_total if new.source else None
    if old_stated != new_stated or old.total != new.total:
        was_total = old.total if old.total is not None else old_stated
        now_total = new.total if new.total is not None else new_stated
        was, now = number(was_total), number(now_total)
        if was != now:
            found.append(SchemeChange(
                ChangeKind.TOTAL, None, None, was, now, f"the stated total {was} → {now}",
                f"tổng điểm công bố {number_vi(was_total)} → {number_vi(now_total)}",
            ))
    old_scale = old.normalisation.scale if old.normalisation else None
    new_scale = new.normalisation.scale if new.normalisation else None
    if old_scale != new_scale:
        was, now = number(old_scale), number(new_scale)
        found.append(SchemeChange(
            ChangeKind.SCALE, None, None, was, now,
            f"normalisation to a scale: {was} → {now} (scores are raw totals where none)",
            f"quy về thang điểm: {number_vi(old_scale)} → {number_vi(new_scale)}"
            " (không quy đổi thì điểm là tổng điểm thô)",
        ))
    for part, part_vi in (("leaf", "điểm tiêu chí"), ("normalised", "điểm quy đổi")):
        was_places, now_places = getattr(old.rounding, part), getattr(new.rounding, part)
        if was_places != now_places:
            was, now = _places(was_places), _places(now_places)
            found.append(SchemeChange(
                ChangeKind.ROUNDING, None, None, was, now, f"rounding of {part} points: {was} → {now}",
                f"làm tròn {part_vi}: {_places(was_places, True)} → {_places(now_places, True)}",
            ))
    if old.ranking != new.ranking:
        was, now = old.ranking.method.value, new.ranking.method.value
        found.append(SchemeChange(ChangeKind.RANKING, None, None, was, now,
                                  f"ranking {was} → {now}", f"xếp hạng {was} → {now}"))
    return found


def diff_schemes(old: Scheme, new: Scheme) -> SchemeDiff:
    """Every change from ``old`` to ``new``: criteria, maxima, titles, rules, bands, total, scale.

    Criterion changes come in the new edition's tree order (removed criteria
    last), then band changes, then changes of the total, scale, rounding and
    ranking.  A criterion removed with its parent is not listed on its own.
    """
    changes = [c for _, c in _node_changes(old, new)] + _band_changes(old, new) + _scheme_changes(old, new)
    return SchemeDiff(old.id, new.id, tuple(changes))
