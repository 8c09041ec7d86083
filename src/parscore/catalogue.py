"""The error catalogue: a stable code for every error parscore reports.

Each ``ErrorCode`` names one kind of problem: its ``code`` (``PS101``), a
short ``title``, the ``pattern`` that recognises its message, what it
``means``, how to ``fix`` it, and an ``example`` input that gives it, with
the message it gives.  ``code_of(message)`` finds the entry of a message;
``Problem.code`` and ``ParscoreError.code`` use it.

A code identifies *what* is wrong, wherever it is found: the same
``PS801`` is given for a word where a number belongs in a scheme's key, a
cell of a CSV file or an evaluated unit's value.  The place is in the rest
of the problem (its file, line, key path, tree path, or the unit or table
its message starts with).

Codes are grouped by area:

=======  ===============================================================
PS1xx    scheme files and the format of every document parscore reads
PS2xx    scheme content: ids, the tree, maxima, rounding, bands, rules
PS3xx    assessments files (TOML, CSV, spreadsheets, JSON)
PS4xx    evaluation, and results read back from a file
PS5xx    published figures, audits, improvement plans, tracking, summaries
PS6xx    plug-ins, the plug-in kit and optional dependencies
PS7xx    unit identity: names, aliases, ids
PS8xx    numbers
=======  ===============================================================

Codes are stable: once assigned, a code keeps its meaning and is never
renumbered, and a code that is retired is never given to another error.
New errors get new codes.  ``docs/reference/error-codes.md`` is generated
from this catalogue (``python -m parscore.catalogue``).

Problems that a rule plug-in words itself (its own parameter checks and
the values its rule refuses) are not parscore's messages and have no code.
"""

from __future__ import annotations

import re
import textwrap

import attrs

__all__ = [
    "AREAS",
    "CATALOGUE",
    "EXAMPLE_ASSESSMENTS",
    "EXAMPLE_KINDS",
    "EXAMPLE_SCHEME",
    "PYTHON_PRELUDE",
    "ErrorCode",
    "ErrorExample",
    "code_of",
    "markdown",
]


@attrs.frozen
class ErrorExample:
    """An input that gives an error, and the message it gives.

    ``kind`` says how ``text`` is used (see ``EXAMPLE_KINDS``);
    ``message`` is the problem as ``str(problem)`` prints it (its place
    and message, without the file), or the message of an error that is
    not an ``InputError``.
    """

    kind: str
    text: str
    message: str


@attrs.frozen
class ErrorCode:
    """One entry of the catalogue."""

    code: str
    title: str
    pattern: re.Pattern[str]
    fix: str
    example: ErrorExample
    means: str

    def matches(self, message: str) -> bool:
        """Whether ``message`` is of this kind."""
        return self.pattern.search(message) is not None


#: The areas of the catalogue, by the first digit of their codes.
AREAS: tuple[tuple[str, str], ...] = (
    ("1", "Scheme files and document format"),
    ("2", "Scheme content"),
    ("3", "Assessments files"),
    ("4", "Evaluation and result files"),
    ("5", "Published figures, audits, plans, tracking and summaries"),
    ("6", "Plug-ins, the plug-in kit and optional dependencies"),
    ("7", "Unit identity"),
    ("8", "Numbers"),
)

_AREA_NOTES = {
    "1": "The codes about keys, types and syntax apply to every TOML or JSON document parscore reads"
         " (schemes, assessments, published figures, plans, tracking files, summaries, results), not"
         " only to schemes.",
    "4": "Evaluation problems start with the unit they concern (`unit 'xa-a': `) and carry the tree"
         " path of the leaf. The values a rule refuses (PS407 to PS413) are given the same codes when"
         " a file is read with a scheme, where they start with the unit and criterion instead.",
    "5": "Problems found while comparing or auditing a report start with the place in the report"
         " (`Bảng 1: `) that the figure comes from.",
    "8": "These codes are given wherever a number is read: a key of a TOML document, a cell, an"
         " evaluated value (after its unit: `unit 'xa-a': expected …`).",
}

#: How each kind of example is used, in words.
EXAMPLE_KINDS: dict[str, str] = {
    "scheme": "`scheme.toml`, read with `load_scheme`",
    "assessments": "`assessments.toml`, read with `load_assessments`",
    "published": "`published.toml`, read with `load_published`",
    "plan": "`plan.toml`, read with `load_plan`",
    "tracking": "`tracking.toml`, read with `load_tracking`",
    "summary": "`summary.toml`, read with `load_summary`",
    "evaluate": "`assessments.toml`, read and evaluated against [the example scheme](#example-scheme)",
    "compare": "`published.toml`, compared with the result of [the example assessments](#example-assessments)",
    "audit": "`published.toml`, audited against [the example scheme](#example-scheme) with `audit_published`",
    "audit summary": "`summary.toml`, audited against [the example scheme](#example-scheme) with `audit_summary`",
    "csv": "`assessments.csv`, read with `read_assessments` and [the example scheme](#example-scheme)",
    "json": "`assessments.json`, read with `read_assessments` and [the example scheme](#example-scheme)",
    "python": "Python, run in an empty folder after [the prelude](#python-examples)",
}

_LANGUAGES = {"csv": "text", "json": "json", "python": "python"}

#: The scheme the evaluation, comparison, audit and file examples use.
EXAMPLE_SCHEME = """\
format = 1
id = "vn.example.huyen-a.commune.2024"
title = "Ví dụ"
issuer = "UBND huyện A"
level = "commune"
year = 2024

[[fields]]
code = "1"
title = "Công tác chỉ đạo, điều hành CCHC"
max = 6

[[fields.criteria]]
code = "1.1"
title = "Kế hoạch CCHC"
max = 2
rule = { kind = "pass_fail" }

[[fields.criteria]]
code = "1.2"
title = "Báo cáo CCHC"
max = 4
rule = { kind = "entered", step = 0.5 }

[[fields]]
code = "2"
title = "Cải cách thủ tục hành chính"
max = 6

[[fields.criteria]]
code = "2.1"
title = "Tỷ lệ hồ sơ giải quyết đúng hạn"
max = 2
rule = { kind = "ratio" }

[[fields.criteria]]
code = "2.2"
title = "Tỷ lệ giải ngân"
max = 2
rule = { kind = "tiers", tiers = [{ at_least = 0.5, points = 1 }, { at_least = 0.85, points = 2 }] }

[[fields.criteria]]
code = "2.3"
title = "Vi phạm quy định về thủ tục hành chính"
max = 2
rule = { kind = "deduction", per = 0.5 }
not_applicable = "full"

[[fields]]
code = "3"
title = "Sáng kiến và mức độ hài lòng"
max = 4

[[fields.criteria]]
code = "3.1"
title = "Sáng kiến được công nhận"
max = 2
rule = { kind = "bonus", per_item = 1 }

[[fields.criteria]]
code = "3.2"
title = "Chỉ số hài lòng"
max = 2
rule = { kind = "survey" }

[[bands]]
name = "Tốt"
from = 14

[[bands]]
name = "Khá"
from = 10
to = 14

[[bands]]
name = "Chưa tốt"
from = 0
to = 10
"""

_UNIT_A = ('appraised = { "1.1" = true, "1.2" = "3,5", "2.1" = "0,9", "2.2" = "0,9", "2.3" = 1,'
           ' "3.1" = 1, "3.2" = 80 }')
_UNIT_B = ('appraised = { "1.1" = false, "1.2" = 3, "2.1" = "0,75", "2.2" = "0,6", "2.3" = "n/a",'
           ' "3.1" = 0, "3.2" = 65 }')

#: Assessments of two communes against the example scheme.
EXAMPLE_ASSESSMENTS = f"""\
scheme = "vn.example.huyen-a.commune.2024"

[[units]]
id = "xa-a"
name = "UBND xã A"
{_UNIT_A}

[[units]]
id = "xa-b"
name = "UBND xã B"
{_UNIT_B}
"""

#: What every Python example runs first: stand-ins for installed plug-ins.
#: ``EXAMPLE_SCHEME`` and ``EXAMPLE_ASSESSMENTS`` are the texts above.
PYTHON_PRELUDE = '''\
import importlib.metadata


class EntryPoint:
    """An entry point of an installed distribution, as parscore reads it."""

    def __init__(self, name, value, distribution="vendor-schemes"):
        self.name, self.value = name, value
        self.dist = type("Distribution", (), {"metadata": {"Name": distribution}})()

    def load(self):
        return importlib.metadata.EntryPoint(self.name, self.value, "").load()


def installed(schemes=(), rules=()):
    """A stand-in for importlib.metadata.entry_points: only these entry points are installed."""
    groups = {"parscore.schemes": list(schemes), "parscore.rules": list(rules)}
    return lambda *, group: groups[group]
'''

# --- example builders ------------------------------------------------------------

_HEAD = """\
format = 1
id = "vn.example.huyen-a.commune.2024"
title = "Ví dụ"
issuer = "UBND huyện A"
level = "commune"
year = 2024
"""
_FIELD = """
[[fields]]
code = "1"
title = "Công tác chỉ đạo, điều hành CCHC"
max = 10
"""
_BAND = """
[[bands]]
name = "Đạt"
from = 0
"""


def _scheme(fields: str = _FIELD, bands: str = _BAND, head: str = _HEAD, top: str = "") -> str:
    """A small scheme: the header (and ``top`` keys), the fields, the bands."""
    return f"{head}{top}{fields}{bands}"


def _leaf(rule: str, max_points: str = "10", extra: str = "") -> str:
    """The one field of a small scheme as a leaf with ``rule``."""
    return f"""
[[fields]]
code = "1"
title = "Công tác chỉ đạo, điều hành CCHC"
max = {max_points}
rule = {rule}
{extra}"""


def _criteria(*maxima: str, field_max: str = "10", extra: str = "") -> str:
    """One field of a small scheme with criteria of ``maxima``."""
    text = f"""
[[fields]]
code = "1"
title = "Công tác chỉ đạo, điều hành CCHC"
max = {field_max}
{extra}"""
    for i, max_points in enumerate(maxima, start=1):
        text += f"""
[[fields.criteria]]
code = "1.{i}"
title = "Tiêu chí {i}"
max = {max_points}
"""
    return text


def _bands(*bands: tuple[str, str, str | None]) -> str:
    text = ""
    for name, lower, upper in bands:
        text += f'\n[[bands]]\nname = "{name}"\nfrom = {lower}\n'
        if upper is not None:
            text += f"to = {upper}\n"
    return text


def _units(*appraised: str, scheme: str = "vn.example.huyen-a.commune.2024") -> str:
    """Assessments of the example scheme's commune A, one line of appraised values each."""
    text = f'scheme = "{scheme}"\n'
    for line in appraised:
        text += f'\n[[units]]\nid = "xa-a"\nname = "UBND xã A"\n{line}\n'
    return text


def _unit_a(**changes: str) -> str:
    """Commune A's appraised values, some changed (code → TOML value)."""
    values = {"1.1": "true", "1.2": '"3,5"', "2.1": '"0,9"', "2.2": '"0,9"', "2.3": "1", "3.1": "1",
              "3.2": "80"}
    values.update({k.replace("_", "."): v for k, v in changes.items()})
    inner = ", ".join(f'"{k}" = {v}' for k, v in values.items())
    return f"appraised = {{ {inner} }}"


_PUBLISHED_HEAD = """\
scheme = "vn.example.huyen-a.commune.2024"
source = "Báo cáo số 12/BC-UBND"
"""
_RESULTS = """
[results]
where = "Bảng 1"
rows = [
  { unit = "UBND xã A", rank = 1, total = 13.4 },
  { unit = "UBND xã B", rank = 2, total = 8.8 },
]
"""


def _published(extra: str = "", results: str = _RESULTS) -> str:
    return f"{_PUBLISHED_HEAD}{results}{extra}"


_PLAN = """\
unit = "xa-a"
year = 2025
"""
_TRACKING = """\
year = 2025

[[statuses]]
status = "achieved"
count = 10
points = "40,5"
"""
_SUMMARY = """\
scheme = "vn.example.huyen-a.commune.2024"
year = 2024
units = 2
"""
_ID = "vn.example.huyen-a.commune.2024"


def _plugin(scheme_toml: str | None, call: str, init: str = "") -> str:
    """A Python example: a scheme plug-in package in this folder, then ``call``."""
    lines = ["import sys", "from pathlib import Path", "", "from parscore import get_scheme, get_scheme_package",
             "", 'Path("vendor_schemes").mkdir()',
             f'Path("vendor_schemes/__init__.py").write_text({init!r})']
    if scheme_toml is not None:
        lines.append(f'Path("vendor_schemes/scheme.toml").write_text({scheme_toml}, encoding="utf-8")')
    lines += ["sys.path.insert(0, str(Path.cwd()))", call]
    return "\n".join(lines) + "\n"


def _rule_plugin(*entry_points: str, kind: str = "half") -> str:
    """A Python example: the example scheme using rule ``kind``, with these rule plug-ins installed."""
    listed = ", ".join(entry_points)
    text = "EXAMPLE_SCHEME" if kind == "survey" else (
        f"EXAMPLE_SCHEME.replace('kind = \"survey\"', 'kind = \"{kind}\"')")
    return (
        "from parscore import installed_rules, loads_scheme\n\n"
        f"rules = installed_rules(installed(rules=[{listed}]))\n"
        f"loads_scheme({text}, rules=rules)\n"
    )


