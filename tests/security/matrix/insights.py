"""Rows of the permission matrix: the committee's dashboard. Format: tests/security/README.md."""

from . import table

ROWS = table("""
route                                                anon      creator   org_a     org_b     staff     editor    space     comm      admin
insights:dashboard                                   login     forbidden forbidden forbidden forbidden forbidden forbidden ok        ok
""")
