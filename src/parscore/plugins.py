"""Plug-ins: schemes and leaf rules that installed distributions provide.

A **scheme plug-in** is a package holding ``scheme.toml`` (and, optionally,
worked examples in ``examples/<name>/``), registered in its distribution's
metadata under the entry-point group ``parscore.schemes``, the entry point's
name being the scheme id::

    [project.entry-points."parscore.schemes"]
    "vn.dak-nong.krong-no.commune.2022" = "parscore_schemes.krong_no_2022"

A **rule plug-in** is an attrs class implementing ``parscore.Rule``,
registered under ``parscore.rules`` by its ``kind``; a scheme's TOML then
uses it by that name.  Scheme files stay pure data: no code in them runs.

The built-in schemes are registered the same way, in parscore's own
metadata.  Listing reads only the entry points and each scheme's TOML header
(no plug-in module is imported); a plug-in's package is imported only when
its scheme is asked for.  A broken plug-in is listed with its error and does
not stop the others.  Setting ``PARSCORE_DISABLE_PLUGIN_AUTOLOAD=1`` ignores
every plug-in but parscore's own built-in ones.

Every function takes ``entry_points`` and ``environ``, so tests and tools
can present a fake set of installed distributions.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import attrs

from . import _toml
from .assessments import loads_assessments
from .errors import PluginError, SchemeNotFoundError
from .golden import Example, ExampleOutcome, loads_expected, run_example
from .model import SCHEME_ID, Scheme
from .published import loads_published
from .rules import BUILTIN_RULES, Rule
from .schemefile import loads_scheme

__all__ = [
    "DISABLE_AUTOLOAD",
    "RULES_GROUP",
    "SCHEMES_GROUP",
    "InstalledScheme",
    "SchemePackage",
    "available_schemes",
    "get_scheme",
    "get_scheme_package",
    "installed_rules",
]

#: The entry-point group scheme plug-ins register in.
SCHEMES_GROUP = "parscore.schemes"
#: The entry-point group rule plug-ins register in.
RULES_GROUP = "parscore.rules"
#: Set to a non-empty value other than ``0`` to ignore third-party plug-ins.
DISABLE_AUTOLOAD = "PARSCORE_DISABLE_PLUGIN_AUTOLOAD"
#: The distribution whose own (built-in) plug-ins are never disabled.
_OWN = "parscore"
#: The file a scheme plug-in's package holds.
SCHEME_FILE = "scheme.toml"
#: The folder of worked examples inside a scheme plug-in's package.
EXAMPLES = "examples"
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")

EntryPoints = Callable[..., Iterable[Any]]


def _dist_name(ep: Any) -> str:
    dist = getattr(ep, "dist", None)
    return str(dist.metadata["Name"]) if dist is not None else "(unknown distribution)"


def _disabled(environ: Mapping[str, str] | None) -> bool:
    value = (os.environ if environ is None else environ).get(DISABLE_AUTOLOAD, "")
    return value.strip() not in ("", "0")


def _entry_points(
    group: str, entry_points: EntryPoints | None, environ: Mapping[str, str] | None
) -> list[Any]:
    found = list((entry_points or importlib.metadata.entry_points)(group=group))
    # A distribution found twice on the path shows each entry point twice.
    unique = {(ep.name, _dist_name(ep), ep.value): ep for ep in found}
    found = list(unique.values())
    if _disabled(environ):
        found = [ep for ep in found if _dist_name(ep) == _OWN]
    return sorted(found, key=lambda ep: (ep.name, _dist_name(ep), ep.value))


# --- schemes ----------------------------------------------------------------


@attrs.frozen
class InstalledScheme:
    """A scheme an installed distribution offers, as listed without importing it.

    ``error`` is set, and the header fields may be ``None``, when the
    plug-in is broken; ``parscore schemes`` lists it with that error.
    """

    id: str
    distribution: str
    package: str
    title: str | None = None
    issuer: str | None = None
    level: str | None = None
    year: int | None = None
    revision: int | None = None
    error: str | None = None

    @property
    def broken(self) -> bool:
        return self.error is not None


def _package_folder(ep: Any) -> Path:
    """The folder of an entry point's package, found without importing the package."""
    module = ep.value.strip()
    if not _MODULE.fullmatch(module):
        raise PluginError(
            f"entry point {ep.name!r} must name a package (such as 'my_schemes.krong_no_2022'),"
            f" got {ep.value!r}"
        )
    dist = getattr(ep, "dist", None)
    if dist is not None and hasattr(dist, "locate_file"):
        folder = Path(str(dist.locate_file(module.replace(".", "/"))))
        if (folder / SCHEME_FILE).is_file():
            return folder
    try:
        # Finding a dotted package imports its parents (not the package itself).
        spec = importlib.util.find_spec(module)
    except Exception as exc:  # whatever a broken parent raises is reported
        raise PluginError(f"cannot find package {module!r}: {type(exc).__name__}: {exc}") from exc
    if spec is None or not spec.submodule_search_locations:
        raise PluginError(f"package {module!r} is not installed (or is a module, not a package)")
    for location in spec.submodule_search_locations:
        if (Path(location) / SCHEME_FILE).is_file():
            return Path(location)
    raise PluginError(f"package {module!r} has no {SCHEME_FILE}")


