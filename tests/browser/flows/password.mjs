// Change password: a policy failure (too short), then a change, then the new password signs in
// and the old one does not. And a guessable password: zxcvbn's warning and suggestions, then a
// strong one.
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

// Fills the change-password form and sends it (Enter in the last field, by keyboard).
async function changePassword(ui, current, next, { enterInField = true } = {}) {
  await ui.fill(ui.field('current_password'), current);
  await ui.fill(ui.field('new_password'), next);
  await ui.fill(ui.field('confirm_password'), next);
  await ui.submit(ui.button('password_change_submit'), { enterInField });
}

describe('change password', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`change password [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'passwd' });
        const newPassword = `new ${lang} ${mode} river stones 77`;
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_password') }));
        await ui.expectPath('/myaccount/password');
        await ui.expectHeading('change_password');
        await ui.expectText(t('password_min_hint', { min: 12, max: 128 }));
        await ui.check('password');

        await changePassword(ui, user.password, 'short pw', { enterInField: false });
        await ui.expectPath('/myaccount/password');
        await ui.expectMessage(t('password_rule_too_short', { min: 12 }));
        await ui.check('password-error');

        await changePassword(ui, user.password, newPassword);
        await ui.expectPath('/myaccount/login');
        await ui.expectHeading('sign_in_title');
        await ui.expectMessage(t('password_changed'));
        await ui.check('login-password-changed');

        await ui.signIn(user.username, user.password);
        await ui.expectSignInFailed();
        await ui.signIn(user.username, newPassword);
        await ui.postponeRegistration();
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });
    }
  }
});

describe('guessable password', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`guessable password feedback [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'guess' });
        const strong = `amber falcon ${lang} ${mode} quiet dunes 9`;
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_password') }));
        await ui.expectPath('/myaccount/password');

        // 15 characters and not on the common list, yet a word and a run of digits.
        await changePassword(ui, user.password, 'password1234567');
        await ui.expectPath('/myaccount/password');
        await ui.expectMessage(t('password_rule_guessable'));
        await ui.expectMessage(t('password_warning_common_word'));
        await ui.expectMessage(t('password_suggestion_add_words'));
        await ui.expectMessage(t('password_suggestion_avoid_sequences'));
        await ui.check('password-guessable');

        await changePassword(ui, user.password, strong);
        await ui.expectPath('/myaccount/login');
        await ui.expectMessage(t('password_changed'));
        await ui.signIn(user.username, strong);
        await ui.postponeRegistration();
        await ui.expectPath('/myaccount/');
      });
    }
  }
});
