-- PostgreSQL twin of ../sqlite/0011_coverage.sql.
-- The coverage dashboard (/admin/coverage): a station's open fault reports are found without
-- reading its confirmations or resolved reports; reports resolved in a week, and visits in a
-- week across all stations, are found by time.
CREATE INDEX reports_open ON reports(station_id) WHERE resolved_at IS NULL AND kind <> 'confirm';
CREATE INDEX reports_resolved ON reports(resolved_at);
CREATE INDEX visits_hour ON visits(hour);
