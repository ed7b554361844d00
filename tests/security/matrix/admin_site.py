"""Rows of the permission matrix: Django's admin site, one glob row for its pages (the site is
for administrators only). Format: tests/security/README.md."""

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from ekraf.core.models import City

from . import table

WORLD_ORDER = 90


def world(w):
    """One object of each model the admin site lists, so every change, delete and history
    page shows a real object to administrators."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from ekraf.core.tasks import send_pending_outbox
    from ekraf.creators import services as creator_services
    from ekraf.credentials import services as credential_services
    from ekraf.trainings.models import Attendance, Feedback

    Group.objects.create(name="Uji matriks")
    creator_services.update_profile(
        w.creator, w.profile, creator_services.ProfileInput(skills="Fotografi produk")
    )
    credential_services.set_training_signatories(w.users["org_a"], w.finished, w.signatory)
    registration = w.finished.registrations.get(user=w.creator)
    Attendance.objects.create(
        registration=registration,
        session=w.finished.sessions.first(),
        checked_in_at=timezone.now(),
        method=Attendance.Method.MANUAL,
    )
    Feedback.objects.create(registration=registration, rating=5, comment="Bermanfaat")
    send_pending_outbox.enqueue()
    _sign_in_records(w)


def _sign_in_records(w):
    """The sign-in lockout's and two-factor sign-in's rows, so their admin pages show one."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.utils import timezone
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
    from django_otp.plugins.otp_totp.models import TOTPDevice

    admin = w.users["admin"]
    TOTPDevice.objects.create(user=admin, name="Aplikasi autentikator", confirmed=True)
    static = StaticDevice.objects.create(user=admin, name="Kode pemulihan", confirmed=True)
    StaticToken.objects.create(device=static, token="kodeuji1")
    now = timezone.now()
    seen = {"user_agent": "uji", "ip_address": "192.0.2.1", "path_info": "/masuk/"}
    AccessAttempt.objects.create(
        username="name:tebakan",
        attempt_time=now,
        get_data="",
        post_data="",
        failures_since_start=1,
        **seen,
    )
    AccessLog.objects.create(username="name:tebakan", attempt_time=now, **seen)
    AccessFailureLog.objects.create(username="name:tebakan", attempt_time=now, **seen)


ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
# The site is for administrators only: everyone else is sent to its sign-in page.
admin:*                                              login     login     login     login     login     login     login     login     ok
# The old object URLs redirect to the change page.
/admin/*                                             login     login     login     login     login     login     login     login     redirect
/admin/(?P<url>.*)$                                  login     login     login     login     login     login     login     login     not_found
admin:login                                          ok        ok        ok        ok        ok        ok        ok        ok        redirect
admin:logout                                         redirect  redirect  redirect  redirect  redirect  redirect  redirect  redirect  method
admin:autocomplete                                   login     login     login     login     login     login     login     login     forbidden
admin:view_on_site                                   login     login     login     login     login     login     login     login     not_found
# Read-only records: nobody adds or deletes them by hand, not even administrators.
admin:*_add                                          login     login     login     login     login     login     login     login     ok
admin:core_auditevent_add                            login     login     login     login     login     login     login     login     forbidden
admin:core_auditevent_delete                         login     login     login     login     login     login     login     login     forbidden
# The world holds audit events (the spaces world's booking request is audited): read-only pages.
admin:core_auditevent_change                         login     login     login     login     login     login     login     login     ok
admin:core_auditevent_history                        login     login     login     login     login     login     login     login     ok
admin:accounts_apitoken_add                          login     login     login     login     login     login     login     login     forbidden
admin:creators_importbatch_add                       login     login     login     login     login     login     login     login     forbidden
admin:credentials_certificate_add                    login     login     login     login     login     login     login     login     forbidden
admin:credentials_certificate_delete                 login     login     login     login     login     login     login     login     forbidden
admin:credentials_issuancejob_add                    login     login     login     login     login     login     login     login     forbidden
admin:credentials_statuslist_add                     login     login     login     login     login     login     login     login     forbidden
admin:django_tasks_database_dbtaskresult_add         login     login     login     login     login     login     login     login     forbidden
admin:django_tasks_database_dbtaskresult_delete      login     login     login     login     login     login     login     login     forbidden
""")


def _admin_arguments(w, route):
    """Arguments of an admin page: the first object of the page's model, or the city."""
    values = {}
    if "app_label" in route.params:
        values["app_label"] = "core"
    if "content_type_id" in route.params:
        values["content_type_id"] = ContentType.objects.get_for_model(City).pk
    if "url" in route.params:
        values["url"] = "tidak-ada/"
    for name in ("object_id", "id", "pk"):
        if name in route.params:
            values[name] = _object_of(route).pk
    return values


def _object_of(route):
    if route.name:  # admin:<app>_<model>_<action>
        label = route.name.split(":", 1)[1]
        if label.startswith("auth_user_"):  # UserAdmin names its password page after auth.User
            return get_user_model()._default_manager.order_by("pk").first()
        for model in apps.get_models():
            prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
            if label.startswith(prefix):
                return model._default_manager.order_by("pk").first() or City.objects.get()
        return City.objects.get()
    _admin, app_label, model_name, *_rest = route.pattern.split("/")
    model = apps.get_model(app_label, model_name)
    return model._default_manager.order_by("pk").first() or City.objects.get()


ARGS = {"admin:*": _admin_arguments, "/admin/*": _admin_arguments}
