"""Parse Chinese government responsibility notices into normalized tables."""

__version__ = "0.1.0"
