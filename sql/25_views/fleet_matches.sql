-- What a match shows of a fleet pattern (on a member: the hub's patterns with the whole fleet's
-- evidence, query_ml.fleet_patterns), in the columns of query_ml.pattern_matches, with the local
-- pattern of the same identity (fingerprint, scope by source name, type, template) when there is
-- one: the fleet's evidence includes that pattern's results, as far as the hub has them.
CREATE OR REPLACE VIEW query_ml.fleet_matches AS
SELECT l.id AS local_pattern_id, f.fingerprint, f.source_name, f.dialect, f.status, f.optimization_type, f.score,
       f.confidence, f.confidence_wilson, f.applications, f.expected_improvement,
       y.suggestion || CASE WHEN y.shows_sql THEN f.optimized_template ELSE '' END AS suggestion,
       f.optimized_template, f.members, f.origin
  FROM query_ml.fleet_patterns f
  JOIN query_ml.optimization_types y ON y.name = f.optimization_type
  LEFT JOIN LATERAL (
        SELECT p.id FROM query_ml.patterns p
          LEFT JOIN query_ml.sources s ON s.id = p.source_id
         WHERE p.fingerprint = f.fingerprint AND p.dialect = f.dialect AND p.optimization_type = f.optimization_type
           AND md5(p.optimized_template) = md5(f.optimized_template)
           AND s.name IS NOT DISTINCT FROM f.source_name
         LIMIT 1) l ON true;
COMMENT ON VIEW query_ml.fleet_matches IS 'what a match shows of each fleet pattern (published by the hub), with the local pattern of the same identity';
