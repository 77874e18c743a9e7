// Applies qualify.yaml (src/io/project-config.ts) to whichever command runs: before its action,
// each option the config sets and the command line did not give takes the config's value. Works
// off the command tree, so commands others add honour the config without edits; their --help
// says which setting feeds which option.
import type { Command } from 'commander';
import type { ProjectConfig } from '../io/project-config.js';

/** Option attribute -> the qualify.yaml setting that gives its default. */
const SETTING_OF: Record<string, string> = { rules: 'rules', questionnaire: 'questionnaires', rep: 'rep', idColumn: 'id_column', format: 'format' };

function walk(cmd: Command, fn: (c: Command) => void): void {
  fn(cmd);
  for (const sub of cmd.commands) walk(sub, fn);
}

export async function useProjectConfig(program: Command, argv: readonly string[]): Promise<void> {
  // The loader (YAML parser, rules compiler) only when there is a file to load: a run without
  // one, `--version` or `--help` included, starts without them.
  const { findProjectConfig, CONFIG_FILE } = await import('../io/project-config-file.js');
  const file = findProjectConfig();
  let config: ProjectConfig | undefined;
  let problem: unknown;
  if (file !== undefined) {
    try {
      config = (await import('../io/project-config.js')).loadProjectConfig(file);
    } catch (e) {
      problem = e;
    }
  }
  if (config?.logFormat === 'json') {
    const { installJsonLog, logFormatInArgv } = await import('../ui/log-format.js');
    if (logFormatInArgv(argv) === undefined) installJsonLog();
  }
  walk(program, (cmd) => {
    // `rules check [file]`, `rules show [file]`: the project's rules when no file is given.
    if (cmd.parent?.name() === 'rules')
      for (const a of cmd.registeredArguments) if (a.name() === 'file') a.description += `; default from ${CONFIG_FILE} "rules:" when set`;
    for (const o of cmd.options) {
      const setting = SETTING_OF[o.attributeName()];
      if (setting === undefined) continue;
      // Only an output format of data (csv, json, ndjson) comes from the config, not explain's table/json.
      if (setting === 'format' && !o.description.includes('csv')) continue;
      const key = setting === 'questionnaires' ? `questionnaires.${cmd.name()}` : setting;
      o.description += `; default from ${CONFIG_FILE} "${key}:" when set`;
    }
  });
  program.hook('preAction', async (_root, cmd) => {
    if (problem !== undefined) {
      const [{ qualifyErrorsOf, formatError }, { logFormat, recordLine, errorRecord }, { CommanderError }] = await Promise.all([
        import('../ui/diagnostics.js'),
        import('../ui/log-format.js'),
        import('commander'),
      ]);
      const errors = qualifyErrorsOf(problem);
      if (!errors) throw problem;
      for (const e of errors) process.stderr.write(logFormat() === 'json' ? recordLine(errorRecord(e)) : formatError(e) + '\n');
      throw new CommanderError(2, 'qualify.config', `${file}: invalid`);
    }
    if (!config) return;
    const step = cmd.name();
    if (cmd.parent?.name() === 'rules' && config.rules !== undefined && cmd.registeredArguments[0]?.name() === 'file' && cmd.processedArgs[0] === undefined) cmd.processedArgs[0] = config.rules;
    const values: Record<string, string | undefined> = {
      rules: config.rules,
      questionnaire: step === 'assess' || step === 'discover' ? config.questionnaires[step] : undefined,
      // $QUALIFY_REP is the person at the keyboard; the project's rep comes after it.
      rep: process.env['QUALIFY_REP'] ? undefined : config.rep,
      idColumn: config.idColumn,
      format: config.format,
    };
    for (const o of cmd.options) {
      const attr = o.attributeName();
      const value = values[attr];
      if (value === undefined || !(attr in SETTING_OF)) continue;
      const source = cmd.getOptionValueSource(attr);
      if (source === 'cli' || source === 'env') continue;
      // A format the command does not write (explain's table/json) is left to the command.
      if (attr === 'format' && !(o.description.includes('csv') && o.description.includes(value))) continue;
      cmd.setOptionValueWithSource(attr, value, 'config');
    }
  });
}
