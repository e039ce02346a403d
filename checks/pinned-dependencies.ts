/**
 * Pinned-Dependencies: every dependency the build pulls must be pinned to an immutable reference —
 * a commit SHA for actions and includes, a digest for container images, a hash-checked or locked
 * install for package managers, and no download-then-execute. Ports Scorecard's
 * checks/raw/pinned_dependencies.go + shell_download_validate.go, the pinsDependencies probe and
 * checks/evaluation/pinned_dependencies.go (weighted proportional score), and extends them to
 * composite actions, workflow job containers/services and GitLab CI.
 */
import { defineCheck, inconclusive, type CheckOutcome, type Evidence, type Finding } from '../src/check.js';
import type { TextFile } from '../src/facts/catalog.js';
import type { Fact } from '../src/facts/fact.js';
import type { Located, Location } from '../src/facts/model.js';
import type { Dockerfile, FromInstruction, RunInstruction } from '../src/parsers/dockerfile.js';
import type { ActionMeta, Job, RunScript, Step, Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi, Include } from '../src/parsers/gitlab-ci.js';
import { analyzeShell, createShellContext, isShellScript, type ShellDependencyType, type ShellIssue } from '../src/parsers/shell.js';

// ---------------------------------------------------------------------------------------------
// Model

/** Scorecard's dependency-use types, plus ours for GitLab `include:`. */
export type DependencyType = 'GitHubAction' | 'containerImage' | ShellDependencyType | 'gitlabInclude';

export interface Dependency {
  type: DependencyType;
  pinned: boolean;
  /** What is depended on: `owner/repo`, an image, an include, or the shell command. */
  name: string;
  location: Location;
  snippet: string;
  /** GitHub Actions only: `actions/*` or `github/*` (Scorecard weights them apart from third-party). */
  githubOwned?: boolean;
  message?: string;
  remediation?: string;
}

/** Something that could not be analysed (Scorecard's ProcessingErrors: "possibly incomplete results"). */
interface Incomplete {
  message: string;
  location: Location;
}

interface Collected {
  deps: Dependency[];
  incomplete: Incomplete[];
  /** Things seen but deliberately not counted (local actions, build stages, GitLab templates…). */
  skipped: Record<string, number>;
}

const PIN_TOOLS = '`pinact run`, `ratchet pin <file>` or `frizbee actions <file>`';

const DIFFERS = [
  'Also reads composite-action steps (action.yml), `docker://` action images, workflow job `container:`/`services:` images and GitLab CI (images, services, `script:` and `include:` — rule `gitlabInclude`); Scorecard reads none of these.',
  '`FROM ${ARG}` is resolved through ARG defaults, including `$ARG` without braces and `${ARG:-default}` (Scorecard #3684).',
  "`FROM <earlier stage>` is not a dependency: it pulls nothing, and its base is judged once where it is declared (Scorecard reports it again, with the base's pinning — #1572).",
  'Workflow-level `defaults.run.shell` and shells written with arguments (`bash -e {0}`) are honoured when deciding whether a `run:` step is POSIX shell; a job whose `runs-on` is an expression is analysed as bash unless the step is Windows-only (Scorecard reads `matrix.os`, which the workflow model does not expose).',
  'Files under vendor/ and third_party/ are skipped for shell scripts and action metadata too, not only for Dockerfiles.',
  'GitLab `include: template:` comes from the GitLab instance that runs the pipeline (same trust as the platform) and is not counted; `remote:` is pinned only with `integrity:` or a commit SHA in the URL; `project:` only with a commit-SHA `ref:`; `component:` only with `@<commit SHA>`; jobs tagged for Windows runners are not shell-analysed.',
  'Not yet ported: pinned package-manager installs (`npm ci`, `pip install --require-hashes`, …) are not counted as pinned dependencies (the shell analyser reports unpinned ones only), so a shell type enters the score only when something of it is unpinned; the .NET post-processing that re-pins `nuget`/`dotnet` installs when every .csproj sets RestoreLockedMode or Central Package Management fixes versions is not done (no fact carries .csproj / Directory.*.props content).',
].join(' ');

