// Every output format, by its --format name: one line each. A format is one module exporting
// `format: OutputFormat` (format.ts); it is loaded only when used, so that listing the names
// (`qualify score --help`) loads no parser or engine.
import type { OutputFormat } from './format.js';

const FORMATS = {
  csv: () => import('./csv.js'),
  json: () => import('./json.js'),
  ndjson: () => import('./ndjson.js'),
} as const satisfies Record<string, () => Promise<{ format: OutputFormat }>>;

export type OutputFormatName = keyof typeof FORMATS;
export const OUTPUT_FORMAT_NAMES = Object.keys(FORMATS) as OutputFormatName[];

export async function loadOutputFormat(name: OutputFormatName): Promise<OutputFormat> {
  return (await FORMATS[name]()).format;
}
