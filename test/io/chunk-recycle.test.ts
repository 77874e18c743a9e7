// Output chunks are filled again once written (ChunkBuilder.recycle, WriteOptions.release): the
// memory of a written chunk is reused instead of waiting outside V8's heap for a collection.
// Reuse must never touch a chunk before it is written: each chunk here is filled with its own
// pattern, and the file must hold every pattern whole, in order.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/io/atomic-write.js';
import { ChunkBuilder } from '../../src/io/chunk-builder.js';
import { writeToFile } from '../../src/io/output.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-chunk-recycle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Chunk i: `size` bytes of the letter for i (a..z, round). */
const pattern = (i: number, size: number) => String.fromCharCode(97 + (i % 26)).repeat(size);

describe('ChunkBuilder.recycle', () => {
  it('fills a chunk given back again, and only its own chunks of the usual size', () => {
    // Small on purpose: a chunk is its own memory whatever its size, never a slice of Node's pool
    // (64 KiB on Node 24, where this test first failed: it compared slices of one pool).
    const out = new ChunkBuilder(8192);
    out.text('first');
    const first = out.take();
    out.recycle(first);
    out.text('second');
    const second = out.take();
    expect(second.buffer).not.toBe(first.buffer); // the builder had already moved on to a fresh one
    out.text('third');
    const third = out.take();
    expect(third.buffer).toBe(first.buffer); // filled again
    expect(third.toString()).toBe('third');
    // Grown past the usual size for a long row, or a stranger's: left to the collector.
    out.text('x'.repeat(20_000));
    const grown = out.take();
    out.recycle(grown);
    out.recycle(Buffer.alloc(64));
    out.recycle(third.subarray(1));
    out.text('a');
    out.take();
    out.text('b');
    const after = out.take();
    expect([grown.buffer, third.buffer]).not.toContain(after.buffer);
  });
});

describe('chunks released by the file sink', () => {
  const run = async (size: number, chunks: number, write: (target: string, gen: AsyncGenerator<Buffer>, release: (c: Buffer) => void) => Promise<void>) => {
    const out = new ChunkBuilder(size);
    const buffers = new Set<ArrayBufferLike>();
    let released = 0;
    async function* produce(): AsyncGenerator<Buffer> {
      for (let i = 0; i < chunks; i++) {
        out.bytes(Buffer.from(pattern(i, size)));
        const chunk = out.take();
        buffers.add(chunk.buffer);
        yield chunk;
      }
    }
    const target = join(dir, `out-${size}-${chunks}-${Math.random().toString(36).slice(2)}.txt`);
    await write(target, produce(), (c) => {
      released++;
      out.recycle(c);
    });
    const expected = Array.from({ length: chunks }, (_, i) => pattern(i, size)).join('');
    expect(readFileSync(target, 'utf8')).toBe(expected);
    return { released, buffers: buffers.size };
  };

  it.each([
    // Written one by one: a handful of buffers serve them all.
    ['chunks of a block or more', 80 * 1024, 10],
    // Gathered into 64 KiB blocks: released once copied into a block, some reused.
    ['small chunks', 5000, 59],
  ])('writeFileAtomic, %s: every chunk whole, and their memory reused', async (_name, size, most) => {
    const { released, buffers } = await run(size, 60, (target, gen, release) => writeFileAtomic(target, gen, { release }));
    expect(released).toBe(60);
    expect(buffers).toBeLessThan(most);
  });

  it('writeToFile passes release on', async () => {
    const { released, buffers } = await run(80 * 1024, 40, (target, gen, release) => writeToFile(target, gen, { form: null, release }));
    expect(released).toBe(40);
    expect(buffers).toBeLessThan(10);
  });
});

describe('chunks released by stdout', () => {
  // stdout to a pipe read slowly. A chunk is filled again only from its write callback: on Linux
  // Node writes stdout pipes synchronously, so this mostly checks that every chunk arrives whole
  // and that chunks are reused; where stdout is asynchronous, an early reuse would corrupt the
  // output here. Runs the built dist/ in a child process.
  it('a slow reader gets every chunk whole, in order', async () => {
    const { spawn } = await import('node:child_process');
    const { fileURLToPath } = await import('node:url');
    const dist = fileURLToPath(new URL('../../dist/io/', import.meta.url));
    const size = 64 * 1024;
    const chunks = 80;
    const script = `
      const { ChunkBuilder } = await import(${JSON.stringify(dist + 'chunk-builder.js')});
      const { writeToStdout } = await import(${JSON.stringify(dist + 'output.js')});
      const out = new ChunkBuilder(${size});
      const buffers = new Set();
      async function* produce() {
        for (let i = 0; i < ${chunks}; i++) {
          out.bytes(Buffer.alloc(${size}, 97 + (i % 26)));
          const c = out.take();
          buffers.add(c.buffer);
          yield c;
        }
      }
      await writeToStdout(produce(), (c) => out.recycle(c));
      process.stderr.write(String(buffers.size));`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Listened for before reading: 'close' may come as soon as stdout ends.
    const closed = new Promise((r) => child.on('close', r));
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    const got: Buffer[] = [];
    // Slow: pause after each read, so the pipe stays full and writes stay queued.
    for await (const d of child.stdout) {
      got.push(d as Buffer);
      await new Promise((r) => setTimeout(r, 2));
    }
    await closed;
    const text = Buffer.concat(got).toString('latin1');
    expect(text.length).toBe(size * chunks);
    for (let i = 0; i < chunks; i++) expect(text.slice(i * size, (i + 1) * size)).toBe(pattern(i, size));
    expect(Number(err)).toBeLessThan(chunks);
  });
});
