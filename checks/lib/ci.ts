/**
 * CI helpers shared by the release checks (Packaging, SAST, Hosted-Build, Provenance): step
 * expansion through local composite actions, shell-command matching with file:line:col,
 * GITHUB_TOKEN permission resolution and publish-site detection.
 */
import type { Location } from '../../src/facts/model.js';
import type { ActionMeta, Job, RunScript, Step, Workflow } from '../../src/parsers/github-workflow.js';
import type { GitlabCi } from '../../src/parsers/gitlab-ci.js';

/** `owner/repo/path@ref` → `owner/repo/path` (case kept, as Scorecard compares it). */
export function actionName(uses: string): string {
  const at = uses.indexOf('@');
  return (at < 0 ? uses : uses.slice(0, at)).trim();
}

/** The ref after `@`, if any. */
export function actionRef(uses: string): string | undefined {
  const at = uses.indexOf('@');
  return at < 0 ? undefined : uses.slice(at + 1).trim();
}

/** Case-insensitive action-name test (GitHub owner/repo names are case-insensitive). */
export function usesAction(step: Step, name: string | RegExp): boolean {
  if (!step.uses) return false;
  const n = actionName(step.uses.value);
  return typeof name === 'string' ? n.toLowerCase() === name.toLowerCase() : name.test(n);
}

export interface StepRef {
  step: Step;
  /** Path of the local composite action the step comes from (absent for the job's own steps). */
  via?: string;
}

const MAX_COMPOSITE_DEPTH = 3;

/** The job's steps, each followed by the steps of the local composite action it calls (`uses: ./dir`). */
export function jobSteps(job: Job, actions: readonly ActionMeta[] = []): StepRef[] {
  const out: StepRef[] = [];
  const visit = (steps: readonly Step[], via: string | undefined, depth: number, seen: Set<string>) => {
    for (const step of steps) {
      out.push(via ? { step, via } : { step });
      const meta = step.uses && depth < MAX_COMPOSITE_DEPTH ? localAction(step.uses.value, actions) : undefined;
      if (meta && !seen.has(meta.path)) visit(meta.steps, meta.path, depth + 1, new Set([...seen, meta.path]));
    }
  };
  visit(job.steps, undefined, 0, new Set());
  return out;
}

function localAction(uses: string, actions: readonly ActionMeta[]): ActionMeta | undefined {
  if (!uses.startsWith('./')) return undefined;
  const dir = uses.slice(2).replace(/\/+$/, '');
  const base = dir ? `${dir}/` : '';
  return actions.find((a) => a.path === `${base}action.yml` || a.path === `${base}action.yaml`);
}

/** One command of a shell script: `a && b; c | d` gives four, continuation lines are joined. */
export interface ShellCommand {
  text: string;
  tokens: string[];
  loc: Location;
}

/** Splits a `run:` / `script:` value into commands with their file positions (comment lines skipped). */
/** Several checks split the same scripts: memoized per script object (facts are shared within a run). */
const commandCache = new WeakMap<RunScript, ShellCommand[]>();

export function shellCommands(script: RunScript): ShellCommand[] {
  let cached = commandCache.get(script);
  if (!cached) {
    cached = splitCommands(script);
    commandCache.set(script, cached);
  }
  return cached;
}

