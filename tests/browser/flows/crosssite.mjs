// CSRF-5 and CSRF-6 as a browser sees them: a page on another site (other-site.test, which the
// browser resolves to the same loopback httpd: a real second origin, nothing intercepted) posts
// forms to the portal and the intranet. Chromium sends its own Origin and Sec-Fetch-Site; none of
// these posts may sign the browser in or change anything.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { OTHER_SITE } from '../lib/browser.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';

let pageCounter = 0;

// A page of the other site with one form posting `fields` to `target` on the portal's origin;
// returns its address (served by the same httpd under the other host name).
function otherSitePage(server, target, fields) {
  pageCounter += 1;
  const name = `other-site-${pageCounter}.html`;
  const inputs = Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`).join('');
  fs.writeFileSync(path.join(server.dir, 'docroot', 'static', name),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Prize</title></head><body>` +
    `<form method="post" action="${server.url}${target}">${inputs}<button>Claim your prize</button></form></body></html>`,
    { mode: 0o644 });
  const port = new URL(server.url).port;
  return `http://${OTHER_SITE}:${port}/static/${name}`;
}

async function sendFromOtherSite(tab, server, target, fields) {
  await tab.page.goto(otherSitePage(server, target, fields));
  await tab.navigates(() => tab.page.getByRole('button', { name: 'Claim your prize' }).click());
  return tab.status();
}

describe('forms sent from another site', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    // Login CSRF: the attacker's credentials posted to the login handler or inline to any
    // protected page must not leave the victim's browser signed in as the attacker.
    scenario(`another site cannot sign this browser in [${lang}]`, { lang }, async ({ ui, server, tab }) => {
      const attacker = server.addUser({ prefix: 'attacker' });
      const credentials = { httpd_username: attacker.username, httpd_password: attacker.password, httpd_location: '/myaccount/' };
      for (const target of ['/login.do', '/app/', '/myaccount/']) {
        const status = await sendFromOtherSite(tab, server, target, credentials);
        // Refused as a failed sign-in (401, the sign-in page) or as a foreign form (403).
        assert.ok(status === 401 || status === 403, `a sign-in form on another site posting to ${target} is refused (got ${status})`);
        // No session started: the portal still asks this browser to sign in.
        await ui.openSignIn();
      }
    });

    // A signed-in person lured to another site: its forms change nothing of theirs.
    scenario(`another site cannot sign a signed-in person out or change their password [${lang}]`, { lang }, async ({ ui, server, tab }) => {
      const user = server.addUser({ prefix: 'victim' });
      await ui.signInToProfile(user);
      const attempts = [
        ['/myaccount/signout', {}],
        ['/myaccount/password', { current_password: user.password, new_password: 'an attacker chose this one', confirm_password: 'an attacker chose this one' }],
      ];
      for (const [target, fields] of attempts) {
        const status = await sendFromOtherSite(tab, server, target, fields);
        assert.ok(status === 401 || status === 403, `a form on another site posting to ${target} is refused (got ${status})`);
        assert.equal(await ui.open('/myaccount/'), 200, `still signed in after the post to ${target}`);
        await ui.expectHeading('profile_title');
      }
      // The password is unchanged: a fresh browser signs in with the old one.
      await ui.signOut();
      await ui.signIn(user.username, user.password);
      await ui.expectPath('/myaccount/security/register');
    });
  }
});
