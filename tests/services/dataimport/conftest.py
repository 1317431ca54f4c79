"""The scope every data-import test imports into: the world's first organisation."""

import pytest

from app.access import Scope


@pytest.fixture
def scope(world):
    return Scope(organisation_id=world.a.organisation_id)
