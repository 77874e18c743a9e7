// How a lead file is read, the same for every command that reads one (score, explain, assess,
// discover): the rules with the per-file overrides (--date-format, --decimal) merged in, the
// reference day, the CSV form options; and the note when a number column looks written with the
// other decimal mark.
import type { CompiledRules } from '../core/rules/compiled.js';
import type { DateFormat } from '../core/values.js';
import { numberFields, otherDecimalFits } from '../core/scoring/decimal-hint.js';
import { bindColumns } from '../core/scoring/bind-columns.js';
import { headerKey } from '../core/text-distance.js';
import { openCsv } from '../io/csv-reader.js';
import { loadRules } from '../io/rules-file.js';

export interface ReadingOverrides {
  dateFormat?: DateFormat | undefined;
  decimal?: '.' | ',' | undefined;
  /** The column that holds each lead's id (--id-column, qualify.yaml `id_column`): the rules'
   * `id` field reads this header and no alias, so every command that finds a lead by its id
   * (--lead, the queue, log, diff) looks there. */
  idColumn?: string | undefined;
}

export interface CsvFormOptions {
  encoding?: string | undefined;
  delimiter?: string | undefined;
  /** Largest record read (--max-record-size), in bytes. */
  maxRecordSize?: number | undefined;
}

/** The compiled rules with this file's reading settings; the rules stay plain data. */
export function withReadingOverrides(rules: CompiledRules, o: ReadingOverrides): CompiledRules {
  if (o.idColumn !== undefined) rules = withIdColumn(rules, o.idColumn);
  if (o.dateFormat === undefined && o.decimal === undefined) return rules;
  return {
    ...rules,
    settings: {
      ...rules.settings,
      ...(o.dateFormat !== undefined ? { dateFormat: o.dateFormat } : {}),
      ...(o.decimal !== undefined ? { decimal: o.decimal } : {}),
    },
  };
}

/** The rules with their `id` field bound to `column` only (added, optional, when the rules have
 * none: appended, so that the other fields keep their indices). */
function withIdColumn(rules: CompiledRules, column: string): CompiledRules {
  const i = rules.fields.findIndex((f) => f.name === 'id');
  const at = i >= 0 ? rules.fields[i]!.at : { line: 0, col: 0 };
  const field = { name: 'id', keys: [headerKey(column)], aliases: [column], optional: i >= 0 ? rules.fields[i]!.optional : true, at };
  return { ...rules, fields: i >= 0 ? rules.fields.map((f, j) => (j === i ? field : f)) : [...rules.fields, field] };
}

/** Loads and compiles the rules file (default: the shipped rules), then applies the overrides. */
export function loadReadingRules(path: string | undefined, o: ReadingOverrides): { rules: CompiledRules } {
  return { rules: withReadingOverrides(loadRules(path).rules, o) };
}

/** Rows looked at for the decimal-mark note: enough to see the convention, cheap to read. */
const SAMPLE_ROWS = 1000;

/**
 * Notes (without "note:") for number columns whose first rows fit the other decimal mark better
 * than the one in use. Reads the first rows of the file again, so not for stdin ('-'); anything the
 * real run would report (an unreadable file, a missing column) gives no note here.
 */
export async function decimalNotes(file: string, rules: CompiledRules, csv: CsvFormOptions): Promise<string[]> {
  const fields = [...numberFields(rules)];
  if (file === '-' || fields.length === 0) return [];
  try {
    const input = await openCsv(file, csv);
    const { columnOf } = bindColumns(rules, input.header, input.file);
    const columns = [...new Set(fields.map((f) => columnOf[f]!).filter((c) => c >= 0))].sort((a, b) => a - b);
    const values = columns.map(() => [] as string[]);
    let rows = 0;
    for await (const batch of input.batches()) {
      for (const row of batch) {
        columns.forEach((c, i) => values[i]!.push(row[c] ?? ''));
        if (++rows >= SAMPLE_ROWS) break;
      }
      if (rows >= SAMPLE_ROWS) break;
    }
    const notes: string[] = [];
    columns.forEach((c, i) => {
      const hint = otherDecimalFits(values[i]!, rules.settings.decimal);
      if (!hint) return;
      const read = hint.asRead === undefined ? 'cannot be read' : `reads as ${hint.asRead}`;
      notes.push(
        `${input.file}: column "${input.header[c]}" looks written with "${hint.other}" as the decimal mark: ${hint.example} ${read} with "${rules.settings.decimal}", ` +
          `and as ${hint.asOther} with "${hint.other}" (give --decimal ${hint.other} if so)`,
      );
    });
    return notes;
  } catch {
    return [];
  }
}