// ---------------------------------------------------------------------------------------------
// The check

export default defineCheck({
  id: 'Pinned-Dependencies',
  risk: 'medium',
  description:
    'Determines whether the project pins the dependencies its build and CI pull in: GitHub Actions and reusable workflows by commit SHA, container images by digest, package-manager installs by hash or lockfile, GitLab includes by commit SHA — and never executes a download unverified.',
  facts: ['workflows', 'actions', 'dockerfiles', 'shellScripts', 'gitlabCi'],
  slsa: [],
  remediation: [
    'Pin GitHub Actions and reusable workflows to a full-length commit SHA with the version in a comment (`uses: owner/repo@<sha> # v4`); pinact, ratchet and frizbee do this automatically.',
    'Pin container images by digest (`image:tag@sha256:<digest>`) in Dockerfiles, workflow containers/services and GitLab CI.',
    'Install packages from hash-pinned or locked manifests: `npm ci`, `pip install --require-hashes -r requirements.txt`, `go install pkg@vX.Y.Z`, `choco install --requirechecksums`, `dotnet restore --locked-mode`.',
    'Do not pipe downloads into a shell: download, verify a checksum or signature, then run.',
    'Pin GitLab `include:` to a commit SHA (`ref:` for project includes, `@<sha>` for components, `integrity:` for remote files).',
    'Let Dependabot or Renovate keep the pins current.',
  ],
  differsFromScorecard: DIFFERS,
  run(facts): CheckOutcome {
    const sources = Object.entries(facts) as Array<[string, Fact<unknown>]>;
    if (sources.every(([, f]) => !f.known)) return inconclusive('no repository content could be read', ...sources);
    const c = collectDependencies({
      workflows: facts.workflows.known ? facts.workflows.value : [],
      actions: facts.actions.known ? facts.actions.value : [],
      dockerfiles: facts.dockerfiles.known ? facts.dockerfiles.value : [],
      shellScripts: facts.shellScripts.known ? facts.shellScripts.value : [],
      gitlabCi: facts.gitlabCi.known ? facts.gitlabCi.value : null,
    });
    return evaluate(c);
  },
});

export interface PinningInputs {
  workflows: Workflow[];
  actions: ActionMeta[];
  dockerfiles: Dockerfile[];
  shellScripts: TextFile[];
  gitlabCi: GitlabCi | null;
}

/** Every dependency use, pinned or not, in file order of each source. */
export function collectDependencies(inp: PinningInputs): Collected {
  const c: Collected = { deps: [], incomplete: [], skipped: {} };
  const shellPaths = new Set(inp.shellScripts.map((s) => s.path));
  for (const wf of inp.workflows) collectWorkflow(wf, c);
  for (const meta of inp.actions) if (!isExcludedPath(meta.path)) collectActionMeta(meta, c);
  for (const df of inp.dockerfiles) {
    // Scorecard's isDockerfile(): a `*Dockerfile*` name is not enough — source files and shell scripts are not Dockerfiles.
    if (isExcludedPath(df.path) || !isDockerfile(df.path, shellPaths)) continue;
    collectDockerfile(df, c);
  }
  for (const s of inp.shellScripts) if (!isExcludedPath(s.path)) collectShellScript(s, c);
  if (inp.gitlabCi) collectGitlab(inp.gitlabCi, c);
  return c;
}

// ---------------------------------------------------------------------------------------------
// Scoring (checks/evaluation/pinned_dependencies.go + checker.CreateProportionalScoreWeighted)

/** Within GitHub Actions, pinning third-party actions matters more than GitHub-owned ones (Scorecard #802). */
const GITHUB_OWNED_WEIGHT = 2;
const THIRD_PARTY_WEIGHT = 8;
const NORMAL_WEIGHT = GITHUB_OWNED_WEIGHT + THIRD_PARTY_WEIGHT;

