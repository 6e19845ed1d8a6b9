-- On a fleet's hub: the members' feedback rows not merged yet whose optimization is, as the rows
-- of the hub's feedback that will stand for them (its recorder as <member>/<role>).
CREATE OR REPLACE VIEW query_ml.fleet_feedback_to_merge AS
SELECT o.id AS optimization_id, m.before_execution_ms, m.after_execution_ms, m.before_planning_ms,
       m.after_planning_ms, m.measured_by, m.applied_at, left(m.origin || '/' || m.submitted_by, 63)::name AS submitted_by,
       m.origin AS fleet_origin, m.id AS fleet_id, m.optimization_id AS member_optimization_id, m.arrived_xid
  FROM query_ml.member_feedback m
  JOIN query_ml.optimizations o ON o.fleet_origin = m.origin AND o.fleet_id = m.optimization_id
 WHERE NOT EXISTS (SELECT FROM query_ml.feedback f WHERE f.fleet_origin = m.origin AND f.fleet_id = m.id);
COMMENT ON VIEW query_ml.fleet_feedback_to_merge IS
    'on a fleet''s hub: members'' feedback rows waiting to be merged, as the hub''s feedback rows they become';
