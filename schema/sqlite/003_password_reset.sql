-- Self-service password reset: verified e-mail methods, multi-step challenges with one-time codes,
-- throttling windows shared by every httpd process, and each account's audit trail.

-- "Not now" answers to the after-sign-in request to register reset methods.
ALTER TABLE accounts ADD COLUMN registration_postponed INTEGER NOT NULL DEFAULT 0
    CHECK (registration_postponed >= 0);

CREATE TABLE verification_methods (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('email')),
    -- NOCASE: "Alice@Example.org" and "alice@example.org" are one method, not two.
    address    TEXT    NOT NULL COLLATE NOCASE CHECK (length(address) > 0),
    created_at INTEGER NOT NULL,
    UNIQUE (account_id, kind, address)
) STRICT;

-- The browser holds a random token; only its hash is stored here, and of a code only a keyed hash.
CREATE TABLE challenges (
    id              INTEGER PRIMARY KEY,
    token_hash      BLOB    NOT NULL UNIQUE,
    purpose         TEXT    NOT NULL CHECK (purpose IN ('reset', 'add_email')),
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

-- For pruning expired challenges without a full scan.
CREATE INDEX challenges_by_expiry ON challenges (expires_at);

-- Fixed windows: window_start is a multiple of the window length; a newer window starts at 1 again.
-- window_end lets pruning forget a window exactly when it is over, whatever its length.
CREATE TABLE throttle (
    key          TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    window_end   INTEGER NOT NULL,
    hits         INTEGER NOT NULL CHECK (hits >= 0)
) STRICT, WITHOUT ROWID;

-- Gone with the account, like its sessions; detail never holds a secret.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (length(kind) > 0),
    client_ip  TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT ''
) STRICT;

-- Newest first per account.
CREATE INDEX audit_events_by_account ON audit_events (account_id, at);
