// csv-parse's synchronous core, as the streaming reader drives it.
import { parse, type Options as ParseOptions } from 'csv-parse';

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

export function createCore(options: ParseOptions): ParserCore {
  const api = (parse(options) as unknown as { api?: ParserCore }).api;
  if (api === undefined || typeof api.parse !== 'function' || typeof api.info?.lines !== 'number') {
    throw new Error('csv-parse no longer exposes its parser core (parser.api); src/io/csv/parser-core.ts needs updating');
  }
  return api;
}
