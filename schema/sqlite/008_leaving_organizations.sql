-- Leaving an organization: a guest may leave one unless its administrator said members may not
-- (myaccountctl org set-leave ORG no). A home organization is never left by its member.

ALTER TABLE organizations
    ADD COLUMN members_may_leave INTEGER NOT NULL DEFAULT 1 CHECK (members_may_leave IN (0, 1));
