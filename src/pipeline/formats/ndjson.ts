// NDJSON out: the objects of json.ts, one a line (jq, Miller, log shippers), no enclosing array.
import type { OutputFormat } from './format.js';
import { jsonObjectComposer, jsonScorePart, jsonScorePartBytes } from './json.js';

export const format: OutputFormat = {
  name: 'ndjson',
  inPlace: false,
  keepsInputEncoding: false,
  // As json.ts: rows are copied from the bytes read where that gives the same text.
  reading: () => ({ keepBytes: true }),
  prologue: () => '',
  scorePart: jsonScorePart,
  scorePartBytes: jsonScorePartBytes,
  rowComposer: (cfg) => jsonObjectComposer(cfg, '', '\n'),
  epilogue: (rows) => (rows > 0 ? '\n' : ''),
};
