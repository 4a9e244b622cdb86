// Screenshots of the main pages in both languages at 1280 px and 375 px (the viewport only), into
// output/screenshots/: sign-in, password reset (step 1), profile, security info (with an address
// registered), devices, recent activity, terms of use and change password (and its feedback on a
// guessable password). The demo's people: alice in English, hanako in Japanese.
// scripts/screenshots runs only this part and copies a few to docs/screenshots/.
import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { DESKTOP, PHONE } from '../lib/browser.mjs';
import { outputDir } from '../lib/paths.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';

const people = {
  en: { username: 'alice', password: 'correct horse battery staple', email: 'alice@contoso.example' },
  ja: { username: 'hanako', password: 'sakura-mochi-2026', email: 'hanako.yamada@contoso.example' },
};

describe('screenshots', { concurrency: CONCURRENCY }, () => {
  for (const lang of ['en', 'ja']) {
    scenario(`screenshots of the main pages [${lang}]`, { lang }, async ({ ui, tab, t }) => {
      const dir = path.join(outputDir, 'screenshots');
      fs.mkdirSync(dir, { recursive: true });
      const shoot = async (name) => {
        for (const [width, viewport] of [['1280', DESKTOP], ['375', PHONE]]) {
          await tab.page.setViewportSize(viewport);
          await tab.page.screenshot({ path: path.join(dir, `${name}-${lang}-${width}.png`) });
        }
        await tab.page.setViewportSize(DESKTOP);
      };
      const person = people[lang];

      await ui.openSignIn();
      await ui.check('login');
      await shoot('login');

      await ui.go(ui.link('forgot_password'));
      await ui.expectHeading('reset_title');
      await ui.check('reset-start');
      await shoot('reset');
      await ui.go(ui.link('back_to_sign_in'));

      await ui.signIn(person.username, person.password);
      await ui.expectHeading('register_title');
      await ui.go(ui.link('register_set_up'));
      await ui.addEmailMethod(person.email, person.password);
      await ui.check('security-added');
      // The page as it stays, without the one-time "added" message.
      await ui.go(ui.nav().getByRole('link', { name: t('nav_security') }));
      await shoot('security');

      await ui.go(ui.nav().getByRole('link', { name: t('nav_profile') }));
      await ui.expectHeading('profile_title');
      await ui.check('profile');
      await shoot('profile');

      await ui.go(ui.main().getByRole('link', { name: new RegExp(`^${t('devices')}`) }));
      await ui.expectHeading('devices');
      await shoot('devices');
      await ui.go(ui.nav().getByRole('link', { name: t('nav_activity') }));
      await ui.expectHeading('activity_title');
      await shoot('activity');
      await ui.go(ui.nav().getByRole('link', { name: t('nav_terms') }));
      await ui.expectHeading('terms_title');
      await shoot('terms');
      await ui.go(ui.nav().getByRole('link', { name: t('nav_profile') }));

      await ui.go(ui.nav().getByRole('link', { name: t('nav_password') }));
      await ui.expectHeading('change_password');
      await ui.check('password');
      await shoot('password');

      // zxcvbn's feedback on a guessable new password (refused, so the demo's password stays).
      await ui.fill(ui.field('current_password'), person.password);
      await ui.fill(ui.field('new_password'), 'password1234567');
      await ui.fill(ui.field('confirm_password'), 'password1234567');
      await ui.submit(ui.button('password_change_submit'));
      await ui.expectMessage(t('password_rule_guessable'));
      await shoot('password-guessable');
    });
  }
});
