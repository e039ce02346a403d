/**
 * GitLab's answers → the platform-neutral fact model. Pure functions, no I/O.
 */
import type {
  ProjectLevelApprovalRuleSchema,
  ProjectLevelMergeRequestApprovalSchema,
  ProtectedBranchSchema,
  ProtectedTagSchema,
  PushRuleSchema,
  TagSchema,
} from '@gitbeaker/core';
import { known, unknown, type Fact, type Unknown } from '../../facts/fact.js';
import type { SignatureKind, TagInfo } from '../../facts/model.js';
import type {
  Actor,
  BranchProtection,
  Contributor,
  MergedChange,
  Release,
  ReleaseAsset,
  TagProtection,
  Webhook,
  WorkflowRun,
} from '../../facts/platform.js';
import { ROLE, TIER_NAME, type Tier } from './access.js';
import type { GqlGroup, GqlMergeRequest, GqlPipeline, GqlRelease, GqlUser } from './graphql.js';
import { nodes } from './graphql.js';

// ───────────────────────────── branch protection ─────────────────────────────

/** GitLab protected-branch names are exact names or `*` wildcards. */
export function branchMatches(pattern: string, branch: string): boolean {
  if (!pattern.includes('*')) return pattern === branch;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(branch);
}

export interface ProtectionInputs {
  branch: string;
  isDefault: boolean;
  /** `protected_branches`, or why it could not be read. */
  protectedBranches: Fact<ProtectedBranchSchema[]>;
  /** From `GET /repository/branches/:b` when protected_branches was refused. */
  branchFlags?: Fact<{ protected: boolean; developersCanPush?: boolean }>;
  approvals: Fact<ProjectLevelMergeRequestApprovalSchema>;
  approvalRules: Fact<ProjectLevelApprovalRuleSchema[]>;
  /** null: no push rule configured. */
  pushRule: Fact<PushRuleSchema | null>;
  project: { onlyAllowMergeIfPipelineSucceeds?: boolean; mergeMethod?: string };
  /** Whether the tier has Premium (code-owner approval is a Premium setting); undefined when unknown. */
  premium: boolean | undefined;
  tier?: Tier;
}

const PUSH_NOBODY = 0;

