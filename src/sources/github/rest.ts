/** REST response shapes this source reads (subsets of GitHub's OpenAPI schemas) and their mapping to facts. */
import type { CommitInfo, RepositoryInfo, SignatureKind } from '../../facts/model.js';
import type { Actor, Release, WorkflowRun } from '../../facts/platform.js';
import type { GqlClassicRule } from './queries.js';

export interface RestUser {
  login: string;
  type?: string;
}

export interface RestRepo {
  id: number;
  full_name: string;
  html_url: string;
  archived: boolean;
  disabled?: boolean;
  fork: boolean;
  private: boolean;
  visibility?: string;
  default_branch?: string;
  created_at: string;
  pushed_at: string | null;
  size?: number;
  owner: RestUser;
  license?: { spdx_id: string | null } | null;
  permissions?: { admin: boolean; maintain?: boolean; push: boolean; triage?: boolean; pull: boolean };
}

export interface RestVerification {
  verified: boolean;
  reason: string;
  signature: string | null;
  payload: string | null;
}

export interface RestCommit {
  sha: string;
  commit: { author: { name?: string; date?: string } | null; committer: { date?: string } | null; verification?: RestVerification };
  author: RestUser | null;
}

export interface RestGitTag {
  sha: string;
  tag: string;
  tagger: { date: string };
  object: { sha: string; type: string };
  verification?: RestVerification;
}

export interface RestRef {
  ref: string;
  object: { sha: string; type: string };
}

export interface RestAsset {
  id: number;
  name: string;
  size: number;
  digest: string | null;
  browser_download_url: string;
  uploader: RestUser | null;
}

export interface RestRelease {
  id: number;
  tag_name: string;
  name: string | null;
  created_at: string;
  published_at: string | null;
  target_commitish: string;
  draft: boolean;
  prerelease: boolean;
  immutable?: boolean;
  author: RestUser | null;
  assets: RestAsset[];
}

export interface RestWorkflowRun {
  path: string;
  event: string;
  status: string | null;
  conclusion: string | null;
  head_sha: string;
  head_branch: string | null;
  created_at: string;
}

export interface RestHook {
  id: number;
  active: boolean;
  events: string[];
  config: { url?: string; insecure_ssl?: string | number; secret?: string; content_type?: string };
}

export interface RestProtection {
  required_status_checks?: { strict?: boolean; contexts?: string[]; checks?: Array<{ context: string }> } | null;
  required_pull_request_reviews?: {
    required_approving_review_count?: number;
    dismiss_stale_reviews?: boolean;
    require_code_owner_reviews?: boolean;
    require_last_push_approval?: boolean;
  } | null;
  enforce_admins?: { enabled: boolean } | null;
  required_signatures?: { enabled: boolean } | null;
  required_linear_history?: { enabled: boolean } | null;
  allow_force_pushes?: { enabled: boolean } | null;
  allow_deletions?: { enabled: boolean } | null;
}

export const actor = (u: RestUser | { __typename?: string; login: string } | null | undefined): Actor | null =>
  u
    ? {
        login: u.login,
        bot: ('type' in u && u.type === 'Bot') || ('__typename' in u && u.__typename === 'Bot') || /\[bot\]$/.test(u.login),
      }
    : null;

export function signatureKind(block: string | null | undefined): SignatureKind | null {
  if (!block) return null;
  if (block.includes('BEGIN PGP SIGNATURE')) return 'pgp';
  if (block.includes('BEGIN SSH SIGNATURE')) return 'ssh';
  if (block.includes('BEGIN SIGNED MESSAGE') || block.includes('BEGIN CMS') || block.includes('BEGIN PKCS7')) return 'x509';
  return 'pgp';
}

/** GitHub's verification reasons: a forgery (`invalid`) fails; a key GitHub does not know is unverifiable, not bad. */
export function verificationResult(v: RestVerification | undefined): {
  signature: SignatureKind | null;
  verified: boolean | null;
  detail?: string;
} {
  if (!v || v.reason === 'unsigned' || (!v.signature && !v.verified)) return { signature: null, verified: null };
  const signature = signatureKind(v.signature);
  if (v.verified) return { signature, verified: true, detail: 'verified by GitHub' };
  if (v.reason === 'invalid' || v.reason === 'malformed_signature') return { signature, verified: false, detail: `GitHub: ${v.reason}` };
  return { signature, verified: null, detail: `GitHub could not verify it: ${v.reason}` };
}

