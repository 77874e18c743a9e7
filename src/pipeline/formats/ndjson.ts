// NDJSON out: the objects of json.ts, one a line (jq, Miller, log shippers), no enclosing array.
import type { OutputFormat } from './format.js';
import { jsonObjectComposer, jsonScorePart } from './json.js';

export const format: OutputFormat = {
  name: 'ndjson',
  inPlace: false,
  keepsInputEncoding: false,
  reading: () => ({}),
  prologue: () => '',
  scorePart: jsonScorePart,
  rowComposer: (cfg) => jsonObjectComposer(cfg, '', '\n'),
  epilogue: (rows) => (rows > 0 ? '\n' : ''),
};