def _header(ep: Any) -> InstalledScheme:
    base = InstalledScheme(ep.name, _dist_name(ep), ep.value)
    try:
        path = _package_folder(ep) / SCHEME_FILE
        text = _toml.read_text(path)
    except (PluginError, OSError, ValueError, UnicodeDecodeError) as exc:
        return attrs.evolve(base, error=str(exc))
    data, problems = _toml.parse(text, str(path))
    if data is None:
        return attrs.evolve(base, error=str(problems[0]))

    def text_of(key: str) -> str | None:
        value = data.get(key)
        return value if isinstance(value, str) else None

    def int_of(key: str) -> int | None:
        value = data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    listed = attrs.evolve(
        base, title=text_of("title"), issuer=text_of("issuer"), level=text_of("level"),
        year=int_of("year"), revision=int_of("revision") or 0,
    )
    if data.get("format") != 1:
        return attrs.evolve(
            listed,
            error=f"written for scheme format {data.get('format')!r}; this parscore reads format 1",
        )
    if data.get("id") != ep.name:
        return attrs.evolve(
            listed, error=f"the entry point is named {ep.name!r} but the scheme's id is {data.get('id')!r}"
        )
    if not SCHEME_ID.fullmatch(ep.name):
        return attrs.evolve(listed, error=f"{ep.name!r} is not a valid scheme id")
    return listed


def available_schemes(
    entry_points: EntryPoints | None = None, environ: Mapping[str, str] | None = None
) -> tuple[InstalledScheme, ...]:
    """Every installed scheme in id order, broken ones included with their error.

    No plug-in module is imported: ids and distributions come from the
    entry points, titles and years from each scheme's TOML header.
    """
    eps = _entry_points(SCHEMES_GROUP, entry_points, environ)
    claims: dict[str, list[Any]] = {}
    for ep in eps:
        claims.setdefault(ep.name, []).append(ep)
    listed = []
    for scheme_id, group in claims.items():
        if len(group) > 1:
            owners = " and ".join(f"{_dist_name(ep)} ({ep.value})" for ep in group)
            for ep in group:
                listed.append(
                    InstalledScheme(
                        scheme_id, _dist_name(ep), ep.value,
                        error=f"scheme id {scheme_id!r} is claimed by two plug-ins: {owners}",
                    )
                )
        else:
            listed.append(_header(group[0]))
    return tuple(listed)


@attrs.frozen
class SchemePackage:
    """An installed scheme plug-in's package: its scheme and worked examples."""

    id: str
    package: str
    distribution: str
    rules: Mapping[str, type[Rule]] = attrs.field(eq=False, repr=False)

    def _files(self) -> Any:
        try:
            importlib.import_module(self.package)
        except Exception as exc:  # any import failure of a plug-in is reported
            raise PluginError(
                f"plug-in {self.distribution} failed to import {self.package!r} for scheme"
                f" {self.id!r}: {type(exc).__name__}: {exc}"
            ) from exc
        return resources.files(self.package)

    def load_scheme(self) -> Scheme:
        """Load and validate the scheme; its id must match the entry point."""
        resource = self._files().joinpath(SCHEME_FILE)
        try:
            text = resource.read_text(encoding="utf-8")
        except OSError as exc:
            raise PluginError(f"cannot read {SCHEME_FILE} of {self.package!r}: {exc}") from exc
        scheme = loads_scheme(text, file=f"{self.package}/{SCHEME_FILE}", rules=self.rules)
        if scheme.id != self.id:
            raise PluginError(
                f"entry point {self.id!r} ({self.package}) loads a scheme whose id is {scheme.id!r}"
            )
        return scheme

    @property
    def examples(self) -> tuple[str, ...]:
        """The names of the worked examples the plug-in ships, sorted."""
        folder = self._files().joinpath(EXAMPLES)
        if not folder.is_dir():
            return ()
        return tuple(sorted(
            item.name for item in folder.iterdir()
            if item.is_dir() and item.joinpath("assessments.toml").is_file()
        ))

    def load_example(self, name: str) -> Example:
        """Load the worked example ``name``: assessments, published figures, expectations."""
        if name not in self.examples:
            known = ", ".join(self.examples) or "none"
            raise PluginError(f"scheme {self.id!r} has no example {name!r}; examples: {known}")
        folder = self._files().joinpath(EXAMPLES).joinpath(name)
        prefix = f"{self.package}/{EXAMPLES}/{name}"

        def read(file: str) -> str | None:
            item = folder.joinpath(file)
            return item.read_text(encoding="utf-8") if item.is_file() else None

        assessments_text = read("assessments.toml")
        assert assessments_text is not None
        assessments = loads_assessments(assessments_text, file=f"{prefix}/assessments.toml")
        published_text = read("published.toml")
        published = (
            loads_published(published_text, file=f"{prefix}/published.toml") if published_text else None
        )
        expected_text = read("expected.toml")
        expected, notes = (
            loads_expected(expected_text, file=f"{prefix}/expected.toml") if expected_text else ((), ())
        )
        return Example(name, assessments, published, expected, notes)

    def run_examples(self) -> tuple[ExampleOutcome, ...]:
        """Run every worked example against the scheme (``parscore test``)."""
        scheme = self.load_scheme()
        return tuple(run_example(scheme, self.load_example(name)) for name in self.examples)


