// The write-back: one record rewritten, every other record byte for byte as it was.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QualifyError } from '../../src/core/errors.js';
import { openCsv } from '../../src/io/csv-reader.js';
import { readCsvDocument, updateRecord } from '../../src/io/csv-row-update.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-rowupdate-'));
let n = 0;
async function doc(content: Buffer | string, opts: { encoding?: string } = {}) {
  const file = join(dir, `t${n++}.csv`);
  writeFileSync(file, content);
  return readCsvDocument(file, opts);
}

describe('updateRecord', () => {
  const CSV = 'id,name,notes\r\n1,"Ada",  spaced  \r\n\r\n2,Grace,"multi\r\nline, ""quoted"""\r\n3,Linus,x';

  it('rewrites one row and keeps the others byte-identical', async () => {
    const d = await doc(CSV);
    const { bytes, added } = updateRecord(d, 2, { name: 'Grace H.', stage: 'SAL', na_notes: 'said "yes", later' });
    expect(added).toEqual(['stage', 'na_notes']);
    expect(bytes.toString('utf8')).toBe(
      'id,name,notes,stage,na_notes\r\n1,"Ada",  spaced  ,,\r\n\r\n2,Grace H.,"multi\r\nline, ""quoted""",SAL,"said ""yes"", later"\r\n3,Linus,x,,',
    );
  });

  it('changes nothing else when the columns exist already', async () => {
    const d = await doc('id,stage\n1,MQL\n2,MQL\n');
    const { bytes, added } = updateRecord(d, 1, { stage: 'SAL' });
    expect(added).toEqual([]);
    expect(bytes.toString()).toBe('id,stage\n1,SAL\n2,MQL\n');
  });

  it('keeps the BOM, the sep= line, the delimiter and a missing final newline', async () => {
    const d = await doc('\uFEFFsep=;\r\nid;name\r\n1;Ada\r\n2;Grace');
    const { bytes } = updateRecord(d, 2, { name: 'G;H' });
    expect(bytes.toString('utf8')).toBe('\uFEFFsep=;\r\nid;name\r\n1;Ada\r\n2;"G;H"');
  });

  it('writes a Windows-1252 file back in Windows-1252', async () => {
    const d = await doc(Buffer.from('id,name\n1,Jos\xe9\n2,Ren\xe9e\n', 'latin1'), { encoding: 'win1252' });
    const { bytes } = updateRecord(d, 2, { na_notes: 'caf\u00e9 \u20ac' });
    expect(bytes).toEqual(Buffer.from('id,name,na_notes\n1,Jos\xe9,\n2,Ren\xe9e,caf\xe9 \x80\n', 'latin1'));
  });

  it('property: untouched records keep their bytes, whatever their content', async () => {
    const cellArb = fc.string({ unit: fc.constantFrom('a', 'é', ',', '"', '\n', '\r\n', ' ', '1'), maxLength: 6 });
    const quote = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cellArb, cellArb), { minLength: 2, maxLength: 6 }), fc.nat(), fc.boolean(), async (rows, pick, newColumn) => {
        // Rows whose every cell is empty would be blank lines, which a CSV reader skips.
        const lines = rows.map(([a, b]) => `${quote(a) || '""'},${quote(b)}`);
        const text = 'a,b\r\n' + lines.join('\r\n') + '\r\n';
        const d = await doc(text);
        const r = (pick % rows.length) + 1;
        const out = updateRecord(d, r, newColumn ? { c: 'x' } : { b: 'x' }).bytes.toString('utf8');
        // Everything before and after the changed record, rebuilt from the source lines (a
        // quoted cell may hold line breaks, so the output is not split on them).
        const before = ['a,b' + (newColumn ? ',c' : ''), ...lines.slice(0, r - 1).map((l) => l + (newColumn ? ',' : ''))].join('\r\n') + '\r\n';
        const after = lines.slice(r).map((l) => l + (newColumn ? ',' : '') + '\r\n').join('');
        expect(out.startsWith(before)).toBe(true);
        expect(out.endsWith(after)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('readCsvDocument refuses what the streaming reader refuses', () => {
  it.each([
    ['a quoted line break in a row with too many fields', 'id,name\n1,"a\nb",x\n2,y\n'],
    ['a quote never closed', 'id,name\n1,a\n\n2,"b\n3,c\n'],
    ['a misplaced quote after a quoted CRLF', 'id,name\r\n1,"a\r\nb"x\r\n2,y\r\n'],
    ['a ragged row after an Excel sep= line', 'sep=,\nid,name\n1,a,b\n'],
    ['a bad header', 'id,"name\n'],
  ])('%s: the same code, message, record and start line as score (one core)', async (_name, text) => {
    const file = join(mkdtempSync(join(tmpdir(), 'qualify-doc-err-')), 'leads.csv');
    writeFileSync(file, text);
    const streamed = await (async () => {
      const input = await openCsv(file);
      for await (const _batch of input.batches());
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(streamed).toMatchObject({ code: expect.stringMatching(/^CSV_/) });
    const read = await readCsvDocument(file).then(
      () => undefined,
      (e: unknown) => e,
    );
    const shape = (e: unknown) => ({ code: (e as QualifyError).code, message: (e as QualifyError).message, at: (e as QualifyError).at });
    expect(shape(read)).toEqual(shape(streamed));
  });

  it('CR CR LF line endings: CSV_LINE_ENDING with the line, never a cell with a stray CR or LF (issue 10 item 11)', async () => {
    await expect(doc('id,name\r\n1,Ada\r\r\n2,Grace\r\r\n')).rejects.toMatchObject({ code: 'CSV_LINE_ENDING', at: { kind: 'csv', line: 2 }, message: expect.stringMatching(/^line 2 ends in CR CR LF/) });
  });
});

describe('a one-column file: blank lines are records, as score reads them (issue 10 item 14)', () => {
  it('numbers the empty record and rewrites it, or another, keeping every other line', async () => {
    const d = await doc('\r\nEmail\r\na@b.com\r\n\r\nc@d.com\r\n\r\n');
    expect(d.rows).toEqual([['a@b.com'], [''], ['c@d.com'], ['']]);
    expect(updateRecord(d, 2, { Email: 'x@y.io' }).bytes.toString()).toBe('\r\nEmail\r\na@b.com\r\nx@y.io\r\nc@d.com\r\n\r\n');
    expect(updateRecord(d, 3, { stage: 'SAL' }).bytes.toString()).toBe('\r\nEmail,stage\r\na@b.com,\r\n,\r\nc@d.com,SAL\r\n,\r\n');
  });
});

describe('records are cut as the streaming reader cuts them (one line-ending module)', () => {
  it('a bare CR starting a row of an LF file is text, not a blank line to keep before the rewritten row', async () => {
    const d = await doc('id,name\n\rx,y\n2,z\n');
    expect(d.rows).toEqual([['\rx', 'y'], ['2', 'z']]);
    // Cut with a regex, the CR was taken for a blank line and written twice: '\r"\rx",Y'.
    expect(updateRecord(d, 1, { name: 'Y' }).bytes.toString()).toBe('id,name\n"\rx",Y\n2,z\n');
  });

  it('blank lines before a rewritten row stay, in any line ending', async () => {
    const d = await doc('id;name\r\n\r\n\n1;a\r\n');
    expect(updateRecord(d, 1, { name: 'b' }).bytes.toString()).toBe('id;name\r\n\r\n\n1;b\r\n');
  });
});
