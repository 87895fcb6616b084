"""The catalogue of every built-in rule, collected from every module of this package.

A rule module added to ``tocreview.rules`` is found without being listed here, so no
``@rule`` can be left out of the catalogue (a test also checks it).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import tocreview.rules as _package
from tocreview.rules.registry import RuleBook


def rule_modules() -> list[ModuleType]:
    """Every module of ``tocreview.rules``, imported, in name order."""
    names = sorted(m.name for m in pkgutil.iter_modules(_package.__path__))
    return [importlib.import_module(f"{_package.__name__}.{name}") for name in names
            if name != "catalogue"]


RULES: RuleBook = RuleBook.from_modules(*rule_modules())
"""Every built-in rule, by id."""
