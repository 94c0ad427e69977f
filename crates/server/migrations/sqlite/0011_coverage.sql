-- The coverage dashboard (/admin/coverage): a station's open fault reports are found without
-- reading its confirmations or resolved reports; reports resolved in a week, and visits in a
-- week across all stations, are found by time.
CREATE INDEX reports_open ON reports(station_id) WHERE resolved_at IS NULL AND kind <> 'confirm';
CREATE INDEX reports_resolved ON reports(resolved_at);
CREATE INDEX visits_hour ON visits(hour);
-- Every column the dashboard's counts, table order, district list and map read: at 100,000
-- stations they come from this index alone (the table's rows are read only for the 500 names
-- shown), several times faster than looking up each row.
CREATE INDEX stations_coverage ON stations(union_id, hidden, district, status_state,
    confirmed_at, expires_at, id, lat, lng);
