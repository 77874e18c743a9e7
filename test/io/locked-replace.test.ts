// Issue 12 item 3: one locked replace (lock, read, check unchanged, write temp, fsync, abort if
// the lock is lost, rename) for every command that updates a file in place. Here the lock is
// lost at each step in turn (its directory removed, as a stale-lock sweep by another process
// would; the test then waits for the lock's own abort event, no sleeps): the file must keep its
// bytes, no temp file may be left, and the run must fail with FILE_LOCKED. Both users: score
// --in-place (a stream of chunks) and the assess/discover write-back (one buffer).
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { replaceLocked, type ReplaceStep } from '../../src/io/locked-replace.js';
import { loadReadingRules } from '../../src/pipeline/reading-options.js';
import { scoreFile } from '../../src/pipeline/score-file.js';
import { AS_OF } from '../helpers/rules.js';
import { rejection } from './helpers/rejection.js';

const root = mkdtempSync(join(tmpdir(), 'qualify-locked-replace-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const freshDir = (): string => {
  const d = join(root, `case-${++n}`);
  mkdirSync(d);
  return d;
};
const { rules } = loadReadingRules(undefined, {});
const LEADS = 'Email,Job Title,Employees\nann@acme.com,VP Sales,250\nbob@acme.com,Intern,12\n';
// proper-lockfile refreshes the lock every staleMs / 2 and notices it is gone then.
const FAST_LOCK = { staleMs: 2000 };
const STEPS: readonly ReplaceStep[] = ['locked', 'writing', 'written', 'synced', 'checked'];

/** A step hook that takes the lock away at `at` and waits until the holder has noticed. */
function loseLockAt(file: string, at: ReplaceStep, seen: ReplaceStep[]) {
  return async (step: ReplaceStep, lock: AbortSignal): Promise<void> => {
    seen.push(step);
    if (step !== at) return;
    rmdirSync(`${file}.lock`);
    if (!lock.aborted) await new Promise((resolve) => lock.addEventListener('abort', resolve, { once: true }));
  };
}

function expectUntouched(dir: string, file: string, before: string): void {
  expect(readFileSync(file, 'utf8')).toBe(before);
  expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
}

describe('score --in-place: a lock lost at any step writes nothing', () => {
  it.each(STEPS)('lost at %s: FILE_LOCKED, the file keeps its bytes, no temp file', async (at) => {
    const dir = freshDir();
    const file = join(dir, 'leads.csv');
    writeFileSync(file, LEADS);
    const seen: ReplaceStep[] = [];
    const e = await rejection(
      scoreFile({ input: file, rules, asOfDay: AS_OF, format: 'csv', output: null, inPlace: true, sanitize: true, lock: FAST_LOCK, onReplaceStep: loseLockAt(file, at, seen) }),
    );
    expect(e.code).toBe('FILE_LOCKED');
    expect(e.message).toMatch(/lost the lock on .*leads\.csv .*nothing was written$/);
    // Stopped at the step where the lock was lost: no later step ran.
    expect(seen).toEqual(STEPS.slice(0, STEPS.indexOf(at) + 1));
    expectUntouched(dir, file, LEADS);
  });

  it('with the lock kept, every step runs in order and the file is replaced', async () => {
    const dir = freshDir();
    const file = join(dir, 'leads.csv');
    writeFileSync(file, LEADS);
    const seen: ReplaceStep[] = [];
    await scoreFile({ input: file, rules, asOfDay: AS_OF, format: 'csv', output: null, inPlace: true, sanitize: true, lock: FAST_LOCK, onReplaceStep: (s) => void seen.push(s) });
    expect(seen).toEqual(STEPS);
    expect(readFileSync(file, 'utf8')).toMatch(/^Email,Job Title,Employees,fit,engagement,score,tier,/);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});

describe('write-back (assess/discover): a lock lost at any step writes nothing', () => {
  it.each(STEPS)('lost at %s: FILE_LOCKED, the file keeps its bytes, no temp file', async (at) => {
    const dir = freshDir();
    const file = join(dir, 'leads.csv');
    writeFileSync(file, LEADS);
    const seen: ReplaceStep[] = [];
    const e = await rejection(
      replaceLocked(
        file,
        async ({ write, before }) => {
          expect(before).not.toBeNull();
          await write(Buffer.from(readFileSync(file, 'utf8') + 'cy@acme.com,CEO,40\n'));
        },
        { ...FAST_LOCK, onStep: loseLockAt(file, at, seen) },
      ),
    );
    expect(e.code).toBe('FILE_LOCKED');
    expect(seen).toEqual(STEPS.slice(0, STEPS.indexOf(at) + 1));
    expectUntouched(dir, file, LEADS);
  });

  it('a file changed on disk after it was read is not replaced (CSV_CHANGED_ON_DISK)', async () => {
    const dir = freshDir();
    const file = join(dir, 'leads.csv');
    writeFileSync(file, LEADS);
    const e = await rejection(
      replaceLocked(file, async ({ write }) => {
        const read = readFileSync(file, 'utf8');
        writeFileSync(file, LEADS + 'saved,in,Excel\n'); // someone saves it meanwhile
        await write(Buffer.from(read + 'cy@acme.com,CEO,40\n'));
      }),
    );
    expect(e.code).toBe('CSV_CHANGED_ON_DISK');
    expectUntouched(dir, file, LEADS + 'saved,in,Excel\n');
  });

  it('a target only written (assess --output) may not exist yet', async () => {
    const dir = freshDir();
    const file = join(dir, 'new.csv');
    const result = await replaceLocked(
      file,
      async ({ write, before }) => {
        expect(before).toBeNull();
        await write(Buffer.from(LEADS));
        return 'ok';
      },
      { readsTarget: false },
    );
    expect(result).toBe('ok');
    expect(readFileSync(file, 'utf8')).toBe(LEADS);
  });
});
