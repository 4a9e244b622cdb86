// A person using the portal, by mouse or by keyboard alone, in one language; and the steps the
// flows share (sign in, answer the registration prompt, add an e-mail method, sign out).
import assert from 'node:assert/strict';
import { tabTo } from './browser.mjs';
import { translator } from './i18n.mjs';
import { oathtool } from './totp.mjs';

export const MODES = ['mouse', 'keyboard'];

export class Ui {
  constructor({ tab, mode, server, checker, problems, context }) {
    this.tab = tab;
    this.page = tab.page;
    this.lang = tab.lang;
    this.mode = mode;
    this.server = server;
    this.checker = checker;
    this.problems = problems;
    this.context = context;
    this.t = translator(tab.lang);
  }

  get keyboard() { return this.mode === 'keyboard'; }

  url(p) { return this.server.url + p; }

  // Typing an address into the browser's address bar.
  async open(p) {
    const response = await this.page.goto(this.url(p));
    return response ? response.status() : 0;
  }

  // ---- finding things by what a person reads --------------------------------------------------

  field(labelKey) { return this.page.getByLabel(this.t(labelKey), { exact: true }); }
  button(textKey, scope = this.page) { return scope.getByRole('button', { name: this.t(textKey), exact: true }); }
  link(textKey, scope = this.page) { return scope.getByRole('link', { name: this.t(textKey), exact: true }); }
  nav() { return this.page.getByRole('navigation', { name: this.t('nav_label') }); }
  main() { return this.page.locator('main'); }

  // ---- doing ---------------------------------------------------------------------------------

  // Puts text in a field: a click and typing, or Tab to it and typing.
  async fill(locator, value) {
    if (this.keyboard) {
      await tabTo(this.tab, locator);
      await this.page.keyboard.press('Control+A');
      await this.page.keyboard.type(value);
    } else {
      await locator.click();
      await locator.fill(value);
    }
  }

  // Activates a link or button that loads a page: a click, or Tab to it and Enter (links) /
  // `key` (buttons: Space unless told Enter).
  async go(locator, { key } = {}) {
    await this.tab.navigates(async () => {
      if (this.keyboard) {
        await tabTo(this.tab, locator);
        const isLink = await locator.evaluate((el) => el.tagName === 'A');
        await this.page.keyboard.press(key ?? (isLink ? 'Enter' : 'Space'));
      } else {
        await locator.click();
      }
    });
  }

  // Submits a form: the submit button by mouse; by keyboard Enter in the field that has the focus
  // (implicit submission, what most people do) when enterInField, else Tab to the button.
  async submit(button, { enterInField = false } = {}) {
    if (this.keyboard && enterInField) {
      await this.tab.navigates(() => this.page.keyboard.press('Enter'));
    } else {
      await this.go(button);
    }
  }

  // ---- checking ------------------------------------------------------------------------------

  async check(label) { await this.checker.check(this.tab, label); }

  async expectHeading(textKey, vars) {
    const h1 = this.page.locator('h1');
    if ((await h1.count()) === 0) assert.fail(`expected the heading "${this.t(textKey, vars)}", but there is no <h1>: ${await this.describePage()}`);
    const actual = (await h1.first().innerText()).trim();
    if (actual !== this.t(textKey, vars)) {
      assert.fail(`expected the heading "${this.t(textKey, vars)}", but the browser shows ${await this.describePage()}`);
    }
  }

  // Runs an assertion; a failed one is recorded and the flow goes on (it is reported when the test
  // ends), so that one missing word does not hide what the rest of the flow would find.
  async soft(check) {
    try {
      await check();
    } catch (e) {
      if (e instanceof assert.AssertionError) this.problems.add(e.message);
      else throw e;
    }
  }

  // Visible text somewhere on the page (whitespace-normalized). Soft.
  async expectText(text, options) { await this.soft(() => this.expectTextNow(text, options)); }

  async expectTextNow(text, { within } = {}) {
    const scope = within ?? this.page.locator('body');
    const normalize = (s) => s.replace(/\s+/g, ' ').trim();
    const visible = normalize(await scope.innerText());
    assert.ok(visible.includes(normalize(text)),
      `expected to read "${text}" on ${this.page.url()} (status ${this.tab.status()}), page says:\n${visible.slice(0, 1500)}`);
  }

  async expectNoText(text) { await this.soft(() => this.expectNoTextNow(text)); }

  async expectNoTextNow(text) {
    const visible = (await this.page.locator('body').innerText()).replace(/\s+/g, ' ');
    assert.ok(!visible.includes(text), `did not expect "${text}" on ${this.page.url()}`);
  }

  // An alert or status message with this text. Soft.
  async expectMessage(text) { await this.soft(() => this.expectMessageNow(text)); }

