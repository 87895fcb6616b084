"""The guiding-principle suite, collected by ``pytest --tocreview-principles TARGET``."""

from __future__ import annotations

import pytest

from tocreview.mechanism import Mechanism
from tocreview.model.roster import Roster
from tocreview.plugins.manager import PluginManager
from tocreview.rules.principles import Principle
from tocreview.scenario import Scenario
from tocreview.testing.principles import PrincipleReport, Verdict, check_principles


def _targets(config: pytest.Config) -> list[Scenario]:
    target = config.getoption("--tocreview-principles")
    if target != "installed":
        return [Scenario.from_file(target)]
    manager = PluginManager()
    builtin = PluginManager(load_entry_points=False).variants()
    extra = [k for k in manager.variants() if k not in builtin]
    return [Scenario(), *(Scenario(variants=(k,)) for k in extra)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "scenario" in metafunc.fixturenames:
        scenarios = _targets(metafunc.config)
        metafunc.parametrize("scenario", scenarios, ids=[s.key for s in scenarios])
    if "principle" in metafunc.fixturenames:
        metafunc.parametrize("principle", list(Principle), ids=[p.value for p in Principle])


@pytest.fixture(scope="session")
def principle_reports() -> dict[str, PrincipleReport]:
    """One report per scenario, computed once per session."""
    return {}


def test_principle(scenario: Scenario, principle: Principle,
                   request: pytest.FixtureRequest,
                   principle_reports: dict[str, PrincipleReport]) -> None:
    if scenario.key not in principle_reports:
        roster = Roster.bundled(as_of=request.config.getoption("--tocreview-as-of"))
        principle_reports[scenario.key] = check_principles(Mechanism(scenario, roster))
    report = principle_reports[scenario.key]
    found = [f for f in report.findings if f.principle is principle]
    bad = [f for f in found if f.verdict is Verdict.VIOLATED]
    if bad:
        pytest.fail(f"{principle.value} violated by {report.scenario}: {bad[0].detail}\n"
                    f"minimal example: {bad[0].example}", pytrace=False)
    traded = [f for f in found if f.verdict is Verdict.TRADED]
    if traded:
        request.node.user_properties.append(("traded", traded[0].detail))
        print(f"{principle.value} is traded away by {report.scenario}: {traded[0].detail}")
