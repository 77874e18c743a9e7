// The layers of src/ and which may import which (README "Development"): core is pure (no file
// system, no terminal, no process), io and ui build on the core only, pipeline joins them, and
// commands wire options. Every import of every source file is read and checked here, so a
// shortcut (a core module reaching into io/, ui/ reaching into pipeline/) fails the suite.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../src/', import.meta.url));

type Layer = 'core' | 'sql' | 'io' | 'ui' | 'pipeline' | 'report' | 'commands' | 'cli';

/** The layers each layer may import from (its own included). */
const ALLOWED: Record<Layer, readonly Layer[]> = {
  core: ['core'],
  // The rules compiled to SQL: text from the compiled rules, as pure as the core.
  sql: ['sql', 'core'],
  io: ['io', 'core'],
  ui: ['ui', 'core'],
  pipeline: ['pipeline', 'sql', 'io', 'ui', 'core'],
  // Renderings of what the pipeline computed (tables, charts, HTML, records for export).
  report: ['report', 'pipeline', 'io', 'ui', 'core'],
  commands: ['commands', 'report', 'pipeline', 'sql', 'io', 'ui', 'core'],
  cli: ['cli', 'commands', 'report', 'pipeline', 'sql', 'io', 'ui', 'core'],
};

/** Packages the pure core may use: parsers and checkers over values, nothing that does I/O. */
const CORE_PACKAGES = new Set(['yaml', 'zod', 're2js']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

function layerOf(file: string): Layer {
  const first = relative(src, file).split(sep)[0]!;
  if (first === 'cli.ts') return 'cli';
  if (['core', 'sql', 'io', 'ui', 'pipeline', 'report', 'commands'].includes(first)) return first as Layer;
  throw new Error(`${file}: not in a known layer of src/; add its folder to test/layering.test.ts`);
}

/** Every module specifier of a file: static imports and re-exports, and dynamic import('...'). */
function importsOf(text: string): string[] {
  const out: string[] = [];
  // Comments aside, so that an example in a comment is not taken for an import.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
  for (const m of code.matchAll(/\b(?:import|export)\b[^'"`;]*?\bfrom\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

const files = sourceFiles(src).sort();

describe('layering of src/', () => {
  it('finds the source files and their imports', () => {
    // A guard against a scan that silently finds nothing (a moved src/, a broken regex).
    expect(files.length).toBeGreaterThan(40);
    expect(importsOf(readFileSync(join(src, 'cli.ts'), 'utf8')).length).toBeGreaterThan(3);
  });

  it('reads static, re-exported and dynamic imports, and skips comments', () => {
    const text = [
      "import { a } from './a.js';",
      "import type { B } from '../b.js';",
      "export { c } from './c.js';",
      "import 'side-effect';",
      "const d = await import('../d.js');",
      "// import { e } from '../io/e.js';",
      "/* import { f } from '../io/f.js'; */",
    ].join('\n');
    expect(importsOf(text)).toEqual(['./a.js', '../b.js', './c.js', 'side-effect', '../d.js']);
  });

  it.each(files.map((f) => [relative(src, f), f] as const))('%s imports only from the layers below it', (_name, file) => {
    const layer = layerOf(file);
    const bad: string[] = [];
    for (const spec of importsOf(readFileSync(file, 'utf8'))) {
      if (spec.startsWith('.')) {
        const target = resolve(dirname(file), spec);
        if (!target.startsWith(src)) {
          bad.push(`${spec} (outside src/)`);
          continue;
        }
        const to = layerOf(target.replace(/\.js$/, '.ts'));
        if (!ALLOWED[layer].includes(to)) bad.push(`${spec} (${layer} may not import ${to})`);
      } else if (layer === 'core') {
        // The core is pure: no node: built-ins (fs, process, streams), only value-level packages.
        if (spec.startsWith('node:') || !CORE_PACKAGES.has(spec.split('/')[0]!)) bad.push(`${spec} (the core is pure: allowed packages are ${[...CORE_PACKAGES].join(', ')})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the core does not reach for the process or the console', () => {
    const offenders = files
      .filter((f) => layerOf(f) === 'core')
      .filter((f) => /\b(process\.(env|exit|stdout|stderr|stdin|argv|cwd)|console\.)/.test(readFileSync(f, 'utf8').replace(/\/\/.*$/gm, '')))
      .map((f) => relative(src, f));
    expect(offenders).toEqual([]);
  });
});
