// The assess/discover commands as src/cli.ts wires them: commander options in, errors out.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterEach, describe, expect, it } from 'vitest';
import { register as registerAssess } from '../../src/commands/assess.js';
import { register as registerDiscover } from '../../src/commands/discover.js';

function program(): { run: (...args: string[]) => Promise<unknown> } {
  const p = new Command().exitOverride();
  let failure: unknown;
  const action = async (fn: () => Promise<void>) => {
    try {
      await fn();
    } catch (e) {
      failure = e;
    }
  };
  registerAssess(p, action);
  registerDiscover(p, action);
  return {
    run: async (...args) => {
      failure = undefined;
      await p.parseAsync(['node', 'qualify', ...args]);
      return failure;
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), 'qualify-cmd-'));
const csv = join(dir, 'leads.csv');
copyFileSync(new URL('../../fixtures/purchased-list.csv', import.meta.url), csv);
afterEach(() => {
  delete process.env['QUALIFY_NOW'];
});

describe('qualify assess / discover', () => {
  it('answers from a YAML file and writes the row', async () => {
    const answers = join(dir, 'call.yaml');
    writeFileSync(
      answers,
      'source: webinar\nneed: [pipeline_visibility]\nproduct_interest: platform\nsolution: One view\ncrm: salesforce\ntimeline: within_6_months\nfollow_up_agreed: no\n',
    );
    process.env['QUALIFY_NOW'] = '2026-11-02T10:00:00Z';
    expect(await program().run('assess', csv, '--lead', 'PL-0008', '--answers', answers, '--rep', 'Kim')).toBeUndefined();
    const text = readFileSync(csv, 'utf8');
    expect(text.split('\n')[0]).toMatch(/,na_source,na_need,.*,na_follow_up,stage,class,action,qualified_at,sal_at,sql_at,opportunity_at,disqualified_at\r?$/);
    expect(text).toContain('sales will be in touch');
  });

  it('fails at once without a terminal and without --answers', async () => {
    expect(await program().run('discover', csv, '--lead', 'PL-0008')).toMatchObject({ code: 'NO_TTY', hint: expect.stringContaining('--answers') });
  });

  it('--as-of takes a YYYY-MM-DD date, like score', async () => {
    expect(await program().run('assess', csv, '--lead', 'PL-0008', '--as-of', '1/11/2026', '--answers', 'x.yaml')).toMatchObject({ code: 'ARG_INVALID', at: { option: '--as-of' } });
  });

  it('refuses stdin: the outcome is written back into FILE', async () => {
    expect(await program().run('assess', '-', '--answers', 'x.yaml')).toMatchObject({ code: 'ARG_INVALID' });
  });

  it('a malformed answers file is reported with its position, as ANSWERS_SYNTAX (not a rules file\'s RULES_SYNTAX)', async () => {
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'source: [webinar\n');
    const e = (await program().run('assess', csv, '--lead', 'PL-0008', '--answers', bad)) as { errors: { code: string; at: { file: string } }[] };
    expect(e.errors[0]).toMatchObject({ code: 'ANSWERS_SYNTAX', at: { file: bad, line: 2, col: 1 } });
  });

  it('a discovery questionnaire is refused by assess', async () => {
    const answers = join(dir, 'a.yaml');
    writeFileSync(answers, '{}');
    expect(await program().run('assess', csv, '--lead', 'PL-0008', '--answers', answers, '--questionnaire', 'rules/discovery-bant.yaml')).toMatchObject({
      code: 'ARG_INVALID',
      message: expect.stringContaining('needs kind: needs-assessment'),
    });
  });
});
