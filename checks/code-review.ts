/**
 * Code-Review: were the recent changes on the default branch approved by someone other than their
 * author before they were merged?
 *
 * A port of OpenSSF Scorecard's rule (probes/codeApproved/impl.go `approvedRun`, evaluated by
 * checks/evaluation/code_review.go as a proportional score; the raw data adds the merger as an
 * implicit approving review, checks/raw/code_review.go):
 * - a change is approved when someone other than its author approved it (GitHub APPROVED review,
 *   GitLab approval), when it was merged by someone other than its author (implicit review), or when
 *   it carries Prow's `lgtm`/`approved` label;
 * - approved changes authored by bots are skipped (Scorecard #2450); unapproved bot changes count;
 * - score ⌊10 · approved / counted⌋; nothing counted because every change was an approved bot change
 *   → inconclusive ("no human activity"); no changes → inconclusive.
 *
 * Evidence `codeReview` {changesets, reviewed, total} (changesets = total = changes counted) — read
 * by the SLSA two-party-review requirements. Findings: one per unapproved change (number, url).
 */
import { defineCheck, inconclusive, proportionalScore, type Finding } from '../src/check.js';
import type { MergedChange } from '../src/facts/platform.js';

const PROW_LABELS = new Set(['lgtm', 'approved']);

type Approval = { how: 'review' | 'merger' | 'prow'; by?: string };

/** Who approved the change, other than its author (undefined: not approved). */
export function approvalOf(c: MergedChange): Approval | undefined {
  const author = c.author?.login.toLowerCase();
  const other = (login: string | undefined) => Boolean(login) && login!.toLowerCase() !== author;
  const reviewer = c.approvers.find((a) => other(a));
  if (reviewer) return { how: 'review', by: reviewer };
  if (c.mergedBy && other(c.mergedBy.login)) return { how: 'merger', by: c.mergedBy.login };
  if (c.labels.some((l) => PROW_LABELS.has(l.toLowerCase()))) return { how: 'prow' };
  return undefined;
}

export default defineCheck({
  id: 'Code-Review',
  risk: 'high',
  description:
    'Determines whether recent changes on the default branch were approved by someone other than their author before merging ' +
    '(a pull/merge request approval, a merge by another maintainer, or Prow lgtm/approved labels). Scored as Scorecard does: the share of ' +
    'recent changes approved, with approved bot changes left out.',
  facts: ['mergedChanges', 'recentCommits'],
  slsa: [],
  remediation: [
    'Merge every change through a pull/merge request approved by another maintainer.',
    'Enforce it with branch protection: require at least one approval, and approval of the most recent push by someone else.',
  ],
  differsFromScorecard:
    'Reads merged pull/merge requests (GitHub and GitLab alike) instead of the last 30 commits: commits pushed directly to the default ' +
    'branch between merged changes are not seen. When no change was merged at all but recent commits exist, every one of them was ' +
    'pushed without review and the score is 0 (as Scorecard counts such commits). Gerrit/Phabricator/Piper commit trailers are not ' +
    'read. A change whose author is unknown (a deleted account) is counted as human instead of failing the check.',
  run(facts) {
    const { mergedChanges, recentCommits } = facts;
    if (!mergedChanges.known) return inconclusive('merged changes could not be read', ['mergedChanges', mergedChanges]);
    const changes = mergedChanges.value;
    if (changes.length === 0) {
      if (recentCommits.known && recentCommits.value.length > 0) {
        const n = recentCommits.value.length;
        return {
          score: 0,
          reason: `no pull/merge request was merged: the ${n} recent commit(s) on the default branch were pushed without review`,
          findings: [
            {
              rule: 'noCodeReview',
              severity: 'high',
              message: `${n} recent commit(s) on the default branch were pushed directly, not merged through a reviewed pull/merge request`,
              remediation: {
                text: 'Make changes through pull/merge requests approved by another maintainer, and require it with branch protection.',
              },
            },
          ],
          evidence: [
            { kind: 'codeReview', message: `0 of ${n} recent commits were reviewed`, values: { changesets: n, reviewed: 0, total: n } },
          ],
        };
      }
      return { score: null, reason: 'no changesets detected' };
    }

    let counted = 0;
    let approved = 0;
    let human = false;
    const findings: Finding[] = [];
    for (const c of changes) {
      const a = approvalOf(c);
      const bot = c.author?.bot === true;
      if (a && bot) continue;
      counted++;
      if (!bot) human = true;
      if (a) {
        approved++;
        continue;
      }
      findings.push({
        rule: 'unreviewedChange',
        severity: 'medium',
        message: `#${c.number}${c.title ? ` "${c.title}"` : ''} by ${c.author?.login ?? 'an unknown author'} was merged without approval by someone else${c.url ? ` (${c.url})` : ''}`,
        remediation: {
          text: 'Require an approving review from another maintainer before merging (branch protection: required approvals).',
        },
      });
    }
    if (approved === counted && !human) {
      return { score: null, reason: `found no human activity in the last ${changes.length} changesets` };
    }
    const score = proportionalScore(approved, counted);
    return {
      score,
      reason: approved === counted ? 'all changesets reviewed' : `found ${approved}/${counted} approved changesets`,
      findings,
      evidence: [
        {
          kind: 'codeReview',
          message: `${approved} of ${counted} recent changes were approved by someone other than their author`,
          values: { changesets: counted, reviewed: approved, total: counted },
        },
      ],
    };
  },
});
