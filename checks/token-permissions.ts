/**
 * Token-Permissions: are the GITHUB_TOKEN permissions of the workflows least-privilege?
 *
 * A port of OpenSSF Scorecard's check (checks/raw/permissions.go, the probes topLevelPermissions,
 * jobLevelPermissions and hasNoGitHubWorkflowPermissionUnknown, checks/evaluation/permissions.go),
 * including its order of evaluation: Scorecard feeds every job-level finding to the evaluator before
 * any top-level one, so a top-level declaration is judged knowing the jobs, never the reverse.
 */
import { defineCheck, inconclusive, type CheckOutcome, type Evidence, type Finding, type UnknownNote } from '../src/check.js';
import type { Fact } from '../src/facts/fact.js';
import type { Located, Location } from '../src/facts/model.js';
import type { CiTokenPolicy } from '../src/facts/platform.js';
import type { Job, Permissions, Step, Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi } from '../src/parsers/gitlab-ci.js';

/** Scopes whose write access Scorecard scores; writes to others (pull-requests, issues, id-token…) it only logs. */
const SCORED_SCOPES = new Set(['statuses', 'checks', 'security-events', 'deployments', 'contents', 'packages', 'actions']);

/** What a top-level write to a scope costs (Scorecard's reduceBy). */
const TOP_LEVEL_PENALTY: Record<string, number> = {
  checks: 0.5,
  statuses: 0.5,
  deployments: 1,
  'security-events': 1,
  contents: 10,
  packages: 10,
  actions: 10,
};

const LEAST_PRIVILEGE_BLOCK = 'permissions:\n  contents: read';

/** How the workflow (top level) declares the token. */
type TopLevel =
  | { kind: 'undeclared' }
  | { kind: 'read-only'; loc: Location }
  | { kind: 'write-all'; loc: Location }
  | { kind: 'scopes'; loc: Location; writes: ScopeWrite[] }
  | { kind: 'expression'; loc: Location };

interface ScopeWrite {
  scope: string;
  loc: Location;
}

interface JobPermissions {
  job: Job;
  undeclared: boolean;
  writeAll?: Location;
  /** Writes to scored scopes that the workflow's kind does not justify (Scorecard's "ignored permissions"). */
  writes: ScopeWrite[];
}

interface WorkflowPermissions {
  wf: Workflow;
  top: TopLevel;
  jobs: JobPermissions[];
}

export default defineCheck({
  id: 'Token-Permissions',
  risk: 'high',
  description:
    'Determines whether the GitHub workflows give their GITHUB_TOKEN least privilege: a read-only (or empty) ' +
    'top-level `permissions:` block, with writes granted only to the jobs that need them. Scored as OpenSSF ' +
    'Scorecard does: undeclared top-level permissions −0.5 (0 when a job declares none either), `write-all` −0.5 ' +
    '(0 when a job writes or declares nothing), top-level writes to contents/packages/actions −10, ' +
    'deployments/security-events −1, checks/statuses −0.5. GitLab job tokens have no per-pipeline permission ' +
    'block: their scope is a project setting, so a GitLab-only repository is scored from the API (job-token ' +
    'allowlist on 10, off 0) and is inconclusive offline.',
  facts: ['workflows', 'gitlabCi', 'ciTokenPolicy'],
  // The job-token scope is a GitLab project setting: asked for only when there is GitLab CI.
  readWhen: { ciTokenPolicy: (f) => f.gitlabCi.known && f.gitlabCi.value !== null },
  slsa: [],
  remediation: [
    'Declare a read-only token at the top of every workflow: `permissions:` with `contents: read` (or `permissions: {}`).',
    'Grant write scopes only in the `permissions:` of the job that needs them (e.g. `contents: write` on the release job).',
    'Never use `permissions: write-all`.',
    'GitLab: limit the CI/CD job token (Settings → CI/CD → Job token permissions) to an allowlist of projects and the fine-grained permissions the jobs need.',
  ],
  differsFromScorecard:
    'A job-level `permissions: write-all` counts as a job-level write (Scorecard skips it, so `write-all` at both ' +
    'levels scores 9 there and 0 here). Top-level writes to scopes Scorecard does not score (pull-requests, ' +
    'issues, id-token…) are reported as info findings without changing the score. A permissions expression ' +
    '(`${{ … }}`) is reported as undeterminable instead of being treated as a top-level write. Release detection ' +
    'also recognises semantic-release, softprops/action-gh-release, ncipollo/release-action, `gh release create` ' +
    'and JamesIves/github-pages-deploy-action. GitLab-only repositories are scored from the job-token allowlist through ' +
    'the API, and are inconclusive with the reason offline ' +
    '(Scorecard reports them as an error).',
  run({ workflows, gitlabCi, ciTokenPolicy }) {
    if (!workflows.known) return inconclusive('workflows could not be read', ['workflows', workflows]);
    const assessed = workflows.value.filter(isAssessable).map(analyzeWorkflow);
    if (assessed.length === 0) return noWorkflows(gitlabCi.known ? gitlabCi.value : null, ciTokenPolicy);

    const findings = assessed.flatMap(findingsFor);
    const evidence = assessed.flatMap(evidenceFor);
    const score = scorecardScore(assessed);
    // Mixed repositories: the GitLab job-token scope is reported beside the GitHub score, not in it.
    const unknowns: UnknownNote[] = [];
    if (gitlabCi.known && gitlabCi.value) {
      const scope = jobTokenScope(ciTokenPolicy);
      if (scope.limited === undefined) unknowns.push(scope.unknown);
      else {
        evidence.push(scope.evidence);
        if (scope.finding) findings.push(scope.finding);
      }
    }
    return {
      score,
      reason:
        score === 10
          ? 'GitHub workflow tokens follow the principle of least privilege'
          : 'detected GitHub workflow tokens with excessive permissions',
      findings,
      evidence,
      ...(unknowns.length ? { unknowns } : {}),
    };
  },
});

