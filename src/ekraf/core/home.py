"""Panels on the home page, registered by each app so the home page grows with the platform.

A panel is a template plus a function that returns its context (it must run a fixed number of
queries: the home page is the most visited page of the platform).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class HomePanel:
    template: str
    context: Callable  # (request) -> dict
    order: int = 100


_PANELS: list[HomePanel] = []


def register(panel: HomePanel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels_for(request) -> list[dict]:
    return [
        {"template": panel.template, "context": panel.context(request)}
        for panel in sorted(_PANELS, key=lambda p: p.order)
    ]
