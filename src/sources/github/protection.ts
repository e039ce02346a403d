/**
 * Branch protection on GitHub comes from three places, each visible to different tokens:
 *   - rules-for-branch (`GET /repos/{o}/{r}/rules/branches/{b}`): every ACTIVE ruleset rule that
 *     applies to the branch, repository or organisation level — readable by anyone who can read the repo;
 *   - classic protection (GraphQL `branchProtectionRule`): admin only; readers see a subset through
 *     `refUpdateRule` (force pushes, deletions, approvals, status checks, signatures, linear history);
 *   - rulesets (GraphQL `rulesets(includeParents: true)`): whether a ruleset has bypass actors is
 *     only shown to those who can edit it.
 * The effective protection is their union. A setting is known when a visible source enforces it, or
 * when every source that could enforce it is visible; otherwise it is Unknown with the permission
 * that would show it — never `false`.
 */
import { known, unknown, type Fact } from '../../facts/fact.js';
import type { BranchProtection, Setting } from '../../facts/platform.js';
import type { GqlClassicRule, GqlRefUpdateRule, GqlRuleset } from './queries.js';
import { NEEDS } from './permissions.js';

/** A rule from rules-for-branch (the `repository-rule-detailed` schema). */
export interface RuleDetail {
  type: string;
  parameters?: Record<string, unknown>;
  ruleset_source_type?: string;
  ruleset_source?: string;
  ruleset_id?: number;
}

export interface ProtectionInputs {
  branch: string;
  isDefault: boolean;
  rules: Fact<RuleDetail[]>;
  /** Classic rule as an admin sees it; unknown when the token cannot read it; null when there is none. */
  classic: Fact<GqlClassicRule | null>;
  /** The reader's view of the classic rule (null: none). */
  refUpdateRule: Fact<GqlRefUpdateRule | null>;
  rulesets: Fact<GqlRuleset[]>;
}

type Part<T> = Fact<T | undefined>; // known(undefined): this source does not set it

const NONE: Part<never> = known(undefined);

/** Any source enforcing wins; otherwise unknown if any source is hidden; otherwise not enforced. */
function anyTrue(parts: Array<Part<boolean>>): Setting<boolean> {
  if (parts.some((p) => p.known && p.value === true)) return known(true);
  const hidden = parts.find((p): p is Extract<Part<boolean>, { known: false }> => !p.known);
  return hidden ?? known(false);
}

/** "Allowed" settings (force push, deletion): allowed only when no source blocks it. */
function noneBlocks(blocks: Array<Part<boolean>>): Setting<boolean> {
  const b = anyTrue(blocks);
  return b.known ? known(!b.value) : b;
}

function maxOf(parts: Array<Part<number>>): Setting<number> {
  const vals = parts.filter((p) => p.known && typeof p.value === 'number').map((p) => (p as { value: number }).value);
  const max = vals.length ? Math.max(...vals) : 0;
  if (max > 0) return known(max); // a lower bound is what matters for scoring tiers
  const hidden = parts.find((p): p is Extract<Part<number>, { known: false }> => !p.known);
  return hidden ?? known(0);
}

function unionOf(parts: Array<Part<string[]>>): Setting<string[]> {
  const vals = [...new Set(parts.flatMap((p) => (p.known && p.value ? p.value : [])))];
  if (vals.length > 0) return known(vals.sort());
  const hidden = parts.find((p): p is Extract<Part<string[]>, { known: false }> => !p.known);
  return hidden ?? known([]);
}

