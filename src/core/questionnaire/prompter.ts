// The one interface a questionnaire prompts through (src/core/questionnaire/run.ts drives a call
// through it). Declared in the core so that the core never imports the terminal side; the
// implementations (Inquirer in a terminal, scripted answers) live in src/ui/prompter.ts.
import type { ParseResult } from './engine.js';
import type { AnswerValue } from './schema.js';

export interface Choice {
  value: string;
  label: string;
  help?: string;
  /** What the answered prompt shows instead of the label (a long label: its key). */
  short?: string;
}

export interface PromptSpec {
  /** Question id, or a control prompt's id starting with `$` (`$review`, `$change`). */
  id: string;
  message: string;
  help?: string;
  required: boolean;
  /** The valid answers in words, for error messages. */
  allowed: string;
  /** The core's reading of a raw answer; the prompter only shows its message. */
  parse: (raw: unknown) => ParseResult;
  /** Set on a call's prompts (its questions, its summary): true when the salesperson may go back
   * (Esc in a terminal; the prompt then rejects with BackRequested instead of answering), false
   * at the first question, where there is nothing to go back to. */
  back?: boolean;
}

/** A prompt's answer when the salesperson asked to go back to the previous question instead. */
export class BackRequested extends Error {
  constructor() {
    super('back to the previous question');
    this.name = 'BackRequested';
  }
}

export interface Prompter {
  /** Script text for the salesperson to read (and the summary). The terminal reflows prose to
   * its width; `preformatted` text (the summary, whose title is "Summary") keeps its lines and
   * only has the too-long ones wrapped. */
  say(text: string, opts?: { title?: string; preformatted?: boolean }): void;
  select(p: PromptSpec & { choices: Choice[]; default?: string }): Promise<AnswerValue>;
  checkbox(p: PromptSpec & { choices: Choice[]; default?: string[] }): Promise<AnswerValue>;
  input(p: PromptSpec & { default?: string }): Promise<AnswerValue>;
  number(p: PromptSpec & { unit?: string; default?: number }): Promise<AnswerValue>;
  confirm(p: PromptSpec & { default?: boolean }): Promise<AnswerValue>;
  date(p: PromptSpec & { default?: string }): Promise<AnswerValue>;
  /** A long list narrowed as the salesperson types (the work queue); a plain select where the
   * prompter has no search. */
  search?(p: PromptSpec & { choices: Choice[] }): Promise<AnswerValue>;
  /** The lead card of the call under way, shown again on a key (Ctrl-O in a terminal) during
   * any of its prompts; undefined when no call is under way. */
  setCard?(render: (() => string) | undefined): void;
}
