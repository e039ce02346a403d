/**
 * Dangerous-Workflow: CI configuration that lets an outsider run code with the project's privileges.
 *
 * GitHub Actions — a port of OpenSSF Scorecard's check (checks/raw/dangerous_workflow.go, probes
 * hasDangerousWorkflowUntrustedCheckout and hasDangerousWorkflowScriptInjection):
 * - untrustedCheckout: a `pull_request_target` / `workflow_run` workflow that checks out the pull
 *   request's code (which then runs with secrets and a write token);
 * - scriptInjection: an attacker-controlled `${{ … }}` context (issue/PR titles and bodies, comments,
 *   head ref, commit messages…) expanded into a `run:` script — GitHub substitutes the text before the
 *   shell parses it. Reported at the exact line:column of the `${{`.
 *
 * GitLab CI (Scorecard does not cover GitLab):
 * - gitlabScriptInjection: GitLab passes CI variables to the job as environment variables, so
 *   `echo $CI_MERGE_REQUEST_TITLE` only *expands* the text — it is never parsed as code, whatever the
 *   quoting. Injection needs a second parse: the value reaches `eval`/`iex`, the code string of
 *   `sh|bash… -c`, `python -c`, `node -e`, `perl -e`, `ruby -e`, `php -r`, `pwsh -c`, the remote command of
 *   `ssh host …`, or a shell reading stdin (`echo "$X" | sh`) — and is not single-quoted there (inside
 *   single quotes the inner shell expands it, again as data). Attacker-controlled: MR title, description and
 *   source branch, commit message/title/description/author and tag message in every job (merged commit
 *   messages carry contributors' text into default-branch pipelines), plus the ref names
 *   (CI_COMMIT_REF_NAME, CI_COMMIT_BRANCH) in jobs that run in merge-request pipelines. Variables copied
 *   from these (`variables:` or `X=$CI_…` in the script) are followed.
 * - mrPipelineSecrets / mrPipelineIdToken: a job that runs in merge-request pipelines — which run the MR's
 *   code, for fork MRs too once a maintainer runs the pipeline in the parent project — and fetches
 *   `secrets:` or mints an OIDC `id_tokens:` token for anything but Sigstore.
 *
 * Any finding → 0, none → 10, nothing to assess → null.
 */
import { defineCheck, inconclusive, type CheckOutcome, type Evidence, type Finding } from '../src/check.js';
import type { Located, Location } from '../src/facts/model.js';
import type { ActionMeta, Job, RunScript, Step, Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi, GitlabJob, ScriptLine } from '../src/parsers/gitlab-ci.js';

export default defineCheck({
  id: 'Dangerous-Workflow',
  risk: 'critical',
  description:
    'Detects CI patterns that let an outside contributor run code with the project’s privileges: GitHub ' +
    '`pull_request_target`/`workflow_run` workflows that check out the pull request’s code, attacker-controlled ' +
    '`${{ … }}` contexts expanded into `run:` scripts (and `actions/github-script` scripts), and GitLab jobs that ' +
    're-parse merge-request or commit text as shell code or hand secrets/OIDC tokens to merge-request pipelines. ' +
    'Any finding scores 0.',
  facts: ['workflows', 'actions', 'gitlabCi'],
  slsa: [],
  remediation: [
    'Never check out or run a pull request’s code in a `pull_request_target` or `workflow_run` workflow; build it in a `pull_request` workflow, which has no secrets and a read-only token.',
    'Pass untrusted values to scripts through environment variables (`env: TITLE: ${{ github.event.issue.title }}` then `"$TITLE"`), never with `${{ }}` inside `run:`.',
    'GitLab: use untrusted variables only as quoted data (`"$CI_MERGE_REQUEST_TITLE"`); never feed them to eval, `sh -c "…"`, `ssh host "…"` or an interpreter’s code argument.',
    'GitLab: keep `secrets:` and cloud `id_tokens:` out of merge-request pipelines (`rules: - if: $CI_PIPELINE_SOURCE == "merge_request_event"` → `when: never`) and bind secret-manager roles to protected refs.',
  ],
  differsFromScorecard:
    'Also covers GitLab CI (see the rules above), composite actions (action.yml `run:` steps), `actions/github-script` ' +
    '`script:` inputs and `${{ env.X }}` where X was set from an untrusted context. More untrusted contexts: ' +
    'discussion title/body, workflow_run head_branch/display_title, `pull_requests[*].head.ref/label`, ' +
    'head repository description/homepage, and `toJSON()` of the event or of its issue/PR/comment/commit objects. ' +
    'Checkouts: a ref built from `github.head_ref`, `refs/pull/…` or the PR number is untrusted, `issue_comment` ' +
    'workflows checking out `refs/pull/…` are included, `gh pr checkout` / `git fetch …pull/…` in `run:` count, and ' +
    'a checkout of the PR *base* (`github.event.pull_request.base.*`) is not reported. Script-injection findings ' +
    'carry a ready env-var patch.',
  run({ workflows, actions, gitlabCi }) {
    if (!workflows.known) return inconclusive('workflows could not be read', ['workflows', workflows]);
    const wfs = workflows.value.filter((wf) => wf.jobs.length > 0 || wf.triggers.length > 0);
    const acts = actions.known ? actions.value.filter((a) => a.steps.length > 0) : [];
    const ci = gitlabCi.known && gitlabCi.value && gitlabCi.value.jobs.length > 0 ? gitlabCi.value : null;
    if (wfs.length === 0 && acts.length === 0 && !ci) {
      return { score: null, reason: 'no GitHub workflows, composite actions or GitLab CI jobs found in the repository' };
    }
    const findings: Finding[] = [...wfs.flatMap(workflowFindings), ...acts.flatMap(actionFindings), ...(ci ? gitlabFindings(ci) : [])];
    const evidence: Evidence[] = [];
    if (ci) evidence.push(...gitlabEvidence(ci));
    return outcome(findings, evidence, { workflows: wfs.length, actions: acts.length, gitlab: ci !== null });
  },
});

