// The browser tests of mod_myaccount: one httpd made by scripts/test-server (conf/demo.conf, the
// demo users, a temporary folder), one headless Debian Chromium, a fresh browser context per test.
// Run: node --test all.test.mjs (ctest's "browser" test does, with the build's paths in the
// environment; see lib/paths.mjs).
import fs from 'node:fs';
import { after, before } from 'node:test';

if (!fs.existsSync(new URL('./node_modules/playwright-core/package.json', import.meta.url))) {
  console.error('tests/browser/node_modules is missing: run `PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci` in tests/browser (scripts/test does)');
  process.exit(1);
}
const { startSuite, stopSuite } = await import('./lib/suite.mjs');

before(startSuite);
after(stopSuite);

await import('./flows/signin.mjs');
await import('./flows/register.mjs');
await import('./flows/profile.mjs');
await import('./flows/password.mjs');
await import('./flows/security.mjs');
await import('./flows/methods.mjs');
await import('./flows/verify.mjs');
await import('./flows/sessions.mjs');
await import('./flows/organizations.mjs');
await import('./flows/terms.mjs');
await import('./flows/activity.mjs');
await import('./flows/reset.mjs');
await import('./flows/lockout.mjs');
await import('./flows/errors.mjs');
await import('./flows/crosssite.mjs');
await import('./flows/screenshots.mjs');
