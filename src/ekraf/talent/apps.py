from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _


def _profile_changed(sender, instance, raw=False, **kwargs):
    if not raw:
        from .search import refresh_later

        refresh_later(instance.pk)


def _channel_changed(sender, instance, raw=False, **kwargs):
    if not raw and instance.profile_id:
        from .search import refresh_later

        refresh_later(instance.profile_id)


def _related_changed(sender, instance, raw=False, **kwargs):
    """A consent, a declared or an assessed pathway: the creator's facets change."""
    profile_id = getattr(instance, "profile_id", None) or getattr(instance, "creator_id", None)
    if not raw and profile_id:
        from .search import refresh_later

        refresh_later(profile_id)


def _skills_changed(sender, instance, action, reverse=False, **kwargs):
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        from .search import refresh_later

        refresh_later(instance.pk)


class TalentConfig(AppConfig):
    """Pathways (jalur talenta) and the talent directory agencies search for creators, motivators and narasumber."""

    name = "ekraf.talent"
    label = "talent"
    verbose_name = _("Talenta")

    def ready(self):
        from ekraf.accounts import permissions
        from ekraf.core import nav, periodic
        from ekraf.creators.models import Channel, Consent, CreatorProfile, PathwayInterest

        from . import search, services
        from .models import AssessedPathway

        post_save.connect(_profile_changed, sender=CreatorProfile, dispatch_uid="talent.profile")
        post_save.connect(_channel_changed, sender=Channel, dispatch_uid="talent.channel_save")
        post_delete.connect(_channel_changed, sender=Channel, dispatch_uid="talent.channel_del")
        m2m_changed.connect(
            _skills_changed, sender=CreatorProfile.skills.through, dispatch_uid="talent.skills"
        )
        m2m_changed.connect(
            _skills_changed,
            sender=CreatorProfile.subsectors.through,
            dispatch_uid="talent.subsectors",
        )
        for model in (Consent, PathwayInterest, AssessedPathway):
            for signal, verb in ((post_save, "save"), (post_delete, "delete")):
                signal.connect(
                    _related_changed, sender=model, dispatch_uid=f"talent.{model.__name__}.{verb}"
                )
        nav.register(
            nav.NavItem(
                _("Direktori talenta"),
                "talent:directory",
                permissions.can_use_talent_directory,
                "staff",
                35,
            )
        )
        nav.register(
            nav.NavItem(
                _("Permintaan narasumber"),
                "talent:speaker_requests",
                permissions.can_request_speakers,
                "staff",
                36,
            )
        )
        # The creator's own page: assessed pathways and invitations to speak (journeys 7, 9).
        nav.register(
            nav.NavItem(_("Talenta saya"), "talent:my_speaking", permissions.is_creator, "main", 51)
        )
        periodic.register("talent.directory_catch_up", search.catch_up)
        periodic.register("talent.speaker_reminders", services.send_speaker_reminders)
