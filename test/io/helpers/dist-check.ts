// Child-process tests run the compiled dist/io/*.js (plain `node`, no TypeScript loader).
// This refuses to run them against a missing or stale build, which would test old code.
import { statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../', import.meta.url));

export function assertFreshBuild(modules: string[]): void {
  for (const m of modules) {
    const src = statSync(`${root}src/io/${m}.ts`);
    let dist;
    try {
      dist = statSync(`${root}dist/io/${m}.js`);
    } catch {
      throw new Error(`dist/io/${m}.js is missing: run \`npx tsc -p tsconfig.build.json\` first (npm test does)`);
    }
    if (dist.mtimeMs < src.mtimeMs) {
      throw new Error(`dist/io/${m}.js is older than src/io/${m}.ts: run \`npx tsc -p tsconfig.build.json\` first (npm test does)`);
    }
  }
}

export const helpersDir = fileURLToPath(new URL('.', import.meta.url));
