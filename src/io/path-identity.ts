// Which files a run reads and writes, compared by identity (device and inode, after following
// links), never by spelling: `in.csv`, `./in.csv`, `../dir/in.csv`, a symlink or a hard link to
// it are all the same file. A run calls checkRunPaths once, before it writes anything, so a
// path that would overwrite one of its own inputs (or another of its outputs) is refused with
// ARG_INVALID (exit 2) and nothing is touched.
import { fstatSync, type Stats } from 'node:fs';
import { lstat, readlink, stat } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import { QualifyError } from '../core/errors.js';

export interface RunPath {
  /** As the user gave it; '-' (stdin/stdout) is not a path and is skipped. */
  path: string;
  /** How messages name it: "the input", "the rules file", "--rejects"... */
  what: string;
  /** The option that gave it, for the error's location (writes only). */
  option?: string;
}

export interface WritePath extends RunPath {
  /** The read this write is meant to replace (the file of --in-place): not a clash. */
  replaces?: RunPath;
  /** Said when this write is the first read (the input), e.g. "to update it, use --in-place". */
  hintIfInput?: string;
}

/**
 * The identity of a path: `dev:ino` of the file it names (following symlinks), or, for a file
 * that does not exist yet, the identity of its (resolved) directory plus its name. Undefined
 * when neither can be found (a missing directory: the write fails later with its own message).
 */
export async function pathIdentity(path: string): Promise<string | undefined> {
  try {
    const s = await stat(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    // does not exist (or cannot be reached): identify by directory and name
  }
  const real = await followLinks(path);
  try {
    const d = await stat(dirname(real));
    return `${d.dev}:${d.ino}/${basename(real)}`;
  } catch {
    return undefined;
  }
}

/** Follows a chain of symlinks to the path that would be written (a dangling link's target). */
async function followLinks(path: string): Promise<string> {
  let p = resolve(path);
  for (let hops = 0; hops < 40; hops++) {
    try {
      const s = await lstat(p);
      if (!s.isSymbolicLink()) return p;
      p = resolve(dirname(p), await readlink(p));
    } catch {
      return p;
    }
  }
  return p;
}

/** The identity of what stdout is connected to (a file when redirected), if it can be known. */
function stdoutIdentity(): string | undefined {
  try {
    const s = fstatSync(1);
    return s.isFile() ? `${s.dev}:${s.ino}` : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Refuses a run in which a write would replace one of its reads, or two writes are one file.
 * `reads[0]` is taken to be the input. Writes given as '-' stand for stdout: checked against
 * the reads when stdout is redirected to a file (`score in.csv >> in.csv`).
 */
export async function checkRunPaths(reads: readonly RunPath[], writes: readonly WritePath[]): Promise<void> {
  for (const w of writes) {
    if (w.path === '') {
      throw new QualifyError('ARG_INVALID', `${w.option ?? w.what} needs a file name (or - for stdout)`, { kind: 'arg', option: w.option ?? w.what });
    }
  }
  const readIds: (string | undefined)[] = await Promise.all(reads.map((r) => (r.path === '-' || r.path === '' ? undefined : pathIdentity(r.path))));
  const writeIds: (string | undefined)[] = await Promise.all(writes.map((w) => (w.path === '-' ? stdoutIdentity() : pathIdentity(w.path))));
  for (let i = 0; i < writes.length; i++) {
    const w = writes[i]!;
    const id = writeIds[i];
    if (id === undefined) continue;
    const name = w.path === '-' ? 'stdout' : `${w.what} ${w.path}`;
    const option = w.option ?? w.what;
    for (let j = 0; j < reads.length; j++) {
      const r = reads[j]!;
      if (readIds[j] !== id || r === w.replaces) continue;
      const same = w.path === r.path ? '' : ` (the same file${w.path === '-' ? '' : ' by another name'})`;
      throw new QualifyError('ARG_INVALID', `${name} is ${r.what} ${r.path}${same}; writing it would destroy what the run reads`, { kind: 'arg', option }, {
        ...(j === 0 && w.hintIfInput ? { hint: w.hintIfInput } : {}),
      });
    }
    for (let k = 0; k < i; k++) {
      if (writeIds[k] !== id) continue;
      const o = writes[k]!;
      throw new QualifyError('ARG_INVALID', `${name} is ${o.path === '-' ? 'stdout' : `${o.what} ${o.path}`}${w.path === o.path ? '' : ' (the same file by another name)'}; give each a file of its own`, {
        kind: 'arg',
        option,
      });
    }
  }
}

const KIND_NAMES: readonly [(s: Stats) => boolean, string][] = [
  [(s) => s.isDirectory(), 'a directory'],
  [(s) => s.isFIFO(), 'a FIFO (named pipe)'],
  [(s) => s.isSocket(), 'a socket'],
  [(s) => s.isCharacterDevice(), 'a character device'],
  [(s) => s.isBlockDevice(), 'a block device'],
];

/** What a file is, in words, for messages: "a FIFO (named pipe)", "a directory"... */
export function kindOf(s: Stats): string {
  return KIND_NAMES.find(([is]) => is(s))?.[1] ?? 'a regular file';
}


/** assess/discover: the CSV, questionnaire and rules it reads against --output and the draft
 * file it writes (`FILE.draft.json`); writing to the CSV itself is the default, not --output. */
export async function checkLeadCallPaths(csv: string, questionnaire: string, rules: string | undefined, output: string | undefined, draft: string): Promise<void> {
  await checkRunPaths(
    [{ path: csv, what: 'the CSV file' }, { path: questionnaire, what: 'the questionnaire' }, ...(rules !== undefined ? [{ path: rules, what: 'the rules file' }] : [])],
    [
      ...(output !== undefined ? [{ path: output, what: '--output', option: '--output', hintIfInput: 'leave out --output to write the outcome into the CSV file itself' }] : []),
      { path: draft, what: 'the draft file', option: 'FILE' },
    ],
  );
}
