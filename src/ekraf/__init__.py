"""Ekraf: a city government's platform for its creative economy."""

__version__ = "0.1.0"
