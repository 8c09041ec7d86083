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
from .model import (
    Band,
    Node,
    Normalisation,
    NotApplicablePolicy,
    RankMethod,
    Ranking,
    Rounding,
    Scheme,
    Source,
    scheme_problems,
)
from .numbers import parse_decimal, round_half_up
from .plugins import (
    Example,
    InstalledScheme,
    SchemePackage,
    available_schemes,
    get_scheme,
    get_scheme_package,
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
    "dumps_assessments",
    "dumps_scheme",
    "evaluate",
    "get_scheme",
    "get_scheme_package",
    "load_assessments",
    "load_published",
    "load_scheme",
    "loads_assessments",
    "loads_published",
    "loads_scheme",
    "parse_decimal",
    "rank",
    "round_half_up",
    "scheme_hash",
    "scheme_problems",
]
