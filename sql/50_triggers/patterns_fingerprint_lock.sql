-- Fires after patterns_derive (trigger names sort), which computes the new fingerprint.
CREATE OR REPLACE TRIGGER patterns_fingerprint_lock
    BEFORE UPDATE ON query_ml.patterns
    FOR EACH ROW WHEN (OLD.fingerprint IS DISTINCT FROM NEW.fingerprint)
    EXECUTE FUNCTION query_ml.lock_for_fingerprint();
COMMENT ON TRIGGER patterns_fingerprint_lock ON query_ml.patterns IS
    'waits for feedback writers and holds every statistics bucket before a pattern moves to another fingerprint';
