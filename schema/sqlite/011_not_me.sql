-- "This wasn't me": the account must choose a new password through the reset flow before it signs
-- in again, and the methods added in the days before are suspended (kept, but proving nothing, as
-- if not active) until their owner confirms them.

ALTER TABLE accounts
    ADD COLUMN password_reset_required INTEGER NOT NULL DEFAULT 0 CHECK (password_reset_required IN (0, 1));
ALTER TABLE verification_methods ADD COLUMN suspended_at INTEGER NOT NULL DEFAULT 0;  -- 0 = not suspended