export interface ScoreGroup {
  label: string;
  pinned: number;
  total: number;
  weight: number;
}

/** Scorecard's groups: GitHub-owned and third-party actions split 2/8 when both exist; every other type weight 10. */
export function scoreGroups(deps: readonly Dependency[]): ScoreGroup[] {
  const owned = { pinned: 0, total: 0 };
  const third = { pinned: 0, total: 0 };
  const byType = new Map<DependencyType, { pinned: number; total: number }>();
  for (const d of deps) {
    const g = d.type === 'GitHubAction' ? (d.githubOwned ? owned : third) : getOrInit(byType, d.type);
    g.total++;
    if (d.pinned) g.pinned++;
  }
  const groups: ScoreGroup[] = [];
  if (owned.total > 0 && third.total > 0) {
    groups.push({ label: 'GitHub-owned GitHubAction', ...owned, weight: GITHUB_OWNED_WEIGHT });
    groups.push({ label: 'third-party GitHubAction', ...third, weight: THIRD_PARTY_WEIGHT });
  } else if (owned.total > 0) groups.push({ label: 'GitHub-owned GitHubAction', ...owned, weight: NORMAL_WEIGHT });
  else if (third.total > 0) groups.push({ label: 'third-party GitHubAction', ...third, weight: NORMAL_WEIGHT });
  for (const [type, g] of byType) groups.push({ label: type, ...g, weight: NORMAL_WEIGHT });
  return groups;
}

/** checker.CreateProportionalScoreWeighted: ⌊10·Σ(pinned·w) / Σ(total·w)⌋; null when nothing was found. */
export function weightedScore(groups: readonly ScoreGroup[]): number | null {
  let ws = 0;
  let wt = 0;
  let any = false;
  let allZero = true;
  for (const g of groups) {
    if (g.total === 0) continue;
    any = true;
    if (g.weight !== 0) allZero = false;
    ws += g.pinned * g.weight;
    wt += g.total * g.weight;
  }
  if (!any) return null;
  if (allZero) return 10;
  return Math.min(10, Math.floor((10 * ws) / wt));
}

function getOrInit<K>(m: Map<K, { pinned: number; total: number }>, k: K) {
  let v = m.get(k);
  if (!v) m.set(k, (v = { pinned: 0, total: 0 }));
  return v;
}

function evaluate(c: Collected): CheckOutcome {
  const groups = scoreGroups(c.deps);
  const score = weightedScore(groups);
  const findings: Finding[] = c.deps.filter((d) => !d.pinned).map(toFinding);
  for (const i of c.incomplete) {
    findings.push({
      rule: 'incompleteAnalysis',
      severity: 'info',
      message: `Possibly incomplete results: ${i.message}`,
      location: i.location,
    });
  }
  const evidence: Evidence[] = groups.map((g) => ({
    kind: 'pinnedDependencies',
    message: `${g.pinned} out of ${g.total} ${g.label} dependencies pinned`,
    values: { type: g.label, pinned: g.pinned, total: g.total, weight: g.weight },
  }));
  for (const [what, n] of Object.entries(c.skipped)) {
    evidence.push({ kind: 'notCounted', message: `${n} ${what} not counted as dependencies`, values: { what, count: n } });
  }
  if (score === null) return { score: null, reason: 'no dependencies found', findings, evidence };
  const unpinned = c.deps.length - c.deps.filter((d) => d.pinned).length;
  const reason =
    unpinned === 0
      ? 'all dependencies are pinned'
      : `${unpinned} of ${c.deps.length} dependencies not pinned by hash -- score normalized to ${score}`;
  return { score, reason, findings, evidence };
}

function toFinding(d: Dependency): Finding {
  return {
    rule: d.type,
    severity: 'medium',
    message: d.message ?? `${d.type} not pinned by hash: ${d.name}`,
    location: d.location,
    snippet: d.snippet,
    ...(d.remediation ? { remediation: { text: d.remediation } } : {}),
  };
}

