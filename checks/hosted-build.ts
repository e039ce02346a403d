/**
 * Hosted-Build (ours) — are releases built on the CI provider's hosted runners?
 *
 * SLSA Build L2 asks for a hosted build platform, and L3's isolation is only credible (and only
 * verifiable: GitHub's Sigstore certificates record `runner_environment: self-hosted`, which
 * slsa-verifier rejects) on the provider's ephemeral hosted runners. This check finds the jobs that
 * release — publish a package, create a release, generate provenance, or run in a tag/release-only
 * workflow or pipeline — and classifies where each runs.
 *
 * Scoring: ⌊10 · hosted / classified⌋ over release jobs whose runner can be told statically.
 * Self-hosted, custom-labelled and third-party runners count as not hosted (with a finding each);
 * dynamic labels (`${{ matrix.os }}`, `$RUNNER`) and other repositories' reusable workflows are not
 * counted (info finding). No release job at all → null: offline we cannot tell how releases are built.
 *
 * Evidence: `hostedBuild` per release job on hosted runners; `releaseInputs` {file, job, inputs, names?}
 * per GitHub workflow that runs release jobs (and each local caller of a reusable one): its
 * `workflow_dispatch` inputs, 0 when it takes none; left out when they cannot be counted
 * (`repository_dispatch` payloads; any GitLab pipeline, which accepts CI variables from whoever runs it).
 */
import { defineCheck, inconclusive, proportionalScore, type Evidence, type Finding, type Severity } from '../src/check.js';
import type { Location, TagInfo } from '../src/facts/model.js';
import type { ActionMeta, Job, Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi, GitlabJob } from '../src/parsers/gitlab-ci.js';
import {
  actionName,
  callersOf,
  githubPublishSites,
  gitlabPublishSites,
  libraryWorkflows,
  localWorkflowPath,
  prOnly,
  workflowEvents,
} from './lib/ci.js';

type Runner =
  | 'github-hosted'
  | 'gitlab-saas'
  | 'self-hosted'
  | 'custom'
  | 'third-party'
  | 'dynamic'
  | 'external-workflow'
  | 'instance-runner'
  | 'unknown';

const HOSTED: ReadonlySet<Runner> = new Set(['github-hosted', 'gitlab-saas']);
const UNDETERMINED: ReadonlySet<Runner> = new Set(['dynamic', 'external-workflow', 'instance-runner', 'unknown']);

interface ReleaseJob {
  platform: 'github' | 'gitlab';
  file: string;
  job: string;
  loc: Location;
  runner: Runner;
  labels: string[];
  why: string;
  /** GitLab host, when known (decides what untagged jobs run on). */
  host?: string;
}

// ───────────────────────────── GitHub ─────────────────────────────

const GITHUB_HOSTED_LABEL = /^(?:ubuntu|windows|macos)-[\w.-]+$/i;
/** Runner-as-a-service vendors: hosted, but not by GitHub (certificates say self-hosted). */
const THIRD_PARTY_LABEL = /^(?:buildjet-|depot-|blacksmith-|namespace-profile-|nscloud-|ubicloud-|warp-|runs-on[=/,])/i;
const SLSA_BUILDERS = /^slsa-framework\/slsa-github-generator\/\.github\/workflows\//i;
const RELEASE_EVENTS = new Set(['release', 'push:tags', 'registry_package']);
const MANUAL_EVENTS = new Set(['workflow_dispatch', 'workflow_call']);

