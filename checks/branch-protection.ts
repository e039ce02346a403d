/**
 * Branch-Protection: are the default branch and the release branches protected against force pushes,
 * deletion and unreviewed changes?
 *
 * Scoring is OpenSSF Scorecard's tiered rule (checks/evaluation/branch_protection.go,
 * `BranchProtection` and `computeFinalScore`; settings read by the probes blocksForcePushOnBranches,
 * blocksDeleteOnBranches, requiresApproversForPullRequests, requiresPRsToChangeCode,
 * requiresUpToDateBranches, requiresLastPushApproval, runsStatusChecksBeforeMerging,
 * requiresCodeOwnersReview, dismissesStaleReviews, branchProtectionAppliesToAdmins). Points per
 * tier, each tier summed over all branches and scored `points·score/max`, stopping at the first
 * tier that is not fully met, then truncated:
 *
 * | Tier | Points | Settings (max per branch) |
 * |---|---|---|
 * | 1 | 3 | force push blocked (1), deletion blocked (1) |
 * | 2 | 3 | ≥1 required approval (2), PR required (1), up-to-date branch (1), last-push approval (1) |
 * | 3 | 2 | ≥1 required status check (1) |
 * | 4 | 1 | ≥2 required approvals (1), code-owner review required with a CODEOWNERS file (1) |
 * | 5 | 1 | stale reviews dismissed (1), rules enforced for admins (1) |
 *
 * A setting that is unknown (the token cannot see it, the tier does not have it) is dropped from the
 * maximum — Scorecard's NotAvailable — and reported as an unknown note with what would make it
 * known; it is never scored as off. A tier with nothing visible earns its points only when it is tier
 * 5 (as Scorecard's `normalizeScore` does for a non-admin token); reaching an earlier invisible tier
 * with everything before it met — or seeing nothing at all — makes the check inconclusive, so unknown
 * settings neither cost nor earn points.
 *
 * ## Evidence (read by the SLSA tables, src/slsa/frameworks/shared.ts)
 * - `branchProtection` — the DEFAULT branch only: {branch, isDefault: true, authoritative,
 *   forcePushBlocked?, deletionBlocked?, requirePullRequest?, requiredApprovals?,
 *   requireLastPushApproval?, dismissStaleReviews?, codeOwnerReview?, requiredStatusChecks? (count),
 *   requireUpToDate?, requireSignedCommits?, requireLinearHistory?, enforcedForAdmins?, sources}.
 *   A value is present only when known. `authoritative: true` when the enforced settings were read
 *   (not merely "the branch is protected").
 * - `releaseBranchProtection` — the same values for each release branch (a separate kind so that a
 *   protected release branch never stands in for the default branch in an SLSA requirement).
 */
import { defineCheck, inconclusive, type Evidence, type Finding, type Remediation, type Severity, type UnknownNote } from '../src/check.js';
import type { Fact } from '../src/facts/fact.js';
import type { FileEntry, Platform } from '../src/facts/model.js';
import type { BranchProtection } from '../src/facts/platform.js';

/** Scorecard's points per tier (basicLevel, adminNonAdminReviewLevel, nonAdminContextLevel, nonAdminThoroughReviewLevel, adminThoroughReviewLevel). */
const TIER_POINTS = [3, 3, 2, 1, 1] as const;
const MIN_REVIEWS = 2;

/** Where GitHub and GitLab look for CODEOWNERS (Scorecard's CodeownersFiles). */
const CODEOWNERS = new Set(['CODEOWNERS', '.github/CODEOWNERS', 'docs/CODEOWNERS', '.gitlab/CODEOWNERS']);

type TierIndex = 0 | 1 | 2 | 3 | 4;

interface Tally {
  score: number;
  max: number;
}

/** One branch's view of one scored setting. */
interface SettingResult {
  tier: TierIndex;
  /** Max points this setting adds when visible. */
  weight: number;
  /** Points earned (0..weight), or undefined when the setting is unknown. */
  earned?: number;
  unknownNote?: UnknownNote;
  finding?: Finding;
}

interface Ctx {
  platform: Platform;
  repo?: string;
  codeownersFile: boolean | undefined;
  filesFact: Fact<FileEntry[]>;
}

