"""Pathways and the talent directory."""

from __future__ import annotations