function githubRunner(job: Job, wfs: readonly Workflow[], depth = 0): Runner {
  if (job.uses) {
    const name = actionName(job.uses.value);
    if (SLSA_BUILDERS.test(name)) return 'github-hosted'; // the trusted builders run on GitHub-hosted runners only
    if (!name.startsWith('./') || depth > 3) return 'external-workflow';
    const called = wfs.find((w) => w.path === name.slice(2));
    if (!called || called.jobs.length === 0) return 'unknown';
    return worst(called.jobs.map((j) => githubRunner(j, wfs, depth + 1)));
  }
  if (job.runsOnDynamic) return 'dynamic';
  if (job.runsOn.length === 0) return 'unknown';
  if (job.runsOn.some((l) => l.toLowerCase() === 'self-hosted')) return 'self-hosted';
  if (job.runsOn.every((l) => GITHUB_HOSTED_LABEL.test(l))) return 'github-hosted';
  if (job.runsOn.some((l) => THIRD_PARTY_LABEL.test(l))) return 'third-party';
  return 'custom';
}

/** The least trustworthy runner among a called workflow's jobs decides. */
function worst(rs: Runner[]): Runner {
  const order: Runner[] = [
    'self-hosted',
    'custom',
    'third-party',
    'external-workflow',
    'dynamic',
    'unknown',
    'instance-runner',
    'gitlab-saas',
    'github-hosted',
  ];
  return order.find((r) => rs.includes(r)) ?? 'unknown';
}

function githubReleaseJobs(wfs: readonly Workflow[], actions: readonly ActionMeta[]): ReleaseJob[] {
  const out: ReleaseJob[] = [];
  const library = libraryWorkflows(wfs);
  for (const wf of wfs) {
    if (prOnly(wf) || library.has(wf.path)) continue;
    const events = workflowEvents(wf);
    const releaseOnly = events.some((e) => RELEASE_EVENTS.has(e)) && events.every((e) => RELEASE_EVENTS.has(e) || MANUAL_EVENTS.has(e));
    const publishing = new Map<string, string>();
    for (const s of githubPublishSites(wf, actions)) if (!publishing.has(s.job)) publishing.set(s.job, `publishes with ${s.tool}`);
    for (const job of wf.jobs) {
      const why =
        publishing.get(job.id) ??
        (job.uses && SLSA_BUILDERS.test(actionName(job.uses.value)) ? 'builds with slsa-github-generator' : undefined) ??
        (job.steps.some((s) => s.uses && /^actions\/attest(?:-build-provenance)?$/i.test(actionName(s.uses.value)))
          ? 'attests build provenance'
          : undefined) ??
        (releaseOnly ? `runs on ${events.filter((e) => RELEASE_EVENTS.has(e)).join('/')}` : undefined);
      if (!why) continue;
      out.push({
        platform: 'github',
        file: wf.path,
        job: job.id,
        loc: job.runsOnLoc ?? job.uses?.loc ?? job.loc,
        runner: githubRunner(job, wfs),
        labels: job.runsOn,
        why,
      });
    }
  }
  return out;
}

/** The user inputs a workflow run can be given: `workflow_dispatch.inputs`; undefined when they cannot be counted. */
function dispatchInputs(wf: Workflow): { count: number; names: string[]; loc?: Location } | undefined {
  // repository_dispatch passes an arbitrary client_payload: its parameters cannot be counted statically.
  if (wf.triggers.some((t) => t.event === 'repository_dispatch')) return undefined;
  const t = wf.triggers.find((x) => x.event === 'workflow_dispatch');
  if (!t) return { count: 0, names: [] };
  const config = t.config;
  if (config === null || config === undefined) return { count: 0, names: [], loc: t.loc };
  if (typeof config !== 'object' || Array.isArray(config)) return undefined;
  const inputs = (config as Record<string, unknown>).inputs;
  if (inputs === undefined || inputs === null) return { count: 0, names: [], loc: t.loc };
  if (typeof inputs !== 'object' || Array.isArray(inputs)) return undefined;
  const names = Object.keys(inputs);
  return { count: names.length, names, loc: t.loc };
}

/**
 * `releaseInputs` for each workflow that runs release jobs, and for the local workflows that call a
 * reusable one (a called workflow sees its caller's inputs, even through `github.event.inputs`).
 * Only GitHub: any GitLab pipeline can be given CI variables by whoever runs it, which the
 * configuration does not show.
 */
