"""The creative centre's rooms and bookings."""

from __future__ import annotations
