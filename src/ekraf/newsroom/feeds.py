"""Atom feeds (RFC 4287) of published stories: all of them, and per kecamatan or kelurahan."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from . import selectors

ITEMS = 30


class AllStoriesFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Berita pewarta warga")

    def subtitle(self):
        return _("Cerita warga tentang potensi kelurahannya.")

    def link(self):
        return reverse("newsroom:portal")

    def items(self):
        return selectors.published()[:ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return reverse("newsroom:story", args=[item.public_id])

    def item_guid(self, item):
        return f"urn:ekraf:story:{item.public_id}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_author_name(self, item):
        line = selectors.byline(item)
        return line["name"] if line else _("Pewarta warga")

    def item_categories(self, item):
        return item.tags


class RegionFeed(AllStoriesFeed):
    def get_object(self, request, code):
        region = selectors.region_by_code(code)
        if region is None:
            raise Http404
        return region

    def title(self, obj):
        return _("Berita pewarta warga — %(region)s") % {"region": obj.name}

    def link(self, obj):
        return reverse("newsroom:region", args=[obj.code])

    def items(self, obj):
        return selectors.published_in(obj)[:ITEMS]
