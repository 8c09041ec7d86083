"""parscore: score public bodies against PAR Index (Chỉ số CCHC) schemes, exactly.

>>> import parscore
>>> scheme = parscore.get_scheme("vn.dak-nong.krong-no.commune.2022")
>>> scheme.max_total
Decimal('100.5')
"""

from ._version import __version__
from .assessments import (
    NOT_APPLICABLE,
    Assessment,
    Assessments,
    NotApplicable,
    Observation,
    Unit,
    dumps_assessments,
    load_assessments,
    loads_assessments,
)
from .audit import (
    Check,
    PublishedAudit,
    Summary,
    SummaryAudit,
    audit_published,
    audit_summary,
    load_summary,
    loads_summary,
)
from .conformance import rule_violations
from .errors import (
    AmbiguousUnitError,
    AssessmentError,
    InputError,
    ParscoreError,
    PluginError,
    Problem,
    SchemeError,
    SchemeNotFoundError,
    UnitError,
    UnknownUnitError,
)
from .evaluation import NodeResult, Provenance, Result, UnitResult, evaluate
from .golden import Example, ExampleOutcome, ExpectedDiscrepancy, run_example
from .kit import create_plugin
from .model import (
    Band,
    Node,
    Normalisation,
    NotApplicablePolicy,
    Ranking,
    RankMethod,
    Rounding,
    Scheme,
    Source,
    scheme_problems,
)
from .numbers import parse_decimal, round_half_up
from .plugins import (
    InstalledScheme,
    SchemePackage,
    available_schemes,
    get_scheme,
    get_scheme_package,
    installed_rules,
)
from .projection import Projection, Status, Tracking, load_tracking, loads_tracking, project
from .published import (
    Discrepancy,
    Published,
    compare_published,
    load_published,
    loads_published,
)
from .ranking import rank
from .rules import BUILTIN_RULES, Bonus, Deduction, Entered, PassFail, Ratio, Rule, Survey, Tier, Tiers
from .schemediff import ChangeKind, SchemeChange, SchemeDiff, diff_schemes
from .schemefile import dumps_scheme, load_scheme, loads_scheme, scheme_hash
from .tables import Column, Table
from .units import UnitRegistry

__all__ = [
    "BUILTIN_RULES",
    "NOT_APPLICABLE",
    "AmbiguousUnitError",
    "Assessment",
    "AssessmentError",
    "Assessments",
    "Band",
    "Bonus",
    "ChangeKind",
    "Check",
    "Column",
    "Deduction",
    "Discrepancy",
    "Entered",
    "Example",
    "ExampleOutcome",
    "ExpectedDiscrepancy",
    "InputError",
    "InstalledScheme",
    "Node",
    "NodeResult",
    "Normalisation",
    "NotApplicable",
    "NotApplicablePolicy",
    "Observation",
    "ParscoreError",
    "PassFail",
    "PluginError",
    "Problem",
    "Projection",
    "Provenance",
    "Published",
    "PublishedAudit",
    "RankMethod",
    "Ranking",
    "Ratio",
    "Result",
    "Rounding",
    "Rule",
    "Scheme",
    "SchemeChange",
    "SchemeDiff",
    "SchemeError",
    "SchemeNotFoundError",
    "SchemePackage",
    "Source",
    "Status",
    "Summary",
    "SummaryAudit",
    "Survey",
    "Table",
    "Tier",
    "Tiers",
    "Tracking",
    "Unit",
    "UnitError",
    "UnitRegistry",
    "UnitResult",
    "UnknownUnitError",
    "__version__",
    "audit_published",
    "audit_summary",
    "available_schemes",
    "compare_published",
    "create_plugin",
    "diff_schemes",
    "dumps_assessments",
    "dumps_scheme",
    "evaluate",
    "get_scheme",
    "get_scheme_package",
    "installed_rules",
    "load_assessments",
    "load_published",
    "load_scheme",
    "load_summary",
    "load_tracking",
    "loads_assessments",
    "loads_published",
    "loads_scheme",
    "loads_summary",
    "loads_tracking",
    "parse_decimal",
    "project",
    "rank",
    "round_half_up",
    "rule_violations",
    "run_example",
    "scheme_hash",
    "scheme_problems",
]
