// 2-step verification at sign-in (MyAccountRequireMFA Registered in the demo): someone adds an
// authenticator app and recovery codes; the next sign-in to the gated intranet app (/app/) stops
// at the verify step, where a recovery code opens it (one fewer left); the sign-in after that takes
// a wrong code, then the app's current code from oathtool, and lands on the profile.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { nextStepAfter, oathtool } from '../lib/totp.mjs';
import { MODES } from '../lib/ui.mjs';

const appPage = '/app/index.html';

describe('2-step verification at sign-in', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`the verify step with a recovery code at the gate, then with the app [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, tab }) => {
        const user = server.addUser({ prefix: 'verify' });
        await ui.signInToProfile(user);
        await ui.open('/myaccount/security/add');
        const secret = await ui.addAuthenticator('Pixel 8');
        const enrolledAt = Date.now();
        await ui.go(ui.link('security_add_method'));
        await ui.go(ui.button('security_recovery_create'));
        await ui.expectHeading('recovery_codes_title');
        const recoveryCode = (await tab.page.locator('.recovery-codes li').first().innerText()).trim();
        await ui.go(ui.link('done'));
        await ui.expectPath('/myaccount/security');
        await ui.signOut();

        // The intranet app behind the gate: the sign-in, then the verify step before the app.
        assert.equal(await ui.open(appPage), 401, 'a signed-out visit to the app answers with the sign-in page');
        await ui.signIn(user.username, user.password);
        await ui.expectPath('/myaccount/verify');
        await ui.expectHeading('verify_title');
        await ui.expectText(t('verify_authenticator_hint'));
        await ui.check('verify-authenticator');
        await ui.go(ui.link('verify_use_recovery_code'));
        await ui.fill(ui.field('verify_recovery_label'), recoveryCode);
        await ui.check('verify-recovery');
        await ui.submit(ui.button('verify_submit'), { enterInField: true });
        await ui.expectHeading('verify_done_title');
        await ui.expectText(t('verify_recovery_left', { count: 9 }));
        await ui.check('verify-recovery-done');
        await ui.go(ui.link('verify_continue'));
        await ui.expectPath(appPage);
        await ui.expectText('You are signed in to the intranet app');

        await ui.open('/myaccount/');
        await ui.expectHeading('profile_title');
        await ui.signOut();

        // The code the set-up used is spent: the sign-in waits for the app's next one.
        await nextStepAfter(enrolledAt);
        await ui.openSignIn();
        await ui.signIn(user.username, user.password);
        await ui.expectHeading('verify_title');
        const right = oathtool(secret);
        await ui.fill(ui.field('verify_authenticator_label'), right === '000000' ? '111111' : '000000');
        await ui.submit(ui.button('verify_submit'), { enterInField: true });
        await ui.expectHeading('verify_title');
        await ui.expectMessage(t('verify_error_wrong'));
        await ui.check('verify-wrong');
        await ui.fill(ui.field('verify_authenticator_label'), oathtool(secret));
        await ui.submit(ui.button('verify_submit'), { enterInField: true });
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });
    }
  }
});
