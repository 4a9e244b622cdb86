-- 2-step verification: methods of every kind (e-mail, phone, authenticator app, recovery codes),
-- recovery codes, app passwords, remembered browsers, the second step's lockout counters and the
-- sessions' sign-in and second-step times. SQLite cannot change a CHECK in place, so the tables
-- whose CHECKs grow (verification_methods, challenges) are rebuilt: created anew, their rows
-- copied with their ids, the old table dropped and the new one renamed. Nothing references either
-- table yet, so the foreign keys stay intact throughout.

-- The second step locks apart from the password: a known password must not unlock the codes.
ALTER TABLE accounts ADD COLUMN second_factor_failures INTEGER NOT NULL DEFAULT 0
    CHECK (second_factor_failures >= 0);
ALTER TABLE accounts ADD COLUMN second_factor_locked_until INTEGER NOT NULL DEFAULT 0;

-- signed_in_at: when the password that began the session was proven (a session that replaces
-- another keeps it); second_factor_at: when the session passed the second step (0 = not yet).
ALTER TABLE sessions ADD COLUMN signed_in_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN second_factor_at INTEGER NOT NULL DEFAULT 0;
UPDATE sessions SET signed_in_at = created_at;

CREATE TABLE verification_methods_v5 (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind         TEXT    NOT NULL CHECK (kind IN ('email', 'phone', 'authenticator', 'recovery_codes')),
    -- Where a code goes: an e-mail address or an E.164 number; empty for the kinds that send none.
    -- NOCASE: "Alice@Example.org" and "alice@example.org" are one method, not two.
    address      TEXT    NOT NULL COLLATE NOCASE DEFAULT '',
    label        TEXT    NOT NULL DEFAULT '',
    phone_type   TEXT    NOT NULL DEFAULT '' CHECK (phone_type IN ('', 'mobile', 'alternate_mobile', 'office')),
    -- An authenticator's TOTP secret sealed with the server key; never the secret itself.
    secret       BLOB    NOT NULL DEFAULT x'',
    last_step    INTEGER NOT NULL DEFAULT 0 CHECK (last_step >= 0),
    is_default   INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    active       INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at   INTEGER NOT NULL,
    created_ip   TEXT    NOT NULL DEFAULT '',
    last_used_at INTEGER NOT NULL DEFAULT 0,
    CHECK ((kind IN ('email', 'phone')) = (length(address) > 0)),
    CHECK (kind = 'phone' OR phone_type = ''),
    CHECK (kind = 'authenticator' OR length(secret) = 0),
    -- The default is what the verify step offers first: an authenticator app or a phone (an
    -- e-mail address proves a password reset, recovery codes are a way back in).
    CHECK (kind IN ('authenticator', 'phone') OR is_default = 0)
) STRICT;

-- Existing rows are e-mail methods, all proven (none of them a default).
INSERT INTO verification_methods_v5 (id, account_id, kind, address, created_at)
    SELECT id, account_id, kind, address, created_at FROM verification_methods;
DROP TABLE verification_methods;
ALTER TABLE verification_methods_v5 RENAME TO verification_methods;

-- One address per kind and account; authenticators (no address) may be several.
CREATE UNIQUE INDEX verification_methods_by_address ON verification_methods (account_id, kind, address)
    WHERE kind IN ('email', 'phone');
CREATE UNIQUE INDEX verification_methods_one_recovery_set ON verification_methods (account_id)
    WHERE kind = 'recovery_codes';
CREATE UNIQUE INDEX verification_methods_one_default ON verification_methods (account_id)
    WHERE is_default = 1;
CREATE INDEX verification_methods_by_account ON verification_methods (account_id, created_at);

-- Only keyed hashes of the codes; they go with their method (and with the account).
CREATE TABLE recovery_codes (
    id         INTEGER PRIMARY KEY,
    method_id  INTEGER NOT NULL REFERENCES verification_methods (id) ON DELETE CASCADE,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  BLOB    NOT NULL CHECK (length(code_hash) > 0),
    used_at    INTEGER NOT NULL DEFAULT 0,   -- 0 = unused
    UNIQUE (account_id, code_hash)
) STRICT;

CREATE INDEX recovery_codes_by_method ON recovery_codes (method_id);

-- Only a keyed hash of each password, which is shown once.
CREATE TABLE app_passwords (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    label        TEXT    NOT NULL DEFAULT '',
    hash         BLOB    NOT NULL CHECK (length(hash) > 0),
    created_at   INTEGER NOT NULL,
    created_ip   TEXT    NOT NULL DEFAULT '',
    last_used_at INTEGER NOT NULL DEFAULT 0,
    UNIQUE (account_id, hash)
) STRICT;

-- The browser holds a random token; only its hash is stored here.
CREATE TABLE remembered_browsers (
    id             INTEGER PRIMARY KEY,
    token_hash     BLOB    NOT NULL UNIQUE,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    security_stamp INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    client_ip      TEXT    NOT NULL DEFAULT '',
    user_agent     TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX remembered_browsers_by_account ON remembered_browsers (account_id, expires_at);
CREATE INDEX remembered_browsers_by_expiry ON remembered_browsers (expires_at);

-- challenges.purpose gains second_factor (a code to a method at the verify step) and add_phone.
CREATE TABLE challenges_v5 (
    id              INTEGER PRIMARY KEY,
    token_hash      BLOB    NOT NULL UNIQUE,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('reset', 'add_email', 'second_factor', 'add_phone')),
    -- NULL: a reset asked for a username the flow cannot serve; it fails only at the end.
    account_id      INTEGER REFERENCES accounts (id) ON DELETE CASCADE,
    username        TEXT    NOT NULL DEFAULT '',
    security_stamp  INTEGER NOT NULL DEFAULT 0,
    created_at      INTEGER NOT NULL,
    expires_at      INTEGER NOT NULL,
    completed_at    INTEGER NOT NULL DEFAULT 0,   -- 0 = still open
    target          TEXT    NOT NULL DEFAULT '',
    code_hash       BLOB    NOT NULL DEFAULT x'', -- empty = no code outstanding
    code_expires_at INTEGER NOT NULL DEFAULT 0,
    code_attempts   INTEGER NOT NULL DEFAULT 0 CHECK (code_attempts >= 0),
    delivery        TEXT    NOT NULL DEFAULT '' CHECK (delivery IN ('', 'sent', 'failed')),
    -- Ids of the methods proven so far, comma-separated ("" = none).
    proven          TEXT    NOT NULL DEFAULT '',
    client_ip       TEXT    NOT NULL DEFAULT ''
) STRICT;

INSERT INTO challenges_v5 SELECT id, token_hash, purpose, account_id, username, security_stamp, created_at,
    expires_at, completed_at, target, code_hash, code_expires_at, code_attempts, delivery, proven, client_ip
    FROM challenges;
DROP TABLE challenges;
ALTER TABLE challenges_v5 RENAME TO challenges;

-- For pruning expired challenges without a full scan (dropped with the old table).
CREATE INDEX challenges_by_expiry ON challenges (expires_at);
