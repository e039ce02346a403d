/** `slsa-scorecard portfolio …`: flags → options → runPortfolio → exit code. */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { CliArgs } from '../cli/args.js';
import type { Io } from '../cli/main.js';
import type { CheckDefinition } from '../check.js';
import { knownFactNames } from '../facts/names.js';
import { loadCheckModule, PluginError } from '../plugins.js';
import { oneLine } from '../report/escape.js';
import { EnumerationError } from './platforms/common.js';
import { ListError } from './list.js';
import { PortfolioError, runPortfolio, SPEC_FILE } from './runner.js';
import type { PortfolioSpec } from './types.js';

const EXIT = { ok: 0, usage: 2, target: 4, interrupted: 130 } as const;

async function selectChecks(args: CliArgs, cwd: string): Promise<CheckDefinition[]> {
  const { builtinChecks } = await import('../../checks/index.js');
  const facts = knownFactNames();
  const all: CheckDefinition[] = [...builtinChecks];
  for (const m of args.modules) for (const c of await loadCheckModule(m, cwd, facts)) all.push({ ...c, module: m });
  const ids = new Map<string, CheckDefinition>();
  for (const c of all) {
    if (ids.has(c.id)) throw new PortfolioError('usage', `two checks are named ${c.id}`);
    ids.set(c.id, c);
  }
  for (const id of [...args.checks, ...args.skip]) {
    if (!ids.has(id)) throw new PortfolioError('usage', `unknown check "${id}" (known: ${[...ids.keys()].join(', ')})`);
  }
  const skip = new Set(args.skip);
  const chosen = (args.checks.length ? args.checks.map((id) => ids.get(id)!) : all).filter((c) => !skip.has(c.id));
  if (chosen.length === 0) throw new PortfolioError('usage', 'no checks left to run after --check/--skip');
  return chosen;
}

async function savedSpec(outDir: string): Promise<PortfolioSpec> {
  try {
    const s = JSON.parse(await readFile(join(outDir, SPEC_FILE), 'utf8')) as { spec?: PortfolioSpec };
    const k = s.spec?.kind;
    if (
      s.spec &&
      (k === 'list'
        ? typeof s.spec.file === 'string'
        : (k === 'github-org' || k === 'github-user' || k === 'gitlab-group') && typeof s.spec.name === 'string')
    ) {
      return s.spec;
    }
  } catch {
    /* below */
  }
  throw new PortfolioError(
    'usage',
    `--resume without --github-org/--github-user/--gitlab-group/--list needs ${join(outDir, SPEC_FILE)} from an earlier run`,
  );
}

function cacheDir(env: NodeJS.ProcessEnv): string {
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'slsa-scorecard');
}

function hostOf(u: string | undefined): string[] {
  try {
    return u ? [new URL(u).host.replace(/^api\./, '')] : [];
  } catch {
    return [];
  }
}

export async function runPortfolioCommand(args: CliArgs, io: Io): Promise<number> {
  const p = args.portfolio!;
  const outDir = resolve(io.cwd, p.out);
  const fail = (code: number, message: string) => {
    io.stderr.write(`slsa-scorecard: ${message}\n`);
    return code;
  };
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    if (++interrupts > 1) process.exit(EXIT.interrupted);
    controller.abort();
    io.stderr.write(
      '\nslsa-scorecard: stopping — finishing the repositories in flight (Ctrl-C again to quit at once; --resume continues)\n',
    );
  };
  process.on('SIGINT', onSigint);
  try {
    const unsupported = [
      args.outputs.length ? '--format/-o (the portfolio writes its own files to --out)' : '',
      args.config ? '--config' : '',
      args.failUnder !== undefined ? '--fail-under' : '',
      args.template ? '--template' : '',
    ].filter(Boolean);
    if (unsupported.length) throw new PortfolioError('usage', `portfolio does not take ${unsupported.join(', ')}`);
    const spec = p.spec ?? (await savedSpec(outDir));
    const checks = await selectChecks(args, io.cwd);
    const result = await runPortfolio({
      spec: spec.kind === 'list' ? { kind: 'list', file: resolve(io.cwd, spec.file) } : spec,
      outDir,
      resume: p.resume,
      includeArchived: p.includeArchived,
      includeForks: p.includeForks,
      concurrency: p.concurrency,
      batchSize: p.batchSize,
      badges: p.badges,
      checks,
      services: { offline: args.offline, bestPracticesUrl: io.env.SLSA_SCORECARD_BESTPRACTICES_URL, osvUrl: io.env.SLSA_SCORECARD_OSV_URL },
      env: io.env,
      githubApiUrl: args.githubApiUrl,
      gitlabUrl: args.gitlabUrl,
      cacheDir: args.cache ? cacheDir(io.env) : undefined,
      targetOptions: {
        platform: args.platform,
        githubHosts: [...hostOf(args.githubApiUrl), ...hostOf(io.env.GITHUB_API_URL), ...hostOf(io.env.GITHUB_SERVER_URL)],
        gitlabHosts: [...hostOf(args.gitlabUrl), ...hostOf(io.env.GITLAB_URL), ...hostOf(io.env.CI_SERVER_URL)],
      },
      stderr: io.stderr,
      quiet: args.quiet,
      signal: controller.signal,
    });
    const r = result;
    io.stdout.write(
      `${r.total} repositories: ${r.assessed} assessed, ${r.errors} unknown${r.resumedSkipped ? `, ${r.resumedSkipped} done by an earlier run` : ''}` +
        `${r.aborted ? ' — interrupted: run again with --resume to finish' : ''}\n` +
        `dashboard: ${r.reports?.dashboard ?? join(outDir, 'dashboard.html')}\nsummary:   ${r.reports?.summary}\ncsv:       ${r.reports?.csv}\nindex:     ${join(outDir, 'index.jsonl')}\n`,
    );
    return r.aborted ? EXIT.interrupted : EXIT.ok;
  } catch (err) {
    if (err instanceof PortfolioError) return fail(err.code === 'usage' ? EXIT.usage : EXIT.target, err.message);
    if (err instanceof ListError || err instanceof PluginError) return fail(EXIT.usage, err.message);
    if (err instanceof EnumerationError) return fail(err.kind === 'invalid' ? EXIT.usage : EXIT.target, oneLine(err.message, 1000));
    throw err;
  } finally {
    process.off('SIGINT', onSigint);
  }
}
