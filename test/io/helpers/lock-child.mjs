// Child process for lock tests: `node lock-child.mjs <file> <id> <count>` appends the line
// "<id> <i>" <count> times, each time as a locked read-modify-write through writeFileAtomic
// (compiled: dist/io/*.js). QUALIFY_FAULT=before-unlock kills it while it holds the lock.
import { existsSync, readFileSync } from 'node:fs';
import { identify, writeFileAtomic } from '../../../dist/io/atomic-write.js';
import { withFileLock } from '../../../dist/io/lock.js';

const [file, id, count] = process.argv.slice(2);
const staleMs = Number(process.env.LOCK_STALE_MS ?? 10000);
for (let i = 0; i < Number(count); i++) {
  await withFileLock(
    file,
    async (signal) => {
      const exists = existsSync(file);
      const expect = exists ? await identify(file) : undefined;
      const before = exists ? readFileSync(file, 'utf8') : '';
      // widen the race window: without the lock, the other writer would slip in here
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      await writeFileAtomic(file, `${before}${id} ${i}\n`, { expect, signal });
    },
    { waitMs: 30000, staleMs },
  );
}
process.stdout.write('done\n');
