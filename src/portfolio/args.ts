/**
 * `slsa-scorecard portfolio` flags: parsed by src/cli/args.ts with the rest, validated here. Kept
 * free of imports so the CLI's cold start does not grow.
 */
import type { PortfolioSpec } from './types.js';

export interface PortfolioArgs {
  /** Undefined only with --resume: the spec is read back from DIR/portfolio.json. */
  spec?: PortfolioSpec;
  out: string;
  resume: boolean;
  includeArchived: boolean;
  includeForks: boolean;
  concurrency?: number;
  batchSize?: number;
  badges: boolean;
}

export const PORTFOLIO_OPTIONS = {
  'github-org': { type: 'string' },
  'github-user': { type: 'string' },
  'gitlab-group': { type: 'string' },
  list: { type: 'string' },
  out: { type: 'string' },
  resume: { type: 'boolean' },
  'include-archived': { type: 'boolean' },
  'include-forks': { type: 'boolean' },
  concurrency: { type: 'string' },
  'batch-size': { type: 'string' },
  badges: { type: 'boolean' },
} as const;

export type PortfolioFlagValues = {
  [K in keyof typeof PORTFOLIO_OPTIONS]?: (typeof PORTFOLIO_OPTIONS)[K]['type'] extends 'string' ? string : boolean;
};

/** Throws `makeError(message)` on bad input. */
export function parsePortfolioArgs(v: PortfolioFlagValues, positionals: string[], makeError: (m: string) => Error): PortfolioArgs {
  if (positionals.length > 0) {
    throw makeError(
      `portfolio takes its repositories from --github-org, --github-user, --gitlab-group or --list, not as arguments (got "${positionals[0]}")`,
    );
  }
  const sources = (
    [
      ['github-org', v['github-org']],
      ['github-user', v['github-user']],
      ['gitlab-group', v['gitlab-group']],
      ['list', v.list],
    ] as const
  ).filter(([, x]) => x !== undefined);
  if (sources.length > 1)
    throw makeError(
      `give one of --github-org, --github-user, --gitlab-group or --list (got ${sources.map(([k]) => `--${k}`).join(' and ')})`,
    );
  let spec: PortfolioSpec | undefined;
  if (sources.length === 1) {
    const [k, raw] = sources[0];
    const value = (raw ?? '').trim();
    if (!value) throw makeError(`--${k} needs a value`);
    spec = k === 'list' ? { kind: 'list', file: value } : { kind: k, name: value };
  } else if (!v.resume) throw makeError('portfolio needs --github-org ORG, --github-user USER, --gitlab-group GROUP or --list FILE');
  if (!v.out || !v.out.trim()) throw makeError('portfolio needs --out DIR (where the results, the dashboard and the index go)');
  const count = (flag: string, raw: string | undefined, min: number, max: number) => {
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max)
      throw makeError(`--${flag} must be a whole number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  return {
    ...(spec ? { spec } : {}),
    out: v.out,
    resume: !!v.resume,
    includeArchived: !!v['include-archived'],
    includeForks: !!v['include-forks'],
    concurrency: count('concurrency', v.concurrency, 1, 100),
    batchSize: count('batch-size', v['batch-size'], 1, 100),
    badges: !!v.badges,
  };
}

/** Flags that only the portfolio command takes (an error elsewhere). */
export const PORTFOLIO_ONLY = Object.keys(PORTFOLIO_OPTIONS) as Array<keyof typeof PORTFOLIO_OPTIONS>;

export const PORTFOLIO_HELP = `
Portfolio (many repositories, one dashboard):
  slsa-scorecard portfolio (--github-org ORG | --github-user USER | --gitlab-group GROUP
                            | --list FILE) --out DIR [options]
      --github-org ORG    every repository of a GitHub organization (GHES: --github-api-url)
      --github-user USER  every repository a GitHub user owns
      --gitlab-group G    every project of a GitLab group, subgroups included (--gitlab-url)
      --list FILE         one repository per line, any platform or host; # comments
      --out DIR           results: DIR/repos/…/<repo>.json, DIR/index.jsonl, DIR/dashboard.html,
                          DIR/summary.md, DIR/repos.csv (and DIR/badges/ with --badges)
      --resume            continue an interrupted run in DIR (finished repositories are skipped;
                          the spec is read back from DIR when no --github-org/… is given)
      --include-archived  assess archived repositories too (skipped by default)
      --include-forks     assess forks too (skipped by default)
      --concurrency N     repositories assessed at once (default 10)
      --batch-size N      most repositories per batched GraphQL query (default 25; adapts below)
      --badges            an SVG badge per repository in DIR/badges/
  -c, --check, --skip, --check-module, --offline, --no-cache and -q apply as for one repository.
  Exit codes: 0 done (repositories that could not be assessed are listed as unknown), 2 usage,
  4 the organization / group could not be listed, 130 interrupted (--resume continues).
`;
