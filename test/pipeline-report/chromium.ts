// Finds Debian's chromium for the browser tests, installing it when missing and allowed (CI runs
// as root: `apt-get update` once, then `apt-get install -y chromium`). Returns the executable, or
// the reason there is none (the test is then skipped, and says why).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CANDIDATES = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

export function findChromium(): { path: string } | { missing: string } {
  const found = () => CANDIDATES.find((p) => existsSync(p));
  let path = found();
  if (path) return { path };
  if (process.getuid?.() !== 0) return { missing: 'chromium is not installed and this user cannot apt-get install it (run as root, or apt-get install chromium)' };
  const update = spawnSync('apt-get', ['update'], { stdio: 'ignore', timeout: 300_000 });
  if (update.status !== 0) return { missing: 'apt-get update failed: no chromium' };
  try {
    execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  } catch {
    return { missing: 'apt-get install -y chromium failed' };
  }
  path = found();
  return path ? { path } : { missing: 'chromium installed but not found' };
}
