"""Deployment checks of our own, run by `python -m ekraf check --deploy`."""

from django.conf import settings
from django.core.checks import Tags, Warning, register


@register(Tags.security, deploy=True)
def bench_endpoints_off(app_configs, **kwargs):
    if getattr(settings, "BENCH_ENDPOINTS", False):
        return [
            Warning(
                "EKRAF_BENCH_ENDPOINTS is on: /bench/trivial is served.",
                hint="Unset EKRAF_BENCH_ENDPOINTS; only the benchmark's servers need it.",
                id="ekraf.W001",
            )
        ]
    return []
