// The rejects file of `--skip-invalid`: every row the reader set aside, in file order, as a CSV
// with the columns line, record, reason, raw; `raw` is the row's text exactly as it was in the
// input (without its line ending), so it can be fixed and pasted back. Written in the input's
// encoding, delimiter and line ending, atomically (temp file, then rename), and always, with
// only its header when nothing was set aside, so it never describes an earlier run.
import { basename, dirname, extname, join } from 'node:path';
import { QualifyError } from '../core/errors.js';
import type { CsvFormInfo, RejectedRow } from './csv-reader.js';
import { createCsvRowWriter } from './record-writer.js';
import { writeToFile } from './output.js';
import { neutralizeFormula } from './sanitize.js';

export const REJECTS_HEADER = ['line', 'record', 'reason', 'raw'] as const;

/**
 * Where the rejects go when --rejects is not given: `<input name>.rejects.csv` (the input's
 * extension replaced) in the output file's folder, or the input's folder when writing to stdout
 * or in place. Reading stdin, the output file's name is used instead; stdin to stdout has no
 * name to go by, so it needs --rejects (ARG_INVALID).
 */
export function defaultRejectsPath(input: string, output: string | null): string {
  const toFile = output !== null && output !== '-';
  if (input === '-') {
    if (!toFile) {
      throw new QualifyError('ARG_INVALID', '--skip-invalid reading stdin and writing stdout needs --rejects FILE to say where the rejected rows go', {
        kind: 'arg',
        option: '--rejects',
      });
    }
    return join(dirname(output), `${stem(output)}.rejects.csv`);
  }
  return join(toFile ? dirname(output) : dirname(input), `${stem(input)}.rejects.csv`);
}

function stem(path: string): string {
  const name = basename(path);
  const ext = extname(name);
  return ext.length > 0 && ext.length < name.length ? name.slice(0, -ext.length) : name;
}

/** The rejects file's text. With `sanitize`, cells a spreadsheet would run as formulas get a
 * leading `'` (as in qualify's other output; restoreFormula undoes it). */
export function rejectsText(rows: readonly RejectedRow[], style: { delimiter: string; recordDelimiter: string }, sanitize: boolean): string {
  const write = createCsvRowWriter(style);
  const cell = sanitize ? neutralizeFormula : (s: string) => s;
  let out = write(REJECTS_HEADER);
  for (const r of rows) out += write([String(r.line), String(r.record), cell(r.reason), cell(r.raw)]);
  return out;
}

/** Writes the rejects file atomically in the input's form (encoding with its BOM, delimiter,
 * line ending). */
export async function writeRejects(path: string, rows: readonly RejectedRow[], form: CsvFormInfo, sanitize: boolean): Promise<void> {
  const text = rejectsText(rows, form, sanitize);
  async function* chunks(): AsyncGenerator<string> {
    yield text;
  }
  await writeToFile(path, chunks(), { form });
}
