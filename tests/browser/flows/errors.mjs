// The error pages a signed-in person can meet: 404 for a missing page of the portal, 403 for a
// form whose token went stale (signed out and in again in another tab of the same browser), and
// the way back from each: the profile, or the form reloaded.
import { describe } from 'node:test';
import { newTab } from '../lib/browser.mjs';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES, Ui } from '../lib/ui.mjs';

describe('error pages', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`404 for a missing page, back to the profile [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'notfound' });
        await ui.signInToProfile(user);
        await ui.open('/myaccount/no-such-page');
        await ui.expectStatus(404);
        await ui.expectHeading('error_not_found_title');
        await ui.expectText(`${t('error_code')} 404`);
        await ui.expectText(t('error_not_found'));
        await ui.check('error-404');
        await ui.go(ui.link('back_to_profile', ui.main()));
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });

      scenario(`403 for a stale form [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, context, problems }) => {
        const user = server.addUser({ prefix: 'stale' });
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_security') }));
        await ui.expectHeading('security_title');

        // Another tab of the same browser: sign out, sign in again (a new session, new tokens).
        const other = new Ui({ tab: await newTab(context, lang, problems), mode, server, checker: ui.checker, problems, context });
        await other.open('/myaccount/');
        await other.signOut();
        await other.signIn(user.username, user.password);
        await other.postponeRegistration();
        await other.tab.page.close();

        // Back in the first tab, the form still carries the old session's token.
        await ui.fill(ui.field('email_address'), `${user.username}.new@contoso.example`);
        await ui.fill(ui.field('current_password'), user.password);
        await ui.submit(ui.button('send_code'));
        await ui.expectStatus(403);
        await ui.expectHeading('error_csrf_title');
        await ui.expectText(`${t('error_code')} 403`);
        await ui.expectText(t('error_csrf'));
        await ui.check('error-403');
        // "Reload the form" brings the same form back with this session's token: it goes through.
        await ui.go(ui.link('reload_form', ui.main()));
        await ui.expectPath('/myaccount/security');
        await ui.addEmailMethod(`${user.username}.new@contoso.example`, user.password);
      });
    }
  }
});
