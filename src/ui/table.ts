// One table style for everything qualify shows people: light borders, no rule between rows,
// numbers right-aligned by the caller's colAligns.
import Table from 'cli-table3';

type TableOptions = ConstructorParameters<typeof Table>[0];

export function createTable(opts: TableOptions): InstanceType<typeof Table> {
  return new Table({
    style: { head: [], border: [], 'padding-left': 1, 'padding-right': 1 },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
    ...opts,
  });
}

/** The width tables are laid out to: the terminal's (stderr), else $COLUMNS, else 120. */
export function terminalColumns(): number {
  if (process.stderr.isTTY && process.stderr.columns > 0) return process.stderr.columns;
  const env = Number(process.env['COLUMNS']);
  return Number.isInteger(env) && env > 0 ? env : 120;
}

/** A cell that wraps anywhere, never cut: for values and ids, where every character is evidence
 * (cli-table3 cuts a word longer than its column with "…" when it wraps on word boundaries). */
export function wrapAnywhere(content: string): { content: string; wrapOnWordBoundary: false } {
  return { content, wrapOnWordBoundary: false };
}
