-- The confidence rule's terms are SQL-bodied functions: the planner inlines them, so a match
-- pays for an expression, not a call, and pattern_totals and pattern_matches share one rule.
-- Their bodies are bound to their operators when created, so search_path cannot redirect them.
CREATE OR REPLACE FUNCTION query_ml.confidence_bonus_improvement(applications bigint, sum_actual numeric)
RETURNS double precision
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN CASE WHEN sum_actual / nullif(applications, 0) >= 50 THEN 0.10 ELSE 0 END;
COMMENT ON FUNCTION query_ml.confidence_bonus_improvement(bigint, numeric) IS '+0.10 for a mean improvement of 50% or more';