function outcome(findings: Finding[], evidence: Evidence[], scope: { workflows: number; actions: number; gitlab: boolean }): CheckOutcome {
  const what = [
    scope.workflows ? `${scope.workflows} workflow(s)` : '',
    scope.actions ? `${scope.actions} action(s)` : '',
    scope.gitlab ? 'the GitLab CI configuration' : '',
  ]
    .filter(Boolean)
    .join(', ');
  if (findings.length === 0) return { score: 10, reason: `no dangerous patterns found in ${what}`, findings, evidence };
  const kinds = [...new Set(findings.map((f) => f.rule))].join(', ');
  return { score: 0, reason: `dangerous patterns found (${kinds}) in ${what}`, findings, evidence };
}

// =============================================================================================
// GitHub Actions

/** Event fields an outsider can set (Scorecard's list, then ours). Matched inside `github.event.` paths. */
const UNTRUSTED_EVENT_FIELD = new RegExp(
  [
    'issue\\.title',
    'issue\\.body',
    'pull_request\\.title',
    'pull_request\\.body',
    'comment\\.body',
    'review\\.body',
    'review_comment\\.body',
    'pages.*\\.page_name',
    'commits.*\\.message',
    'head_commit\\.message',
    'head_commit\\.author\\.email',
    'head_commit\\.author\\.name',
    'commits.*\\.author\\.email',
    'commits.*\\.author\\.name',
    'pull_request\\.head\\.ref',
    'pull_request\\.head\\.label',
    'pull_request\\.head\\.repo\\.default_branch',
    // ours
    'discussion\\.title',
    'discussion\\.body',
    'workflow_run\\.head_branch',
    'workflow_run\\.display_title',
    'pull_requests.*\\.head\\.(ref|label)',
    'head\\.repo\\.(description|homepage)',
  ].join('|'),
);

/** `toJSON(github)`, `toJSON(github.event)` and `toJSON()` of the event's attacker-written objects. */
const UNTRUSTED_TOJSON =
  /\btojson\(\s*(github(?:\.event(?:\.(?:issue|pull_request|comment|review|review_comment|discussion|head_commit|commits|workflow_run|pages)[a-z0-9_.*]*)?)?)\s*\)/;

const PRIVILEGED_TRIGGERS = new Set(['pull_request_target', 'workflow_run']);

/** Lower-cases and turns `a['b']` into `a.b` and `a[0]` into `a.*` (expressions are case-insensitive). */
function normalizeExpr(expr: string): string {
  return expr
    .toLowerCase()
    .replace(/\[\s*['"]([^'"\]]*)['"]\s*\]/g, '.$1')
    .replace(/\[[^\]]*\]/g, '.*');
}

/** The attacker-controlled context an expression reads, if any (e.g. `github.event.issue.title`). */
function untrustedContext(expr: string): string | undefined {
  const e = normalizeExpr(expr);
  const json = UNTRUSTED_TOJSON.exec(e);
  if (json) return `toJSON(${json[1]})`;
  if (e.includes('github.head_ref')) return 'github.head_ref';
  for (const m of e.matchAll(/github\.event\.[a-z0-9_.*-]+/g)) if (UNTRUSTED_EVENT_FIELD.test(m[0])) return m[0];
  return undefined;
}

interface Expression {
  /** Offsets of `${{` and just past `}}` in the text. */
  start: number;
  end: number;
  inner: string;
}

/** Every `${{ … }}` in a text, as Scorecard scans them (an unclosed one ends the scan). */
function expressions(text: string): Expression[] {
  const out: Expression[] = [];
  let from = 0;
  for (;;) {
    const s = text.indexOf('${{', from);
    if (s < 0) break;
    const e = text.indexOf('}}', s + 3);
    if (e < 0) break;
    out.push({ start: s, end: e + 2, inner: text.slice(s + 3, e) });
    from = e + 2;
  }
  return out;
}

/** Env names (workflow, job, step) whose value carries an untrusted context: `${{ env.X }}` is as bad. */
function taintedEnv(...scopes: Array<Record<string, Located<string>>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const env of scopes) {
    for (const [name, v] of Object.entries(env)) {
      const ctx = expressions(v.value)
        .map((x) => untrustedContext(x.inner))
        .find(Boolean);
      if (ctx) out.set(name.toLowerCase(), name);
      else out.delete(name.toLowerCase()); // an inner scope overrides
    }
  }
  return out;
}

interface Injection {
  expr: Expression;
  /** The untrusted context, or `env.X`. */
  context: string;
  /** The environment variable the fix reads the value from (existing for `env.X`). */
  envName?: string;
}

function injectionsIn(text: string, tainted: Map<string, string>): Injection[] {
  const out: Injection[] = [];
  for (const expr of expressions(text)) {
    const ctx = untrustedContext(expr.inner);
    if (ctx) {
      out.push({ expr, context: ctx });
      continue;
    }
    const envRef = /^\s*env\.([a-z_][a-z0-9_]*)\s*$/i.exec(expr.inner);
    const name = envRef ? tainted.get(envRef[1].toLowerCase()) : undefined;
    if (name) out.push({ expr, context: `env.${name}`, envName: name });
  }
  return out;
}

function workflowFindings(wf: Workflow): Finding[] {
  const events = new Set(wf.triggers.map((t) => t.event));
  const out: Finding[] = [];
  for (const job of wf.jobs) {
    out.push(...untrustedCheckouts(wf, job, events));
    for (const step of job.steps) {
      out.push(...stepInjections(step, { wf, job, where: `job \`${job.id}\` of ${wf.path}` }));
    }
  }
  return out;
}

function actionFindings(action: ActionMeta): Finding[] {
  return action.steps.flatMap((step) => stepInjections(step, { where: `composite action ${action.path}` }));
}

// ---------------------------------------------------------------------------------------------
// Untrusted checkout