function releaseInputsEvidence(jobs: readonly ReleaseJob[], wfs: readonly Workflow[]): Evidence[] {
  const byFile = new Map<string, Set<string>>();
  const add = (file: string, job: string) => byFile.set(file, (byFile.get(file) ?? new Set()).add(job));
  for (const j of jobs) {
    if (j.platform !== 'github') continue;
    add(j.file, j.job);
    for (const caller of callersOf(wfs, j.file)) {
      for (const cj of caller.jobs) if (cj.uses && localWorkflowPath(cj.uses.value) === j.file) add(caller.path, cj.id);
    }
  }
  const out: Evidence[] = [];
  for (const [file, jobIds] of byFile) {
    const wf = wfs.find((w) => w.path === file);
    const inputs = wf && dispatchInputs(wf);
    if (!wf || !inputs) continue; // could not be read: left out, never guessed as 0
    const job = [...jobIds].join(',');
    // At the workflow_dispatch trigger, else the workflow's first trigger: what decides its inputs.
    const location = inputs.loc ?? wf.triggers[0]?.loc ?? wf.jobs[0]?.loc;
    out.push({
      kind: 'releaseInputs',
      message: inputs.count
        ? `release workflow ${file} (job ${job}) accepts ${inputs.count} user input(s) on workflow_dispatch: ${inputs.names.join(', ')}`
        : `release workflow ${file} (job ${job}) takes no user inputs`,
      ...(location ? { location } : {}),
      values: { file, job, inputs: inputs.count, ...(inputs.count ? { names: inputs.names.join(',') } : {}) },
    });
  }
  return out;
}

// ───────────────────────────── GitLab ─────────────────────────────

/** GitLab.com hosted runner tags (and the legacy shared Windows/macOS ones). */
const GITLAB_SAAS_TAG = /^(?:saas-(?:linux|macos|windows)-[\w.-]+|shared-windows|windows-1809|shared-macos-amd64)$/i;

function gitlabRunner(job: GitlabJob, host: string | undefined): Runner {
  if (job.tags.some((t) => t.includes('$'))) return 'dynamic';
  if (job.tags.length === 0) {
    // Untagged jobs take the instance's shared runners: hosted on GitLab.com, the operator's own machines elsewhere.
    if (host === 'gitlab.com') return 'gitlab-saas';
    return 'instance-runner';
  }
  if (job.tags.every((t) => GITLAB_SAAS_TAG.test(t))) return 'gitlab-saas';
  return 'self-hosted';
}

/** Jobs that run only for tags: `only: [tags]`, `rules: - if: $CI_COMMIT_TAG…` (not its negations). */
function tagOnly(job: GitlabJob): boolean {
  const only = job.only;
  const refs = Array.isArray(only) ? only : only && typeof only === 'object' ? (only as { refs?: unknown }).refs : undefined;
  if (Array.isArray(refs) && refs.length > 0 && refs.every((r) => r === 'tags' || (typeof r === 'string' && /^\/\^?v/.test(r))))
    return true;
  if (!Array.isArray(job.rules) || job.rules.length === 0) return false;
  const runs = job.rules.filter((r) => !(r && typeof r === 'object' && (r as { when?: unknown }).when === 'never'));
  return (
    runs.length > 0 &&
    runs.every((r) => {
      const cond = r && typeof r === 'object' ? (r as { if?: unknown }).if : undefined;
      return (
        typeof cond === 'string' &&
        /\$CI_COMMIT_TAG\b/.test(cond) &&
        !/(?:!\$CI_COMMIT_TAG|\$CI_COMMIT_TAG\s*==\s*(?:null|""|'')|\|\|)/.test(cond)
      );
    })
  );
}