def _result(change: str, scheme: str = "scheme") -> str:
    """A Python example: the example result written by ``dumps_result``, changed, read back."""
    return (
        "import json\n\nfrom parscore import evaluate, loads_assessments, loads_scheme\n"
        "from parscore.resultfile import dumps_result, loads_result\n\n"
        "scheme = loads_scheme(EXAMPLE_SCHEME)\n"
        "data = json.loads(dumps_result(evaluate(scheme, loads_assessments(EXAMPLE_ASSESSMENTS))))\n"
        f"{change}"
        f"loads_result(json.dumps(data, ensure_ascii=False, indent=2), {scheme})\n"
    )


# --- the catalogue ------------------------------------------------------------------

#: At the start of a message, or after the place a message starts with (``unit 'x': ``).
_AT = r"(?:^|: )"
#: A quoted value in a pattern stands for Python's ``repr`` of a text, which is in double
#: quotes when the text holds an apostrophe (``"UBND xã Nâm N'Đir"``).
_QUOTED = {"'.*'": "(?:'.*'|\".*\")", "'[^']*'": "(?:'[^']*'|\"[^\"]*\")"}


def _e(code: str, title: str, pattern: str, example: ErrorExample, means: str, fix: str) -> ErrorCode:
    for quoted, either in _QUOTED.items():
        pattern = pattern.replace(quoted, either)
    return ErrorCode(code, title, re.compile(pattern), fix, example, means)