/** Whether a checkout ref names the pull request's (or triggering run's) code rather than the base. */
function untrustedRef(ref: string, events: Set<string>): boolean {
  const r = normalizeExpr(ref);
  const privileged = [...events].some((e) => PRIVILEGED_TRIGGERS.has(e));
  if (privileged) {
    for (const m of r.matchAll(/github\.event\.pull_request[a-z0-9_.*]*/g))
      if (!m[0].startsWith('github.event.pull_request.base')) return true;
    if (r.includes('github.event.workflow_run')) return true;
    if (r.includes('github.head_ref') || r.includes('refs/pull/') || r.includes('github.event.number')) return true;
  }
  if (events.has('issue_comment') && (r.includes('refs/pull/') || r.includes('github.event.issue.number'))) return true;
  return false;
}

/** `gh pr checkout`, or git fetching/checking out a PR ref, in a script. */
const RUN_CHECKOUT =
  /\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|checkout|pull|switch)\b[^\n]*(?:pull\/|github\.head_ref|github\.event\.pull_request\.head|github\.event\.workflow_run\.head)/i;

function untrustedCheckouts(wf: Workflow, job: Job, events: Set<string>): Finding[] {
  const trigger =
    wf.triggers.find((t) => PRIVILEGED_TRIGGERS.has(t.event))?.event ?? (events.has('issue_comment') ? 'issue_comment' : undefined);
  if (!trigger) return [];
  const out: Finding[] = [];
  for (const step of job.steps) {
    const ref = step.uses?.value.includes('actions/checkout') ? step.with.ref : undefined;
    if (ref && untrustedRef(ref.value, events)) {
      out.push(checkoutFinding(wf, job, trigger, `ref: ${ref.value}`, ref.loc));
      continue;
    }
    if (step.run && PRIVILEGED_TRIGGERS.has(trigger)) {
      const m = RUN_CHECKOUT.exec(step.run.value);
      if (m) out.push(checkoutFinding(wf, job, trigger, m[0].trim(), locAt(step.run, step.run.value, m.index)));
    }
  }
  return out;
}

