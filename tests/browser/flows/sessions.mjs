// Where one person is signed in, in two browsers: the devices page lists both sessions and signs
// out the other one, or disables the other device (Yes / No), which then cannot sign in. Sign out everywhere: "No" on the question goes back to the profile and changes
// nothing; "Yes" signs out both, and the other browser's next page is the sign-in page.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { newContext, newTab } from '../lib/browser.mjs';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario, suite } from '../lib/suite.mjs';
import { MODES, Ui } from '../lib/ui.mjs';

const startsWith = (text) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);

// A second browser of the same person, signed in to the profile; close its context when done.
async function otherBrowser({ lang, mode, server, problems, user }) {
  const context = await newContext(suite.browser, lang);
  const other = new Ui({ tab: await newTab(context, lang, problems), mode, server, checker: suite.checker, problems, context });
  await other.signInToProfile(user);
  return { context, other };
}

describe('sign out everywhere', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`the devices page signs out the other browser [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, problems }) => {
        const user = server.addUser({ prefix: 'devices' });
        const { context, other } = await otherBrowser({ lang, mode, server, problems, user });
        try {
          await ui.signInToProfile(user);
          await ui.go(ui.main().getByRole('link', { name: startsWith(t('devices')) }));
          await ui.expectPath('/myaccount/devices');
          await ui.expectHeading('devices');
          await ui.expectText(t('devices_this_browser'));
          await ui.check('devices');
          await ui.go(ui.button('devices_end'));
          await ui.expectPath('/myaccount/devices');
          await ui.expectMessage(t('devices_session_ended'));
          await ui.check('devices-ended');
          assert.equal(await other.open('/myaccount/'), 401, 'the other browser must sign in again');
          assert.equal(await ui.open('/myaccount/'), 200, 'this browser stays signed in');
        } finally {
          await context.close();
        }
      });

      scenario(`disable the other device; it cannot sign in there any more [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, problems }) => {
        const user = server.addUser({ prefix: 'disable' });
        const { context, other } = await otherBrowser({ lang, mode, server, problems, user });
        try {
          await ui.signInToProfile(user);
          await ui.go(ui.main().getByRole('link', { name: startsWith(t('devices')) }));
          await ui.expectHeading('devices');
          await ui.expectText(t('devices_this_device'));
          // This device is listed first: the second "Disable device" is the other browser's.
          const disableLinks = ui.main().getByRole('link', { name: t('disable_device') });
          assert.equal(await disableLinks.count(), 2, 'one "Disable device" for each browser');
          await ui.go(disableLinks.nth(1));
          await ui.expectPath('/myaccount/devices/disable');
          await ui.expectHeading('disable_device');
          await ui.expectText(t('disable_device_explain'));
          await ui.check('disable-device');
          await ui.go(ui.button('yes'));
          await ui.expectPath('/myaccount/devices');
          await ui.expectMessage(t('devices_device_disabled'));
          await ui.expectText(t('devices_disabled_badge'));
          await ui.check('device-disabled');
          assert.equal(await other.open('/myaccount/'), 401, 'the disabled device is signed out');
          await other.openSignIn();
          await other.signIn(user.username, user.password);
          await other.expectHeading('sign_in_title');
          await other.expectMessage(t('login_device_disabled'));
          await other.check('device-disabled-sign-in');
          assert.equal(await ui.open('/myaccount/'), 200, 'this browser stays signed in');
        } finally {
          await context.close();
        }
      });

      scenario(`sign out everywhere from one browser; the other must sign in again [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t, problems }) => {
        const user = server.addUser({ prefix: 'everywhere' });
        const { context, other } = await otherBrowser({ lang, mode, server, problems, user });
        try {
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
          await context.close();
        }
      });
    }
  }
});
