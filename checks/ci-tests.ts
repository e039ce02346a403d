/**
 * CI-Tests: did CI test the recent changes before they were merged?
 *
 * A port of OpenSSF Scorecard's rule (probes/testsRunInCI/impl.go, checks/evaluation/ci_tests.go):
 * a merged change is tested when its head commit has a successful CI result whose name says it is
 * a test system — for a check run its app (`github-actions`, `circleci`, …), for a commit status its
 * context — matching appveyor, buildkite, circleci, e2e, github-actions, jenkins, mergeable,
 * packit-as-a-service, semaphoreci, test, travis-ci, flutter-dashboard, cirrus ci, azure-pipelines.
 * GitLab pipelines (app `gitlab…`) count as CI runs. Score ⌊10 · tested / merged⌋; no merged change
 * → inconclusive.
 *
 * When a change's CI results were not fetched, a successful run of the `workflowRuns` fact on its
 * head commit counts instead (those are GitHub Actions / GitLab pipeline runs); a change with
 * neither is left out of the count and reported as unknown — never counted as untested.
 *
 * Evidence `ciTests` {tested, merged}. Findings: one per change merged without a CI test.
 */
import { defineCheck, inconclusive, proportionalScore, type Finding, type UnknownNote } from '../src/check.js';
import type { MergedChange, WorkflowRun } from '../src/facts/platform.js';

/** Scorecard's isTest patterns (its "Cirrus CI" never matched, being compared with a lower-cased name; here it does). */
const TEST_PATTERNS = [
  'appveyor',
  'buildkite',
  'circleci',
  'e2e',
  'github-actions',
  'jenkins',
  'mergeable',
  'packit-as-a-service',
  'semaphoreci',
  'test',
  'travis-ci',
  'flutter-dashboard',
  'cirrus ci',
  'azure-pipelines',
];

export const isTest = (s: string | undefined): boolean => {
  const l = (s ?? '').toLowerCase();
  return TEST_PATTERNS.some((p) => l.includes(p));
};

/** A GitLab pipeline reported as a check (its app names GitLab CI). */
const isGitlabPipeline = (app: string | undefined): boolean => /^gitlab/i.test(app ?? '');

type Verdict = { tested: true; by: string } | { tested: false } | { unknown: true };

/** The successful CI test among the change's own check results, if any. */
function testedBy(c: MergedChange): string | undefined {
  for (const k of c.checks ?? []) {
    if (k.conclusion !== 'success') continue;
    // Check runs are matched by their app (Scorecard's App.Slug), statuses by their context.
    if (k.app ? isTest(k.app) || isGitlabPipeline(k.app) : isTest(k.name)) return k.app ? `${k.app}: ${k.name}` : k.name;
  }
  return undefined;
}

function verdict(c: MergedChange, runs: WorkflowRun[] | undefined): Verdict {
  if (c.checks) {
    const by = testedBy(c);
    if (by) return { tested: true, by };
    if (runs && c.headCommit) {
      const run = runs.find((r) => r.headSha === c.headCommit && r.conclusion === 'success');
      if (run) return { tested: true, by: run.workflow };
    }
    return { tested: false };
  }
  if (runs && c.headCommit) {
    const run = runs.find((r) => r.headSha === c.headCommit && r.conclusion === 'success');
    if (run) return { tested: true, by: run.workflow };
  }
  return { unknown: true };
}

export default defineCheck({
  id: 'CI-Tests',
  risk: 'low',
  description:
    'Determines whether recent merged pull/merge requests had a successful CI test run (GitHub check runs and statuses, ' +
    'GitHub Actions, GitLab pipelines, other CI systems) on their head commit before merging.',
  facts: ['mergedChanges', 'workflowRuns'],
  // Workflow runs are looked at only for changes whose own CI results show no successful test.
  readWhen: { workflowRuns: (f) => f.mergedChanges.known && f.mergedChanges.value.some((c) => !testedBy(c)) },
  slsa: [],
  remediation: [
    'Run the tests in CI on every pull/merge request (GitHub Actions, GitLab CI, or another CI system).',
    'Require the test check to pass before merging (branch protection: required status checks / pipelines must succeed).',
  ],
  differsFromScorecard:
    "Scorecard's 'Cirrus CI' pattern is matched case-insensitively (Scorecard's never matches). A successful GitHub Actions run or " +
    'GitLab pipeline on the head commit counts even when the per-change CI results were not fetched; changes whose CI results are ' +
    'unknown are left out of the count (Scorecard counts them as untested).',
  run(facts) {
    const { mergedChanges, workflowRuns } = facts;
    if (!mergedChanges.known) return inconclusive('merged changes could not be read', ['mergedChanges', mergedChanges]);
    if (mergedChanges.value.length === 0) return { score: null, reason: 'no pull request found' };
    const runs = workflowRuns.known ? workflowRuns.value : undefined;
    let merged = 0;
    let tested = 0;
    let unknownCount = 0;
    const findings: Finding[] = [];
    for (const c of mergedChanges.value) {
      const v = verdict(c, runs);
      if ('unknown' in v) {
        unknownCount++;
        continue;
      }
      merged++;
      if (v.tested) {
        tested++;
        continue;
      }
      findings.push({
        rule: 'untestedChange',
        severity: 'low',
        message: `#${c.number} was merged without a successful CI test on its head commit${c.headCommit ? ` ${c.headCommit.slice(0, 12)}` : ''}${c.url ? ` (${c.url})` : ''}`,
        remediation: { text: 'Run the tests in CI on pull/merge requests and require them to pass before merging.' },
      });
    }
    const unknowns: UnknownNote[] = [];
    if (unknownCount > 0) {
      unknowns.push({
        fact: 'mergedChanges',
        reason: `the CI results of ${unknownCount} merged change(s) were not available${workflowRuns.known ? '' : ` (and workflow runs are unknown: ${workflowRuns.reason})`}`,
        ...(!workflowRuns.known && workflowRuns.needs ? { needs: workflowRuns.needs } : {}),
      });
    }
    if (merged === 0) return { score: null, reason: 'the CI results of the merged changes could not be read', unknowns };
    return {
      score: proportionalScore(tested, merged),
      reason: `${tested} out of ${merged} merged PRs checked by a CI test`,
      findings,
      evidence: [{ kind: 'ciTests', message: `${tested} of ${merged} merged changes were tested in CI`, values: { tested, merged } }],
      unknowns,
    };
  },
});
