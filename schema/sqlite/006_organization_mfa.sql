-- 2-step verification per organization: an organization may ask more of its people (home members
-- and guests) than MyAccountRequireMFA asks of everyone; '' follows the site's directive.

ALTER TABLE organizations
    ADD COLUMN require_mfa TEXT NOT NULL DEFAULT '' CHECK (require_mfa IN ('', 'registered', 'all'));