const SETTING_NAMES: Record<string, string> = {
  allowForcePush: 'force-push protection',
  allowDeletion: 'deletion protection',
  requiredApprovals: 'required approvals',
  requirePullRequest: 'pull/merge requests required',
  requireUpToDate: 'up-to-date branch before merging',
  requireLastPushApproval: 'approval of the last push by someone else',
  requiredStatusChecks: 'required status checks',
  requireCodeOwnerReview: 'code-owner review',
  dismissStaleReviews: 'dismissal of stale approvals',
  enforceAdmins: 'rules enforced for administrators',
};

export default defineCheck({
  id: 'Branch-Protection',
  risk: 'high',
  description:
    "Determines whether the default and release branches are protected with the platform's branch rules (GitHub rulesets or " +
    'classic protection, GitLab protected branches and merge request approvals): no force pushes or deletion, reviews required, ' +
    "status checks required, code-owner review, stale approvals dismissed, rules applied to administrators. Scored with Scorecard's " +
    'five tiers; settings the token or tier cannot see are left out of the maximum and listed as unknown.',
  facts: ['branchProtection', 'repository', 'files'],
  slsa: [],
  remediation: [
    'Protect the default branch and release branches: block force pushes and deletion.',
    'Require pull/merge requests with at least 2 approvals, the last push approved by someone else, stale approvals dismissed, and code-owner review (with a CODEOWNERS file).',
    'Require status checks to pass on an up-to-date branch, and apply the rules to administrators (no bypass).',
    'GitHub: use a repository ruleset (readable by any token, so assessments see it); GitLab: Settings → Repository → Protected branches, and Settings → Merge requests → Merge request approvals.',
  ],
  differsFromScorecard:
    'Every unknown setting is dropped from the maximum (Scorecard drops only up-to-date, last-push approval, stale-review dismissal and ' +
    'admin enforcement, and scores the other settings it cannot read as off), so a token that cannot see a setting never costs points; ' +
    'when a whole tier before the admin tier is invisible and every earlier tier is met (or nothing is visible) the check is inconclusive instead of guessing. Tier maxima are summed over the branches (Scorecard multiplies ' +
    "the first branch's maxima by the number of branches). GitLab settings are read from the project (protected branch, approval rules, " +
    'pipelines-must-succeed) instead of being hard-coded as enabled. A branch known to be unprotected scores every setting as off.',
  run(facts) {
    const { branchProtection, repository, files } = facts;
    if (!branchProtection.known) return inconclusive('branch protection could not be read', ['branchProtection', branchProtection]);
    const branches = branchProtection.value;
    if (branches.length === 0) return { score: null, reason: 'unable to detect any development/release branches' };

    const platform: Platform = repository.known ? repository.value.platform : 'github';
    const ctx: Ctx = {
      platform,
      repo: repository.known ? repository.value.repo : undefined,
      codeownersFile: files.known ? files.value.some((f) => CODEOWNERS.has(f.path)) : undefined,
      filesFact: files,
    };

    const perBranch = branches.map((b) => ({ b, results: assessBranch(b, ctx) }));
    const tallies: Tally[] = TIER_POINTS.map(() => ({ score: 0, max: 0 }));
    let visible = 0;
    for (const { results } of perBranch)
      for (const r of results) {
        if (r.earned === undefined) continue;
        visible++;
        tallies[r.tier].score += r.earned;
        tallies[r.tier].max += r.weight;
      }

    const findings = perBranch.flatMap(({ results }) => results.flatMap((r) => (r.finding ? [r.finding] : [])));
    const unknowns = perBranch.flatMap(({ results }) => results.flatMap((r) => (r.unknownNote ? [r.unknownNote] : [])));
    const evidence = perBranch.map(({ b }, i) => evidenceFor(b, i === defaultIndex(branches), ctx));

    if (visible === 0) {
      return {
        score: null,
        reason: 'no branch protection setting could be read',
        evidence,
        unknowns: dedupeUnknowns(unknowns),
      };
    }
    const final = computeFinalScore(tallies);
    if (final.score === null) {
      return {
        score: null,
        reason: `the ${TIER_NAMES[final.tier]} settings could not be read, and every setting before them is met: the score cannot be determined`,
        findings,
        evidence,
        unknowns: dedupeUnknowns(unknowns),
      };
    }
    const score = final.score;
    const reason =
      score === 0
        ? 'branch protection not enabled on development/release branches'
        : score === 10
          ? 'branch protection is fully enabled on development and all release branches'
          : 'branch protection is not maximal on development and all release branches';
    return { score, reason, findings, evidence, unknowns: dedupeUnknowns(unknowns) };
  },
});

