from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CredentialsConfig(AppConfig):
    name = "ekraf.credentials"
    label = "credentials"
    verbose_name = _("E-sertifikat")

    def ready(self):
        from django.db.models import OuterRef

        from ekraf.accounts import participation, permissions, personal_data
        from ekraf.core import nav, periodic

        from . import archive, openbadges, selectors, services
        from .models import Certificate

        participation.register(
            "credentials", lambda: Certificate.objects.filter(holder=OuterRef("pk"))
        )

        def can_manage(user):
            return bool(permissions.is_admin(user) or permissions.agency_ids(user, "organiser"))

        def can_queue(user):
            from django.conf import settings

            if not permissions.is_staff_member(user):
                return False
            return _works_referrals(user, settings.REFERRAL_AGENCY_CODE)

        nav.register(
            nav.NavItem(
                _("Verifikasi sertifikat"), "credentials:verify", lambda u: True, "main", 40
            )
        )
        nav.register(
            nav.NavItem(
                _("Sertifikat saya"),
                "credentials:wallet",
                permissions.sees_creator_pages,
                "main",
                50,
            )
        )
        nav.register(
            nav.NavItem(
                _("Sertifikasi profesi"),
                "credentials:referrals",
                lambda u: u.is_authenticated and permissions.is_creator(u),
                "main",
                60,
            )
        )
        nav.register(nav.NavItem(_("E-sertifikat"), "credentials:manage", can_manage, "staff", 40))
        nav.register(
            nav.NavItem(
                _("Rujukan sertifikasi"), "credentials:referral_queue", can_queue, "staff", 45
            )
        )
        periodic.register("credentials-status-lists", openbadges.publish_pending)
        periodic.register("credentials-archive-timestamps", archive.renew_due)
        periodic.register("credentials-resume-stalled-jobs", services.resume_stalled_jobs)
        periodic.register(
            "credentials-repair-withdrawn-answers", selectors.repair_withdrawn_answers
        )
        personal_data.register(
            "credentials",
            export=services.export_personal_data,
            erase=services.erase_personal_data,
        )


def _works_referrals(user, agency_code: str) -> bool:
    from ekraf.accounts import permissions
    from ekraf.core.models import Agency

    agency_id = Agency.objects.filter(code=agency_code).values_list("pk", flat=True).first()
    return permissions.can_work_referrals(user, agency_id)