// ---------------------------------------------------------------------------------------------
// Pinning rules

/** Scorecard's isActionDependencyPinned: a 40+-hex commit SHA, or a docker:// image by sha256 digest. */
export function isActionPinned(uses: string): boolean {
  return /@[a-fA-F\d]{40,}/.test(uses) || /docker:\/\/.*@sha256:[a-fA-F\d]{64}/.test(uses);
}

/** Scorecard's Dockerfile regex: `@sha256:<64 hex>`, or a digest supplied by a variable (`@sha256:${DIGEST}`). */
export function isImagePinned(image: string): boolean {
  return /@sha256:([a-f\d]{64}|\$\{.*\})/.test(image);
}

/** fileparser.IsGitHubOwnedAction. */
function isGitHubOwned(uses: string): boolean {
  return uses.startsWith('actions/') || uses.startsWith('github/');
}

const SHA_RE = /^[0-9a-f]{40}([0-9a-f]{24})?$/i;

/** Scorecard's fileIsInVendorDir plus its listing filter for test data (testdata/, src/test/). */
function isExcludedPath(path: string): boolean {
  const parts = path.split('/');
  if (parts.slice(0, -1).some((p) => /^(vendor|third_party)$/i.test(p))) return true;
  return path.startsWith('testdata/') || path.includes('/testdata/') || path.startsWith('src/test/') || path.includes('/src/test/');
}

/** Scorecard's isDockerfile: not a source file of another language, not a shell script (by shebang or extension). */
function isDockerfile(path: string, shellPaths: ReadonlySet<string>): boolean {
  if (/\.(go|c|cpp|rs|js|py|pyc|java)$/.test(path)) return false;
  return !shellPaths.has(path) && !/\.(sh|bash|mksh|dash|ksh|exec|su)$/.test(path);
}

/** fileparser.IsTemplateFile: `Dockerfile.template`, `Dockerfile-tmpl`… hold placeholders, not images. */
function isTemplateFile(path: string): boolean {
  const base = path.slice(path.lastIndexOf('/') + 1);
  return base.split(/[.\-_]/).some((p) => /^(template|tmpl|tpl)$/i.test(p));
}

// ---------------------------------------------------------------------------------------------
// GitHub workflows and actions

function collectWorkflow(wf: Workflow, c: Collected): void {
  for (const job of wf.jobs) {
    if (job.uses) addUses(job.uses, c);
    if (job.container) addContainer(job.container, 'job container', c);
    for (const s of job.services) addContainer(s, 'job service', c);
    for (const step of job.steps) if (step.uses) addUses(step.uses, c);
    const segments: Segment[] = [];
    for (const step of job.steps) {
      if (!step.run) continue;
      const shell = stepShell(step, job, wf);
      if (!isSupportedShell(shell)) {
        bump(c, `run: steps in a non-POSIX shell (${shellName(shell)})`);
        continue;
      }
      segments.push(runSegment(step.run));
    }
    // One job shares a filesystem: a file downloaded in one step and executed in a later one counts (Scorecard's taintedFiles).
    analyzeSegments(segments, 'bash', c);
  }
}

function collectActionMeta(meta: ActionMeta, c: Collected): void {
  for (const step of meta.steps) if (step.uses) addUses(step.uses, c);
  if (meta.image && meta.image.value.startsWith('docker://')) {
    addImage(meta.image.value.slice('docker://'.length), meta.image.loc, meta.image.value, c);
  }
  const segments: Segment[] = [];
  for (const step of meta.steps) {
    if (!step.run) continue;
    // Composite steps must declare `shell:`; without one GitHub rejects the action, so assume its usual bash.
    const shell = step.shell ?? 'bash';
    if (!isSupportedShell(shell)) {
      bump(c, `run: steps in a non-POSIX shell (${shellName(shell)})`);
      continue;
    }
    segments.push(runSegment(step.run));
  }
  analyzeSegments(segments, 'bash', c);
}

