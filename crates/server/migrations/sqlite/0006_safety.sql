-- An attempt is counted before its check runs (a reservation, named by `attempt`) and taken
-- back when it succeeds, so parallel guesses cannot slip past a limit.
ALTER TABLE sign_in_failures ADD COLUMN attempt TEXT;
ALTER TABLE lookup_failures ADD COLUMN attempt TEXT;
CREATE INDEX sign_in_failures_attempt ON sign_in_failures(attempt);
CREATE INDEX lookup_failures_attempt ON lookup_failures(attempt);
CREATE INDEX sign_in_failures_at ON sign_in_failures(at);

-- What kind of device a session was opened on ("Android · WeChat"), so its owner can tell
-- their sessions apart and end the ones they do not know. A coarse label, not the user agent.
ALTER TABLE sessions ADD COLUMN device TEXT;
CREATE INDEX sessions_last_seen ON sessions(last_seen_at);

-- Reports keep their salted address and device hashes only while rate limits need them.
CREATE INDEX reports_created ON reports(created_at);
