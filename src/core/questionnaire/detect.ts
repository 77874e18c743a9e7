// Which kind of YAML file a path given to `rules check` / `rules show` holds: a questionnaire
// (kind: needs-assessment or discovery) or a rules file.
import { isMap, parseDocument } from 'yaml';

/** A questionnaire rather than a rules file: a YAML map with `kind:` or `steps:` at the top (a
 * rules file has neither). Text that does not parse is left to the rules path, which reports it. */
export function isQuestionnaireText(text: string): boolean {
  const doc = parseDocument(text.replace(/^\uFEFF/, ''));
  return doc.errors.length === 0 && isMap(doc.contents) && (doc.contents.has('kind') || doc.contents.has('steps'));
}