function addUses(uses: Located<string>, c: Collected): void {
  const v = uses.value.trim();
  if (v === '') return;
  // An action or reusable workflow in the same repository is versioned with it.
  if (v.startsWith('./')) {
    bump(c, 'local actions/workflows (./…)');
    return;
  }
  const at = v.indexOf('@');
  const name = at < 0 ? v : v.slice(0, at);
  const pinned = isActionPinned(v);
  const owned = isGitHubOwned(v);
  const docker = v.startsWith('docker://');
  c.deps.push({
    type: 'GitHubAction',
    pinned,
    name,
    location: uses.loc,
    snippet: v,
    githubOwned: owned,
    message: `${owned ? 'GitHub-owned' : 'third-party'} GitHubAction not pinned by hash: ${v}`,
    remediation: docker
      ? `Pin the image by digest: \`uses: ${name}@sha256:<digest>\` (find the digest with \`docker buildx imagetools inspect ${name.slice('docker://'.length)}\` or \`crane digest ${name.slice('docker://'.length)}\`).`
      : `Pin \`${name}\` to a full-length commit SHA and keep the version as a comment: \`uses: ${name}@<40-hex commit SHA> # ${at < 0 ? '<version>' : v.slice(at + 1)}\`. Tools resolve the SHA for you: ${PIN_TOOLS}; Dependabot or Renovate then keep it current.`,
  });
}

