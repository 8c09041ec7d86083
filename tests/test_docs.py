"""The documentation builds, and its examples say what the code does.

Code blocks in ``docs/`` are checked when an HTML comment right above them
says how (the comment is invisible in the built site):

``<!-- check: valid scheme -->``
    the following ``toml`` block is a complete scheme that ``loads_scheme`` accepts;
``<!-- check: invalid scheme -->``
    the following ``toml`` block is a complete scheme, read as ``scheme.toml``,
    that ``loads_scheme`` refuses, and the next ``text`` block is exactly the
    message of the ``SchemeError``;
``<!-- check: valid assessments -->``, ``<!-- check: valid published -->``
    the following ``toml`` block is read by ``loads_assessments`` /
    ``loads_published`` without error;
``<!-- check: invalid assessments -->``, ``<!-- check: invalid published -->``
    the following ``toml`` block, read as ``assessments.toml`` / ``published.toml``,
    raises an ``AssessmentError`` whose message is exactly the next ``text`` block;
``<!-- check: doctest -->``
    the following ``pycon`` block is run as a doctest;
``<!-- check: console -->``
    in the following ``console`` block, each ``$ parscore ...`` line is run
    (from the repository root, third-party plug-ins ignored) and must print
    exactly the lines below it; a ``$ echo $?`` line checks the exit status;
``<!-- check: console excerpt -->``
    the same, but the lines shown need only be the beginning of the output.
"""

from __future__ import annotations

import doctest
import io
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import parscore
from parscore.cli import main

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

_MARKED = re.compile(
    r"^<!-- check: (?P<check>[a-z ]+?) -->\n```(?P<lang>[a-z]+)\n(?P<body>.*?)^```$",
    re.MULTILINE | re.DOTALL,
)
_TEXT_BLOCK = re.compile(r"\s*(?:[^`]|`(?!``))*?^```text\n(?P<body>.*?)^```$", re.MULTILINE | re.DOTALL)
_CHECKS = {
    "valid scheme": "toml",
    "invalid scheme": "toml",
    "valid assessments": "toml",
    "valid published": "toml",
    "invalid assessments": "toml",
    "invalid published": "toml",
    "doctest": "pycon",
    "console": "console",
    "console excerpt": "console",
}


def _blocks() -> list[tuple[str, str, str, str, str]]:
    """Every marked block as (id, check, body, expected message, language)."""
    found = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        for match in _MARKED.finditer(text):
            line = text.count("\n", 0, match.start()) + 1
            name = f"{path.relative_to(DOCS).as_posix()}:{line}"
            expected = ""
            if match["check"].startswith("invalid "):
                following = _TEXT_BLOCK.match(text, match.end())
                expected = following["body"] if following else ""
            found.append((name, match["check"], match["body"], expected, match["lang"]))
    return found


BLOCKS = _blocks()


def _of(check: str) -> list[object]:
    return [pytest.param(body, expected, id=name) for name, kind, body, expected, _ in BLOCKS if kind == check]


def test_mkdocs_build_strict(tmp_path: Path) -> None:
    pytest.importorskip("mkdocs")
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(tmp_path / "site")],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "site" / "index.html").is_file()


def test_every_marked_block_is_a_known_check() -> None:
    assert BLOCKS, "no checked code blocks found in docs/"
    for name, check, _, expected, lang in BLOCKS:
        assert check in _CHECKS, f"{name}: unknown check {check!r}; known: {sorted(_CHECKS)}"
        assert lang == _CHECKS[check], f"{name}: a {check!r} check needs a {_CHECKS[check]} block, not {lang}"
        if check.startswith("invalid "):
            assert expected.strip(), f"{name}: an invalid example needs the expected message in a text block"


def test_scheme_format_reference_has_checked_examples() -> None:
    kinds = [check for name, check, _, _, _ in BLOCKS if name.startswith("reference/scheme-format.md:")]
    assert kinds.count("valid scheme") >= 1
    assert kinds.count("invalid scheme") >= 5


@pytest.mark.parametrize(("body", "expected"), _of("valid scheme"))
def test_valid_scheme_example_loads(body: str, expected: str) -> None:
    scheme = parscore.loads_scheme(body, file="scheme.toml")
    assert parscore.loads_scheme(parscore.dumps_scheme(scheme)) == scheme


