"""Sign in with username or e-mail, case-insensitively; unverified e-mails cannot sign in.

Runs after axes' lockout (AxesStandaloneBackend, first in AUTHENTICATION_BACKENDS) and adds the
per-account slow-down (accounts.lockout): an account guessed at from many addresses is slowed
for addresses it never signed in from, never locked for everyone.

The user loaded for each request carries whether the person takes part in trainings
(participation.annotate), in the same query: the navigation needs it on every page."""

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db.models import Q

from . import lockout
from .models import User


class UsernameOrEmailBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if not username or not password:
            return None
        username = username.strip()
        ident = lockout.identity_for_name(username)
        wait = lockout.slowed_for(request, ident)
        if wait:
            if request is not None:
                request.ekraf_slowed_for = wait
            raise PermissionDenied  # stops the chain; counted as a failure like any other
        user = User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username)).first()
        if user is None:
            User().set_password(password)  # same work as a real check: no timing oracle
            lockout.record_failure(ident)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            lockout.record_success(request, ident)
            return user
        lockout.record_failure(ident)
        return None

    def get_user(self, user_id):
        from . import participation

        user = participation.annotate(User._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