/** Scorecard skips files with nothing but comments; a file that is not a mapping cannot be judged either. */
function isAssessable(wf: Workflow): boolean {
  return wf.jobs.length > 0 || wf.triggers.length > 0 || wf.permissions.declared;
}

function analyzeWorkflow(wf: Workflow): WorkflowPermissions {
  const justified = justifiedScopes(wf);
  return { wf, top: topLevelOf(wf.permissions), jobs: wf.jobs.map((job) => jobPermissionsOf(job, justified)) };
}

function topLevelOf(p: Permissions): TopLevel {
  if (!p.declared) return { kind: 'undeclared' };
  switch (p.kind) {
    case 'read-all':
    case 'none':
      return { kind: 'read-only', loc: p.loc };
    case 'write-all':
      return { kind: 'write-all', loc: p.loc };
    case 'expression':
      return { kind: 'expression', loc: p.loc };
    default: {
      const writes = writesOf(p.scopes);
      return writes.length ? { kind: 'scopes', loc: p.loc, writes } : { kind: 'read-only', loc: p.loc };
    }
  }
}

function writesOf(scopes: Record<string, Located<string>>): ScopeWrite[] {
  return Object.entries(scopes)
    .filter(([, v]) => v.value.trim().toLowerCase() === 'write')
    .map(([scope, v]) => ({ scope, loc: v.loc }));
}

function jobPermissionsOf(job: Job, justified: Set<string>): JobPermissions {
  const p = job.permissions;
  if (!p.declared) return { job, undeclared: true, writes: [] };
  if (p.kind === 'write-all') return { job, undeclared: false, writeAll: p.loc, writes: [] };
  const writes = p.kind === 'scopes' ? writesOf(p.scopes).filter((w) => SCORED_SCOPES.has(w.scope) && !justified.has(w.scope)) : [];
  return { job, undeclared: false, writes };
}

// ---------------------------------------------------------------------------------------------
// Scoring: Scorecard's evaluation, in its order (all job-level findings, then all top-level ones).

function scorecardScore(assessed: WorkflowPermissions[]): number {
  const jobUndeclared = new Set<string>();
  const jobWrites = new Set<string>();
  for (const { wf, jobs } of assessed) {
    if (jobs.some((j) => j.undeclared)) jobUndeclared.add(wf.path);
    if (jobs.some((j) => j.writeAll || j.writes.length)) jobWrites.add(wf.path);
  }
  let score = 10;
  for (const { wf, top } of assessed) {
    if (top.kind === 'undeclared') {
      if (jobUndeclared.has(wf.path)) return 0;
      score -= 0.5;
    } else if (top.kind === 'write-all') {
      if (jobUndeclared.has(wf.path) || jobWrites.has(wf.path)) return 0;
      score -= 0.5;
    } else if (top.kind === 'scopes') {
      for (const w of top.writes) score -= TOP_LEVEL_PENALTY[w.scope] ?? 0;
    }
  }
  return Math.max(0, Math.trunc(score));
}

