"""Sprechstunde: the domain and its encrypted storage. Pure Python: no Qt, no HTTP."""

__version__ = "0.1.0"
