// The salesperson's name for the script's {{rep_name}}: `--rep`, else $QUALIFY_REP, else the name
// saved in the per-user config ($XDG_CONFIG_HOME/qualify/config.yaml, ~/.config/qualify/ by
// default), else asked once in the terminal and saved there. A config that cannot be read or
// written only costs the reminder, never the call.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { Document, parseDocument } from 'yaml';
import type { Prompter } from './prompter.js';

/** Where the rep's name is kept: `$XDG_CONFIG_HOME/qualify/config.yaml` (`~/.config/...`). */
export function userConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env['XDG_CONFIG_HOME'] && env['XDG_CONFIG_HOME'].startsWith('/') ? env['XDG_CONFIG_HOME'] : join(homedir(), '.config');
  return join(base, 'qualify', 'config.yaml');
}

/** The `rep:` saved in the config, or undefined (no file, no key, unreadable). */
export function savedRep(path: string): string | undefined {
  try {
    const rep = parseDocument(readFileSync(path, 'utf8')).get('rep');
    return typeof rep === 'string' && rep.trim() !== '' ? rep.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** Saves `rep:` in the config, keeping its other keys; written to a temp file then renamed. */
export function saveRep(path: string, rep: string): void {
  let doc: Document;
  try {
    doc = parseDocument(readFileSync(path, 'utf8'));
    if (doc.errors.length > 0 || doc.contents === null || !('items' in doc.contents)) doc = new Document({});
  } catch {
    doc = new Document({});
  }
  doc.set('rep', rep);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, String(doc), { mode: 0o600 });
  renameSync(tmp, path);
}

/**
 * Asks the salesperson's name once (blank: the script keeps "[your name]") and saves it for the
 * next calls. `log` gets a line saying where it was saved, or why it could not be.
 */
export async function askRep(prompter: Prompter, path: string, log: (line: string) => void): Promise<string | undefined> {
  const v = await prompter.input({
    id: '$rep',
    message: 'Your name, as the script introduces you',
    help: `Asked once: saved in ${path} for the next calls (or use --rep NAME, or set QUALIFY_REP). Leave blank to skip.`,
    required: false,
    allowed: 'your name (or leave blank)',
    parse: (raw) => (raw === null || raw === undefined || typeof raw === 'string' ? { ok: true, value: typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : null } : { ok: false, message: 'type your name' }),
  });
  if (typeof v !== 'string') return undefined;
  try {
    saveRep(path, v);
    log(`Saved your name in ${path}; --rep or QUALIFY_REP override it.`);
  } catch (e) {
    log(`Could not save your name in ${path} (${(e as Error).message}); use --rep or QUALIFY_REP next time.`);
  }
  return v;
}
