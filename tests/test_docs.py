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
