import { describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { QualifyError } from '../../src/core/errors.js';
import { parseDelimiterOption, recordDelimitersFor, sniffForm, type SniffedForm } from '../../src/io/sniff.js';

describe('sniffForm', () => {
  const cases: [string, string, { delimiter?: string }, Partial<SniffedForm>][] = [
    ['comma, LF', 'Email,Name,Company\na@x.io,A,B\n', {}, { delimiter: ',', recordDelimiter: '\n', lineEndings: ['\n'], sepLine: null }],
    ['comma, CRLF', 'Email,Name\r\na@x.io,A\r\n', {}, { delimiter: ',', recordDelimiter: '\r\n', lineEndings: ['\r\n'] }],
    ['lone CR (old Mac Excel)', 'Email,Name\ra@x.io,A\r', {}, { delimiter: ',', recordDelimiter: '\r', lineEndings: ['\r'] }],
    ['semicolon with decimal commas in data', 'Name;Revenue;Employees\nAcme;1,5;3\n', {}, { delimiter: ';', recordDelimiter: '\n' }],
    ['tab (Excel "Unicode text")', 'Email\tName\tCompany\r\nzoë@x.io\tZoë\tAcme, Inc\r\n', {}, { delimiter: '\t', recordDelimiter: '\r\n' }],
    ['pipe', 'email|name\na|b\n', {}, { delimiter: '|' }],
    ['delimiters inside quoted header names are ignored', '"Smith; J",email\n"x;y",a@x\n', {}, { delimiter: ',' }],
    ['quoted header with commas in a semicolon file', '"Revenue (EUR, k)";"Name, full";Email\n1;2;3\n', {}, { delimiter: ';' }],
    ['only the header line counts', 'email;name\n"a,b,c,d,e",x\n', {}, { delimiter: ';' }],
    ['one column', 'Email\na@x.io\n', {}, { delimiter: ',', recordDelimiter: '\n' }],
    ['tie settled by the next line', 'Company, Inc|Email\nAcme, Inc|a@x.io\n', {}, { delimiter: '|' }],
    ['tie settled by the next line (comma wins)', 'a;b,c\n1,2\n', {}, { delimiter: ',' }],
    ['tie without a next line prefers ; over ,', 'a;b,c', {}, { delimiter: ';', recordDelimiter: '\r\n', lineEndings: [] }],
    ['LF inside a quoted header, CRLF records (Excel)', '"Full\nName",Email\r\nA,a@x\r\n', {}, { delimiter: ',', recordDelimiter: '\r\n', lineEndings: ['\r\n'] }],
    ['sep=; line', 'sep=;\nEmail;Name\na;b\n', {}, { delimiter: ';', sepLine: 'sep=;', recordDelimiter: '\n' }],
    ['sep=, line with CRLF', 'sep=,\r\nEmail;Name\r\n', {}, { delimiter: ',', sepLine: 'sep=,', recordDelimiter: '\r\n' }],
    ['SEP=| upper case', 'SEP=|\nEmail|Name\n', {}, { delimiter: '|', sepLine: 'SEP=|' }],
    ['sep=; after a BOM the decoder left in', '\ufeffsep=;\nEmail;Name\n', {}, { delimiter: ';', sepLine: 'sep=;' }],
    ['sep= line is not a header named sep=', 'sep=\t\nEmail\tName\n', {}, { delimiter: '\t', sepLine: 'sep=\t' }],
    ['"sep=x" as a real header is not a sep line', 'sep=x,y\n1,2\n', {}, { delimiter: ',', sepLine: null }],
    ['--delimiter wins over detection', 'a,b;c;d\n', { delimiter: 'comma' }, { delimiter: ',' }],
    ['--delimiter wins over sep=, which is kept', 'sep=;\na,b\n', { delimiter: ',' }, { delimiter: ',', sepLine: 'sep=;' }],
    ['--delimiter tab', 'a\tb\n', { delimiter: 'tab' }, { delimiter: '\t' }],
    ['CRLF header then LF rows is reported as mixed', 'Email,Name\r\na,b\nc,d\n', {}, { recordDelimiter: '\r\n', lineEndings: ['\r\n', '\n'] }],
    ['LF header then CRLF rows', 'Email,Name\na,b\r\n', {}, { recordDelimiter: '\n', lineEndings: ['\n', '\r\n'] }],
    ['CRLF cut at the end of the chunk is not a lone CR', 'Email,Name\r\na,b\r', {}, { recordDelimiter: '\r\n', lineEndings: ['\r\n'] }],
    ['empty text', '', {}, { delimiter: ',', recordDelimiter: '\r\n', lineEndings: [], sepLine: null }],
  ];
  it.each(cases)('%s', (_name, text, opts, expected) => {
    expect(sniffForm(text, opts)).toMatchObject(expected);
  });
});

describe('parseDelimiterOption', () => {
  const ok: [string, string][] = [
    [',', ','], ['comma', ','], [';', ';'], ['semicolon', ';'], ['SEMICOLON', ';'], ['tab', '\t'], ['\\t', '\t'], ['\t', '\t'], ['|', '|'], ['pipe', '|'],
  ];
  it.each(ok)('%j → %j', (value, expected) => {
    expect(parseDelimiterOption(value)).toBe(expected);
  });

  it.each(['', 'colon', ':', '"', ',,'])('%j is ARG_INVALID naming the allowed values', (value) => {
    let error: unknown;
    try {
      parseDelimiterOption(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(QualifyError);
    expect((error as QualifyError).code).toBe('ARG_INVALID');
    expect((error as QualifyError).message).toContain('use one of , ; | tab');
    expect((error as QualifyError).at).toEqual({ kind: 'arg', option: '--delimiter' });
  });
});

describe('recordDelimitersFor with csv-parse', () => {
  const files: [string, string, string[][]][] = [
    ['CRLF header followed by LF rows is not fused', 'Email,Name\r\na,b\nc,d\n', [['Email', 'Name'], ['a', 'b'], ['c', 'd']]],
    ['LF header followed by CRLF rows', 'Email,Name\na,b\r\nc,d\r\n', [['Email', 'Name'], ['a', 'b'], ['c', 'd']]],
    ['LF inside quotes in a CRLF file stays in the cell', '"x\ny",z\r\n1,2\r\n', [['x\ny', 'z'], ['1', '2']]],
    ['lone CR file', 'a,b\r1,2\r', [['a', 'b'], ['1', '2']]],
  ];
  it.each(files)('%s', (_name, text, rows) => {
    const form = sniffForm(text);
    expect(parse(text, { delimiter: form.delimiter, record_delimiter: recordDelimitersFor(form) })).toEqual(rows);
  });
});
