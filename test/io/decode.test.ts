import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import fc from 'fast-check';
import { QualifyError } from '../../src/core/errors.js';
import { createDecoder, createEncoder, createUtf8Validator, detectEncoding, encodeText, firstInvalidUtf8, type DetectedEncoding } from '../../src/io/decode.js';

const dir = mkdtempSync(join(tmpdir(), 'qualify-decode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bytes = (...parts: (string | number[])[]): Buffer =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const UTF8_BOM = [0xef, 0xbb, 0xbf];

function chunked(buf: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i += size) out.push(buf.subarray(i, i + size));
  return out;
}

async function decodeAll(buf: Buffer, enc: DetectedEncoding, chunkSize: number, file = 'leads.csv'): Promise<string> {
  let text = '';
  // Every chunk is checked, once at the end (also when the decoder fails part way): an expect()
  // per chunk was most of the time of the 1-byte-chunk cases, ~90,000 chunks each.
  const notText: unknown[] = [];
  await pipeline(Readable.from(chunked(buf, chunkSize)), createDecoder(enc, file), async (src: AsyncIterable<string>) => {
    try {
      for await (const s of src) {
        if (typeof s !== 'string') notText.push(s);
        text += s;
      }
    } finally {
      expect(notText, 'chunks that are not strings').toEqual([]);
    }
  });
  return text;
}

async function decodeError(buf: Buffer, enc: DetectedEncoding, chunkSize: number, file: string): Promise<QualifyError> {
  try {
    await decodeAll(buf, enc, chunkSize, file);
  } catch (e) {
    expect(e).toBeInstanceOf(QualifyError);
    return e as QualifyError;
  }
  throw new Error('expected a decoding error');
}

describe('detectEncoding', () => {
  const ok: [string, Buffer, string | undefined, DetectedEncoding][] = [
    ['plain ASCII → utf8', bytes('Email,Name\n'), undefined, { encoding: 'utf8', bom: false }],
    ['UTF-8 BOM (Excel "CSV UTF-8")', bytes(UTF8_BOM, 'Email\n'), undefined, { encoding: 'utf8', bom: true }],
    ['FF FE (Excel "Unicode text")', bytes([0xff, 0xfe, 0x45, 0]), undefined, { encoding: 'utf16le', bom: true }],
    ['FE FF', bytes([0xfe, 0xff, 0, 0x45]), undefined, { encoding: 'utf16be', bom: true }],
    ['empty file', Buffer.alloc(0), undefined, { encoding: 'utf8', bom: false }],
    ['a stray NUL in UTF-8 text', bytes('Email,Name\nab\0c,d\n'), undefined, { encoding: 'utf8', bom: false }],
    ['--encoding utf-8', bytes('x'), 'utf-8', { encoding: 'utf8', bom: false }],
    ['--encoding UTF8 with BOM', bytes(UTF8_BOM, 'x'), 'UTF8', { encoding: 'utf8', bom: true }],
    ['--encoding windows-1252', bytes([0x80]), 'windows-1252', { encoding: 'win1252', bom: false }],
    ['--encoding cp1252', bytes([0x80]), 'cp1252', { encoding: 'win1252', bom: false }],
    ['--encoding win1252', bytes([0x80]), 'win1252', { encoding: 'win1252', bom: false }],
    ['--encoding latin1', bytes([0xe9]), 'latin1', { encoding: 'latin1', bom: false }],
    ['--encoding iso-8859-1', bytes([0xe9]), 'ISO-8859-1', { encoding: 'latin1', bom: false }],
    ['--encoding utf-16le without BOM', bytes([0x45, 0, 0x6d, 0]), 'utf-16le', { encoding: 'utf16le', bom: false }],
    ['--encoding utf-16le with BOM', bytes([0xff, 0xfe, 0x45, 0]), 'utf-16le', { encoding: 'utf16le', bom: true }],
    ['--encoding utf16 follows a BE BOM', bytes([0xfe, 0xff, 0, 0x45]), 'utf16', { encoding: 'utf16be', bom: true }],
  ];
  it.each(ok)('%s', (_name, head, requested, expected) => {
    expect(detectEncoding(head, requested)).toEqual(expected);
  });

  const bad: [string, Buffer, string | undefined, string, RegExp][] = [
    ['unknown --encoding', bytes('x'), 'ebcdic', 'ARG_INVALID', /unknown encoding "ebcdic"; use one of utf8, utf16le, utf16be, win1252, latin1/],
    ['--encoding contradicting a UTF-8 BOM', bytes(UTF8_BOM, 'x'), 'win1252', 'ARG_INVALID', /UTF-8 byte-order mark/],
    ['--encoding utf8 on a UTF-16 file', bytes([0xff, 0xfe, 0x45, 0]), 'utf8', 'ARG_INVALID', /UTF-16LE byte-order mark/],
    ['UTF-16LE without BOM', Buffer.from('Email\tName\r\n', 'utf16le'), undefined, 'CSV_ENCODING', /leads\.csv looks like UTF-16 without a byte-order mark/],
    ['UTF-16BE without BOM', Buffer.from('Email\tName\r\n', 'utf16le').swap16(), undefined, 'CSV_ENCODING', /looks like UTF-16 without a byte-order mark/],
    ['NUL bytes only, as /dev/zero gives (not "UTF-16")', Buffer.alloc(4096), undefined, 'CSV_ENCODING', /^leads\.csv is not a text file: its first bytes are all NUL bytes/],
    ['binary data with NULs on both sides', Buffer.from(Array.from({ length: 4096 }, (_, i) => (i % 3 === 0 ? 0x41 : 0))), undefined, 'CSV_ENCODING', /is not a text file: a quarter or more of its first bytes are NUL bytes/],
    ['an .xlsx workbook', bytes([0x50, 0x4b, 0x03, 0x04, 0x14, 0]), undefined, 'CSV_ENCODING', /is an Excel workbook \(\.xlsx\)/],
  ];
  it.each(bad)('%s → %s', (_name, head, requested, code, message) => {
    let error: unknown;
    try {
      detectEncoding(head, requested, 'leads.csv');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QualifyError);
    expect((error as QualifyError).code).toBe(code);
    expect((error as QualifyError).message).toMatch(message);
  });

  it('suggests the byte order for BOM-less UTF-16', () => {
    const e = (() => {
      try {
        detectEncoding(Buffer.from('Email\tName\r\n', 'utf16le').swap16());
      } catch (err) {
        return err as QualifyError;
      }
    })();
    expect(e?.hint).toContain('--encoding utf16be');
  });
});

describe('createDecoder', () => {
  const win1252 = bytes('Name;Note\r\nM', [0xfc], 'ller;', [0x80], ' 5 ', [0x93], 'hi', [0x94], ' ', [0x96], ' ok\r\n');
  const cases: [string, Buffer, DetectedEncoding, string][] = [
    ['UTF-8 without BOM', bytes('Email,Name\njosé@x.io,Zoë 😀\n'), { encoding: 'utf8', bom: false }, 'Email,Name\njosé@x.io,Zoë 😀\n'],
    ['UTF-8 BOM is stripped', bytes(UTF8_BOM, '"Email",Name\n'), { encoding: 'utf8', bom: true }, '"Email",Name\n'],
    ['UTF-8 BOM before sep=;', bytes(UTF8_BOM, 'sep=;\nEmail;Name\n'), { encoding: 'utf8', bom: true }, 'sep=;\nEmail;Name\n'],
    ['a U+FEFF later in the file is data', bytes('a\n\ufeffb\n'), { encoding: 'utf8', bom: false }, 'a\n\ufeffb\n'],
    ['NUL bytes pass through', bytes('a\0b\n'), { encoding: 'utf8', bom: false }, 'a\0b\n'],
    [
      'UTF-16LE with BOM, tab, CRLF (Excel "Unicode text")',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('Email\tName\r\nzoë@x.io\tZoë 😀\r\n', 'utf16le')]),
      { encoding: 'utf16le', bom: true },
      'Email\tName\r\nzoë@x.io\tZoë 😀\r\n',
    ],
    [
      'UTF-16BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('Email\nzoë 😀\n', 'utf16le').swap16()]),
      { encoding: 'utf16be', bom: true },
      'Email\nzoë 😀\n',
    ],
    ['Windows-1252 keeps € “ ” – ü', win1252, { encoding: 'win1252', bom: false }, 'Name;Note\r\nMüller;€ 5 “hi” – ok\r\n'],
    ['Windows-1252 undefined byte 0x81 is kept as U+0081', bytes('a', [0x81], 'b'), { encoding: 'win1252', bom: false }, 'a\u0081b'],
    ['Latin-1 is ISO-8859-1 exactly', bytes('M', [0xfc], 'ller ', [0x80]), { encoding: 'latin1', bom: false }, 'Müller \u0080'],
    ['empty input', Buffer.alloc(0), { encoding: 'utf8', bom: false }, ''],
  ];
  for (const size of [1, 2, 3, 5, 65536]) {
    it.each(cases)(`%s (${size}-byte chunks)`, async (_name, input, enc, expected) => {
      expect(await decodeAll(input, enc, size)).toBe(expected);
    });
  }

  it('decodes any UTF-8 text split anywhere (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer({ min: 1, max: 9 }), async (text, size) => {
        expect(await decodeAll(Buffer.from(text, 'utf8'), { encoding: 'utf8', bom: false }, size)).toBe(text);
      }),
      { numRuns: 150 },
    );
  });

  const bigPrefix = 'Email,Name\n' + 'someone@example.com,Somebody\n'.repeat(3000); // > 64 KiB, 3001 lines
  const invalid: [string, Buffer, number, number | undefined][] = [
    ['a 1252 en dash in a UTF-8 read', bytes('Name\nA ', [0x96], ' B\n'), 8, 2],
    ['the only bad byte is after the first 64 KiB', bytes(bigPrefix, 'x', [0xe9], 'y\n'), Buffer.byteLength(bigPrefix) + 2, 3002],
    ['a truncated character at the end of the file', bytes('a\nb\nc', [0xe2, 0x82]), 6, 3],
    ['an overlong encoding of "/"', bytes('ab', [0xc0, 0xaf]), 3, 1],
    ['an encoded surrogate', bytes('ab', [0xed, 0xa0, 0x80]), 3, 1],
    ['lone-CR lines are counted', bytes('a\rb\rc', [0xff]), 6, 3],
    ['a bad byte right after the BOM', bytes(UTF8_BOM, [0xff]), 4, 1],
  ];
  for (const size of [1, 4, 65536]) {
    it.each(invalid)(`reports %s at its byte and line (${size}-byte chunks)`, async (name, input, byte, line) => {
      const file = join(dir, `${name.replace(/\W+/g, '-')}.csv`);
      writeFileSync(file, input);
      const e = await decodeError(input, { encoding: 'utf8', bom: input[0] === 0xef }, size, file);
      expect(e.code).toBe('CSV_ENCODING');
      expect(e.message).toBe(`${file} is not valid UTF-8 at byte ${byte} (line ${line})`);
      expect(e.at).toEqual({ kind: 'csv', file, line });
      expect(e.hint).toBe('if it was saved by Excel as "CSV (Comma delimited)", try --encoding win1252');
    });
  }

  it('reports the byte without a line when the input cannot be re-read (stdin)', async () => {
    const e = await decodeError(bytes('ab', [0xff]), { encoding: 'utf8', bom: false }, 1, '<stdin>');
    expect(e.message).toBe('<stdin> is not valid UTF-8 at byte 3');
  });

  it('rejects an unpaired surrogate in UTF-16', async () => {
    const input = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\n', 'utf16le'), Buffer.from([0x00, 0xd8]), Buffer.from('c', 'utf16le')]);
    const file = join(dir, 'u16.csv');
    writeFileSync(file, input);
    for (const size of [1, 3, 100]) {
      const e = await decodeError(input, { encoding: 'utf16le', bom: true }, size, file);
      expect(e.message).toBe(`${file} is not valid UTF-16LE at byte 9 (line 2)`);
    }
  });

  it('firstInvalidUtf8 agrees with the native fatal decoder (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 24 }), (b) => {
        let nativeOk = true;
        try {
          new TextDecoder('utf-8', { fatal: true }).decode(b);
        } catch {
          nativeOk = false;
        }
        expect(firstInvalidUtf8(b) === b.length).toBe(nativeOk);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Runs bytes through createUtf8Validator; its chunks must stay Buffers and each be valid alone. */
async function validateAll(buf: Buffer, chunkSize: number, file = 'leads.csv'): Promise<Buffer> {
  const out: Buffer[] = [];
  // Each chunk must be a Buffer of whole UTF-8 characters (it survives a decode and encode);
  // checked for every chunk, asserted once at the end, as in decodeAll.
  const bad: unknown[] = [];
  await pipeline(Readable.from(chunked(buf, chunkSize)), createUtf8Validator(file), async (src: AsyncIterable<Buffer>) => {
    try {
      for await (const b of src) {
        if (!Buffer.isBuffer(b) || !Buffer.from(b.toString('utf8'), 'utf8').equals(b)) bad.push(b);
        out.push(b);
      }
    } finally {
      expect(bad, 'chunks that are not Buffers of whole UTF-8 characters').toEqual([]);
    }
  });
  return Buffer.concat(out);
}

async function outcome(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
}

describe('createUtf8Validator (UTF-8 kept as bytes for the parser)', () => {
  const cases: [string, Buffer, string][] = [
    ['UTF-8 without BOM', bytes('Email,Name\njosé@x.io,Zoë 😀\n'), 'Email,Name\njosé@x.io,Zoë 😀\n'],
    ['the BOM is stripped', bytes(UTF8_BOM, '"Email",Name\n'), '"Email",Name\n'],
    ['only a BOM', bytes(UTF8_BOM), ''],
    ['a U+FEFF later in the file is data', bytes('a\n\ufeffb\n'), 'a\n\ufeffb\n'],
    ['NUL bytes pass through', bytes('a\0b\n'), 'a\0b\n'],
    ['one byte', bytes('a'), 'a'],
    ['empty input', Buffer.alloc(0), ''],
  ];
  for (const size of [1, 2, 3, 5, 65536]) {
    it.each(cases)(`%s (${size}-byte chunks)`, async (_name, input, expected) => {
      expect((await validateAll(input, size)).toString('utf8')).toBe(expected);
    });
  }

  it('agrees with the fatal decoder on any bytes split anywhere: same text, or the same error (property)', async () => {
    const file = join(dir, 'validator-property.csv');
    const anyBytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.string({ unit: 'grapheme', maxLength: 20 }).map((t) => new Uint8Array(Buffer.from(t, 'utf8'))),
      fc.tuple(fc.string({ unit: 'grapheme', maxLength: 10 }), fc.uint8Array({ maxLength: 3 })).map(([t, b]) => new Uint8Array(Buffer.concat([Buffer.from(UTF8_BOM), Buffer.from(t), b]))),
    );
    await fc.assert(
      fc.asyncProperty(anyBytes, fc.integer({ min: 1, max: 7 }), async (raw, size) => {
        const input = Buffer.from(raw);
        writeFileSync(file, input);
        let text = '';
        const viaDecoder = await outcome(async () => {
          text = await decodeAll(input, { encoding: 'utf8', bom: false }, size, file);
        });
        let out: Buffer = Buffer.alloc(0);
        const viaValidator = await outcome(async () => {
          out = await validateAll(input, size, file);
        });
        expect(viaValidator).toBe(viaDecoder);
        if (viaDecoder === 'ok') expect(out.equals(Buffer.from(text, 'utf8'))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  const bigPrefix = 'Email,Name\n' + 'someone@example.com,Somebody\n'.repeat(3000);
  it.each([
    ['a 1252 en dash', bytes('Name\nA ', [0x96], ' B\n'), 8, 2],
    ['after the first 64 KiB', bytes(bigPrefix, 'x', [0xe9], 'y\n'), Buffer.byteLength(bigPrefix) + 2, 3002],
    ['a truncated character at the end', bytes('a\nb\nc', [0xe2, 0x82]), 6, 3],
    ['a bad byte right after the BOM', bytes(UTF8_BOM, [0xff]), 4, 1],
    ['two bytes of a BOM and nothing else', bytes([0xef, 0xbb]), 1, 1],
  ])('reports %s at its byte and line', async (name, input, byte, line) => {
    const file = join(dir, `validator-${name.replace(/\W+/g, '-')}.csv`);
    writeFileSync(file, input);
    for (const size of [1, 4, 65536]) {
      expect(await outcome(() => validateAll(input, size, file))).toBe(`${file} is not valid UTF-8 at byte ${byte} (line ${line})`);
    }
  });
});

describe('encodeText', () => {
  const text = 'Name;Note\r\nMüller;€ 5 “hi” – ok\r\n';
  const roundTrips: [string, DetectedEncoding, number[]][] = [
    ['UTF-8 without BOM', { encoding: 'utf8', bom: false }, []],
    ['UTF-8 with BOM', { encoding: 'utf8', bom: true }, UTF8_BOM],
    ['UTF-16LE with BOM', { encoding: 'utf16le', bom: true }, [0xff, 0xfe]],
    ['UTF-16BE with BOM', { encoding: 'utf16be', bom: true }, [0xfe, 0xff]],
    ['UTF-16LE without BOM', { encoding: 'utf16le', bom: false }, []],
    ['Windows-1252', { encoding: 'win1252', bom: false }, []],
  ];
  it.each(roundTrips)('%s: starts with the BOM and decodes back to the same text', async (_name, enc, prefix) => {
    const out = encodeText(text, enc);
    expect([...out.subarray(0, prefix.length)]).toEqual(prefix);
    expect(await decodeAll(out, { ...enc, bom: prefix.length > 0 }, 3)).toBe(text);
  });

  it('writes Windows-1252 bytes byte-for-byte', () => {
    expect(encodeText('€“”–ü\u0081', { encoding: 'win1252', bom: false })).toEqual(Buffer.from([0x80, 0x93, 0x94, 0x96, 0xfc, 0x81]));
  });

  it('round-trips every Windows-1252 byte', async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const decoded = await decodeAll(all, { encoding: 'win1252', bom: false }, 7);
    expect(encodeText(decoded, { encoding: 'win1252', bom: false })).toEqual(all);
  });

  const unencodable: [string, string, DetectedEncoding, string][] = [
    ['≥ in Windows-1252', 'score ≥ 50', { encoding: 'win1252', bom: false }, 'cannot write "≥" (U+2265) in Windows-1252'],
    ['an emoji in Windows-1252', 'ok 😀', { encoding: 'win1252', bom: false }, 'cannot write "😀" (U+1F600) in Windows-1252'],
    ['€ in Latin-1', 'cost €5', { encoding: 'latin1', bom: false }, 'cannot write "€" (U+20AC) in ISO-8859-1 (Latin-1)'],
    ['a lone surrogate in UTF-8', 'a\ud800b', { encoding: 'utf8', bom: false }, 'cannot write "\ud800" (U+D800) in UTF-8'],
  ];
  it.each(unencodable)('refuses %s instead of writing ? or _', (_name, input, enc, message) => {
    expect(() => encodeText(input, enc)).toThrow(message);
  });
});

describe('createEncoder', () => {
  it('writes the BOM once and keeps a surrogate pair split across chunks', async () => {
    const parts: Buffer[] = [];
    const emoji = '😀';
    await pipeline(Readable.from(['a,', emoji[0]!, emoji[1]! + '\n', 'b\n']), createEncoder({ encoding: 'utf16le', bom: true }), async (src: AsyncIterable<Buffer>) => {
      for await (const b of src) parts.push(b);
    });
    expect(Buffer.concat(parts)).toEqual(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a,😀\nb\n', 'utf16le')]));
  });
});
