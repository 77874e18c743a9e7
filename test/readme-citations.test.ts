// The README's "Your data is safe" names, under each promise, the tests that hold it to that
// promise (`file › describe › test; test`). A citation that no longer matches a test (a file
// renamed, a test reworded or deleted) would leave a promise with nothing behind it: each cited
// file must exist and each cited name must appear in it (its first 30 characters, since names
// with `%s` or a long tail are cited as written in the source, sometimes cut with "…").
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Your data is safe'), readme.indexOf('\n## ', readme.indexOf('## Your data is safe') + 1));

interface Citation { file: string; names: string[] }

/** `- \`test/x.test.ts\` › a › b; c (2 cases: ...)` → the file and the names a › b, c. A
 * parenthesis that lists cases or says when a test is skipped is a comment, not part of a name. */
function citations(text: string): Citation[] {
  const out: Citation[] = [];
  for (const line of text.split('\n')) {
    const m = /^- `(test\/[^`]+)`(?: › (.*))?$/.exec(line);
    if (!m) continue;
    const names = (m[2] ?? '')
      .replace(/ \((?:[^()]*; [^()]*|\d+ [^()]*|needs [^()]*|a case [^()]*)\)/g, '')
      .split(/ › |; /)
      .map((s) => s.replace(/….*$/, '').trim())
      .filter(Boolean);
    out.push({ file: m[1]!, names });
  }
  return out;
}

describe('README "Your data is safe" cites tests that exist', () => {
  const cited = citations(section);

  it('cites a test under the promises (at least one per bold promise)', () => {
    const promises = section.match(/^\*\*[^*]+\*\*/gm) ?? [];
    expect(promises.length).toBeGreaterThanOrEqual(10);
    expect(cited.length).toBeGreaterThanOrEqual(promises.length);
  });

  it.each(cited.map((c) => [c.file, c] as const))('%s: the file exists and holds every cited name', (file, c) => {
    expect(existsSync(join(ROOT, file)), `${file} does not exist`).toBe(true);
    const source = readFileSync(join(ROOT, file.replace(/\/$/, '')), 'utf8');
    const missing = c.names.filter((n) => !source.includes(n.slice(0, 30)));
    expect(missing, `${file} has no test named like these`).toEqual([]);
  });

  it('would notice a renamed test', () => {
    const fake = citations('- `test/io/lock.test.ts` › withFileLock in one process › a test nobody ever wrote');
    const source = readFileSync(join(ROOT, fake[0]!.file), 'utf8');
    expect(fake[0]!.names.filter((n) => !source.includes(n.slice(0, 30)))).toEqual(['a test nobody ever wrote']);
  });
});
