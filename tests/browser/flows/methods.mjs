// Security info's sign-in methods: add an authenticator app by reading the secret from the page and
// computing the code with oathtool (a wrong code first), create recovery codes, rename the app,
// make it the default, remove it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe } from 'node:test';
import { tabTo } from '../lib/browser.mjs';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

function oathtool(secret) {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

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

        await ui.fill(ui.field('security_label_optional'), 'Pixel 8');
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
    }
  }
});
