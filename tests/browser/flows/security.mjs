// Security info: a wrong password refused, an e-mail method added with its code, then removed.
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('security info', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`add and remove an e-mail method [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, tab }) => {
        const user = server.addUser({ prefix: 'security' });
        const address = `${user.username}.home@fabrikam.example`;
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_security') }));
        await ui.expectPath('/myaccount/security');
        await ui.expectHeading('security_title');
        await ui.expectText(t('security_intro'));
        await ui.expectText(t('security_no_methods'));
        await ui.check('security-empty');

        await ui.fill(ui.field('email_address'), address);
        await ui.fill(ui.field('current_password'), 'this is not my password');
        await ui.submit(ui.button('send_code'));
        await ui.expectMessage(t('security_error_wrong_password'));
        await ui.check('security-error');

        await ui.addEmailMethod(address, user.password, { labels: true });
        await ui.expectText(t('security_reset_ready'));
        await ui.check('security-added');

        const method = tab.page.locator('.method-list li').filter({ hasText: address });
        await ui.go(ui.button('security_remove', method));
        await ui.expectPath('/myaccount/security');
        await ui.expectMessage(t('security_removed'));
        await ui.expectText(t('security_no_methods'));
        await ui.expectNoText(address);
        await ui.check('security-removed');
      });
    }
  }
});
