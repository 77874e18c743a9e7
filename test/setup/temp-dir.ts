// vitest globalSetup: the whole run's temp files under one directory of its own, removed at the
// end. Many tests make a temp dir (os.tmpdir()) and the CLI runs they start make more; a test
// that fails, times out or is killed leaves its own behind, and a run left about 1,700 of them
// in /tmp. TMPDIR is set before the test workers start, so they and every process they spawn
// inherit it. World-writable and sticky like /tmp: tests that drop to an ordinary user (setpriv)
// make their own directories under it.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  // Once for the run: vitest calls a globalSetup for each project, and a directory inside the
  // last one made Chromium's socket path too long (over 107 bytes).
  if (process.env['QUALIFY_TESTS_TMPDIR'] !== undefined) return () => {};
  const saved = process.env['TMPDIR'];
  const dir = mkdtempSync(join(tmpdir(), 'qualify-tests-'));
  chmodSync(dir, 0o1777);
  process.env['TMPDIR'] = dir;
  process.env['QUALIFY_TESTS_TMPDIR'] = dir;
  return () => {
    if (saved === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = saved;
    delete process.env['QUALIFY_TESTS_TMPDIR'];
    rmSync(dir, { recursive: true, force: true });
  };
}