/** Tier 5 holds only settings Scorecard itself drops when it cannot read them (stale reviews, admin enforcement). */
const ADMIN_ONLY_TIER = 4;
const TIER_NAMES = ['force-push and deletion', 'review', 'status-check', 'thorough-review', 'admin'];

/**
 * Scorecard's computeFinalScore over tier tallies: each tier scored `points·score/max`, stop at the first
 * tier not fully met, then truncate. A tier with nothing visible earns its points only when it is the
 * admin-only tier (Scorecard's NotAvailable case); an invisible earlier tier reached while everything
 * before it was met leaves the score undetermined (`tier`), rather than guessing it met or unmet.
 */
export function computeFinalScore(tallies: readonly Tally[]): { score: number } | { score: null; tier: number } {
  let score = 0;
  for (let t = 0; t < TIER_POINTS.length; t++) {
    const { score: s, max } = tallies[t];
    if (max === 0 && t < ADMIN_ONLY_TIER) return { score: null, tier: t };
    score += max === 0 ? TIER_POINTS[t] : (s * TIER_POINTS[t]) / max;
    if (s < max) break;
  }
  return { score: Math.trunc(score) };
}

function defaultIndex(branches: BranchProtection[]): number {
  const i = branches.findIndex((b) => b.isDefault);
  return i < 0 ? 0 : i;
}

