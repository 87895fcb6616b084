"""The catalogue of every built-in rule, collected from the rule modules."""

from __future__ import annotations

from tocreview.rules import selection, start_groups
from tocreview.rules.registry import RuleBook

RULES: RuleBook = RuleBook.from_modules(selection, start_groups)
"""Every built-in rule, by id."""