/** The settings of one branch, each known or unknown with what would reveal it. */
export function branchProtection(i: ProtectionInputs): BranchProtection {
  const sources: string[] = [];
  const pb = i.protectedBranches;
  const rules = pb.known ? pb.value.filter((r) => branchMatches(r.name, i.branch)) : [];
  let isProtected: Fact<boolean>;
  if (pb.known) {
    sources.push('gitlab-protected-branch');
    isProtected = known(rules.length > 0);
  } else if (i.branchFlags?.known) {
    sources.push('gitlab-branch');
    isProtected = known(i.branchFlags.value.protected);
  } else {
    isProtected = pb;
  }
  const settingsUnknown: Unknown | undefined = pb.known ? undefined : (pb as Unknown);
  /** A protected-branch setting: from the rules when readable; unprotected branches allow everything. */
  const fromRules = <T>(onRules: () => T, unprotected: T): Fact<T> => {
    if (isProtected.known && !isProtected.value) return known(unprotected);
    if (pb.known) return known(onRules());
    return settingsUnknown!;
  };
  const pushLevels = rules.flatMap((r) => r.push_access_levels ?? []);
  // Push by nobody: every entry is "No one" and no user, group or deploy key is allowed.
  const nobodyPushes = () =>
    pushLevels.length > 0 &&
    pushLevels.every(
      (l) => l.access_level === PUSH_NOBODY && !l.user_id && !l.group_id && !(l as { deploy_key_id?: number | null }).deploy_key_id,
    );
  let requirePullRequest = fromRules(nobodyPushes, false);
  if (!pb.known && i.branchFlags?.known && i.branchFlags.value.protected && i.branchFlags.value.developersCanPush === true) {
    requirePullRequest = known(false);
  }

  // Approvals (Premium): merge request approval settings and rules.
  let requiredApprovals: Fact<number>;
  if (i.approvalRules.known) {
    sources.push('gitlab-approval-rules');
    const applicable = i.approvalRules.value.filter((r) => ruleApplies(r, i.branch, isProtected.known ? isProtected.value : true));
    requiredApprovals = known(applicable.reduce((m, r) => Math.max(m, r.approvals_required ?? 0), 0));
  } else requiredApprovals = i.approvalRules;

  const approvals = i.approvals;
  if (approvals.known) sources.push('gitlab-approval-settings');
  const fromApprovals = <T>(fn: (a: ProjectLevelMergeRequestApprovalSchema) => T): Fact<T> =>
    approvals.known ? known(fn(approvals.value)) : approvals;

  let requireCodeOwnerReview: Fact<boolean>;
  if (isProtected.known && !isProtected.value) requireCodeOwnerReview = known(false);
  else if (!pb.known) requireCodeOwnerReview = settingsUnknown!;
  else if (rules.some((r) => r.code_owner_approval_required === true)) requireCodeOwnerReview = known(true);
  else if (i.premium === true) requireCodeOwnerReview = known(false);
  else if (i.premium === false)
    requireCodeOwnerReview = unknown(
      `code-owner approval: a GitLab Premium setting${i.tier ? `, not available on GitLab ${TIER_NAME[i.tier]}` : ''}`,
      'GitLab Premium',
    );
  else
    requireCodeOwnerReview = unknown(
      'code-owner approval: a GitLab Premium setting, and the tier is not visible to this token',
      'GitLab Premium (or a token that can see the tier)',
    );

  let requireSignedCommits: Fact<boolean>;
  if (i.pushRule.known) {
    sources.push('gitlab-push-rules');
    requireSignedCommits = known(i.pushRule.value?.reject_unsigned_commits === true);
  } else requireSignedCommits = i.pushRule;

  const pipelines = i.project.onlyAllowMergeIfPipelineSucceeds;
  if (pipelines !== undefined || i.project.mergeMethod !== undefined) sources.push('gitlab-project-settings');
  const allowForcePush = fromRules(() => rules.some((r) => r.allow_force_push === true), true);
  return {
    branch: i.branch,
    isDefault: i.isDefault,
    sources,
    protected: isProtected,
    allowForcePush,
    // Protected branches cannot be deleted by a push (only by a Maintainer in the UI/API).
    allowDeletion: isProtected.known ? known(!isProtected.value) : isProtected,
    requirePullRequest,
    requiredApprovals,
    requireCodeOwnerReview,
    dismissStaleReviews: fromApprovals((a) => a.reset_approvals_on_push === true),
    requireLastPushApproval: fromApprovals((a) => a.merge_requests_disable_committers_approval === true),
    preventAuthorApproval: fromApprovals((a) => a.merge_requests_author_approval === false),
    requiredStatusChecks:
      pipelines === undefined ? unknown('the project’s merge settings are not visible') : known(pipelines ? ['pipeline must succeed'] : []),
    requireUpToDate: pipelines === undefined ? unknown('the project’s merge settings are not visible') : known(pipelines),
    // No admin-enforcement flag on GitLab: rules bind everyone only when nobody may push.
    enforceAdmins: fromRules(() => nobodyPushes() && !rules.some((r) => r.allow_force_push === true), false),
    requireSignedCommits,
    requireLinearHistory:
      i.project.mergeMethod === undefined ? unknown('the project’s merge method is not visible') : known(i.project.mergeMethod === 'ff'),
  };
}

/** Whether an approval rule applies to a branch (GitLab: all branches, all protected ones, or listed ones). */
function ruleApplies(r: ProjectLevelApprovalRuleSchema, branch: string, branchProtected: boolean): boolean {
  if (r.rule_type === 'report_approver') return false; // security approvals apply to findings, not to every MR
  const listed = r.protected_branches ?? [];
  if ((r as { applies_to_all_protected_branches?: boolean }).applies_to_all_protected_branches) return branchProtected;
  if (listed.length === 0) return true;
  return listed.some((p) => branchMatches(p.name, branch));
}

// ───────────────────────────── people, changes, runs ─────────────────────────────

export function actor(u: GqlUser | { username?: string; bot?: boolean } | null | undefined): Actor | null {
  if (!u?.username) return null;
  return { login: u.username, bot: u.bot === true || /(^|[-_])bot($|[-_\d])/i.test(u.username) || /^project_\d+_bot/.test(u.username) };
}

type Conclusion = WorkflowRun['conclusion'];

export function runConclusion(status: string | null | undefined): Conclusion {
  switch ((status ?? '').toLowerCase()) {
    case 'success':
      return 'success';
    case 'failed':
      return 'failure';
    case 'canceled':
    case 'canceling':
      return 'cancelled';
    case 'skipped':
      return 'skipped';
    case 'created':
    case 'waiting_for_resource':
    case 'waiting_for_callback':
    case 'preparing':
    case 'pending':
    case 'running':
    case 'scheduled':
    case 'manual':
      return 'pending';
    default:
      return 'other';
  }
}

export function checkConclusion(status: string | null | undefined): NonNullable<MergedChange['checks']>[number]['conclusion'] {
  const c = runConclusion(status);
  return c === 'cancelled' ? 'other' : c;
}

