"""Hypothesis profiles: small by default (CI), 100x with SYSDESIGN_HYPOTHESIS=long.

Each property states its default example count with `examples(n)`; the long profile multiplies
it by 100. Run the long profile with, e.g.:
    SYSDESIGN_HYPOTHESIS=long nice timeout 3h .venv/bin/pytest -q tests/property
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

PROFILE = os.environ.get("SYSDESIGN_HYPOTHESIS", "ci")
FACTOR = {"ci": 1, "long": 100}.get(PROFILE, 1)

settings.register_profile(
    "sysdesign",
    deadline=None,  # a shared 2-core machine: time is measured in bench/, never in tests
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=PROFILE == "ci",  # CI runs the same examples every time
    print_blob=True,
)
settings.load_profile("sysdesign")
