"""The corpus of biased plugins (tests/biased/biased_plugins.py): thirteen, each installed as an
entry point and hiding one kind of bias; the principle suite must fail every one for the
right principle, naming it, and pass the baseline and every built-in variant (the latter in
tests/test_principles.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from wheelkit import install_plugin

HERE = Path(__file__).parent / "biased"

SCRIPT = '''
import json, os, sys
sys.path.insert(0, {here!r})
from biased_plugins import CAUGHT_BY
from tocreview import Mechanism, Roster, Scenario
from tocreview.testing.principles import check_principles

roster = Roster.bundled(as_of="2020-10-16")
out = {{}}
for name, (principle, how) in CAUGHT_BY.items():
    os.environ["TOCREVIEW_LOAD_PLUGINS"] = name
    m = Mechanism(Scenario(variants=tuple(how.get("variants", ()))), roster)
    report = check_principles(m, method=how.get("method", "sequential"))
    out[name] = [[f.principle.value, f.detail, f.example or ""] for f in report.violations()]
os.environ["TOCREVIEW_LOAD_PLUGINS"] = ""
out["(baseline)"] = [[f.principle.value, f.detail, ""]
                     for f in check_principles(Mechanism(Scenario(), roster)).violations()]
print(json.dumps(out))
'''


def test_every_biased_plugin_fails_for_its_principle() -> None:
    source = (HERE / "biased_plugins.py").read_text(encoding="utf-8")
    namespace: dict[str, object] = {}
    exec(compile(source, "biased_plugins.py", "exec"), namespace)
    caught_by: dict[str, tuple[str, dict[str, object]]] = namespace["CAUGHT_BY"]  # type: ignore[assignment]
    classes: dict[str, str] = namespace["CLASSES"]  # type: ignore[assignment]
    assert len(caught_by) >= 12
    import tempfile

    where = Path(tempfile.mkdtemp(prefix="biased-"))
    names = list(classes)
    site = install_plugin(where, "biased_plugins", source, names[0],
                          f"biased_plugins:{classes[names[0]]}",
                          {n: f"biased_plugins:{classes[n]}" for n in names[1:]})
    environment = {**os.environ, "PYTHONPATH": str(site)}
    done = subprocess.run([sys.executable, "-c", SCRIPT.format(here=str(HERE))],
                          capture_output=True, text=True, env=environment, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    found = json.loads(done.stdout)
    assert found.pop("(baseline)") == []
    missed = {name: (principle, found[name]) for name, (principle, _) in caught_by.items()
              if principle not in {p for p, _, _ in found[name]}}
    caught = len(caught_by) - len(missed)
    from fuzzcount import LINES

    line = f"biased plugins caught by the principle suite: {caught} of {len(caught_by)}"
    print(line)
    LINES.append(line)
    assert missed == {}