export function mergedChange(mr: GqlMergeRequest): MergedChange | undefined {
  if (!mr.mergedAt) return undefined;
  const author = actor(mr.author);
  const approvers = nodes<GqlUser>(mr.approvedBy).map((u) => u.username);
  return {
    number: Number(mr.iid),
    ...(mr.webUrl ? { url: stripCredentials(mr.webUrl) } : {}),
    ...(mr.title ? { title: mr.title } : {}),
    author,
    mergedBy: actor(mr.mergeUser),
    mergedAt: mr.mergedAt,
    ...((mr.mergeCommitSha ?? mr.squashCommitSha) ? { mergeCommit: (mr.mergeCommitSha ?? mr.squashCommitSha)! } : {}),
    ...(mr.diffHeadSha ? { headCommit: mr.diffHeadSha } : {}),
    approvers,
    labels: nodes<{ title: string }>(mr.labels).map((l) => l.title),
    ...(mr.headPipeline ? { checks: [{ name: 'pipeline', conclusion: checkConclusion(mr.headPipeline.status), app: 'gitlab-ci' }] } : {}),
  };
}

export function workflowRun(p: GqlPipeline, ciPath: string): WorkflowRun {
  return {
    workflow: ciPath,
    event: p.source ?? 'unknown',
    conclusion: runConclusion(p.status),
    headSha: p.sha ?? '',
    ...(p.ref ? { headBranch: p.ref } : {}),
    ...(p.createdAt ? { createdAt: p.createdAt } : {}),
  };
}

/** Release links: a link's URL may embed credentials; only the rest is kept. */
export function release(r: GqlRelease): Release {
  const links = nodes<{ name: string; url: string; directAssetUrl?: string | null }>(r.assets?.links);
  const assets: ReleaseAsset[] = links.map((l) => ({ name: l.name, url: stripCredentials(l.directAssetUrl || l.url), uploader: null }));
  return {
    tag: r.tagName,
    ...(r.name ? { name: r.name } : {}),
    ...(r.createdAt ? { createdAt: r.createdAt } : {}),
    ...(r.releasedAt ? { publishedAt: r.releasedAt } : {}),
    author: actor(r.author),
    ...(r.commit?.sha ? { target: r.commit.sha } : {}),
    draft: false,
    ...(r.upcomingRelease ? { prerelease: true } : {}),
    assets,
  };
}

export function stripCredentials(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url;
  }
}

// ───────────────────────────── tags ─────────────────────────────

const PGP_BLOCK = /-----BEGIN PGP SIGNATURE-----/;
const SSH_BLOCK = /-----BEGIN SSH SIGNATURE-----/;

/** A tag from the tags list; `x509` is the tag-signature endpoint's answer when it was asked. */
export function tagInfo(t: TagSchema, x509?: { verified: boolean | null; detail: string } | 'none' | 'not-asked'): TagInfo {
  const commit = t.commit?.id ?? t.target;
  const message = t.message ?? '';
  const annotated = message !== '' || (t.target !== undefined && t.target !== commit);
  let signature: SignatureKind | null = null;
  let verified: boolean | null = null;
  let verifyDetail: string | undefined;
  if (x509 && typeof x509 === 'object') {
    signature = 'x509';
    verified = x509.verified;
    verifyDetail = x509.detail;
  } else if (PGP_BLOCK.test(message)) {
    signature = 'pgp';
    verifyDetail = 'GitLab does not verify tag PGP signatures through its API';
  } else if (SSH_BLOCK.test(message)) {
    signature = 'ssh';
    verifyDetail = 'GitLab does not verify tag SSH signatures through its API';
  }
  const info: TagInfo = { name: t.name, commit, annotated, signature, verified };
  if (verifyDetail) info.verifyDetail = verifyDetail;
  if (annotated && signature === null) {
    info.signatureUnknown =
      x509 === 'none'
        ? 'GitLab reports X.509 tag signatures only (none on this tag); a PGP or SSH signature on the tag object is not visible through the API'
        : 'not looked up: GitLab reports tag signatures (X.509 only) one tag per request';
  }
  const date = t.created_at ?? t.commit?.committed_date ?? t.commit?.created_at;
  if (date) info.date = date;
  return info;
}

// ───────────────────────────── tag protection, owner ─────────────────────────────

/** A create access level as GitLab lists it: a role, or a user, group or deploy key (those carry an id). */
type TagAccessLevel = NonNullable<ProtectedTagSchema['create_access_levels']>[number] & {
  user_id?: number | null;
  group_id?: number | null;
  deploy_key_id?: number | null;
};

/**
 * A GitLab protected tag (`name` is an exact tag or a `*` wildcard). Creating a tag needs the
 * Developer role anyway, so creation counts as restricted unless a role entry still lets
 * Developers (30, "Developers + Maintainers") create matching tags; "Maintainers" (40), "No one"
 * (0) and lists of users, groups or deploy keys are restrictions.
 */
