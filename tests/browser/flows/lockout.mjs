// A locked account: 5 wrong passwords in a row (conf/demo.conf: MyAccountLockoutThreshold 5,
// MyAccountLockoutDuration 300) and the right one is refused too; the page says the account is
// locked for up to 5 minutes and offers the password reset. Unlocked by the administrator, it
// signs in.
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('lockout', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`5 wrong passwords lock the account [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'locked' });
        await ui.openSignIn();
        for (let i = 1; i <= 5; i += 1) {
          await ui.signIn(user.username, `wrong guess number ${i}`);
          await ui.expectSignInFailed();
        }
        await ui.signIn(user.username, user.password);
        await ui.expectHeading('sign_in_title');
        await ui.expectMessage(t('login_locked', { minutes: 5 }));
        await ui.check('login-locked');
        await ui.go(ui.link('login_locked_reset', ui.main()));
        await ui.expectPath('/myaccount/reset');
        await ui.expectHeading('reset_title');

        server.ctl(['user', 'unlock', user.username]);
        await ui.openSignIn();
        await ui.signIn(user.username, user.password);
        await ui.postponeRegistration();
        await ui.expectPath('/myaccount/');
      });
    }
  }
});
