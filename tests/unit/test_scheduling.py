"""Cron schedules are checked before pg_cron sees them: six fields would silently mean seconds."""
import pytest

from query_ml import scheduling

from .fake_plpy import raises_sql


@pytest.mark.parametrize("expression", ["5 seconds", "* * * * * *", "*/10 * * *", "", "* * * * ;",
                                        "\u0661 * * * *"])
def test_not_a_five_field_schedule(plpy, expression):
    with raises_sql("22023") as info:
        scheduling.schedule(plpy, expression, False)
    assert "five fields" in info.value.detail and "*/10 * * * *" in info.value.hint


@pytest.mark.parametrize("expression, full, name", [(None, False, "cron_expression"), ("* * * * *", None, "full")])
def test_null_is_refused_by_name(plpy, expression, full, name):
    with raises_sql("22004") as info:
        scheduling.schedule(plpy, expression, full)
    assert str(info.value) == f"{name} must not be NULL"


def test_a_long_schedule_is_quoted_cut_short(plpy):
    with raises_sql("22023") as info:
        scheduling.schedule(plpy, "1" * 100000, False)
    assert len(str(info.value)) < 100 and str(info.value).endswith('..."')
