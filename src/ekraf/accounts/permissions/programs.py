"""Agency programmes, engagements, deliverables and speaker requests."""

from __future__ import annotations