function checkoutFinding(wf: Workflow, job: Job, trigger: string, what: string, location: Location): Finding {
  return {
    rule: 'untrustedCheckout',
    severity: 'critical',
    message:
      `\`${trigger}\` workflow ${wf.path} checks out the pull request's code (\`${what}\`) in job \`${job.id}\`; ` +
      'that code then runs with the repository’s secrets and a write token',
    location,
    snippet: what,
    remediation: {
      text:
        'Build and test pull requests in a `pull_request` workflow (no secrets, read-only token). If a privileged ' +
        'follow-up is needed, have it consume the unprivileged run’s artifacts as data — never check out or execute the PR’s code.',
      ...(trigger === 'pull_request_target' ? { patch: 'on:\n  pull_request:\n' } : {}),
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Script injection

interface StepScope {
  wf?: Workflow;
  job?: Job;
  where: string;
}

function stepInjections(step: Step, scope: StepScope): Finding[] {
  const tainted = taintedEnv(scope.wf?.env ?? {}, scope.job?.env ?? {}, step.env);
  const stepName = step.name ? `\`${step.name}\`` : `#${step.index + 1}`;
  const out: Finding[] = [];
  if (step.run) {
    const hits = injectionsIn(step.run.value, tainted);
    const patch = hits.length ? runPatch(step, scope, hits) : undefined;
    for (const h of hits) {
      out.push(
        injectionFinding(
          h,
          `\`run:\` script of step ${stepName} in ${scope.where}`,
          locAt(step.run, step.run.value, h.expr.start),
          patch,
          'shell',
        ),
      );
    }
  }
  const script = step.uses?.value.startsWith('actions/github-script@') ? step.with.script : undefined;
  if (script) {
    const hits = injectionsIn(script.value, tainted);
    const patch = hits.length ? githubScriptPatch(step, scope, script.value, hits) : undefined;
    // `with:` values carry only their start position, so these point at the start of the script.
    for (const h of hits)
      out.push(
        injectionFinding(h, `\`actions/github-script\` script of step ${stepName} in ${scope.where}`, script.loc, patch, 'JavaScript'),
      );
  }
  return out;
}

function injectionFinding(h: Injection, where: string, location: Location, patch: string | undefined, lang: string): Finding {
  const text = `\${{${h.expr.inner}}}`;
  return {
    rule: 'scriptInjection',
    severity: 'critical',
    message: `untrusted \`${h.context}\` is expanded into the ${where}: whoever controls it can inject ${lang} code`,
    location,
    snippet: text,
    remediation: {
      text:
        'GitHub expands `${{ }}` before the script runs, so the value becomes code. Pass it through an ' +
        'environment variable and use the variable (quoted) in the script.',
      ...(patch ? { patch } : {}),
    },
  };
}

/** A 0-based offset of a script's value as a file position. */
function locAt(script: RunScript, text: string, offset: number): Location {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  const column = offset - (before.lastIndexOf('\n') + 1);
  const at = script.at(line, column);
  return { path: at.path, line: Math.max(1, at.line ?? 1), column: Math.max(1, at.column ?? 1) };
}

/** The env name a fix uses for a context: `github.event.issue.title` → `ISSUE_TITLE`, `toJSON(github.event)` → `GITHUB_EVENT_JSON`. */
function envNameFor(context: string): string {
  const json = /^tojson\((.*)\)$/i.exec(context);
  const raw = json ? json[1] : context;
  const path = raw === 'github' || raw === 'github.event' ? 'github_event' : raw.replace(/^github\.(event\.)?/, '');
  const name = `${path}${json ? '_json' : ''}`
    .replace(/\*/g, '')
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  return /^[A-Z_]/.test(name) ? name : `V_${name}`;
}

/** Picks env names for the hits, reusing an existing variable with the same value. */
function assignEnvNames(hits: Injection[], step: Step, scope: StepScope): Map<string, string> {
  const existing = new Map<string, string>();
  for (const env of [scope.wf?.env ?? {}, scope.job?.env ?? {}, step.env])
    for (const [k, v] of Object.entries(env)) existing.set(k, v.value.trim());
  const added = new Map<string, string>(); // name → `${{ … }}`
  for (const h of hits) {
    if (h.envName) continue;
    const value = `\${{ ${h.expr.inner.trim()} }}`;
    const reuse = [...existing, ...added].find(([, v]) => v === value);
    if (reuse) {
      h.envName = reuse[0];
      continue;
    }
    let name = envNameFor(h.context);
    for (let i = 1; existing.has(name) || added.has(name); i++) name = `${envNameFor(h.context)}_${i}`;
    added.set(name, value);
    h.envName = name;
  }
  return added;
}

function shellOf(step: Step, scope: StepScope): string {
  const declared = step.shell ?? scope.job?.defaultShell ?? scope.wf?.defaultShell;
  if (declared) return (declared.trim().split(/\s+/)[0].split(/[\\/]/).pop() ?? 'bash').toLowerCase();
  const labels = scope.job?.runsOn ?? [];
  return labels.length > 0 && labels.every((l) => l.toLowerCase().startsWith('windows')) ? 'pwsh' : 'bash';
}

function runPatch(step: Step, scope: StepScope, hits: Injection[]): string | undefined {
  const shell = shellOf(step, scope);
  if (!['bash', 'sh', 'pwsh', 'powershell', 'cmd'].includes(shell)) return undefined;
  const added = assignEnvNames(hits, step, scope);
  let script = step.run!.value;
  for (const h of [...hits].sort((a, b) => b.expr.start - a.expr.start)) {
    script = replaceInShell(script, h.expr, h.envName!, shell);
  }
  return stepPatch(step, added, `run: |\n${indent(script, 2)}`);
}

/** Replaces `${{ … }}` with a reference to env var `name`, keeping the script's quoting valid. */
function replaceInShell(script: string, expr: Expression, name: string, shell: string): string {
  const before = script.slice(0, expr.start);
  const after = script.slice(expr.end);
  if (shell === 'pwsh' || shell === 'powershell') return `${before}$env:${name}${after}`;
  if (shell === 'cmd') return `${before}%${name}%${after}`;
  const quote = shellQuoteAt(script, expr.start);
  if (quote === 'double') return `${before}\${${name}}${after}`;
  if (quote === 'none') return `${before}"\${${name}}"${after}`;
  // Inside single quotes: close them around the variable, dropping quotes that would become empty.
  const open = before.endsWith("'") ? before.slice(0, -1) : `${before}'`;
  const close = after.startsWith("'") ? after.slice(1) : `'${after}`;
  return `${open}"\${${name}}"${close}`;
}

function githubScriptPatch(step: Step, scope: StepScope, script: string, hits: Injection[]): string {
  const added = assignEnvNames(hits, step, scope);
  let out = script;
  for (const h of [...hits].sort((a, b) => b.expr.start - a.expr.start)) {
    const ref = `process.env.${h.envName}`;
    const pre = out[h.expr.start - 1];
    const post = out[h.expr.end];
    if ((pre === "'" || pre === '"') && post === pre) out = `${out.slice(0, h.expr.start - 1)}${ref}${out.slice(h.expr.end + 1)}`;
    else if (inTemplateLiteral(out, h.expr.start)) out = `${out.slice(0, h.expr.start)}\${${ref}}${out.slice(h.expr.end)}`;
    else out = `${out.slice(0, h.expr.start)}${ref}${out.slice(h.expr.end)}`;
  }
  return stepPatch(step, added, `with:\n  script: |\n${indent(out, 4)}`);
}

function inTemplateLiteral(text: string, offset: number): boolean {
  return (text.slice(0, offset).match(/`/g)?.length ?? 0) % 2 === 1;
}

function stepPatch(step: Step, added: Map<string, string>, body: string): string {
  const header = `# step${step.name ? ` "${step.name}"` : ''} at line ${step.loc.line ?? 1}: pass untrusted values through env\n`;
  const env = added.size ? `env:\n${[...added].map(([k, v]) => `  ${k}: ${v}`).join('\n')}\n` : '';
  return `${header}${env}${body}\n`;
}

function indent(text: string, n: number): string {
  const pad = ' '.repeat(n);
  return text
    .replace(/\n$/, '')
    .split('\n')
    .map((l) => (l ? pad + l : l))
    .join('\n');
}

/** The shell quoting in effect at an offset of a POSIX shell script. */
function shellQuoteAt(text: string, offset: number): 'none' | 'single' | 'double' {
  let q: 'none' | 'single' | 'double' = 'none';
  for (let i = 0; i < offset; i++) {
    const c = text[i];
    if (q === 'single') {
      if (c === "'") q = 'none';
    } else if (c === '\\') i++;
    else if (q === 'double') {
      if (c === '"') q = 'none';
    } else if (c === "'") q = 'single';
    else if (c === '"') q = 'double';
    else if (c === '#' && (i === 0 || /\s/.test(text[i - 1]))) {
      const nl = text.indexOf('\n', i);
      if (nl < 0 || nl >= offset) return 'none';
      i = nl;
    }
  }
  return q;
}

// =============================================================================================
// GitLab CI

/** Text any contributor writes, untrusted in every job. */
const GITLAB_TEXT_VARS: Record<string, string> = {
  CI_MERGE_REQUEST_TITLE: 'the merge-request author',
  CI_MERGE_REQUEST_DESCRIPTION: 'the merge-request author',
  CI_MERGE_REQUEST_SOURCE_BRANCH_NAME: 'the merge-request author (who names the source branch)',
  CI_EXTERNAL_PULL_REQUEST_SOURCE_BRANCH_NAME: 'the pull-request author (who names the source branch)',
  CI_COMMIT_MESSAGE: 'the commit author (a contributor, once the merge request is merged)',
  CI_COMMIT_TITLE: 'the commit author (a contributor, once the merge request is merged)',
  CI_COMMIT_DESCRIPTION: 'the commit author (a contributor, once the merge request is merged)',
  CI_COMMIT_AUTHOR: 'the commit author',
  CI_COMMIT_TAG_MESSAGE: 'whoever creates the tag',
};

/** Ref names: chosen by the MR author in merge-request pipelines (by members with write access otherwise). */
const GITLAB_REF_VARS: Record<string, string> = {
  CI_COMMIT_REF_NAME: 'the merge-request author (who names the source branch)',
  CI_COMMIT_BRANCH: 'the merge-request author (who names the source branch)',
};

function gitlabFindings(ci: GitlabCi): Finding[] {
  const mrAllowed = workflowAllowsMr(ci.workflowRules);
  const out: Finding[] = [];
  for (const job of ci.jobs) {
    const inMr = mrAllowed && runsInMergeRequests(job);
    out.push(...gitlabInjections(job, inMr));
    if (inMr) out.push(...mrCredentialFindings(job));
  }
  return out;
}

function gitlabEvidence(ci: GitlabCi): Evidence[] {
  const mrAllowed = workflowAllowsMr(ci.workflowRules);
  const mrJobs = ci.jobs.filter((j) => mrAllowed && runsInMergeRequests(j)).map((j) => j.name);
  return mrJobs.length
    ? [
        {
          kind: 'mergeRequestJobs',
          message: `GitLab jobs that run in merge-request pipelines: ${mrJobs.join(', ')}`,
          values: { count: mrJobs.length },
        },
      ]
    : [];
}

// ---------------------------------------------------------------------------------------------
// Injection through a second parse of untrusted variables

interface Taint {
  /** Upper-case variable name → who controls it. */
  vars: Map<string, string>;
}

function baseTaint(job: GitlabJob, inMr: boolean): Taint {
  const vars = new Map(Object.entries(GITLAB_TEXT_VARS));
  if (inMr) for (const [k, v] of Object.entries(GITLAB_REF_VARS)) vars.set(k, v);
  // GitLab expands `$VAR` references inside `variables:` values, so copies are as untrusted.
  for (let round = 0; round < 3; round++) {
    for (const [name, v] of Object.entries(job.variables)) {
      const src = varRefs(v.value).find((r) => vars.has(r));
      if (src && !vars.has(name)) vars.set(name, `${vars.get(src)} (copied from $${src})`);
    }
  }
  return { vars };
}

function varRefs(text: string): string[] {
  return [...text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1]);
}

function gitlabInjections(job: GitlabJob, inMr: boolean): Finding[] {
  const out: Finding[] = [];
  let taint = baseTaint(job, inMr);
  let section: ScriptLine['section'] | undefined;
  for (const script of job.scripts) {
    // after_script runs in a fresh shell: assignments made by script: do not reach it.
    if (script.section === 'after_script' && section !== 'after_script') taint = baseTaint(job, inMr);
    section = script.section;
    const commands = lexShell(script.value);
    for (const [idx, cmd] of commands.entries()) {
      for (const sink of sinksOf(cmd, commands.slice(0, idx))) {
        for (const ref of sink.refs) {
          const who = taint.vars.get(ref.name);
          if (who) out.push(gitlabInjectionFinding(job, script, ref, sink.how, who, inMr));
        }
      }
      recordAssignments(cmd, taint);
    }
  }
  return dedupe(out);
}

function gitlabInjectionFinding(job: GitlabJob, script: ScriptLine, ref: ShRef, how: string, who: string, inMr: boolean): Finding {
  return {
    rule: 'gitlabScriptInjection',
    severity: inMr ? 'critical' : 'high',
    message:
      `\`$${ref.name}\` is parsed as code by ${how} in GitLab job \`${job.name}\`` +
      (inMr ? ' (runs in merge-request pipelines)' : '') +
      `; its text is chosen by ${who}`,
    location: locAt(script, script.value, ref.start),
    snippet: script.value.split('\n')[script.value.slice(0, ref.start).split('\n').length - 1]?.trim(),
    remediation: {
      text:
        `Use \`$${ref.name}\` only as quoted data ("$${ref.name}"). GitLab exports it as an environment variable, so ` +
        `a single-quoted inner script (\`sh -c 'echo "$${ref.name}"'\`) or no indirection at all keeps it out of the ` +
        'code; for ssh, send the value on stdin instead of in the remote command.',
    },
  };
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const k = `${f.location?.path}:${f.location?.line}:${f.location?.column}:${f.rule}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

// ---- a small POSIX-shell lexer: words, their variable references and quoting, command boundaries

interface ShRef {
  name: string;
  /** Offset of the `$` in the script. */
  start: number;
  /** Quoting at the reference; single-quoted `$X` is not expanded and so never recorded. */
  quote: 'none' | 'double';
}

interface ShWord {
  /** The word with its quotes removed (variable references kept as written). */
  text: string;
  refs: ShRef[];
}

interface ShCommand {
  words: ShWord[];
  /** Commands joined by `|` share a pipeline number. */
  pipeline: number;
}

type Quote = 'none' | 'single' | 'double';

/** Splits a script into simple commands; command substitutions become commands of their own. */
function lexShell(src: string): ShCommand[] {
  const commands: ShCommand[] = [];
  let pipeline = 0;
  let words: ShWord[] = [];
  let cur: ShWord | null = null;
  let q: Quote = 'none';
  // Open command substitutions: what to restore when they close.
  const stack: Array<{ closer: string; q: Quote; words: ShWord[]; cur: ShWord | null; pipeline: number }> = [];
  const word = (): ShWord => (cur ??= { text: '', refs: [] });
  const endWord = () => {
    if (cur) words.push(cur);
    cur = null;
  };
  const endCommand = (samePipeline = false) => {
    endWord();
    if (words.length) commands.push({ words, pipeline });
    words = [];
    if (!samePipeline) pipeline++;
  };
  const open = (closer: string) => {
    stack.push({ closer, q, words, cur, pipeline });
    words = [];
    cur = null;
    q = 'none';
    pipeline++;
  };
  const close = () => {
    endCommand();
    const top = stack.pop()!;
    ({ q, words, cur } = top);
    pipeline = Math.max(pipeline, top.pipeline);
    word().text += '$()';
  };
  /** Reads `$NAME`, `${NAME…}` or PowerShell `$env:NAME` at i; returns the offset after it. */
  const readVar = (i: number): number => {
    const rest = src.slice(i + 1);
    const m =
      /^\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}/.exec(rest) ??
      /^env:([A-Za-z_][A-Za-z0-9_]*)/i.exec(rest) ??
      /^([A-Za-z_][A-Za-z0-9_]*)/.exec(rest);
    const w = word();
    if (!m) {
      w.text += '$';
      return i + 1;
    }
    w.refs.push({ name: m[1], start: i, quote: q === 'double' ? 'double' : 'none' });
    w.text += `$${m[1]}`;
    return i + 1 + m[0].length;
  };

  for (let i = 0; i < src.length;) {
    const c = src[i];
    if (q === 'single') {
      if (c === "'") q = 'none';
      else word().text += c;
      i++;
      continue;
    }
    if (c === '\\') {
      if (src[i + 1] !== '\n') word().text += src[i + 1] ?? '';
      i += 2;
      continue;
    }
    if (c === '$' && src[i + 1] === '(') {
      open(')');
      i += src[i + 2] === '(' ? 3 : 2;
      continue;
    }
    if (c === '`') {
      if (stack.length && stack[stack.length - 1].closer === '`' && q === 'none') close();
      else open('`');
      i++;
      continue;
    }
    if (c === '$') {
      i = readVar(i);
      continue;
    }
    if (q === 'double') {
      if (c === '"') q = 'none';
      else word().text += c;
      i++;
      continue;
    }
    // unquoted
    if (c === "'" || c === '"') {
      word();
      q = c === "'" ? 'single' : 'double';
      i++;
    } else if (c === ' ' || c === '\t' || c === '\r') {
      endWord();
      i++;
    } else if (c === '\n' || c === ';') {
      endCommand();
      i++;
    } else if (c === '&') {
      endCommand();
      i += src[i + 1] === '&' ? 2 : 1;
    } else if (c === '|') {
      const or = src[i + 1] === '|';
      endCommand(!or);
      i += or || src[i + 1] === '&' ? 2 : 1;
    } else if (c === ')' && stack.length && stack[stack.length - 1].closer === ')') {
      close();
      i++;
    } else if (c === '(' || c === ')') {
      endCommand();
      i++;
    } else if (c === '#' && cur === null) {
      const nl = src.indexOf('\n', i);
      i = nl < 0 ? src.length : nl;
    } else {
      word().text += c;
      i++;
    }
  }
  while (stack.length) close();
  endCommand();
  return commands;
}

// ---- where a variable's text is parsed as code

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'ash', 'mksh', 'busybox']);
const PREFIX_COMMANDS = new Set(['sudo', 'exec', 'command', 'builtin', 'time', 'nohup', 'env', 'nice', 'doas']);
/** Interpreter → the flags after which the next word is code. */
const INTERPRETER_CODE_FLAGS: Array<[RegExp, RegExp]> = [
  [/^python[0-9.]*$/, /^-c$/],
  [/^(node|nodejs|bun|deno)$/, /^(-e|--eval|-p|--print)$/],
  [/^perl$/, /^-[a-zA-Z]*[eE]$/],
  [/^ruby$/, /^-[a-zA-Z]*e$/],
  [/^php$/, /^-r$/],
  [/^(pwsh|powershell)(\.exe)?$/, /^-(c|command)$/i],
];
/** ssh options that take an argument. */
const SSH_ARG_OPTS = new Set([
  '-b',
  '-c',
  '-D',
  '-E',
  '-e',
  '-F',
  '-I',
  '-i',
  '-J',
  '-L',
  '-l',
  '-m',
  '-O',
  '-o',
  '-p',
  '-Q',
  '-R',
  '-S',
  '-W',
  '-w',
]);

