"""Every command in README.md and docs/ runs as written.

Each ```console block is run line by line (lines starting ``$ ``) in a fresh directory that
holds the files given in full in ```toml title="NAME" blocks of the same page and a ``.venv``
pointing at the environment running the tests, so ``.venv/bin/tocreview`` is the installed
command. A line must exit 0 unless it ends in ``# exits N``. Every ```python block runs too.
The README's two set-up commands are the ones CI runs (.ci/run), checked below.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def console_lines(text: str) -> list[str]:
    return [line[2:] for block in re.findall(r"```console\n(.*?)```", text, flags=re.S)
            for line in block.splitlines() if line.startswith("$ ")]


def given_files(text: str) -> dict[str, str]:
    return dict(re.findall(r'```\w+ title="([^"]+)"\n(.*?)```', text, flags=re.S))


def expected_status(line: str) -> int:
    found = re.search(r"#\s*exits (\d+)\s*$", line)
    return int(found.group(1)) if found else 0


@pytest.mark.parametrize("page", [p for p in PAGES if console_lines(p.read_text())],
                         ids=lambda p: p.name)
def test_every_console_line_runs_as_written(page: Path, tmp_path: Path) -> None:
    text = page.read_text(encoding="utf-8")
    for name, content in given_files(text).items():
        (tmp_path / name).write_text(content, encoding="utf-8")
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))  # the environment running the tests
    for line in console_lines(text):
        run = subprocess.run(["bash", "-c", line], cwd=tmp_path, capture_output=True,
                             text=True, timeout=300)
        assert run.returncode == expected_status(line), (line, run.stderr[-2000:])
        assert "Traceback" not in run.stderr, (line, run.stderr[-2000:])


def test_the_readme_console_block_is_long_and_uses_its_files() -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines = console_lines(text)
    assert len(lines) >= 15
    assert {"proposal.toml", "other.toml"} <= set(given_files(text))
    assert all(line.startswith(".venv/bin/") for line in lines)


# These pages' python blocks run in tests of their own that also check what they print
# (tests/test_docs.py), so they are not run twice.
OWN_TESTS = {"testing-plugins.md", "randomness.md"}


@pytest.mark.parametrize("page", [p for p in PAGES if "```python" in p.read_text()
                                  and p.name not in OWN_TESTS], ids=lambda p: p.name)
def test_every_python_block_runs(page: Path) -> None:
    namespace: dict[str, object] = {}
    blocks = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    for number, block in enumerate(blocks):
        with contextlib.redirect_stdout(io.StringIO()):
            exec(compile(block, f"{page.name}#{number}", "exec"), namespace)


def test_ci_runs_the_readme_setup_and_test_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    setup, tests = re.findall(r"^    (\S.*)$", readme.split("## What it does")[0], flags=re.M)
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup in ci and tests in ci
    assert setup.startswith("python3 -m venv .venv") and "tocreview draw" in setup