function gitlabReleaseJobs(ci: GitlabCi, host: string | undefined): ReleaseJob[] {
  const publishing = new Map<string, string>();
  for (const s of gitlabPublishSites(ci)) if (!publishing.has(s.job)) publishing.set(s.job, `publishes with ${s.tool}`);
  const out: ReleaseJob[] = [];
  for (const job of ci.jobs) {
    if (job.trigger) continue; // child pipelines run elsewhere
    const why = publishing.get(job.name) ?? (tagOnly(job) ? 'runs only for tags' : undefined);
    if (!why) continue;
    out.push({
      platform: 'gitlab',
      file: job.loc.path,
      job: job.name,
      loc: job.loc,
      runner: gitlabRunner(job, host),
      labels: job.tags,
      why,
      ...(host ? { host } : {}),
    });
  }
  return out;
}

// ───────────────────────────── findings ─────────────────────────────

const RUNNER_FINDING: Partial<Record<Runner, { rule: string; severity: Severity; says: string; fix: string }>> = {
  'self-hosted': {
    rule: 'selfHostedRelease',
    severity: 'high',
    says: 'runs on a self-hosted runner',
    fix: 'Build releases on hosted runners (GitHub: `runs-on: ubuntu-latest`; GitLab.com: untagged or `saas-linux-*` tags). Self-hosted runners are rarely ephemeral or isolated, and provenance from them records `self-hosted`, which slsa-verifier rejects for Build L3.',
  },
  custom: {
    rule: 'customRunnerRelease',
    severity: 'medium',
    says: 'runs on a runner selected by custom labels (a self-hosted runner, or a larger runner GitHub hosts)',
    fix: 'Use a GitHub-hosted label (`ubuntu-*`, `windows-*`, `macos-*`) for release jobs. If this is a GitHub-hosted larger runner, ignore this finding for the path in the configuration.',
  },
  'third-party': {
    rule: 'thirdPartyRunnerRelease',
    severity: 'medium',
    says: 'runs on a third-party hosted runner service',
    fix: 'Build releases on GitHub-hosted runners: GitHub records runners from other vendors as self-hosted in provenance, so the build cannot reach a verifiable Build L3.',
  },
};

function runnerFinding(j: ReleaseJob): Finding | undefined {
  const f = RUNNER_FINDING[j.runner];
  const what = j.labels.length ? ` (${j.platform === 'gitlab' ? 'tags' : 'runs-on'}: ${j.labels.join(', ')})` : '';
  if (f) {
    return {
      rule: f.rule,
      severity: f.severity,
      message: `release job \`${j.job}\` (${j.why}) ${f.says}${what}`,
      location: j.loc,
      remediation: { text: f.fix, ...(j.platform === 'github' ? { patch: 'runs-on: ubuntu-latest' } : {}) },
    };
  }
  if (UNDETERMINED.has(j.runner)) {
    const says: Record<string, string> = {
      dynamic: 'selects its runner with an expression that cannot be resolved statically',
      'external-workflow': "calls another repository's reusable workflow, whose runners are not visible here",
      'instance-runner': j.host
        ? `runs on the shared runners of ${j.host}: the instance operator's machines, not GitLab.com's hosted runners`
        : "runs on the instance's shared runners: hosted on GitLab.com, the operator's own machines on a self-managed instance (which one is unknown without an origin remote)",
      unknown: 'has no runner that could be determined',
    };
    return {
      rule: 'runnerUndetermined',
      severity: 'info',
      message: `release job \`${j.job}\` (${j.why}) ${says[j.runner]}${what}`,
      location: j.loc,
    };
  }
  return undefined;
}

