-- Terms of use: versions an administrator publishes per organization, each in one or more
-- languages (the text kept as published and as shown: sanitized HTML), and every acceptance of a
-- version, kept for as long as the account exists. A withdrawn version stays on record (its
-- acceptances refer to it); the current version of an organization is its latest one not withdrawn.

CREATE TABLE terms_versions (
    id              INTEGER PRIMARY KEY,
    organization_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    version         TEXT    NOT NULL,
    published_at    INTEGER NOT NULL,
    withdrawn_at    INTEGER NOT NULL DEFAULT 0,   -- 0 = in force
    UNIQUE (organization_id, version)
) STRICT;

CREATE INDEX terms_versions_in_force ON terms_versions (organization_id, withdrawn_at, id);

CREATE TABLE terms_texts (
    version_id    INTEGER NOT NULL REFERENCES terms_versions (id) ON DELETE CASCADE,
    language      TEXT    NOT NULL CHECK (language IN ('en', 'ja')),
    source_format TEXT    NOT NULL CHECK (source_format IN ('markdown', 'html')),
    source        TEXT    NOT NULL,
    body_html     TEXT    NOT NULL,
    published_at  INTEGER NOT NULL,
    PRIMARY KEY (version_id, language)
) STRICT;

CREATE TABLE terms_acceptances (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    version_id  INTEGER NOT NULL REFERENCES terms_versions (id) ON DELETE CASCADE,
    language    TEXT    NOT NULL,
    accepted_at INTEGER NOT NULL,
    client_ip   TEXT    NOT NULL DEFAULT '',
    user_agent  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (account_id, version_id)
) STRICT;