// ---------------------------------------------------------------------------------------------
// Findings and evidence.

function findingsFor(a: WorkflowPermissions): Finding[] {
  const out: Finding[] = [];
  const { wf, top, jobs } = a;
  const undeclaredJobs = jobs.filter((j) => j.undeclared).map((j) => j.job.id);
  const writingJobs = jobs.filter((j) => j.writeAll || j.writes.length).map((j) => j.job.id);

  if (top.kind === 'undeclared') {
    const zero = undeclaredJobs.length > 0;
    out.push({
      rule: 'topLevelPermissionsUndeclared',
      severity: zero ? 'high' : 'low',
      message:
        `no top-level \`permissions:\` in ${wf.path}: the token gets the repository's default permissions` +
        (zero ? ` in job(s) ${list(undeclaredJobs)}, which declare none either` : ' (every job declares its own)'),
      location: { path: wf.path, line: 1, column: 1 },
      remediation: {
        text: 'Add a read-only top-level block (before `jobs:`) and grant writes per job where needed.',
        patch: `${LEAST_PRIVILEGE_BLOCK}\n`,
      },
    });
  } else if (top.kind === 'write-all') {
    const zero = undeclaredJobs.length > 0 || writingJobs.length > 0;
    out.push({
      rule: 'topLevelWriteAll',
      severity: zero ? 'high' : 'low',
      message:
        `${wf.path} gives every job a token with \`write-all\`` +
        (undeclaredJobs.length ? `; job(s) ${list(undeclaredJobs)} inherit it` : '') +
        (writingJobs.length ? `; job(s) ${list(writingJobs)} also write` : ''),
      location: top.loc,
      remediation: {
        text: 'Replace `write-all` with a read-only block and give write scopes only to the jobs that need them.',
        patch: `${LEAST_PRIVILEGE_BLOCK}\n`,
      },
    });
  } else if (top.kind === 'scopes') {
    for (const w of top.writes) out.push(topLevelWriteFinding(wf, w));
  } else if (top.kind === 'expression') {
    out.push({
      rule: 'permissionsExpression',
      severity: 'info',
      message: `top-level permissions of ${wf.path} come from an expression and cannot be checked statically`,
      location: top.loc,
      remediation: { text: 'Declare the permissions literally.', patch: `${LEAST_PRIVILEGE_BLOCK}\n` },
    });
  }

  for (const j of jobs) {
    if (j.writeAll) {
      out.push({
        rule: 'jobLevelWriteAll',
        severity: 'medium',
        message: `job \`${j.job.id}\` in ${wf.path} gets a token with \`write-all\``,
        location: j.writeAll,
        remediation: {
          text: 'List only the scopes this job writes.',
          patch: `permissions:\n  contents: read\n  # add the scopes this job writes, e.g.\n  # pull-requests: write\n`,
        },
      });
    }
    for (const w of j.writes) {
      out.push({
        rule: 'jobLevelWrite',
        severity: 'low',
        message: `job \`${j.job.id}\` in ${wf.path} has \`${w.scope}: write\``,
        location: w.loc,
        remediation: {
          text: `Keep \`${w.scope}: write\` only if this job needs it (for example a release or publish step); otherwise use \`read\`.`,
          patch: `permissions:\n  ${w.scope}: read\n`,
        },
      });
    }
  }
  return out;
}

function topLevelWriteFinding(wf: Workflow, w: ScopeWrite): Finding {
  const penalty = TOP_LEVEL_PENALTY[w.scope];
  const severity = penalty === undefined || !SCORED_SCOPES.has(w.scope) ? 'info' : penalty >= 10 ? 'high' : penalty >= 1 ? 'medium' : 'low';
  const job = wf.jobs[0]?.id ?? '<job>';
  return {
    rule: 'topLevelWrite',
    severity,
    message:
      `${wf.path} grants \`${w.scope}: write\` to every job at the top level` + (severity === 'info' ? ' (not scored by Scorecard)' : ''),
    location: w.loc,
    remediation: {
      text: `Make the top level read-only and move \`${w.scope}: write\` to the job(s) that need it.`,
      patch: `${LEAST_PRIVILEGE_BLOCK}\njobs:\n  ${job}:\n    permissions:\n      ${w.scope}: write\n`,
    },
  };
}

