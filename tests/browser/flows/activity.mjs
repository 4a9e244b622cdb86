// Recent activity: after a wrong password and a sign-in, the page (from the navigation) lists the
// sign-in and the failure, newest first, in the reader's language. "This wasn't me" on the sign-in
// asks first, then signs the person out and says what to do next.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('activity', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`see recent sign-ins [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'activity' });
        await ui.openSignIn();
        await ui.signIn(user.username, 'not the password');
        await ui.expectSignInFailed();
        await ui.signIn(user.username, user.password);
        await ui.postponeRegistration();
        await ui.expectHeading('profile_title');

        await ui.go(ui.nav().getByRole('link', { name: t('nav_activity') }));
        await ui.expectPath('/myaccount/activity');
        await ui.expectHeading('activity_title');
        const rows = ui.main().locator('.activity-row .method-name');
        const titles = (await rows.allInnerTexts()).map((s) => s.trim());
        assert.deepEqual(titles.slice(-2), [t('activity_sign_in_success'), t('activity_sign_in_bad_password')],
          `the sign-in, then the wrong password before it: ${JSON.stringify(titles)}`);
        await ui.expectText(t('activity_method_form'));
        await ui.check('activity');
      });

      scenario(`this wasn't me [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'notme' });
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_activity') }));
        await ui.go(ui.main().getByRole('link', { name: t('not_me') }).last());
        await ui.expectPath('/myaccount/activity/not-me');
        await ui.expectHeading('not_me_title');
        await ui.expectText(t('not_me_explain'));
        await ui.check('not-me');
        await ui.go(ui.button('not_me_yes'));
        await ui.expectPath('/myaccount/login');
        await ui.expectText(t('login_not_me'));
        await ui.check('not-me-signed-out');
        // The password alone no longer signs in: a new one is due first.
        await ui.signIn(user.username, user.password);
        await ui.expectMessage(t('login_reset_required'));
      });
    }
  }
});
