"""Citizen reporters' stories and the editorial desk."""

from __future__ import annotations
