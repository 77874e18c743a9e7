// The one interface a questionnaire prompts through, and its two implementations: Inquirer in a
// terminal (loaded lazily so the CLI starts fast) and scripted answers for tests and --answers.
// Takes prompt specs whose validation is the core's `parse`; returns the parsed answer. Never
// writes to stdout (script text and prompts go to the given output, stderr by default).
import { PassThrough } from 'node:stream';
import { Chalk, type ChalkInstance } from 'chalk';
import { QualifyError, type Location } from '../core/errors.js';
import type { ParseResult } from '../core/questionnaire/engine.js';
import type { AnswerValue } from '../core/questionnaire/schema.js';
import { BackRequested, type Choice, type PromptSpec, type Prompter } from '../core/questionnaire/prompter.js';
import { colorEnabled } from './color.js';

export type { Choice, PromptSpec, Prompter } from '../core/questionnaire/prompter.js';
export { BackRequested } from '../core/questionnaire/prompter.js';

/** What a list of scripted answers holds where the salesperson went back a question (Esc). */
export const SCRIPTED_BACK = '$back';

// ---------------------------------------------------------------------------------------------
// Inquirer
// ---------------------------------------------------------------------------------------------

export interface InquirerIo {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Cancels a pending prompt (Inquirer then rejects with AbortPromptError). */
  signal?: AbortSignal;
}

/**
 * Prompts in a terminal. Ctrl-C rejects with Inquirer's ExitPromptError, left untouched for
 * src/cli.ts to recognise (exit 130); callers must check for a TTY first, because at
 * EOF Inquirer never settles its promise.
 */
