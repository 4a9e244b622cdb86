// Terms of use at the gate: an organization publishes terms (in both languages, as the CLI does);
// the handbook (MyAccountTermsRequired On) sends its member to the terms page, which shows the
// document in the reader's language; Accept goes back to the handbook, and the page then says it
// was accepted and offers Done. Decline signs the person out, with a word on the sign-in page.
import fs from 'node:fs';
import path from 'node:path';
import { describe } from 'node:test';
import { languages } from '../lib/i18n.mjs';
import { CONCURRENCY, scenario } from '../lib/suite.mjs';
import { MODES } from '../lib/ui.mjs';

const documents = {
  en: (org) => `# ${org} handbook rules\n\nPlease **treat colleagues with respect**.\n\n- Keep the handbook internal.\n`,
  ja: (org) => `# ${org} ハンドブック規則\n\n**同僚に敬意を持って接してください**。\n\n- ハンドブックは社外に出さないでください。\n`,
};
const firstSentence = { en: 'Please treat colleagues with respect.', ja: '同僚に敬意を持って接してください。' };

let organizations = 0;

// A fresh organization with version 1 of its terms in both languages, and a member of it.
function memberOfOrganizationWithTerms(server, prefix) {
  organizations += 1;
  const org = `Terms${organizations}${Date.now().toString(36).slice(-4)}`;
  server.ctl(['org', 'add', org]);
  for (const lang of Object.keys(documents)) {
    const file = path.join(server.dir, `${org}.${lang}.md`);
    fs.writeFileSync(file, documents[lang](org));
    server.ctl(['terms', 'publish', org, file, '--version', '1', '--lang', lang]);
  }
  return { org, user: server.addUser({ prefix, orgs: [{ org }] }) };
}

describe('terms of use', { concurrency: CONCURRENCY }, () => {
  for (const lang of languages) {
    for (const mode of MODES) {
      scenario(`accept terms at the gate [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const { org, user } = memberOfOrganizationWithTerms(server, 'terms');
        await ui.signInToProfile(user);
        await ui.open('/handbook/index.html');
        await ui.expectPath('/myaccount/terms');
        await ui.expectHeading('terms_title');
        await ui.expectText(t('terms_intro_pending'));
        await ui.expectText(org);
        await ui.expectText(firstSentence[lang]);
        await ui.check('terms');

        await ui.go(ui.button('terms_accept'));
        await ui.expectPath('/handbook/index.html');
        await ui.expectText('Welcome to the employee handbook');

        await ui.open('/myaccount/');
        await ui.go(ui.nav().getByRole('link', { name: t('nav_terms') }));
        await ui.expectPath('/myaccount/terms');
        await ui.expectText(t('terms_intro_accepted'));
        await ui.expectText(t('terms_accepted_badge'));
        await ui.expectText(t('terms_history'));
        await ui.check('terms-accepted');
        await ui.go(ui.link('terms_done'));
        await ui.expectPath('/myaccount/');
        await ui.expectHeading('profile_title');
      });

      scenario(`decline terms and be signed out [${lang}, ${mode}]`, { lang, mode }, async ({ ui, server, t }) => {
        const { user } = memberOfOrganizationWithTerms(server, 'decline');
        await ui.signInToProfile(user);
        await ui.open('/handbook/index.html');
        await ui.expectPath('/myaccount/terms');
        await ui.expectText(t('terms_decline_explain'));
        await ui.go(ui.button('terms_decline'));
        await ui.expectPath('/myaccount/login');
        await ui.expectMessage(t('login_terms_declined'));
        await ui.check('terms-declined');
        // Signed out: the handbook asks for the sign-in again.
        await ui.open('/handbook/index.html');
        await ui.expectHeading('sign_in_title');
      });
    }
  }
});
