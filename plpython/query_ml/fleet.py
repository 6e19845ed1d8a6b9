"""A fleet's hub: the pattern that a member's optimization belongs to (README, "Fleet")."""
from . import patterns


def pattern_for(plpy, original, optimization_type, template, source, shared):
    """The hub's pattern of this identity (fingerprint, scope, type, template), made when there is
    none: a member's normalized query and template store as the member's own text did, so the
    same shape recorded on two members is one pattern here."""
    pattern_id, _, _ = patterns.store_found(plpy, original, optimization_type, template, None, source, shared)
    return pattern_id
