"""Hypothesis profiles for the property tests.

``ci`` (the default) runs a fixed, derandomized set of examples so every run of the suite tries
the same inputs in bounded time. ``thorough`` runs 10,000 random examples per property; choose it
with ``WHIZBANG_HYPOTHESIS_PROFILE=thorough`` (see the README, "Property tests"). Either count can
be overridden with ``WHIZBANG_HYPOTHESIS_EXAMPLES``.
"""

from __future__ import annotations

import os
from typing import Any

from hypothesis import HealthCheck, settings

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much]

settings.register_profile(
    "ci",
    max_examples=300,
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)
settings.register_profile(
    "thorough",
    max_examples=10_000,
    derandomize=False,
    deadline=None,
    print_blob=True,
    suppress_health_check=_SLOW_IS_FINE,
)

_profile = os.environ.get("WHIZBANG_HYPOTHESIS_PROFILE", "ci")
_examples = os.environ.get("WHIZBANG_HYPOTHESIS_EXAMPLES")
if _examples:
    settings.register_profile(
        f"{_profile}-custom", settings.get_profile(_profile), max_examples=int(_examples)
    )
    _profile = f"{_profile}-custom"
settings.load_profile(_profile)


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Say how many examples each engine property ran, and how many the library refused."""
    from .engines import COUNTS, SECONDS

    if not COUNTS:
        return
    terminalreporter.section("property examples per engine")
    for engine in sorted(COUNTS):
        outcomes = ", ".join(f"{n} {what}" for what, n in sorted(COUNTS[engine].items()))
        terminalreporter.write_line(f"{engine}: {outcomes} ({SECONDS[engine]:.1f} s)")
