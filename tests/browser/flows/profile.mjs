// The profile: what the organization keeps about a person, and the ways on from it.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { focusIsVisible } from '../lib/browser.mjs';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

describe('profile', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`profile shows the account and leads to its pages [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, tab }) => {
        const person = lang === 'ja'
          ? { name: '佐藤 美咲', title: '経理部 主任', office: '名古屋支社 5階' }
          : { name: 'Morgan Lee', title: 'Financial Analyst', office: 'Osaka Office, 12F' };
        const user = server.addUser({
          prefix: 'profile',
          ...person,
          orgs: [{ org: 'Contoso' }, { org: 'Fabrikam', guest: true, role: 'Guest' }],
        });
        await ui.signInToProfile(user);
        const main = ui.main();
        for (const text of [person.name, person.title, person.office, user.username, user.email,
          t('primary'), 'Contoso', 'Fabrikam', 'contoso.example', t('home_organization'),
          t('guest_organization'), t('profile_managed_note'), t('manage_account')]) {
          await ui.expectText(text, { within: main });
        }
        // The pages of later releases (devices, organizations, terms) show once their features are on.
        for (const key of ['change_password', 'security_info', 'sign_out_everywhere']) {
          await ui.expectText(t(key), { within: main.locator('.tiles') });
        }
        await ui.soft(async () => {
          const photo = main.getByRole('img', { name: t('photo_alt') });
          assert.ok(await photo.evaluate((img) => img.complete && img.naturalWidth > 0), 'the profile photo (initials avatar) loads');
        });
        await ui.soft(async () => assert.equal(await ui.nav().getByRole('link', { name: t('nav_profile') }).getAttribute('aria-current'), 'page',
          'the side navigation marks the profile as the current page'));
        await ui.check('profile');

        if (ui.keyboard) {
          // The first Tab reaches the skip link, which shows and moves the focus to the content.
          await tab.page.keyboard.press('Tab');
          const skip = tab.page.getByRole('link', { name: t('skip_to_content') });
          assert.ok(await skip.evaluate((a) => a === document.activeElement), 'the first Tab lands on the skip link');
          assert.ok(await focusIsVisible(tab), 'the focused skip link shows its focus');
          assert.ok(await skip.evaluate((a) => a.getBoundingClientRect().top >= 0), 'the focused skip link is on screen');
          await tab.page.keyboard.press('Enter');
          assert.ok(await tab.page.evaluate(() => document.activeElement?.id === 'main'), 'Enter on the skip link moves the focus to the main content');
        }
        // A tile of "Manage your account", then the side navigation.
        await ui.go(main.getByRole('link', { name: new RegExp(`^${t('security_info').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }));
        await ui.expectPath('/myaccount/security');
        await ui.expectHeading('security_title');
        await ui.soft(async () => assert.equal(await ui.nav().getByRole('link', { name: t('nav_security') }).getAttribute('aria-current'), 'page',
          'the side navigation marks security info as the current page'));
        await ui.go(ui.nav().getByRole('link', { name: t('nav_password') }));
        await ui.expectPath('/myaccount/password');
        await ui.expectHeading('change_password');
        await ui.go(ui.nav().getByRole('link', { name: t('nav_profile') }));
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });
    }
  }
});
