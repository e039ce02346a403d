/** `slsa-scorecard [TARGET]`: target → source → config → checks → assessment → outputs. */
import { existsSync, statSync, writeFileSync, renameSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CliArgs, OutputSpec } from './args.js';
import { EXIT, type Io } from './main.js';
import { parseTarget, TargetError } from '../target.js';
import { ConfigError, findConfig, loadConfig, type LoadedConfig } from '../config.js';
import { PluginError, loadCheckModule } from '../plugins.js';
import type { CheckDefinition } from '../check.js';
import type { CheckRunOptions } from '../engine.js';
import { assess, type Assessment } from '../assessment.js';
import { createSource } from '../sources/index.js';
import { SourceError } from '../sources/remote.js';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { knownFactNames } from '../facts/names.js';
import { inferFormat, renderAs, FORMAT_NAMES } from '../report/index.js';
import { useColor } from '../report/color.js';

class Fail extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export async function runCommand(args: CliArgs, io: Io): Promise<number> {
  try {
    return await run(args, io);
  } catch (err) {
    if (err instanceof Fail) {
      io.stderr.write(`slsa-scorecard: ${err.message}\n`);
      return err.code;
    }
    if (err instanceof TargetError || err instanceof ConfigError || err instanceof PluginError) {
      io.stderr.write(`slsa-scorecard: ${err.message}\n`);
      return EXIT.usage;
    }
    throw err;
  }
}

async function run(args: CliArgs, io: Io): Promise<number> {
  if (args.command === 'portfolio') return (await import('../portfolio/cli.js')).runPortfolioCommand(args, io);
  const outputs = resolveOutputs(args.outputs);
  const templateDir = args.template === undefined ? undefined : checkTemplateDir(resolve(io.cwd, args.template), args.template);
  const { builtinChecks } = await import('../../checks/index.js');

  if (args.command === 'list-checks') {
    const checks = [...builtinChecks, ...(await loadModules(args.modules, io.cwd))];
    for (const c of checks) io.stdout.write(`${c.id.padEnd(24)} ${c.risk.padEnd(8)} ${c.description.split('\n')[0]}\n`);
    return EXIT.ok;
  }

  const hosts = platformHosts(args, io.env);
  const target = parseTarget(args.target, { platform: args.platform, cwd: io.cwd, ...hosts });
  if (target.kind === 'local') {
    try {
      if (!statSync(target.path).isDirectory()) throw new Fail(EXIT.target, `${target.path} is not a directory`);
    } catch (err) {
      if (err instanceof Fail) throw err;
      throw new Fail(
        EXIT.target,
        `cannot assess ${target.path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such directory' : (err as Error).message}`,
      );
    }
  }

  // A remote repository's own config file is not trusted to load code here; only --config applies.
  const configPath = args.config
    ? resolve(io.cwd, args.config)
    : args.noConfig || target.kind === 'remote'
      ? undefined
      : findConfig(target.path);
  const loaded = loadConfig(configPath);
  const cfg = loaded.config;
  const modules = [
    ...(await loadModules(cfg.modules ?? [], configPath ? dirname(configPath) : io.cwd)),
    ...(await loadModules(args.modules, io.cwd)),
  ];
  const all = [...builtinChecks, ...modules];
  const checks = selectChecks(all, args, loaded);
  const perCheck = await checkOptions(checks, loaded);

  let source;
  try {
    source = await createSource(target, {
      env: io.env,
      githubApiUrl: args.githubApiUrl,
      gitlabUrl: args.gitlabUrl,
      cacheDir: args.cache ? cacheDir(io.env) : undefined,
      log: args.quiet ? undefined : (line) => io.stderr.write(`${line}\n`),
    });
  } catch (err) {
    if (err instanceof SourceError) throw new Fail(EXIT.target, err.message);
    throw err;
  }
  let assessment;
  try {
    assessment = await assess(source, {
      checks,
      perCheck,
      ignore: cfg.ignore,
      // Public services (remote targets only); base URLs overridable for mirrors and tests.
      services: { offline: args.offline, bestPracticesUrl: io.env.SLSA_SCORECARD_BESTPRACTICES_URL, osvUrl: io.env.SLSA_SCORECARD_OSV_URL },
    });
  } catch (err) {
    if (err instanceof SourceError) throw new Fail(EXIT.target, err.message);
    throw err;
  } finally {
    await source.close?.();
  }

  // Render every output from the one assessment first, then write: a template error leaves no file half-updated.
  const color = useColor(io.stdout, io.env, args.color);
  const rendered: Array<{ out: OutputSpec; text: string }> = [];
  for (const out of outputs) {
    let text: string;
    try {
      text = await renderAs(out.format!, assessment, { color: out.file ? false : color, details: args.details, templateDir });
    } catch (err) {
      if (templateDir && (out.format === 'md' || out.format === 'html'))
        throw new Fail(EXIT.usage, `--template ${args.template}: ${(err as Error).message}`);
      throw err;
    }
    rendered.push({ out, text });
  }
  for (const { out, text } of rendered) {
    if (out.file) writeAtomic(resolve(io.cwd, out.file), text);
    else io.stdout.write(text);
    if (!args.quiet && (out.format === 'badge' || out.format === 'shields')) {
      const { readmeSnippet } = await import('../report/readme.js');
      io.stderr.write(
        readmeSnippet(assessment, { format: out.format, file: out.file ? resolve(io.cwd, out.file) : undefined, given: out.file }),
      );
    }
  }
  const failUnder = args.failUnder ?? cfg.failUnder;
  if (failUnder !== undefined && (assessment.score === null || assessment.score < failUnder)) {
    io.stderr.write(`slsa-scorecard: score ${assessment.score ?? '?'} is below --fail-under ${failUnder}\n`);
    return EXIT.failUnder;
  }
  return EXIT.ok;
}

