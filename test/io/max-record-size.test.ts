// --max-record-size: the limit an oversized record is reported against (issue 10 item 10) is an
// option of every command that reads leads, read as a size with a unit.
import { describe, expect, it } from 'vitest';
import { byteSize, readingOptions } from '../../src/commands/shared.js';
import { formatByteSize } from '../../src/io/csv-reader.js';

describe('--max-record-size', () => {
  it.each([
    ['64MB', 64 << 20],
    ['64 mb', 64 << 20],
    ['64M', 64 << 20],
    ['512KB', 512 << 10],
    ['1GB', 1 << 30],
    ['1.5MB', 1.5 * (1 << 20)],
    ['2048', 2048],
  ])('%s is %i bytes', (value, bytes) => {
    expect(byteSize('--max-record-size', value)).toBe(bytes);
    expect(readingOptions({ maxRecordSize: value }).csv.maxRecordSize).toBe(bytes);
  });

  it.each(['', 'lots', '3x', '-1MB', '100', '2GB', '0'])('%j is a usage error naming the option', (value) => {
    expect(() => byteSize('--max-record-size', value)).toThrow(expect.objectContaining({ code: 'ARG_INVALID', message: expect.stringContaining('--max-record-size must be a size between 1KB and 1GB') }));
  });

  it.each([
    [16 << 20, '16 MB'],
    [256 << 10, '256 KB'],
    [100_000, '100000 bytes'],
  ])('a limit of %i bytes is written %s in messages', (n, text) => {
    expect(formatByteSize(n)).toBe(text);
  });
});
