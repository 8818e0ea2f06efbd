-- Each KILL request names the replica that holds the session (from live_sessions, when the request is made), so
-- that a holder finds the requests meant for it with one indexed query, without joining live_sessions, and still
-- finds a request for a session that ended meanwhile (it answers it as unknown at once). Portable SQL as V1.

ALTER TABLE kill_requests ADD COLUMN holder_instance VARCHAR(64);

-- Requests made before this migration name their holder as live_sessions does now.
UPDATE kill_requests
   SET holder_instance = (SELECT s.gateway_instance FROM live_sessions s
                           WHERE s.connection_id = kill_requests.connection_id)
 WHERE holder_instance IS NULL;

CREATE INDEX kill_requests_holder ON kill_requests (holder_instance, taken_at);
