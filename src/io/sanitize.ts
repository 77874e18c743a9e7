// Spreadsheet formula-injection neutralising for the cells qualify WRITES (scores, reasons,
// answers, copied vendor data), following OWASP's CSV Injection guidance: a cell that a
// spreadsheet would read as a formula gets a leading `'`. Pure; never applied to pass-through
// cells of an --in-place rewrite (escaping someone else's `-5` is data loss).
// The CSV writer must still quote cells containing a separator (`,` `;` TAB, whatever the file's
// delimiter), quotes or line breaks, which stops a payload from starting a new cell mid-value.

/** Leading characters a spreadsheet treats as the start of a formula (OWASP: = + - @ TAB CR LF;
 * csv-stringify adds the full-width ＝＋－＠ that Excel also accepts; ASVS adds NUL). */
const TRIGGER_CODES: readonly number[] = [0x3d, 0x2b, 0x2d, 0x40, 0x09, 0x0d, 0x0a, 0x00, 0xff1d, 0xff0b, 0xff0d, 0xff20];
// A table for ASCII rather than a Set: this check runs on every cell written.
const ASCII_TRIGGER = new Uint8Array(128);
for (const c of TRIGGER_CODES) if (c < 128) ASCII_TRIGGER[c] = 1;
const WIDE_TRIGGERS = new Set(TRIGGER_CODES.filter((c) => c >= 128));
const WIDE_MIN = Math.min(...WIDE_TRIGGERS);

/** 1 for each byte a trigger's UTF-8 encoding starts with (the ASCII ones, and 0xEF for the
 * full-width ones): a cell whose first byte is not one of them does not start like a formula,
 * read from bytes without making the string. */
export const FORMULA_LEAD_BYTES = new Uint8Array(256);
for (const c of TRIGGER_CODES) FORMULA_LEAD_BYTES[Buffer.from(String.fromCharCode(c))[0]!] = 1;

/** Whether a cell starts with a character neutralizeFormula looks at (most cells do not). */
export function startsLikeFormula(cell: string): boolean {
  return isTrigger(cell.charCodeAt(0)); // NaN for ''
}

/** Whether a UTF-16 code unit is one a formula starts with (NaN: no character, as for a blank
 * cell: false without a Set look-up). */
function isTrigger(c: number): boolean {
  return c < 128 ? ASCII_TRIGGER[c] === 1 : c >= WIDE_MIN && WIDE_TRIGGERS.has(c);
}

/**
 * A plain signed number: `-5`, `+3.5`, `-1,200.50`, `-1.200,50`, `+14155550123`, `-2.5E-3`.
 * These stay untouched: a number cannot call a function or reference a cell, spreadsheets read
 * it as the number it is, and a `'` would turn a score of -5 into the text "'-5" (sorting and
 * sums break, and reading it back changes the value). Anything with a letter or an operator in
 * it (`-1+1`, `=1`, `+cmd|' /C calc'!A0`) is neutralised; phone numbers are kept (see PHONE).
 */
const PLAIN_NUMBER = /^[+-](?=[.,]?\d)[\d.,]*(?:[eE][+-]?\d+)?$/;
/**
 * A phone number as people write it: `+44 20 7946 0958`, `+1 (415) 555-2671`. Only digits,
 * spaces, brackets, dots, dashes and slashes follow the sign, so there is no function name, cell
 * reference or DDE separator a spreadsheet could run; neutralising it would put a `'` into every
 * international number on its way into a CRM. Left untouched, like plain numbers.
 */
const PHONE = /^\+[\d\s().\/-]*\d[\d\s().\/-]*$/;

/** Prefixes `'` when `cell` would start a formula, except plain signed numbers (see above).
 * Idempotent: a neutralised cell starts with `'` and is never prefixed again. */
export function neutralizeFormula(cell: string): string {
  if (!startsLikeFormula(cell)) return cell;
  if (PLAIN_NUMBER.test(cell) || PHONE.test(cell)) return cell;
  return `'${cell}`;
}

/** The value a neutralised cell stands for: removes the `'` that neutralizeFormula added (only
 * when what follows would be a formula), so reading qualify's own output gives the value back. */
export function restoreFormula(cell: string): string {
  if (cell.length < 2 || cell.charCodeAt(0) !== 0x27) return cell;
  const rest = cell.slice(1);
  return neutralizeFormula(rest) === cell ? rest : cell;
}

/** Separators a spreadsheet may split a line on, whatever delimiter the file really has, and
 * line breaks: text after one of them can become a cell of its own. */
const SEGMENT_BREAK = new Uint8Array(128);
for (const c of [0x2c, 0x3b, 0x09, 0x0d, 0x0a]) SEGMENT_BREAK[c] = 1;

/**
 * neutralizeFormula for text qualify copies into its own columns (a person's stage, the reasons
 * quoting it, actions): also every segment that follows a `,`, `;`, TAB or line break. A program
 * that splits the line on another separator than the file's (Excel with a `;` locale opening a
 * `,` file) sees `x;=cmd|' /C calc'!A0` as two cells, the second a formula; here it becomes
 * `x;'=cmd|' /C calc'!A0`. Plain signed numbers and phone numbers after a separator are kept,
 * as at the start. Idempotent.
 */
export function neutralizeCopiedText(cell: string): string {
  const out = neutralizeFormula(cell);
  // Most cells (every reasons cell has "; ") have separators but none followed by a trigger.
  let i = 0;
  for (; i < out.length - 1; i++) {
    const c = out.charCodeAt(i);
    // The code unit after the separator, read in place: a slice per separator cost more than
    // the rest of the reasons cell (every `; ` of it).
    if (c < 128 && SEGMENT_BREAK[c] === 1 && isTrigger(out.charCodeAt(i + 1))) break;
  }
  if (i >= out.length - 1) return out;
  let result = out.slice(0, i);
  let start = i; // index of the separator that opens the current segment
  for (let j = i + 1; j <= out.length; j++) {
    const c = j < out.length ? out.charCodeAt(j) : 0x0a;
    if (c < 128 && SEGMENT_BREAK[c] === 1) {
      result += out[start]! + neutralizeFormula(out.slice(start + 1, j));
      start = j;
    }
  }
  return result;
}
