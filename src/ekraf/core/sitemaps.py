"""The one /sitemap.xml: the public pages, and what each app registers in AppConfig.ready()
(the newsroom's published stories), through Django's sitemaps framework."""

from __future__ import annotations

from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class PublicPagesSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["core:home"]

    def location(self, item):
        return reverse(item)


# section name -> Sitemap class; the view reads this dict when it answers.
SITEMAPS: dict[str, type[Sitemap]] = {"halaman": PublicPagesSitemap}


def register(section: str, sitemap: type[Sitemap]) -> None:
    SITEMAPS[section] = sitemap