export function mergeProtection(i: ProtectionInputs): BranchProtection {
  const rules = i.rules;
  const ruleOf = (type: string): Part<RuleDetail> => (rules.known ? known(rules.value.find((r) => r.type === type)) : rules);
  const has = (type: string): Part<boolean> => mapPart(ruleOf(type), (r) => (r ? true : undefined));
  const prParam = <T>(key: string): Part<T> => mapPart(ruleOf('pull_request'), (r) => r?.parameters?.[key] as T | undefined);
  const statusParam = <T>(key: string): Part<T> => mapPart(ruleOf('required_status_checks'), (r) => r?.parameters?.[key] as T | undefined);

  // The classic rule: the admin view when readable; else the reader's view for what it shows, and
  // Unknown (needs admin) for what only admins see — unless the reader's view says there is no rule.
  const adminHidden = unknown('classic branch protection settings are only visible to admins', NEEDS.admin);
  const classicKnown = i.classic.known;
  const classic = i.classic.known ? i.classic.value : undefined;
  const reader = i.refUpdateRule.known ? i.refUpdateRule.value : undefined;
  const noClassic = (classicKnown && classic === null) || (!classicKnown && i.refUpdateRule.known && reader === null);
  const classicField = <T>(admin: (c: GqlClassicRule) => T | undefined, readerView?: (r: GqlRefUpdateRule) => T | undefined): Part<T> => {
    if (noClassic) return NONE;
    if (classic) return known(admin(classic));
    if (reader && readerView) return known(readerView(reader));
    if (!i.refUpdateRule.known && readerView) return i.refUpdateRule;
    return i.classic.known ? NONE : adminHidden;
  };

  // Rulesets contributing rules to this branch, and whether any can be bypassed.
  const rulesetIds = rules.known
    ? [...new Set(rules.value.map((r) => r.ruleset_id).filter((x): x is number => typeof x === 'number'))]
    : [];
  let rulesetEnforce: Part<boolean> = NONE;
  if (!rules.known) rulesetEnforce = rules;
  else if (rulesetIds.length > 0) {
    if (!i.rulesets.known) rulesetEnforce = i.rulesets;
    else {
      const applying = i.rulesets.value.filter((r) => r.databaseId !== null && rulesetIds.includes(r.databaseId));
      const hidden = applying.some((r) => r.bypassActors === null) || applying.length < rulesetIds.length;
      if (applying.some((r) => r.bypassActors && r.bypassActors.totalCount > 0)) rulesetEnforce = known(false);
      else if (hidden) rulesetEnforce = unknown('who may bypass a ruleset is only visible to those who can edit it', NEEDS.admin);
      else rulesetEnforce = known(true);
    }
  }

  const classicAdminEnforced = classicField((c) => c.isAdminEnforced);
  let enforceAdmins: Setting<boolean>;
  if (rulesetEnforce.known && rulesetEnforce.value === false && classicAdminEnforced.known && classicAdminEnforced.value !== true) {
    enforceAdmins = known(false);
  } else enforceAdmins = anyTrue([rulesetEnforce, classicAdminEnforced]);

  const classicRequiresPr = classicField(
    (c) => (c.requiresApprovingReviews ? true : undefined),
    (r) => (r.requiredApprovingReviewCount !== null ? true : undefined),
  );

  const protectedBy: Array<Part<boolean>> = [
    mapPart(rules as Part<RuleDetail[]>, (r) => (r && r.length > 0 ? true : undefined)),
    noClassic ? NONE : classic || reader ? known(true) : i.classic.known ? NONE : i.refUpdateRule.known ? NONE : i.refUpdateRule,
  ];

  const sources: string[] = [];
  if (rules.known && rules.value.length > 0) sources.push('rules-for-branch');
  if (rulesetIds.length > 0 && i.rulesets.known) sources.push('rulesets');
  if (classic || reader) sources.push('classic');

  return {
    branch: i.branch,
    isDefault: i.isDefault,
    sources,
    protected: anyTrue(protectedBy),
    allowForcePush: noneBlocks([
      has('non_fast_forward'),
      classicField(
        (c) => (c.allowsForcePushes ? undefined : true),
        (r) => (r.allowsForcePushes ? undefined : true),
      ),
    ]),
    allowDeletion: noneBlocks([
      has('deletion'),
      classicField(
        (c) => (c.allowsDeletions ? undefined : true),
        (r) => (r.allowsDeletions ? undefined : true),
      ),
    ]),
    requirePullRequest: anyTrue([has('pull_request'), classicRequiresPr]),
    requiredApprovals: maxOf([
      prParam<number>('required_approving_review_count'),
      classicField(
        (c) => (c.requiresApprovingReviews ? (c.requiredApprovingReviewCount ?? 0) : undefined),
        (r) => r.requiredApprovingReviewCount ?? undefined,
      ),
    ]),
    requireCodeOwnerReview: anyTrue([
      prParam<boolean>('require_code_owner_review'),
      classicField(
        (c) => c.requiresCodeOwnerReviews || undefined,
        (r) => r.requiresCodeOwnerReviews || undefined,
      ),
    ]),
    dismissStaleReviews: anyTrue([
      prParam<boolean>('dismiss_stale_reviews_on_push'),
      classicField((c) => c.dismissesStaleReviews || undefined),
    ]),
    requireLastPushApproval: anyTrue([
      prParam<boolean>('require_last_push_approval'),
      classicField((c) => c.requireLastPushApproval || undefined),
    ]),
    // GitHub never lets the author approve their own pull request.
    preventAuthorApproval: known(true),
    requiredStatusChecks: unionOf([
      mapPart(statusParam<Array<{ context: string }>>('required_status_checks'), (v) => v?.map((c) => c.context)),
      classicField(
        (c) => (c.requiresStatusChecks ? (c.requiredStatusCheckContexts ?? []).filter((x): x is string => !!x) : undefined),
        (r) => (r.requiredStatusCheckContexts ?? []).filter((x): x is string => !!x),
      ),
    ]),
    requireUpToDate: anyTrue([
      statusParam<boolean>('strict_required_status_checks_policy'),
      classicField((c) => (c.requiresStatusChecks && c.requiresStrictStatusChecks) || undefined),
    ]),
    enforceAdmins,
    requireSignedCommits: anyTrue([
      has('required_signatures'),
      classicField(
        (c) => c.requiresCommitSignatures || undefined,
        (r) => r.requiresSignatures || undefined,
      ),
    ]),
    requireLinearHistory: anyTrue([
      has('required_linear_history'),
      classicField(
        (c) => c.requiresLinearHistory || undefined,
        (r) => r.requiresLinearHistory || undefined,
      ),
    ]),
  };
}

function mapPart<A, B>(p: Part<A>, fn: (a: A | undefined) => B | undefined): Part<B> {
  return p.known ? known(fn(p.value)) : p;
}
