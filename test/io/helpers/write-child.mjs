// Child process for crash tests: replaces argv[2] with the bytes of argv[3] through
// writeFileAtomic (compiled: dist/io/atomic-write.js), streamed in 64 KiB chunks so that a kill
// can land mid-write. QUALIFY_FAULT (after-tmp-write | after-fsync | after-rename) kills it.
import { readFileSync } from 'node:fs';
import { setImmediate as tick } from 'node:timers/promises';
import { identify, writeFileAtomic } from '../../../dist/io/atomic-write.js';

const [target, source] = process.argv.slice(2);
const data = readFileSync(source);
async function* chunks() {
  for (let i = 0; i < data.length; i += 65536) {
    yield data.subarray(i, i + 65536);
    await tick();
  }
}
const expect = await identify(target);
await writeFileAtomic(target, chunks(), { expect });
process.stdout.write('done\n');