export function createInquirerPrompter(io: InquirerIo = {}): Prompter {
  const output = io.output ?? process.stderr;
  const input = io.input ?? process.stdin;
  type Context = Parameters<typeof import('@inquirer/prompts').input>[1];
  let lib: Promise<typeof import('@inquirer/prompts')> | undefined;
  const prompts = (): Promise<typeof import('@inquirer/prompts')> => (lib ??= import('@inquirer/prompts'));
  // The CLI's one colour gate: a terminal, and NO_COLOR / FORCE_COLOR honoured (chalk's own
  // detection ignores NO_COLOR, so script text was cyan even with NO_COLOR=1).
  const color: ChalkInstance = new Chalk({ level: colorEnabled(output as NodeJS.WriteStream) ? 1 : 0 });
  let card: (() => string) | undefined;
  let keysShown = false;

  const validate = (p: PromptSpec) => (raw: unknown): true | string => {
    const r = p.parse(raw);
    return r.ok ? true : r.message;
  };
  const finish = (p: PromptSpec, raw: unknown): AnswerValue => {
    const r = p.parse(raw);
    if (!r.ok) throw new QualifyError('ANSWERS_INVALID', `${r.message}; allowed: ${p.allowed}`);
    return r.value;
  };
  const dim = (text: string): void => {
    output.write(color.dim(reflow(text.trim(), widthOf(output) - 2, false).replace(/^/gm, '  ')) + '\n');
  };
  const showHelp = (p: PromptSpec): void => {
    // The keys of a call, said once, before its first question.
    if (p.back !== undefined && !keysShown) {
      keysShown = true;
      dim(`Keys: Esc goes back to the previous question${card ? ' · Ctrl-O shows the lead card again' : ''} · Ctrl-C stops (the answers are kept for next time).`);
    }
    if (p.help) dim(p.help);
  };
  const SKIP = '\u0000skip';

  /**
   * Runs one Inquirer prompt, listening for the call's own keys meanwhile: Esc (where the spec
   * allows going back) settles it with BackRequested, Ctrl-O prints the lead card and asks the
   * same prompt again. Inquirer has no hook for extra keys, so the prompt is cancelled through
   * its abort signal, and our key listener sits on the same keypress events its readline reads.
   */
  async function guarded<T>(p: PromptSpec, run: (context: Context) => Promise<T>): Promise<T> {
    for (;;) {
      const stop = new AbortController();
      let wanted: 'back' | 'card' | undefined;
      const onKey = (_text: string | undefined, key: { name?: string; ctrl?: boolean } | undefined): void => {
        if (wanted !== undefined || key === undefined) return;
        if (key.name === 'escape' && p.back === true) wanted = 'back';
        else if (key.name === 'o' && key.ctrl === true && card) wanted = 'card';
        else return;
        stop.abort();
      };
      input.on('keypress', onKey);
      const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
      try {
        return await run({ input, output: nonEnding(output), signal } as Context);
      } catch (e) {
        if (wanted === 'back') {
          // The cancelled prompt stays on the screen: say what happened to it.
          output.write(color.dim('  ↩ back to the previous question') + '\n');
          throw new BackRequested();
        }
        if (wanted === 'card' && card) {
          output.write('\n' + card() + '\n');
          continue;
        }
        throw e;
      } finally {
        input.removeListener('keypress', onKey);
      }
    }
  }

  return {
    setCard(render) {
      card = render;
      keysShown = false;
    },
    say(text, opts) {
      const title = opts?.title ? color.bold(opts.title) + '\n' : '';
      const preformatted = opts?.preformatted ?? opts?.title === 'Summary';
      output.write(`\n${title}${color.cyan(reflow(text.trimEnd(), widthOf(output), preformatted))}\n\n`);
    },
    async select(p) {
      showHelp(p);
      const choices = p.choices.map((c) => ({ value: c.value, name: c.label, ...(c.help ? { description: c.help } : {}) }));
      if (!p.required) choices.push({ value: SKIP, name: '(skip)' });
      const lib = await prompts();
      const v = await guarded(p, (ctx) => lib.select({ message: p.message, choices, ...(p.default !== undefined ? { default: p.default } : {}) }, ctx));
      return finish(p, v === SKIP ? null : v);
    },
    async search(p) {
      showHelp(p);
      const lib = await prompts();
      // Every word typed must appear in the label (any case, any order): "costa sal" finds the
      // sales-accepted Costas. A choice whose value is the term itself comes first ("q": quit).
      const source = (term: string | undefined): { value: string; name: string; short?: string }[] => {
        const words = (term ?? '').toLowerCase().split(/\s+/).filter(Boolean);
        const hits = p.choices.filter((c) => words.every((w) => c.label.toLowerCase().includes(w)));
        const exact = hits.filter((c) => c.value === (term ?? '').trim());
        return [...exact, ...hits.filter((c) => !exact.includes(c))].map((c) => ({ value: c.value, name: c.label, ...(c.short !== undefined ? { short: c.short } : {}) }));
      };
      // A choice's value typed whole and Enter picks it whatever the list shows: Inquirer filters
      // after the keypress, so "q" and Enter typed together would pick the row highlighted before.
      let typed = '';
      let forced: string | undefined;
      const stop = new AbortController();
      const onKey = (text: string | undefined, key: { name?: string; ctrl?: boolean; meta?: boolean } | undefined): void => {
        if (key?.name === 'return' || key?.name === 'enter') {
          const exact = p.choices.find((c) => c.value === typed.trim());
          if (exact && forced === undefined) {
            forced = exact.value;
            stop.abort();
          }
        } else if (key?.name === 'backspace') typed = typed.slice(0, -1);
        else if (key?.name === 'tab' || key?.ctrl || key?.meta) typed = '\u0000';
        else if (text !== undefined && text.length === 1 && text >= ' ') typed += text;
      };
      input.on('keypress', onKey);
      const signal = io.signal ? AbortSignal.any([io.signal, stop.signal]) : stop.signal;
      try {
        const v = await lib.search({ message: p.message, source, pageSize: 12 }, { input, output: nonEnding(output), signal } as Context);
        return finish(p, v);
      } catch (e) {
        if (forced !== undefined) return finish(p, forced);
        throw e;
      } finally {
        input.removeListener('keypress', onKey);
      }
    },
    async checkbox(p) {
      showHelp(p);
      const lib = await prompts();
      const chosen = await guarded(p, (ctx) =>
        lib.checkbox(
          {
            message: p.message,
            choices: p.choices.map((c) => ({ value: c.value, name: c.label, checked: p.default?.includes(c.value) ?? false, ...(c.help ? { description: c.help } : {}) })),
            validate: (items) => validate(p)(items.map((i) => i.value)),
          },
          ctx,
        ),
      );
      return finish(p, chosen);
    },
    async input(p) {
      showHelp(p);
      const lib = await prompts();
      const v = await guarded(p, (ctx) => lib.input({ message: p.message, ...(p.default !== undefined ? { default: p.default } : {}), validate: validate(p) }, ctx));
      return finish(p, v);
    },
    async number(p) {
      showHelp(p);
      // A text prompt read by the core rather than Inquirer's number prompt: salespeople type
      // "50k" or "€ 50,000", which the core reads and a strict number field would refuse.
      const message = p.unit ? `${p.message} (${p.unit})` : p.message;
      const lib = await prompts();
      const v = await guarded(p, (ctx) => lib.input({ message, ...(p.default !== undefined ? { default: String(p.default) } : {}), validate: validate(p) }, ctx));
      return finish(p, v);
    },
    async confirm(p) {
      showHelp(p);
      const lib = await prompts();
      const v = await guarded(p, (ctx) => lib.confirm({ message: p.message, ...(p.default !== undefined ? { default: p.default } : {}) }, ctx));
      return finish(p, v);
    },
    async date(p) {
      showHelp(p);
      // Which forms are accepted (and "not known yet" where the date is optional), before typing.
      dim(`Accepted: ${p.allowed.replace(/^a date: /, '')}`);
      const lib = await prompts();
      const v = await guarded(p, (ctx) =>
        lib.input(
          {
            message: p.message,
            ...(p.default !== undefined ? { default: p.default } : {}),
            validate: validate(p),
            // Once answered, show the day "in 2 weeks" resolved to, so the salesperson can check it.
            transformer: (raw, { isFinal }) => {
              if (!isFinal) return raw;
              const r = p.parse(raw);
              return r.ok && typeof r.value === 'string' && r.value !== raw.trim() ? `${raw.trim()} → ${r.value}` : raw;
            },
          },
          ctx,
        ),
      );
      return finish(p, v);
    },
  };
}

