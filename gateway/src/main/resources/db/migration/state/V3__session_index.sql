-- The session index: one row per recorded session, whichever gateway held it, so any gateway (and the sessions
-- CLI) can list every session. Portable SQL as V1: times are epoch milliseconds, no booleans.

CREATE TABLE recorded_sessions (
    session_id        VARCHAR(128)  NOT NULL PRIMARY KEY,
    issuer            VARCHAR(255),
    subject           VARCHAR(255),
    target            VARCHAR(255),
    gateway_instance  VARCHAR(64),
    started_at        BIGINT,
    ended_at          BIGINT,
    end_reason        VARCHAR(32),
    statements        BIGINT        NOT NULL,
    refused           BIGINT        NOT NULL,
    -- active, ended, incomplete, failed, interrupted (see SessionSummary)
    status            VARCHAR(16)   NOT NULL
);

CREATE INDEX recorded_sessions_started ON recorded_sessions (started_at);
CREATE INDEX recorded_sessions_subject ON recorded_sessions (subject, started_at);
