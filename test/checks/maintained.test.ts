import { describe, expect, it } from 'vitest';
import maintained from '../../checks/maintained.js';
import type { CheckOutcome } from '../../src/check.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { RepositoryInfo } from '../../src/facts/model.js';
import type { Activity } from '../../src/facts/platform.js';

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();
const repo = (over: Partial<RepositoryInfo> = {}): RepositoryInfo => ({
  platform: 'github',
  host: 'github.com',
  repo: 'acme/widget',
  archived: false,
  createdAt: daysAgo(1000),
  ...over,
});

function run(r: Fact<RepositoryInfo>, a: Fact<Activity>): CheckOutcome {
  return maintained.run({ repository: r, activity: a }, { options: {} });
}

describe('Maintained', () => {
  it('archived → 0, even when activity is unknown', () => {
    const o = run(known(repo({ archived: true })), unknown('offline'));
    expect(o.score).toBe(0);
    expect(o.reason).toBe('repo is marked as archived');
  });

  it('created in the last 90 days → 0', () => {
    const o = run(known(repo({ createdAt: daysAgo(30) })), known({ recentCommits: 30, maintainerIssueActivity: 5 }));
    expect(o.score).toBe(0);
    expect(o.reason).toBe('repo was created 30 days ago, not enough maintenance history');
  });

  it("Scorecard's formula: ⌊10·(commits + issue activity)/12⌋, capped", () => {
    expect(run(known(repo()), known({ recentCommits: 5, maintainerIssueActivity: 1 })).score).toBe(5);
    expect(run(known(repo()), known({ recentCommits: 0, maintainerIssueActivity: 1 })).score).toBe(0);
    expect(run(known(repo()), known({ recentCommits: 2, maintainerIssueActivity: 0 })).score).toBe(1);
    expect(run(known(repo()), known({ recentCommits: 30, maintainerIssueActivity: 12 })).score).toBe(10);
    const o = run(known(repo()), known({ recentCommits: 11, maintainerIssueActivity: 1 }));
    expect(o.score).toBe(10);
    expect(o.evidence).toEqual([
      expect.objectContaining({ kind: 'maintenance', values: { commits: 11, issueActivity: 1, archived: false } }),
    ]);
  });

  it('activity unknown → inconclusive with the needs (never 0)', () => {
    const o = run(known(repo()), unknown('not available from a local source', 'assess on the platform'));
    expect(o.score).toBeNull();
    expect(o.unknowns).toEqual([{ fact: 'activity', reason: 'not available from a local source', needs: 'assess on the platform' }]);
  });
});
