"""The registry of sources: register, list, retire, and the default source."""
import psycopg
import pytest


def one(conn, sql, *args):
    return conn.execute(sql, args or None).fetchone()[0]


def test_register_is_idempotent_and_updates(db):
    first = one(db, "SELECT ml_register_source('prod-eu', database_name => 'shop')")
    again = one(db, "SELECT ml_register_source('prod-eu', cluster_name => 'eu1', description => 'main')")
    assert first == again
    assert db.execute("SELECT database_name, cluster_name FROM query_ml.sources WHERE id = %s", (first,)).fetchone() \
        == ("shop", "eu1")


def test_register_refuses_another_dialect_and_bad_names(db):
    db.execute("SELECT ml_register_source('warehouse', 'postgresql')")
    with pytest.raises(psycopg.errors.DuplicateObject):
        db.execute("SELECT ml_register_source('warehouse', 'redshift')")
    with pytest.raises(psycopg.errors.InvalidParameterValue) as info:
        db.execute("SELECT ml_register_source('has space')")
    assert info.value.diag.message_hint
    with pytest.raises(psycopg.errors.InvalidParameterValue):
        db.execute("SELECT ml_register_source('ok', 'Not A Dialect')")
    with pytest.raises(psycopg.errors.NullValueNotAllowed):
        db.execute("SELECT ml_register_source(NULL)")


def test_retire_keeps_history_and_blocks_new_patterns(db):
    db.execute("SELECT ml_register_source('old')")
    pattern = one(db, "SELECT ml_store_pattern('select * from t where a = 1', 'index', 'create index on t (a)', source => 'old')")
    db.execute("SELECT ml_retire_source('old')")
    row = db.execute("SELECT is_active, patterns FROM ml_sources() WHERE name = 'old'").fetchone()
    assert row == (False, 1)
    with pytest.raises(psycopg.errors.ObjectNotInPrerequisiteState) as info:
        db.execute("SELECT ml_store_pattern('select * from t where b = 1', 'index', 'create index on t (b)', source => 'old')")
    assert "ml_register_source" in info.value.diag.message_hint
    # Its patterns can still be read and matched.
    assert one(db, "SELECT count(*) FROM ml_patterns(source => 'old')") == 1
    notices = []
    db.add_notice_handler(lambda diag: notices.append(diag.message_primary))
    db.execute("SELECT ml_register_source('old')")
    assert notices == ['query_ml: source "old" is active again']
    assert pattern


def test_unknown_source_is_named(db):
    for call in ("SELECT ml_retire_source('nope')", "SELECT * FROM ml_patterns(source => 'nope')",
                 "SELECT * FROM ml_match_pattern('select 1', source => 'nope')",
                 "SELECT ml_store_pattern('select 1', 'other', 'x', source => 'nope')"):
        with pytest.raises(psycopg.errors.UndefinedObject) as info:
            db.execute(call)
        assert info.value.diag.message_primary == 'query_ml: unknown source "nope"'


def test_the_local_source_is_registered_on_first_use(db):
    assert one(db, "SELECT count(*) FROM ml_sources()") == 0
    db.execute("SELECT ml_store_pattern('select * from t where a = 1', 'index', 'create index on t (a)')")
    assert db.execute("SELECT name, database_name FROM ml_sources()").fetchone() == ("local", db.info.dbname)