function evidenceFor(a: WorkflowPermissions): Evidence[] {
  if (a.top.kind !== 'read-only') return [];
  return [
    {
      kind: 'leastPrivilegeToken',
      message: `${a.wf.path} declares read-only top-level token permissions`,
      location: a.top.loc,
      values: { workflow: a.wf.path, jobWrites: a.jobs.filter((j) => j.writeAll || j.writes.length).length },
    },
  ];
}

function list(ids: string[]): string {
  return ids.map((id) => `\`${id}\``).join(', ');
}

// ---------------------------------------------------------------------------------------------
// No GitHub workflows: GitLab's job token is governed by project settings, not by the file.

function noWorkflows(ci: GitlabCi | null, policy: Fact<CiTokenPolicy>): CheckOutcome {
  if (!ci) return { score: null, reason: 'no GitHub workflows found in the repository' };
  const scope = jobTokenScope(policy);
  const evidence: Evidence[] = [];
  for (const job of ci.jobs) {
    const use = job.scripts.find((s) => /\$\{?CI_JOB_TOKEN\b/.test(s.value));
    if (use) {
      evidence.push({
        kind: 'jobTokenUse',
        message: `GitLab job \`${job.name}\` uses CI_JOB_TOKEN`,
        location: use.loc,
        values: { job: job.name },
      });
    }
  }
  if (scope.limited === undefined) {
    return {
      score: null,
      reason:
        'GitLab CI job tokens have no per-pipeline permission block in .gitlab-ci.yml: what CI_JOB_TOKEN may access ' +
        'is the project job-token scope (allowlist and permissions), a project setting read through the API — unknown here',
      evidence,
      unknowns: [scope.unknown],
    };
  }
  evidence.push(scope.evidence);
  return scope.limited
    ? { score: 10, reason: 'GitLab job tokens of other projects can reach this project only when allow-listed', evidence }
    : {
        score: 0,
        reason: 'the CI/CD job token of any project can reach this project (its job-token allowlist is off)',
        evidence,
        findings: scope.finding ? [scope.finding] : [],
      };
}

/** GitLab's job-token allowlist as read through the API, or why it is not known. */
type JobTokenScope = { limited: boolean; evidence: Evidence; finding?: Finding } | { limited: undefined; unknown: UnknownNote };

/** GitLab's job-token allowlist (`inbound_enabled`): whether other projects' CI_JOB_TOKENs are kept out. */
function jobTokenScope(policy: Fact<CiTokenPolicy>): JobTokenScope {
  const s = policy.known ? policy.value.jobTokenScopeLimited : policy;
  if (!s || !s.known) {
    const needs = 'GitLab API: GET /projects/:id/job_token_scope (Maintainer role)';
    // The source's own reason when it gave one (no access, offline), else the generic one.
    return {
      limited: undefined,
      unknown: s
        ? { fact: 'ciTokenPolicy', reason: `the CI/CD job token scope: ${s.reason}`, needs: s.needs ?? needs }
        : { fact: 'ciTokenPolicy', reason: 'the CI/CD job token scope is a project setting, not part of the repository', needs },
    };
  }
  const evidence: Evidence = {
    kind: 'jobTokenScope',
    message: s.value
      ? 'the job-token allowlist is on: only allow-listed projects’ CI_JOB_TOKENs can reach this project'
      : 'the job-token allowlist is off: any project’s CI_JOB_TOKEN can reach this project with its user’s access',
    values: { limited: s.value },
  };
  if (s.value) return { limited: true, evidence };
  return {
    limited: false,
    evidence,
    finding: {
      rule: 'jobTokenScopeOpen',
      severity: 'medium',
      message: 'the CI/CD job-token allowlist is off: pipelines of any project can use their CI_JOB_TOKEN against this project',
      remediation: {
        text: 'Settings → CI/CD → Job token permissions: turn on "Limit access to this project" and allow-list only the projects (or groups) that need it.',
      },
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workflows whose kind justifies a job-level write (Scorecard's createIgnoredPermissions).

interface StepMatcher {
  uses?: string;
  with?: Record<string, string>;
  run?: RegExp;
}

/** A job matches when every step matcher matches one of its steps (or its reusable-workflow call). */
type JobMatcher = StepMatcher[];

const m = (...steps: StepMatcher[]): JobMatcher => steps;

/** Publishing workflows (fileparser.IsPackagingWorkflow): `packages: write` is expected. */
const PACKAGING: JobMatcher[] = [
  m({ uses: 'actions/setup-node', with: { 'registry-url': 'https://registry.npmjs.org' } }, { run: /npm.*publish/ }),
  m({ uses: 'actions/setup-java' }, { run: /mvn.*deploy/ }),
  m({ uses: 'actions/setup-java' }, { run: /gradle.*publish/ }),
  m({ run: /sbt.*ci-release/ }),
  m({ run: /gem.*push/ }),
  m({ run: /nuget.*push/ }),
  m({ run: /docker.*push/ }),
  m({ uses: 'docker/build-push-action' }),
  m({ uses: 'pypa/gh-action-pypi-publish' }),
  m({ uses: 'relekang/python-semantic-release' }),
  m({ uses: 'actions/setup-go' }, { uses: 'goreleaser/goreleaser-action' }),
  m({ run: /cargo.*publish/ }),
  m({ uses: 'imjasonh/setup-ko' }),
  m({ uses: 'ko-build/setup-ko' }),
  m({ run: /mix.*hex\.publish/ }),
  m({ run: /semantic-release/ }),
];

/** Releasing workflows (isReleasingWorkflow) and GitHub Pages deployments: `contents: write` is expected. */
const RELEASING: JobMatcher[] = [
  m({ uses: 'relekang/python-semantic-release' }),
  m({ uses: 'actions/setup-go' }, { uses: 'goreleaser/goreleaser-action' }),
  m({ uses: 'slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml' }),
  m({ uses: 'slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml' }),
  m({ run: /.*mvn.*release:prepare.*/ }),
  m({ uses: 'peaceiris/actions-gh-pages' }),
  // Ours: tools whose whole job is to create a release or push pages.
  m({ run: /semantic-release/ }),
  m({ uses: 'softprops/action-gh-release' }),
  m({ uses: 'ncipollo/release-action' }),
  m({ run: /\bgh\s+release\s+create\b/ }),
  m({ uses: 'JamesIves/github-pages-deploy-action' }),
];

/** Actions that upload SARIF to code scanning (isAllowedWorkflow): `security-events: write` is expected. */
const SARIF_ACTIONS = new Set(['github/codeql-action/analyze', 'github/codeql-action/upload-sarif', 'ossf/scorecard-action']);

function justifiedScopes(wf: Workflow): Set<string> {
  const out = new Set<string>();
  if (anyJobMatches(wf, PACKAGING)) out.add('packages');
  if (anyJobMatches(wf, RELEASING)) out.add('contents');
  if (wf.jobs.some((j) => j.steps.some((s) => s.uses && SARIF_ACTIONS.has(s.uses.value.split('@')[0])))) out.add('security-events');
  return out;
}

function anyJobMatches(wf: Workflow, matchers: JobMatcher[]): boolean {
  return wf.jobs.some((job) => matchers.some((matcher) => jobMatches(job, matcher)));
}

function jobMatches(job: Job, matcher: JobMatcher): boolean {
  return matcher.every((sm) => {
    // A reusable-workflow call matches a `uses` matcher (as Scorecard's JobMatcher does).
    if (sm.uses && job.uses?.value.startsWith(`${sm.uses}@`)) return true;
    return job.steps.some((step) => stepMatches(step, sm));
  });
}

function stepMatches(step: Step, sm: StepMatcher): boolean {
  if (sm.uses && !step.uses?.value.startsWith(`${sm.uses}@`)) return false;
  if (sm.with) {
    for (const [k, v] of Object.entries(sm.with)) if (step.with[k]?.value !== v) return false;
  }
  if (sm.run) {
    if (!step.run) return false;
    // Scorecard joins backslash-continued lines before matching.
    if (!sm.run.test(step.run.value.replace(/\\(\r\n|\n|\r)/g, ''))) return false;
  }
  return true;
}