export function gqlSignature(sig: { __typename: string; isValid: boolean; state: string } | null | undefined): {
  signature: SignatureKind | null;
  verified: boolean | null;
} {
  if (!sig) return { signature: null, verified: null };
  const signature: SignatureKind = sig.__typename === 'SshSignature' ? 'ssh' : sig.__typename === 'SmimeSignature' ? 'x509' : 'pgp';
  if (sig.isValid || sig.state === 'VALID') return { signature, verified: true };
  if (sig.state === 'INVALID' || sig.state === 'MALFORMED_SIG') return { signature, verified: false };
  return { signature, verified: null };
}

export function repoInfo(r: RestRepo, host: string): RepositoryInfo {
  return {
    platform: 'github',
    host,
    repo: r.full_name,
    url: r.html_url,
    ...(r.default_branch ? { defaultBranch: r.default_branch } : {}),
    archived: r.archived,
    fork: r.fork,
    createdAt: r.created_at,
    ...(r.pushed_at ? { pushedAt: r.pushed_at } : {}),
    license: r.license?.spdx_id && r.license.spdx_id !== 'NOASSERTION' ? r.license.spdx_id : null,
    visibility: r.visibility === 'internal' ? 'internal' : r.private ? 'private' : 'public',
  };
}

export function commitInfo(c: RestCommit): CommitInfo {
  const v = verificationResult(c.commit.verification);
  return {
    sha: c.sha,
    ...(c.commit.committer?.date ? { date: c.commit.committer.date } : {}),
    ...(c.author?.login ? { author: c.author.login } : c.commit.author?.name ? { author: c.commit.author.name } : {}),
    signature: v.signature,
    verified: v.verified,
  };
}

export function release(r: RestRelease): Release {
  return {
    tag: r.tag_name,
    ...(r.name ? { name: r.name } : {}),
    createdAt: r.created_at,
    ...(r.published_at ? { publishedAt: r.published_at } : {}),
    author: actor(r.author),
    target: r.target_commitish,
    draft: r.draft,
    prerelease: r.prerelease,
    ...(typeof r.immutable === 'boolean' ? { immutable: r.immutable } : {}),
    assets: (r.assets ?? []).map((a) => ({
      name: a.name,
      url: a.browser_download_url,
      size: a.size,
      ...(a.digest ? { digest: a.digest } : {}),
      uploader: actor(a.uploader),
    })),
  };
}

export function workflowRun(r: RestWorkflowRun): WorkflowRun {
  const c = r.conclusion;
  const conclusion: WorkflowRun['conclusion'] =
    r.status !== 'completed'
      ? 'pending'
      : c === 'success'
        ? 'success'
        : c === 'failure' || c === 'timed_out' || c === 'startup_failure'
          ? 'failure'
          : c === 'cancelled'
            ? 'cancelled'
            : c === 'skipped'
              ? 'skipped'
              : 'other';
  return {
    workflow: r.path.replace(/@.*$/, ''),
    event: r.event,
    conclusion,
    headSha: r.head_sha,
    ...(r.head_branch ? { headBranch: r.head_branch } : {}),
    createdAt: r.created_at,
  };
}

/** Classic protection from REST (`/branches/{b}/protection`, admin) in the GraphQL rule's shape. */
export function classicFromRest(p: RestProtection): GqlClassicRule {
  const reviews = p.required_pull_request_reviews;
  const checks = p.required_status_checks;
  return {
    pattern: '',
    allowsDeletions: !!p.allow_deletions?.enabled,
    allowsForcePushes: !!p.allow_force_pushes?.enabled,
    dismissesStaleReviews: !!reviews?.dismiss_stale_reviews,
    isAdminEnforced: !!p.enforce_admins?.enabled,
    requireLastPushApproval: !!reviews?.require_last_push_approval,
    requiredApprovingReviewCount: reviews ? (reviews.required_approving_review_count ?? 0) : null,
    requiresApprovingReviews: !!reviews,
    requiresCodeOwnerReviews: !!reviews?.require_code_owner_reviews,
    requiresCommitSignatures: !!p.required_signatures?.enabled,
    requiresLinearHistory: !!p.required_linear_history?.enabled,
    requiresStatusChecks: !!checks,
    requiresStrictStatusChecks: !!checks?.strict,
    requiredStatusCheckContexts: checks ? [...new Set([...(checks.contexts ?? []), ...(checks.checks ?? []).map((c) => c.context)])] : null,
  };
}

/** Newest-looking first: version-aware descending sort of tag names (REST lists refs alphabetically). */
export function byVersionDesc(a: string, b: string): number {
  return b.localeCompare(a, 'en', { numeric: true, sensitivity: 'base' });
}
