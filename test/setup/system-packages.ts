// vitest globalSetup: the real programs some tests drive (a PostgreSQL server, headless Chromium,
// zsh and fish for completion scripts, tmux for terminal tests) come from Debian's packages. CI
// starts on a fresh machine as root, so the suite installs what is missing itself, once, before any
// test file runs (one apt-get for all: two test files installing at once would fight over dpkg's
// lock). Not root, or no apt-get (a developer's laptop): nothing is installed, and the tests that
// need a missing program say so in their skip reason.
import { spawnSync } from 'node:child_process';

/** Debian package -> a program it provides (what is looked up on PATH or at that path). */
const PACKAGES: Record<string, string> = {
  tmux: 'tmux',
  postgresql: '/usr/lib/postgresql',
  chromium: 'chromium',
  'fonts-liberation': '/usr/share/fonts/truetype/liberation',
  zsh: 'zsh',
  fish: 'fish',
};

function present(what: string): boolean {
  if (what.startsWith('/')) return spawnSync('test', ['-e', what]).status === 0;
  return spawnSync('sh', ['-c', `command -v ${what}`], { stdio: 'ignore' }).status === 0;
}

export default function setup(): void {
  if (process.env['QUALIFY_NO_APT']) return;
  const missing = Object.entries(PACKAGES).filter(([, what]) => !present(what)).map(([pkg]) => pkg);
  if (missing.length === 0) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !present('apt-get')) {
    process.stderr.write(`test setup: not installing ${missing.join(', ')} (needs root and apt-get); the tests that need them are skipped\n`);
    return;
  }
  process.stderr.write(`test setup: apt-get install ${missing.join(' ')}\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = spawnSync('apt-get', ['update', '-qq'], { stdio: ['ignore', 'ignore', 'inherit'], env });
  const install = spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (update.status !== 0 || install.status !== 0) {
    process.stderr.write(`test setup: apt-get failed (update ${update.status}, install ${install.status}); the tests that need ${missing.join(', ')} are skipped\n`);
  }
}
