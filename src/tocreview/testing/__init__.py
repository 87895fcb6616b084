"""Helpers for testing code built on tocreview (strategies need the ``test`` extra)."""
