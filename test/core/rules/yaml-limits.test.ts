// Hostile YAML in any of qualify's files (rules, questionnaires, answers): an alias bomb or
// nesting thousands of levels deep is a QualifyError (exit 2) at a line and column with a short
// message, never an internal error with a stack trace (issue 10, items 7 and 17).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileText } from '../../helpers/rules.js';
import { loadQuestionnaire } from '../../../src/core/questionnaire/load.js';
import { readAnswersFile } from '../../../src/commands/call-command.js';
import { isQualifyError, QualifyErrors, type QualifyError } from '../../../src/core/errors.js';

/** Nine aliases of nine aliases of ...: 9^6 copies of a list from a 7-line file. */
const BOMB = [
  'name: bomb', // 1
  'a: &a ["x","x","x","x","x","x","x","x","x"]', // 2
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]', // 3
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]', // 4
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]', // 5
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]', // 6
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]', // 7
  '',
].join('\n');

const DEPTH = 5000;
const DEEP = `name: deep\nfields: ${'['.repeat(DEPTH)}${']'.repeat(DEPTH)}\n`;
const DEEP_BLOCK = 'name: deep\nfields:\n' + Array.from({ length: 3000 }, (_, i) => `${' '.repeat(i + 2)}- `).join('\n') + 'x\n';

const where = (e: QualifyError) => (e.at?.kind === 'yaml' ? [e.at.line, e.at.col] : null);

describe('rules file', () => {
  it('an alias bomb is RULES_SYNTAX at an alias of the bomb, not an internal error', () => {
    const { rules, errors } = compileText(BOMB);
    expect(rules).toBeUndefined();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.code).toBe('RULES_SYNTAX');
    const [line, col] = where(errors[0]!)!;
    expect(BOMB.split('\n')[line! - 1]!.slice(col! - 1)).toMatch(/^\*[a-f]/);
    expect(errors[0]!.message).toMatch(/alias/);
    expect(errors[0]!.message).not.toMatch(/resource exhaustion|ReferenceError/);
  });

  it('a few aliases are still fine', () => {
    const yaml = ['name: ok', 'fields: { email: &f { optional: false }, title: *f }', 'score: { min: 0, max: 10 }', 'thresholds: [{ min: 0, max: 10, tier: t, stage: lead, action: a }]', 'fit: {}', 'engagement: {}', ''].join('\n');
    expect(compileText(yaml).errors).toEqual([]);
  });

  it.each([
    ['flow', DEEP],
    ['block', DEEP_BLOCK],
  ])('%s nesting thousands deep is RULES_SYNTAX with a short message at its line', (_kind, yaml) => {
    const { rules, errors } = compileText(yaml);
    expect(rules).toBeUndefined();
    expect(errors.length).toBeGreaterThanOrEqual(1);
    for (const e of errors) {
      expect(e.code).toBe('RULES_SYNTAX');
      expect(e.message).not.toMatch(/call stack/);
      expect(e.message.length).toBeLessThan(200);
      expect(where(e)).not.toBeNull();
    }
    expect(errors[0]!.message).toMatch(/nested too deeply/);
  });
});

describe('questionnaire file', () => {
  it('an alias bomb is QUESTIONNAIRE_SCHEMA at an alias of the bomb', () => {
    const { questionnaire, errors } = loadQuestionnaire('q.yaml', BOMB);
    expect(questionnaire).toBeUndefined();
    expect(errors.map((e) => e.code)).toEqual(['QUESTIONNAIRE_SCHEMA']);
    const [line, col] = where(errors[0]!)!;
    expect(BOMB.split('\n')[line! - 1]!.slice(col! - 1)).toMatch(/^\*[a-f]/);
  });
});

describe('answers file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qualify-answers-'));
  it('an alias bomb is a QualifyError (exit 2) at an alias of the bomb', async () => {
    const file = join(dir, 'answers.yaml');
    writeFileSync(file, BOMB);
    const e: unknown = await readAnswersFile(file).then(
      () => null,
      (err: unknown) => err,
    );
    const list = e instanceof QualifyErrors ? e.errors : isQualifyError(e) ? [e] : [];
    expect(list).toHaveLength(1);
    expect(list[0]!.code).toBe('ANSWERS_SYNTAX');
    const [line, col] = where(list[0]!)!;
    expect(BOMB.split('\n')[line! - 1]!.slice(col! - 1)).toMatch(/^\*[a-f]/);
  });

  it('deep nesting is a QualifyError too', async () => {
    const file = join(dir, 'deep.yaml');
    writeFileSync(file, DEEP);
    const e: unknown = await readAnswersFile(file).then(
      () => null,
      (err: unknown) => err,
    );
    const list = e instanceof QualifyErrors ? e.errors : isQualifyError(e) ? [e] : [];
    expect(list.length).toBeGreaterThanOrEqual(1);
    expect(list[0]!.message).toMatch(/nested too deeply/);
  });
});
