from query_ml import health


def test_ages_read_like_a_person_would_say_them():
    assert [health._age(s) for s in (5, 90, 150, 7300, 200000)] == \
        ["5 seconds", "90 seconds", "2 minutes", "2 hours", "2 days"]
