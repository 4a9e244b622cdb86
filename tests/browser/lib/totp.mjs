// What an authenticator app shows: `oathtool --totp` (never our own TOTP code), and the wait for
// the next 30-second step, so that a code of a step already used cannot be what a test types.
import { execFileSync } from 'node:child_process';

export function oathtool(secret) {
  return execFileSync('oathtool', ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}

// Resolves one second into the first step after the one `since` (ms since the epoch) fell in.
export async function nextStepAfter(since) {
  const next = (Math.floor(since / 30_000) + 1) * 30_000 + 1000;
  const wait = next - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
}
