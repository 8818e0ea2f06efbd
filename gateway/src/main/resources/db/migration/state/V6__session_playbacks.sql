-- Who watched which recorded session, when, through what (api, page, cli) and from where: every playback of a
-- recording is itself recorded. Portable SQL as V1: times are epoch milliseconds.

CREATE TABLE session_playbacks (
    id              VARCHAR(64)   NOT NULL PRIMARY KEY,
    session_id      VARCHAR(128)  NOT NULL,
    viewer_issuer   VARCHAR(255)  NOT NULL,
    viewer_subject  VARCHAR(255)  NOT NULL,
    via             VARCHAR(16)   NOT NULL,
    from_address    VARCHAR(255)  NOT NULL,
    watched_at      BIGINT        NOT NULL
);

CREATE INDEX session_playbacks_session ON session_playbacks (session_id, watched_at);
