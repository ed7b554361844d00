from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from ekraf.accounts import permissions

from . import selectors


@login_required
def dashboard(request):
    if not permissions.can_view_insights(request.user):
        raise PermissionDenied
    return render(request, "insights/dashboard.html", {"data": selectors.dashboard()})
