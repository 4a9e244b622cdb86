-- Devices: a browser a person signed in from, known by a long-lived random cookie of which only
-- the hash is kept. The same browser is one device per account (a shared computer is two devices
-- of two people), so a device disabled for one account never stands in another's way.

CREATE TABLE devices (
    id              INTEGER PRIMARY KEY,
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    token_hash      BLOB    NOT NULL,
    first_seen_at   INTEGER NOT NULL,
    last_sign_in_at INTEGER NOT NULL,
    last_ip         TEXT    NOT NULL DEFAULT '',
    user_agent      TEXT    NOT NULL DEFAULT '',
    disabled_at     INTEGER NOT NULL DEFAULT 0,   -- 0 = may sign in
    UNIQUE (account_id, token_hash)
) STRICT;

CREATE INDEX devices_by_account ON devices (account_id, last_sign_in_at);

-- The device a session began on and a remembered browser was remembered on (NULL: before devices
-- were kept, or a client without the cookie).
ALTER TABLE sessions ADD COLUMN device_id INTEGER REFERENCES devices (id) ON DELETE SET NULL;
ALTER TABLE remembered_browsers ADD COLUMN device_id INTEGER REFERENCES devices (id) ON DELETE CASCADE;

CREATE INDEX sessions_by_device ON sessions (device_id) WHERE device_id IS NOT NULL;
