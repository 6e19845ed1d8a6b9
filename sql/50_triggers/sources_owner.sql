CREATE OR REPLACE TRIGGER sources_owner
    BEFORE UPDATE ON query_ml.sources
    FOR EACH ROW WHEN (OLD.created_by <> CURRENT_USER AND
        (NEW.database_name, NEW.cluster_name, NEW.description) IS DISTINCT FROM
        (OLD.database_name, OLD.cluster_name, OLD.description))
    EXECUTE FUNCTION query_ml.check_owner('created_by');
COMMENT ON TRIGGER sources_owner ON query_ml.sources IS
    'a writer changes only the sources it registered';
