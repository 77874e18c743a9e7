// Golden-file tests of the CLI, Miller-style: every directory under test/cases/<command>/<case>/
// holds `cmd` (the arguments after `qualify`), optional `stdin` (a file path piped to stdin),
// and the expected `expout`, `experr` and `exit`. UPDATE_GOLDEN=1 rewrites the expected files;
// review the change with git diff. Runs the built CLI (npm test builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const casesDir = join(root, 'test', 'cases');
const update = process.env['UPDATE_GOLDEN'] === '1';

/** Splits a command line on spaces, honouring single and double quotes. */
function splitArgs(line: string): string[] {
  const out: string[] = [];
  const re = /"([^"]*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line))) out.push(m[1] ?? m[2] ?? m[3]!);
  return out;
}

/** Removes what differs between machines: the checkout path. */
function clean(s: string): string {
  return s.split(root).join('[root]/').replace(/\[root\]\/\//g, '[root]/');
}

const cases: { name: string; dir: string }[] = [];
for (const command of readdirSync(casesDir).sort()) {
  const cdir = join(casesDir, command);
  if (!statSync(cdir).isDirectory()) continue;
  for (const c of readdirSync(cdir).sort()) cases.push({ name: `${command}/${c}`, dir: join(cdir, c) });
}

describe('qualify CLI golden cases', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThan(5));
  it.each(cases)('$name', ({ dir }) => {
    const args = splitArgs(readFileSync(join(dir, 'cmd'), 'utf8').trim());
    const stdinFile = join(dir, 'stdin');
    const input = existsSync(stdinFile) ? readFileSync(join(root, readFileSync(stdinFile, 'utf8').trim())) : '';
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
    delete env['FORCE_COLOR'];
    delete env['COLUMNS']; // tables are laid out to 120 columns without a terminal
    const r = spawnSync(process.execPath, [join(root, 'bin', 'qualify.js'), ...args], { cwd: root, input, env, maxBuffer: 64 << 20 });
    const got = { expout: clean(r.stdout.toString('utf8')), experr: clean(r.stderr.toString('utf8')), exit: `${r.status}\n` };
    for (const k of ['expout', 'experr', 'exit'] as const) {
      const file = join(dir, k);
      if (update) writeFileSync(file, got[k]);
      expect(got[k], `${k} of ${dir}`).toBe(existsSync(file) ? readFileSync(file, 'utf8') : '<missing file>');
    }
  });
});
