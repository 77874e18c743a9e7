// csv-parse's synchronous core, as the streaming reader drives it, behind the byte-level scanner
// (./fast-core.ts) for the forms that scanner handles.
import { parse, type Options as ParseOptions } from 'csv-parse';
import { FastCore, type FastCoreOptions } from './fast-core.js';

/**
 * csv-parse's synchronous core, which its own stream class drives (`parser.api`): `parse(buf,
 * end, push, close)` returns an error instead of emitting it. Driving it directly lets the reader
 * read `info.lines` as each record is pushed (the start line of a bad record, with no object per
 * record), hand out whole chunks of records without one promise per record, and restart after a
 * bad row. Not in csv-parse's typings; checked at creation and covered by the csv-spectrum tests.
 */
export interface ParserCore {
  parse(buf: Buffer | undefined, end: boolean, push: (record: string[]) => void, close: () => void): Error | undefined;
  info: { lines: number; bytes: number; empty_lines: number };
}

/** csv-parse's own core, whatever the options. */
export function createCsvParseCore(options: ParseOptions): ParserCore {
  const api = (parse(options) as unknown as { api?: ParserCore }).api;
  if (api === undefined || typeof api.parse !== 'function' || typeof api.info?.lines !== 'number' || typeof (api as { state?: { bufBytesStart?: unknown } }).state?.bufBytesStart !== 'number') {
    throw new Error('csv-parse no longer exposes its parser core (parser.api); src/io/csv/parser-core.ts needs updating');
  }
  return api;
}

const HANDLED = new Set(['delimiter', 'record_delimiter', 'bom', 'relax_column_count', 'skip_empty_lines', 'max_record_size']);

/** The scanner's options for csv-parse options it gives the same records for, else undefined:
 * a one-byte delimiter other than a quote or a line break, CRLF-or-LF or CR record ends, no BOM
 * to strip, and no other option. */
export function fastOptionsFor(options: ParseOptions): FastCoreOptions | undefined {
  if (Object.keys(options).some((k) => !HANDLED.has(k) && (options as Record<string, unknown>)[k] !== undefined)) return undefined;
  const d = options.delimiter;
  if (typeof d !== 'string' || d.length !== 1) return undefined;
  const code = d.charCodeAt(0);
  if (code >= 0x80 || code === 0x22 || code === 0x0a || code === 0x0d) return undefined;
  const rd = options.record_delimiter;
  const crOnly = Array.isArray(rd) && rd.length === 1 && rd[0] === '\r';
  if (!crOnly && !(Array.isArray(rd) && rd.length === 2 && rd[0] === '\r\n' && rd[1] === '\n')) return undefined;
  if (options.bom === true) return undefined;
  const max = Number(options.max_record_size ?? 0);
  if (!Number.isInteger(max) || max < 0) return undefined;
  return { delimiter: code, crOnly, skipEmptyLines: options.skip_empty_lines === true, relaxColumnCount: options.relax_column_count === true, maxRecordSize: max };
}

/** The reader's parser core: the scanner where it applies (QUALIFY_CSV_CORE=csv-parse turns it
 * off, for the bench and for comparing), csv-parse's core otherwise. */
export function createCore(options: ParseOptions): ParserCore {
  const csvParse = createCsvParseCore(options);
  const fast = process.env.QUALIFY_CSV_CORE === 'csv-parse' ? undefined : fastOptionsFor(options);
  return fast === undefined ? csvParse : new FastCore(fast, () => createCsvParseCore(options));
}
