/** Command-line arguments: flags, and `--format X -o FILE` pairs kept in the order given. */
import { parseArgs } from 'node:util';
import { parsePortfolioArgs, PORTFOLIO_HELP, PORTFOLIO_ONLY, PORTFOLIO_OPTIONS, type PortfolioArgs } from '../portfolio/args.js';

export class UsageError extends Error {}

export interface OutputSpec {
  format?: string;
  /** undefined: standard output. */
  file?: string;
}

export interface CliArgs {
  command: 'assess' | 'list-checks' | 'portfolio' | 'help' | 'version';
  target: string;
  outputs: OutputSpec[];
  checks: string[];
  skip: string[];
  modules: string[];
  config?: string;
  noConfig: boolean;
  failUnder?: number;
  color?: boolean;
  platform?: 'github' | 'gitlab';
  githubApiUrl?: string;
  gitlabUrl?: string;
  /** false: no ETag cache (--no-cache). */
  cache: boolean;
  /** Never call public services (bestpractices.dev, osv.dev). */
  offline: boolean;
  details: boolean;
  quiet: boolean;
  /** A directory of Handlebars templates overriding the built-in ones by file name. */
  template?: string;
  /** `portfolio` command: what to enumerate, where to write (src/portfolio/args.ts). */
  portfolio?: PortfolioArgs;
}

const options = {
  format: { type: 'string', short: 'f', multiple: true },
  output: { type: 'string', short: 'o', multiple: true },
  check: { type: 'string', short: 'c', multiple: true },
  skip: { type: 'string', multiple: true },
  'check-module': { type: 'string', multiple: true },
  config: { type: 'string' },
  'no-config': { type: 'boolean' },
  'fail-under': { type: 'string' },
  color: { type: 'boolean' },
  'no-color': { type: 'boolean' },
  platform: { type: 'string' },
  'github-api-url': { type: 'string' },
  'gitlab-url': { type: 'string' },
  'no-cache': { type: 'boolean' },
  offline: { type: 'boolean' },
  details: { type: 'boolean' },
  template: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'V' },
  ...PORTFOLIO_OPTIONS,
} as const;

export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options, allowPositionals: true, strict: true, tokens: true });
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''));
  }
  const { values: v, positionals, tokens } = parsed;
  if (v.help) return base('help');
  if (v.version) return base('version');
  let command: CliArgs['command'] = 'assess';
  const pos = [...positionals];
  if (pos[0] === 'list-checks') {
    command = 'list-checks';
    pos.shift();
  } else if (pos[0] === 'portfolio') {
    command = 'portfolio';
    pos.shift();
  } else if (pos[0] === 'assess') pos.shift();
  if (command !== 'portfolio') {
    const stray = PORTFOLIO_ONLY.find((k) => v[k] !== undefined);
    if (stray) throw new UsageError(`--${stray} belongs to the portfolio command: slsa-scorecard portfolio --${stray} …`);
  }
  if (pos.length > 1 && command !== 'portfolio') throw new UsageError(`one target at a time (got ${pos.map((p) => `"${p}"`).join(', ')})`);

  const args = base(command);
  if (command === 'portfolio') args.portfolio = parsePortfolioArgs(v, pos, (m) => new UsageError(m));
  else args.target = pos[0] ?? '.';
  args.outputs = pairOutputs(tokens);
  args.checks = (v.check ?? []).flatMap(splitList);
  args.skip = (v.skip ?? []).flatMap(splitList);
  args.modules = v['check-module'] ?? [];
  args.config = v.config;
  args.noConfig = v['no-config'] ?? false;
  args.details = v.details ?? false;
  args.cache = !v['no-cache'];
  args.offline = v.offline ?? false;
  for (const [flag, value] of [
    ['--github-api-url', v['github-api-url']],
    ['--gitlab-url', v['gitlab-url']],
  ] as const) {
    if (value !== undefined && !/^https?:\/\/[^\s/]+/.test(value)) throw new UsageError(`${flag} must be an http(s) URL (got "${value}")`);
  }
  args.githubApiUrl = v['github-api-url'];
  args.gitlabUrl = v['gitlab-url'];
  args.quiet = v.quiet ?? false;
  if (v.template !== undefined) {
    if (v.template.trim() === '') throw new UsageError('--template needs a directory');
    args.template = v.template;
  }
  if (v['no-color']) args.color = false;
  else if (v.color) args.color = true;
  if (v['fail-under'] !== undefined) {
    const n = Number(v['fail-under']);
    if (!Number.isFinite(n) || n < 0 || n > 10)
      throw new UsageError(`--fail-under must be a number from 0 to 10 (got "${v['fail-under']}")`);
    args.failUnder = n;
  }
  if (v.platform !== undefined) {
    if (v.platform !== 'github' && v.platform !== 'gitlab')
      throw new UsageError(`--platform must be github or gitlab (got "${v.platform}")`);
    args.platform = v.platform;
  }
  return args;
}

