"""The procedures and rules as plain typed functions, each registered with its citations."""

from tocreview.rules.catalogue import RULES
from tocreview.rules.parameters import PARAMETER_CITATIONS, Parameters
from tocreview.rules.registry import Rule, RuleBook, RuleKind, decide, rule

__all__ = ["PARAMETER_CITATIONS", "RULES", "Parameters", "Rule", "RuleBook", "RuleKind",
           "decide", "rule"]