CATALOGUE: tuple[ErrorCode, ...] = (
    # --- PS1xx: scheme files and document format -------------------------------------
    _e("PS101", "Not valid TOML or JSON",
       r"^not valid (?:TOML|JSON): (?!the number .* is out of range$|the whole number .* has too many digits$"
       r"|a whole number has too many digits$|arrays or (?:inline tables|objects) nested too deeply$)",
       ErrorExample("scheme", _scheme(head=_HEAD.replace('title = "Ví dụ"', 'title = "Ví dụ')),
                    message="line 3, column 15: not valid TOML: Illegal character '\\n'"),
       "The document does not follow TOML (or, for a `.json` file, JSON) syntax, so nothing in it"
       " was read. The line and column say where the parser stopped. JSON's `NaN` and `Infinity`"
       " are refused here too.",
       "Correct the syntax at that place: a missing quote, bracket or `=`, a key declared twice,"
       " a table declared twice."),
    _e("PS102", "Document too large",
       r"^(?:document is larger than the \d+ bytes parscore reads|the file is \d+ bytes, more than the \d+"
       r" parscore reads)$",
       ErrorExample("python", 'from parscore import loads_scheme\n\nloads_scheme("#" * (64 * 1024 * 1024 + 1))\n',
                    message='document is larger than the 67108864 bytes parscore reads'),
       "The document is larger than parscore reads (64 MiB): far larger than any scheme or year of"
       " assessments, so it is refused before it is parsed.",
       "Check that the right file was given; split a huge file into several."),
    _e("PS103", "TOML number out of range",
       r"^not valid TOML: the number .* is out of range$",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = 1e9999999999999999999")),
                    message='line 11: not valid TOML: the number 1e9999999999999999999 is out of range'),
       "A number's exponent is beyond what any number can hold.",
       "Write the number as it is printed, without an exponent."),
    _e("PS104", "Whole number with too many digits",
       r"^not valid (?:TOML: the whole number .* has|JSON: a whole number has) too many digits$",
       ErrorExample("python", 'from parscore import loads_scheme\n\nloads_scheme("max = " + "9" * 5000)\n',
                    message=('line 1: not valid TOML: the whole number 999999999999999999999999999999999999999… has '
                             'too many digits')),
       "A whole number has thousands of digits, more than Python converts from text.",
       "Correct the number."),
    _e("PS105", "Nested too deeply",
       r"^not valid (?:TOML: arrays or inline tables|JSON: arrays or objects) nested too deeply$",
       ErrorExample("python", 'from parscore import loads_scheme\n\nloads_scheme("x = " + "[" * 5000 + "]" * 5000)\n',
                    message='line 1: not valid TOML: arrays or inline tables nested too deeply'),
       "Arrays or inline tables are nested thousands deep; no parscore document nests more than a few.",
       "Correct the brackets."),
    _e("PS106", "Unknown key",
       r"^unknown key ",
       ErrorExample("scheme", _scheme(top='colour = "blue"\n'),
                    message="line 7 (colour): unknown key 'colour'"),
       "A key that the document's format does not have, often a misspelt one. Unknown keys are"
       " refused rather than ignored, so that a misspelt key cannot silently lose what it says.",
       "Correct the key's spelling or remove it; the format references list every key."),
    _e("PS107", "Required key missing",
       r"^required key (?:.* )?is missing$",
       ErrorExample("scheme", _scheme(head=_HEAD.replace('issuer = "UBND huyện A"\n', "")),
                    message='issuer: required key is missing'),
       "A key the format requires is not given. The key path names it.",
       "Add the key."),
    _e("PS108", "Expected a table",
       r"^expected a table, got ",
       ErrorExample("scheme", _scheme(top="ranking = \"dense\"\n"),
                    message="line 7 (ranking): expected a table, got text 'dense'"),
       "A key holds a value where the format expects a table (`[name]` or `{ … }`).",
       "Write the value as a table, such as `ranking = { method = \"dense\" }`."),
    _e("PS109", "Expected an array of tables",
       r"^expected an array of tables, got ",
       ErrorExample("scheme", _scheme(bands="", top='bands = "Đạt"\n'),
                    message="line 7 (bands): expected an array of tables, got text 'Đạt'"),
       "A key that holds a list of tables (`[[bands]]`, `[[fields]]`, `[[units]]`) holds something else.",
       "Write each item as its own `[[name]]` table."),
    _e("PS110", "Expected an array",
       r"^expected an array, got ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "tiers", tiers = { at_least = 0, points = 10 } }')),
                    message='line 12: field 1 (fields[0].rule.tiers): expected an array, got a table'),
       "A key that holds a list (`[ … ]`) holds a single value.",
       "Write the value as an array, even when it has one item: `[ … ]`."),
    _e("PS111", "Expected text",
       r"^expected text, got ",
       ErrorExample("scheme", _scheme(head=_HEAD.replace('title = "Ví dụ"', "title = 2024")),
                    message='line 3 (title): expected text, got a whole number 2024'),
       "A key that holds text holds a number, a boolean, a date, a table or an array.",
       "Write the value in quotes."),
    _e("PS112", "Expected a whole number",
       r"^expected a whole number, got ",
       ErrorExample("scheme", _scheme(head=_HEAD.replace("year = 2024", 'year = "2024"')),
                    message="line 6 (year): expected a whole number, got text '2024'"),
       "A key that holds a whole number (a year, a rank, a count, a number of decimals) holds text,"
       " a decimal number or something else.",
       "Write the whole number without quotes or decimals: `year = 2024`."),
    _e("PS113", "Not one of the allowed words",
       r"^expected one of .*, got ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "entered" }', extra='not_applicable = "skip"\n')),
                    message=("line 13: field 1 (fields[0].not_applicable): expected one of 'full', 'drop', got text "
                             "'skip'")),
       "A key that takes one of a few words (`not_applicable`, a ranking `method`, a tracking"
       " `status`, a result's `basis`) holds another.",
       "Use one of the words the message lists, spelt exactly."),
    _e("PS114", "Expected an object",
       r"^expected an object, got ",
       ErrorExample("json", '{"scheme": "vn.example.huyen-a.commune.2024", "units": [7]}\n',
                    message='units[0]: expected an object, got 7'),
       "In a JSON document, a value where an object (`{ … }`) belongs is something else.",
       "Write the value as an object."),
    _e("PS115", "Expected an array of units",
       r"^expected an array of units, got ",
       ErrorExample("json", '{"scheme": "vn.example.huyen-a.commune.2024", "units": {"id": "xa-a"}}\n',
                    message='units: expected an array of units, got an object'),
       "In a JSON document, `units` is not an array.",
       "Write `units` as an array of objects, one per unit: `\"units\": [{…}, {…}]`."),
    _e("PS116", "Duplicate key",
       r"^(?:duplicate key .*|key given more than once)$",
       ErrorExample("json", '{"scheme": "vn.example.huyen-a.commune.2024", "scheme": "vn.other.commune.2024"}\n',
                    message="scheme: duplicate key 'scheme'"),
       "A JSON object has the same key twice; JSON readers would keep only one of them silently.",
       "Remove or rename one of them."),
    _e("PS117", "Blank text",
       r"^must not be blank$",
       ErrorExample("python", _result('data["units"][0]["name"] = " "\n'),
                    message='line 14 (units[0].name): must not be blank'),
       "A text that must say something (a unit's id or name in a result file) is empty or only spaces.",
       "Fill it in."),
    _e("PS118", "Whole number too small",
       r"^expected a whole number of at least \d+, got ",
       ErrorExample("python", _result('data["units"][0]["rank"] = 0\n'),
                    message='line 15 (units[0].rank): expected a whole number of at least 1, got 0'),
       "A whole number (a rank, a revision) is below the least it can be.",
       "Correct the number: ranks start at 1, revisions at 0."),
    _e("PS120", "Scheme file cannot be read",
       r"^cannot read the scheme: ",
       ErrorExample("python", 'from parscore import load_scheme\n\nload_scheme("missing.toml")\n',
                    message="cannot read the scheme: [Errno 2] No such file or directory: 'missing.toml'"),
       "The scheme file does not exist, cannot be opened, is not UTF-8 text or is larger than"
       " parscore reads; the rest of the message says which.",
       "Check the path; save the file as UTF-8."),
    _e("PS121", "Scheme without fields",
       r"^a scheme needs \[\[fields\]\]$",
       ErrorExample("scheme", _scheme(fields=""),
                    message='fields: a scheme needs [[fields]]'),
       "The scheme has no `[[fields]]` at all.",
       "Add the fields (lĩnh vực), each with its criteria."),
    _e("PS122", "Scheme format not read by this parscore",
       r"^this parscore reads scheme format \d+, the scheme is written for format ",
       ErrorExample("scheme", _scheme(head=_HEAD.replace("format = 1", "format = 2")),
                    message='line 1 (format): this parscore reads scheme format 1, the scheme is written for format 2'),
       "The scheme's `format` is one this version of parscore does not read.",
       "Use a parscore that reads that format, or write the scheme in format 1."),
    # --- PS2xx: scheme content ---------------------------------------------------------
    _e("PS201", "Scheme id not of the required form",
       r"^id must be <country>\.<issuer…>\.<level>\.<year> in lower-case words joined by dots",
       ErrorExample("scheme", _scheme(head=_HEAD.replace(_ID, "Huyện A 2024")),
                    message=('line 2 (id): id must be <country>.<issuer…>.<level>.<year> in lower-case words joined '
                             "by dots, such as 'vn.dak-nong.krong-no.commune.2022', got 'Huyện A 2024'")),
       "A scheme id is `<country>.<issuer…>.<level>.<year>` in lower-case words joined by dots, so"
       " that it says whose scheme it is, for which level and year.",
       "Write the id in that form, such as `vn.dak-nong.krong-no.commune.2022`."),
    _e("PS202", "Id and level disagree",
       r"^the id says level '.*' but level is ",
       ErrorExample("scheme", _scheme(head=_HEAD.replace('level = "commune"', 'level = "district"')),
                    message="line 5 (level): the id says level 'commune' but level is 'district'"),
       "The level in the scheme's id is not its `level`.",
       "Make them the same."),
    _e("PS203", "Id and year disagree",
       r"^the id says year \d+ but year is ",
       ErrorExample("scheme", _scheme(head=_HEAD.replace("year = 2024", "year = 2023")),
                    message='line 6 (year): the id says year 2024 but year is 2023'),
       "The year in the scheme's id is not its `year`.",
       "Make them the same."),
    _e("PS204", "Empty title, issuer or level",
       r"^(?:title|issuer|level) must not be empty$",
       ErrorExample("scheme", _scheme(head=_HEAD.replace('issuer = "UBND huyện A"', 'issuer = " "')),
                    message='line 4 (issuer): issuer must not be empty'),
       "The scheme's or a node's `title`, or the scheme's `issuer` or `level`, is empty.",
       "Fill it in as the source document words it."),
    _e("PS205", "Negative revision",
       r"^revision must be 0 or more, got ",
       ErrorExample("scheme", _scheme(top="revision = -1\n"),
                    message='line 7 (revision): revision must be 0 or more, got -1'),
       "`revision` counts the corrections of a scheme, from 0.",
       "Use 0 for the first version and add 1 for each correction."),
    _e("PS210", "No fields",
       r"^a scheme needs at least one field$",
       ErrorExample("scheme", _scheme(fields="", top="fields = []\n"),
                    message='line 7 (fields): a scheme needs at least one field'),
       "The scheme's list of fields is empty.",
       "Add the fields."),
    _e("PS211", "Code not under its parent's",
       r"^code '.*' must be its parent's code followed by one more part",
       ErrorExample("scheme", _scheme(_criteria("4", "6").replace('code = "1.2"', 'code = "2.2"')),
                    message=("line 19: field 2 › criterion 2.2 (fields[0].criteria[1].code): code '2.2' must be its "
                             "parent's code followed by one more part, such as '1.1'")),
       "Codes are hierarchical: a criterion of field `3` is `3.1`, `3.2`…, a sub-criterion of `3.6`"
       " is `3.6.1`…; this code does not continue its parent's.",
       "Correct the code or move the node under the right parent."),
    _e("PS212", "Duplicate code",
       r"^duplicate code '.*', also used at ",
       ErrorExample("scheme", _scheme(_criteria("4", "6").replace('code = "1.2"', 'code = "1.1"')),
                    message=("line 19: field 1 › criterion 1.1 (fields[0].criteria[1].code): duplicate code '1.1', "
                             'also used at fields[0].criteria[0]')),
       "Two nodes have the same code, so points given for it could not be placed.",
       "Give each node its own code."),
    _e("PS213", "Maximum not above 0",
       r"^max must be above 0, got ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = 0")),
                    message='line 11: field 1 (fields[0].max): max must be above 0, got 0'),
       "A node's `max` is 0 or negative.",
       "Give the maximum points of the node as the source document states them."),
    _e("PS214", "Too many levels",
       r"^an? \S+ cannot have (?:children|subcriteria): schemes have at most ",
       ErrorExample("scheme", _scheme(_criteria("10") + """
[[fields.criteria.subcriteria]]
code = "1.1.1"
title = "Tiêu chí thành phần"
max = 10

[[fields.criteria.subcriteria.subcriteria]]
code = "1.1.1.1"
title = "Nội dung"
max = 10
"""),
                    message=('line 23: field 1 › criterion 1.1 › sub-criterion 1.1.1 '
                             '(fields[0].criteria[0].subcriteria[0].subcriteria): a sub-criterion cannot have '
                             'subcriteria: schemes have at most 3 levels (field › criterion › sub-criterion)')),
       "Schemes have at most three levels: field › criterion › sub-criterion.",
       "Fold the lowest level into its parent, scoring it with one rule."),
    _e("PS215", "Rule on a node with children",
       r"^only leaves have a rule: ",
       ErrorExample("scheme", _scheme(_criteria("10", extra='rule = { kind = "entered" }\n')),
                    message=("line 12: field 1 (fields[0].rule): only leaves have a rule: this node's points are "
                             'the sum of its children')),
       "A node with children is scored by the sum of their points; a rule on it would never be used.",
       "Move the rule to the leaves, or remove it."),
    _e("PS216", "Not-applicable policy on a node with children",
       r"^only leaves have a not_applicable policy$",
       ErrorExample("scheme", _scheme(_criteria("10", extra='not_applicable = "full"\n')),
                    message='line 12: field 1 (fields[0].not_applicable): only leaves have a not_applicable policy'),
       "Only a leaf can be reported not applicable, so only a leaf has a `not_applicable` policy.",
       "Move the policy to the leaves that may not arise."),
    _e("PS217", "Children's maxima do not add up",
       r"^the children's maxima add up to ",
       ErrorExample("scheme", _scheme(_criteria("4", "5")),
                    message=("line 11: field 1 (fields[0].max): the children's maxima add up to 9 (4 + 5), not to "
                             "this node's max 10")),
       "A node's `max` is not the exact sum of its children's maxima.",
       "Check both against the source document: usually a criterion's maximum was mistyped or a"
       " criterion is missing."),
    _e("PS218", "Leaf without a rule",
       r"^a leaf needs a scoring rule$",
       ErrorExample("python", "from decimal import Decimal\n\nfrom parscore import Band, Node, Scheme\n\n"
                    f'Scheme("{_ID}", "Ví dụ", "UBND huyện A", "commune", 2024,\n'
                    '       fields=[Node("1", "Công tác chỉ đạo, điều hành CCHC", Decimal(10))],\n'
                    '       bands=[Band("Đạt", Decimal(0))])\n',
                    message='field 1 (fields[0].rule): a leaf needs a scoring rule'),
       "A leaf built in Python has no rule. (In TOML, a leaf without `rule` has points entered by"
       " hand, the `entered` rule.)",
       "Give the leaf a rule, such as `Entered()`."),
    _e("PS219", "Stated total does not add up",
       r"^total is .* but the fields' maxima add up to ",
       ErrorExample("scheme", _scheme(top="total = 100\n"),
                    message="line 7 (total): total is 100 but the fields' maxima add up to 10"),
       "The scheme's `total` is not the sum of its fields' maxima.",
       "Check the fields' maxima against the source document; if the source itself does not add"
       " up, leave `total` out and record its figure as `[source] stated_total`."),
    _e("PS220", "Scale not above 0",
       r"^scale must be above 0, got ",
       ErrorExample("scheme", _scheme(top="normalisation = { scale = 0 }\nrounding = { normalised = 2 }\n"),
                    message='line 7 (normalisation.scale): scale must be above 0, got 0'),
       "The normalisation `scale` is 0 or negative.",
       "Give the scale the scheme publishes scores on, such as 100."),
    _e("PS221", "Decimals out of range",
       r"^decimals must be from 0 to 10, got ",
       ErrorExample("scheme", _scheme(top="rounding = { leaf = 11 }\n"),
                    message='line 7 (rounding.leaf): decimals must be from 0 to 10, got 11'),
       "A `[rounding]` number of decimals is below 0 or above 10.",
       "Give the decimals the scheme publishes the value with."),
    _e("PS222", "Leaf maxima finer than leaf rounding",
       r"^leaf points are rounded to \d+ decimals?, but these leaves' maxima have more decimals: ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = 9.75"), top="rounding = { leaf = 1 }\n"),
                    message=("line 7 (rounding.leaf): leaf points are rounded to 1 decimal, but these leaves' "
                             'maxima have more decimals: 1 (9.75); a full score would round past the max')),
       "Leaf points are rounded to fewer decimals than some leaves' maxima have, so a full score"
       " would round past its maximum.",
       "Round leaf points to at least as many decimals as the maxima have."),
    _e("PS223", "Scale finer than normalised rounding",
       r"^the scale .* has more decimals than the \d+ the normalised score is rounded to",
       ErrorExample("scheme", _scheme(top="normalisation = { scale = 99.5 }\nrounding = { normalised = 0 }\n"),
                    message=('line 8 (rounding.normalised): the scale 99.5 has more decimals than the 0 the '
                             'normalised score is rounded to: a full score would round past the scale')),
       "The normalised score is rounded to fewer decimals than the scale has, so a full score"
       " would round past the scale.",
       "Round the normalised score to at least as many decimals as the scale has."),
    _e("PS224", "Dropping leaves without normalisation",
       r"^leaves that drop when not applicable \(.*\) need \[normalisation\]",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "entered" }', extra='not_applicable = "drop"\n'),
                                 top="rounding = { normalised = 2 }\n"),
                    message=('normalisation: leaves that drop when not applicable (1) need [normalisation], so that '
                             "a unit's score is computed on the points that applied to it")),
       "A leaf that is dropped when not applicable leaves a unit fewer points to earn, so its score"
       " must be normalised to be compared with others.",
       "Add `[normalisation]` with the scale scores are published on, or give the leaf"
       " `not_applicable = \"full\"`."),
    _e("PS225", "Normalisation without rounding",
       r"^a normalised score is a division: set \[rounding\] normalised = N",
       ErrorExample("scheme", _scheme(top="normalisation = { scale = 100 }\n"),
                    message=('rounding.normalised: a normalised score is a division: set [rounding] normalised = N, '
                             'the decimals the scheme publishes it with')),
       "A normalised score is a division, which rarely ends; the scheme must say how many decimals"
       " it keeps.",
       "Set `[rounding] normalised` to the decimals the scheme publishes scores with."),
    _e("PS230", "No bands",
       r"^a scheme needs at least one band$",
       ErrorExample("scheme", _scheme(bands=""),
                    message='bands: a scheme needs at least one band'),
       "The scheme has no `[[bands]]`, so no score can be banded (xếp loại).",
       "Add the bands the source document defines."),
    _e("PS231", "Duplicate band name",
       r"^duplicate band name '.*', also bands\[\d+\]$",
       ErrorExample("scheme", _scheme(bands=_bands(("Đạt", "5", None), ("Đạt", "0", "5"))),
                    message="line 18 (bands[1].name): duplicate band name 'Đạt', also bands[0]"),
       "Two bands have the same name.",
       "Give each band its own name."),
    _e("PS232", "Band ends where it starts",
       r"^band '.*' must end above where it starts: ",
       ErrorExample("scheme", _scheme(bands=_bands(("Khá", "8", "8"), ("Tốt", "8", None), ("Đạt", "0", "8"))),
                    message="line 16 (bands[0].to): band 'Khá' must end above where it starts: from 8 to 8"),
       "A band's `to` is not above its `from`, so it holds no score.",
       "Correct `from` or `to`."),
    _e("PS233", "Gap between bands",
       r"^gap: scores from .* fall in no band",
       ErrorExample("scheme", _scheme(bands=_bands(("Tốt", "8", None), ("Khá", "0", "7.5"))),
                    message=("line 20 (bands[1].to): gap: scores from 7.5 to below 8 fall in no band (between 'Khá' "
                             "and 'Tốt')")),
       "Some scores fall in no band: between two bands, or from 0 to the lowest band.",
       "Make each band's `to` the next band's `from`, and start the lowest band at 0. A band holds"
       " scores from `from` up to, not including, `to`."),
    _e("PS234", "Lowest band below 0",
       r"^the lowest band '.*' must start at 0, got ",
       ErrorExample("scheme", _scheme(bands=_bands(("Đạt", "-1", None))),
                    message="line 15 (bands[0].from): the lowest band 'Đạt' must start at 0, got -1"),
       "The lowest band starts below 0; no score is negative.",
       "Start it at 0."),
    _e("PS235", "Band without 'to' below another",
       r"^only the highest band may leave out 'to': ",
       ErrorExample("scheme", _scheme(bands=_bands(("Tốt", "8", None), ("Khá", "0", None))),
                    message=("line 17 (bands[1]): only the highest band may leave out 'to': band 'Khá' is followed "
                             "by 'Tốt' from 8")),
       "A band that is not the highest has no `to`, so it would also hold the scores of the bands above it.",
       "Give it `to`, the `from` of the next band."),
    _e("PS236", "Overlapping bands",
       r"^overlap: bands '.*' and '.*' both hold scores from ",
       ErrorExample("scheme", _scheme(bands=_bands(("Tốt", "8", None), ("Khá", "0", "9"))),
                    message=("line 15 (bands[0].from): overlap: bands 'Khá' and 'Tốt' both hold scores from 8 to "
                             'below 9')),
       "Two bands hold the same scores.",
       "Make each band's `to` the next band's `from`."),
    _e("PS237", "Highest band with 'to'",
       r"^the highest band '.*' must leave out 'to': ",
       ErrorExample("scheme", _scheme(bands=_bands(("Đạt", "0", "10"))),
                    message=("line 16 (bands[0].to): the highest band 'Đạt' must leave out 'to': it holds every "
                             'score from 0 up to the scale (10)')),
       "The highest band has `to`, so the full score would fall in no band.",
       "Leave out `to` on the highest band."),
    _e("PS238", "Band above the scale",
       r"^band '.*' starts at .*, above the scale ",
       ErrorExample("scheme", _scheme(bands=_bands(("Xuất sắc", "12", None), ("Đạt", "0", "12"))),
                    message="line 15 (bands[0].from): band 'Xuất sắc' starts at 12, above the scale 10"),
       "The highest band starts above the most a unit can score (the fields' total, or the"
       " normalisation scale), so no unit can reach it.",
       "Check the band against the source document, and the scheme's maxima or scale."),
    _e("PS240", "Unknown rule kind",
       r"^unknown rule kind .*; known kinds: ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "percent" }')),
                    message=("line 12: field 1 (fields[0].rule.kind): unknown rule kind 'percent'; known kinds: "
                             "bonus, deduction, entered, pass_fail, ratio, survey, tiers (a rule plug-in's kind is "
                             'known once its distribution is installed)')),
       "A rule's `kind` is not one of the built-in rules nor of an installed rule plug-in.",
       "Use one of the kinds the message lists, or install the rule plug-in that provides it."),
    _e("PS241", "Rule without a kind",
       r"^a rule needs a 'kind'$",
       ErrorExample("scheme", _scheme(_leaf("{ step = 0.5 }")),
                    message="line 12: field 1 (fields[0].rule): a rule needs a 'kind'"),
       "A rule table has no `kind`.",
       "Add the kind, such as `rule = { kind = \"entered\", step = 0.5 }`."),
    _e("PS242", "Rule not a table",
       r"^a rule is a table such as \{ kind = \"pass_fail\" \}, got ",
       ErrorExample("scheme", _scheme(_leaf('"pass_fail"')),
                    message=('line 12: field 1 (fields[0].rule): a rule is a table such as { kind = "pass_fail" }, '
                             "got text 'pass_fail'")),
       "A leaf's `rule` is written as a word instead of a table.",
       "Write it as a table: `rule = { kind = \"pass_fail\" }`."),
    _e("PS243", "Rule step, per or per_item not above 0",
       r"^(?:step|per|per_item) must be above 0, got ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "entered", step = 0 }')),
                    message='line 12: field 1 (fields[0].rule): step must be above 0, got 0'),
       "An `entered` rule's `step`, a `deduction` rule's `per` or a `bonus` rule's `per_item` is 0"
       " or negative.",
       "Give the positive amount the source document states."),
    _e("PS244", "Ratio threshold out of range",
       r"^threshold must be between 0 and 1, got ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "ratio", threshold = 80 }')),
                    message='line 12: field 1 (fields[0].rule): threshold must be between 0 and 1, got 80'),
       "A `ratio` rule's `threshold` is a share, from 0 to 1.",
       "Write a percentage as a share: 80 % is `0.8`."),
    _e("PS245", "Tiers rule without tiers",
       r"^tiers must list at least one tier$",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "tiers", tiers = [] }')),
                    message='line 12: field 1 (fields[0].rule): tiers must list at least one tier'),
       "A `tiers` rule lists no tier.",
       "List the tiers: `tiers = [{ at_least = 0.5, points = 1 }, …]`."),
    _e("PS246", "Two tiers start at one value",
       r"^two tiers start at ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "tiers", tiers = [{ at_least = 0.5, points = 5 },'
                                       ' { at_least = 0.5, points = 10 }] }')),
                    message='line 12: field 1 (fields[0].rule): two tiers start at 0.5'),
       "Two tiers have the same `at_least`, so a value reaching it would earn either.",
       "Correct the tiers from the source document."),
    _e("PS247", "Tier points out of range",
       r"^tier at .* gives .*, outside 0 to the maximum ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "tiers", tiers = [{ at_least = 0, points = 12 }] }')),
                    message='line 12: field 1 (fields[0].rule): tier at 0 gives 12, outside 0 to the maximum 10'),
       "A tier gives more points than the leaf's maximum, or fewer than 0.",
       "Correct the tier's points or the leaf's maximum."),
    _e("PS248", "Lower tier gives more",
       r"^tier at .* gives more \(.*\) than the higher tier at ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "tiers", tiers = [{ at_least = 0, points = 10 },'
                                       ' { at_least = 0.5, points = 5 }] }')),
                    message=('line 12: field 1 (fields[0].rule): tier at 0 gives more (10) than the higher tier at '
                             '0.5 (5)')),
       "A tier gives more points than a tier above it: reaching a higher value would lose points.",
       "Check the tiers against the source document; usually two values were swapped."),
    _e("PS249", "Deduction floor out of range",
       r"^floor must be between 0 and the maximum .*, got ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "deduction", per = 1, floor = 12 }')),
                    message='line 12: field 1 (fields[0].rule): floor must be between 0 and the maximum 10, got 12'),
       "A `deduction` rule's `floor` is above the leaf's maximum or below 0.",
       "Give the least points the leaf can fall to, from 0 to its maximum."),
    _e("PS250", "Bonus cap out of range",
       r"^cap must be above 0 and at most the maximum .*, got ",
       ErrorExample("scheme", _scheme(_leaf('{ kind = "bonus", per_item = 1, cap = 12 }')),
                    message=('line 12: field 1 (fields[0].rule): cap must be above 0 and at most the maximum 10, '
                             'got 12')),
       "A `bonus` rule's `cap` is above the leaf's maximum, or 0 or negative.",
       "Give the most the bonus can earn, at most the leaf's maximum; leave `cap` out for the maximum."),
    # --- PS3xx: assessments files ---------------------------------------------------------
    _e("PS301", "Assessments file cannot be read",
       r"^cannot read the assessments: ",
       ErrorExample("python", 'from parscore import load_assessments\n\nload_assessments("missing.toml")\n',
                    message="cannot read the assessments: [Errno 2] No such file or directory: 'missing.toml'"),
       "The assessments file does not exist, cannot be opened, is not UTF-8 text or is larger than"
       " parscore reads; the rest of the message says which.",
       "Check the path; save the file as UTF-8."),
    _e("PS302", "Assessments file of an unknown kind",
       r"^cannot read (?:'.*'|a file without a suffix): parscore reads ",
       ErrorExample("python", 'from parscore import read_assessments\n\nread_assessments("assessments.ods")\n',
                    message="cannot read '.ods': parscore reads .csv, .xlsx, .json and .toml assessments"),
       "`read_assessments` tells a file's format by its suffix, and this one is not a format it reads.",
       "Save the file as `.csv`, `.xlsx`, `.json` or `.toml`."),
    _e("PS303", "Not UTF-8 text",
       r"^not UTF-8 text \(byte 0x[0-9a-f]{2}\); save the file as UTF-8$",
       ErrorExample("python", "from pathlib import Path\n\nfrom parscore import read_assessments\n\n"
                    'Path("assessments.csv").write_bytes("unit_id,unit_name\\nxa-a,UBND xã A\\n".encode("latin-1"))\n'
                    'read_assessments("assessments.csv")\n',
                    message='line 2: not UTF-8 text (byte 0xe3); save the file as UTF-8'),
       "A CSV or JSON file is in another encoding than UTF-8 (often Windows-1258 or TCVN3 from an"
       " old spreadsheet), so its Vietnamese letters cannot be read.",
       "Save the file as UTF-8 (\"CSV UTF-8\" in spreadsheet programs)."),
    _e("PS304", "Not valid CSV",
       r"^not valid CSV: ",
       ErrorExample("csv", 'unit_id,unit_name,code,appraised\nxa-a,"UBND xã A"x,1.1,true\n',
                    message='line 2: not valid CSV: \',\' expected after \'"\''),
       "A CSV file breaks CSV's rules, usually a quote inside a cell that is not doubled.",
       "Quote cells that hold commas or quotes, and double the quotes inside them."),
    _e("PS305", "JSON assessments not an object",
       r"^expected an object with \"scheme\" and \"units\", got ",
       ErrorExample("json", "[]\n",
                    message='line 1, column 1: expected an object with "scheme" and "units", got an array'),
       "A JSON assessments file is not an object with `scheme` and `units`.",
       "Write it as `{\"scheme\": \"…\", \"units\": [{…}]}` (see the assessments format)."),
    _e("PS306", "Not an .xlsx workbook",
       r"^not an \.xlsx workbook: ",
       ErrorExample("python", "from pathlib import Path\n\nfrom parscore import read_assessments\n\n"
                    'Path("assessments.xlsx").write_text("unit_id,unit_name\\n", encoding="utf-8")\n'
                    'read_assessments("assessments.xlsx")\n',
                    message='not an .xlsx workbook: File is not a zip file'),
       "A file named `.xlsx` is not an Excel workbook (it may be an old `.xls`, or CSV renamed).",
       "Save it from the spreadsheet program as an Excel workbook (`.xlsx`), or as CSV."),
    _e("PS307", "No such sheet",
       r"^no sheet '.*'; the sheets are ",
       ErrorExample("python", "import openpyxl\n\nfrom parscore import read_assessments\n\n"
                    'openpyxl.Workbook().save("assessments.xlsx")\n'
                    'read_assessments("assessments.xlsx", sheet="Kết quả")\n',
                    message="no sheet 'Kết quả'; the sheets are 'Sheet'"),
       "The workbook has no sheet of the name given.",
       "Use one of the sheet names the message lists."),
    _e("PS308", "Empty file",
       r"^the file is empty: expected a header row$",
       ErrorExample("csv", "\n",
                    message='the file is empty: expected a header row'),
       "A CSV file or sheet has no rows, not even the header row.",
       "Check that the right file or sheet was given."),
    _e("PS309", "Wrong value in a JSON file",
       r"^expected a number, text or true/false, got ",
       ErrorExample("json", '{"units": [{"id": "xa-a", "name": "UBND xã A", "appraised": {"1.1": [true]}}]}\n',
                    message='units[0].appraised."1.1": expected a number, text or true/false, got an array'),
       "A value in a JSON assessments file is an array, an object or `null`.",
       "Give a number, a text (such as \"4,5\" or \"n/a\") or `true` / `false`."),
    _e("PS310", "Empty value in a JSON file",
       r"^empty value: leave the code out instead$",
       ErrorExample("json", '{"units": [{"id": "xa-a", "name": "UBND xã A", "appraised": {"1.1": ""}}]}\n',
                    message='units[0].appraised."1.1": empty value: leave the code out instead'),
       "A value in a JSON assessments file is empty text.",
       "Leave the code out of the object when there is no value, or write \"n/a\" when the leaf did not arise."),
    _e("PS311", "Scheme id not text",
       r"^scheme must be a scheme id \(text\), got ",
       ErrorExample("assessments", "scheme = 2024\n",
                    message='line 1 (scheme): scheme must be a scheme id (text), got 2024'),
       "The assessments' `scheme` is not text.",
       "Write the scheme's id in quotes: `scheme = \"vn.dak-nong.krong-no.commune.2022\"`."),
    _e("PS312", "Unit without id or name",
       r"^a unit needs a non-empty text '(?:id|name)'$",
       ErrorExample("assessments", '[[units]]\nid = "xa-a"\nappraised = { "1.1" = true }\n',
                    message="line 1 (units[0].name): a unit needs a non-empty text 'name'"),
       "A unit has no `id` or no `name`, or one that is not text or is empty.",
       "Give each unit a stable id (such as `nam-nung`) and its official name."),
    _e("PS313", "Evidence not text",
       r"^evidence must be text, got ",
       ErrorExample("assessments", '[[units]]\nid = "xa-a"\nname = "UBND xã A"\nevidence = { "1.1" = 12 }\n',
                    message='line 4 (units[0].evidence."1.1"): evidence must be text, got 12'),
       "An evidence note (tài liệu kiểm chứng) is not text.",
       "Write the note in quotes, such as `\"Kế hoạch số 12/KH-UBND\"`."),
    _e("PS314", "Column without a heading",
       r"^no heading above data \(first in .*\)$",
       ErrorExample("csv", "unit_id,unit_name,code,appraised,\nxa-a,UBND xã A,1.1,true,đạt\n",
                    message='E1: no heading above data (first in E2)'),
       "A column holds data but has no heading, so what it holds is not known.",
       "Give the column a heading, or delete it."),
    _e("PS315", "Duplicate column",
       r"^duplicate column '.*'(?:: \S+ is the \w+ column already|, also \S+)$",
       ErrorExample("csv", "unit_id,unit_name,code,appraised,thẩm định\nxa-a,UBND xã A,1.1,true,true\n",
                    message="E1: duplicate column 'thẩm định': D1 is the appraised column already"),
       "Two columns have the same meaning (English and Vietnamese headings of one column count as"
       " the same), or a wide table has two columns for one criterion.",
       "Delete one of them."),
    _e("PS316", "Required column missing",
       r"^no \w+ column; its heading may be ",
       ErrorExample("csv", "unit_id,code,appraised\nxa-a,1.1,true\n",
                    message=("row 1: no unit_name column; its heading may be 'unit_name', 'name', 'unit', 'Tên đơn "
                             "vị', 'Đơn vị'")),
       "A column the layout requires is not there, or its heading is not one parscore knows.",
       "Add the column, or rename its heading to one of those the message lists."),
    _e("PS317", "No value columns",
       r"^no appraised, self_assessed or evidence column: ",
       ErrorExample("csv", "unit_id,unit_name,code\nxa-a,UBND xã A,1.1\n",
                    message='row 1: no appraised, self_assessed or evidence column: there are no values to read'),
       "A long table (one row per unit and criterion) has no column of values.",
       "Add an `appraised` (điểm thẩm định) or `self_assessed` (điểm tự đánh giá) column."),
    _e("PS318", "Unknown column in a long table",
       r"^unknown column '.*'; the columns of the long layout are ",
       ErrorExample("csv", "unit_id,unit_name,code,appraised,remarks\nxa-a,UBND xã A,1.1,true,\n",
                    message=("E1: unknown column 'remarks'; the columns of the long layout are unit_id, unit_name, "
                             'code, appraised, self_assessed, evidence')),
       "A long table has a column whose heading parscore does not know.",
       "Rename the heading to one of those the message lists, or delete the column."),
    _e("PS319", "Column that is not a criterion",
       r"^unknown column '.*': not a criterion of scheme ",
       ErrorExample("csv", "unit_id,unit_name,1.1,1.2,2.1,2.2,2.3,3.1,3.2,9\n"
                    "xa-a,UBND xã A,true,\"3,5\",\"0,9\",\"0,9\",1,1,80,5\n",
                    message="J1: unknown column '9': not a criterion of scheme 'vn.example.huyen-a.commune.2024'"),
       "A wide table (one column per criterion) has a column whose heading is not a code of the scheme.",
       "Correct the heading to the criterion's code, or delete the column."),
    _e("PS320", "Long-layout column in a wide table",
       r"^column '.*' belongs to the long layout ",
       ErrorExample("python", "from pathlib import Path\n\nfrom parscore import read_assessments\n\n"
                    'Path("assessments.csv").write_text("unit_id,unit_name,appraised\\nxa-a,UBND xã A,4\\n",'
                    ' encoding="utf-8")\n'
                    'read_assessments("assessments.csv", layout="wide")\n',
                    message=("C1: column 'appraised' belongs to the long layout (one row per unit and criterion); a "
                             'wide table has unit_id, unit_name and one column per criterion code')),
       "A table read in the wide layout has a column of the long layout (`code`, `appraised`…).",
       "Read it in the long layout (the default when there is a `code` column), or give each"
       " criterion its own column."),
    _e("PS321", "Empty cell for a unit or a code",
       r"^empty cell: every row needs ",
       ErrorExample("csv", "unit_id,unit_name,code,appraised\nxa-a,,1.1,true\n",
                    message='B2: empty cell: every row needs a unit name'),
       "A row has no unit id, unit name or criterion code.",
       "Fill in the cell."),
    _e("PS322", "Empty value in a wide table",
       r"^empty cell: no [\w-]+ value for ",
       ErrorExample("csv", "unit_id,unit_name,1.1,1.2,2.1,2.2,2.3,3.1,3.2\n"
                    "xa-a,UBND xã A,true,,\"0,9\",\"0,9\",1,1,80\n",
                    message="D2: empty cell: no appraised value for unit 'xa-a', criterion '1.2'"),
       "A wide table has an empty cell where a criterion's value belongs.",
       "Fill in the value; write `n/a` (or `không phát sinh`) when the criterion did not arise."),
    _e("PS323", "Row without values",
       r"^empty cells: no appraised value, no self-assessed value and no evidence for ",
       ErrorExample("csv", "unit_id,unit_name,code,appraised\nxa-a,UBND xã A,1.1,\n",
                    message=('D2: empty cells: no appraised value, no self-assessed value and no evidence for unit '
                             "'xa-a', criterion '1.1'")),
       "A row of a long table names a unit and a criterion but gives nothing for them.",
       "Fill in the value, or delete the row."),
    _e("PS324", "Unit named two ways",
       r"^unit '.*' is named '.*' here but '.*' in \S+$",
       ErrorExample("csv", "unit_id,unit_name,code,appraised\nxa-a,UBND xã A,1.1,true\nxa-a,Xã A,1.2,4\n",
                    message="B3: unit 'xa-a' is named 'Xã A' here but 'UBND xã A' in B2"),
       "Rows of one unit id give different unit names.",
       "Use one name (the unit's official one) in every row."),
    _e("PS325", "Duplicate row",
       r"^duplicate row for unit '.*', criterion '.*', also row \d+$",
       ErrorExample("csv", "unit_id,unit_name,code,appraised\nxa-a,UBND xã A,1.1,true\nxa-a,UBND xã A,1.1,false\n",
                    message="C3: duplicate row for unit 'xa-a', criterion '1.1', also row 2"),
       "A long table has two rows for one unit and criterion.",
       "Keep the right one."),
    _e("PS326", "Duplicate unit in a wide table",
       r"^duplicate unit '.*', also \S+$",
       ErrorExample("csv", "unit_id,unit_name,1.1,1.2,2.1,2.2,2.3,3.1,3.2\n"
                    "xa-a,UBND xã A,true,\"3,5\",\"0,9\",\"0,9\",1,1,80\n"
                    "xa-a,UBND xã A,true,\"3,5\",\"0,9\",\"0,9\",1,1,80\n",
                    message="A3: duplicate unit 'xa-a', also A2"),
       "A wide table has two rows for one unit id.",
       "Keep the right one."),
    _e("PS327", "Criteria without a column",
       r"^no column for these criteria of scheme '.*': ",
       ErrorExample("csv", "unit_id,unit_name,1.1,1.2,2.1,2.2,2.3,3.1\n"
                    "xa-a,UBND xã A,true,\"3,5\",\"0,9\",\"0,9\",1,1\n",
                    message="row 1: no column for these criteria of scheme 'vn.example.huyen-a.commune.2024': '3.2'"),
       "A wide table read with a scheme has no column for some of its leaves, so no unit could be scored.",
       "Add a column for each criterion the message lists."),
    _e("PS328", "Date or time where a number belongs",
       r"the spreadsheet holds a date or time here \(.*\), not a number",
       ErrorExample("python", "import datetime\n\nimport openpyxl\n\nfrom parscore import read_assessments\n\n"
                    "book = openpyxl.Workbook()\n"
                    'book.active.append(["unit_id", "unit_name", "code", "appraised"])\n'
                    'book.active.append(["xa-a", "UBND xã A", "1.2", datetime.date(2024, 5, 4)])\n'
                    'book.save("assessments.xlsx")\n'
                    'read_assessments("assessments.xlsx")\n',
                    message=("Sheet!D2: unit 'xa-a', criterion '1.2': the spreadsheet holds a date or time here "
                             '(2024-05-04T00:00:00), not a number; format the cell as a number or as text')),
       "A spreadsheet turned a value such as `4.5` or `5/4` into a date.",
       "Format the cells as numbers or as text, and type the value again."),
    # --- PS4xx: evaluation and result files ---------------------------------------------
    _e("PS401", "Assessments of another scheme",
       r"^the assessments are for scheme '.*', not '.*'$",
       ErrorExample("evaluate", _units(_unit_a(), scheme="vn.example.huyen-b.commune.2024"),
                    message=("scheme: the assessments are for scheme 'vn.example.huyen-b.commune.2024', not "
                             "'vn.example.huyen-a.commune.2024'")),
       "The assessments name another scheme than the one they are evaluated against or read with.",
       "Evaluate them against the scheme they name, or correct their `scheme`."),
    _e("PS402", "Unknown criterion",
       r"unknown criterion '.*'[,:] not in scheme ",
       ErrorExample("evaluate", _units(_unit_a().replace(" }", ', "4" = 1 }')),
                    message="unit 'xa-a': unknown criterion '4', not in scheme 'vn.example.huyen-a.commune.2024'"),
       "A value is given for a code the scheme does not have.",
       "Correct the code (the scheme reference lists them), or remove the value."),
    _e("PS403", "Points for a node that is not a leaf",
       r"is not a leaf[;:] give points for its ",
       ErrorExample("evaluate", _units(_unit_a().replace(" }", ', "1" = 5 }')),
                    message="field 1: unit 'xa-a': '1' is not a leaf; give points for its criteria instead"),
       "A value is given for a field or criterion that has children; its points are their sum.",
       "Give the values of its children instead."),
    _e("PS404", "No value for a leaf",
       _AT + r"no (?:appraised|self-assessed) value$",
       ErrorExample("evaluate", _units(_unit_a().replace(', "3.2" = 80', "")),
                    message="field 3 › criterion 3.2: unit 'xa-a': no appraised value"),
       "A unit has no value for a leaf, in the basis evaluated (appraised or self-assessed).",
       "Give the value; write `\"n/a\"` when the leaf did not arise, if the scheme allows it."),
    _e("PS405", "Not applicable without a policy",
       r"marked not applicable, but the scheme gives this leaf no not_applicable policy$",
       ErrorExample("evaluate", _units(_unit_a(**{"1_2": '"n/a"'})),
                    message=("field 1 › criterion 1.2: unit 'xa-a': marked not applicable, but the scheme gives "
                             'this leaf no not_applicable policy')),
       "A leaf is marked not applicable (không phát sinh), but the scheme does not say what such a"
       " leaf earns.",
       "Give the value, or, if the source document allows it, a `not_applicable` policy on the leaf."),
    _e("PS406", "Nothing left to score",
       r"every leaf was dropped as not applicable; nothing to score$",
       ErrorExample("python", "from decimal import Decimal\n\n"
                    "from parscore import (Assessment, Band, Entered, Node, Normalisation, NotApplicablePolicy,"
                    " Rounding,\n                      Scheme, evaluate)\n\n"
                    f'scheme = Scheme("{_ID}", "Ví dụ", "UBND huyện A", "commune", 2024,\n'
                    '                fields=[Node("1", "Công tác chỉ đạo, điều hành CCHC", Decimal(10), Entered(),\n'
                    "                             NotApplicablePolicy.DROP)],\n"
                    '                bands=[Band("Đạt", Decimal(0))], normalisation=Normalisation(Decimal(100)),\n'
                    "                rounding=Rounding(normalised=2))\n"
                    'evaluate(scheme, [Assessment.of("xa-a", "UBND xã A", appraised={"1": "n/a"})])\n',
                    message="unit 'xa-a': every leaf was dropped as not applicable; nothing to score"),
       "Every leaf of a unit was dropped as not applicable, so it has no points to be scored on.",
       "Check the unit's values: at least one leaf must apply."),
    _e("PS407", "Points out of range",
       r"points must be between 0 and the maximum .*, got ",
       ErrorExample("evaluate", _units(_unit_a(**{"1_2": '"4,5"'})),
                    message=("field 1 › criterion 1.2: unit 'xa-a': points must be between 0 and the maximum 4, got "
                             '4.5')),
       "Points entered by hand are above the leaf's maximum or below 0.",
       "Correct the points; check the leaf's maximum against the source document."),
    _e("PS408", "Points not a multiple of the step",
       r"points must be a multiple of .*, got ",
       ErrorExample("evaluate", _units(_unit_a(**{"1_2": '"3,25"'})),
                    message="field 1 › criterion 1.2: unit 'xa-a': points must be a multiple of 0.5, got 3.25"),
       "The leaf's points go in steps (such as 0.5), and these are between two steps.",
       "Correct the points to a multiple of the step; parscore never rounds them silently."),
    _e("PS409", "Not true or false",
       r"expected true or false(?: \(đạt / không đạt\))?, got ",
       ErrorExample("evaluate", _units(_unit_a(**{"1_1": '"có lẽ"'})),
                    message=("field 1 › criterion 1.1: unit 'xa-a': expected true or false (đạt / không đạt), got "
                             "'có lẽ'")),
       "A pass/fail leaf's value is neither true nor false.",
       "Write `true` or `false`, or the words `đạt` / `không đạt`."),
    _e("PS410", "Ratio out of range",
       r"ratio must be between 0 and 1, got ",
       ErrorExample("evaluate", _units(_unit_a(**{"2_1": "90"})),
                    message="field 2 › criterion 2.1: unit 'xa-a': ratio must be between 0 and 1, got 90"),
       "A ratio leaf's value is not a share from 0 to 1.",
       "Write a percentage as a share: 90 % is `0.9` (or `\"0,9\"`)."),
    _e("PS411", "Below the lowest tier",
       r"value .* is below the lowest tier \(.*\)$",
       ErrorExample("evaluate", _units(_unit_a(**{"2_2": '"0,3"'})),
                    message="field 2 › criterion 2.2: unit 'xa-a': value 0.3 is below the lowest tier (0.5)"),
       "A tiers leaf's value reaches no tier, so the rule gives it no points.",
       "Check the value; if the source gives such values 0 points, add a tier at 0 with 0 points."),
    _e("PS412", "Count not a whole number",
       r"expected a whole number of (?:occurrences|items) \(0 or more\), got "
       r"|(?:occurrences|items) must be a whole number, 0 or more, got ",
       ErrorExample("evaluate", _units(_unit_a(**{"2_3": '"1,5"'})),
                    message=("field 2 › criterion 2.3: unit 'xa-a': expected a whole number of occurrences (0 or "
                             'more), got 1.5')),
       "A deduction or bonus leaf counts occurrences or items, and this value is not a whole number"
       " of them (or is negative).",
       "Give the count, not the points: `2` violations, `1` initiative."),
    _e("PS413", "Survey index out of range",
       r"survey index must be between 0 and 100, got ",
       ErrorExample("evaluate", _units(_unit_a(**{"3_2": "180"})),
                    message="field 3 › criterion 3.2: unit 'xa-a': survey index must be between 0 and 100, got 180"),
       "A survey leaf's index is a percentage, from 0 to 100.",
       "Give the index in percent: 80 %, not 0.8, is `80`."),
    _e("PS420", "Result file cannot be read",
       r"^cannot read the result: ",
       ErrorExample("python", "from parscore import loads_scheme\nfrom parscore.resultfile import load_result\n\n"
                    'load_result("missing.json", loads_scheme(EXAMPLE_SCHEME))\n',
                    message="cannot read the result: [Errno 2] No such file or directory: 'missing.json'"),
       "The result file does not exist, cannot be opened, is not UTF-8 text or is larger than"
       " parscore reads; the rest of the message says which.",
       "Check the path."),
    _e("PS421", "Result computed with another scheme",
       r"^this result was computed with scheme '.*' revision \d+ \(.*\), not with the scheme given",
       ErrorExample("python", _result("", "loads_scheme(EXAMPLE_SCHEME.replace('Ví dụ', 'Ví dụ (sửa)'))"),
                    message=('line 6 (provenance.scheme_hash): this result was computed with scheme '
                             "'vn.example.huyen-a.commune.2024' revision 0 "
                             '(sha256:7d164b65b9b04f89728fd4dfc627268f883c3c6da42c926313884d1b428d1f9e), not with '
                             "the scheme given, 'vn.example.huyen-a.commune.2024' revision 0 "
                             '(sha256:8e741df3e9aabc174464d4fdf6866a24248fe9ec0391a782811c0c20cf9abe39); read it '
                             'with the scheme it was computed with')),
       "A result records the hash of the scheme it was computed with, and the scheme given has"
       " another content: its points would be read against the wrong tree.",
       "Read the result with the scheme (and revision) it was computed with, or evaluate again."),
    _e("PS422", "Result's scheme id or revision differs",
       r"^the scheme's (?:id|revision) is .*, not ",
       ErrorExample("python", _result('data["provenance"]["scheme_revision"] = 1\n'),
                    message="line 5 (provenance.scheme_revision): the scheme's revision is 0, not 1"),
       "A result's provenance names another scheme id or revision than the scheme it was computed"
       " with has: the file was edited.",
       "Restore the provenance as `dumps_result` wrote it."),
    _e("PS423", "Not a parscore result",
       r"^expected 'parscore result \d+', got ",
       ErrorExample("python", _result('data["format"] = "parscore result 9"\n'),
                    message="line 2 (format): expected 'parscore result 1', got text 'parscore result 9'"),
       "The file's `format` is not that of a result this parscore writes.",
       "Read a file written by `dumps_result` (or `parscore score --output`)."),
    _e("PS424", "Result number not written as text",
       r"^expected a number written as text, such as \"17\.5\", got ",
       ErrorExample("python", _result('data["units"][0]["raw_total"] = 13.4\n'),
                    message=('line 16 (units[0].raw_total): expected a number written as text, such as "17.5", got '
                             'the JSON number 13.4 (numbers are written as text)')),
       "A result writes every number as text, so that its digits are kept exactly; this one is a"
       " JSON number or text that is not a number.",
       "Write the number in quotes, as `dumps_result` does: `\"13.4\"`."),
    _e("PS425", "Result number out of range",
       r"^the number .* is out of range$",
       ErrorExample("python", _result('data["units"][0]["raw_total"] = "1E+9999999999999999999"\n'),
                    message='line 16 (units[0].raw_total): the number 1E+9999999999999999999 is out of range'),
       "A number's exponent is beyond what any number can hold.",
       "Restore the number as `dumps_result` wrote it."),
    _e("PS426", "Result code not in the scheme",
       r"^scheme '.*' has no such code here$",
       ErrorExample("python", _result('data["units"][0]["field_ranks"]["4"] = 1\n'),
                    message=("line 24 (units[0].field_ranks.4): scheme 'vn.example.huyen-a.commune.2024' has no "
                             'such code here')),
       "A result gives a value for a code the scheme does not have there (a field rank for a"
       " criterion, an input for a node that is not a leaf, or an unknown code).",
       "Restore the result as `dumps_result` wrote it."),
    _e("PS427", "Result code missing",
       r"^missing: every code of the scheme needs a value$",
       ErrorExample("python", _result('del data["units"][0]["points"]["3.2"]\n'),
                    message='line 25 (units[0].points."3.2"): missing: every code of the scheme needs a value'),
       "A result has no value for one of the scheme's codes.",
       "Restore the result as `dumps_result` wrote it."),
    _e("PS428", "Rounded list malformed",
       r"^expected (?:an array of )?\[code, points before rounding\], got ",
       ErrorExample("python", _result('data["units"][0]["rounded"] = ["2.1"]\n'),
                    message="line 47 (units[0].rounded[0]): expected [code, points before rounding], got text '2.1'"),
       "A result's `rounded` list, of each leaf whose points were rounded with its points before"
       " rounding, is not a list of `[code, points]` pairs.",
       "Restore the result as `dumps_result` wrote it."),
    _e("PS429", "Rounded code not a leaf",
       r"^expected the code of a leaf of scheme '.*', got ",
       ErrorExample("python", _result('data["units"][0]["rounded"] = [["2", "1.8"]]\n'),
                    message=('line 47 (units[0].rounded[0][0]): expected the code of a leaf of scheme '
                             "'vn.example.huyen-a.commune.2024', got text '2'")),
       "A result's `rounded` list names a code that is not a leaf of the scheme.",
       "Restore the result as `dumps_result` wrote it."),
    _e("PS430", "Band not in the scheme",
       r"^scheme '.*' has no band '.*'; its bands: ",
       ErrorExample("python", _result('data["units"][0]["band"] = "Trung bình"\n'),
                    message=("line 19 (units[0].band): scheme 'vn.example.huyen-a.commune.2024' has no band 'Trung "
                             "bình'; its bands: 'Tốt', 'Khá', 'Chưa tốt'")),
       "A result names a band the scheme does not have.",
       "Restore the result as `dumps_result` wrote it."),
    # --- PS5xx: published figures, audits, plans, tracking, summaries -----------------------
    _e("PS501", "Published figures cannot be read",
       r"^cannot read the published figures: ",
       ErrorExample("python", 'from parscore import load_published\n\nload_published("missing.toml")\n',
                    message="cannot read the published figures: [Errno 2] No such file or directory: 'missing.toml'"),
       "The published-figures file does not exist, cannot be opened, is not UTF-8 text or is larger"
       " than parscore reads; the rest of the message says which.",
       "Check the path; save the file as UTF-8."),
    _e("PS502", "Row with both or neither of total and points",
       r"^a row needs exactly one of 'total' or 'points'$",
       ErrorExample("published", _published(results="""
[results]
where = "Bảng 1"
rows = [{ unit = "UBND xã A", total = 13.4, points = 13.4 }]
"""),
                    message="line 6 (results.rows[0]): a row needs exactly one of 'total' or 'points'"),
       "A printed row gives both `total` and `points`, or neither.",
       "Give the figure the report prints, as `total` in the ranking table and `points` in a field table."),
    _e("PS503", "Average with nothing to average",
       r"an average is printed but no (?:unit was evaluated|total)$",
       ErrorExample("audit", _published(results="""
[results]
where = "Bảng 1"
average = 11.1
rows = []
"""),
                    message='Bảng 1: an average is printed but no total'),
       "The ranking table prints an average, but no unit was evaluated (in a comparison) or no"
       " total is printed (in an audit), so there is nothing to check it against.",
       "Check that the assessments and the printed totals were transcribed."),
    _e("PS504", "Field table for a criterion",
       r"\[\[fields\]\] tables are per field; '.*' is a criterion",
       ErrorExample("compare", _published("""
[[fields]]
code = "1.2"
where = "Bảng 2"
rows = [{ unit = "UBND xã A", points = 3.5 }]
"""),
                    message=("Bảng 2: [[fields]] tables are per field; '1.2' is a criterion (state its points as "
                             'claims with what = "points")')),
       "A `[[fields]]` table names a criterion; field tables are per field.",
       "State a criterion's points as claims: `{ what = \"points\", unit = \"…\", codes = [\"1.2\"], … }`."),
    _e("PS505", "No such criterion or field",
       r"scheme '.*' has no (?:criterion|field) '.*'$",
       ErrorExample("compare", _published("""
[[fields]]
code = "9"
where = "Bảng 9"
rows = [{ unit = "UBND xã A", points = 3 }]
"""),
                    message="Bảng 9: scheme 'vn.example.huyen-a.commune.2024' has no criterion '9'"),
       "A table or claim names a code the scheme does not have.",
       "Correct the code; check that the report is about this scheme."),
    _e("PS506", "Unknown claim",
       r"unknown claim '.*'; known: ",
       ErrorExample("compare", _published("""
[[claims]]
what = "median"
value = 11.1
where = "Mục III"
"""),
                    message=("Mục III: unknown claim 'median'; known: 'average_total', 'total', 'raw_total', "
                             "'points', 'deduction', 'max', 'average_points'")),
       "A claim's `what` is not one of the kinds of figure parscore can recompute.",
       "Use one of the kinds the message lists."),
    _e("PS507", "Average claim without units",
       r"claim '.*' needs evaluated units$",
       ErrorExample("python", "from parscore import compare_published, evaluate, loads_published, loads_scheme\n\n"
                    "published = loads_published('''\\\n" + _PUBLISHED_HEAD + """
[results]
where = "Bảng 1"
rows = []

[[claims]]
what = "average_total"
value = 11.1
where = "Mục III"
''')
""" + "compare_published(evaluate(loads_scheme(EXAMPLE_SCHEME), []), published)\n",
                    message="Mục III: claim 'average_total' needs evaluated units"),
       "A claim about an average is compared with a result that has no units.",
       "Evaluate the units the report is about before comparing."),
    _e("PS508", "Claim without codes",
       r"claim '.*' needs codes$",
       ErrorExample("compare", _published("""
[[claims]]
what = "points"
unit = "UBND xã A"
value = 5.5
where = "Mục III"
"""),
                    message="Mục III: claim 'points' needs codes"),
       "A claim about points on some criteria does not say which.",
       "List the codes it covers: `codes = [\"1.1\", \"1.2\"]`."),
    _e("PS509", "Claim without its unit",
       r"claim '.*' needs the unit it is about$",
       ErrorExample("compare", _published("""
[[claims]]
what = "total"
value = 13.4
where = "Mục III"
"""),
                    message="Mục III: claim 'total' needs the unit it is about"),
       "A claim about one unit's figure does not name the unit.",
       "Add `unit`, spelt as the report prints it."),
    _e("PS520", "Plan cannot be read",
       r"^cannot read the plan: ",
       ErrorExample("python", 'from parscore import load_plan\n\nload_plan("missing.toml")\n',
                    message="cannot read the plan: [Errno 2] No such file or directory: 'missing.toml'"),
       "The improvement plan file does not exist, cannot be opened, is not UTF-8 text or is larger"
       " than parscore reads; the rest of the message says which.",
       "Check the path; save the file as UTF-8."),
    _e("PS521", "Plan without its unit",
       r"^unit must name the unit \(its id or name\)$",
       ErrorExample("plan", _PLAN.replace('"xa-a"', '" "'),
                    message='line 1 (unit): unit must name the unit (its id or name)'),
       "The plan's `unit` is empty.",
       "Give the unit's id or name."),
    _e("PS522", "Plan item without a code",
       r"^code must not be empty$",
       ErrorExample("plan", _PLAN + '\n[[items]]\ncode = " "\ntarget = 4\n',
                    message='line 5 (items[0].code): code must not be empty'),
       "An item of the plan has an empty `code`.",
       "Give the code of the field, criterion or sub-criterion the item is for."),
    _e("PS523", "Plan item twice",
       r"^duplicate code '.*', also items\[\d+\]$",
       ErrorExample("plan", _PLAN + '\n[[items]]\ncode = "1.2"\ntarget = 4\n\n[[items]]\ncode = "1.2"\ntarget = 3\n',
                    message="line 9 (items[1].code): duplicate code '1.2', also items[0]"),
       "Two items of the plan are for the same code.",
       "Merge them into one item."),
    _e("PS524", "Empty plan item",
       r"^an item needs a target, tasks or an office$",
       ErrorExample("plan", _PLAN + '\n[[items]]\ncode = "1.2"\n',
                    message='line 4 (items[0]): an item needs a target, tasks or an office'),
       "An item of the plan says nothing about its code.",
       "Give its `target`, its `tasks` or its `office`, or remove it."),
    _e("PS530", "Tracking file cannot be read",
       r"^cannot read the tracking file: ",
       ErrorExample("python", 'from parscore import load_tracking\n\nload_tracking("missing.toml")\n',
                    message="cannot read the tracking file: [Errno 2] No such file or directory: 'missing.toml'"),
       "The tracking file does not exist, cannot be opened, is not UTF-8 text or is larger than"
       " parscore reads; the rest of the message says which.",
       "Check the path; save the file as UTF-8."),
    _e("PS531", "Negative count or points",
       r"^(?:a )?(?:count|points|min_gain) must not be negative",
       ErrorExample("tracking", _TRACKING.replace("count = 10", "count = -1"),
                    message='line 5 (statuses[0].count): count must not be negative, got -1'),
       "A count, points or a gain that cannot be negative is.",
       "Correct the figure from the report."),
    _e("PS532", "Number below 1",
       r"^(?:units|items|of) must be at least 1, got ",
       ErrorExample("tracking", "items = 0\n" + _TRACKING,
                    message='line 1 (items): items must be at least 1, got 0'),
       "A number of units or criteria is 0 or negative.",
       "Correct the figure from the report."),
    _e("PS533", "Tracked item numbered both ways or neither",
       r"^an item needs exactly one of 'number' or 'numbers'$",
       ErrorExample("tracking", _TRACKING + '\n[[statuses.items]]\ntitle = "Kế hoạch CCHC"\n',
                    message="line 8 (statuses[0].items[0]): an item needs exactly one of 'number' or 'numbers'"),
       "A tracked item gives both `number` and `numbers`, or neither.",
       "Give the item's number as printed (`number = \"1.1\"`), or its numbers (`numbers = [\"1.1\", \"1.2\"]`)."),
    _e("PS534", "Tracked item with empty numbers",
       r"^an item's numbers must not be empty$",
       ErrorExample("tracking", _TRACKING + '\n[[statuses.items]]\nnumbers = []\ntitle = "Kế hoạch CCHC"\n',
                    message="line 9 (statuses[0].items[0].numbers): an item's numbers must not be empty"),
       "A tracked item's `numbers` is empty or holds an empty number.",
       "Give the numbers as printed."),
    _e("PS535", "Survey year given twice",
       r"^survey points of \d+ are given twice$",
       ErrorExample("tracking",
                    _TRACKING + "\n[[survey]]\nyear = 2024\npoints = 8\n\n[[survey]]\nyear = 2024\npoints = 9\n",
                    message='line 13 (survey[1].year): survey points of 2024 are given twice'),
       "Two `[[survey]]` entries are for the same year.",
       "Keep the right one."),
    _e("PS540", "Summary cannot be read",
       r"^cannot read the summary: ",
       ErrorExample("python", 'from parscore import load_summary\n\nload_summary("missing.toml")\n',
                    message="cannot read the summary: [Errno 2] No such file or directory: 'missing.toml'"),
       "The summary file does not exist, cannot be opened, is not UTF-8 text or is larger than"
       " parscore reads; the rest of the message says which.",
       "Check the path; save the file as UTF-8."),
    _e("PS541", "Unknown category",
       r"^unknown category '.*'; known: ",
       ErrorExample("summary", _SUMMARY + '\n[points_since_previous.sideways]\nwhere = "Mục II"\ncount = 1\n',
                    message=("line 5 (points_since_previous.sideways): unknown category 'sideways'; known: rose, "
                             'same, fell')),
       "A partition of the units (`points_since_previous`, `steps_since_previous`) has a category"
       " parscore does not know.",
       "Use one of the categories the message lists."),
    _e("PS542", "Summary band twice",
       r"^duplicate band '.*'$",
       ErrorExample("summary", _SUMMARY + '\n[[bands]]\nname = "Tốt"\nwhere = "Mục II"\ncount = 1\n'
                    '\n[[bands]]\nname = "Tốt"\nwhere = "Mục II"\ncount = 1\n',
                    message="line 11 (bands[1].name): duplicate band 'Tốt'"),
       "The summary lists a band twice.",
       "Keep the right one."),
    # --- PS6xx: plug-ins, the kit, optional dependencies -----------------------------------
    _e("PS601", "No installed scheme of that id",
       r"^no installed scheme '.*'",
       ErrorExample("python", "from parscore import get_scheme\n\n"
                    'get_scheme("vn.nowhere.commune.2030", entry_points=installed())\n',
                    message="no installed scheme 'vn.nowhere.commune.2030'; installed: none"),
       "No installed scheme plug-in has the id asked for. The message lists those installed.",
       "Check the id (`parscore schemes` lists them), or install the plug-in that provides it."),
    _e("PS602", "Scheme id claimed by two plug-ins",
       r"cannot be used: scheme id '.*' is claimed by two plug-ins: ",
       ErrorExample("python", "from parscore import get_scheme\n\n"
                    f'get_scheme("{_ID}", entry_points=installed([\n'
                    f'    EntryPoint("{_ID}", "vendor_schemes"),\n'
                    f'    EntryPoint("{_ID}", "other_schemes", "other-vendor"),\n'
                    "]))\n",
                    message=("scheme 'vn.example.huyen-a.commune.2024' from other-vendor cannot be used: scheme id "
                             "'vn.example.huyen-a.commune.2024' is claimed by two plug-ins: other-vendor "
                             '(other_schemes) and vendor-schemes (vendor_schemes)')),
       "Two installed distributions register a scheme of the same id, so which one is meant is not known.",
       "Uninstall one of them."),
    _e("PS603", "Entry point does not name a package",
       r"entry point '.*' must name a package ",
       ErrorExample("python", "from parscore import get_scheme\n\n"
                    f'get_scheme("{_ID}", entry_points=installed([EntryPoint("{_ID}", "vendor_schemes:scheme")]))\n',
                    message=("scheme 'vn.example.huyen-a.commune.2024' from vendor-schemes cannot be used: entry "
                             "point 'vn.example.huyen-a.commune.2024' must name a package (such as "
                             "'my_schemes.krong_no_2022'), got 'vendor_schemes:scheme'")),
       "A scheme plug-in's entry point names an object; it must name the package holding `scheme.toml`.",
       "Register the package: `\"<scheme id>\" = \"my_schemes.huyen_a_2024\"`."),
    _e("PS604", "Plug-in package not found",
       r"package '.*' is not installed \(or is a module, not a package\)|cannot find package '.*': ",
       ErrorExample("python", "from parscore import get_scheme\n\n"
                    f'get_scheme("{_ID}", entry_points=installed([EntryPoint("{_ID}", "vendor_schemes")]))\n',
                    message=("scheme 'vn.example.huyen-a.commune.2024' from vendor-schemes cannot be used: package "
                             "'vendor_schemes' is not installed (or is a module, not a package)")),
       "The package a scheme plug-in's entry point names cannot be found.",
       "Reinstall the plug-in's distribution; check the package name in its entry point."),
    _e("PS605", "Plug-in package without scheme.toml",
       r"package '.*' has no scheme\.toml$",
       ErrorExample("python", _plugin(None, f'get_scheme("{_ID}", entry_points=installed([EntryPoint("{_ID}",'
                                 ' "vendor_schemes")]))'),
                    message=("scheme 'vn.example.huyen-a.commune.2024' from vendor-schemes cannot be used: package "
                             "'vendor_schemes' has no scheme.toml")),
       "A scheme plug-in's package holds no `scheme.toml`.",
       "Include `scheme.toml` in the package's data when building the distribution."),
    _e("PS606", "Plug-in scheme in another format",
       r"cannot be used: written for scheme format .*; this parscore reads format ",
       ErrorExample("python", _plugin("EXAMPLE_SCHEME.replace(\"format = 1\", \"format = 2\")",
                                 f'get_scheme("{_ID}", entry_points=installed([EntryPoint("{_ID}",'
                                 ' "vendor_schemes")]))'),
                    message=("scheme 'vn.example.huyen-a.commune.2024' from vendor-schemes cannot be used: written "
                             'for scheme format 2; this parscore reads format 1')),
       "A scheme plug-in's `scheme.toml` is written for a format this parscore does not read.",
       "Install a parscore that reads it, or a version of the plug-in for this parscore."),
    _e("PS607", "Entry point and scheme id differ",
       r"cannot be used: the entry point is named '.*' but the scheme's id is |^entry point '.*' \(.*\) loads a"
       r" scheme whose id is ",
       ErrorExample("python", _plugin("EXAMPLE_SCHEME", 'get_scheme("vn.example.huyen-b.commune.2024",'
                                 ' entry_points=installed([EntryPoint("vn.example.huyen-b.commune.2024",'
                                 ' "vendor_schemes")]))'),
                    message=("scheme 'vn.example.huyen-b.commune.2024' from vendor-schemes cannot be used: the "
                             "entry point is named 'vn.example.huyen-b.commune.2024' but the scheme's id is "
                             "'vn.example.huyen-a.commune.2024'")),
       "A scheme plug-in's entry point is named by another id than its scheme's.",
       "Name the entry point by the scheme's id."),
    _e("PS608", "Plug-in scheme id not valid",
       r"cannot be used: '.*' is not a valid scheme id$",
       ErrorExample("python", _plugin("EXAMPLE_SCHEME.replace(\"" + _ID + "\", \"huyen-a\")",
                                 'get_scheme("huyen-a", entry_points=installed([EntryPoint("huyen-a",'
                                 ' "vendor_schemes")]))'),
                    message="scheme 'huyen-a' from vendor-schemes cannot be used: 'huyen-a' is not a valid scheme id"),
       "A scheme plug-in's id is not of the form `<country>.<issuer…>.<level>.<year>`.",
       "Give the scheme (and its entry point) an id of that form."),
    _e("PS609", "Plug-in scheme file unreadable",
       r"^scheme '[^']*' from .+? cannot be used: (?!scheme id '.*' is claimed by two plug-ins: "
       r"|entry point '.*' must name a package |package '.*' is not installed |cannot find package ['\"]"
       r"|package '.*' has no scheme\.toml$|written for scheme format |the entry point is named "
       r"|'.*' is not a valid scheme id$)|^cannot read scheme\.toml of '.*': ",
       ErrorExample("python", _plugin('"format = 1\\nid = \\n"', f'get_scheme("{_ID}", entry_points=installed('
                                 f'[EntryPoint("{_ID}", "vendor_schemes")]))'),
                    message=("scheme 'vn.example.huyen-a.commune.2024' from vendor-schemes cannot be used: line 2, "
                             'column 6: not valid TOML: Invalid value')),
       "A scheme plug-in's `scheme.toml` cannot be read: it is not valid TOML, not UTF-8 text, or"
       " too large. The rest of the message says which.",
       "Correct the plug-in's `scheme.toml` (`parscore check` on it lists every problem)."),
    _e("PS610", "Plug-in fails to import",
       r"^plug-in .* failed to import '.*' for scheme '.*': ",
       ErrorExample("python", _plugin("EXAMPLE_SCHEME", f'get_scheme("{_ID}", entry_points=installed('
                                 f'[EntryPoint("{_ID}", "vendor_schemes")]))',
                                 init='raise ImportError("vendor_lib is not installed")\n'),
                    message=("plug-in vendor-schemes failed to import 'vendor_schemes' for scheme "
                             "'vn.example.huyen-a.commune.2024': ImportError: vendor_lib is not installed")),
       "A scheme plug-in's package raises an error when imported (the message ends with it).",
       "Install what the plug-in needs, or report the error to its authors."),
    _e("PS611", "No such worked example",
       r"^scheme '.*' has no example '.*'; examples: ",
       ErrorExample("python", _plugin("EXAMPLE_SCHEME", f'get_scheme_package("{_ID}", entry_points=installed('
                                 f'[EntryPoint("{_ID}", "vendor_schemes")])).load_example("communes-2024")'),
                    message="scheme 'vn.example.huyen-a.commune.2024' has no example 'communes-2024'; examples: none"),
       "A scheme plug-in has no worked example of the name asked for.",
       "Use one of the examples the message lists."),
    _e("PS612", "Rule plug-in redefines a built-in rule",
       r"^rule plug-in .* redefines the built-in rule kind ",
       ErrorExample("python",
                    _rule_plugin('EntryPoint("survey", "vendor_rules:Survey", "vendor-rules")', kind="survey"),
                    message=('line 64: field 3 › criterion 3.2 (fields[2].criteria[1].rule.kind): rule plug-in '
                             "vendor-rules redefines the built-in rule kind 'survey'")),
       "A rule plug-in registers a kind that is one of parscore's built-in rules; schemes using that"
       " kind would change meaning.",
       "Uninstall the plug-in, or have it register its rule under a name of its own."),
    _e("PS613", "Rule kind claimed by two plug-ins",
       r"^rule kind '.*' is claimed by two plug-ins: ",
       ErrorExample("python", _rule_plugin('EntryPoint("half", "vendor_rules:Half", "vendor-rules")',
                                      'EntryPoint("half", "other_rules:Half", "other-rules")'),
                    message=("line 64: field 3 › criterion 3.2 (fields[2].criteria[1].rule.kind): rule kind 'half' "
                             'is claimed by two plug-ins: other-rules (other_rules:Half) and vendor-rules '
                             '(vendor_rules:Half)')),
       "Two installed distributions register a rule of the same kind.",
       "Uninstall one of them."),
    _e("PS614", "Rule plug-in fails to load",
       r"^rule plug-in .* failed to load rule '.*' from ",
       ErrorExample("python", _rule_plugin('EntryPoint("half", "vendor_rules:Half", "vendor-rules")'),
                    message=('line 64: field 3 › criterion 3.2 (fields[2].criteria[1].rule.kind): rule plug-in '
                             "vendor-rules failed to load rule 'half' from vendor_rules:Half: ModuleNotFoundError: "
                             "No module named 'vendor_rules'")),
       "A rule plug-in's module cannot be imported, or has no such class (the message ends with the error).",
       "Reinstall the plug-in's distribution, or report the error to its authors."),
    _e("PS615", "Rule plug-in is not a rule",
       r"^rule plug-in .* must name an attrs class implementing parscore\.Rule; ",
       ErrorExample("python", _rule_plugin('EntryPoint("half", "fractions:Fraction", "vendor-rules")'),
                    message=('line 64: field 3 › criterion 3.2 (fields[2].criteria[1].rule.kind): rule plug-in '
                             'fractions:Fraction (vendor-rules) must name an attrs class implementing '
                             'parscore.Rule; it is not an attrs class')),
       "A rule plug-in's entry point names something that is not an attrs class with the methods of"
       " `parscore.Rule`.",
       "Have the entry point name the rule's class (`rule_violations` checks a rule class)."),
    _e("PS616", "Rule plug-in kind differs",
       r"^rule plug-in .* is registered as '.*' but its kind is ",
       ErrorExample("python", _rule_plugin('EntryPoint("half", "parscore.rules:Survey", "vendor-rules")'),
                    message=('line 64: field 3 › criterion 3.2 (fields[2].criteria[1].rule.kind): rule plug-in '
                             "parscore.rules:Survey is registered as 'half' but its kind is 'survey'")),
       "A rule class's `kind` is not the name of the entry point it is registered under.",
       "Register the class under its `kind`."),
    _e("PS620", "Text with quotes or backslashes",
       r"cannot be used here: use plain text without quotes or backslashes$",
       ErrorExample("python", "from parscore import create_plugin\n\n"
                    f'create_plugin("plugin", "{_ID}", \'Chỉ số "CCHC"\', "UBND huyện A")\n',
                    message='\'Chỉ số "CCHC"\' cannot be used here: use plain text without quotes or backslashes'),
       "A title, issuer or document given to `create_plugin` (`parscore new-scheme`) holds quotes,"
       " backslashes or line breaks, or is empty.",
       "Give plain text; edit the generated `scheme.toml` afterwards if needed."),
    _e("PS621", "Kit scheme id not of the required form",
       r"^scheme id '.*' does not follow <country>\.<issuer…>\.<level>\.<year>",
       ErrorExample("python", 'from parscore import create_plugin\n\ncreate_plugin("plugin", "huyen-a-2024", "Ví dụ",'
                    ' "UBND huyện A")\n',
                    message=("scheme id 'huyen-a-2024' does not follow <country>.<issuer…>.<level>.<year>, such as "
                             "'vn.dak-nong.krong-no.commune.2022'")),
       "The id given to `create_plugin` (`parscore new-scheme`) is not a valid scheme id.",
       "Give an id such as `vn.dak-nong.krong-no.commune.2022`."),
    _e("PS622", "Kit rule kind not a name",
       r"^rule kind '.*' must be lower-case letters, digits and '_'$",
       ErrorExample("python", f'from parscore import create_plugin\n\ncreate_plugin("plugin", "{_ID}", "Ví dụ",'
                    ' "UBND huyện A", rule_kind="Half-Points")\n',
                    message="rule kind 'Half-Points' must be lower-case letters, digits and '_'"),
       "The sample rule's kind given to `create_plugin` is not a lower-case name.",
       "Use lower-case letters, digits and `_`, starting with a letter."),
    _e("PS623", "Kit folder exists",
       r"already exists: choose a new folder for the plug-in$",
       ErrorExample("python", "from pathlib import Path\n\nfrom parscore import create_plugin\n\n"
                    f'Path("plugin").mkdir()\ncreate_plugin("plugin", "{_ID}", "Ví dụ", "UBND huyện A")\n',
                    message='plugin already exists: choose a new folder for the plug-in'),
       "`create_plugin` (`parscore new-scheme`) never writes into an existing folder.",
       "Choose a folder that does not exist yet."),
    _e("PS630", "Optional dependency not installed",
       r"^.+ needs \w+(?:, which is not installed)?: pip install 'parscore\[\w+\]'$",
       ErrorExample("python", "import sys\n\nfrom parscore import read_assessments\n\n"
                    'sys.modules["openpyxl"] = None  # as if openpyxl were not installed\n'
                    'read_assessments("assessments.xlsx")\n',
                    message="reading .xlsx files needs openpyxl: pip install 'parscore[xlsx]'"),
       "A format or feature needs an optional package that is not installed: openpyxl for `.xlsx`"
       " files, pandas for data frames, matplotlib for charts.",
       "Install the extra the message names, such as `pip install 'parscore[xlsx]'`."),
    # --- PS7xx: unit identity ---------------------------------------------------------------
    _e("PS701", "Unknown unit",
       _AT + r"unknown unit '.*': add it to the alias table",
       ErrorExample("python", 'from parscore import UnitRegistry\n\nUnitRegistry.of({"xa-a": "UBND xã A"})'
                    '.resolve("UBND xa A")\n',
                    message="unknown unit 'UBND xa A': add it to the alias table; candidates: xa-a (UBND xã A)"),
       "A unit name as printed matches no unit's id, name or alias exactly (after Unicode"
       " normalisation). Near misses are listed as candidates but never chosen silently.",
       "Add the spelling to the alias table (`[aliases]` of the published figures) with the id of"
       " the unit it means."),
    _e("PS702", "Ambiguous unit",
       _AT + r"ambiguous unit '.*': ",
       ErrorExample("python", 'from parscore import UnitRegistry\n\nUnitRegistry.of({"nam-da": "UBND xã Nam Đà",'
                    ' "nam-da-2": "UBND xã Nam Đà"}).resolve("UBND xã Nam Đà")\n',
                    message=("ambiguous unit 'UBND xã Nam Đà': it is the name of 2 units: nam-da (UBND xã Nam Đà), "
                             'nam-da-2 (UBND xã Nam Đà); name one of them by its id or an alias')),
       "A unit name as printed is the name of several units (communes of different districts may"
       " share one), or the alias table maps it to several.",
       "Name the unit by its id, or by an alias that names only it."),
    _e("PS703", "Alias to an unknown unit",
       _AT + r"alias '.*' points to unknown unit id '.*'$",
       ErrorExample("python", 'from parscore import UnitRegistry\n\nUnitRegistry.of({"xa-a": "UBND xã A"},'
                    ' {"Xã A": "xa-c"})\n',
                    message="aliases.Xã A: alias 'Xã A' points to unknown unit id 'xa-c'"),
       "The alias table maps a spelling to a unit id that no unit has.",
       "Correct the id in the alias table."),
    _e("PS704", "Alias to several units",
       r"^alias '.*' is mapped to several units: ",
       ErrorExample("python", 'from parscore import UnitRegistry\n\nUnitRegistry.of({"xa-a": "UBND xã A",'
                    ' "xa-b": "UBND xã B"}).with_aliases([("Xã A", "xa-a"), ("Xã A", "xa-b")])\n',
                    message="aliases.Xã A: alias 'Xã A' is mapped to several units: xa-a, xa-b"),
       "The alias table maps one spelling to several units.",
       "Keep the right one."),
    _e("PS705", "Alias that is another unit's id or name",
       r"^alias '.*' maps to '.*', but it is the id or name of ",
       ErrorExample("python", 'from parscore import UnitRegistry\n\nUnitRegistry.of({"xa-a": "UBND xã A",'
                    ' "xa-b": "UBND xã B"}, {"UBND xã B": "xa-a"})\n',
                    message="aliases.UBND xã B: alias 'UBND xã B' maps to 'xa-a', but it is the id or name of xa-b"),
       "The alias table maps a unit's own id or name to another unit.",
       "Remove the alias, or correct its unit."),
    _e("PS706", "Empty alias",
       r"^an alias must not be empty$",
       ErrorExample("python", 'from parscore import UnitRegistry\n\nUnitRegistry.of({"xa-a": "UBND xã A"},'
                    ' {" ": "xa-a"})\n',
                    message='aliases: an alias must not be empty'),
       "The alias table has an empty spelling.",
       "Remove it."),
    _e("PS707", "Duplicate unit id",
       r"^duplicate unit id '.*', also ",
       ErrorExample("assessments", '[[units]]\nid = "xa-a"\nname = "UBND xã A"\n\n[[units]]\nid = "xa-a"\n'
                    'name = "UBND xã B"\n',
                    message="line 6 (units[1].id): duplicate unit id 'xa-a', also units[0]"),
       "Two units have the same id, in assessments, a result or a unit registry.",
       "Give each unit its own id."),
    # --- PS8xx: numbers ---------------------------------------------------------------------
    _e("PS801", "Not a number",
       _AT + r"expected a number such as 4,5 or 4\.5, got ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", 'max = "mười"')),
                    message="line 11: field 1 (fields[0].max): expected a number such as 4,5 or 4.5, got 'mười'"),
       "Text where a number belongs is not a number. Numbers may be written with a decimal comma or"
       " point (`\"4,5\"`, `4.5`) but without thousands separators or units.",
       "Write the number alone, such as `4,5` or `4.5`."),
    _e("PS802", "Boolean where a number belongs",
       _AT + r"expected a number, got the boolean ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = true")),
                    message='line 11: field 1 (fields[0].max): expected a number, got the boolean True'),
       "`true` or `false` where a number belongs.",
       "Write the number."),
    _e("PS803", "Not a finite number",
       _AT + r"expected a finite number, got ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = nan")),
                    message='line 11: field 1 (fields[0].max): expected a finite number, got NaN'),
       "`nan` or `inf` where a number belongs.",
       "Write the number."),
    _e("PS804", "Not a number at all",
       _AT + r"expected a number, got (?!the boolean )",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = [10]")),
                    message='line 11: field 1 (fields[0].max): expected a number, got list [10]'),
       "An array, a table, a date or another value where a number belongs.",
       "Write the number alone."),
    _e("PS805", "Too many digits before the decimal point",
       _AT + r"expected a number with at most \d+ digits before the decimal point, got ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = 1e20")),
                    message=('line 11: field 1 (fields[0].max): expected a number with at most 15 digits before the '
                             'decimal point, got 1E+20')),
       "A number has more than 15 digits before the decimal point; no score, count or ratio has.",
       "Correct the number."),
    _e("PS806", "Too many decimals",
       _AT + r"expected a number with at most \d+ decimals, got ",
       ErrorExample("scheme", _scheme(_FIELD.replace("max = 10", "max = 9.99999999999")),
                    message=('line 11: field 1 (fields[0].max): expected a number with at most 10 decimals, got '
                             '9.99999999999')),
       "A number has more than 10 decimals; no score has. Such numbers usually come from a"
       " spreadsheet's binary arithmetic.",
       "Round the number as the source document prints it."),
    _e("PS807", "Whole number too long to convert",
       _AT + r"Exceeds the limit \(\d+ digits\) for integer string conversion",
       ErrorExample("python", 'from parscore import loads_assessments\n\nloads_assessments(\'[[units]]\\nid = "xa-a"\\n'
                    'name = "UBND xã A"\\nappraised = { "1.1" = [0x\' + "f" * 4000 + "] }\\n")\n',
                    message=('line 4 (units[0].appraised."1.1"): Exceeds the limit (4300 digits) for integer string '
                             'conversion; use sys.set_int_max_str_digits() to increase the limit')),
       "A whole number written in hexadecimal, octal or binary has thousands of digits.",
       "Correct the number."),
)


