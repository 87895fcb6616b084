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


# ----- the fuzz suite's tally, gathered from every xdist worker and printed at the end -----

import json as _json  # noqa: E402
from collections import Counter as _Counter  # noqa: E402

import pytest  # noqa: E402

_GATHERED: _Counter[tuple[str, str]] = _Counter()
_LINES: list[str] = []


def pytest_sessionfinish(session: pytest.Session) -> None:
    from fuzzcount import LINES, TALLY

    output = getattr(session.config, "workeroutput", None)
    if output is not None:  # an xdist worker: hand the tally to the controller
        output["fuzz"] = _json.dumps([[k, o, n] for (k, o), n in TALLY.items()])
        output["lines"] = _json.dumps(LINES)
    else:
        _GATHERED.update(TALLY)
        _LINES.extend(LINES)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: object, error: object) -> None:
    data = getattr(node, "workeroutput", {}).get("fuzz")
    if data:
        _GATHERED.update({(k, o): n for k, o, n in _json.loads(data)})
    _LINES.extend(_json.loads(getattr(node, "workeroutput", {}).get("lines") or "[]"))


def pytest_terminal_summary(terminalreporter: object) -> None:
    from fuzzcount import lines

    write = terminalreporter.write_line  # type: ignore[attr-defined]
    for line in _LINES:
        write(line)
    if _GATHERED:
        write("")
        write("fuzz suite: inputs tried per kind")
        for line in lines(_GATHERED):
            write(line)
