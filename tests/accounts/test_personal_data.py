"""The registry through which every app exports and scrubs a person's data."""

import pytest

from ekraf.accounts import personal_data

pytestmark = pytest.mark.django_db


def test_sections_export_and_erase(creator_user, monkeypatch):
    monkeypatch.setattr(personal_data, "_EXPORTERS", {})
    monkeypatch.setattr(personal_data, "_ERASERS", {})
    erased = []
    personal_data.register("b", export=lambda u: {"name": u.full_name})
    personal_data.register("a", export=lambda u: [1], erase=erased.append)
    assert personal_data.export_for(creator_user) == {
        "a": [1],
        "b": {"name": creator_user.full_name},
    }
    personal_data.erase_for(creator_user)
    assert erased == [creator_user]
