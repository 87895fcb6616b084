"""The policy layer: pluggy hooks, the typed plugin manager and the built-in options."""

from tocreview.plugins.hookspecs import hookimpl

__all__ = ["hookimpl"]
