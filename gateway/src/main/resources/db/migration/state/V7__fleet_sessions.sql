-- What a fleet of gateways needs to know of each other's live sessions: connection ids that are unique across the
-- fleet, which replica holds which session, and KILLs sent to one replica for a session another holds. Portable SQL
-- as V1: times are epoch milliseconds, no booleans, no engine-specific types.

-- Each replica greets clients with connection ids from blocks it claimed: block n is 65536 ids of its own. A block is
-- claimed by inserting its row (the primary key lets one replica win), or, once every block was handed out, by
-- taking over one whose owner stopped renewing it (UPDATE ... WHERE renewed_at = the value read).
CREATE TABLE connection_id_blocks (
    block_no          INTEGER       NOT NULL PRIMARY KEY,
    gateway_instance  VARCHAR(64)   NOT NULL,
    claimed_at        BIGINT        NOT NULL,
    renewed_at        BIGINT        NOT NULL
);

CREATE INDEX connection_id_blocks_renewed ON connection_id_blocks (renewed_at);

-- One row per session open on some replica, deleted when it ends; heartbeat_at is renewed by the holder, so that
-- the rows of a replica that died are recognised as stale.
CREATE TABLE live_sessions (
    connection_id     BIGINT        NOT NULL PRIMARY KEY,
    session_id        VARCHAR(128)  NOT NULL,
    gateway_instance  VARCHAR(64)   NOT NULL,
    issuer            VARCHAR(255)  NOT NULL,
    subject           VARCHAR(255)  NOT NULL,
    target            VARCHAR(255)  NOT NULL,
    backend_thread_id BIGINT        NOT NULL,
    started_at        BIGINT        NOT NULL,
    heartbeat_at      BIGINT        NOT NULL
);

CREATE INDEX live_sessions_instance ON live_sessions (gateway_instance);
CREATE INDEX live_sessions_thread ON live_sessions (backend_thread_id);

-- A KILL [QUERY] sent to one replica for a session another holds. The holder takes it once (UPDATE ... WHERE
-- taken_at IS NULL), checks it as a local KILL and carries it out; outcome is done, denied
-- (not the requester's session) or unknown (it ended), detail what the requester's client is told.
-- A request not taken in time is withdrawn by its sender (DELETE ... WHERE taken_at IS NULL).
CREATE TABLE kill_requests (
    id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    connection_id     BIGINT        NOT NULL,
    requester_issuer  VARCHAR(255)  NOT NULL,
    requester_subject VARCHAR(255)  NOT NULL,
    requester_target  VARCHAR(255)  NOT NULL,
    kind              VARCHAR(16)   NOT NULL,
    requested_at      BIGINT        NOT NULL,
    taken_at          BIGINT,
    outcome           VARCHAR(16),
    detail            TEXT
);

CREATE INDEX kill_requests_connection ON kill_requests (connection_id);
