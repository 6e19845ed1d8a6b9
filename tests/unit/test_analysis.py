from query_ml import analysis


def test_bias_verdict_names_direction_and_size():
    assert analysis._bias_verdict(None) == "no feedback"
    assert analysis._bias_verdict(1.2) == "about right"
    assert analysis._bias_verdict(12.34) == "overestimates by 12.3 points"
    assert analysis._bias_verdict(-7) == "underestimates by 7.0 points"
