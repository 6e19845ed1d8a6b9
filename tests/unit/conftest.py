import pytest

from .fake_plpy import FakePlpy


@pytest.fixture
def plpy():
    return FakePlpy()