function base(command: CliArgs['command']): CliArgs {
  return {
    command,
    target: '.',
    outputs: [],
    checks: [],
    skip: [],
    modules: [],
    noConfig: false,
    details: false,
    quiet: false,
    cache: true,
    offline: false,
  };
}

function splitList(s: string): string[] {
  return s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
}

/** `--format a -o x --format b` → [{a, x}, {b, stdout}]; `-o f.json` alone infers from the extension later. */
function pairOutputs(tokens: ReturnType<typeof parseArgs>['tokens']): OutputSpec[] {
  const out: OutputSpec[] = [];
  let pending: string | undefined;
  for (const t of tokens ?? []) {
    if (t.kind !== 'option') continue;
    if (t.name === 'format') {
      if (pending !== undefined) out.push({ format: pending });
      pending = t.value;
    } else if (t.name === 'output') {
      out.push({ format: pending, file: t.value });
      pending = undefined;
    }
  }
  if (pending !== undefined) out.push({ format: pending });
  if (out.filter((o) => o.file === undefined).length > 1) {
    throw new UsageError('only one format can go to standard output: give the others an -o FILE');
  }
  return out;
}

export const HELP = `Usage: slsa-scorecard [TARGET] [options]
       slsa-scorecard list-checks
       slsa-scorecard portfolio (--github-org ORG | --github-user USER | --gitlab-group GROUP | --list FILE) --out DIR

Assess a repository's supply chain: Scorecard-compatible checks, scored 0-10.

TARGET  a local directory (default "."), owner/repo, github.com/owner/repo,
        gitlab.com/group/sub/project, an https URL or a git remote.

Tokens: GITHUB_TOKEN or GH_TOKEN (GitHub), GITLAB_TOKEN (GitLab), from the environment only.

Options:
  -f, --format FMT        table | json | md | html | sarif | badge | shields
                          (repeatable; each pairs with the -o after it)
  -o, --output FILE       write to FILE; without --format the extension decides:
                          .txt .json .md .html .sarif(.json) .svg (badge) .shields.json
  -c, --check ID[,ID]     run only these checks (repeatable)
      --skip ID[,ID]      do not run these checks
      --check-module M    load a third-party check module (path or package; repeatable)
      --config FILE       configuration file (default: TARGET/.slsa-scorecard.yml)
      --no-config         ignore the target's configuration file
      --fail-under N      exit 3 when the aggregate score is below N
      --details           list every finding (table: 10 per check, md: 30 by default)
      --template DIR      Handlebars templates overriding the built-in report.md.hbs,
                          report.html.hbs and partials/*.hbs by file name
      --platform P        github | gitlab, for hosts that do not say which
      --github-api-url U  GitHub API (GHES); default GITHUB_API_URL or api.github.com
      --gitlab-url U      GitLab instance; default GITLAB_URL, CI_SERVER_URL or gitlab.com
      --no-cache          no ETag cache for API requests (default: ~/.cache/slsa-scorecard)
      --offline           never call bestpractices.dev or osv.dev (a local checkout never does)
      --no-color          no colour (also: NO_COLOR=1; colour is only used on a terminal)
  -q, --quiet             no progress or notes on stderr
  -h, --help              this help
  -V, --version           the version
${PORTFOLIO_HELP}
Exit codes:
  0   assessment completed (and --fail-under met)
  2   usage error: bad option, target, configuration or check module
  3   --fail-under not met
  4   the target could not be assessed (missing, unreadable, not supported)
  70  internal error (a bug: please report it)
`;
