// The prompt after sign-in: "Set up now", register an e-mail address with the code the notifier
// got; the next sign-in goes straight to the profile.
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('register for password reset after sign-in', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`"Set up now" registers an e-mail address [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'register' });
        await ui.openSignIn();
        await ui.signIn(user.username, user.password);
        await ui.expectHeading('register_title');
        await ui.go(ui.link('register_set_up'));
        await ui.expectPath('/myaccount/security');
        await ui.expectHeading('security_title');
        await ui.expectText(t('security_no_methods'));
        await ui.expectText(t('security_reset_not_ready'));
        await ui.check('security-empty');

        await ui.addEmailMethod(user.email, user.password, { labels: true });
        await ui.expectText(t('security_reset_ready'));
        await ui.check('security-added');

        await ui.signOut();
        await ui.signIn(user.username, user.password);
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });
    }
  }
});