interface Sink {
  how: string;
  refs: ShRef[];
}

const base = (w: ShWord | undefined): string => (w?.text.split('/').pop() ?? '').toLowerCase();

/** Index of the command name, past `VAR=x` assignments and wrappers such as sudo/env. */
function commandIndex(words: ShWord[]): number {
  let k = 0;
  while (k < words.length) {
    const t = words[k].text;
    if (
      /^[A-Za-z_][A-Za-z0-9_]*=/.test(t) ||
      PREFIX_COMMANDS.has(base(words[k])) ||
      (k > 0 && t.startsWith('-') && PREFIX_COMMANDS.has(base(words[k - 1])))
    )
      k++;
    else break;
  }
  return k;
}

function sinksOf(cmd: ShCommand, earlier: ShCommand[]): Sink[] {
  const w = cmd.words;
  const out: Sink[] = [];
  const k = commandIndex(w);
  const name = base(w[k]);
  if (name === 'eval' || name === 'iex' || name === 'invoke-expression') {
    out.push({ how: `\`${name}\``, refs: w.slice(k + 1).flatMap((x) => x.refs) });
  }
  for (let j = 0; j < w.length; j++) {
    const b = base(w[j]);
    if (SHELLS.has(b)) {
      const code = shellCodeWord(w, j);
      if (code !== undefined) out.push({ how: `\`${b} -c\``, refs: w[code].refs });
    }
    for (const [interp, flag] of INTERPRETER_CODE_FLAGS) {
      if (!interp.test(b)) continue;
      const f = w.findIndex((x, i) => i > j && flag.test(x.text));
      if (f > j && w[f + 1])
        out.push({
          how: `\`${b} ${w[f].text}\``,
          refs: /^(pwsh|powershell)/.test(b) ? w.slice(f + 1).flatMap((x) => x.refs) : w[f + 1].refs,
        });
    }
    if (b === 'ssh') {
      const remote = sshRemoteCommand(w, j);
      if (remote.length) out.push({ how: 'the remote shell of `ssh`', refs: remote.flatMap((x) => x.refs) });
    }
  }
  // `echo "$X" | sh`: a shell reading its script from the pipe parses the printed text.
  if (SHELLS.has(name) && readsStdin(w, k)) {
    const printers = earlier.filter(
      (c) => c.pipeline === cmd.pipeline && ['echo', 'printf'].includes(base(c.words[commandIndex(c.words)])),
    );
    const feeding = printers.flatMap((c) => c.words.flatMap((x) => x.refs));
    if (feeding.length) out.push({ how: `\`${name}\` reading the piped text as its script`, refs: feeding });
  }
  return out;
}

