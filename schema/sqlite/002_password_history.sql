-- Hashes of the passwords an account had before, so a change or reset can refuse one of the last
-- N (the store keeps at most 24 per account). Only hashes, never passwords; gone with the account.

CREATE TABLE password_history (
    account_id  INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    hash        TEXT    NOT NULL CHECK (length(hash) > 0),
    replaced_at INTEGER NOT NULL
) STRICT;

-- Newest first per account, for the check and for pruning.
CREATE INDEX password_history_by_account ON password_history (account_id, replaced_at);
