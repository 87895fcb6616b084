"""The catalogue of every built-in rule, collected from every module of this package.

A rule module added to ``tocreview.rules`` is found without being listed here, so no
``@rule`` can be left out of the catalogue (a test also checks it).
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType

from tocreview.rules.registry import RuleBook

# Found by walking this folder, not by importing the package (which imports this module).
_PACKAGE = __name__.rpartition(".")[0]
_FOLDER = str(Path(__file__).parent)


def rule_modules() -> list[ModuleType]:
    """Every module of ``tocreview.rules``, imported, in name order."""
    names = sorted(m.name for m in pkgutil.iter_modules([_FOLDER]))
    return [importlib.import_module(f"{_PACKAGE}.{name}") for name in names
            if name != "catalogue"]


RULES: RuleBook = RuleBook.from_modules(*rule_modules())
"""Every built-in rule, by id."""