/** Hosts known to be GitHub / GitLab from the API URL settings (GHES, self-managed). */
function platformHosts(args: CliArgs, env: NodeJS.ProcessEnv): { githubHosts: string[]; gitlabHosts: string[] } {
  const host = (u: string | undefined) => {
    try {
      return u ? [new URL(u).host.replace(/^api\./, '')] : [];
    } catch {
      return [];
    }
  };
  return {
    githubHosts: [...host(args.githubApiUrl), ...host(env.GITHUB_API_URL), ...host(env.GITHUB_SERVER_URL)],
    gitlabHosts: [...host(args.gitlabUrl), ...host(env.GITLAB_URL), ...host(env.CI_SERVER_URL)],
  };
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slsa-scorecard');
}

function resolveOutputs(specs: OutputSpec[]): OutputSpec[] {
  if (specs.length === 0) return [{ format: 'table' }];
  return specs.map((s) => {
    const format = s.format ?? (s.file ? inferFormat(s.file) : 'table');
    if (!format)
      throw new Fail(EXIT.usage, `cannot tell the format of "${s.file}" from its extension: add --format (${FORMAT_NAMES.join(', ')})`);
    if (!FORMAT_NAMES.includes(format)) throw new Fail(EXIT.usage, `unknown format "${format}" (known: ${FORMAT_NAMES.join(', ')})`);
    return { format, file: s.file };
  });
}

async function loadModules(specs: string[], baseDir: string): Promise<CheckDefinition[]> {
  const facts = knownFactNames();
  const out: CheckDefinition[] = [];
  for (const s of specs) {
    for (const c of await loadCheckModule(s, baseDir, facts)) out.push({ ...c, module: s });
  }
  return out;
}

function selectChecks(all: CheckDefinition[], args: CliArgs, loaded: LoadedConfig): CheckDefinition[] {
  const ids = new Map<string, CheckDefinition>();
  for (const c of all) {
    if (ids.has(c.id))
      throw new Fail(EXIT.usage, `two checks are named ${c.id} (a check module repeats a built-in or another module's id)`);
    ids.set(c.id, c);
  }
  const cfg = loaded.config;
  const unknownId = (id: string, where: string) =>
    new Fail(EXIT.usage, `${where}: unknown check "${id}" (known: ${[...ids.keys()].join(', ')})`);
  for (const id of [...args.checks, ...args.skip]) if (!ids.has(id)) throw unknownId(id, 'command line');
  (cfg.select ?? []).forEach((id, i) => {
    if (!ids.has(id)) throw unknownId(id, loaded.where(['select', i]));
  });
  (cfg.skip ?? []).forEach((id, i) => {
    if (!ids.has(id)) throw unknownId(id, loaded.where(['skip', i]));
  });
  for (const id of Object.keys(cfg.checks ?? {})) if (!ids.has(id)) throw unknownId(id, loaded.where(['checks', id]));

  const select = args.checks.length > 0 ? args.checks : cfg.select;
  const skip = new Set([
    ...args.skip,
    ...(cfg.skip ?? []),
    ...Object.entries(cfg.checks ?? {})
      .filter(([, c]) => c.enabled === false)
      .map(([id]) => id),
  ]);
  const chosen = (select ? select.map((id) => ids.get(id)!) : all).filter((c) => !skip.has(c.id));
  if (chosen.length === 0) throw new Fail(EXIT.usage, 'no checks left to run after --check/--skip and the configuration');
  return chosen;
}

async function checkOptions(checks: CheckDefinition[], loaded: LoadedConfig): Promise<Record<string, CheckRunOptions>> {
  const out: Record<string, CheckRunOptions> = {};
  let ajv: import('ajv').Ajv | undefined;
  for (const c of checks) {
    const cc = loaded.config.checks?.[c.id];
    if (!cc) continue;
    if (cc.options && c.optionsSchema) {
      const { Ajv } = await import('ajv');
      ajv ??= new Ajv({ allErrors: true, strict: false });
      const validate = ajv.compile(c.optionsSchema);
      if (!validate(cc.options)) {
        const e = validate.errors![0];
        const key = ['checks', c.id, 'options', ...e.instancePath.split('/').slice(1)];
        throw new Fail(EXIT.usage, `${loaded.where(key)}: \`${key.join('.')}\` ${e.message}`);
      }
    }
    out[c.id] = { options: cc.options, ignore: cc.ignore };
  }
  return out;
}

/** --template DIR: a directory holding report.md.hbs, report.html.hbs and/or partials/. */
function checkTemplateDir(dir: string, given: string): string {
  let isDir: boolean;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    throw new Fail(EXIT.usage, `--template ${given}: no such directory`);
  }
  if (!isDir)
    throw new Fail(EXIT.usage, `--template ${given}: not a directory (give the directory that holds report.md.hbs / report.html.hbs)`);
  if (!['report.md.hbs', 'report.html.hbs', 'partials'].some((f) => existsSync(join(dir, f)))) {
    throw new Fail(
      EXIT.usage,
      `--template ${given}: holds none of report.md.hbs, report.html.hbs or partials/ (templates override ours by file name)`,
    );
  }
  return dir;
}

/** Write to a temporary file and rename: a reader never sees half a report. */
function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

export type { Assessment };
