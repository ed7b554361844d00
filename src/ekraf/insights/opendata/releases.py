"""Open-data releases (placeholder until the release module is written)."""


def periodic():
    return {}
