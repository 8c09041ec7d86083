"""Hypothesis settings profiles for the property tests.

Pick one with the ``HYPOTHESIS_PROFILE`` environment variable:

``fast`` (default)
    50 examples a test, for the normal test run.
``long``
    2000 examples a test, for a deliberate search before a release::

        HYPOTHESIS_PROFILE=long python -m pytest tests/property

Neither has a deadline: evaluation time varies with the size of the drawn
scheme and with the machine, and a slow example is not a wrong one.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "fast",
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long",
    max_examples=2000,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "fast")
settings.load_profile(PROFILE)


def pytest_report_header() -> str:
    return f"hypothesis profile: {PROFILE} ({settings.get_profile(PROFILE).max_examples} examples a test)"
