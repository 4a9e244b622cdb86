// Organizations: the page lists the home organization and a guest one; "Sign in to leave the
// organization" asks Yes / No (after a fresh sign-in, which the integration tests force) and the
// guest organization is gone from the page afterwards. The home organization offers no way out.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('organizations', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`leave a guest organization [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'leave', orgs: [{ org: 'Contoso' }, { org: 'Fabrikam', guest: true }] });
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_organizations') }));
        await ui.expectPath('/myaccount/organizations');
        await ui.expectHeading('organizations');
        await ui.expectText(t('organizations_home_note'));
        await ui.check('organizations');
        const leave = ui.main().getByRole('link', { name: t('leave_organization') });
        assert.equal(await leave.count(), 1, 'only the guest organization can be left');

        // "No" keeps it.
        await ui.go(leave);
        await ui.expectPath('/myaccount/organizations/leave');
        await ui.expectHeading('leave_organization_title');
        await ui.expectText(t('leave_organization_question', { organization: 'Fabrikam' }));
        await ui.check('leave-organization');
        await ui.go(ui.link('no'));
        await ui.expectPath('/myaccount/organizations');
        await ui.expectText('Fabrikam');

        await ui.go(ui.main().getByRole('link', { name: t('leave_organization') }));
        await ui.go(ui.button('yes'));
        await ui.expectPath('/myaccount/organizations');
        await ui.expectMessage(t('organizations_left'));
        await ui.expectNoText('Fabrikam');
        await ui.check('organization-left');
        await ui.go(ui.nav().getByRole('link', { name: t('nav_profile') }));
        await ui.expectHeading('profile_title');
        await ui.expectNoText('Fabrikam');
      });
    }
  }
});
