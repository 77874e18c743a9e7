// Errors as data: one class, a closed set of codes with a prefix per domain, and the location
// kept as structured data (never pasted into the message). Formatting happens at the edge
// (src/ui/diagnostics.ts); the CLI maps QualifyError to exit 2 and anything else to exit 1.

export type ErrorCode =
  // rules and questionnaire files (YAML)
  | 'RULES_SYNTAX'
  | 'RULES_SCHEMA'
  | 'RULES_UNKNOWN_KEY'
  | 'RULES_UNKNOWN_OPERATOR'
  | 'RULES_BAD_OPERAND'
  | 'RULES_BAD_REGEX'
  | 'RULES_UNKNOWN_FIELD'
  | 'RULES_DUPLICATE_ID'
  | 'RULES_THRESHOLD_GAP'
  | 'RULES_THRESHOLD_OVERLAP'
  | 'RULES_EXAMPLE_FAILED'
  | 'QUESTIONNAIRE_SCHEMA'
  | 'PRESET_INVALID'
  // CSV input
  | 'CSV_MISSING_COLUMN'
  | 'CSV_BAD_RECORD'
  | 'CSV_ENCODING'
  | 'CSV_EMPTY'
  | 'CSV_CHANGED_ON_DISK'
  | 'CSV_LINE_ENDING'
  // files and locks
  | 'FILE_NOT_FOUND'
  | 'FILE_NOT_REGULAR'
  | 'FILE_TOO_LARGE'
  | 'FILE_WRITE'
  | 'FILE_LOCKED'
  // command line
  | 'ARG_INVALID'
  | 'LEAD_NOT_FOUND'
  | 'LEAD_AMBIGUOUS'
  | 'LEAD_WRONG_STAGE'
  // answers files (--answers): YAML or JSON syntax, then the answers themselves
  | 'ANSWERS_SYNTAX'
  | 'ANSWERS_INVALID'
  | 'NO_TTY'
  // project set-up (qualify init, qualify.yaml)
  | 'INIT_EXISTS'
  | 'CONFIG_INVALID'
  // rules compiled to SQL (qualify rules sql, score --engine duckdb)
  | 'SQL_UNSUPPORTED'
  | 'SQL_NO_ROW_ORDER';

/** Where a problem is. `line` and `col` are 1-based. */
export type Location =
  | { kind: 'yaml'; file: string; line: number; col: number; path: (string | number)[]; snippet?: string }
  | {
      kind: 'csv';
      file: string;
      record?: number;
      line?: number;
      column?: string;
      /** 1-based field of the record where the parser stopped, when it says. */
      field?: number;
      /** What the message is about, for the printer to name it before the message: data record
       * `record` ("record 3 (line 4) has ...") or the header ("the header (line 1) has ..."). */
      about?: 'record' | 'header';
    }
  | { kind: 'arg'; option: string }
  | { kind: 'file'; file: string };

export class QualifyError extends Error {
  override name = 'QualifyError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly at?: Location,
    options?: ErrorOptions & { hint?: string },
  ) {
    super(message, options);
    this.hint = options?.hint;
  }
  readonly hint: string | undefined;
}

/** Several problems found in one pass (a rules file reports every mistake, not just the first). */
export class QualifyErrors extends Error {
  override name = 'QualifyErrors';
  constructor(readonly errors: QualifyError[]) {
    super(errors.map((e) => e.message).join('\n'));
  }
}

export function isQualifyError(e: unknown): e is QualifyError {
  return e instanceof Error && e.name === 'QualifyError';
}
