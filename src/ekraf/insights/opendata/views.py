from django.shortcuts import render

from .. import indicators


def dictionary(request):
    """The data dictionary: every indicator's metadata, available or not (public)."""
    return render(
        request,
        "opendata/dictionary.html",
        {"items": indicators.all_indicators(), "themes": indicators.THEMES},
    )
