"""The house rules of the code base: layers point only down, no import cycles, a cheap root.

Every import of a tocreview module is counted, including imports inside functions (they hide
cycles from the interpreter, not from a reader).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import networkx as nx

SRC = Path(__file__).resolve().parents[1] / "src" / "tocreview"

# Lower number = lower layer. A module may import its own layer or any layer below it.
LAYERS = {
    "tocreview._version": 0, "tocreview.errors": 0, "tocreview.data": 0, "tocreview.inputs": 0,
    "tocreview.model": 1,
    "tocreview.rules": 2,
    "tocreview.draw": 3, "tocreview.plugins": 3,
    "tocreview.scenario": 4, "tocreview.mechanism": 4, "tocreview.report": 4,
    "tocreview.simulate": 4, "tocreview.measures": 4, "tocreview.comparison": 4,
    "tocreview.plot": 4, "tocreview.catalogue_doc": 4, "tocreview.schemas": 4,
    "tocreview.roster_update": 4, "tocreview.testing": 5,
    "tocreview.cli": 6, "tocreview.render": 6, "tocreview.commands": 6, "tocreview.commands_base": 6, "tocreview.commands_process": 6, "tocreview.commands_simulate": 6, "tocreview.__main__": 7, "tocreview": 7,
}


def module_name(path: Path, root: Path = SRC) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    best = max((k for k in LAYERS if module == k or module.startswith(k + ".")), key=len,
               default=None)
    assert best is not None, f"{module} is in no layer: add it to LAYERS"
    return LAYERS[best]


def imports(path: Path, root: Path = SRC) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:  # `from pkg import submodule` loads the submodule
                sub = f"{node.module}.{alias.name}"
                is_module = (root.parent / sub.replace(".", "/")).with_suffix(".py").exists()
                found.add(sub if is_module else node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return {m for m in found if m == "tocreview" or m.startswith("tocreview.")}


def graph(root: Path = SRC) -> nx.DiGraph:
    g = nx.DiGraph()
    for path in root.rglob("*.py"):
        name = module_name(path, root)
        g.add_node(name)
        for target in imports(path, root):
            if target != name:
                g.add_edge(name, target)
    return g


def cycles(root: Path = SRC) -> list[list[str]]:
    g = graph(root)
    return list(nx.simple_cycles(g.subgraph(n for n in g if n != "tocreview")))


def upward(root: Path = SRC) -> list[tuple[str, str]]:
    return [(a, b) for a, b in graph(root).edges if b != "tocreview" and layer(b) > layer(a)]


def test_no_import_cycles() -> None:
    assert cycles() == []


def test_layers_point_only_down() -> None:
    assert upward() == []


def test_nothing_below_the_command_line_imports_the_package_root() -> None:
    offenders = [a for a, b in graph().edges
                 if b == "tocreview" and a not in ("tocreview.cli", "tocreview.__main__")
                 and not a.startswith("tocreview.testing")]
    assert offenders == []


def test_the_checks_catch_an_import_hidden_in_a_function(tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "tocreview"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.json"))
    with (copy / "model" / "instrument.py").open("a", encoding="utf-8") as f:
        f.write("\n\ndef _late() -> None:\n    from tocreview.draw.engine import draw\n")
    assert ("tocreview.model.instrument", "tocreview.draw.engine") in upward(copy)
    assert any("tocreview.model.instrument" in c for c in cycles(copy))


def test_importing_the_package_loads_no_model_or_engine() -> None:
    code = ("import sys, tocreview; "
            "print(sorted(m for m in sys.modules if m.startswith(('tocreview.', 'pydantic', "
            "'networkx', 'pluggy'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "['tocreview._version']"


def test_public_names_load_on_first_use() -> None:
    import tocreview

    for name in tocreview.__all__:
        assert getattr(tocreview, name) is not None, name
    assert callable(tocreview.draw) and tocreview.draw.__module__ == "tocreview.draw.engine"
    assert "draw" in dir(tocreview)
    try:
        tocreview.no_such_name  # noqa: B018
    except AttributeError as exc:
        assert "no_such_name" in str(exc)
    else:
        raise AssertionError("an unknown name must raise AttributeError")