/** For `sh [opts] -c CODE`, the index of CODE. */
function shellCodeWord(w: ShWord[], j: number): number | undefined {
  let sawC = false;
  let k = j + 1;
  if (base(w[j]) === 'busybox' && base(w[k]) !== 'sh' && base(w[k]) !== 'ash') return undefined;
  if (base(w[j]) === 'busybox') k++;
  for (; k < w.length && /^[-+]/.test(w[k].text) && w[k].text !== '--'; k++) {
    const t = w[k].text;
    if (/^-[a-zA-Z]*c[a-zA-Z]*$/.test(t)) sawC = true;
    if (t === '-o' || t === '+o' || t === '-O' || t === '+O') k++;
  }
  return sawC && k < w.length ? k : undefined;
}

function readsStdin(w: ShWord[], k: number): boolean {
  const operands = w.slice(k + 1).filter((x) => !x.text.startsWith('-') && !x.text.startsWith('<') && !x.text.startsWith('>'));
  const flags = w.slice(k + 1).filter((x) => x.text.startsWith('-'));
  return operands.length === 0 && !flags.some((f) => /^-[a-zA-Z]*c/.test(f.text));
}

function sshRemoteCommand(w: ShWord[], j: number): ShWord[] {
  let k = j + 1;
  while (k < w.length && w[k].text.startsWith('-')) {
    if (SSH_ARG_OPTS.has(w[k].text)) k++;
    k++;
  }
  return k < w.length ? w.slice(k + 1) : [];
}

