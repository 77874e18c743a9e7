// `qualify discover FILE [--lead ID]`: the discovery call with a sales-accepted lead (SAL ->
// SQL, opportunity, or disqualified), written back into the lead's row. Wiring only.
import type { Command } from 'commander';
import { registerCallCommand } from './call-command.js';

export function register(program: Command, action: (fn: () => Promise<void>) => Promise<void>): void {
  registerCallCommand(program, action, {
    step: 'discover',
    summary: 'discovery call with one SAL, in the terminal; writes the outcome back',
    description:
      'Run the discovery call with one sales-accepted lead: opening, agenda, the framework questions ' +
      '(BANT by default; --questionnaire rules/discovery-meddic.yaml for MEDDIC) and the close. The ' +
      'outcome (SQL, an opportunity with amount, stage, next step and close date, or disqualified with ' +
      'the reason and a referral) goes into that lead\'s row of FILE; every other row keeps its cells (the first time, it gets the new columns, empty).',
    defaultQuestionnaire: 'rules/discovery-bant.yaml',
    examples:
      '  qualify discover leads.csv --lead PL-0001\n' +
      '  qualify discover leads.csv --lead PL-0001 --questionnaire rules/discovery-meddic.yaml\n' +
      '  qualify discover leads.csv --lead PL-0001 --answers call.yaml --output updated.csv',
  });
}
