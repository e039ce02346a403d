import { describe, expect, it } from 'vitest';
import branchProtection, { computeFinalScore } from '../../checks/branch-protection.js';
import type { CheckOutcome } from '../../src/check.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { FileEntry, RepositoryInfo } from '../../src/facts/model.js';
import type { BranchProtection } from '../../src/facts/platform.js';

const ADMIN = 'Administration: read (fine-grained) or repo scope (classic)';

/** Everything Scorecard needs for 10, all known. */
function strong(branch = 'main', over: Partial<BranchProtection> = {}): BranchProtection {
  return {
    branch,
    isDefault: branch === 'main',
    sources: ['rulesets'],
    protected: known(true),
    allowForcePush: known(false),
    allowDeletion: known(false),
    requirePullRequest: known(true),
    requiredApprovals: known(2),
    requireCodeOwnerReview: known(true),
    dismissStaleReviews: known(true),
    requireLastPushApproval: known(true),
    preventAuthorApproval: known(true),
    requiredStatusChecks: known(['test']),
    requireUpToDate: known(true),
    enforceAdmins: known(true),
    requireSignedCommits: known(false),
    requireLinearHistory: known(false),
    ...over,
  };
}

/** Protected, but nothing beyond force-push and deletion blocked. */
function basicOnly(branch: string, over: Partial<BranchProtection> = {}): BranchProtection {
  return strong(branch, {
    isDefault: false,
    requirePullRequest: known(false),
    requiredApprovals: known(0),
    requireCodeOwnerReview: known(false),
    dismissStaleReviews: known(false),
    requireLastPushApproval: known(false),
    requiredStatusChecks: known([]),
    requireUpToDate: known(false),
    enforceAdmins: known(false),
    ...over,
  });
}

const github: RepositoryInfo = { platform: 'github', host: 'github.com', repo: 'acme/widget', defaultBranch: 'main' };
const gitlab: RepositoryInfo = { platform: 'gitlab', host: 'gitlab.com', repo: 'acme/tools/widget', defaultBranch: 'main' };
const withCodeowners: FileEntry[] = [{ path: '.github/CODEOWNERS', size: 20, kind: 'file' }];

function run(
  branches: Fact<BranchProtection[]>,
  repo: RepositoryInfo = github,
  files: Fact<FileEntry[]> = known(withCodeowners),
): CheckOutcome {
  return branchProtection.run({ branchProtection: branches, repository: known(repo), files }, { options: {} });
}

const rules = (o: CheckOutcome) => (o.findings ?? []).map((f) => f.rule);