function splitCommands(script: RunScript): ShellCommand[] {
  const lines = script.value.split('\n');
  const out: ShellCommand[] = [];
  for (let i = 0; i < lines.length; i++) {
    // Join `\`-continued lines, remembering where each piece starts so positions map back.
    const pieces: Array<{ line: number; offset: number }> = [{ line: i, offset: 0 }];
    let logical = lines[i];
    while (/\\\r?$/.test(logical) && i + 1 < lines.length) {
      logical = `${logical.replace(/\\\r?$/, '')} `;
      i++;
      pieces.push({ line: i, offset: logical.length });
      logical += lines[i];
    }
    if (/^\s*#/.test(logical)) continue;
    const posOf = (index: number): Location => {
      let p = pieces[0];
      for (const q of pieces) if (q.offset <= index) p = q;
      return script.at(p.line, index - p.offset);
    };
    const re = /&&|\|\||;|\|/g;
    let start = 0;
    for (let m = re.exec(logical); ; m = re.exec(logical)) {
      const end = m ? m.index : logical.length;
      const seg = logical.slice(start, end);
      const lead = seg.length - seg.trimStart().length;
      const text = seg.trim();
      if (text && !text.startsWith('#')) out.push({ text, tokens: tokenize(text), loc: posOf(start + lead) });
      if (!m) break;
      start = m.index + m[0].length;
    }
  }
  return out;
}

function tokenize(text: string): string[] {
  return text
    .split(/\s+/)
    .map((t) => t.replace(/^["']+|["']+$/g, ''))
    .filter((t) => t !== '');
}

/** Index of the first token naming one of the programs (by basename: `./mvnw`, `/kaniko/executor`). */
export function commandIndex(tokens: readonly string[], programs: readonly string[]): number {
  // Dozens of publish rules test every command: basenames and program sets are computed once each.
  let names = baseNames.get(tokens);
  if (!names) baseNames.set(tokens, (names = tokens.map((t) => t.slice(t.lastIndexOf('/') + 1))));
  let wanted = programSets.get(programs);
  if (!wanted) programSets.set(programs, (wanted = new Set(programs)));
  for (let i = 0; i < names.length; i++) if (wanted.has(names[i])) return i;
  return -1;
}
const baseNames = new WeakMap<readonly string[], string[]>();
const programSets = new WeakMap<readonly string[], Set<string>>();

/** A step's environment: step `env:` over job `env:` over workflow `env:`. */
export function envOf(wf: Workflow, job: Job, step: Step): Env {
  return (k) => step.env[k]?.value ?? job.env[k]?.value ?? wf.env[k]?.value;
}

/** What the job's GITHUB_TOKEN gets for a scope: job-level permissions replace workflow-level ones. */
export type Grant = 'write' | 'read' | 'none' | 'default' | 'expression';

export function grantOf(wf: Workflow, job: Job, scope: string): Grant {
  const p = job.permissions.declared ? job.permissions : wf.permissions;
  if (!p.declared) return 'default';
  switch (p.kind) {
    case 'write-all':
      return 'write';
    case 'read-all':
      return 'read';
    case 'none':
      return 'none';
    case 'expression':
      return 'expression';
    default: {
      const v = p.scopes[scope]?.value;
      if (v === undefined) return 'none';
      if (v.includes('${{')) return 'expression';
      return v === 'write' ? 'write' : v === 'read' ? 'read' : 'none';
    }
  }
}

/** Events of a workflow's `on:` (push with only `tags:` is reported as `push:tags`). */
export function workflowEvents(wf: Workflow): string[] {
  return wf.triggers.map((t) => (t.event === 'push' && pushOnlyTags(t.config) ? 'push:tags' : t.event));
}

function pushOnlyTags(config: unknown): boolean {
  if (!config || typeof config !== 'object') return false;
  const c = config as Record<string, unknown>;
  return ('tags' in c || 'tags-ignore' in c) && !('branches' in c) && !('branches-ignore' in c) && !('paths' in c);
}

/** `./.github/workflows/x.yml@ref` → `.github/workflows/x.yml` (undefined for other repositories' workflows). */
export function localWorkflowPath(uses: string): string | undefined {
  return uses.startsWith('./') ? actionName(uses).slice(2) : undefined;
}

/** Workflows of this repository that call the given (reusable) workflow file. */
export function callersOf(wfs: readonly Workflow[], file: string): Workflow[] {
  return wfs.filter((w) => w.jobs.some((j) => j.uses && localWorkflowPath(j.uses.value) === file));
}

/** Reusable workflows nothing here calls: offered to other repositories, not this project's own release path. */
export function libraryWorkflows(wfs: readonly Workflow[]): Set<string> {
  return new Set(
    wfs
      .filter((w) => w.triggers.length > 0 && w.triggers.every((t) => t.event === 'workflow_call') && callersOf(wfs, w.path).length === 0)
      .map((w) => w.path),
  );
}

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);

/** Workflows that only run for pull requests never publish a release. */
export function prOnly(wf: Workflow): boolean {
  return wf.triggers.length > 0 && wf.triggers.every((t) => PR_EVENTS.has(t.event));
}

// ───────────────────────────── publish detection ─────────────────────────────

export interface PublishSite {
  platform: 'github' | 'gitlab';
  /** What publishes, e.g. `npm publish`, `pypa/gh-action-pypi-publish`, `release keyword`. */
  tool: string;
  /** Where it goes: npm, pypi, maven, rubygems, nuget, oci, crates, hex, go, helm, github-release, gitlab-release, generic… */
  ecosystem: string;
  loc: Location;
  /** The workflow or CI file the job is defined in. */
  file: string;
  job: string;
  jobLoc: Location;
  /** Scorecard's own patterns see this job as publishing. */
  scorecard: boolean;
  /** The job can mint an OIDC token (`id-token: write` / `id_tokens:`), which trusted publishing needs. */
  oidc: boolean;
  /** PyPI trusted publishing (OIDC, no API token). */
  trustedPublishing?: boolean;
}

/** Environment lookup for a command (step, job and workflow `env:`, or GitLab `variables:`). */
export type Env = (name: string) => string | undefined;

interface CommandRule {
  tool: string;
  ecosystem: string;
  match(t: readonly string[], env: Env): boolean;
}

const has = (t: readonly string[], ...words: string[]) => t.some((x) => words.includes(x));
const after = (t: readonly string[], programs: string[]) => {
  const i = commandIndex(t, programs);
  return i < 0 ? undefined : t.slice(i + 1);
};
/** `prog [options] sub…`: the first non-option words after the program. */
const words = (rest: readonly string[] | undefined) => (rest ?? []).filter((x) => !x.startsWith('-'));

const LOCAL_REGISTRY = /^(?:ko\.local|kind\.local|localhost|127\.0\.0\.1|registry\.local)(?:[:/]|$)/i;

/** Publish commands, for `run:` steps and GitLab `script:` lines alike. */
export const PUBLISH_COMMANDS: readonly CommandRule[] = [
  {
    tool: 'npm publish',
    ecosystem: 'npm',
    match: (t) => {
      const rest = after(t, ['npm', 'pnpm']);
      if (!rest) return false;
      const i = rest.indexOf('publish');
      return i >= 0 && !rest.slice(0, i).some((x) => ['run', 'run-script', 'exec', 'x'].includes(x)) && !has(rest, '--dry-run');
    },
  },
  {
    tool: 'yarn publish',
    ecosystem: 'npm',
    match: (t) => {
      const w = words(after(t, ['yarn']));
      return w[0] === 'publish' || (w[0] === 'npm' && w[1] === 'publish');
    },
  },
  {
    tool: 'semantic-release',
    ecosystem: 'release',
    match: (t) => commandIndex(t, ['semantic-release']) >= 0 && !has(t, '--dry-run', '--noop'),
  },
  {
    tool: 'mvn deploy',
    ecosystem: 'maven',
    match: (t) =>
      (after(t, ['mvn', 'mvnw']) ?? []).some((x) => /^(?:deploy|deploy:[\w-]+|release:perform|[\w.-]+:deploy|[\w.-]+:publish)$/.test(x)),
  },
  {
    tool: 'gradle publish',
    ecosystem: 'maven',
    match: (t) => (after(t, ['gradle', 'gradlew']) ?? []).some((x) => /^(?:\S*:)?publish\w*$/.test(x) && !/publishToMavenLocal$/.test(x)),
  },
  {
    tool: 'sbt publish',
    ecosystem: 'maven',
    match: (t) => (after(t, ['sbt']) ?? []).some((x) => /^\+?(?:ci-release|publish|publishSigned|sonatypeBundleRelease)$/.test(x)),
  },
  { tool: 'gem push', ecosystem: 'rubygems', match: (t) => words(after(t, ['gem']))[0] === 'push' },
  { tool: 'rake release', ecosystem: 'rubygems', match: (t) => words(after(t, ['rake']))[0] === 'release' },
  {
    tool: 'nuget push',
    ecosystem: 'nuget',
    match: (t) => {
      const w = words(after(t, ['nuget', 'dotnet']));
      return w[0] === 'push' || (w[0] === 'nuget' && w[1] === 'push');
    },
  },
  {
    tool: 'docker push',
    ecosystem: 'oci',
    match: (t) => {
      const rest = after(t, ['docker', 'podman', 'buildah']);
      return !!rest && (words(rest).includes('push') || rest.some((x) => x === '--push' || x === '--push=true'));
    },
  },
  { tool: 'crane push', ecosystem: 'oci', match: (t) => ['push', 'copy', 'cp'].includes(words(after(t, ['crane']))[0] ?? '') },
  { tool: 'skopeo copy', ecosystem: 'oci', match: (t) => words(after(t, ['skopeo']))[0] === 'copy' },
  { tool: 'oras push', ecosystem: 'oci', match: (t) => words(after(t, ['oras']))[0] === 'push' },
  { tool: 'kaniko', ecosystem: 'oci', match: (t) => t.some((x) => /kaniko\/executor$/.test(x)) && !has(t, '--no-push') },
  {
    tool: 'ko build',
    ecosystem: 'oci',
    // ko pushes to KO_DOCKER_REPO unless that is a local daemon/registry (tests) or --local is given.
    match: (t, env) =>
      ['build', 'publish', 'resolve', 'apply'].includes(words(after(t, ['ko']))[0] ?? '') &&
      !has(t, '--local', '-L', '--push=false') &&
      !LOCAL_REGISTRY.test(t.find((x) => x.startsWith('KO_DOCKER_REPO='))?.slice(15) ?? env('KO_DOCKER_REPO') ?? ''),
  },
  { tool: 'helm push', ecosystem: 'helm', match: (t) => ['push', 'cm-push'].includes(words(after(t, ['helm']))[0] ?? '') },
  {
    tool: 'cargo publish',
    ecosystem: 'crates',
    match: (t) => {
      const rest = after(t, ['cargo']);
      return !!rest && words(rest).filter((x) => !x.startsWith('+'))[0] === 'publish' && !has(rest, '--dry-run');
    },
  },
  { tool: 'mix hex.publish', ecosystem: 'hex', match: (t) => has(after(t, ['mix']) ?? [], 'hex.publish') },
  {
    tool: 'rebar3 hex publish',
    ecosystem: 'hex',
    match: (t) => {
      const w = words(after(t, ['rebar3']));
      return w[0] === 'hex' && w[1] === 'publish';
    },
  },
  { tool: 'twine upload', ecosystem: 'pypi', match: (t) => words(after(t, ['twine']))[0] === 'upload' },
  {
    tool: 'pypi publish',
    ecosystem: 'pypi',
    match: (t) => words(after(t, ['poetry', 'uv', 'flit', 'hatch', 'pdm']))[0] === 'publish' && !has(t, '--dry-run'),
  },
  {
    tool: 'goreleaser',
    ecosystem: 'go',
    match: (t) => {
      const rest = after(t, ['goreleaser']);
      if (!rest) return false;
      const w = words(rest);
      return (w.length === 0 || w[0] === 'release') && !rest.some((x) => x === '--snapshot' || x.startsWith('--skip=publish'));
    },
  },
  { tool: 'vsce publish', ecosystem: 'vscode', match: (t) => words(after(t, ['vsce', 'ovsx']))[0] === 'publish' },
  {
    tool: 'gh release',
    ecosystem: 'github-release',
    match: (t) => {
      const w = words(after(t, ['gh']));
      return w[0] === 'release' && (w[1] === 'create' || w[1] === 'upload');
    },
  },
  {
    tool: 'glab release',
    ecosystem: 'gitlab-release',
    match: (t) => {
      const w = words(after(t, ['glab']));
      return w[0] === 'release' && w[1] === 'create';
    },
  },
  { tool: 'release-cli', ecosystem: 'gitlab-release', match: (t) => words(after(t, ['release-cli'])).includes('create') },
  {
    tool: 'generic package upload',
    ecosystem: 'generic',
    match: (t) => commandIndex(t, ['curl']) >= 0 && t.some((x) => x.includes('/packages/generic/')) && has(t, '--upload-file', '-T', 'PUT'),
  },
];

interface UsesRule {
  name: string | RegExp;
  tool: string;
  ecosystem: string;
  when?: (s: Step) => boolean;
}

const falsy = (v: string | undefined) => v === undefined || v.trim() === '' || v.trim() === 'false';

/** Publishing actions (GitHub). */
const PUBLISH_ACTIONS: readonly UsesRule[] = [
  { name: 'pypa/gh-action-pypi-publish', tool: 'pypa/gh-action-pypi-publish', ecosystem: 'pypi' },
  // build-push-action pushes only with `push: true` (Scorecard counts any use of it).
  { name: 'docker/build-push-action', tool: 'docker/build-push-action', ecosystem: 'oci', when: (s) => !falsy(s.with.push?.value) },
  { name: 'docker/bake-action', tool: 'docker/bake-action', ecosystem: 'oci', when: (s) => !falsy(s.with.push?.value) },
  { name: 'redhat-actions/push-to-registry', tool: 'redhat-actions/push-to-registry', ecosystem: 'oci' },
  { name: /^(?:imjasonh|ko-build)\/setup-ko$/i, tool: 'ko', ecosystem: 'oci' },
  {
    name: 'goreleaser/goreleaser-action',
    tool: 'goreleaser',
    ecosystem: 'go',
    when: (s) => !/--snapshot|\bbuild\b|--skip=publish/.test(s.with.args?.value ?? ''),
  },
  { name: /^(?:relekang|python-semantic-release)\/python-semantic-release$/i, tool: 'python-semantic-release', ecosystem: 'pypi' },
  { name: 'cycjimmy/semantic-release-action', tool: 'semantic-release', ecosystem: 'release' },
  { name: 'changesets/action', tool: 'changesets', ecosystem: 'npm', when: (s) => !falsy(s.with.publish?.value) },
  { name: 'JS-DevTools/npm-publish', tool: 'JS-DevTools/npm-publish', ecosystem: 'npm' },
  { name: 'rubygems/release-gem', tool: 'rubygems/release-gem', ecosystem: 'rubygems' },
  { name: 'katyo/publish-crates', tool: 'katyo/publish-crates', ecosystem: 'crates' },
  // Trusted-publishing token exchanges: the job publishes with the token they mint.
  { name: 'rust-lang/crates-io-auth-action', tool: 'crates.io trusted publishing', ecosystem: 'crates' },
  { name: 'rubygems/configure-rubygems-credentials', tool: 'RubyGems trusted publishing', ecosystem: 'rubygems' },
  {
    name: /^(?:softprops\/action-gh-release|ncipollo\/release-action|actions\/create-release|actions\/upload-release-asset|svenstaro\/upload-release-action)$/i,
    tool: 'GitHub release action',
    ecosystem: 'github-release',
  },
];

function matchUses(step: Step): UsesRule | undefined {
  return PUBLISH_ACTIONS.find((r) => usesAction(step, r.name) && (!r.when || r.when(step)));
}

function matchCommands(script: RunScript, env: Env): Array<{ rule: CommandRule; cmd: ShellCommand }> {
  const out: Array<{ rule: CommandRule; cmd: ShellCommand }> = [];
  for (const cmd of shellCommands(script)) {
    const rule = PUBLISH_COMMANDS.find((r) => r.match(cmd.tokens, env));
    if (rule) out.push({ rule, cmd });
  }
  return out;
}

/** Packaging, Provenance and Hosted-Build all ask for the same workflows' publish sites. */
const siteCache = new WeakMap<Workflow, WeakMap<readonly ActionMeta[], PublishSite[]>>();
const NO_ACTIONS: readonly ActionMeta[] = [];

export function githubPublishSites(wf: Workflow, actions: readonly ActionMeta[] = NO_ACTIONS): PublishSite[] {
  let byActions = siteCache.get(wf);
  if (!byActions) siteCache.set(wf, (byActions = new WeakMap()));
  let sites = byActions.get(actions);
  if (!sites) byActions.set(actions, (sites = findPublishSites(wf, actions)));
  return sites;
}

/** Publish sites of one GitHub workflow: publishing actions and commands, job by job. */
function findPublishSites(wf: Workflow, actions: readonly ActionMeta[]): PublishSite[] {
  const out: PublishSite[] = [];
  for (const job of wf.jobs) {
    const base = {
      platform: 'github' as const,
      file: wf.path,
      job: job.id,
      jobLoc: job.loc,
      scorecard: scorecardPublishes(job),
      oidc: grantOf(wf, job, 'id-token') === 'write',
    };
    for (const { step } of jobSteps(job, actions)) {
      const u = matchUses(step);
      if (u && step.uses) {
        const site: PublishSite = { ...base, tool: u.tool, ecosystem: u.ecosystem, loc: step.uses.loc };
        if (u.ecosystem === 'pypi' && u.tool === 'pypa/gh-action-pypi-publish')
          site.trustedPublishing = base.oidc && falsy(step.with.password?.value);
        out.push(site);
      }
      if (step.run) {
        const env = envOf(wf, job, step);
        for (const { rule, cmd } of matchCommands(step.run, env))
          out.push({ ...base, tool: rule.tool, ecosystem: rule.ecosystem, loc: cmd.loc });
      }
    }
  }
  return out;
}

/** Publish sites of a GitLab pipeline: `release:` jobs and publish commands in scripts. */
export function gitlabPublishSites(ci: GitlabCi): PublishSite[] {
  const out: PublishSite[] = [];
  for (const job of ci.jobs) {
    const base = { platform: 'gitlab' as const, file: job.loc.path, job: job.name, jobLoc: job.loc, oidc: job.idTokens.length > 0 };
    if (job.release) out.push({ ...base, tool: 'release keyword', ecosystem: 'gitlab-release', loc: job.release, scorecard: false });
    for (const line of job.scripts) {
      for (const { rule, cmd } of matchCommands(line, (k) => job.variables[k]?.value)) {
        // Scorecard's GitLab matcher is a plain substring search for these four.
        const scorecard = ['docker push', 'nuget push', 'poetry publish', 'twine upload'].some((s) => cmd.text.includes(s));
        out.push({ ...base, tool: rule.tool, ecosystem: rule.ecosystem, loc: cmd.loc, scorecard });
      }
    }
  }
  return out;
}

export function publishSites(workflows: readonly Workflow[], ci: GitlabCi | null, actions: readonly ActionMeta[] = []): PublishSite[] {
  return [...workflows.flatMap((wf) => githubPublishSites(wf, actions)), ...(ci ? gitlabPublishSites(ci) : [])];
}

/**
 * Scorecard's job matchers, as written (so `scorecard` tells where we agree): every listed step must
 * be present; a reusable-workflow call whose `uses` starts with a matcher's action counts too.
 */
const SCORECARD_MATCHERS: ReadonlyArray<ReadonlyArray<{ uses?: string; with?: Record<string, string>; run?: RegExp }>> = [
  [{ uses: 'actions/setup-node', with: { 'registry-url': 'https://registry.npmjs.org' } }, { run: /npm.*publish/ }],
  [{ uses: 'actions/setup-java' }, { run: /mvn.*deploy/ }],
  [{ uses: 'actions/setup-java' }, { run: /gradle.*publish/ }],
  [{ run: /gem.*push/ }],
  [{ run: /nuget.*push/ }],
  [{ run: /docker.*push/ }],
  [{ uses: 'docker/build-push-action' }],
  [{ uses: 'pypa/gh-action-pypi-publish' }],
  [{ uses: 'relekang/python-semantic-release' }],
  [{ uses: 'actions/setup-go' }, { uses: 'goreleaser/goreleaser-action' }],
  [{ run: /cargo.*publish/ }],
  [{ uses: 'imjasonh/setup-ko' }, { uses: 'ko-build/setup-ko' }],
];

function scorecardPublishes(job: Job): boolean {
  return SCORECARD_MATCHERS.some((steps) => {
    for (const want of steps) {
      if (want.uses && job.uses?.value.startsWith(`${want.uses}@`)) return true;
      const ok = job.steps.some((s) => {
        if (want.uses && !s.uses?.value.startsWith(`${want.uses}@`)) return false;
        if (want.with && !Object.entries(want.with).every(([k, v]) => s.with[k]?.value === v)) return false;
        // Go's `.` stops at newlines; Scorecard drops `\`-newline continuations first.
        if (want.run && !(s.run && want.run.test(s.run.value.replace(/\\(\r\n|\n|\r)/g, '')))) return false;
        return true;
      });
      if (!ok) return false;
    }
    return true;
  });
}
