"""The examples in docs/ run and say what they claim."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[1] / "docs"


def python_blocks(name: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", (DOCS / name).read_text(), flags=re.S)


def test_randomness_snippet_runs_and_matches_the_library() -> None:
    (block,) = python_blocks("randomness.md")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block, "randomness.md", "exec"), {})
    assert out.getvalue().strip() == "[555, 881, 915, 624]"
    from tocreview.draw.rng import Stream

    stream = Stream("42", ("order",))
    assert [stream.below(1000) for _ in range(4)] == [555, 881, 915, 624]


def test_testing_guide_examples_run() -> None:
    blocks = python_blocks("testing-plugins.md")
    assert len(blocks) == 4
    out = io.StringIO()
    for number, block in enumerate(blocks):
        namespace: dict[str, object] = {}
        with contextlib.redirect_stdout(out):
            exec(compile(block, f"testing-plugins.md#{number}", "exec"), namespace)
        if number == 2:  # a test function: run it with the fixture's value
            from tocreview import Roster

            namespace["test_my_plugin_keeps_the_principles"](  # type: ignore[operator]
                Roster.bundled(as_of="2020-10-16"))
    assert "ARG" in out.getvalue() or "BRA" in out.getvalue()


def test_every_page_is_in_the_site_navigation() -> None:
    config = (DOCS.parent / "mkdocs.yml").read_text()
    listed = set(re.findall(r":\s*([\w-]+\.md)\s*$", config, flags=re.M))
    assert listed == {p.name for p in DOCS.glob("*.md")}
