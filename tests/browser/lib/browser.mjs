// Debian's Chromium driven by playwright-core, and the checks every visited page goes through:
// no horizontal scroll and no axe-core (WCAG 2.1 A/AA) violation at 1280 px, at 375 px and at
// 200 % zoom; no Content-Security-Policy violation; a visible focus on everything Tab reaches.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import { chromiumPath } from './paths.mjs';
import { localeOf } from './i18n.mjs';

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve('axe-core'), 'utf8');

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 812 };
// 200 % browser zoom of the 1280x800 window: the page lays out in 640x400 CSS pixels (what zooming
// does to the viewport; deviceScaleFactor changes only pixel density, not layout, so it stays 1).
export const ZOOM_200 = { width: 640, height: 400 };
export const LAYOUTS = [
  { name: '1280px', viewport: DESKTOP },
  { name: '375px', viewport: PHONE },
  { name: '200% zoom', viewport: ZOOM_200 },
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

// A second site for the cross-site tests: the browser resolves this name to the loopback httpd,
// so its pages have an origin (and a site) of their own.
export const OTHER_SITE = 'other-site.test';

export async function launchBrowser() {
  // A fresh temporary profile per launch (playwright's default); never a downloaded browser.
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run',
      `--host-resolver-rules=MAP ${OTHER_SITE} 127.0.0.1`],
  });
}

// Problems a test collects without stopping (every page check of a flow is reported, not only the
// first), thrown together when the test ends.
export class Problems {
  constructor() { this.list = []; }
  add(text) { this.list.push(text); }
  throwIfAny() {
    if (this.list.length > 0) {
      throw new Error(`${this.list.length} problem(s):\n\n${this.list.join('\n\n')}`);
    }
  }
}

// One page of a browser context in a language, with what it saw: the last document response and
// any CSP violation or script error.
export class Tab {
  constructor(page, lang, problems) {
    this.page = page;
    this.lang = lang;
    this.problems = problems;
    this.lastDocument = null;
    page.on('response', (r) => {
      if (r.request().isNavigationRequest() && r.frame() === page.mainFrame()) this.lastDocument = r;
    });
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) {
        problems.add(`CSP violation on ${page.url()}: ${m.text()}`);
      }
    });
    page.on('pageerror', (e) => problems.add(`script error on ${page.url()}: ${e.message}`));
  }

  status() { return this.lastDocument ? this.lastDocument.status() : 0; }
  path() { const u = new URL(this.page.url()); return u.pathname + u.search; }

  // Runs action (a click, a key press) and waits for the document it leads to.
  async navigates(action) {
    const loaded = this.page.waitForEvent('load', { timeout: 15_000 });
    await action();
    await loaded;
  }
}

export async function newContext(browser, lang, options = {}) {
  // The browser sends its own Accept-Language for the locale: no header is added by the tests.
  return browser.newContext({ locale: localeOf[lang], viewport: DESKTOP, ...options });
}

export async function newTab(context, lang, problems) {
  return new Tab(await context.newPage(), lang, problems);
}

function formatViolations(violations) {
  return violations.map((v) => {
    const nodes = v.nodes.slice(0, 5).map((n) => {
      const summary = (n.failureSummary || '').split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
      return `      - ${n.target.join(' ')}: ${summary}`;
    });
    if (v.nodes.length > 5) nodes.push(`      - ... and ${v.nodes.length - 5} more`);
    return `    ${v.id} (${v.impact}): ${v.help}\n${nodes.join('\n')}`;
  }).join('\n');
}

// Every page state is checked once per language (a flow by mouse and the same by keyboard see the
// same pages): at each layout, no horizontal scroll and no axe violation.
export class PageChecker {
  constructor() { this.seen = new Set(); this.count = 0; }

