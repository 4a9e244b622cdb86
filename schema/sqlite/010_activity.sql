-- The activity page: sign-in attempts also record sign-ins with an app password (at most one an
-- hour for each) and a refusal because the device was disabled or a
-- new password is due ("This wasn't me"; the table is made anew: SQLite cannot change a CHECK in
-- place), and both its sources, sign-in
-- attempts and the audit trail, are pruned by age (MyAccountActivityRetention) through an index
-- on their times.

CREATE TABLE sign_in_attempts_widened (
    id         INTEGER PRIMARY KEY,
    username   TEXT    NOT NULL,
    account_id INTEGER REFERENCES accounts (id) ON DELETE SET NULL,
    at         INTEGER NOT NULL,
    client_ip  TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT '',
    method     TEXT    NOT NULL CHECK (method IN ('form', 'basic', 'password_change', 'other', 'app_password')),
    result     TEXT    NOT NULL
               CHECK (result IN ('success', 'bad_password', 'unknown_user', 'disabled', 'locked', 'error',
                                 'device_disabled', 'password_reset_required'))
) STRICT;

INSERT INTO sign_in_attempts_widened (id, username, account_id, at, client_ip, user_agent, method, result)
    SELECT id, username, account_id, at, client_ip, user_agent, method, result FROM sign_in_attempts;
DROP TABLE sign_in_attempts;
ALTER TABLE sign_in_attempts_widened RENAME TO sign_in_attempts;

CREATE INDEX sign_in_attempts_by_account ON sign_in_attempts (account_id, at);
CREATE INDEX sign_in_attempts_by_time ON sign_in_attempts (at);
CREATE INDEX audit_events_by_time ON audit_events (at);