function addContainer(img: Located<string>, what: string, c: Collected): void {
  // An expression (`${{ matrix.image }}`) cannot be judged statically.
  if (img.value.includes('${{')) {
    bump(c, `${what} images given by an expression`);
    return;
  }
  addImage(img.value.replace(/^docker:\/\//, ''), img.loc, img.value, c);
}

function addImage(image: string, loc: Location, snippet: string, c: Collected): void {
  const name = image.trim();
  if (name === '') return;
  c.deps.push({
    type: 'containerImage',
    pinned: isImagePinned(name),
    name,
    location: loc,
    snippet,
    message: `containerImage not pinned by hash: ${name}`,
    remediation: imageRemediation(name),
  });
}

function imageRemediation(image: string): string {
  const bare = image.replace(/@.*$/, '');
  return `Pin the image by digest, keeping the tag for readability: \`${bare}@sha256:<digest>\` (find the digest with \`docker buildx imagetools inspect ${bare}\` or \`crane digest ${bare}\`); Dependabot or Renovate keep digests current.`;
}

/** fileparser.GetShellForStep, plus the workflow-level default Scorecard misses. */
function stepShell(step: Step, job: Job, wf: Workflow): string {
  const explicit = step.shell ?? job.defaultShell ?? wf.defaultShell;
  if (explicit) return explicit;
  return isStepWindows(step) || jobAlwaysOnWindows(job) ? 'pwsh' : 'bash';
}

/** fileparser.IsStepWindows: `if:` conditions that restrict the step to Windows runners. */
function isStepWindows(step: Step): boolean {
  const cond = step.if ?? '';
  return (
    /runner\.os\s*==\s*['"]windows['"]/i.test(cond) ||
    /\$\{\{\s*startsWith\(runner\.os,\s*['"]windows['"]\)/i.test(cond) ||
    /matrix\.os\s*==\s*['"]windows-/i.test(cond)
  );
}

/** fileparser.JobAlwaysRunsOnWindows, for runner labels known statically. */
function jobAlwaysOnWindows(job: Job): boolean {
  const labels = job.runsOn.filter((l) => !l.includes('${{'));
  return labels.length > 0 && labels.length === job.runsOn.length && labels.every((l) => l.toLowerCase().startsWith('windows'));
}

/** The shells mvdan.cc/sh (and so Scorecard) parses; `bash -e {0}` counts as bash. */
function isSupportedShell(shell: string): boolean {
  return ['sh', 'bash', 'mksh'].includes(shellName(shell));
}

function shellName(shell: string): string {
  const first = shell.trim().split(/\s+/)[0] ?? '';
  return first.slice(first.lastIndexOf('/') + 1).toLowerCase();
}

/** `${{ … }}` is not shell: blank it out as a same-length parameter expansion so positions hold (Scorecard: GITHUB_REDACTED_VAR). */
function redactExpressions(script: string): string {
  return script.replace(/\{\{[^{}]*\}\}/g, (m) => '{' + m.slice(1, -1).replace(/[^\n]/g, 'X') + '}');
}

function runSegment(run: RunScript): Segment {
  return { text: redactExpressions(run.value), at: (l, col) => run.at(l, col) };
}

// ---------------------------------------------------------------------------------------------
// Dockerfiles

function collectDockerfile(df: Dockerfile, c: Collected): void {
  if (!isTemplateFile(df.path)) for (const from of df.froms) collectFrom(from, c);
  const segments = df.runs.map((r) => dockerRunSegment(df.path, r));
  // All RUNs of a Dockerfile share the image filesystem (Scorecard's taintedFiles per file).
  analyzeSegments(segments, 'bash', c);
}

function collectFrom(from: FromInstruction, c: Collected): void {
  const image = from.image ?? from.raw;
  if (image.toLowerCase() === 'scratch') return;
  if (from.isStage) {
    bump(c, 'FROM references to earlier build stages');
    return;
  }
  const pinned = isImagePinned(from.raw) || (from.image !== undefined && isImagePinned(from.image));
  const shown = from.image && from.image !== from.raw ? `${from.raw} (= ${from.image})` : from.raw;
  c.deps.push({
    type: 'containerImage',
    pinned,
    name: image,
    location: from.loc,
    snippet: `FROM ${from.raw}${from.stageName ? ` AS ${from.stageName}` : ''}`,
    message:
      from.image === undefined
        ? `containerImage not pinned by hash: ${shown} (an ARG without a default decides the image)`
        : `containerImage not pinned by hash: ${shown}`,
    remediation:
      from.image === undefined
        ? `Give the image a digest: \`FROM <image>@sha256:<digest>\`, or default the ARG to a digest-pinned reference (\`ARG ${argName(from.raw)}=<image>@sha256:<digest>\`).`
        : imageRemediation(from.image),
  });
}

function argName(raw: string): string {
  return /\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(raw)?.[1] ?? 'IMAGE';
}

function dockerRunSegment(path: string, run: RunInstruction): Segment {
  const line = (i: number) => run.lineMap[Math.min(i, run.lineMap.length - 1)] ?? run.loc.line ?? 1;
  if (run.execForm) {
    // JSON form, read as Scorecard reads it: the array joined into one command line (`["bash", "<(curl …)"]`
    // shows its intent), and `["sh", "-c", "\"…\""]` with its stray quotes removed.
    const text = run.argv && run.script === '' ? run.argv.join(' ') : unwrapQuoted(run.script);
    return { text, at: () => ({ path, line: line(0), column: run.loc.column ?? 1 }) };
  }
  // The parser joins `\` continuations with bare newlines; put the continuation back so the shell sees one command.
  const text = run.script.replace(/\n/g, '\\\n');
  const first = run.column ?? (run.loc.column ?? 1) + 4;
  return { text, at: (l, col) => ({ path, line: line(l), column: l === 0 ? first + col : col + 1 }) };
}

function unwrapQuoted(s: string): string {
  const t = s.trim();
  const m = /^"([^"]*)"$/.exec(t) ?? /^'([^']*)'$/.exec(t);
  return m ? m[1] : s;
}

// ---------------------------------------------------------------------------------------------
// Shell scripts

function collectShellScript(file: TextFile, c: Collected): void {
  // Scorecard's isSupportedShellScriptFile: sh, bash or mksh by shebang, else by extension.
  if (!isShellScript(file.path, file.text)) {
    bump(c, 'scripts in a shell that is not analysed');
    return;
  }
  const lines = file.text.split('\n');
  analyzeSegments(
    [{ text: file.text, at: (l, col) => ({ path: file.path, line: Math.min(l, lines.length - 1) + 1, column: col + 1 }) }],
    'bash',
    c,
  );
}

// ---------------------------------------------------------------------------------------------
// GitLab CI

function collectGitlab(ci: GitlabCi, c: Collected): void {
  for (const inc of ci.includes) collectInclude(inc, c);
  // `default:` images and `extends:`-shared scripts reach many jobs from one place: count each place once.
  const perJob: Dependency[][] = [];
  const incomplete: Incomplete[] = [];
  for (const job of ci.jobs) {
    const jc: Collected = { deps: [], incomplete: [], skipped: c.skipped };
    const vars = { ...ci.variables, ...job.variables };
    if (job.image) addImage(expandVars(job.image.value, vars), job.image.loc, job.image.value, jc);
    for (const s of job.services) addImage(expandVars(s.value, vars), s.loc, s.value, jc);
    if (job.tags.some((t) => /windows/i.test(t))) {
      if (job.scripts.length > 0) bump(c, 'GitLab jobs on Windows runners (PowerShell scripts)');
    } else {
      analyzeSegments(
        job.scripts.map((s) => ({ text: redactInputs(s.value), at: (l, col) => s.at(l, col) })),
        'bash',
        jc,
      );
    }
    perJob.push(jc.deps);
    incomplete.push(...jc.incomplete);
  }
  c.deps.push(...mergeAcrossJobs(perJob));
  c.incomplete.push(...uniqueBy(incomplete, (i) => `${locKey(i.location)} ${i.message}`));
}

/** Keeps, for each location, as many dependencies as the job that has the most there. */
function mergeAcrossJobs(perJob: Dependency[][]): Dependency[] {
  const best = new Map<string, Dependency[]>();
  for (const deps of perJob) {
    const here = new Map<string, Dependency[]>();
    for (const d of deps) {
      const k = `${d.type} ${locKey(d.location)} ${d.snippet}`;
      getList(here, k).push(d);
    }
    for (const [k, list] of here) if (list.length > (best.get(k)?.length ?? 0)) best.set(k, list);
  }
  return [...best.values()].flat().sort((a, b) => cmpLoc(a.location, b.location));
}

function collectInclude(inc: Include, c: Collected): void {
  const base = { type: 'gitlabInclude' as const, location: inc.loc, snippet: includeSnippet(inc) };
  switch (inc.kind) {
    case 'local':
    case 'unknown':
      return; // part of this repository (or not understood): nothing pulled from elsewhere
    case 'template':
      // Served by the GitLab instance running the pipeline: the platform itself, not a third party.
      bump(c, 'GitLab CI templates (include: template)');
      return;
    case 'project': {
      const pinned = SHA_RE.test(inc.ref ?? '');
      c.deps.push({
        ...base,
        pinned,
        name: `${inc.project ?? '?'}:${inc.value}`,
        message: `gitlabInclude not pinned to a commit SHA: project ${inc.project ?? '?'} ${inc.ref ? `at ref \`${inc.ref}\`` : 'at its default branch (no ref)'}`,
        remediation: `Set \`ref:\` to a full commit SHA of ${inc.project ?? 'the project'} (\`git ls-remote <project URL> ${inc.ref ?? 'HEAD'}\`), e.g. \`ref: <40-hex commit SHA> # ${inc.ref ?? 'main'}\`.`,
      });
      return;
    }
    case 'component': {
      const pinned = SHA_RE.test(inc.ref ?? '');
      const name = inc.ref ? inc.value.slice(0, inc.value.lastIndexOf('@')) : inc.value;
      c.deps.push({
        ...base,
        pinned,
        name,
        message: `gitlabInclude not pinned to a commit SHA: component ${inc.value}`,
        remediation: `Reference the component by commit SHA: \`component: ${name}@<40-hex commit SHA>\` (a version like \`@1.2.3\` or \`@~latest\` resolves to a movable tag or release).`,
      });
      return;
    }
    case 'remote': {
      const integrity = 'integrity' in inc && typeof inc.integrity === 'string' && inc.integrity !== '';
      // A raw URL at a commit SHA is immutable content (like Scorecard's pinned-download rule, #4771).
      const shaInUrl = /\/[0-9a-f]{40}(\/|$)/i.test(inc.value);
      c.deps.push({
        ...base,
        pinned: integrity || shaInUrl,
        name: inc.value,
        message: `gitlabInclude not pinned: remote ${inc.value} is fetched without an integrity check`,
        remediation:
          'Add `integrity: sha256-<base64 digest>` to the remote include (GitLab 17.9+; `openssl dgst -sha256 -binary <file> | openssl base64 -A`), or point the URL at a commit SHA instead of a branch.',
      });
      return;
    }
  }
}

function includeSnippet(inc: Include): string {
  if (inc.kind === 'project') return `project: ${inc.project ?? ''}${inc.ref ? `, ref: ${inc.ref}` : ''}, file: ${inc.value}`;
  return `${inc.kind}: ${inc.value}`;
}

/** GitLab `$[[ inputs.x ]]` is interpolated before the shell runs: blank it out as a same-length `${XX…}`. */
function redactInputs(script: string): string {
  return script.replace(/\$\[\[[^\]\n]*\]\]/g, (m) => '${' + 'X'.repeat(m.length - 3) + '}');
}

/** `$VAR` / `${VAR}` from job then global variables; unknown ones stay as written. */
function expandVars(value: string, vars: Record<string, Located<string>>): string {
  let out = value;
  for (let i = 0; i < 5 && /\$/.test(out); i++) {
    const next = out.replace(
      /\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
      (m, a: string | undefined, b: string | undefined) => vars[(a ?? b)!]?.value ?? m,
    );
    if (next === out) break;
    out = next;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Shell analysis over a sequence of scripts that share a filesystem

interface Segment {
  text: string;
  /** Maps a 0-based line/column of `text` to the file position. */
  at(line: number, column: number): Location;
}

function analyzeSegments(segments: readonly Segment[], shell: string, c: Collected): void {
  // One context per unit: a file downloaded by one script and run by a later one counts (Scorecard's taintedFiles).
  const context = createShellContext();
  for (const seg of segments) {
    const r = analyzeShell(seg.text, { shell, context });
    for (const e of r.errors) c.incomplete.push({ message: e, location: seg.at(0, 0) });
    for (const issue of r.issues) c.deps.push(shellDependency(seg, issue));
  }
}

function shellDependency(seg: Segment, issue: ShellIssue): Dependency {
  const start = seg.at(issue.line, issue.column);
  const end = seg.at(issue.endLine, 0);
  const location: Location = { ...start, ...(end.line !== undefined && end.line !== start.line ? { endLine: end.line } : {}) };
  return {
    type: issue.type,
    pinned: false,
    name: issue.snippet,
    location,
    snippet: issue.snippet,
    message: `${issue.type} not pinned by hash: ${issue.message}`,
    remediation: issue.remediation,
  };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

function bump(c: Collected, what: string): void {
  c.skipped[what] = (c.skipped[what] ?? 0) + 1;
}

function getList<K, V>(m: Map<K, V[]>, k: K): V[] {
  let v = m.get(k);
  if (!v) m.set(k, (v = []));
  return v;
}

function locKey(l: Location): string {
  return `${l.path}:${l.line ?? 0}:${l.column ?? 0}`;
}

function cmpLoc(a: Location, b: Location): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0);
}

function uniqueBy<T>(xs: readonly T[], key: (x: T) => string): T[] {
  const seen = new Set<string>();
  return xs.filter((x) => (seen.has(key(x)) ? false : (seen.add(key(x)), true)));
}
