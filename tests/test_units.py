"""Unit identity: exact matches only, near misses named but never taken.

The spellings are those of seed 000 (Krông Nô 2022), where one report spells
the same commune "Đắk Mâm", "Đăk Mâm" and "Đắc Mâm", and "Nâm Nung", "Năm
Nung" and "Nam Nung".
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parscore import Assessment, Assessments, InputError, ParscoreError
from parscore.published import resolve_unit as published_resolve_unit
from parscore.units import (
    AmbiguousUnitError,
    UnitError,
    UnitRegistry,
    UnknownUnitError,
    fold_name,
    resolve_unit,
    unit_resolver,
)

# Official names of six Krông Nô communes (seed 000, section III).
UNITS = {
    "nam-nung": "UBND xã Nâm Nung",
    "dak-mam": "UBND thị trấn Đắk Mâm",
    "nam-da": "UBND xã Nam Đà",
    "nam-xuan": "UBND xã Nam Xuân",
    "dak-sor": "UBND xã Đắk Sôr",
    "duc-xuyen": "UBND xã Đức Xuyên",
}


@pytest.fixture()
def registry() -> UnitRegistry:
    return UnitRegistry.of(UNITS, {"UBND xã Năm Nung": "nam-nung", "UBND thị trấn Đắc Mâm": "dak-mam"})


def test_an_id_a_name_or_an_alias_matches(registry: UnitRegistry) -> None:
    assert registry.resolve("nam-da") == "nam-da"
    assert registry.resolve("UBND xã Nam Đà") == "nam-da"
    assert registry.resolve("  UBND xã Nam Đà ") == "nam-da"
    assert registry.resolve("UBND xã Năm Nung") == "nam-nung"
    assert registry.resolve("UBND thị trấn Đắc Mâm") == "dak-mam"
    assert registry.unit("dak-mam").name == "UBND thị trấn Đắk Mâm"
    assert registry.ids == ("nam-nung", "dak-mam", "nam-da", "nam-xuan", "dak-sor", "duc-xuyen")
    assert len(registry) == 6


def test_names_and_aliases_match_in_nfc_whatever_form_they_arrive_in(registry: UnitRegistry) -> None:
    nfd = unicodedata.normalize("NFD", "UBND xã Nâm Nung")
    assert nfd != "UBND xã Nâm Nung"
    assert registry.resolve(nfd) == "nam-nung"
    assert registry.resolve(unicodedata.normalize("NFD", "UBND thị trấn Đắc Mâm")) == "dak-mam"
    nfd_alias = UnitRegistry.of(UNITS, {unicodedata.normalize("NFD", "UBND xã Đăk Sôr"): "dak-sor"})
    assert nfd_alias.resolve("UBND xã Đăk Sôr") == "dak-sor"
    nfd_ids = UnitRegistry.of({unicodedata.normalize("NFD", "xã-đà"): "Xã Đà"})
    assert nfd_ids.resolve("xã-đà") == "xã-đà"


@pytest.mark.parametrize(
    ("printed", "candidate"),
    [
        ("UBND xã Đăk Sôr", "dak-sor"),  # Đắk / Đăk
        ("UBND xã Đắc Sôr", "dak-sor"),  # Đắk / Đắc
        ("UBND thị trấn Đăk Mâm", "dak-mam"),
        ("UBND xã Nam Nung", "nam-nung"),  # Nâm / Nam
        ("UBND xã Nâm Xuân", "nam-xuan"),  # Nam / Nâm
        ("UBND Nam Xuân", "nam-xuan"),  # "xã" missing
        ("Nam Xuân", "nam-xuan"),  # "UBND xã" missing
        ("UBND xã Đứk Xuyên", "duc-xuyen"),  # Đức / Đứk
        ("ubnd xã nam đà", "nam-da"),  # case
    ],
)
def test_a_spelling_variant_is_never_matched_silently(
    registry: UnitRegistry, printed: str, candidate: str
) -> None:
    with pytest.raises(UnknownUnitError) as info:
        registry.resolve(printed)
    assert info.value.candidates == (candidate,)
    assert info.value.name == printed
    label = f"{candidate} ({UNITS[candidate]})"
    assert str(info.value) == f"unknown unit {printed!r}: add it to the alias table; candidates: {label}"
    assert [u.id for u in registry.candidates(printed)] == [candidate]
    # Once a person adds the alias, it matches.
    assert registry.with_aliases({printed: candidate}).resolve(printed) == candidate


def test_errors_are_parscore_errors_and_value_errors(registry: UnitRegistry) -> None:
    with pytest.raises(ParscoreError):
        registry.resolve("UBND xã Đăk Sôr")
    with pytest.raises(ValueError, match=r"^unknown unit 'Hoàn toàn khác': add it to the alias table$"):
        registry.resolve("Hoàn toàn khác")
    assert issubclass(UnknownUnitError, UnitError) and issubclass(AmbiguousUnitError, UnitError)


def test_a_name_with_several_candidates_lists_them_all(registry: UnitRegistry) -> None:
    with pytest.raises(UnknownUnitError) as info:
        registry.resolve("Nam")
    assert info.value.candidates == ("nam-da", "nam-nung", "nam-xuan")
    assert str(info.value).endswith(
        "candidates: nam-da (UBND xã Nam Đà), nam-nung (UBND xã Nâm Nung), nam-xuan (UBND xã Nam Xuân)"
    )


def test_a_name_shared_by_two_units_is_ambiguous() -> None:
    # Two communes called Nam Đà in two districts: the name alone cannot say which.
    twins = UnitRegistry.of({"krong-no.nam-da": "xã Nam Đà", "other.nam-da": "xã Nam Đà"})
    with pytest.raises(AmbiguousUnitError) as info:
        twins.resolve("xã Nam Đà")
    assert info.value.candidates == ("krong-no.nam-da", "other.nam-da")
    assert str(info.value) == (
        "ambiguous unit 'xã Nam Đà': it is the name of 2 units: krong-no.nam-da (xã Nam Đà),"
        " other.nam-da (xã Nam Đà); name one of them by its id or an alias"
    )
    assert twins.resolve("other.nam-da") == "other.nam-da"
    aliased = twins.with_aliases({"xã Nam Đà (Krông Nô)": "krong-no.nam-da"})
    assert aliased.resolve("xã Nam Đà (Krông Nô)") == "krong-no.nam-da"


def test_the_function_form_reports_aliases_mapped_twice() -> None:
    aliases = {"Nam Da": "nam-da", unicodedata.normalize("NFD", "Nam Da"): "nam-da"}
    assert resolve_unit("Nam Da", UNITS, aliases) == "nam-da"
    nfd = unicodedata.normalize("NFD", "Năm Nung")
    with pytest.raises(AmbiguousUnitError, match="the alias table maps it to 2 units: nam-da, nam-nung"):
        resolve_unit("Năm Nung", UNITS, {"Năm Nung": "nam-nung", nfd: "nam-da"})


def test_a_registry_is_checked_when_built() -> None:
    with pytest.raises(InputError) as info:
        UnitRegistry.of(
            [*UnitRegistry.of(UNITS).units, *UnitRegistry.of({"nam-da": "xã Nam Đà khác"}).units],
            {"X": "nobody", "UBND xã Nam Đà": "nam-xuan"},
        )
    assert str(info.value) == (
        "unit registry: 3 problems\n"
        "  - units[6].id: duplicate unit id 'nam-da', also units[2]\n"
        "  - aliases.UBND xã Nam Đà: alias 'UBND xã Nam Đà' maps to 'nam-xuan',"
        " but it is the id or name of nam-da\n"
        "  - aliases.X: alias 'X' points to unknown unit id 'nobody'"
    )
    with pytest.raises(InputError, match="alias 'Y' is mapped to several units: nam-da, nam-xuan"):
        UnitRegistry.of(UNITS).with_aliases([("Y", "nam-da"), ("Y", "nam-xuan")])


def test_published_resolve_unit_is_the_same_implementation() -> None:
    aliases = {"UBND xã Năm Nung": "nam-nung"}
    nfd = unicodedata.normalize("NFD", "UBND xã Nam Đà")
    for name in ("nam-da", "UBND xã Nam Đà", "UBND xã Năm Nung", nfd):
        assert published_resolve_unit(name, UNITS, aliases) == resolve_unit(name, UNITS, aliases)
    with pytest.raises(UnknownUnitError, match="candidates: dak-sor"):
        published_resolve_unit("UBND xã Đắc Sôr", UNITS, aliases)
    with pytest.raises(ValueError, match=r"^alias 'X' points to unknown unit id 'nobody'$"):
        published_resolve_unit("X", UNITS, {"X": "nobody"})


def test_a_resolver_resolves_as_resolve_unit_does() -> None:
    aliases = {"UBND xã Năm Nung": "nam-nung", "X": "nobody"}
    resolve = unit_resolver(UNITS, aliases)
    nfd = unicodedata.normalize("NFD", "UBND xã Nam Đà")
    for name in ("nam-da", "UBND xã Nam Đà", "UBND xã Năm Nung", nfd, " nam-nung "):
        assert resolve(name) == resolve_unit(name, UNITS, aliases)
    for name in ("UBND xã Đắc Sôr", "X", "nobody"):
        with pytest.raises(UnitError) as expected:
            resolve_unit(name, UNITS, aliases)
        with pytest.raises(type(expected.value), match=f"^{re.escape(str(expected.value))}$"):
            resolve(name)


def test_from_assessments_takes_ids_and_names_only() -> None:
    assessments = Assessments(None, [
        Assessment.of("nam-da", "UBND xã Nam Đà", appraised={"1": 5}),
        Assessment.of("nam-nung", "UBND xã Nâm Nung", appraised={"1": 6}),
    ])
    registry = UnitRegistry.from_assessments(assessments, {"UBND xã Năm Nung": "nam-nung"})
    assert registry.ids == ("nam-da", "nam-nung")
    assert registry.resolve("UBND xã Năm Nung") == "nam-nung"


def test_the_registry_as_a_table(registry: UnitRegistry) -> None:
    table = registry.table()
    assert table.column("aliases")[:2] == ("UBND xã Năm Nung", "UBND thị trấn Đắc Mâm")
    assert table.render("csv", "vi").splitlines()[:2] == [
        "Mã;Tên;Cách viết khác",
        "nam-nung;UBND xã Nâm Nung;UBND xã Năm Nung",
    ]
    assert table.render("text").startswith("Units and their aliases\n")


def test_folding_brings_the_variants_together() -> None:
    assert fold_name("UBND xã Năm N'Đir") == fold_name("Nâm N\u2019Đir") == "namndir"
    assert fold_name("UBND thị trấn Đắc Mâm") == fold_name("Đăk Mâm") == fold_name("Đắk Mâm") == "dakmam"
    assert fold_name("Thị trấn") == "thitran"  # Phù Yên's district town keeps its name
    assert fold_name("UBND xã Đức Xuyên") == fold_name("Đứk Xuyên") == "dukxuyen"


NAMES = st.sampled_from(sorted(UNITS.values()))


@given(NAMES, st.sampled_from(["NFC", "NFD", "NFKC", "NFKD"]))
def test_any_normal_form_of_a_name_resolves_to_its_unit(name: str, form: str) -> None:
    registry = UnitRegistry.of(UNITS)
    expected = next(uid for uid, n in UNITS.items() if n == name)
    assert registry.resolve(unicodedata.normalize(form, name)) == expected  # type: ignore[arg-type]


@given(NAMES, st.data())
def test_dropping_a_diacritic_never_matches(name: str, data: st.DataObject) -> None:
    decomposed = unicodedata.normalize("NFD", name)
    marks = [i for i, c in enumerate(decomposed) if unicodedata.combining(c)]
    i = data.draw(st.sampled_from(marks))
    variant = unicodedata.normalize("NFC", decomposed[:i] + decomposed[i + 1:])
    registry = UnitRegistry.of(UNITS)
    with pytest.raises(UnknownUnitError) as info:
        registry.resolve(variant)
    expected = next(uid for uid, n in UNITS.items() if n == name)
    assert expected in info.value.candidates
