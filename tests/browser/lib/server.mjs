// The server under test: made and run by scripts/test-server (the same state folder and
// conf/demo.conf as the integration tests), in a temporary folder of its own.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ctlPath, modulePath, testServerScript } from './paths.mjs';

const scriptEnv = {
  ...process.env,
  MYACCOUNT_MODULE_PATH: modulePath,
  MYACCOUNT_CTL_PATH: ctlPath,
};

function testServer(args, input) {
  try {
    return execFileSync(testServerScript, args, {
      env: scriptEnv,
      input: input ?? '',
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      timeout: 60_000,
    });
  } catch (e) {
    throw new Error(`scripts/test-server ${args.join(' ')} failed (${e.status ?? e.signal}):\n${e.stdout ?? ''}${e.stderr ?? ''}`);
  }
}

// One record of scripts/notify-to-file: "=== CHANNEL RECIPIENT", the message, "===".
export function parseNotifications(text) {
  const out = [];
  let current = null;
  for (const line of text.split('\n')) {
    if (current === null) {
      if (!line.startsWith('=== ')) continue;
      const rest = line.slice(4);
      const space = rest.indexOf(' ');
      current = {
        channel: space < 0 ? rest : rest.slice(0, space),
        recipient: space < 0 ? '' : rest.slice(space + 1),
        message: '',
      };
    } else if (line === '===') {
      // A line of its own in an e-mail; standing alone in a text message ("... code is 12345678.").
      const m = current.message.match(/^\s*([0-9]{8})\s*$/m) ??
        (current.channel === 'sms' ? current.message.match(/(?:^|[^0-9])([0-9]{8})(?![0-9])/) : null);
      current.code = m ? m[1] : '';
      out.push(current);
      current = null;
    } else {
      current.message += line + '\n';
    }
  }
  return out;  // a record still being written (no closing "===") is left out
}

let userCounter = 0;

export class TestServer {
  constructor() {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'myaccount-browser-'));
    this.url = null;
  }

  get db() { return path.join(this.dir, 'db', 'myaccount.db'); }
  get notificationsFile() { return path.join(this.dir, 'run', 'notifications.log'); }
  get errorLog() { return path.join(this.dir, 'run', 'error.log'); }

  start() {
    testServer(['prepare', this.dir]);
    testServer(['demo-users', this.dir]);
    this.url = testServer(['start', this.dir]).trim();
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(this.url)) throw new Error(`scripts/test-server start printed '${this.url}'`);
    return this.url;
  }

  stop({ keep = !!process.env.MYACCOUNT_BROWSER_KEEP } = {}) {
    if (this.url === null) return;
    this.url = null;
    testServer(['stop', this.dir]);
    if (keep) console.error(`[browser tests] kept ${this.dir}`);
    else fs.rmSync(this.dir, { recursive: true, force: true });
  }

  // myaccountctl --db DB ARGS... (then db/ is handed back to httpd's user).
  ctl(args, input) { return testServer(['ctl', this.dir, ...args], input); }

  // A fresh account, so that a test that changes state (lockout, password, reset) stands alone.
  // Returns { username, password, name, email }.
  addUser({ prefix = 'user', name, title, office, emails, orgs = [] } = {}) {
    userCounter += 1;
    const username = `${prefix}${userCounter}${Date.now().toString(36).slice(-4)}`.toLowerCase();
    const password = `plum orchard ${userCounter} lantern`;
    const display = name ?? `Test Person ${userCounter}`;
    const addresses = emails ?? [`${username}@contoso.example`];
    const args = ['user', 'add', username, '--name', display];
    for (const a of addresses) args.push('--email', a);
    if (title) args.push('--title', title);
    if (office) args.push('--office', office);
    args.push('--password-stdin');
    this.ctl(args, password + '\n');
    for (const { org, guest, role } of orgs) {
      const m = ['org', 'add-member', org, username];
      if (guest) m.push('--guest');
      if (role) m.push('--role', role);
      this.ctl(m);
    }
    return { username, password, name: display, email: addresses[0], emails: addresses };
  }

  notifications() {
    let text = '';
    try { text = fs.readFileSync(this.notificationsFile, 'utf8'); } catch { /* none yet */ }
    return parseNotifications(text);
  }

  codeCount(recipient) {
    return this.notifications().filter((n) => n.recipient === recipient && n.code).length;
  }

  // The code of the first message with a code to recipient after the first `known` such messages
  // (the notifier may run after the response, on a background thread).
  async waitForCode(recipient, known, seconds = 10) {
    const deadline = Date.now() + seconds * 1000;
    for (;;) {
      const codes = this.notifications().filter((n) => n.recipient === recipient && n.code);
      if (codes.length > known) return codes[known].code;
      if (Date.now() > deadline) throw new Error(`no code for ${recipient} within ${seconds} s (had ${codes.length}, wanted more than ${known})`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  errorLogText() {
    try { return fs.readFileSync(this.errorLog, 'utf8'); } catch { return ''; }
  }
}
