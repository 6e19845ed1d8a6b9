"""Cron schedules are checked before pg_cron sees them: six fields would silently mean seconds."""
import pytest

from query_ml import scheduling

from .fake_plpy import raises_sql


@pytest.mark.parametrize("expression", ["5 seconds", "* * * * * *", "*/10 * * *", "", None, "* * * * ;"])
def test_not_a_five_field_schedule(plpy, expression):
    with raises_sql("22023") as info:
        scheduling.schedule(plpy, expression, False)
    assert "five fields" in info.value.detail and "*/10 * * * *" in info.value.hint
