// A reader that closes the pipe early (`| head -1`) must not change what qualify does: no
// `Error: write EPIPE` stack trace, and the exit status the command would have had anyway.
// Deterministic: the parent closes its end of the pipe before the child has even started, so
// every write of the child meets a closed pipe; one run per case says what five would (each
// case failed before the fix, on its first run). Runs the built CLI (dist/).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'bin', 'qualify.js');
/** A CLI run per test, several tests at once (it.concurrent): generous, for a loaded machine. */
const SPAWNS_TIMEOUT = 180_000;

/** Runs qualify with stdout or stderr a pipe closed at once; returns the status and the other stream. */
async function runClosed(closed: 'stdout' | 'stderr', args: string[]): Promise<{ status: number | null; other: string }> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  child[closed].destroy();
  const other = closed === 'stdout' ? child.stderr : child.stdout;
  let text = '';
  other.setEncoding('utf8');
  other.on('data', (s: string) => (text += s));
  const [status] = (await once(child, 'close')) as [number | null];
  return { status, other: text };
}

describe('a closed stdout ends quietly', () => {
  it.concurrent.each([
    ['--help', ['--help']],
    ['--version', ['--version']],
    ['score --help', ['score', '--help']],
    ['explain --help', ['explain', '--help']],
    ['assess --help', ['assess', '--help']],
    ['discover --help', ['discover', '--help']],
    ['rules show', ['rules', 'show']],
    ['explain --format json', ['explain', 'fixtures/purchased-list.csv', '--lead', 'PL-0003', '--format', 'json', '--as-of', '2026-11-01']],
  ])('%s: exit 0, nothing on stderr', async (_name, args) => {
    const r = await runClosed('stdout', args);
    expect(r.other).toBe('');
    expect(r.status).toBe(0);
  }, SPAWNS_TIMEOUT);
});

describe('a closed stderr does not change the exit status', () => {
  it.concurrent.each([
    ['rules check of a broken file: 2', ['rules', 'check', 'fixtures/rules/broken.yaml'], 2],
    ['rules check of the default rules: 0', ['rules', 'check', '--as-of', '2026-11-01'], 0],
    ['an unknown option: 2', ['score', '--no-such-option'], 2],
    ['explain (table on stderr): 0', ['explain', 'fixtures/purchased-list.csv', '--lead', 'PL-0003', '--as-of', '2026-11-01'], 0],
    ['explain of an unknown lead: 2', ['explain', 'fixtures/purchased-list.csv', '--lead', 'nobody', '--as-of', '2026-11-01'], 2],
  ])('%s', async (_name, args, status) => {
    const r = await runClosed('stderr', args as string[]);
    expect(r.status).toBe(status);
  }, SPAWNS_TIMEOUT);
});
