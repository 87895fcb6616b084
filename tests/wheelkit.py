"""Build a one-module plugin wheel in a test and install it into a target folder."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path


def install_plugin(where: Path, module: str, source: str, entry_point: str,
                   target: str | None = None, more: dict[str, str] | None = None) -> Path:
    """Build ``module`` (with ``source``) as a wheel declaring the ``tocreview`` entry point
    ``entry_point`` (pointing at ``target``, default the module), install it into
    ``where/site`` and return that folder."""
    dist = module.replace("_", "-")
    wheel = where / f"{module}-1.0-py3-none-any.whl"
    info = f"{module}-1.0.dist-info"
    files = {
        f"{module}.py": source,
        f"{info}/METADATA": f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0\n",
        f"{info}/WHEEL": "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
                         "Tag: py3-none-any\n",
        f"{info}/entry_points.txt": f"[tocreview]\n{entry_point} = {target or module}\n"
                                    + "".join(f"{k} = {v}\n" for k, v in (more or {}).items()),
    }
    record = "".join(f"{name},,\n" for name in files) + f"{info}/RECORD,,\n"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
        archive.writestr(f"{info}/RECORD", record)
    target = where / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                    "--no-index", "--target", str(target), str(wheel)], check=True)
    return target
