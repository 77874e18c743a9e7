// `qualify assess FILE [--lead ID]`: the needs assessment with one lead (lead or MQL -> SAL or
// disqualified, plus a follow-up appointment), written back into the lead's row. Wiring only.
import type { Command } from 'commander';
import { registerCallCommand } from './call-command.js';

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  registerCallCommand(program, action, {
    step: 'assess',
    summary: 'needs assessment with one lead, in the terminal; writes the outcome back',
    description:
      'Walk through the needs assessment with one lead (source, need, product interest, how they see ' +
      'the product solving their problem, timeline, follow-up appointment). The outcome (SAL or ' +
      'disqualified, with the reasons), the answers and a timestamp go into that lead\'s row of FILE; ' +
      'every other row keeps its cells (the first time, it gets the new columns, empty). Ctrl-C keeps the answers in FILE.draft.json to resume.',
    defaultQuestionnaire: 'rules/needs-assessment.yaml',
    examples:
      '  qualify assess leads.csv                     # pick from the best next leads\n' +
      '  qualify assess leads.csv --lead PL-0001\n' +
      '  qualify assess leads.csv --lead ada@acme.test --answers call-notes.yaml',
  });
}
