from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# Two profiles. "quick" (the default, the README's test command) tries fewer examples so the
# whole suite runs in about a minute; "thorough" (CI: --hypothesis-profile=thorough) tries every
# example each test asks for, derandomized so a CI failure reproduces. Both run every test.
settings.register_profile("quick", max_examples=20, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("TOCREVIEW_TEST_PROFILE", "quick"))
