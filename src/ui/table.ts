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
