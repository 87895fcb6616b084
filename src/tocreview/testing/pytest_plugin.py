"""The tocreview pytest plugin (entry point ``pytest11``): fixtures for plugin authors, and
``--tocreview-principles`` to run the principle suite against a scenario or installed plugins.

    pytest --tocreview-principles proposal.toml     # a scenario file
    pytest --tocreview-principles installed         # every variant of the installed plugins
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tocreview.mechanism import Mechanism
from tocreview.model.roster import Roster
from tocreview.scenario import Scenario

OPTION = "--tocreview-principles"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tocreview")
    group.addoption(OPTION, metavar="SCENARIO|installed", default=None,
                    help="run the guiding-principle suite against a scenario file (TOML or "
                    "JSON) or against every variant of the installed plugins")
    group.addoption("--tocreview-as-of", metavar="DATE", default="2020-10-16",
                    help="roster date for the principle suite (default 2020-10-16)")


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption(OPTION):
        from tocreview.testing import principle_suite

        # Collect only the shipped suite, as if its path had been given on the command line.
        config.args[:] = [str(Path(principle_suite.__file__))]


@pytest.fixture
def tocreview_roster() -> Roster:
    """The bundled roster as of the start of the review process (2020-10-16)."""
    return Roster.bundled(as_of="2020-10-16")


@pytest.fixture
def tocreview_small_roster() -> Roster:
    """Six States in two regional groups, party to one to three instruments."""
    from tocreview.testing.principles import _RENAME, _small_roster

    return _small_roster({k: k for k in _RENAME})


@pytest.fixture
def tocreview_mechanism(tocreview_roster: Roster) -> Mechanism:
    """The adopted baseline with its own plugin manager and no entry-point plugins: isolated
    from whatever is installed. Pass ``plugins=[...]`` to ``Mechanism`` to add yours."""
    return Mechanism(Scenario(), tocreview_roster, load_entry_points=False)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """List the principles a scenario trades away: reported, never hidden."""
    traded = [
        (report.nodeid, value)
        for report in terminalreporter.getreports("passed")
        for key, value in report.user_properties if key == "traded"
    ]
    if traded:
        terminalreporter.section("tocreview: principles traded away")
        for nodeid, detail in traded:
            terminalreporter.write_line(f"{nodeid.split('[')[-1].rstrip(']')}: {detail}")
