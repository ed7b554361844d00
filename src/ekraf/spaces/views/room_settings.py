"""A room as the space manager keeps it, on one page: its settings, opening hours, closures
(one room or the whole centre) and photos (the writes are services/rooms.py; how hours and
closures refuse a request, services/rules.py). Tariffs have their own page (prices.py)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ekraf.core.errors import DomainError, NotFound

from .. import selectors, services
from ..forms import BlackoutForm, HoursForm, PhotoForm, RoomForm, aware
from ..models import Blackout, RoomPhoto
from .base import manager_page


@manager_page
def manage_room(request, code):
    found = selectors.room(code)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "settings": RoomForm(request.POST if action == "settings" else None, instance=found),
        "hours": HoursForm(request.POST if action == "hours" else None, room=found),
        "blackout": BlackoutForm(request.POST if action == "blackout" else None),
        "photo": PhotoForm(
            request.POST if action == "photo" else None,
            request.FILES if action == "photo" else None,
        ),
    }
    if action:
        try:
            if _room_action(request, found, action, forms):
                messages.success(request, _("Tersimpan."))
                return redirect("spaces:manage_room", code)
        except DomainError as exc:
            form = forms.get(action)
            if form is not None:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.error(request, exc.message)
    return render(
        request,
        "spaces/manage/room.html",
        {
            "room": found,
            "forms": forms,
            "blackouts": list(
                Blackout.objects.filter(room=found, ends_at__gt=timezone.now()).order_by(
                    "starts_at"
                )
            ),
        },
    )


def _room_action(request, found, action, forms) -> bool:
    user = request.user
    if action == "remove_blackout":
        blackout = Blackout.objects.filter(pk=request.POST.get("blackout"), room=found).first()
        if blackout is None:
            raise NotFound(_("Masa tutup tidak ditemukan."))
        services.remove_blackout(user, blackout)
        return True
    if action == "remove_photo":
        photo = RoomPhoto.objects.filter(pk=request.POST.get("photo"), room=found).first()
        if photo is None:
            raise NotFound(_("Foto tidak ditemukan."))
        services.remove_photo(user, photo)
        return True
    form = forms.get(action)
    if form is None or not form.is_valid():
        return False
    d = form.cleaned_data
    if action == "settings":
        services.update_room(user, found, {name: d[name] for name in services.ROOM_FIELDS})
    elif action == "hours":
        services.set_hours(user, found, form.hours())
    elif action == "blackout":
        services.add_blackout(
            user,
            None if d["whole_centre"] else found,
            kind=d["kind"],
            reason=d["reason"],
            starts_at=aware(d["start_day"], datetime.min.time()),
            ends_at=aware(d["end_day"] + timedelta(days=1), datetime.min.time()),
        )
    elif action == "photo":
        services.add_photo(user, found, request.FILES["photo"], d.get("caption", ""))
    return True
