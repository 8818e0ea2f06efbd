-- Approval requests, votes and grants. Portable SQL for SQLite, MariaDB/MySQL and PostgreSQL: times are epoch
-- milliseconds, documents are JSON text, no booleans, no engine-specific types.

CREATE TABLE approval_requests (
    id                VARCHAR(64)   NOT NULL PRIMARY KEY,
    requester_issuer  VARCHAR(255)  NOT NULL,
    requester_subject VARCHAR(255)  NOT NULL,
    requester_claims  TEXT          NOT NULL,
    target            VARCHAR(255)  NOT NULL,
    database_name     VARCHAR(255),
    statement_text    TEXT          NOT NULL,
    -- SHA-256 (hex) of the exact statement text the client sent: what a grant matches
    statement_sha256  VARCHAR(64)   NOT NULL,
    statement_facts   TEXT          NOT NULL,
    reason            TEXT          NOT NULL,
    decision_id       VARCHAR(255),
    requested_at      BIGINT        NOT NULL,
    expires_at        BIGINT        NOT NULL,
    approvers         TEXT          NOT NULL,
    min_approvals     INTEGER       NOT NULL,
    mode              VARCHAR(16)   NOT NULL,
    strength          VARCHAR(16)   NOT NULL,
    channel           VARCHAR(255),
    estimated_rows    BIGINT,
    grant_uses        INTEGER       NOT NULL,
    grant_window_s    BIGINT        NOT NULL,
    gateway_instance  VARCHAR(64)   NOT NULL,
    session_id        VARCHAR(128)  NOT NULL,
    -- pending, approved, denied, expired, cancelled: leaves pending once, by UPDATE ... WHERE state = 'pending'
    state             VARCHAR(16)   NOT NULL,
    approvals         INTEGER       NOT NULL,
    decided_at        BIGINT
);

CREATE INDEX approval_requests_state ON approval_requests (state, requested_at);
CREATE INDEX approval_requests_statement ON approval_requests (statement_sha256);

CREATE TABLE approval_votes (
    request_id       VARCHAR(64)   NOT NULL,
    approver_issuer  VARCHAR(255)  NOT NULL,
    approver_subject VARCHAR(255)  NOT NULL,
    approver_groups  TEXT          NOT NULL,
    via              VARCHAR(16)   NOT NULL,
    verdict          VARCHAR(16)   NOT NULL,
    voted_at         BIGINT        NOT NULL,
    from_address     VARCHAR(255)  NOT NULL,
    PRIMARY KEY (request_id, approver_issuer, approver_subject),
    FOREIGN KEY (request_id) REFERENCES approval_requests (id)
);

-- What an approved request allows: the same identity may run the same statement text on the same target and
-- database, uses_left more times, until valid_until. Consumed by UPDATE ... WHERE uses_left > 0.
CREATE TABLE approval_grants (
    request_id        VARCHAR(64)   NOT NULL PRIMARY KEY,
    requester_issuer  VARCHAR(255)  NOT NULL,
    requester_subject VARCHAR(255)  NOT NULL,
    target            VARCHAR(255)  NOT NULL,
    database_name     VARCHAR(255),
    statement_sha256  VARCHAR(64)   NOT NULL,
    uses_left         INTEGER       NOT NULL,
    valid_until       BIGINT        NOT NULL,
    FOREIGN KEY (request_id) REFERENCES approval_requests (id)
);

CREATE INDEX approval_grants_statement ON approval_grants (statement_sha256);
