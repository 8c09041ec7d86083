"""Scheme plug-ins: schemes found through the ``parscore.schemes`` entry points.

A plug-in is any installed distribution that declares, in its metadata::

    [project.entry-points."parscore.schemes"]
    "vn.dak-nong.krong-no.commune.2022" = "my_schemes:krong_no_2022"

where the object named is a ``SchemePackage``: the package that holds the
scheme's TOML (read through ``importlib.resources``) and its worked examples.
The built-in schemes are registered the same way.  Listing reads only the
entry points; a plug-in's module is imported only when its scheme is asked for.

``entry_points`` can be passed to every function here, so tests and tools
can present a fake set of installed plug-ins.
"""

from __future__ import annotations

import importlib.metadata
from collections.abc import Callable, Iterable
from importlib import resources
from typing import Any

import attrs

from .assessments import Assessments, loads_assessments
from .errors import ParscoreError, PluginError, SchemeNotFoundError
from .model import Scheme
from .published import Published, loads_published
from .rules import BUILTIN_RULES
from .schemefile import loads_scheme

__all__ = [
    "GROUP",
    "Example",
    "InstalledScheme",
    "SchemePackage",
    "available_schemes",
    "get_scheme",
    "get_scheme_package",
]

#: The entry-point group scheme plug-ins register in.
GROUP = "parscore.schemes"

EntryPoints = Callable[..., Iterable[Any]]


@attrs.frozen
class Example:
    """A worked example a plug-in ships: assessments and, optionally, what was published."""

    name: str
    assessments: str
    published: str | None = None


@attrs.frozen
class SchemePackage:
    """What a ``parscore.schemes`` entry point names: where a scheme's files are.

    ``package`` is an importable package; ``scheme`` and each example's files
    are resource paths inside it.
    """

    package: str
    scheme: str
    examples: tuple[Example, ...] = ()

    def _read(self, name: str) -> tuple[str, str]:
        resource = resources.files(self.package).joinpath(name)
        return resource.read_text(encoding="utf-8"), f"{self.package}/{name}"

    def load_scheme(self) -> Scheme:
        """Load and validate the scheme."""
        text, file = self._read(self.scheme)
        return loads_scheme(text, file=file, rules=BUILTIN_RULES)

    def load_example(self, example: Example) -> tuple[Assessments, Published | None]:
        """Load one example's assessments and published figures."""
        text, file = self._read(example.assessments)
        assessments = loads_assessments(text, file=file)
        published = None
        if example.published is not None:
            text, file = self._read(example.published)
            published = loads_published(text, file=file)
        return assessments, published


@attrs.frozen
class InstalledScheme:
    """A scheme an installed distribution offers, known from metadata alone."""

    id: str
    distribution: str
    target: str


def _entry_points(entry_points: EntryPoints | None) -> list[Any]:
    found = (entry_points or importlib.metadata.entry_points)(group=GROUP)
    return sorted(found, key=lambda ep: (ep.name, _dist_name(ep)))


def _dist_name(ep: Any) -> str:
    dist = getattr(ep, "dist", None)
    return str(dist.metadata["Name"]) if dist is not None else "?"


def available_schemes(entry_points: EntryPoints | None = None) -> tuple[InstalledScheme, ...]:
    """Every installed scheme, by id, without importing any plug-in.

    Raises ``PluginError`` naming both distributions when two claim one id.
    """
    listed: dict[str, InstalledScheme] = {}
    for ep in _entry_points(entry_points):
        item = InstalledScheme(ep.name, _dist_name(ep), ep.value)
        if ep.name in listed and listed[ep.name] != item:
            other = listed[ep.name]
            raise PluginError(
                f"scheme id {ep.name!r} is claimed by two plug-ins: {other.distribution}"
                f" ({other.target}) and {item.distribution} ({item.target})"
            )
        listed[ep.name] = item
    return tuple(listed.values())


def get_scheme_package(scheme_id: str, entry_points: EntryPoints | None = None) -> SchemePackage:
    """The ``SchemePackage`` an installed plug-in registers for ``scheme_id``."""
    installed = {s.id: s for s in available_schemes(entry_points)}
    if scheme_id not in installed:
        known = ", ".join(sorted(installed)) or "none"
        raise SchemeNotFoundError(f"no installed scheme {scheme_id!r}; installed: {known}")
    for ep in _entry_points(entry_points):
        if ep.name == scheme_id:
            try:
                target = ep.load()
            except Exception as exc:  # noqa: BLE001 - any import failure of a plug-in is reported
                raise PluginError(
                    f"plug-in {installed[scheme_id].distribution} failed to load scheme"
                    f" {scheme_id!r} from {ep.value}: {type(exc).__name__}: {exc}"
                ) from exc
            if not isinstance(target, SchemePackage):
                raise PluginError(
                    f"entry point {scheme_id!r} ({ep.value}) must name a parscore.SchemePackage,"
                    f" got {type(target).__name__}"
                )
            return target
    raise AssertionError("unreachable")  # pragma: no cover


def get_scheme(scheme_id: str, entry_points: EntryPoints | None = None) -> Scheme:
    """Load the installed scheme ``scheme_id``; its id must match its entry point."""
    package = get_scheme_package(scheme_id, entry_points)
    try:
        scheme = package.load_scheme()
    except ParscoreError:
        raise
    except (OSError, ModuleNotFoundError) as exc:
        raise PluginError(f"cannot read scheme {scheme_id!r} from {package.package}: {exc}") from exc
    if scheme.id != scheme_id:
        raise PluginError(
            f"entry point {scheme_id!r} loads a scheme whose id is {scheme.id!r}"
        )
    return scheme
