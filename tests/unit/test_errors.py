from query_ml import errors

from .fake_plpy import Error, raises_sql


def test_fail_raises_a_plpy_error_named_query_ml_with_its_fields(plpy):
    with raises_sql("22023") as info:
        errors.fail(plpy, "22023", "bad value", detail="why", hint="what to do")
    assert isinstance(info.value, Error)
    assert str(info.value) == "bad value"
    assert (info.value.detail, info.value.hint) == ("why", "what to do")
    # PL/Python prints "<module>.<class>: message" unless the module is builtins.
    assert type(info.value).__module__ == "builtins"


def test_one_class_per_plpy(plpy):
    assert errors.error_class(plpy) is errors.error_class(plpy)