def code_of(message: str) -> ErrorCode | None:
    """The catalogue entry of a problem's or an error's ``message``, or ``None``.

    Every message parscore words matches exactly one entry.  A message
    that quotes another error (a plug-in's import error) is classified by
    the entry that matches earliest in it: the outer message.  Messages a
    rule plug-in words itself match none.
    """
    best: tuple[int, ErrorCode] | None = None
    for entry in CATALOGUE:
        found = entry.pattern.search(message)
        if found is not None and (best is None or found.start() < best[0]):
            best = (found.start(), entry)
    return None if best is None else best[1]


# --- the reference page -------------------------------------------------------------


def _fence(text: str, language: str) -> str:
    return f"```{language}\n{text.rstrip(chr(10))}\n```"


def _area_title(digit: str) -> str:
    return dict(AREAS)[digit]


def markdown() -> str:
    """``docs/reference/error-codes.md``: every code with its meaning, fix and example."""
    out = [textwrap.dedent("""\
        # Error codes

        Every problem parscore reports, and every error it raises, has a code:
        `PS` and three digits, such as `PS217`. The code says *what* is wrong; the
        rest of the problem says *where* (its file, line, key path and tree path,
        see [Errors](errors.md)). Each code below is shown with what it means, how to
        fix it, and a small input that gives it, with the message it gives.

        Codes are stable: once assigned, a code keeps its meaning and is never
        renumbered, and a retired code is never given to another error. New errors
        get new codes.

        In Python, `problem.code` is the code of a `Problem`, and `error.code` that
        of an error (for an `InputError`, the code of its first problem); messages
        are unchanged:

        <!-- check: doctest -->
        ```pycon
        >>> from parscore import AssessmentError, UnitRegistry, UnknownUnitError, loads_assessments
        >>> try:
        ...     loads_assessments("scheme = 2024\\n", file="assessments.toml")
        ... except AssessmentError as error:
        ...     for problem in error.problems:
        ...         print(problem.code, problem)
        PS311 line 1 (scheme): scheme must be a scheme id (text), got 2024
        >>> try:
        ...     UnitRegistry.of({"xa-a": "UBND xã A"}).resolve("UBND xa A")
        ... except UnknownUnitError as error:
        ...     print(error.code, error)
        PS701 unknown unit 'UBND xa A': add it to the alias table; candidates: xa-a (UBND xã A)
        ```

        `parscore.catalogue.code_of(message)` gives the catalogue entry of a
        message. Problems that a rule plug-in words itself (its own checks of its
        parameters and of the values it refuses) are not parscore's and have no
        code: their `code` is `None`.

        | Codes | Area |
        |---|---|
        """)]
    for digit, title in AREAS:
        out.append(f"| [PS{digit}xx](#ps{digit}xx) | {title} |\n")
    out.append(textwrap.dedent("""
        ## Examples

        The examples are small inputs, each read or run as it says. Under each is
        the problem it gives, as `str(problem)` prints it (the error's message lists
        it after the file name and the number of problems), or the message of the
        error it raises. Several examples use these:

        ### The example scheme {#example-scheme}

        """))
    out.append(_fence(EXAMPLE_SCHEME, "toml") + "\n")
    out.append(textwrap.dedent("""
        ### The example assessments {#example-assessments}

        Two communes assessed against the example scheme:

        """))
    out.append(_fence(EXAMPLE_ASSESSMENTS, "toml") + "\n")
    out.append(textwrap.dedent("""
        ### Python examples {#python-examples}

        Python examples run in an empty folder, after this prelude (which stands in
        for installed plug-ins), with `EXAMPLE_SCHEME` and `EXAMPLE_ASSESSMENTS` the
        texts above:

        """))
    out.append(_fence(PYTHON_PRELUDE, "python") + "\n")
    current = ""
    for entry in CATALOGUE:
        digit = entry.code[2]
        if digit != current:
            current = digit
            out.append(f"\n## PS{digit}xx: {_area_title(digit)} {{#ps{digit}xx}}\n")
            if digit in _AREA_NOTES:
                out.append(f"\n{_AREA_NOTES[digit]}\n")
        example = entry.example
        language = _LANGUAGES.get(example.kind, "toml")
        out.append(f"\n### {entry.code}: {entry.title} {{#{entry.code}}}\n\n")
        out.append(f"**What it means.** {entry.means}\n\n")
        out.append(f"**How to fix it.** {entry.fix}\n\n")
        out.append(f"**Example**: {EXAMPLE_KINDS[example.kind]}:\n\n")
        out.append(_fence(example.text, language) + "\n\n")
        out.append("gives\n\n")
        out.append(_fence(example.message, "text") + "\n")
    return "".join(out)


if __name__ == "__main__":  # pragma: no cover - writes the reference page
    print(markdown(), end="")
