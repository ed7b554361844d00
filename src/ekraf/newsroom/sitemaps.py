"""Published stories in /sitemap.xml (registered with core/sitemaps.py)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Story


class StorySitemap(Sitemap):
    changefreq = "weekly"
    limit = 5000

    def items(self):
        return (
            Story.objects.filter(status=Story.Status.PUBLISHED)
            .only("public_id", "updated_at", "published_at")
            .order_by("-published_at", "pk")
        )

    def location(self, item):
        return reverse("newsroom:story", args=[item.public_id])

    def lastmod(self, item):
        return item.updated_at
