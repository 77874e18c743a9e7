// The Inquirer prompter, driven through fake terminal streams: keys in, screen out.
import { PassThrough } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { describeAllowed, parseAnswer } from '../../src/core/questionnaire/engine.js';
import { runQuestionnaire } from '../../src/core/questionnaire/run.js';
import { createInquirerPrompter, type PromptSpec } from '../../src/ui/prompter.js';
import { MINI, NOW, TODAY, load } from './helpers.js';

function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  let screen = '';
  output.on('data', (d: Buffer) => (screen += d.toString()));
  const waitFor = async (text: string): Promise<void> => {
    for (let i = 0; i < 200; i++) {
      if (stripVTControlCharacters(screen).includes(text)) {
        // Inquirer attaches its keypress handler in an effect just after the first render;
        // keys typed in between would be lost.
        await new Promise((r) => setTimeout(r, 20));
        return;
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`screen never showed ${JSON.stringify(text)}:\n${stripVTControlCharacters(screen)}`);
  };
  return { input, output, screen: () => stripVTControlCharacters(screen), waitFor, type: (s: string) => input.write(s) };
}

const q = load(MINI);
const budget = q.questions.find((x) => x.id === 'budget')!;
const spec = (over: Partial<PromptSpec> = {}): PromptSpec => ({
  id: 'budget',
  message: 'Budget?',
  required: true,
  allowed: 'a number',
  parse: (raw) => parseAnswer(budget, raw, TODAY),
  ...over,
});

describe('createInquirerPrompter', () => {
  it('re-asks until the core accepts the answer, and reads "25k" as 25000', async () => {
    const t = terminal();
    const p = createInquirerPrompter({ input: t.input, output: t.output });
    const answer = p.number({ ...spec(), unit: 'EUR' });
    await t.waitFor('Budget? (EUR)');
    t.type('lots\r');
    await t.waitFor('"lots" is not a valid answer to "Budget"');
    t.type('\x7f\x7f\x7f\x7f25k\r');
    await expect(answer).resolves.toBe(25000);
  });

  it('asks again for an amount the decimal mark leaves ambiguous, saying both readings', async () => {
    const t = terminal();
    const p = createInquirerPrompter({ input: t.input, output: t.output });
    const answer = p.number({ ...spec(), unit: 'EUR' });
    await t.waitFor('Budget? (EUR)');
    t.type('1.500k\r');
    await t.waitFor('"1.500k" could mean 1.5k or 1500k: write "Budget" as 1.5k or as 1500k');
    t.type('\x7f\x7f\x7f\x7f\x7f\x7f1.5k\r');
    await expect(answer).resolves.toBe(1500);
  });

  it('a date prompt says which forms it takes, and re-asks with them after a date it cannot read', async () => {
    const optional = load(MINI.replace("    type: date\n    min: today\n", "    type: date\n    required: false\n    min: today\n"));
    const close = optional.questions.find((x) => x.id === 'close')!;
    const t = terminal();
    const p = createInquirerPrompter({ input: t.input, output: t.output });
    const answer = p.date({ ...spec({ id: 'close', message: 'Close date?', required: false, allowed: describeAllowed(close, TODAY), parse: (raw) => parseAnswer(close, raw, TODAY) }) });
    await t.waitFor('Accepted: 2027-03-31, 31/03/2027, 3/31/2027, March 31 (the next one)');
    await t.waitFor('not known yet)');
    t.type('31/31/2027\r');
    await t.waitFor('"31/31/2027" is not a date "Close" understands; write it as 2027-03-31');
    t.type('\x7f'.repeat(10) + 'March 31\r');
    await expect(answer).resolves.toBe('2027-03-31');
  });

  it('selects with the arrow keys and writes script text to its output', async () => {
    const t = terminal();
    const p = createInquirerPrompter({ input: t.input, output: t.output });
    p.say('Hi Ada', { title: 'Opening' });
    const choice = p.select({
      ...spec({ id: 'role', message: 'Role?', parse: (raw) => ({ ok: true, value: raw as string }) }),
      choices: [
        { value: 'champion', label: 'Champion' },
        { value: 'user', label: 'User', help: 'Uses it, no say' },
      ],
    });
    await t.waitFor('Role?');
    t.type('\x1b[B');
    await t.waitFor('Uses it, no say');
    t.type('\r');
    await expect(choice).resolves.toBe('user');
    expect(t.screen()).toContain('Opening\nHi Ada');
  });

  it('runs a whole questionnaire from the keyboard', async () => {
    const t = terminal();
    const p = createInquirerPrompter({ input: t.input, output: t.output });
    const run = runQuestionnaire(q, { first_name: 'Ada', company: 'Acme' }, p, { now: NOW });
    const steps: [string, string][] = [
      ['Need?', '\r'], // first option: a
      ['Budget?', '20000\r'],
      ['Role?', '\r'], // champion
      ['Tools?', ' \r'], // tick crm
      ['Explore?', 'y\r'],
      ['Close date?', 'in 2 weeks\r'],
      ['Notes', 'Call Tuesday\r'],
      ['Save this outcome?', '\r'],
    ];
    for (const [prompt, keys] of steps) {
      await t.waitFor(prompt);
      t.type(keys);
    }
    const r = await run;
    expect(r.status === 'saved' && r.outcome.columns).toMatchObject({ mini_need: 'a', mini_budget: '20000', mini_tools: 'crm', mini_close: '2026-07-15', mini_notes: 'Call Tuesday', stage: 'SQL' });
    expect(t.screen()).toContain('in 2 weeks → 2026-07-15');
    expect(t.screen()).toContain('Mini: qualified, stage SQL');
  });

  it('lets Ctrl-C through as Inquirer\'s ExitPromptError, for the command to keep the draft', async () => {
    const t = terminal();
    const p = createInquirerPrompter({ input: t.input, output: t.output });
    const answer = p.input({ ...spec({ id: 'notes', message: 'Notes' }), parse: (raw) => ({ ok: true, value: String(raw) }) });
    await t.waitFor('Notes');
    t.type('half a sentence\x03');
    await expect(answer).rejects.toMatchObject({ name: 'ExitPromptError' });
  });

  it('colours script text only on a terminal, and never with NO_COLOR set', () => {
    const saved = { NO_COLOR: process.env['NO_COLOR'], FORCE_COLOR: process.env['FORCE_COLOR'], TERM: process.env['TERM'] };
    const said = (env: Record<string, string | undefined>, tty: boolean): string => {
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
      const out = Object.assign(new PassThrough(), { isTTY: tty, columns: 80, rows: 24 });
      let text = '';
      out.on('data', (d: Buffer) => (text += d.toString()));
      createInquirerPrompter({ input: new PassThrough(), output: out }).say('Hi Ada', { title: 'Opening' });
      return text;
    };
    try {
      expect(said({ NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' }, true)).toMatch(/\x1b\[/);
      expect(said({ NO_COLOR: '1', FORCE_COLOR: undefined, TERM: 'xterm' }, true)).toBe('\nOpening\nHi Ada\n\n');
      expect(said({ NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: 'xterm' }, false)).toBe('\nOpening\nHi Ada\n\n');
    } finally {
      for (const [k, v] of Object.entries(saved)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
  });
});
