// What the tests share: one server, one browser, one page checker; and `scenario`, which gives each
// test a fresh browser context in its language and a Ui for its input mode.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { launchBrowser, newContext, newTab, PageChecker, Problems } from './browser.mjs';
import { outputDir } from './paths.mjs';
import { TestServer } from './server.mjs';
import { Ui } from './ui.mjs';

// Tests of one flow run this many at a time (each in its own browser context; the flows one after
// another). Two keeps 2 cores busy without starving httpd or Chromium.
export const CONCURRENCY = Math.max(1, Number(process.env.MYACCOUNT_BROWSER_CONCURRENCY || 2));

export const suite = {
  server: null,
  browser: null,
  checker: new PageChecker(),
  errorLogFrom: 0,
};

export async function startSuite() {
  fs.mkdirSync(outputDir, { recursive: true });
  fs.rmSync(path.join(outputDir, 'failures'), { recursive: true, force: true });  // this run's only
  suite.server = new TestServer();
  // Whatever happens to the test process, the background httpd goes with it.
  process.once('exit', () => { try { suite.server?.stop({ keep: false }); } catch { /* best effort */ } });
  suite.server.start();
  suite.browser = await launchBrowser();
}

export async function stopSuite() {
  try {
    if (suite.browser) await suite.browser.close();
  } finally {
    suite.browser = null;
    if (suite.server) {
      suite.server.stop();
      suite.server = null;
    }
  }
}

function fileName(text) {
  return text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-|-$/g, '').slice(0, 120);
}

// test(name) running fn({ ui, tab, context, lang, mode, t, server, problems }) in a new context.
// Soft problems (page checks, focus) are collected and reported together at the end.
export function scenario(name, { lang, mode = 'mouse', contextOptions = {} }, fn) {
  test(name, async () => {
    const problems = new Problems();
    const context = await newContext(suite.browser, lang, contextOptions);
    const tab = await newTab(context, lang, problems);
    const ui = new Ui({ tab, mode, server: suite.server, checker: suite.checker, problems, context });
    let failure = null;
    try {
      await fn({ ui, tab, context, lang, mode, t: ui.t, server: suite.server, problems });
    } catch (e) {
      failure = e;
      try {
        const dir = path.join(outputDir, 'failures');
        fs.mkdirSync(dir, { recursive: true });
        await tab.page.screenshot({ path: path.join(dir, `${fileName(name)}.png`) });
      } catch { /* the page may be gone */ }
    } finally {
      await context.close();
    }
    if (failure) {
      if (problems.list.length > 0) {
        failure.message += `\n\nAlso found before it:\n\n${problems.list.join('\n\n')}`;
      }
      failure.message += `\n(last page: ${tab.page.url()})`;
      throw failure;
    }
    problems.throwIfAny();
  });
}
