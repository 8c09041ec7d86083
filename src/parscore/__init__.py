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
from .conformance import rule_violations
from .errors import (
    AssessmentError,
    InputError,
    ParscoreError,
    PluginError,
    Problem,
    SchemeError,
    SchemeNotFoundError,
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
from .published import (
    Discrepancy,
    Published,
    compare_published,
    load_published,
    loads_published,
)
from .ranking import rank
from .rules import BUILTIN_RULES, Bonus, Deduction, Entered, PassFail, Ratio, Rule, Survey, Tier, Tiers
from .schemefile import dumps_scheme, load_scheme, loads_scheme, scheme_hash

__all__ = [
    "BUILTIN_RULES",
    "NOT_APPLICABLE",
    "Assessment",
    "AssessmentError",
    "Assessments",
    "Band",
    "Bonus",
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
    "Provenance",
    "Published",
    "RankMethod",
    "Ranking",
    "Ratio",
    "Result",
    "Rounding",
    "Rule",
    "Scheme",
    "SchemeError",
    "SchemeNotFoundError",
    "SchemePackage",
    "Source",
    "Survey",
    "Tier",
    "Tiers",
    "Unit",
    "UnitResult",
    "__version__",
    "available_schemes",
    "compare_published",
    "create_plugin",
    "dumps_assessments",
    "dumps_scheme",
    "evaluate",
    "get_scheme",
    "get_scheme_package",
    "installed_rules",
    "load_assessments",
    "load_published",
    "load_scheme",
    "loads_assessments",
    "loads_published",
    "loads_scheme",
    "parse_decimal",
    "rank",
    "round_half_up",
    "rule_violations",
    "run_example",
    "scheme_hash",
    "scheme_problems",
]