function noReleaseJobFinding(tags: TagInfo[], gitlab: boolean): Finding {
  return {
    rule: 'noReleaseJob',
    severity: 'medium',
    message: `${tags.length} tag(s) (newest \`${tags[0].name}\`) but no CI job builds or publishes releases: they are probably built by hand`,
    // GitLab: the CI file exists (that is how we know it is GitLab); GitHub: the fix is a new workflow file.
    ...(gitlab ? { location: { path: '.gitlab-ci.yml', line: 1, column: 1 } } : {}),
    remediation: {
      text: 'Build and publish releases from a CI job on hosted runners, triggered by the release tag (e.g. a new .github/workflows/release.yml on GitHub).',
    },
  };
}

export default defineCheck({
  id: 'Hosted-Build',
  risk: 'high',
  description:
    "Determines whether the CI jobs that build and publish releases run on the provider's hosted runners (GitHub-hosted `ubuntu-*`/`windows-*`/`macos-*`, " +
    'GitLab.com SaaS runners) rather than self-hosted or custom runners, as SLSA Build L2 (hosted) and L3 (isolated, verifiable) require.',
  facts: ['workflows', 'actions', 'gitlabCi', 'repository', 'tags'],
  slsa: [],
  remediation: [
    'Run release and publish jobs on hosted runners: `runs-on: ubuntu-latest` (GitHub) or untagged / `saas-linux-*` jobs on GitLab.com.',
    'Keep self-hosted runners for tests; if releases must build on them, make them ephemeral (one job per runner) and isolated.',
  ],
  differsFromScorecard:
    "No Scorecard check. Scorecard's hasSelfHostedRunners probe flags any job with the `self-hosted` label or a runner group; this check looks only at release jobs, " +
    'also treats custom labels and third-party runner services as not GitHub-hosted, resolves local reusable workflows, and covers GitLab runner tags.',
  run(facts) {
    const { workflows, actions, gitlabCi, repository, tags } = facts;
    if (!workflows.known && !gitlabCi.known)
      return inconclusive('CI configuration could not be read', ['workflows', workflows], ['gitlabCi', gitlabCi]);
    const wfs = workflows.known ? workflows.value : [];
    const ci = gitlabCi.known ? gitlabCi.value : null;
    const host = repository.known ? repository.value.host?.toLowerCase() : undefined;
    const jobs = [...githubReleaseJobs(wfs, actions.known ? actions.value : []), ...(ci ? gitlabReleaseJobs(ci, host) : [])];
    if (jobs.length === 0) {
      const findings = tags.known && tags.value.length > 0 ? [noReleaseJobFinding(tags.value, ci !== null && wfs.length === 0)] : [];
      return { score: null, reason: "can't tell offline how releases are built: no CI job builds or publishes them", findings };
    }
    const findings = jobs.map(runnerFinding).filter((f): f is Finding => f !== undefined);
    const hostedEvidence: Evidence[] = jobs
      .filter((j) => HOSTED.has(j.runner))
      .map((j) => ({
        kind: 'hostedBuild',
        message: `release job \`${j.job}\` (${j.why}) runs on ${j.runner === 'gitlab-saas' ? 'GitLab.com hosted runners' : 'GitHub-hosted runners'}`,
        location: j.loc,
        values: {
          platform: j.platform,
          runner: j.runner,
          hosted: true,
          job: j.job,
          file: j.file,
          labels: j.labels.join(',') || '(untagged)',
          why: j.why,
        },
      }));
    const evidence = [...hostedEvidence, ...releaseInputsEvidence(jobs, wfs)];
    const classified = jobs.filter((j) => !UNDETERMINED.has(j.runner));
    if (classified.length === 0) {
      return {
        score: null,
        reason: `${jobs.length} release job(s) found, but where they run cannot be determined statically`,
        findings,
        evidence,
      };
    }
    const hosted = classified.filter((j) => HOSTED.has(j.runner)).length;
    const score = proportionalScore(hosted, classified.length);
    const reason =
      hosted === classified.length
        ? `all ${hosted} release job(s) run on hosted runners`
        : `${hosted}/${classified.length} release job(s) run on hosted runners`;
    return { score, reason, findings, evidence };
  },
});
