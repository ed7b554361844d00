"""The demo city's registry, and where creators and staff find the registry's pages."""

import pytest
from django.db.models import Count
from django.urls import reverse

from ekraf.accounts import demo as accounts_demo
from ekraf.core.demokit import DemoContext
from ekraf.core.models import Region
from ekraf.creators import demo
from ekraf.creators.models import Channel, Consent, CreatorProfile

pytestmark = pytest.mark.django_db


class _Out:
    def write(self, *args):
        pass


def test_demo_registry(city, client):
    ctx = DemoContext(seed=2024, out=_Out())
    accounts_demo.build(ctx)
    demo.build(ctx)
    profiles = CreatorProfile.objects.all()
    assert profiles.count() >= 300
    villages = Region.objects.filter(level="kelurahan").count()
    assert villages == 57
    assert profiles.values("kelurahan").distinct().count() == villages
    assert profiles.exclude(nik_hash="").count() > 30
    assert Channel.objects.values("platform").distinct().count() == 9
    top = list(profiles.values("subsectors__code").annotate(n=Count("id")).order_by("-n")[:5])
    assert {row["subsectors__code"] for row in top} <= {
        "film-animasi-video", "fotografi", "kuliner", "fesyen", "dkv",
    }  # fmt: skip
    assert Consent.objects.filter(purpose="public_profile", withdrawn_at=None).count() > 150
    assert profiles.filter(source="import", source_agency__code="diskominfo").exists()

    kreator = CreatorProfile.objects.get(user__username="kreator")
    assert kreator.kelurahan and kreator.photo and kreator.nik_masked and kreator.phone
    assert kreator.channels.count() == 3
    assert kreator.subsectors.exists() and kreator.skills.exists()
    assert (
        client.get(reverse("creators:public_profile", args=[kreator.public_id])).status_code == 200
    )

    client.force_login(kreator.user)
    assert client.get(reverse("creators:photo", args=[kreator.public_id])).status_code == 200
    from ekraf.accounts.models import User

    client.force_login(User.objects.get(username="staf"))
    page = client.get(reverse("creators:staff_list"))
    assert page.context["page"].paginator.count == profiles.count()


def test_navigation(client, creator_user, organiser, city):
    from tests import factories

    client.force_login(creator_user)
    body = client.get("/").content.decode()
    assert reverse("creators:my_profile") in body
    assert reverse("creators:staff_list") not in body
    client.force_login(organiser)
    body = client.get("/").content.decode()
    assert reverse("creators:staff_list") in body and reverse("creators:import_start") in body
    client.force_login(
        factories.user("staf", role="agency_staff", agency=factories.agency("disporapar"))
    )
    body = client.get("/").content.decode()
    assert reverse("creators:staff_list") in body
    assert reverse("creators:import_start") not in body
