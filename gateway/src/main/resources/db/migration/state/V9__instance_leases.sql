-- One row per running gateway of a fleet, by instance_id: a replica takes its instance's lease when it starts and
-- renews it every few seconds, so that a second replica configured with the same instance_id refuses to start
-- instead of overwriting the first one's live sessions and KILL requests. A lease not renewed for a while (its
-- replica crashed) is taken over (UPDATE ... WHERE holder = the value read). Portable SQL as V1.

CREATE TABLE instance_leases (
    gateway_instance  VARCHAR(64)   NOT NULL PRIMARY KEY,
    -- random, per process: tells a replica's own lease from that of another process with the same instance_id
    holder            VARCHAR(64)   NOT NULL,
    host              VARCHAR(255)  NOT NULL,
    taken_at          BIGINT        NOT NULL,
    renewed_at        BIGINT        NOT NULL
);
