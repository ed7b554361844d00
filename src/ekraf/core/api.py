"""Public reference data: regions, subsectors, agencies. No login needed."""

from ninja import Router, Schema

from . import selectors
from .models import Region

router = Router(tags=["Data referensi"])


class RegionOut(Schema):
    code: str
    name: str
    level: str
    parent_code: str | None


class SubsectorOut(Schema):
    code: str
    name_id: str
    name_en: str


class AgencyOut(Schema):
    code: str
    short_name: str
    name: str
    kind: str


@router.get(
    "/regions", response=list[RegionOut], auth=None, summary="Wilayah (kota, kecamatan, kelurahan)"
)
def list_regions(request, level: Region.Level | None = None, parent: str | None = None):
    qs = Region.objects.select_related("parent").order_by("code")
    if level:
        qs = qs.filter(level=level)
    if parent:
        qs = qs.filter(parent__code=parent)
    return [
        RegionOut(
            code=r.code, name=r.name, level=r.level, parent_code=r.parent.code if r.parent else None
        )
        for r in qs
    ]


@router.get("/subsectors", response=list[SubsectorOut], auth=None, summary="17 subsektor ekraf")
def list_subsectors(request):
    return list(selectors.subsectors())


@router.get("/agencies", response=list[AgencyOut], auth=None, summary="Perangkat daerah")
def list_agencies(request):
    return list(selectors.agencies(kind=None))
