"""Indicators whose source capability has not landed yet.

An indicator is defined here with its metadata (and `requires` naming its source models, no
`compute`) so that the dictionary lists it and the dashboard shows it as "belum tersedia" —
never as zero — until its computation is written in the module of its theme. Every indicator
of issue 15 has its source now (talent.py, programs.py, newsroom.py, conversion.py), so none is
pending; the mechanism stays for the next capability's indicators."""

from __future__ import annotations
