// The project config, `qualify.yaml` in the current directory or the nearest parent that has
// one: the defaults a team shares (rules, questionnaires, rep, id column, output format, log format).
// A command-line option always wins. Paths in it are relative to the file, so a command run in
// a subdirectory finds the same rules. Mistakes are CONFIG_INVALID at file:line:col (exit 2).
import { dirname, isAbsolute, join } from 'node:path';
import { QualifyError, QualifyErrors } from '../core/errors.js';
import { readTextFile } from './rules-file.js';
import { locationOf, parseYamlSource, toJsSafely } from '../core/yaml-source.js';

export { CONFIG_FILE, findProjectConfig } from './project-config-file.js';

export interface ProjectConfig {
  /** The file it was read from. */
  file: string;
  rules?: string;
  questionnaires: { assess?: string; discover?: string };
  rep?: string;
  /** The column holding each lead's id (as --id-column). */
  idColumn?: string;
  format?: string;
  logFormat?: 'text' | 'json';
}

const KEYS = ['rules', 'questionnaires', 'rep', 'id_column', 'format', 'log_format'] as const;

/** Reads and checks a qualify.yaml: every mistake at once, each at its line:col. */
export function loadProjectConfig(file: string): ProjectConfig {
  const text = readTextFile(file, 'project config');
  const parsed = parseYamlSource(file, text);
  if (!parsed.source) throw new QualifyErrors(parsed.errors.map((e) => new QualifyError('CONFIG_INVALID', e.message, e.at)));
  const src = parsed.source;
  const js = toJsSafely(src, 'CONFIG_INVALID');
  if (!js.ok) throw js.error;
  const data = js.value ?? {};
  const config: ProjectConfig = { file, questionnaires: {} };
  const errors: QualifyError[] = [];
  const fail = (path: (string | number)[], message: string, key = false): void => {
    errors.push(new QualifyError('CONFIG_INVALID', message, locationOf(src, path, { key })));
  };
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new QualifyError('CONFIG_INVALID', `${file} should be a map of settings (rules:, questionnaires:, rep:, id_column:, format:, log_format:)`, { kind: 'file', file });
  }
  const base = dirname(file);
  const path = (p: string): string => (isAbsolute(p) ? p : join(base, p));
  const text_ = (key: string, v: unknown, at: (string | number)[]): string | undefined => {
    if (typeof v === 'string' && v.trim() !== '') return v;
    fail(at, `${key} should be text, got ${JSON.stringify(v)}`);
    return undefined;
  };
  for (const [key, value] of Object.entries(data as Record<string, unknown>)) {
    switch (key) {
      case 'rules': {
        const v = text_(key, value, [key]);
        if (v !== undefined) config.rules = path(v);
        break;
      }
      case 'rep': {
        const v = text_(key, value, [key]);
        if (v !== undefined) config.rep = v;
        break;
      }
      case 'id_column': {
        const v = text_(key, value, [key]);
        if (v !== undefined) config.idColumn = v;
        break;
      }
      case 'format': {
        const v = text_(key, value, [key]);
        if (v !== undefined && !['csv', 'json', 'ndjson'].includes(v)) fail([key], `format must be one of csv, json, ndjson; got ${JSON.stringify(v)}`);
        else if (v !== undefined) config.format = v;
        break;
      }
      case 'log_format': {
        if (value === 'text' || value === 'json') config.logFormat = value;
        else fail([key], `log_format must be text or json; got ${JSON.stringify(value)}`);
        break;
      }
      case 'questionnaires': {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) {
          fail([key], 'questionnaires should be a map: assess: FILE, discover: FILE');
          break;
        }
        for (const [step, q] of Object.entries(value as Record<string, unknown>)) {
          if (step !== 'assess' && step !== 'discover') {
            fail([key, step], `unknown questionnaire step "${step}"; use assess or discover`, true);
            continue;
          }
          const v = text_(`questionnaires.${step}`, q, [key, step]);
          if (v !== undefined) config.questionnaires[step] = path(v);
        }
        break;
      }
      default:
        fail([key], `unknown setting "${key}"; settings: ${KEYS.join(', ')}`, true);
    }
  }
  if (errors.length) throw new QualifyErrors(errors);
  return config;
}
