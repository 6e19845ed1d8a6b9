CREATE OR REPLACE TRIGGER patterns_owner
    BEFORE UPDATE OF description ON query_ml.patterns
    FOR EACH ROW WHEN (OLD.created_by <> CURRENT_USER AND NEW.description IS DISTINCT FROM OLD.description)
    EXECUTE FUNCTION query_ml.check_owner('created_by');
COMMENT ON TRIGGER patterns_owner ON query_ml.patterns IS
    'a writer changes the description only of the patterns it stored';