def get_scheme_package(
    scheme_id: str, entry_points: EntryPoints | None = None, environ: Mapping[str, str] | None = None
) -> SchemePackage:
    """The installed plug-in package for ``scheme_id``.

    Raises ``SchemeNotFoundError`` listing the installed ids when there is
    none, and ``PluginError`` with the reason when its plug-in is broken.
    """
    listed = [s for s in available_schemes(entry_points, environ) if s.id == scheme_id]
    if not listed:
        known = ", ".join(sorted({s.id for s in available_schemes(entry_points, environ)})) or "none"
        hint = f" ({DISABLE_AUTOLOAD} is set: only built-in schemes are loaded)" if _disabled(environ) else ""
        raise SchemeNotFoundError(f"no installed scheme {scheme_id!r}{hint}; installed: {known}")
    item = listed[0]
    if item.error is not None:
        raise PluginError(f"scheme {scheme_id!r} from {item.distribution} cannot be used: {item.error}")
    return SchemePackage(item.id, item.package, item.distribution, installed_rules(entry_points, environ))


def get_scheme(
    scheme_id: str, entry_points: EntryPoints | None = None, environ: Mapping[str, str] | None = None
) -> Scheme:
    """Load the installed scheme ``scheme_id``."""
    return get_scheme_package(scheme_id, entry_points, environ).load_scheme()


# --- rules --------------------------------------------------------------------


class _InstalledRules(Mapping[str, type[Rule]]):
    """The built-in rules plus those of rule plug-ins, each imported on first use."""

    def __init__(self, eps: list[Any]) -> None:
        self._eps: dict[str, list[Any]] = {}
        for ep in eps:
            self._eps.setdefault(ep.name, []).append(ep)
        self._loaded: dict[str, type[Rule]] = {}

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(set(BUILTIN_RULES) | set(self._eps)))

    def __len__(self) -> int:
        return len(set(BUILTIN_RULES) | set(self._eps))

    def __contains__(self, kind: object) -> bool:
        return kind in BUILTIN_RULES or kind in self._eps

    def __getitem__(self, kind: str) -> type[Rule]:
        if kind in self._eps and kind in BUILTIN_RULES:
            owners = ", ".join(_dist_name(ep) for ep in self._eps[kind])
            raise PluginError(f"rule plug-in {owners} redefines the built-in rule kind {kind!r}")
        if kind in BUILTIN_RULES:
            return BUILTIN_RULES[kind]
        if kind not in self._eps:
            raise KeyError(kind)
        if kind not in self._loaded:
            self._loaded[kind] = _load_rule(kind, self._eps[kind])
        return self._loaded[kind]


def _load_rule(kind: str, eps: list[Any]) -> type[Rule]:
    if len(eps) > 1:
        owners = " and ".join(f"{_dist_name(ep)} ({ep.value})" for ep in eps)
        raise PluginError(f"rule kind {kind!r} is claimed by two plug-ins: {owners}")
    ep = eps[0]
    try:
        cls = ep.load()
    except Exception as exc:  # any import failure of a plug-in is reported
        raise PluginError(
            f"rule plug-in {_dist_name(ep)} failed to load rule {kind!r} from {ep.value}:"
            f" {type(exc).__name__}: {exc}"
        ) from exc
    missing = [m for m in ("parse", "problems", "points", "explain") if not callable(getattr(cls, m, None))]
    if not isinstance(cls, type) or not attrs.has(cls) or missing:
        what = "is not an attrs class" if not (isinstance(cls, type) and attrs.has(cls)) else (
            f"lacks {', '.join(missing)}"
        )
        raise PluginError(
            f"rule plug-in {ep.value} ({_dist_name(ep)}) must name an attrs class implementing"
            f" parscore.Rule; it {what}"
        )
    if getattr(cls, "kind", None) != kind:
        raise PluginError(
            f"rule plug-in {ep.value} is registered as {kind!r} but its kind is {getattr(cls, 'kind', None)!r}"
        )
    return cls  # type: ignore[return-value]


def installed_rules(
    entry_points: EntryPoints | None = None, environ: Mapping[str, str] | None = None
) -> Mapping[str, type[Rule]]:
    """Every rule kind a scheme may use: built-in ones and installed rule plug-ins.

    Plug-in rules are imported only when a scheme uses them.
    """
    return _InstalledRules(_entry_points(RULES_GROUP, entry_points, environ))