function dedupeUnknowns(notes: UnknownNote[]): UnknownNote[] {
  const seen = new Set<string>();
  return notes.filter((n) => {
    const k = `${n.fact}\0${n.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** A setting's value, with "the branch is known to be unprotected" meaning every setting is off. */
function setting<T>(b: BranchProtection, f: Fact<T>, off: T): Fact<T> {
  if (b.protected.known && b.protected.value === false) return { known: true, value: off };
  return f;
}

function assessBranch(b: BranchProtection, ctx: Ctx): SettingResult[] {
  const out: SettingResult[] = [];
  const unknownOf = (what: string, f: Fact<unknown>): UnknownNote | undefined =>
    f.known
      ? undefined
      : {
          fact: 'branchProtection',
          reason: `${SETTING_NAMES[what]} on branch '${b.branch}': ${f.reason}`,
          ...(f.needs ? { needs: f.needs } : {}),
        };
  // A branch known to be unprotected gets one finding (with the whole fix), not one per setting.
  const unprotected = b.protected.known && b.protected.value === false;
  const push = (tier: TierIndex, weight: number, what: string, f: Fact<unknown>, earned: number | undefined, finding?: () => Finding) => {
    if (!f.known) out.push({ tier, weight, unknownNote: unknownOf(what, f) });
    else
      out.push({
        tier,
        weight,
        earned,
        ...(!unprotected && earned !== undefined && earned < weight && finding ? { finding: finding() } : {}),
      });
  };

  if (unprotected) out.push({ tier: 0, weight: 0, earned: 0, finding: notProtectedFinding(b, ctx) });

  // Tier 1: force push and deletion blocked.
  const forcePush = setting(b, b.allowForcePush, true);
  push(0, 1, 'allowForcePush', forcePush, forcePush.known ? (forcePush.value ? 0 : 1) : undefined, () =>
    finding(
      b,
      ctx,
      'allowsForcePush',
      'high',
      `force pushes are allowed on branch '${b.branch}': history can be rewritten`,
      'non_fast_forward',
    ),
  );
  const deletion = setting(b, b.allowDeletion, true);
  push(0, 1, 'allowDeletion', deletion, deletion.known ? (deletion.value ? 0 : 1) : undefined, () =>
    finding(b, ctx, 'allowsDeletion', 'high', `branch '${b.branch}' can be deleted`, 'deletion'),
  );

  // Tier 2 (weight 2) and tier 4 (≥ 2): required approvals.
  const approvals = setting(b, b.requiredApprovals, 0);
  push(1, 2, 'requiredApprovals', approvals, approvals.known ? (approvals.value > 0 ? 2 : 0) : undefined, () =>
    finding(b, ctx, 'noRequiredReviews', 'high', `no approving review is required to merge into branch '${b.branch}'`, 'pull_request'),
  );
  if (approvals.known) {
    out.push({
      tier: 3,
      weight: 1,
      earned: approvals.value >= MIN_REVIEWS ? 1 : 0,
      ...(!unprotected && approvals.value > 0 && approvals.value < MIN_REVIEWS
        ? {
            finding: finding(
              b,
              ctx,
              'fewRequiredReviews',
              'low',
              `only ${approvals.value} approving review is required on branch '${b.branch}' (${MIN_REVIEWS} for the full score)`,
              'pull_request',
            ),
          }
        : {}),
    });
  } else {
    out.push({ tier: 3, weight: 1 });
  }

  // Tier 2: PR required (implied by a required approval), up-to-date, last-push approval.
  const pr = impliedPullRequest(setting(b, b.requirePullRequest, false), approvals);
  push(1, 1, 'requirePullRequest', pr, pr.known ? (pr.value ? 1 : 0) : undefined, () =>
    finding(
      b,
      ctx,
      'noPullRequestRequired',
      'high',
      `changes can be pushed to branch '${b.branch}' without a ${ctx.platform === 'gitlab' ? 'merge' : 'pull'} request`,
      'pull_request',
    ),
  );
  const upToDate = setting(b, b.requireUpToDate, false);
  push(1, 1, 'requireUpToDate', upToDate, upToDate.known ? (upToDate.value ? 1 : 0) : undefined, () =>
    finding(
      b,
      ctx,
      'noUpToDateRequirement',
      'medium',
      ctx.platform === 'gitlab'
        ? `merge requests into branch '${b.branch}' can be merged without a successful pipeline`
        : `branch '${b.branch}' does not require pull requests to be up to date before merging`,
      'required_status_checks',
    ),
  );
  const lastPush = setting(b, b.requireLastPushApproval, false);
  push(1, 1, 'requireLastPushApproval', lastPush, lastPush.known ? (lastPush.value ? 1 : 0) : undefined, () =>
    finding(
      b,
      ctx,
      'noLastPushApproval',
      'medium',
      ctx.platform === 'gitlab'
        ? `committers can approve merge requests into branch '${b.branch}'`
        : `the most recent push to a pull request into branch '${b.branch}' need not be approved by someone else`,
      'pull_request',
    ),
  );

  // Tier 3: status checks.
  const checks = setting(b, b.requiredStatusChecks, [] as string[]);
  push(2, 1, 'requiredStatusChecks', checks, checks.known ? (checks.value.length > 0 ? 1 : 0) : undefined, () =>
    finding(
      b,
      ctx,
      'noStatusChecks',
      'medium',
      `no status check is required to pass before merging into branch '${b.branch}'`,
      'required_status_checks',
    ),
  );

  // Tier 4: code owners (only with a CODEOWNERS file).
  const codeOwners = setting(b, b.requireCodeOwnerReview, false);
  if (!codeOwners.known) {
    out.push({ tier: 3, weight: 1, unknownNote: unknownOf('requireCodeOwnerReview', codeOwners) });
  } else if (codeOwners.value && ctx.codeownersFile === undefined) {
    out.push({
      tier: 3,
      weight: 1,
      unknownNote: {
        fact: 'files',
        reason: `code-owner review is required on branch '${b.branch}', but whether a CODEOWNERS file exists is not known${ctx.filesFact.known ? '' : `: ${ctx.filesFact.reason}`}`,
        ...(!ctx.filesFact.known && ctx.filesFact.needs ? { needs: ctx.filesFact.needs } : {}),
      },
    });
  } else if (codeOwners.value && !ctx.codeownersFile) {
    out.push({
      tier: 3,
      weight: 1,
      earned: 0,
      finding: {
        rule: 'codeOwnersFileMissing',
        severity: 'low',
        message: `code-owner review is required on branch '${b.branch}', but the repository has no CODEOWNERS file, so it is not enforced`,
        remediation: {
          text:
            `Add a CODEOWNERS file (${ctx.platform === 'gitlab' ? 'CODEOWNERS, docs/CODEOWNERS or .gitlab/CODEOWNERS' : '.github/CODEOWNERS, CODEOWNERS or docs/CODEOWNERS'}) ` +
            'naming the owners of each path.',
          patch: '# .github/CODEOWNERS\n* @OWNER/maintainers\n',
        },
      },
    });
  } else {
    out.push({
      tier: 3,
      weight: 1,
      earned: codeOwners.value ? 1 : 0,
      ...(!codeOwners.value && !unprotected
        ? {
            finding: finding(
              b,
              ctx,
              'noCodeOwnerReview',
              'low',
              `code-owner review is not required on branch '${b.branch}'`,
              'pull_request',
            ),
          }
        : {}),
    });
  }

  // Tier 5: stale reviews dismissed, enforced for admins.
  const stale = setting(b, b.dismissStaleReviews, false);
  push(4, 1, 'dismissStaleReviews', stale, stale.known ? (stale.value ? 1 : 0) : undefined, () =>
    finding(
      b,
      ctx,
      'staleReviewsNotDismissed',
      'low',
      `approvals stay valid after new commits are pushed to a ${ctx.platform === 'gitlab' ? 'merge' : 'pull'} request into branch '${b.branch}'`,
      'pull_request',
    ),
  );
  const admins = setting(b, b.enforceAdmins, false);
  push(4, 1, 'enforceAdmins', admins, admins.known ? (admins.value ? 1 : 0) : undefined, () =>
    finding(
      b,
      ctx,
      'adminsCanBypass',
      'medium',
      ctx.platform === 'gitlab'
        ? `some roles can push to branch '${b.branch}' directly, bypassing merge requests`
        : `administrators or bypass actors are exempt from the rules on branch '${b.branch}'`,
      'all',
    ),
  );
  return out;
}

/** Approvals can only be required of a pull/merge request: a known approval count ≥ 1 means PRs are required. */
function impliedPullRequest(pr: Fact<boolean>, approvals: Fact<number>): Fact<boolean> {
  return !pr.known && approvals.known && approvals.value > 0 ? { known: true, value: true } : pr;
}

// ───────────────────────────── findings and remediation ─────────────────────────────

type RuleKind = 'non_fast_forward' | 'deletion' | 'pull_request' | 'required_status_checks' | 'all';

function finding(b: BranchProtection, ctx: Ctx, rule: string, severity: Severity, message: string, kind: RuleKind): Finding {
  return {
    rule,
    severity,
    message,
    remediation: ctx.platform === 'gitlab' ? gitlabRemediation(b, ctx, rule) : githubRemediation(b, ctx, kind),
  };
}

function notProtectedFinding(b: BranchProtection, ctx: Ctx): Finding {
  return {
    rule: 'branchNotProtected',
    severity: 'high',
    message: `branch protection not enabled for branch '${b.branch}'`,
    remediation: ctx.platform === 'gitlab' ? gitlabRemediation(b, ctx, 'branchNotProtected') : githubRemediation(b, ctx, 'all'),
  };
}

const safeRepo = (r: string | undefined): string | undefined =>
  r && /^[\w.-]+(?:\/[\w.-]+)+$/.test(r) && !r.includes('..') ? r : undefined;

/** The settings that give Scorecard's 10, as GitHub ruleset rules. */
function rulesetRules(kind: RuleKind): Array<Record<string, unknown>> {
  const pullRequest = {
    type: 'pull_request',
    parameters: {
      required_approving_review_count: MIN_REVIEWS,
      dismiss_stale_reviews_on_push: true,
      require_code_owner_review: true,
      require_last_push_approval: true,
      required_review_thread_resolution: false,
    },
  };
  const statusChecks = {
    type: 'required_status_checks',
    parameters: {
      strict_required_status_checks_policy: true,
      required_status_checks: [{ context: 'REPLACE-WITH-YOUR-CI-CHECK-NAME' }],
    },
  };
  switch (kind) {
    case 'non_fast_forward':
      return [{ type: 'non_fast_forward' }];
    case 'deletion':
      return [{ type: 'deletion' }];
    case 'pull_request':
      return [pullRequest];
    case 'required_status_checks':
      return [statusChecks];
    case 'all':
      return [{ type: 'deletion' }, { type: 'non_fast_forward' }, pullRequest, statusChecks];
  }
}

/** `gh api -X POST repos/{owner}/{repo}/rulesets` with the ruleset that fixes this setting (rulesets add up, and apply to admins unless they are bypass actors). */
function githubRemediation(b: BranchProtection, ctx: Ctx, kind: RuleKind): Remediation {
  const repo = safeRepo(ctx.repo) ?? 'OWNER/REPO';
  const ref = b.isDefault ? '~DEFAULT_BRANCH' : `refs/heads/${b.branch}`;
  const body = {
    name: `${b.isDefault ? 'default branch' : b.branch} protection${kind === 'all' ? '' : ` (${kind.replace(/_/g, ' ')})`}`,
    target: 'branch',
    enforcement: 'active',
    bypass_actors: [],
    conditions: { ref_name: { include: [ref], exclude: [] } },
    rules: rulesetRules(kind),
  };
  const checksNote =
    kind === 'required_status_checks' || kind === 'all'
      ? ' Replace REPLACE-WITH-YOUR-CI-CHECK-NAME with the name of the check your CI reports on pull requests (a wrong name blocks every merge).'
      : '';
  return {
    text:
      `Add a repository ruleset for branch '${b.branch}' (Settings → Rules → Rulesets, or the command below). Rulesets add to existing ` +
      `protection, are readable with any token, and have no bypass unless you add bypass actors.${checksNote}`,
    patch: `gh api -X POST repos/${repo}/rulesets --input - <<'EOF'\n${JSON.stringify(body, null, 2)}\nEOF`,
  };
}

function gitlabRemediation(b: BranchProtection, ctx: Ctx, rule: string): Remediation {
  const project = encodeURIComponent(safeRepo(ctx.repo) ?? 'GROUP/PROJECT');
  const branch = encodeURIComponent(b.branch);
  const api = (method: string, path: string, fields: string) => `glab api -X ${method} "projects/${project}/${path}" ${fields}`;
  const protect =
    `${api('DELETE', `protected_branches/${branch}`, '')}\n` +
    api(
      'POST',
      'protected_branches',
      `-f name=${shellWord(b.branch)} -F push_access_level=0 -F merge_access_level=40 -F allow_force_push=false`,
    );
  switch (rule) {
    case 'allowsForcePush':
      return {
        text: `Settings → Repository → Protected branches: turn off "Allowed to force push" for '${b.branch}'.`,
        patch: api('PATCH', `protected_branches/${branch}`, '-F allow_force_push=false'),
      };
    case 'allowsDeletion':
    case 'branchNotProtected':
      return {
        text: `Settings → Repository → Protected branches: protect '${b.branch}' with "Allowed to merge: Maintainers", "Allowed to push and merge: No one" and force push off (protected branches cannot be deleted by a push).`,
        patch:
          rule === 'branchNotProtected'
            ? api(
                'POST',
                'protected_branches',
                `-f name=${shellWord(b.branch)} -F push_access_level=0 -F merge_access_level=40 -F allow_force_push=false`,
              )
            : protect,
      };
    case 'noPullRequestRequired':
    case 'adminsCanBypass':
      return {
        text: `Settings → Repository → Protected branches: set "Allowed to push and merge" to "No one" for '${b.branch}', so every change, also a Maintainer's or Owner's, goes through a merge request.`,
        patch: protect,
      };
    case 'noRequiredReviews':
    case 'fewRequiredReviews':
      return {
        text: `Settings → Merge requests → Merge request approvals: add an approval rule for '${b.branch}' requiring ${MIN_REVIEWS} approvals (GitLab Premium).`,
        patch: api('POST', 'approval_rules', `-f name=reviewers -F approvals_required=${MIN_REVIEWS}`),
      };
    case 'noLastPushApproval':
      return {
        text: 'Settings → Merge requests → Merge request approvals → Approval settings: enable "Prevent approvals by users who add commits" (and "Prevent approval by merge request creator").',
        patch: api('POST', 'approvals', '-F merge_requests_disable_committers_approval=true -F merge_requests_author_approval=false'),
      };
    case 'staleReviewsNotDismissed':
      return {
        text: 'Settings → Merge requests → Merge request approvals → Approval settings: enable "Remove all approvals when commits are added to the source branch".',
        patch: api('POST', 'approvals', '-F reset_approvals_on_push=true'),
      };
    case 'noUpToDateRequirement':
      return {
        text: 'Settings → Merge requests → Merge checks: enable "Pipelines must succeed".',
        patch: `glab api -X PUT "projects/${project}" -F only_allow_merge_if_pipeline_succeeds=true`,
      };
    case 'noStatusChecks':
      return {
        text: 'Settings → Merge requests → Merge checks: enable "Pipelines must succeed" and add status checks (Settings → Merge requests → Status checks, GitLab Ultimate) for the tests that must pass.',
        patch: `glab api -X PUT "projects/${project}" -F only_allow_merge_if_pipeline_succeeds=true`,
      };
    case 'noCodeOwnerReview':
      return {
        text: `Settings → Repository → Protected branches: turn on "Code owner approval" for '${b.branch}' (GitLab Premium), and keep a CODEOWNERS file.`,
        patch: api('PATCH', `protected_branches/${branch}`, '-F code_owner_approval_required=true'),
      };
    default:
      return { text: 'Settings → Repository → Protected branches, and Settings → Merge requests → Merge request approvals.' };
  }
}

function shellWord(s: string): string {
  return /^[\w./@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

// ───────────────────────────── evidence ─────────────────────────────

function evidenceFor(b: BranchProtection, isDefault: boolean, ctx: Ctx): Evidence {
  const values: Record<string, string | number | boolean> = { branch: b.branch, isDefault, sources: b.sources.join(',') };
  const put = <T>(key: string, f: Fact<T>, map: (v: T) => string | number | boolean, off: T) => {
    const s = setting(b, f, off);
    if (s.known) values[key] = map(s.value);
  };
  put('forcePushBlocked', b.allowForcePush, (v) => !v, true);
  put('deletionBlocked', b.allowDeletion, (v) => !v, true);
  put('requirePullRequest', b.requirePullRequest, (v) => v, false);
  put('requiredApprovals', b.requiredApprovals, (v) => v, 0);
  put('requireLastPushApproval', b.requireLastPushApproval, (v) => v, false);
  put('dismissStaleReviews', b.dismissStaleReviews, (v) => v, false);
  put('codeOwnerReview', b.requireCodeOwnerReview, (v) => v, false);
  put('requiredStatusChecks', b.requiredStatusChecks, (v) => v.length, []);
  put('requireUpToDate', b.requireUpToDate, (v) => v, false);
  put('requireSignedCommits', b.requireSignedCommits, (v) => v, false);
  put('requireLinearHistory', b.requireLinearHistory, (v) => v, false);
  put('enforcedForAdmins', b.enforceAdmins, (v) => v, false);
  if (b.protected.known) values.protected = b.protected.value;
  // Authoritative: the enforced settings themselves were read (or the branch is known to be unprotected).
  values.authoritative =
    (b.protected.known && b.protected.value === false) || b.allowForcePush.known || b.allowDeletion.known || b.requiredApprovals.known;
  const kind = isDefault ? 'branchProtection' : 'releaseBranchProtection';
  const state = b.protected.known ? (b.protected.value ? 'protected' : 'not protected') : 'protection not fully visible';
  return {
    kind,
    message: `${isDefault ? 'default' : 'release'} branch '${b.branch}': ${state}${b.sources.length ? ` (from ${b.sources.join(', ')})` : ''}${ctx.platform === 'gitlab' ? ' on GitLab' : ''}`,
    values,
  };
}
