// Sign out everywhere: one person signed in in two browsers; "No" on the question goes back to the
// profile and changes nothing; "Yes" signs out both, and the other browser's next page is the
// sign-in page.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { newContext, newTab } from '../lib/browser.mjs';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario, suite } from '../lib/suite.mjs';
import { MODES, Ui } from '../lib/ui.mjs';

const startsWith = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

describe('sign out everywhere', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`sign out everywhere from one browser; the other must sign in again [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, problems }) => {
        const user = server.addUser({ prefix: 'everywhere' });
        const otherContext = await newContext(suite.browser, lang);
        try {
          const other = new Ui({ tab: await newTab(otherContext, lang, problems), mode, server, checker: suite.checker, problems, context: otherContext });
          await other.signInToProfile(user);
          await ui.signInToProfile(user);

          // "No" changes nothing.
          await ui.go(ui.main().getByRole('link', { name: startsWith(t('sign_out_everywhere')) }));
          await ui.expectPath('/myaccount/sign-out-everywhere');
          await ui.expectHeading('sign_out_everywhere');
          await ui.expectText(t('sign_out_everywhere_question'));
          await ui.check('sign-out-everywhere');
          await ui.go(ui.link('no'));
          await ui.expectPath('/myaccount/');
          await ui.expectHeading('profile_title');
          assert.equal(await other.open('/myaccount/'), 200, 'after "No" the other browser is still signed in');

          // "Yes" signs out this browser and the other one.
          await ui.go(ui.main().getByRole('link', { name: startsWith(t('sign_out_everywhere')) }));
          await ui.go(ui.button('yes'));
          await ui.expectPath('/myaccount/login');
          await ui.expectMessage(t('signed_out_everywhere'));
          await ui.check('signed-out-everywhere');
          assert.equal(await ui.open('/myaccount/'), 401, 'this browser must sign in again');
          assert.equal(await other.open('/myaccount/'), 401, 'the other browser must sign in again');
          await other.expectHeading('sign_in_title');
        } finally {
          await otherContext.close();
        }
      });
    }
  }
});