/** `X=$CI_…`, `export X="$CI_…"`: X carries the untrusted text from here on. */
function recordAssignments(cmd: ShCommand, taint: Taint): void {
  const w = cmd.words;
  const k = commandIndex(w);
  const declares = ['export', 'declare', 'local', 'readonly', 'typeset'].includes(base(w[k]));
  const candidates = declares ? w.slice(k + 1) : w.slice(0, k);
  for (const x of candidates) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=/.exec(x.text);
    if (!m) continue;
    const src = x.refs.find((r) => taint.vars.has(r.name));
    if (src) taint.vars.set(m[1], `${taint.vars.get(src.name)} (copied from $${src.name})`);
    else taint.vars.delete(m[1]);
  }
}

// ---------------------------------------------------------------------------------------------
// Credentials handed to merge-request pipelines

/** OIDC audiences that only sign (keyless Sigstore): a token for them unlocks no secret. */
const SIGNING_AUDIENCES = /^sigstore$/i;

function mrCredentialFindings(job: GitlabJob): Finding[] {
  const out: Finding[] = [];
  const guard =
    'rules:\n  - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n    when: never\n  - if: $CI_COMMIT_REF_PROTECTED == "true"\n';
  if (job.secrets.length) {
    out.push({
      rule: 'mrPipelineSecrets',
      severity: 'high',
      message:
        `GitLab job \`${job.name}\` runs in merge-request pipelines and fetches secrets (${job.secrets.join(', ')}): ` +
        'the merge request’s code runs with them',
      location: job.loc,
      remediation: {
        text:
          'Fetch secrets only in pipelines for protected refs, and bind the secret manager’s role to protected refs ' +
          '(`ref_protected: true`), so merge-request code never receives them.',
        patch: guard,
      },
    });
  }
  for (const token of job.idTokens) {
    if (token.aud.length > 0 && token.aud.every((a) => SIGNING_AUDIENCES.test(a))) continue;
    out.push({
      rule: 'mrPipelineIdToken',
      // Whether the token unlocks anything depends on the relying party's trust policy.
      severity: 'medium',
      message:
        `GitLab job \`${job.name}\` runs in merge-request pipelines and mints the OIDC token \`${token.name}\`` +
        (token.aud.length ? ` for ${token.aud.join(', ')}` : '') +
        ': the merge request’s code can exchange it for cloud or vault credentials unless the trust policy requires a protected ref',
      location: token.loc,
      remediation: {
        text: 'Request the token only in protected-ref pipelines, and require `ref_protected: true` in the relying party’s trust policy.',
        patch: guard,
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Does a job run in merge-request pipelines? Rules evaluated against a merge-request context.

/** A variable's value in a merge-request pipeline: known, set-but-unknown, or unknown altogether. */
type Val = { v: string | null } | 'set' | 'unknown';

function mrValue(name: string): Val {
  if (name === 'CI_PIPELINE_SOURCE') return { v: 'merge_request_event' };
  if (name === 'CI_COMMIT_BRANCH' || name === 'CI_COMMIT_TAG' || name.startsWith('CI_EXTERNAL_PULL_REQUEST_')) return { v: null };
  if (name === 'CI_COMMIT_REF_PROTECTED') return { v: 'false' };
  if (
    name.startsWith('CI_MERGE_REQUEST_') ||
    name === 'CI_COMMIT_REF_NAME' ||
    name === 'CI_COMMIT_SHA' ||
    name === 'CI_DEFAULT_BRANCH' ||
    name === 'CI_OPEN_MERGE_REQUESTS' ||
    name === 'CI_PROJECT_PATH' ||
    name === 'CI_PROJECT_NAMESPACE'
  )
    return 'set';
  return 'unknown';
}

type Tri = boolean | undefined;

type Operand = { kind: 'val'; val: Val } | { kind: 're'; re: RegExp | undefined };

/** Evaluates a GitLab `rules:if` expression in a merge-request pipeline; undefined when it depends on unknowns. */
export function evalRuleIf(expr: string, valueOf: (name: string) => Val = mrValue): Tri {
  const tokens = tokenizeRule(expr);
  if (!tokens) return undefined;
  let pos = 0;
  const peek = () => tokens[pos];
  const operand = (): Operand => {
    const t = tokens[pos++];
    if (t === undefined) throw new Error('unexpected end');
    if (t.kind === 'var') return { kind: 'val', val: valueOf(t.text) };
    if (t.kind === 'str') return { kind: 'val', val: { v: t.text } };
    if (t.kind === 'null') return { kind: 'val', val: { v: null } };
    if (t.kind === 're') return { kind: 're', re: t.re };
    throw new Error(`unexpected ${t.text}`);
  };
  const primary = (): Tri => {
    if (peek()?.kind === '(') {
      pos++;
      const r = or();
      if (peek()?.kind !== ')') throw new Error('missing )');
      pos++;
      return r;
    }
    const left = operand();
    if (left.kind !== 'val') throw new Error('a regex cannot stand alone');
    const op = peek();
    if (op && (op.kind === '==' || op.kind === '!=' || op.kind === '=~' || op.kind === '!~')) {
      pos++;
      return compare(left.val, op.kind, operand());
    }
    return truthy(left.val);
  };
  const and = (): Tri => {
    let r = primary();
    while (peek()?.kind === '&&') {
      pos++;
      const r2 = primary();
      r = r === false || r2 === false ? false : r === true && r2 === true ? true : undefined;
    }
    return r;
  };
  const or = (): Tri => {
    let r = and();
    while (peek()?.kind === '||') {
      pos++;
      const r2 = and();
      r = r === true || r2 === true ? true : r === false && r2 === false ? false : undefined;
    }
    return r;
  };
  try {
    const r = or();
    return pos === tokens.length ? r : undefined;
  } catch {
    return undefined;
  }
}

function truthy(v: Val): Tri {
  if (v === 'set') return true;
  if (v === 'unknown') return undefined;
  return v.v !== null && v.v !== '';
}

function compare(l: Val, op: '==' | '!=' | '=~' | '!~', r: Operand): Tri {
  let res: Tri;
  if (r.kind === 're') {
    // An unset variable never matches; a set one of unknown value may or may not.
    if (l === 'unknown' || l === 'set' || r.re === undefined) res = undefined;
    else res = l.v === null ? false : r.re.test(l.v);
  } else {
    const rv = r.val;
    if (l === 'unknown' || rv === 'unknown') res = undefined;
    else if (l === 'set' || rv === 'set') {
      const other = l === 'set' ? rv : l;
      res = typeof other === 'object' && other.v === null ? false : undefined;
    } else res = l.v === rv.v;
  }
  if (res === undefined) return undefined;
  return op === '!=' || op === '!~' ? !res : res;
}

type RuleToken =
  | { kind: 'var' | 'str' | 'null' | '(' | ')' | '&&' | '||' | '==' | '!=' | '=~' | '!~'; text: string }
  | { kind: 're'; text: string; re: RegExp | undefined };

function tokenizeRule(s: string): RuleToken[] | undefined {
  const out: RuleToken[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = s.slice(i, i + 2);
    if (['&&', '||', '==', '!=', '=~', '!~'].includes(two)) {
      out.push({ kind: two as '&&', text: two });
      i += 2;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ kind: c, text: c });
      i++;
      continue;
    }
    if (c === '$') {
      const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?/.exec(s.slice(i));
      if (!m) return undefined;
      out.push({ kind: 'var', text: m[1] });
      i += m[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      const end = s.indexOf(c, i + 1);
      if (end < 0) return undefined;
      out.push({ kind: 'str', text: s.slice(i + 1, end) });
      i = end + 1;
      continue;
    }
    if (c === '/' && (out[out.length - 1]?.kind === '=~' || out[out.length - 1]?.kind === '!~')) {
      let j = i + 1;
      while (j < s.length && s[j] !== '/') j += s[j] === '\\' ? 2 : 1;
      const m = /^[a-z]*/.exec(s.slice(j + 1))![0];
      out.push({ kind: 're', text: s.slice(i, j + 1 + m.length), re: safeRegExp(s.slice(i + 1, j), m.includes('i') ? 'i' : '') });
      i = j + 1 + m.length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i));
    if (word && word[0] === 'null') {
      out.push({ kind: 'null', text: 'null' });
      i += 4;
      continue;
    }
    return undefined;
  }
  return out;
}

function safeRegExp(source: string, flags: string): RegExp | undefined {
  try {
    return new RegExp(source, flags);
  } catch {
    return undefined;
  }
}

/** First matching rule decides; a rule whose `if` depends on unknowns is skipped (not assumed to match). */
function rulesRunInMr(rules: unknown[]): boolean {
  for (const rule of rules) {
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) continue; // unresolved !reference and the like
    const r = rule as Record<string, unknown>;
    const cond = typeof r.if === 'string' ? evalRuleIf(r.if) : r.if === undefined ? true : undefined;
    if (cond !== true) continue;
    return r.when !== 'never';
  }
  return false;
}

function workflowAllowsMr(workflowRules: unknown): boolean {
  if (!Array.isArray(workflowRules)) return true;
  return rulesRunInMr(workflowRules);
}

function refsOf(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (v && typeof v === 'object') return refsOf((v as Record<string, unknown>).refs);
  return [];
}

/** Whether the job is added to merge-request pipelines (rules, or only/except, or the default `only: [branches, tags]`). */
export function runsInMergeRequests(job: Pick<GitlabJob, 'rules' | 'only' | 'except' | 'when'>): boolean {
  if (job.when === 'never') return false;
  if (Array.isArray(job.rules)) return rulesRunInMr(job.rules);
  if (job.only === undefined && job.except === undefined) return false;
  const only = job.only === undefined ? ['branches', 'tags'] : refsOf(job.only);
  const except = refsOf(job.except);
  return only.includes('merge_requests') && !except.includes('merge_requests');
}
