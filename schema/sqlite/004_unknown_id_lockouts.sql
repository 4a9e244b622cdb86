-- Lockout counters of sign-in IDs that name no account, by a keyed hash of the ID (never the ID):
-- they count and lock exactly like an account's, so a "temporarily locked" answer tells a prober
-- nothing about which IDs exist.

CREATE TABLE unknown_id_lockouts (
    id_hash      TEXT    PRIMARY KEY,
    failures     INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    locked_until INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE INDEX unknown_id_lockouts_by_lock ON unknown_id_lockouts (locked_until) WHERE locked_until > 0;