/** The terminal's width for reflowing text (80 when it is not a terminal), at most 100 so
 * that a wide window still gives lines a salesperson can read aloud. */
function widthOf(output: NodeJS.WritableStream): number {
  const columns = (output as { columns?: number }).columns;
  return Math.min(100, typeof columns === 'number' && columns >= 20 ? columns : 80);
}

const LIST_ITEM = /^(\s*)([-*•]|\d+[.)])\s+/;

/**
 * Reflows text to `width` columns, breaking only between words (a word longer than the line
 * stays whole on its own line). Prose: the lines of a paragraph (blank lines separate
 * paragraphs) are joined and filled again; a list item (`- `, `* `, `1. `) starts its own line
 * and continues under its text. Preformatted: every line is kept and only a too-long one is
 * wrapped, continuing under its own indentation.
 */
export function reflow(text: string, width: number, preformatted: boolean): string {
  const out: string[] = [];
  for (const paragraph of text.split(/\n[ \t]*\n/)) {
    const lines = paragraph.split('\n');
    const units: string[] = [];
    for (const line of lines) {
      if (preformatted || units.length === 0 || LIST_ITEM.test(line) || line.trim() === '') units.push(line.trimEnd());
      else units[units.length - 1] += ' ' + line.trim();
    }
    out.push(units.map((u) => fill(u, width)).join('\n'));
  }
  return out.join('\n\n');
}

function fill(line: string, width: number): string {
  const lead = /^\s*/.exec(line)![0];
  const item = LIST_ITEM.exec(line);
  const hang = ' '.repeat((item ? item[0] : lead).length);
  const words = line.slice(lead.length).split(/\s+/).filter((w) => w !== '');
  if (words.length === 0) return '';
  const rows: string[] = [];
  let row = lead + words[0];
  for (const word of words.slice(1)) {
    if ([...row].length + 1 + [...word].length <= width) row += ' ' + word;
    else {
      rows.push(row);
      row = hang + word;
    }
  }
  rows.push(row);
  return rows.join('\n');
}

