// Shared builders for the questionnaire tests: load a YAML text or a shipped file (failing loudly
// on errors), and a fixed "now" so relative dates and qualified_at are reproducible.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadQuestionnaire } from '../../src/core/questionnaire/load.js';
import type { Questionnaire } from '../../src/core/questionnaire/schema.js';

/** Noon UTC: the same calendar day in every time zone from UTC-11 to UTC+11. */
export const NOW = new Date('2026-07-01T12:00:00Z');
export const TODAY = '2026-07-01';

export function load(yaml: string, file = 'test.yaml'): Questionnaire {
  const r = loadQuestionnaire(file, yaml);
  if (!r.questionnaire) throw new Error(r.errors.map((e) => `${file}:${(e.at as { line?: number })?.line}: ${e.message}`).join('\n'));
  return r.questionnaire;
}

export const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));

export function loadShipped(name: string): Questionnaire {
  return load(readFileSync(RULES_DIR + name, 'utf8'), `rules/${name}`);
}

/** A small questionnaire touching every question kind; tests append or change lines. */
export const MINI = `id: mini
title: Mini
kind: discovery
prefix: mini
lead:
  first_name: { aliases: [First Name], fallback: there }
  company: {}
steps:
  - say: Hi {{first_name}} from {{company}}
  - id: need
    ask: Need?
    type: select
    options:
      - { value: a, points: 10 }
      - { value: b, points: 5 }
      - none
  - id: budget
    ask: Budget?
    type: number
    unit: EUR
    min: 0
    points:
      - { min: 10000, points: 20 }
      - { min: 1000, points: 5 }
  - id: role
    ask: Role?
    type: select
    options: [champion, influencer, user]
  - id: sponsor
    ask: Who signs?
    type: text
    when: { role: { in: [influencer, user] } }
  - id: tools
    ask: Tools?
    type: multi-select
    required: false
    options: [crm, sheets, bi]
  - id: explore
    ask: Explore?
    type: yes-no
    points: { yes: 5, no: 0 }
  - id: close
    ask: Close date?
    type: date
    min: today
    when: { explore: true }
  - id: notes
    ask: Notes
    type: text
    required: false
qualification:
  rules:
    - if: { need: { in: [a, b] } }
      reason: "Need {{need}}"
      otherwise: No need
    - if: { budget: { gte: 10000 } }
      reason: Budget
      otherwise: Budget too small
`;