  async check(tab, label) {
    const key = `${tab.lang}:${label}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.count += 1;
    const { page } = tab;
    const where = `page '${label}' (${tab.lang}, ${page.url()})`;
    const original = page.viewportSize();
    const hasAxe = await page.evaluate(() => typeof window.axe === 'object');
    // page.evaluate runs through the DevTools protocol, which the page's CSP (default-src 'none',
    // no inline script) does not govern: the page keeps its real CSP for everything else.
    if (!hasAxe) await page.evaluate(axeSource);
    for (const { name, viewport } of LAYOUTS) {
      await page.setViewportSize(viewport);
      const overflow = await page.evaluate(() => {
        const root = document.documentElement;
        if (root.scrollWidth <= root.clientWidth) return null;
        const wide = [...document.body.querySelectorAll('*')]
          .filter((el) => el.getBoundingClientRect().right > root.clientWidth + 0.5)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : ''} (right edge ${Math.round(el.getBoundingClientRect().right)})`);
        return { scrollWidth: root.scrollWidth, clientWidth: root.clientWidth, wide };
      });
      if (overflow) {
        tab.problems.add(`horizontal scroll on ${where} at ${name}: scrollWidth ${overflow.scrollWidth} > clientWidth ${overflow.clientWidth}; wider than the viewport: ${overflow.wide.join(', ')}`);
      }
      const result = await page.evaluate((tags) => window.axe.run(document, {
        runOnly: { type: 'tag', values: tags },
        resultTypes: ['violations'],
      }), AXE_TAGS);
      if (result.violations.length > 0) {
        tab.problems.add(`axe: ${result.violations.length} violation(s) on ${where} at ${name}:\n${formatViolations(result.violations)}`);
      }
    }
    await page.setViewportSize(original);
  }
}

// What has the focus, and whether it shows: a non-none outline or a box-shadow.
async function focusState(page, target) {
  return page.evaluate((el) => {
    const a = document.activeElement;
    if (!a || a === document.body || a === document.documentElement) {
      return { none: true, isTarget: false, desc: 'nothing', visible: true };
    }
    // An element outside the Tab order (tabindex=-1: the main content a skip link moves the focus
    // to) is no control a person operates: it need not show the focus.
    const operable = a.tabIndex >= 0;
    const s = getComputedStyle(a);
    const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
    const shadow = s.boxShadow && s.boxShadow !== 'none';
    const text = (a.getAttribute('aria-label') || a.innerText || a.value || a.name || '').trim().slice(0, 40);
    const desc = `<${a.tagName.toLowerCase()}${a.id ? ' id=' + a.id : ''}${a.getAttribute('name') ? ' name=' + a.getAttribute('name') : ''}> "${text}"`;
    return { none: false, isTarget: el !== null && a === el, desc, visible: !operable || outline || shadow };
  }, target);
}

// Keyboard alone: presses Tab until `locator` has the focus, checking that every element the focus
// lands on on the way shows it. Throws when the element is not reached.
export async function tabTo(tab, locator, { max = 60 } = {}) {
  const target = await locator.elementHandle({ timeout: 5000 });
  try {
    let state = await focusState(tab.page, target);
    const path = [];
    for (let i = 0; ; i += 1) {
      if (!state.none && !state.visible) {
        tab.problems.add(`focus not visible on ${tab.page.url()} (${tab.lang}): ${state.desc} has no outline and no box-shadow`);
      }
      if (state.isTarget) return;
      if (i >= max) break;
      await tab.page.keyboard.press('Tab');
      state = await focusState(tab.page, target);
      path.push(state.desc);
    }
    throw new Error(`Tab never reached ${locator} on ${tab.page.url()}; focus went: ${path.join(' -> ')}`);
  } finally {
    await target.dispose();
  }
}

// The focused element, for assertions after Enter/Space.
export async function focusedDescription(tab) { return (await focusState(tab.page, null)).desc; }

export async function focusIsVisible(tab) {
  const s = await focusState(tab.page, null);
  return !s.none && s.visible;
}
