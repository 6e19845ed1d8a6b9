"""The workload: pg_stat_statements' texts, fingerprinted and normalized again before anything
is kept or shown, since a utility statement's text there can still hold literals."""
from . import fingerprints
from .parsing import literal_free, planned, with_other_values

# What fingerprints_of gives for a statement whose queryid must not be kept either: a utility
# statement holding a literal, whose queryid pg_stat_statements takes from its text.
NOT_KEPT = ""


def _or_none(plpy, function, sql):
    """function(plpy, sql), or None where the text does not parse or holds a value no $n can
    stand for: one such statement must not stop a scan of thousands."""
    try:
        return function(plpy, sql)
    except Exception:       # query_ml's own errors, and pglast's ParseError from the fingerprint
        return None


def fingerprints_of(plpy, texts):
    """The fingerprint of each text, in order.  None where it does not parse, and where the
    fingerprint depends on a literal of the text (some utility statements: a role's password, a
    comment, a sequence's start): kept, it would let one test guesses of the value.  NOT_KEPT for
    a utility statement that holds a literal: its queryid is a hash of its text, so neither it
    nor anything about the statement is kept."""
    return [None if text is None else NOT_KEPT if not (planned(text) or literal_free(text)) else _fingerprint(plpy, text)
            for text in texts]


def _fingerprint(plpy, text):
    found = _or_none(plpy, fingerprints.fingerprint, text)
    if found is None or literal_free(text):
        return found
    # Quick: other values, same fingerprint (ORDER BY 1, LIMIT 10).  Else the fingerprint may hold
    # a value, or a size or position that is structure (numeric(10, 2)): its normalized text,
    # which keeps those, must have the same fingerprint.
    other = with_other_values(text)
    if other is not None and _or_none(plpy, fingerprints.fingerprint, other) == found:
        return found
    normalized = _or_none(plpy, fingerprints.normalize, text)
    return found if normalized is not None and _or_none(plpy, fingerprints.fingerprint, normalized) == found else None


def shown(plpy, texts):
    """What may be shown of each text, in order: the text itself where it holds no literal and no
    comment (pg_stat_statements has put $n for every constant), else query_ml's normalized text,
    else None."""
    return [None if text is None else text if literal_free(text) else _or_none(plpy, fingerprints.normalize, text)
            for text in texts]
