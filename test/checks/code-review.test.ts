import { describe, expect, it } from 'vitest';
import codeReview from '../../checks/code-review.js';
import type { CheckOutcome } from '../../src/check.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { CommitInfo } from '../../src/facts/model.js';
import type { MergedChange } from '../../src/facts/platform.js';

const human = (login: string) => ({ login, bot: false });
const bot = (login: string) => ({ login, bot: true });

function change(n: number, over: Partial<MergedChange> = {}): MergedChange {
  return {
    number: n,
    url: `https://github.com/acme/widget/pull/${n}`,
    author: human('alice'),
    mergedBy: human('alice'),
    mergedAt: '2024-05-01T00:00:00Z',
    approvers: [],
    labels: [],
    ...over,
  };
}

function run(changes: Fact<MergedChange[]>, commits: Fact<CommitInfo[]> = known([])): CheckOutcome {
  return codeReview.run({ mergedChanges: changes, recentCommits: commits }, { options: {} });
}

describe('Code-Review', () => {
  it('approved by another person, or merged by another person (implicit review), counts as reviewed', () => {
    const o = run(known([change(1, { approvers: ['bob'] }), change(2, { mergedBy: human('carol') }), change(3, { labels: ['lgtm'] })]));
    expect(o.score).toBe(10);
    expect(o.reason).toBe('all changesets reviewed');
    expect(o.evidence).toEqual([expect.objectContaining({ kind: 'codeReview', values: { changesets: 3, reviewed: 3, total: 3 } })]);
  });

  it("self-approval and self-merge do not count; score is Scorecard's proportional ⌊10·approved/total⌋", () => {
    const o = run(known([change(1, { approvers: ['alice'] }), change(2, { approvers: ['bob'] }), change(3)]));
    expect(o.score).toBe(3); // ⌊10·1/3⌋
    expect(o.findings?.map((f) => f.rule)).toEqual(['unreviewedChange', 'unreviewedChange']);
    expect(o.findings?.[0].message).toContain('#1');
    expect(o.findings?.[0].message).toContain('https://github.com/acme/widget/pull/1');
    expect(o.evidence?.[0].values).toEqual({ changesets: 3, reviewed: 1, total: 3 });
  });

  it('approved bot changes are skipped, unapproved bot changes count (probes/codeApproved)', () => {
    const o = run(
      known([
        change(1, { author: bot('dependabot[bot]'), approvers: ['alice'] }),
        change(2, { author: bot('renovate[bot]'), mergedBy: bot('renovate[bot]') }),
        change(3, { approvers: ['bob'] }),
      ]),
    );
    expect(o.score).toBe(5); // 1 approved of 2 counted
    // All-bot, all approved → no human activity → inconclusive.
    const allBot = run(known([change(1, { author: bot('dependabot[bot]'), mergedBy: human('alice') })]));
    expect(allBot.score).toBeNull();
    expect(allBot.reason).toBe('found no human activity in the last 1 changesets');
    // All-bot, none approved → 0 (Scorecard reports the proportion before the human-activity test).
    expect(run(known([change(1, { author: bot('x[bot]'), mergedBy: bot('x[bot]') })])).score).toBe(0);
  });

  it('no merged change: direct pushes score 0, an empty history is inconclusive, an unknown fact is inconclusive', () => {
    const commits: CommitInfo[] = [
      { sha: 'a'.repeat(40), signature: null, verified: null },
      { sha: 'b'.repeat(40), signature: null, verified: null },
    ];
    const pushed = run(known([]), known(commits));
    expect(pushed.score).toBe(0);
    expect(pushed.findings?.map((f) => f.rule)).toEqual(['noCodeReview']);
    expect(pushed.evidence?.[0].values).toEqual({ changesets: 2, reviewed: 0, total: 2 });
    expect(run(known([]), known([])).score).toBeNull();
    const u = run(unknown('HTTP 403', 'Pull requests: read'));
    expect(u.score).toBeNull();
    expect(u.unknowns).toEqual([{ fact: 'mergedChanges', reason: 'HTTP 403', needs: 'Pull requests: read' }]);
  });
});
