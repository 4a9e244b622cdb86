// Sign in (a wrong password first), the prompt to register a reset method after it ("Not now"),
// and sign out.
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('sign in', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`sign in, "Not now" to the registration prompt [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, tab }) => {
        const user = server.addUser({ prefix: 'signin' });
        await ui.openSignIn();
        await ui.check('login');
        const htmlLang = await tab.page.getAttribute('html', 'lang');
        if (htmlLang !== lang) throw new Error(`<html lang="${htmlLang}">, expected "${lang}" for Accept-Language ${lang}`);
        await ui.expectText(t('sign_in_intro'));

        await ui.signIn(user.username, 'not the password at all');
        await ui.expectSignInFailed();
        await ui.check('login-failed');

        await ui.signIn(user.username, user.password);
        await ui.expectPath('/myaccount/security/register');
        await ui.expectHeading('register_title');
        await ui.expectText(t('register_intro'));
        await ui.expectText(t('register_postpones_left', { count: 3 }));
        await ui.check('register');

        await ui.go(ui.button('register_postpone'));
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
        await ui.expectText(user.name, { within: tab.page.locator('header') });
        await ui.expectText(user.username, { within: tab.page.locator('header') });
        await ui.check('profile');
      });
    }
  }
});

describe('sign out', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`sign out [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'signout' });
        await ui.signInToProfile(user);
        await ui.signOut();
        await ui.expectHeading('sign_in_title');
        await ui.check('login-signed-out');
        // The session is gone: the portal asks for a sign-in again.
        await ui.openSignIn();
        await ui.expectNoText(t('signed_out'));
      });
    }
  }
});
