"""The tariffs: the commercial price of every active room (hour and day, weekday and
weekend), set or removed by the space manager on one page. Only the tariffs are kept here:
what a request costs is reckoned in services/rules.py (quote)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError
from ekraf.core.models import Space

from .. import services
from ..forms import PriceForm
from ..models import PriceRule, UseClass
from .base import manager_page


@manager_page
def manage_prices(request):
    spaces = list(Space.objects.filter(is_active=True).order_by("floor", "name"))
    if request.method == "POST":
        space = next((s for s in spaces if s.code == request.POST.get("space")), None)
        if space is None:
            raise Http404
        form = PriceForm(request.POST, prefix=space.code)
        if request.POST.get("remove"):
            services.set_price(request.user, space, UseClass.COMMERCIAL, None)
            messages.success(request, _("Tarif %(room)s dihapus.") % {"room": space.name})
            return redirect("spaces:manage_prices")
        if form.is_valid():
            try:
                services.set_price(
                    request.user,
                    space,
                    UseClass.COMMERCIAL,
                    services.PriceInput(**form.cleaned_data),
                )
                messages.success(request, _("Tarif %(room)s disimpan.") % {"room": space.name})
                return redirect("spaces:manage_prices")
            except DomainError as exc:
                messages.error(request, exc.message)
        else:
            messages.error(request, _("Periksa tarif %(room)s.") % {"room": space.name})
    prices = {p.space_id: p for p in PriceRule.objects.filter(use_class=UseClass.COMMERCIAL)}
    rows = []
    for space in spaces:
        rule = prices.get(space.pk)
        initial = (
            {
                "hour_rate": rule.hour_rate,
                "day_rate": rule.day_rate,
                "weekend_hour_rate": rule.weekend_hour_rate,
                "weekend_day_rate": rule.weekend_day_rate,
            }
            if rule
            else {}
        )
        rows.append((space, rule, PriceForm(initial=initial, prefix=space.code)))
    return render(request, "spaces/manage/prices.html", {"rows": rows})
