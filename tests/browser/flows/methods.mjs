// Security info's sign-in methods: add an authenticator app by reading the secret from the page and
// computing the code with oathtool (a wrong code first), create recovery codes, rename the app,
// make it the default, remove it; add a mobile phone with the code a text message brought.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { tabTo } from '../lib/browser.mjs';
import { languages } from '../lib/i18n.mjs';
import { oathtool } from '../lib/totp.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

// Opens a <details> (the rename form): a click, or Tab to its summary and Enter.
async function disclose(ui, summary) {
  if (ui.keyboard) {
    await tabTo(ui.tab, summary);
    await ui.page.keyboard.press('Enter');
  } else {
    await summary.click();
  }
}

describe('sign-in methods', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`add an authenticator app and recovery codes, rename, make default, remove [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, tab }) => {
        const user = server.addUser({ prefix: 'methods' });
        await ui.signInToProfile(user);
        await ui.go(ui.nav().getByRole('link', { name: t('nav_security') }));
        await ui.go(ui.link('security_add_method'));
        await ui.expectPath('/myaccount/security/add');
        await ui.expectHeading('security_add_title');
        await ui.check('security-add');

        await ui.fill(ui.field('security_app_label'), 'Pixel 8');
        await ui.submit(ui.button('next'), { enterInField: true });
        await ui.expectHeading('authenticator_title');
        await ui.expectText(t('authenticator_hint_microsoft'));
        await ui.check('authenticator-setup');
        const qr = tab.page.getByRole('img', { name: t('authenticator_qr_alt'), exact: true });
        assert.ok(await qr.isVisible(), 'the QR code is an image with its name');
        const grouped = (await tab.page.locator('code.secret').innerText()).trim();
        assert.match(grouped, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'the secret in groups of four');
        const secret = grouped.replace(/ /g, '');

        const right = oathtool(secret);
        await ui.fill(ui.field('authenticator_code_label'), right === '000000' ? '111111' : '000000');
        await ui.submit(ui.button('authenticator_confirm'), { enterInField: true });
        await ui.expectMessage(t('authenticator_error_wrong'));
        await ui.check('authenticator-wrong');
        assert.equal((await tab.page.locator('code.secret').innerText()).trim(), grouped, 'the same set-up again');

        await ui.fill(ui.field('authenticator_code_label'), oathtool(secret));
        await ui.submit(ui.button('authenticator_confirm'), { enterInField: true });
        await ui.expectPath('/myaccount/security');
        await ui.expectMessage(t('security_added_authenticator'));
        const list = tab.page.locator('.method-list');
        await ui.expectText('Pixel 8', { within: list });
        await ui.expectNoText(grouped.slice(0, 9));
        await ui.check('security-authenticator');

        await ui.go(ui.link('security_add_method'));
        await ui.go(ui.button('security_recovery_create'));
        await ui.expectHeading('recovery_codes_title');
        await ui.check('recovery-codes');
        assert.equal(await tab.page.locator('.recovery-codes li').count(), 10, 'ten recovery codes');
        const download = tab.page.getByRole('link', { name: t('recovery_codes_download'), exact: true });
        assert.equal(await download.getAttribute('download'), 'recovery-codes.txt');
        const firstCode = (await tab.page.locator('.recovery-codes li').first().innerText()).trim();
        await ui.go(ui.link('done'));
        await ui.expectPath('/myaccount/security');
        await ui.expectText(t('security_recovery_left', { left: 10, total: 10 }));
        await ui.expectNoText(firstCode);

        const app = list.locator('li').filter({ hasText: 'Pixel 8' });
        await disclose(ui, app.getByText(t('security_rename'), { exact: true }));
        await ui.check('security-rename-open');
        await ui.fill(app.getByLabel(t('security_rename_label'), { exact: true }), 'Work phone');
        await ui.submit(ui.button('security_rename_submit', app), { enterInField: true });
        await ui.expectMessage(t('security_renamed'));
        await ui.expectText('Work phone', { within: list });
        await ui.check('security-renamed');

        await ui.go(ui.button('security_default_change'));
        await ui.expectMessage(t('security_default_changed'));

        const renamed = list.locator('li').filter({ hasText: 'Work phone' });
        await ui.go(ui.button('security_remove', renamed));
        await ui.expectMessage(t('security_removed_authenticator'));
        await ui.expectNoText('Work phone');
        await ui.check('security-removed-authenticator');
      });

      scenario(`add a mobile phone with the code sent by text message [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, tab }) => {
        const user = server.addUser({ prefix: 'phone' });
        const number = '+819012345678';
        await ui.signInToProfile(user);
        await ui.open('/myaccount/security/add');
        await ui.fill(ui.field('security_phone_number'), '090-1234-56');
        await ui.submit(ui.button('send_code', tab.page.locator('form[action$="/security/phone"]')));
        await ui.expectMessage(t('phone_error_number'));
        await ui.check('phone-bad-number');

        const known = server.notifications().filter((n) => n.recipient === number).length;
        await ui.fill(ui.field('security_phone_number'), '090-1234-5678');
        await ui.fill(ui.field('security_phone_label'), 'Work mobile');
        await ui.submit(ui.button('send_code', tab.page.locator('form[action$="/security/phone"]')));
        await ui.expectHeading('phone_code_title');
        await ui.check('phone-code');
        let message;
        for (let i = 0; i < 100 && !message; i += 1) {
          message = server.notifications().filter((n) => n.recipient === number)[known];
          if (!message) await new Promise((r) => setTimeout(r, 50));
        }
        assert.ok(message, `no text message to ${number}`);
        assert.equal(message.channel, 'sms');
        const code = message.message.match(/\b([0-9]{8})\b/)[1];
        await ui.fill(ui.field('code_label'), code);
        await ui.submit(ui.button('phone_verify_submit'), { enterInField: true });
        await ui.expectPath('/myaccount/security');
        await ui.expectMessage(t('security_added_phone'));
        await ui.expectText('+81 90-1234-5678', { within: tab.page.locator('.method-list') });
        await ui.check('security-phone');
      });
    }
  }
});
