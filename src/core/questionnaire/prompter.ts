// The one interface a questionnaire prompts through (src/core/questionnaire/run.ts drives a call
// through it). Declared in the core so that the core never imports the terminal side; the
// implementations (Inquirer in a terminal, scripted answers) live in src/ui/prompter.ts.
import type { ParseResult } from './engine.js';
import type { AnswerValue } from './schema.js';

export interface Choice {
  value: string;
  label: string;
  help?: string;
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
}