  async expectMessageNow(text) {
    const messages = this.page.locator('[role=alert], [role=status], .alert');
    const texts = (await messages.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
    assert.ok(texts.some((s) => s === text || s.includes(text)),
      `expected the message "${text}" on ${this.page.url()} (status ${this.tab.status()}); messages: ${JSON.stringify(texts)}`);
  }

  // What the page shows, for failure messages: status, heading, messages.
  async describePage() {
    const h1 = await this.page.locator('h1').allInnerTexts().catch(() => []);
    const messages = await this.page.locator('[role=alert], [role=status], .alert').allInnerTexts().catch(() => []);
    return `${this.page.url()}: status ${this.tab.status()}, heading ${JSON.stringify(h1.map((s) => s.trim()))}, messages ${JSON.stringify(messages.map((s) => s.replace(/\s+/g, ' ').trim()))}`;
  }

  async expectPath(expected) {
    const actual = new URL(this.page.url()).pathname;
    if (actual !== expected) {
      assert.fail(`expected to be on ${expected}, but the browser shows ${await this.describePage()}`);
    }
  }

  async expectStatus(expected) {
    if (this.tab.status() !== expected) {
      assert.fail(`expected HTTP status ${expected}, but the browser shows ${await this.describePage()}`);
    }
  }

  // ---- shared steps --------------------------------------------------------------------------

  // The sign-in page, from wherever the browser is: the portal's front sends it for any page.
  async openSignIn() {
    const status = await this.open('/myaccount/');
    assert.equal(status, 401, 'a signed-out visit to /myaccount/ answers with the sign-in page (401)');
    await this.expectHeading('sign_in_title');
  }

  // Fills and sends the sign-in form of the page the browser shows.
  async signIn(username, password) {
    await this.fill(this.field('user_id'), username);
    await this.fill(this.field('password'), password);
    await this.submit(this.button('sign_in'), { enterInField: true });
  }

  async expectSignInFailed() {
    await this.expectHeading('sign_in_title');
    await this.expectMessage(this.t('login_failed'));
  }

  // The prompt to register a reset method that follows a sign-in without one; "Not now".
  async postponeRegistration() {
    await this.expectHeading('register_title');
    await this.go(this.button('register_postpone'));
  }

  // Sign in as a fresh user and answer the prompt with "Not now": the profile.
  async signInToProfile(user) {
    await this.openSignIn();
    await this.signIn(user.username, user.password);
    await this.postponeRegistration();
    await this.expectPath('/myaccount/');
    await this.expectHeading('profile_title');
  }

  async signOut() {
    await this.go(this.button('sign_out', this.page.locator('header')));
    await this.expectPath('/myaccount/login');
    await this.expectMessage(this.t('signed_out'));
  }

  // On the security info page: adds `address` with the code the notifier got. Checks the pages
  // on the way when labels are given.
  async addEmailMethod(address, password, { labels = false } = {}) {
    await this.expectHeading('security_title');
    const known = this.server.codeCount(address);
    await this.fill(this.field('email_address'), address);
    await this.fill(this.field('current_password'), password);
    await this.submit(this.button('send_code'), { enterInField: true });
    await this.expectText(this.t('security_verify_heading'));
    await this.expectText(this.t('security_code_sent', { address, minutes: 15 }));
    if (labels) await this.check('security-code');
    const code = await this.server.waitForCode(address, known);
    await this.fill(this.field('code_label'), code);
    await this.submit(this.button('security_verify_submit'));
    await this.expectPath('/myaccount/security');
    await this.expectMessage(this.t('security_added'));
    await this.expectText(address, { within: this.page.locator('.method-list') });
  }

  // On the add-a-method page: a mobile phone typed as `typed`, proven with the code the text
  // message to `e164` brought.
  async addPhone(typed, e164) {
    await this.expectHeading('security_add_title');
    const known = this.server.codeCount(e164);
    await this.fill(this.field('security_phone_number'), typed);
    await this.submit(this.button('send_code', this.page.locator('form[action$="/security/phone"]')));
    await this.expectHeading('phone_code_title');
    const code = await this.server.waitForCode(e164, known);
    await this.fill(this.field('code_label'), code);
    await this.submit(this.button('phone_verify_submit'), { enterInField: true });
    await this.expectPath('/myaccount/security');
    await this.expectMessage(this.t('security_added_phone'));
  }

  // On the add-a-method page: an authenticator app labelled `label`, confirmed with the code
  // oathtool computes from the secret the page shows. Returns the secret (base32, no spaces).
  async addAuthenticator(label) {
    await this.expectHeading('security_add_title');
    await this.fill(this.field('security_app_label'), label);
    await this.submit(this.button('next'), { enterInField: true });
    await this.expectHeading('authenticator_title');
    const grouped = (await this.page.locator('code.secret').innerText()).trim();
    assert.match(grouped, /^([A-Z2-7]{4} ){7}[A-Z2-7]{4}$/, 'the secret in groups of four');
    const secret = grouped.replace(/ /g, '');
    await this.fill(this.field('authenticator_code_label'), oathtool(secret));
    await this.submit(this.button('authenticator_confirm'), { enterInField: true });
    await this.expectPath('/myaccount/security');
    await this.expectMessage(this.t('security_added_authenticator'));
    return secret;
  }
}
