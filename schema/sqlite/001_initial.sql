-- The first schema: accounts, e-mail addresses, photos, organizations, sessions, sign-in history.
-- Applied by migrate_sqlite_database inside one BEGIN IMMEDIATE transaction that also sets
-- PRAGMA user_version = 1. STRICT tables (SQLite >= 3.37) make SQLite reject mistyped values.

CREATE TABLE accounts (
    id              INTEGER PRIMARY KEY,
    -- NOCASE: "Alice" and "alice" are the same sign-in ID (usernames are ASCII).
    username        TEXT    NOT NULL COLLATE NOCASE UNIQUE CHECK (length(username) > 0),
    display_name    TEXT    NOT NULL DEFAULT '',
    job_title       TEXT    NOT NULL DEFAULT '',
    office          TEXT    NOT NULL DEFAULT '',
    password_hash   TEXT    NOT NULL DEFAULT '',
    disabled        INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until    INTEGER NOT NULL DEFAULT 0,
    security_stamp  INTEGER NOT NULL DEFAULT 1,
    -- Moves whenever anything the profile page shows changes (fields, e-mails, memberships), so
    -- a rendered profile can be reused exactly as long as this number stays the same.
    profile_version INTEGER NOT NULL DEFAULT 1,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
) STRICT;

-- Position 0 is the primary address.
CREATE TABLE account_emails (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL CHECK (position >= 0),
    -- No 0x1F: the store joins addresses with it when it reads an account in one statement.
    address    TEXT    NOT NULL CHECK (length(address) > 0 AND instr(address, char(31)) = 0),
    PRIMARY KEY (account_id, position)
) STRICT, WITHOUT ROWID;

CREATE TABLE account_photos (
    account_id   INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    content_type TEXT    NOT NULL,
    bytes        BLOB    NOT NULL,
    updated_at   INTEGER NOT NULL
) STRICT;

CREATE TABLE organizations (
    id     INTEGER PRIMARY KEY,
    name   TEXT NOT NULL COLLATE NOCASE UNIQUE CHECK (length(name) > 0),
    domain TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE memberships (
    account_id      INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind            TEXT    NOT NULL CHECK (kind IN ('home', 'guest')),
    role            TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, organization_id)
) STRICT, WITHOUT ROWID;

-- Lets deleting an organization find its members without a full scan.
CREATE INDEX memberships_by_organization ON memberships (organization_id);

-- The browser holds a random token; only its hash is stored here.
CREATE TABLE sessions (
    id             INTEGER PRIMARY KEY,
    token_hash     BLOB    NOT NULL UNIQUE,
    account_id     INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    security_stamp INTEGER NOT NULL,
    created_at     INTEGER NOT NULL,
    last_seen_at   INTEGER NOT NULL,
    expires_at     INTEGER NOT NULL,
    ended_at       INTEGER NOT NULL DEFAULT 0,   -- 0 = still active
    end_reason     TEXT    NOT NULL DEFAULT '',
    client_ip      TEXT    NOT NULL DEFAULT '',
    user_agent     TEXT    NOT NULL DEFAULT '',
    data           TEXT    NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX sessions_by_account ON sessions (account_id);

-- account_id is NULL for unknown usernames; history outlives a deleted account.
CREATE TABLE sign_in_attempts (
    id         INTEGER PRIMARY KEY,
    username   TEXT    NOT NULL,
    account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    at         INTEGER NOT NULL,
    client_ip  TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT '',
    method     TEXT    NOT NULL CHECK (method IN ('form', 'basic', 'password_change', 'other')),
    result     TEXT    NOT NULL
               CHECK (result IN ('success', 'bad_password', 'unknown_user', 'disabled', 'locked', 'error'))
) STRICT;

CREATE INDEX sign_in_attempts_by_account ON sign_in_attempts (account_id, at);
