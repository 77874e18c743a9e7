// Placeholders read aloud (issue 11 item 15): values fitted into their sentence, no doubled
// full stop; reasons written to the CSV keep values as they are. And the terminal's reflow.
import { describe, expect, it } from 'vitest';
import { advance, next, start } from '../../src/core/questionnaire/engine.js';
import { fillPlaceholders } from '../../src/core/questionnaire/template.js';
import { reflow } from '../../src/ui/prompter.js';
import { NOW, loadShipped } from './helpers.js';

const fill = (text: string, values: Record<string, string>, fit = true): string =>
  fillPlaceholders(text, (n) => values[n], (n) => `[${n}]`, { fit });

describe('fillPlaceholders fits values into the sentence', () => {
  it.each<[string, Record<string, string>, string]>([
    ['Thanks for the time at {{company}}.', { company: 'Fabrikam, Inc.' }, 'Thanks for the time at Fabrikam, Inc.'],
    ['We looked at {{company}}. Then', { company: 'Contoso…' }, 'We looked at Contoso… Then'],
    ['you were looking for {{na_solution}}.', { na_solution: 'A forecast the board trusts' }, 'you were looking for a forecast the board trusts.'],
    ['you were after\n{{na_solution}}; great', { na_solution: 'One view of the pipeline' }, 'you were after\none view of the pipeline; great'],
    ['what I heard: {{pain}}, and', { pain: 'Forecasts miss by a wide margin' }, 'what I heard: forecasts miss by a wide margin, and'],
    ['{{na_solution}} is what you said.', { na_solution: 'A forecast' }, 'A forecast is what you said.'],
    ['You said so. {{na_solution}} matters.', { na_solution: 'A forecast' }, 'You said so. A forecast matters.'],
    // Names and acronyms keep their capitals.
    ['reading up on {{company}} today', { company: 'Hopper Freight' }, 'reading up on Hopper Freight today'],
    ['via {{tool}} mostly', { tool: 'Clari' }, 'via Clari mostly'],
    ['because {{why}}.', { why: 'CRM data is unreliable' }, 'because CRM data is unreliable.'],
    ['and {{why}}', { why: 'I think so' }, 'and I think so'],
    ['Hi {{rep_name}} there', {}, 'Hi [rep_name] there'],
  ])('%j with %j → %j', (text, values, expected) => {
    expect(fill(text, values)).toBe(expected);
  });

  it('leaves the case alone without fit (reasons written to the CSV)', () => {
    expect(fill('Need: {{need}}', { need: 'More accurate forecasts' }, false)).toBe('Need: More accurate forecasts');
  });

  it('the BANT close plays back the pains as one sentence', () => {
    const bant = loadShipped('discovery-bant.yaml');
    let s = start(bant, { first_name: 'Grace', na_solution: 'A forecast the whole team trusts' }, {
      now: NOW,
      answers: { pain: ['forecast_misses', 'no_pipeline_visibility'], pain_impact: '', budget_set: true, budget: 40000, authority: 'decision_maker', timeline: 'end of quarter', competitors: 'none' },
    });
    const opening = next(start(bant, { first_name: 'Grace', na_solution: 'A forecast the whole team trusts' }, { now: NOW }));
    expect(opening.kind === 'script' && opening.text).toContain('you said you were looking for\na forecast the whole team trusts.');
    let step = next(s);
    while (step.kind === 'script' && !step.text.includes('play back')) {
      s = advance(s);
      step = next(s);
    }
    expect(step.kind === 'script' && step.text).toContain('Let me play back what I heard: forecasts miss by a wide margin, no clear view of pipeline health, budget of about 40,000 EUR');
  });
});

describe('reflow', () => {
  const script = 'Hi José, it\'s Kim from Pipewise. Thanks for making the time.\nI was reading up on Contoso Ltd before the call: as vp marketing in Software, you must be\nclose to the forecast every week.';
  it.each([40, 80, 100])('fills prose to %i columns, breaking only between words', (width) => {
    const out = reflow(script, width, false);
    for (const line of out.split('\n')) expect([...line].length).toBeLessThanOrEqual(width);
    expect(out.split(/\s+/)).toEqual(script.split(/\s+/));
  });

  it('keeps paragraphs and list items, and a word longer than the line whole', () => {
    expect(reflow('One two\nthree.\n\n- four five six\n- seven', 12, false)).toBe('One two\nthree.\n\n- four five\n  six\n- seven');
    expect(reflow('a Purchased-List-of-leads b', 10, false)).toBe('a\nPurchased-List-of-leads\nb');
  });

  it('keeps the lines of preformatted text, wrapping only the long ones under their text', () => {
    expect(reflow('Title: x\n  - a reason that is long\nAnswers:', 16, true)).toBe('Title: x\n  - a reason\n    that is long\nAnswers:');
  });
});