export function tagProtection(t: ProtectedTagSchema): TagProtection {
  const levels = t.create_access_levels as TagAccessLevel[] | undefined;
  const developersCreate = (l: TagAccessLevel) =>
    !l.user_id && !l.group_id && !l.deploy_key_id && l.access_level > ROLE.none && l.access_level <= ROLE.developer;
  return {
    source: 'gitlab-protected-tag',
    name: t.name,
    include: [t.name],
    exclude: [],
    // No enforcement modes on GitLab: a protected tag always applies.
    enforced: true,
    // Nobody can move a protected tag, by push or by API.
    updateBlocked: known(true),
    // Nor delete it by git push; the UI/API can, for a Maintainer who is also allowed to create it (GitLab's tag check).
    deletionBlocked: known(true),
    creationRestricted: levels
      ? known(!levels.some(developersCreate))
      : unknown(`protected tag ${t.name}: GitLab did not list who may create matching tags (create_access_levels)`),
  };
}

/**
 * Whether two-factor authentication is required in a group namespace: by the group itself or any
 * parent — a parent's requirement binds its subgroups' members, yet a subgroup still reports its
 * own `false` (gitlab-org/gitlab#352728), so the parents must be read too. `fullPath` is the group's
 * path, which says how many ancestors there are; `direct` is the group with as many parents as
 * were read (`parent` null: GitLab answered none; absent: not asked).
 */
export function groupTwoFactor(direct: GqlGroup, fullPath: string): Fact<boolean> {
  const read: GqlGroup[] = [];
  for (let g: GqlGroup | null | undefined = direct; g; g = g.parent) read.push(g);
  if (read.some((g) => g.requireTwoFactorAuthentication === true)) return known(true);
  const segs = fullPath.split('/');
  // The group first, then its parents nearest first.
  const paths = segs.map((_, i) => segs.slice(0, segs.length - i).join('/'));
  const silent = read.flatMap((g, i) => (typeof g.requireTwoFactorAuthentication === 'boolean' ? [] : [paths[i]]));
  const unread = paths.slice(read.length);
  if (silent.length === 0 && unread.length === 0) return known(false);
  const said = read[0].requireTwoFactorAuthentication === false ? `${fullPath} does not require two-factor authentication, but ` : '';
  if (silent.length > 0) return unknown(`two-factor requirement: ${said}GitLab did not say whether ${silent.join(', ')} requires it`);
  const groups = `parent group${unread.length > 1 ? 's' : ''} ${unread.join(', ')}`;
  const binds = "(a parent group's requirement applies to its subgroups)";
  if (read[read.length - 1].parent === null) {
    return unknown(
      `two-factor requirement: ${said}the ${groups} ${unread.length > 1 ? 'are' : 'is'} not visible to this token ${binds}`,
      `membership of ${unread[unread.length - 1]} (or of a project in it)`,
    );
  }
  return unknown(`two-factor requirement: ${said}the ${groups} ${unread.length > 1 ? 'were' : 'was'} not read ${binds}`);
}

// ───────────────────────────── hooks, contributors ─────────────────────────────

const HOOK_EVENTS = [
  'push_events',
  'tag_push_events',
  'merge_requests_events',
  'repository_update_events',
  'issues_events',
  'confidential_issues_events',
  'note_events',
  'confidential_note_events',
  'job_events',
  'pipeline_events',
  'wiki_page_events',
  'deployment_events',
  'releases_events',
  'emoji_events',
  'feature_flag_events',
  'resource_access_token_events',
] as const;

export function webhook(h: Record<string, unknown>): Webhook {
  let host: string;
  try {
    host = new URL(String(h.url)).host;
  } catch {
    host = '(invalid URL)';
  }
  const status = h.alert_status as string | undefined;
  return {
    id: String(h.id),
    host,
    active: status === undefined || status === 'executable',
    hasSecret: unknown('GitLab does not reveal whether a hook has a secret token'),
    sslVerification: h.enable_ssl_verification !== false,
    events: HOOK_EVENTS.filter((e) => h[e] === true).map((e) => e.replace(/_events$/, '')),
  };
}

/** Public mail services say nothing about an employer; noreply addresses neither. */
const PERSONAL_MAIL =
  /^(?:gmail|googlemail|outlook|hotmail|live|msn|yahoo|ymail|icloud|me|mac|aol|proton|protonmail|pm|gmx|web|mail|yandex|qq|163|126|fastmail|hey|tutanota|zoho|posteo|mailbox)\.[a-z.]+$/i;

export function contributor(c: { name: string; email: string; commits: number }): Contributor {
  const domain = c.email.split('@')[1]?.toLowerCase() ?? '';
  const company =
    domain && !PERSONAL_MAIL.test(domain) && !/noreply|users\.gitlab|localhost|example\.(?:com|org)$/i.test(domain) ? domain : undefined;
  return { login: c.name, commits: c.commits, ...(company ? { company } : {}), organizations: [] };
}
