import pytest
from hypothesis import given
from hypothesis import strategies as st

from query_ml import parsing

from .fake_plpy import raises_sql

SECRETS = ["'4111-1111-1111-1111'", "4111111111111111", "E'bob@example.com'", "$$s3cret$$", "$tag$s3cret$tag$",
           "B'1010'", "X'DEADBEEF'", "12.5e3"]


@pytest.mark.parametrize("sql", ["select 1", "select 1;", "  select 1 ; -- trailing", "/* c */ select 1"])
def test_one_statement_accepts_a_single_statement(plpy, sql):
    assert parsing.one_statement(plpy, sql) == sql


@pytest.mark.parametrize("sql", ["", "   ", "-- only a comment", ";"])
def test_empty_text_is_invalid_parameter_value(plpy, sql):
    with raises_sql("22023") as info:
        parsing.one_statement(plpy, sql)
    assert "empty" in str(info.value)


def test_several_statements_are_a_syntax_error_with_a_hint(plpy):
    with raises_sql("42601") as info:
        parsing.one_statement(plpy, "select 1; select 2; select 3")
    assert "got 3" in str(info.value)
    assert info.value.hint


def test_syntax_error_gives_the_parser_message_and_position(plpy):
    with raises_sql("42601") as info:
        parsing.one_statement(plpy, "SELECT * FORM orders")
    assert str(info.value) == 'syntax error at or near "FORM"'
    assert "at character 10" in info.value.detail


def test_error_at_end_of_input_points_past_the_end(plpy):
    with raises_sql("42601") as info:
        parsing.one_statement(plpy, "select (")
    assert "at character 9" in info.value.detail


@pytest.mark.parametrize("literal", SECRETS)
def test_parse_errors_never_repeat_a_literal(plpy, literal):
    for sql in (f"select {literal} from", f"select * from t where x = {literal} {literal}",
                f"select x from t where y = {literal} order", f"select {literal} {literal} from t"):
        with raises_sql("42601") as info:
            parsing.one_statement(plpy, sql)
        text = f"{info.value} {info.value.detail} {info.value.hint}"
        assert literal.strip("'$EBX").split("'")[0] not in text, text


def test_unterminated_literal_is_not_echoed(plpy):
    with raises_sql("42601") as info:
        parsing.one_statement(plpy, "select 'bob@example.com")
    assert "bob@example.com" not in str(info.value) + info.value.detail
    assert "unterminated quoted string" in str(info.value)


def test_deep_nesting_is_statement_too_complex(plpy):
    deep = "select " + "(select " * 2000 + "1" + ")" * 2000
    with raises_sql("54001"):
        parsing.parse_tree(plpy, deep)


def test_moderate_nesting_parses(plpy):
    nested = "select " + "(select " * 50 + "1" + ")" * 50
    assert "SelectStmt" in parsing.parse_tree(plpy, nested)


def test_strip_comments_keeps_hints_and_strings():
    sql = "/*+ SeqScan(t) */ select '-- not a comment', $$/* nor this */$$ /* drop */ from t -- drop\nwhere a = 1"
    stripped = parsing.strip_comments(sql)
    assert "/*+ SeqScan(t) */" in stripped
    assert "'-- not a comment'" in stripped and "$$/* nor this */$$" in stripped
    assert "drop" not in stripped


def test_mask_literals_replaces_every_literal_kind():
    masked = parsing.mask_literals("select 'a', 1, 2.5, E'x', B'1', X'F', $$d$$, $1 from t where c = 'z'")
    assert masked == "select ?, ?, ?, ?, ?, ?, ?, ? from t where c = ?"


@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=200))
def test_random_text_either_parses_or_fails_cleanly(text):
    from .fake_plpy import Error, FakePlpy
    try:
        parsing.one_statement(FakePlpy(), text)
    except Error as error:
        assert error.sqlstate in ("42601", "22023", "54001")


def test_deep_nesting_is_too_complex_for_every_analysis(plpy):
    from query_ml import fingerprints, literals
    chain = "SELECT " + " + ".join("1" for _ in range(3000))
    assert fingerprints.fingerprint(plpy, chain)          # the parser itself copes
    with raises_sql("54001"):
        fingerprints.normalize(plpy, chain)
    with raises_sql("54001"):
        literals.read(plpy, "SELECT " + "(SELECT " * 1000 + "1" + ")" * 1000)


def test_queries_over_two_megabytes_are_refused(plpy):
    huge = "SELECT * FROM t WHERE a IN (" + ", ".join("1" for _ in range(800000)) + ")"
    with raises_sql("54000") as info:
        parsing.one_statement(plpy, huge)
    assert "up to 2 MB" in str(info.value)


@pytest.mark.parametrize("sql, message", [
    ("select 1 /* secret stuff", "unterminated /* comment"),
    ("select 1 /* a /* secret */", "unterminated /* comment"),
    ("select \"abc from t where a = 'secret'", "unterminated quoted identifier"),
    ("select 'secret' uescape 'x'", "syntax error at or near a literal"),
    ("select * from t where a = 1 /* secret */ frm", 'syntax error at or near "frm"'),
])
def test_parse_errors_never_repeat_a_comment(plpy, sql, message):
    with raises_sql("42601") as info:
        parsing.one_statement(plpy, sql)
    assert str(info.value) == message
    assert "secret" not in f"{info.value} {info.value.detail}"


def test_the_excerpt_keeps_neither_comments_nor_literals(plpy):
    with raises_sql("42601") as info:
        parsing.one_statement(plpy, "select a, /* card 4111 */ b -- note 555\n from t where c = 'x' and d = 5 frm")
    assert info.value.detail.endswith("It reads up to there: ...select a, b from t where c = ? and d = ?")


comment = st.sampled_from(["/* s3cret */", "-- s3cret\n", "/* s3cret /* nested */ */"])
literal = st.sampled_from(["'s3cret'", "E's3cret'", "$$s3cret$$", "B'1010'", "12.5e3"])
noise = st.sampled_from(["select", "from", "t", "where", "a", "=", "(", ")", ",", "frm", "1", "and"])
# What runs to the end of the text.  (A quote left open in the middle closes on the next one, and
# what lies between reads as names: the parser sees no literal there.)
unterminated = st.sampled_from(["", "'s3cret", "$q$s3cret", "/* s3cret", "\"s3cret", "E's3cret"])


@given(st.tuples(st.lists(st.one_of(comment, literal, noise), max_size=12).map(" ".join), unterminated)
       .map(" ".join))
def test_no_parse_error_repeats_a_comment_or_a_literal(parts):
    from .fake_plpy import Error, FakePlpy
    try:
        parsing.one_statement(FakePlpy(), parts)
    except Error as error:
        assert "s3cret" not in f"{error} {error.detail} {error.hint}", parts
