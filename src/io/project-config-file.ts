// Where the project config lives: `qualify.yaml` in the current directory or the nearest parent.
// Apart from the loader (project-config.ts, which brings the YAML parser and the rules compiler),
// so that every run can look for the file without loading them.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_FILE = 'qualify.yaml';

/** The nearest qualify.yaml from `dir` up to the root, or undefined. */
export function findProjectConfig(dir: string = process.cwd()): string | undefined {
  let d = resolve(dir);
  for (;;) {
    const candidate = join(d, CONFIG_FILE);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const up = dirname(d);
    if (up === d) return undefined;
    d = up;
  }
}
