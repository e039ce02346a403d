import { describe, expect, it } from 'vitest';
import ciTests, { isTest } from '../../checks/ci-tests.js';
import type { CheckOutcome } from '../../src/check.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { MergedChange, WorkflowRun } from '../../src/facts/platform.js';

function change(n: number, checks?: MergedChange['checks']): MergedChange {
  return {
    number: n,
    author: { login: 'alice', bot: false },
    mergedBy: { login: 'bob', bot: false },
    mergedAt: '2024-05-01T00:00:00Z',
    headCommit: `${n}`.padStart(40, '0'),
    approvers: [],
    labels: [],
    ...(checks ? { checks } : {}),
  };
}

function run(changes: Fact<MergedChange[]>, runs: Fact<WorkflowRun[]> = unknown('not fetched')): CheckOutcome {
  return ciTests.run({ mergedChanges: changes, workflowRuns: runs }, { options: {} });
}

describe('CI-Tests', () => {
  it("Scorecard's patterns: check runs by app, statuses by context", () => {
    expect(['github-actions', 'circleci-checks', 'Travis-CI', 'Jenkins', 'ci/e2e', 'unit-tests', 'Cirrus CI'].every(isTest)).toBe(true);
    expect(['codecov', 'netlify', 'DCO'].some(isTest)).toBe(false);
  });

  it('tested / merged, proportionally', () => {
    const o = run(
      known([
        change(1, [{ name: 'build (ubuntu)', conclusion: 'success', app: 'github-actions' }]),
        change(2, [{ name: 'continuous-integration/travis-ci/pr', conclusion: 'success' }]),
        change(3, [{ name: 'build', conclusion: 'failure', app: 'github-actions' }]),
        change(4, [{ name: 'codecov/patch', conclusion: 'success', app: 'codecov' }]),
      ]),
    );
    expect(o.score).toBe(5);
    expect(o.reason).toBe('2 out of 4 merged PRs checked by a CI test');
    expect(o.findings?.map((f) => f.message.slice(0, 2))).toEqual(['#3', '#4']);
    expect(o.evidence).toEqual([expect.objectContaining({ kind: 'ciTests', values: { tested: 2, merged: 4 } })]);
  });

  it('GitLab pipelines count; workflow runs on the head commit stand in for missing per-change results', () => {
    const runs: WorkflowRun[] = [
      { workflow: '.github/workflows/ci.yml', event: 'pull_request', conclusion: 'success', headSha: change(2).headCommit! },
    ];
    const o = run(known([change(1, [{ name: 'pipeline', conclusion: 'success', app: 'gitlab-ci' }]), change(2), change(3)]), known(runs));
    // #3 has no CI results and no run: left out (unknown), not counted as untested.
    expect(o.score).toBe(10);
    expect(o.unknowns).toEqual([
      expect.objectContaining({ fact: 'mergedChanges', reason: 'the CI results of 1 merged change(s) were not available' }),
    ]);
  });

  it('no merged change → inconclusive; unknown → inconclusive', () => {
    expect(run(known([])).score).toBeNull();
    expect(run(unknown('offline', 'assess on the platform')).unknowns).toEqual([
      { fact: 'mergedChanges', reason: 'offline', needs: 'assess on the platform' },
    ]);
    expect(run(known([change(1)])).score).toBeNull();
  });
});