@pytest.mark.parametrize(("body", "expected"), _of("invalid scheme"))
def test_invalid_scheme_example_gives_the_documented_message(body: str, expected: str) -> None:
    with pytest.raises(parscore.SchemeError) as raised:
        parscore.loads_scheme(body, file="scheme.toml")
    assert str(raised.value) == expected.rstrip("\n")


@pytest.mark.parametrize(("body", "expected"), _of("valid assessments"))
def test_assessments_example_loads(body: str, expected: str) -> None:
    parscore.loads_assessments(body, file="assessments.toml")


@pytest.mark.parametrize(("body", "expected"), _of("valid published"))
def test_published_example_loads(body: str, expected: str) -> None:
    parscore.loads_published(body, file="published.toml")


@pytest.mark.parametrize(("body", "expected"), _of("invalid assessments"))
def test_invalid_assessments_example_gives_the_documented_message(body: str, expected: str) -> None:
    with pytest.raises(parscore.AssessmentError) as raised:
        parscore.loads_assessments(body, file="assessments.toml")
    assert str(raised.value) == expected.rstrip("\n")


@pytest.mark.parametrize(("body", "expected"), _of("invalid published"))
def test_invalid_published_example_gives_the_documented_message(body: str, expected: str) -> None:
    with pytest.raises(parscore.AssessmentError) as raised:
        parscore.loads_published(body, file="published.toml")
    assert str(raised.value) == expected.rstrip("\n")


@pytest.mark.parametrize(("body", "expected"), _of("doctest"))
def test_python_example_runs_as_shown(body: str, expected: str) -> None:
    test = doctest.DocTestParser().get_doctest(body, {}, "docs", None, 0)
    out = io.StringIO()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=out.write)
    assert runner.failures == 0, out.getvalue()


def _commands(block: str) -> list[tuple[str, str]]:
    """The ``$ command`` lines of a console block, each with the text printed after it."""
    found: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            found.append((line[2:], []))
        elif found:
            found[-1][1].append(line)
    return [(command, "".join(f"{line}\n" for line in lines)) for command, lines in found]


@pytest.mark.parametrize(("body", "expected"), _of("console"))
def test_console_example_prints_what_is_shown(
    body: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_console(body, monkeypatch, whole=True)


@pytest.mark.parametrize(("body", "expected"), _of("console excerpt"))
def test_console_excerpt_is_how_the_output_begins(
    body: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _run_console(body, monkeypatch, whole=False)


def _run_console(body: str, monkeypatch: pytest.MonkeyPatch, *, whole: bool) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("PARSCORE_DISABLE_PLUGIN_AUTOLOAD", "1")
    status = None
    for command, shown in _commands(body):
        if command == "echo $?":
            assert shown == f"{status}\n", f"exit status of the previous command: {status}"
            continue
        argv = shlex.split(command)
        if argv[:3] == ["python", "-m", "parscore"]:
            argv = ["parscore", *argv[3:]]
        assert argv[0] == "parscore", f"only parscore commands can be checked: {command}"
        out, err = io.StringIO(), io.StringIO()
        status = main(argv[1:], out, err)
        printed = out.getvalue() + err.getvalue()
        assert printed == shown if whole else printed.startswith(shown), command


def test_api_reference_lists_every_public_name() -> None:
    text = (DOCS / "reference" / "api.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^`([A-Za-z_][A-Za-z0-9_]*)[(`]", text, re.MULTILINE))
    missing = sorted(set(parscore.__all__) - documented)
    assert not missing, f"docs/reference/api.md does not describe: {missing}"


def test_api_from_docstrings_lists_every_public_callable() -> None:
    import parscore

    page = (ROOT / "docs" / "reference" / "api-docstrings.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"^::: parscore\.(\w+)$", page, re.MULTILINE))
    public = {n for n in parscore.__all__ if callable(getattr(parscore, n))}
    assert public - listed == set(), "add them to docs/reference/api-docstrings.md"
    assert listed - set(parscore.__all__) == set()
