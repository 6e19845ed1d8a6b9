-- 0.2.0: when ml_refine() last recalibrated each pattern, so that a stale calibration shows.
ALTER TABLE query_ml.patterns ADD COLUMN refined_at timestamptz;
COMMENT ON COLUMN query_ml.patterns.refined_at IS 'when ml_refine() last recalibrated the pattern; NULL if it never has';

-- A pattern refined at stats version v was refined by a run whose watermark is v: the last such run.
UPDATE query_ml.patterns p
   SET refined_at = r.finished_at
  FROM (SELECT DISTINCT ON (version_watermark) version_watermark, finished_at
          FROM query_ml.refinement_runs ORDER BY version_watermark, id DESC) r
 WHERE r.version_watermark = p.refined_version;
