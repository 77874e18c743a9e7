// The lead card as text: every width from a phone-sized pane to a wide terminal keeps every line
// within the width and every value whole (wrapped, never cut), and shows what a salesperson
// needs before a call.
import { describe, expect, it } from 'vitest';
import { cardFromRow, displayWidth, durationSince, renderLeadCard, topReasons, wrap, type LeadCardData } from '../../src/ui/lead-card.js';

const NOW = new Date('2026-11-02T10:00:00Z');
const card: LeadCardData = {
  key: 'PL-0002',
  name: 'Dana Tanaka',
  company: 'Northwind Analytics 北風分析株式会社',
  title: 'Director, Revenue Operations',
  email: 'dana.tanaka@northwind-analytics-international.example.com',
  phone: '+44 20 7946 0000',
  score: '72',
  tier: 'warm',
  reasons: ['title:head +15', 'industry:target +10', 'recent +5', 'size:core +15', 'stale 30d ×0.6 -8'],
  stage: 'SAL',
  stageSince: '2026-10-30T09:00:00Z',
  lastActivity: '2026-10-28',
  notes: 'Said "call me next quarter"; uses a competitor, contract ends in March. Budget owner is the CFO.',
  assessment: [
    ['need', 'forecast_accuracy, pipeline_visibility'],
    ['timeline', 'within_6_months'],
  ],
  followUps: [['followup_1', '2026-10-31 no answer']],
};

describe('renderLeadCard', () => {
  it.each([120, 100, 80, 72, 60, 59, 40, 30, 20])('at %i columns: no line wider, every value whole', (columns) => {
    const text = renderLeadCard(card, columns, NOW);
    const lines = text.split('\n');
    for (const l of lines) expect(displayWidth(l), l).toBeLessThanOrEqual(columns);
    // Every word of every value is on the card (wrapping moves words, it never drops them).
    const flat = lines.map((l) => l.replace(/^│ .{13} |│$|^ {2}/g, '').trim()).join(' ');
    for (const v of [card.company, card.title, card.phone, card.notes, 'forecast_accuracy, pipeline_visibility', '2026-10-31 no answer'])
      for (const word of v.split(' ')) expect(flat.replace(/\s+/g, ''), word).toContain(word);
    expect(flat.replace(/\s+/g, '')).toContain(card.email);
  });

  it('at 80 columns: a box exactly 80 wide with the lead\'s name, key and each row labelled', () => {
    const lines = renderLeadCard(card, 80, NOW).split('\n');
    expect(lines[0]).toMatch(/^┌─ Dana Tanaka · PL-0002 ─+┐$/);
    expect(lines.at(-1)).toMatch(/^└─+┘$/);
    for (const l of lines) expect(displayWidth(l)).toBe(80);
    const text = lines.join('\n');
    expect(text).toContain('│ score         72 (warm): title:head +15; size:core +15; industry:target +10');
    expect(text).toContain('│ stage         SAL, for 3 days (since 2026-10-30)');
    expect(text).toContain('│ phone         +44 20 7946 0000');
    expect(text).toMatch(/│ assessment {4}need: forecast_accuracy, pipeline_visibility; timeline:/);
    expect(text).toContain('│ follow-ups    followup_1: 2026-10-31 no answer');
  });

  it('at 120 columns: the box stops at 100 so short lines are not stretched', () => {
    const lines = renderLeadCard(card, 120, NOW).split('\n');
    for (const l of lines) expect(displayWidth(l)).toBe(100);
  });

  it('below 60 columns: no box, each label on its own line, values indented', () => {
    const text = renderLeadCard(card, 40, NOW);
    expect(text).not.toContain('│');
    expect(text.split('\n')[0]).toBe('Dana Tanaka · PL-0002');
    expect(text).toContain('\nphone:\n  +44 20 7946 0000\n');
  });

  it('control characters from the file are shown as escapes, never sent to the terminal', () => {
    const text = renderLeadCard({ ...card, notes: 'evil\u001b[2Jclear', name: 'A\u202eB' }, 80, NOW);
    expect(text).not.toMatch(/[\u001b\u202e]/);
    expect(text).toContain('evil\\e[2Jclear');
  });

  it('leaves out what the file does not have', () => {
    const text = renderLeadCard({ ...card, phone: '', notes: '', assessment: [], followUps: [], stageSince: '' }, 80, NOW);
    expect(text).not.toMatch(/phone|notes|assessment|follow-ups/);
    expect(text).toContain('│ stage         SAL ');
  });
});

describe('parts of the card', () => {
  it.each([
    [['a +1', 'b +20', 'c -30', 'd +0', 'e +20'], ['c -30', 'b +20', 'e +20']],
    [[''], []],
  ])('topReasons(%j) = %j', (reasons, top) => expect(topReasons(reasons)).toEqual(top));

  it.each([
    ['2026-11-02T09:59:30Z', 'just now'],
    ['2026-11-02T09:00:00Z', '1 hour'],
    ['2026-10-31T10:00:00Z', '2 days'],
    ['later', ''],
    ['2026-12-01T00:00:00Z', ''],
  ])('durationSince(%s) = %j', (since, text) => expect(durationSince(since, NOW)).toBe(text));

  it('wrap never loses a character, even in a word longer than the line', () => {
    const text = 'averyveryverylongwordwithoutspaces and 北風分析株式会社 more';
    const lines = wrap(text, 7);
    for (const l of lines) expect(displayWidth(l)).toBeLessThanOrEqual(7);
    expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
  });

  it('cardFromRow reads the file\'s score columns, step times, notes, na_ answers and follow-ups', () => {
    const header = ['Lead ID', 'First Name', 'Email', 'Notes', 'score', 'tier', 'stage', 'reasons', 'sal_at', 'na_need', 'na_outcome', 'Follow-up attempts'];
    const row = ['PL-1', 'Ada', 'ada@acme.test', 'call after 3pm', '81', 'hot', 'SAL', 'title:exec +20; recent +5', '2026-11-01T10:00:00Z', 'forecast_accuracy', 'qualified', '2'];
    const fields: Record<string, number> = { id: 0, first_name: 1, email: 2 };
    const d = cardFromRow({ header, row, key: 'PL-1', columnOf: (f) => fields[f] ?? -1, prefix: '', scored: { score: 0, tier: 'x', stage: 'lead', reasons: [] } });
    expect(d).toMatchObject({ name: 'Ada', score: '81', tier: 'hot', stage: 'SAL', stageSince: '2026-11-01T10:00:00Z', notes: 'call after 3pm' });
    expect(d.reasons).toEqual(['title:exec +20', 'recent +5']);
    expect(d.assessment).toEqual([['need', 'forecast_accuracy']]);
    expect(d.followUps).toEqual([['Follow-up attempts', '2']]);
  });
});
