// Writes suggested points into the rules file's YAML document (the `yaml` package's Document
// API), so that the comments, key order and layout of the original are kept and a review shows
// only what calibrate changed: points (with the old value as a comment), rules switched off, new
// fields and rules appended with a `why` that gives their support and lift, caps and the score
// range widened to what the new points can reach, and the tier thresholds.
import { isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml';

export interface ExistingRuleChange {
  id: string;
  /** New points (per unit for a `per` rule); 0 switches the rule off. */
  points: number;
  was: number;
  /** New `max` of a `per` rule (same number of units as before), when it had one. */
  max?: number;
}

export interface NewRule {
  id: string;
  why: string;
  /** The `when` condition as plain data. */
  when: Record<string, unknown>;
  points: number;
}

export interface NewField {
  id: string;
  header: string;
}

export interface RulesEdit {
  changes: ExistingRuleChange[];
  newFields: NewField[];
  newRules: NewRule[];
  /** Caps and floor that would cut the new points, set to what the points can reach. */
  fitMax?: number;
  engagementMax?: number;
  engagementFloor?: number;
  score: { min: number; max: number };
  /** Thresholds in the document's order: new min and max of each. */
  thresholds: { min: number; max: number }[];
  /** Examples (by name) to drop because the new points no longer give what they expect. */
  dropExamples?: { name: string; why: string }[];
  /** A line added to the comment at the top of the file. */
  headline: string;
  /** A rule that fires on every lead: the points that keep scores from going below 0. */
  offset?: NewRule;
}

function setScalar(doc: Document, path: (string | number)[], value: number | boolean, comment?: string): void {
  const node = doc.getIn(path, true) as Node | undefined;
  if (node && isScalar(node)) {
    node.value = value;
    if (comment !== undefined) node.comment = comment;
    return;
  }
  const created = doc.createNode(value);
  if (comment !== undefined) created.comment = comment;
  doc.setIn(path, created);
}

function ruleIndex(doc: Document, id: string): { category: 'fit' | 'engagement'; index: number } | undefined {
  for (const category of ['fit', 'engagement'] as const) {
    const seq = doc.getIn([category, 'rules'], true);
    if (!isSeq(seq)) continue;
    const index = seq.items.findIndex((item) => isMap(item) && String((item as YAMLMap).get('id')) === id);
    if (index >= 0) return { category, index };
  }
  return undefined;
}

/** The edited document's text. Throws when the document has no rule of a changed id (the
 * caller compiled the same text, so that is a bug, not a user error). */
export function editRules(text: string, edit: RulesEdit): string {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''));
  for (const c of edit.changes) {
    const at = ruleIndex(doc, c.id);
    if (!at) throw new Error(`calibrate: rule ${c.id} not found in the document`);
    const base = [at.category, 'rules', at.index];
    if (c.points === 0) {
      setScalar(doc, [...base, 'enabled'], false, ` calibrate: no weight left at this --max-rules (was ${c.was} points)`);
      continue;
    }
    if (c.points !== c.was) setScalar(doc, [...base, 'points'], c.points, ` was ${c.was}`);
    if (c.max !== undefined) setScalar(doc, [...base, 'max'], c.max);
  }

  if (edit.newFields.length > 0) {
    let fields = doc.get('fields', true) as YAMLMap | undefined;
    if (!isMap(fields)) {
      doc.set('fields', doc.createNode({}));
      fields = doc.get('fields', true) as YAMLMap;
    }
    for (const f of edit.newFields) {
      const node = doc.createNode({ aliases: [f.header], optional: true }) as YAMLMap;
      node.flow = true;
      fields.set(doc.createNode(f.id), node);
    }
  }

  if (edit.newRules.length > 0 || edit.offset) {
    let rules = doc.getIn(['fit', 'rules'], true) as YAMLSeq | undefined;
    if (!isSeq(rules)) {
      if (!isMap(doc.get('fit', true))) doc.set('fit', doc.createNode({}));
      doc.setIn(['fit', 'rules'], doc.createNode([]));
      rules = doc.getIn(['fit', 'rules'], true) as YAMLSeq;
      rules.flow = false;
    }
    edit.newRules.forEach((r, i) => {
      const node = doc.createNode({ id: r.id, why: r.why, when: r.when, points: r.points }) as YAMLMap;
      const when = node.get('when', true) as Node;
      if (isMap(when)) (when as YAMLMap).flow = true;
      if (i === 0) node.commentBefore = ' Added by qualify calibrate --explore: points learnt from the outcomes';
      rules!.add(node);
    });
    if (edit.offset) {
      const r = edit.offset;
      const node = doc.createNode({ id: r.id, why: r.why, when: r.when, points: r.points }) as YAMLMap;
      const when = node.get('when', true) as Node;
      if (isMap(when)) (when as YAMLMap).flow = true;
      node.commentBefore = ' Added by qualify calibrate: the offset that starts scores at 0 (a condition every lead meets: the field is there or not)';
      rules.add(node);
    }
  }

  if (edit.fitMax !== undefined && doc.hasIn(['fit', 'max'])) setScalar(doc, ['fit', 'max'], edit.fitMax);
  if (edit.engagementMax !== undefined && doc.hasIn(['engagement', 'max'])) setScalar(doc, ['engagement', 'max'], edit.engagementMax);
  if (edit.engagementFloor !== undefined && doc.hasIn(['engagement', 'floor'])) setScalar(doc, ['engagement', 'floor'], edit.engagementFloor);
  setScalar(doc, ['score', 'min'], edit.score.min);
  setScalar(doc, ['score', 'max'], edit.score.max);
  edit.thresholds.forEach((t, i) => {
    setScalar(doc, ['thresholds', i, 'min'], t.min);
    setScalar(doc, ['thresholds', i, 'max'], t.max);
  });

  if (edit.dropExamples && edit.dropExamples.length > 0) {
    const seq = doc.get('examples', true);
    if (isSeq(seq)) {
      const drop = new Set(edit.dropExamples.map((d) => d.name));
      for (let i = seq.items.length - 1; i >= 0; i--) {
        const item = seq.items[i];
        if (isMap(item) && drop.has(String((item as YAMLMap).get('name')))) seq.items.splice(i, 1);
      }
      const note = edit.dropExamples.map((d) => ` calibrate dropped the example "${d.name}": ${d.why}`).join('\n');
      const seqNode = seq as YAMLSeq;
      if (seqNode.items.length > 0) {
        const first = seqNode.items[0] as Node;
        first.commentBefore = first.commentBefore ? `${note}\n${first.commentBefore}` : note;
      } else doc.delete('examples');
    }
  }

  doc.commentBefore = doc.commentBefore ? `${doc.commentBefore}\n\n ${edit.headline}` : ` ${edit.headline}`;
  // The yaml package pads every flow collection or none: follow what the file does most.
  const padded = (text.match(/[{[] \S/g) ?? []).length;
  const tight = (text.match(/[{[][^\s\]}]/g) ?? []).length;
  return doc.toString({ lineWidth: 0, flowCollectionPadding: padded > tight });
}
