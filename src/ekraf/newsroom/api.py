"""The newsroom app's part of the API at /api/v1 (mounted by ekraf.api.api)."""

from ninja import Router

router = Router(tags=["Berita pewarta warga"])