describe('Branch-Protection', () => {
  it('everything known and strong → 10, with authoritative evidence for the default branch', () => {
    const o = run(known([strong()]));
    expect(o.score).toBe(10);
    expect(o.findings).toEqual([]);
    expect(o.unknowns).toEqual([]);
    expect(o.evidence).toEqual([
      expect.objectContaining({
        kind: 'branchProtection',
        values: expect.objectContaining({
          branch: 'main',
          authoritative: true,
          forcePushBlocked: true,
          deletionBlocked: true,
          requiredApprovals: 2,
          codeOwnerReview: true,
          dismissStaleReviews: true,
          requireLastPushApproval: true,
          requiredStatusChecks: 1,
          enforcedForAdmins: true,
          requireSignedCommits: false,
        }),
      }),
    ]);
  });

  it('rulesets only, admin-only settings unknown: scored over the visible settings, unknowns listed with their needs', () => {
    // A non-admin token sees the ruleset rules but not bypass actors. One approval only:
    // T1 2/2 → 3; T2 (2+3)/(2+3) → 3; T3 1/1 → 2; T4 (0+1)/2 → 0.5, stop → ⌊8.5⌋ = 8 (Scorecard's computeFinalScore).
    const o = run(
      known([strong('main', { requiredApprovals: known(1), enforceAdmins: unknown('bypass actors need admin access', ADMIN) })]),
    );
    expect(o.score).toBe(8);
    expect(o.unknowns).toEqual([
      {
        fact: 'branchProtection',
        reason: "rules enforced for administrators on branch 'main': bypass actors need admin access",
        needs: ADMIN,
      },
    ]);
    expect(rules(o)).toEqual(['fewRequiredReviews']);
    expect(o.evidence?.[0].values).not.toHaveProperty('enforcedForAdmins');
    // T5 normalized over dismiss-stale alone: with 2 approvals the score is 10, not lowered by the unknown.
    expect(run(known([strong('main', { enforceAdmins: unknown('bypass actors need admin access', ADMIN) })])).score).toBe(10);
  });

  it('force push allowed on the default branch: tier 1 half met → ⌊3·1/2⌋ = 1 (Scorecard "Allow force push enabled")', () => {
    const o = run(known([strong('main', { allowForcePush: known(true) })]));
    expect(o.score).toBe(1);
    expect(rules(o)).toEqual(['allowsForcePush']);
    const f = o.findings![0];
    expect(f.message).toContain("branch 'main'");
    expect(f.remediation?.patch).toMatch(/^gh api -X POST repos\/acme\/widget\/rulesets --input - <<'EOF'\n/);
    const body = JSON.parse(f.remediation!.patch!.split('\n').slice(1, -1).join('\n'));
    expect(body).toEqual({
      name: 'default branch protection (non fast forward)',
      target: 'branch',
      enforcement: 'active',
      bypass_actors: [],
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      rules: [{ type: 'non_fast_forward' }],
    });
    expect(o.evidence?.[0].values).toMatchObject({ forcePushBlocked: false, authoritative: true });
  });

  it('reproduces Scorecard\'s "Branches are protected" (8) and "…require codeowner review" cases', () => {
    // checks/evaluation/branch_protection_test.go: 1 approver, no CODEOWNERS file → T4 0/2 → 3+3+2 = 8.
    const branch = strong('main', { requiredApprovals: known(1) });
    expect(run(known([branch]), github, known([])).score).toBe(8);
    expect(rules(run(known([branch]), github, known([])))).toEqual(['fewRequiredReviews', 'codeOwnersFileMissing']);
    // Same with a CODEOWNERS file → T4 1/2 → 8.5 → 8.
    expect(run(known([branch])).score).toBe(8);
    // "Required pull request enabled": up-to-date off, last-push off → T2 (2+1)/5 → 3+1.8 = 4.
    const pr = strong('main', { requiredApprovals: known(1), requireUpToDate: known(false), requireLastPushApproval: known(false) });
    expect(run(known([pr])).score).toBe(4);
  });

  it('GitLab protected branch where Maintainers can push: PRs not required, admins not bound → 4, GitLab remediation', () => {
    const b: BranchProtection = {
      branch: 'main',
      isDefault: true,
      sources: ['gitlab-protected-branch', 'gitlab-approval-rules'],
      protected: known(true),
      allowForcePush: known(false),
      allowDeletion: known(false),
      requirePullRequest: known(false), // push_access_level: Maintainers
      requiredApprovals: known(1),
      requireCodeOwnerReview: known(false),
      dismissStaleReviews: known(true), // reset_approvals_on_push
      requireLastPushApproval: known(false), // committers may approve
      preventAuthorApproval: known(true),
      requiredStatusChecks: unknown('external status checks need GitLab Ultimate', 'GitLab Ultimate'),
      requireUpToDate: known(true), // pipelines must succeed
      enforceAdmins: known(false), // Maintainers can push directly
      requireSignedCommits: known(false),
      requireLinearHistory: known(false),
    };
    // T1 2/2 → 3; T2 review 2/2 + PR 0 + up-to-date 1 + last-push 0 = 3/5 → 1.8 → ⌊4.8⌋ = 4.
    const o = run(known([b]), gitlab);
    expect(o.score).toBe(4);
    expect(rules(o)).toEqual(['fewRequiredReviews', 'noPullRequestRequired', 'noLastPushApproval', 'noCodeOwnerReview', 'adminsCanBypass']);
    const pr = o.findings!.find((f) => f.rule === 'noPullRequestRequired')!;
    expect(pr.message).toContain('merge request');
    expect(pr.remediation?.text).toContain('Settings → Repository → Protected branches');
    expect(pr.remediation?.patch).toContain(
      'glab api -X POST "projects/acme%2Ftools%2Fwidget/protected_branches" -f name=main -F push_access_level=0',
    );
    const lastPush = o.findings!.find((f) => f.rule === 'noLastPushApproval')!;
    expect(lastPush.remediation?.text).toContain('Merge request approvals');
    expect(lastPush.remediation?.patch).toContain('merge_requests_disable_committers_approval=true');
    expect(o.unknowns).toEqual([
      {
        fact: 'branchProtection',
        reason: "required status checks on branch 'main': external status checks need GitLab Ultimate",
        needs: 'GitLab Ultimate',
      },
    ]);
  });

  it('release branches drag the average like Scorecard', () => {
    // main is perfect; release/1.x only blocks force pushes and deletion.
    // T1 4/4 → 3; T2: review (2+0)/4, admin-review (3+0)/6 → 5/10 → 1.5 → ⌊4.5⌋ = 4.
    const o = run(known([strong(), basicOnly('release/1.x')]));
    expect(o.score).toBe(4);
    expect(o.findings!.every((f) => f.message.includes("'release/1.x'"))).toBe(true);
    expect(o.evidence!.map((e) => e.kind)).toEqual(['branchProtection', 'releaseBranchProtection']);
    const fix = o.findings!.find((f) => f.rule === 'noRequiredReviews')!;
    expect(JSON.parse(fix.remediation!.patch!.split('\n').slice(1, -1).join('\n')).conditions.ref_name.include).toEqual([
      'refs/heads/release/1.x',
    ]);
  });

  it('an unprotected branch scores every setting as off, with one finding', () => {
    const none = strong('main', {
      protected: known(false),
      allowForcePush: unknown('no rule'),
      allowDeletion: unknown('no rule'),
      requiredApprovals: unknown('no rule'),
    });
    const o = run(known([none]));
    expect(o.score).toBe(0);
    expect(rules(o)).toEqual(['branchNotProtected']);
    expect(o.evidence?.[0].values).toMatchObject({ protected: false, authoritative: true, forcePushBlocked: false, requiredApprovals: 0 });
  });

  it('nothing visible → inconclusive with the unknowns; unknown fact → inconclusive with its needs', () => {
    const blind = (reason: string): BranchProtection => ({
      branch: 'main',
      isDefault: true,
      sources: [],
      protected: known(true),
      allowForcePush: unknown(reason, ADMIN),
      allowDeletion: unknown(reason, ADMIN),
      requirePullRequest: unknown(reason, ADMIN),
      requiredApprovals: unknown(reason, ADMIN),
      requireCodeOwnerReview: unknown(reason, ADMIN),
      dismissStaleReviews: unknown(reason, ADMIN),
      requireLastPushApproval: unknown(reason, ADMIN),
      preventAuthorApproval: unknown(reason, ADMIN),
      requiredStatusChecks: unknown(reason, ADMIN),
      requireUpToDate: unknown(reason, ADMIN),
      enforceAdmins: unknown(reason, ADMIN),
      requireSignedCommits: unknown(reason, ADMIN),
      requireLinearHistory: unknown(reason, ADMIN),
    });
    const o = run(known([blind('HTTP 403')]));
    expect(o.score).toBeNull();
    expect(o.unknowns?.length).toBe(10);
    expect(o.unknowns?.every((u) => u.needs === ADMIN)).toBe(true);
    expect(o.evidence?.[0].values).toMatchObject({ branch: 'main', authoritative: false, protected: true });

    const u = run(unknown('HTTP 403 from GET /repos/acme/widget/rulesets', ADMIN));
    expect(u.score).toBeNull();
    expect(u.unknowns).toEqual([{ fact: 'branchProtection', reason: 'HTTP 403 from GET /repos/acme/widget/rulesets', needs: ADMIN }]);
    expect(run(known([])).score).toBeNull();
  });

  it('code-owner review with the files unknown is dropped, not scored', () => {
    const o = run(known([strong()]), github, unknown('tree not readable'));
    expect(o.score).toBe(10);
    expect(o.unknowns).toEqual([expect.objectContaining({ fact: 'files' })]);
  });

  it('a required approval implies required pull requests when that setting is not reported', () => {
    const o = run(known([strong('main', { requirePullRequest: unknown('not reported') })]));
    expect(o.score).toBe(10);
    expect(o.unknowns).toEqual([]);
  });

  it('computeFinalScore: an invisible admin tier earns its point (Scorecard normalizeScore); an invisible earlier tier is undetermined', () => {
    expect(
      computeFinalScore([
        { score: 2, max: 2 },
        { score: 5, max: 5 },
        { score: 1, max: 1 },
        { score: 2, max: 2 },
        { score: 0, max: 0 },
      ]),
    ).toEqual({ score: 10 });
    expect(
      computeFinalScore([
        { score: 2, max: 2 },
        { score: 5, max: 5 },
        { score: 0, max: 0 },
        { score: 2, max: 2 },
        { score: 2, max: 2 },
      ]),
    ).toEqual({ score: null, tier: 2 });
    // A failing tier before the invisible one decides the score.
    expect(
      computeFinalScore([
        { score: 1, max: 2 },
        { score: 0, max: 0 },
        { score: 0, max: 0 },
        { score: 0, max: 0 },
        { score: 0, max: 0 },
      ]),
    ).toEqual({ score: 1 });
    expect(
      computeFinalScore([
        { score: 1, max: 4 },
        { score: 0, max: 10 },
        { score: 0, max: 2 },
        { score: 0, max: 4 },
        { score: 0, max: 4 },
      ]),
    ).toEqual({ score: 0 });
  });

  it('only force-push and deletion visible: not a 10 — inconclusive, unless a visible tier already fails', () => {
    const only = (over: Partial<BranchProtection>) =>
      strong('main', {
        requirePullRequest: unknown('classic protection needs admin', ADMIN),
        requiredApprovals: unknown('classic protection needs admin', ADMIN),
        requireCodeOwnerReview: unknown('classic protection needs admin', ADMIN),
        dismissStaleReviews: unknown('classic protection needs admin', ADMIN),
        requireLastPushApproval: unknown('classic protection needs admin', ADMIN),
        requiredStatusChecks: unknown('classic protection needs admin', ADMIN),
        requireUpToDate: unknown('classic protection needs admin', ADMIN),
        enforceAdmins: unknown('classic protection needs admin', ADMIN),
        ...over,
      });
    const o = run(known([only({})]));
    expect(o.score).toBeNull();
    expect(o.reason).toBe('the review settings could not be read, and every setting before them is met: the score cannot be determined');
    expect(o.unknowns?.length).toBe(8);
    const failing = run(known([only({ allowDeletion: known(true) })]));
    expect(failing.score).toBe(1);
    expect(failing.findings?.map((f) => f.rule)).toEqual(['allowsDeletion']);
  });
});
