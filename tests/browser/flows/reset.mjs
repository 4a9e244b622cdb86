// Forgot password: from the sign-in page through the user ID, the registered address, the code
// and a new password (a policy failure first) to a sign-in with it; and for someone with a phone
// (a 2-step method), the inbox and then the phone, and a sign-in that still asks for the phone.
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('password reset', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`forgot password, reset end to end [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'reset' });
        const newPassword = `reset ${lang} ${mode} harbor lights 5`;
        // Set-up: the user registered an address (the flow of the prompt, tested on its own).
        await ui.openSignIn();
        await ui.signIn(user.username, user.password);
        await ui.go(ui.link('register_set_up'));
        await ui.addEmailMethod(user.email, user.password);
        await ui.signOut();

        await ui.go(ui.link('forgot_password'));
        await ui.expectPath('/myaccount/reset');
        await ui.expectHeading('reset_title');
        await ui.expectText(t('reset_intro'));
        // Steps: the user ID, one per method to prove (conf/demo.conf: 1), the new password.
        await ui.expectText(t('reset_step', { step: 1, steps: 3 }));
        await ui.check('reset-start');

        await ui.fill(ui.field('user_id'), user.username);
        await ui.submit(ui.button('reset_continue'), { enterInField: true });
        await ui.expectPath('/myaccount/reset/verify');
        await ui.expectText(t('reset_step', { step: 2, steps: 3 }));
        await ui.expectText(t('reset_verify_intro'));
        await ui.check('reset-verify');

        const known = server.codeCount(user.email);
        await ui.fill(ui.field('email_address'), user.email);
        await ui.submit(ui.button('send_code'));
        await ui.expectPath('/myaccount/reset/verify');
        await ui.expectMessage(t('reset_code_sent', { minutes: 15 }));
        await ui.check('reset-code');

        const code = await server.waitForCode(user.email, known);
        await ui.fill(ui.field('code_label'), code);
        await ui.submit(ui.button('verify_code'), { enterInField: true });
        await ui.expectPath('/myaccount/reset/password');
        await ui.expectText(t('reset_step', { step: 3, steps: 3 }));
        await ui.expectText(t('reset_password_intro'));
        await ui.check('reset-password');

        await ui.fill(ui.field('new_password'), 'tiny');
        await ui.fill(ui.field('confirm_password'), 'tiny');
        await ui.submit(ui.button('reset_password_submit'));
        await ui.expectMessage(t('password_rule_too_short', { min: 12 }));
        await ui.check('reset-password-error');

        await ui.fill(ui.field('new_password'), newPassword);
        await ui.fill(ui.field('confirm_password'), newPassword);
        await ui.submit(ui.button('reset_password_submit'));
        await ui.expectPath('/myaccount/login');
        await ui.expectMessage(t('login_password_reset'));
        await ui.check('login-password-reset');

        await ui.signIn(user.username, newPassword);
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });

      scenario(`a phone user proves the inbox and the phone, then signs in with both [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const user = server.addUser({ prefix: 'resetphone' });
        // One number per scenario: tests of this flow run side by side.
        const local = `090-6${lang === 'ja' ? 1 : 2}${mode === 'keyboard' ? 1 : 2}0-${String(Date.now() % 10000).padStart(4, '0')}`;
        const number = `+81${local.replace(/-/g, '').slice(1)}`;
        const newPassword = `phone reset ${lang} ${mode} kite string 8`;
        await ui.openSignIn();
        await ui.signIn(user.username, user.password);
        await ui.go(ui.link('register_set_up'));
        await ui.addEmailMethod(user.email, user.password);
        await ui.open('/myaccount/security/add');
        await ui.addPhone(local, number);
        await ui.signOut();

        await ui.go(ui.link('forgot_password'));
        await ui.fill(ui.field('user_id'), user.username);
        await ui.submit(ui.button('reset_continue'), { enterInField: true });
        let known = server.codeCount(user.email);
        await ui.fill(ui.field('email_address'), user.email);
        await ui.submit(ui.button('send_code'));
        await ui.fill(ui.field('code_label'), await server.waitForCode(user.email, known));
        await ui.submit(ui.button('verify_code'), { enterInField: true });
        // The inbox is proven; a phone is a 2-step method, so it is one step more.
        await ui.expectPath('/myaccount/reset/verify');
        await ui.expectText(t('reset_step', { step: 3, steps: 4 }));
        await ui.check('reset-verify-phone');

        await ui.fill(ui.field('reset_phone_label'), '12');
        await ui.submit(ui.button('reset_use_phone'), { enterInField: true });
        await ui.expectMessage(t('phone_error_number'));
        await ui.check('reset-phone-error');
        known = server.codeCount(number);
        await ui.fill(ui.field('reset_phone_label'), local);
        await ui.submit(ui.button('reset_use_phone'), { enterInField: true });
        await ui.expectPath('/myaccount/reset/verify');
        await ui.expectMessage(t('reset_code_sent', { minutes: 15 }));
        await ui.fill(ui.field('code_label'), await server.waitForCode(number, known));
        await ui.submit(ui.button('verify_code'), { enterInField: true });
        await ui.expectPath('/myaccount/reset/password');
        await ui.expectText(t('reset_step', { step: 4, steps: 4 }));
        await ui.fill(ui.field('new_password'), newPassword);
        await ui.fill(ui.field('confirm_password'), newPassword);
        await ui.submit(ui.button('reset_password_submit'));
        await ui.expectPath('/myaccount/login');

        // The reset made no session: the sign-in asks for the phone all the same.
        await ui.signIn(user.username, newPassword);
        await ui.expectHeading('verify_title');
        known = server.codeCount(number);
        await ui.submit(ui.button('send_code'));
        await ui.fill(ui.field('code_label'), await server.waitForCode(number, known));
        await ui.check('verify-phone-code');
        await ui.submit(ui.button('verify_submit'), { enterInField: true });
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });
    }
  }
});