/**
 * Inquirer pipes each prompt into its output and ends that stream when the prompt is done; only
 * process.stdout and process.stderr are spared (Node's Stream#pipe skips end() for stdio). Any
 * other output (a /dev/tty stream, a test stream) would be closed after the first question, so
 * each prompt gets its own pass-through that forwards without ending, and that reports the real
 * terminal's size.
 */
function nonEnding(output: NodeJS.WritableStream): NodeJS.WritableStream {
  if (output === process.stderr || output === process.stdout) return output;
  const sink = new PassThrough();
  sink.pipe(output as NodeJS.WritableStream, { end: false });
  const tty = output as { isTTY?: boolean; columns?: number; rows?: number };
  return Object.assign(sink, { isTTY: tty.isTTY, columns: tty.columns, rows: tty.rows });
}

// ---------------------------------------------------------------------------------------------
// Scripted
// ---------------------------------------------------------------------------------------------

export interface ScriptedPrompter extends Prompter {
  /** Everything passed to say(), in order. */
  readonly said: string[];
  /** Prompt ids in the order they were asked. */
  readonly asked: string[];
}

/**
 * Answers from data: a record by question id (an --answers file) or a list consumed in order,
 * control prompts included (tests); in a list, SCRIPTED_BACK goes back a question where the
 * terminal offers Esc. Control prompts (`$review`, `$change`) fall back to their
 * default; in a record their value is used once, or a list of values one per prompt. A missing
 * or invalid answer to a question is QualifyError('ANSWERS_INVALID') naming it and the allowed
 * values: non-interactive runs never guess.
 */
export function createScriptedPrompter(answers: Record<string, unknown> | unknown[], opts: { source?: string } = {}): ScriptedPrompter {
  const said: string[] = [];
  const asked: string[] = [];
  const queue = Array.isArray(answers) ? [...answers] : undefined;
  const record = Array.isArray(answers) ? {} : answers;
  const controlQueues = new Map<string, unknown[]>();
  const at: Location | undefined = opts.source !== undefined ? { kind: 'file', file: opts.source } : undefined;
  const invalid = (message: string): QualifyError => new QualifyError('ANSWERS_INVALID', message, at);

  const take = (p: PromptSpec & { default?: unknown }): AnswerValue => {
    asked.push(p.id);
    const control = p.id.startsWith('$');
    let raw: unknown;
    let have = false;
    if (queue) {
      if (queue.length > 0) {
        raw = queue.shift();
        have = true;
        if (raw === SCRIPTED_BACK && p.back === true) throw new BackRequested();
        // Esc where there is nothing to go back to does nothing: the next value answers.
        if (raw === SCRIPTED_BACK && p.back === false) {
          asked.pop();
          return take(p);
        }
      }
    } else if (control) {
      if (!controlQueues.has(p.id) && p.id in record) {
        const v = record[p.id];
        controlQueues.set(p.id, Array.isArray(v) ? [...v] : [v]);
      }
      const q = controlQueues.get(p.id);
      if (q && q.length > 0) {
        raw = q.shift();
        have = true;
      }
    } else if (Object.prototype.hasOwnProperty.call(record, p.id)) {
      raw = record[p.id];
      have = true;
    }
    if (!have) {
      if (control && p.default !== undefined) raw = p.default;
      else if (!p.required) raw = null;
      else throw invalid(`no answer for question "${p.id}" (${p.message.trim()}); allowed: ${p.allowed}`);
    }
    const r = p.parse(raw);
    if (!r.ok) throw invalid(`${r.message}; allowed: ${p.allowed}`);
    return r.value;
  };

  return {
    said,
    asked,
    say(text) {
      said.push(text);
    },
    select: async (p) => take(p),
    checkbox: async (p) => take(p),
    input: async (p) => take(p),
    number: async (p) => take(p),
    confirm: async (p) => take(p),
    date: async (p) => take(p),
    search: async (p) => take(p),
  };
}
