/**
 * Platform facts: what GitHub's and GitLab's APIs say about a repository, in ONE neutral shape so
 * every check and SLSA requirement reads the same model whichever platform answered. A setting the
 * token or tier cannot see is an Unknown (with what would unlock it), never `false`.
 */
import type { Fact } from './fact.js';

/** A single setting: known, or unknown with the reason (e.g. "needs Administration: read"). */
export type Setting<T> = Fact<T>;

export interface BranchProtection {
  branch: string;
  /** True when the branch is the default branch. */
  isDefault: boolean;
  /** Where the answer came from: 'rules-for-branch', 'rulesets', 'classic', 'gitlab-protected-branch', 'gitlab-approval-rules', 'gitlab-push-rules'. */
  sources: string[];
  /** Any protection at all (a protected branch, an active ruleset or classic rule). */
  protected: Setting<boolean>;
  allowForcePush: Setting<boolean>;
  allowDeletion: Setting<boolean>;
  /** Changes must go through a pull/merge request. */
  requirePullRequest: Setting<boolean>;
  requiredApprovals: Setting<number>;
  requireCodeOwnerReview: Setting<boolean>;
  /** Approvals are dismissed/reset when new commits are pushed. */
  dismissStaleReviews: Setting<boolean>;
  /** The last pusher cannot approve their own push (GitHub) / committers cannot approve (GitLab). */
  requireLastPushApproval: Setting<boolean>;
  /** The author cannot approve their own change (GitLab `merge_requests_author_approval: false`; always true on GitHub). */
  preventAuthorApproval: Setting<boolean>;
  requiredStatusChecks: Setting<string[]>;
  /** Branch must be up to date before merging (GitHub strict checks) / pipelines must succeed (GitLab). */
  requireUpToDate: Setting<boolean>;
  /** Rules apply to administrators too (no bypass actors / no admin push). */
  enforceAdmins: Setting<boolean>;
  requireSignedCommits: Setting<boolean>;
  requireLinearHistory: Setting<boolean>;
}

/**
 * A rule that protects tags: a GitHub ruleset targeting tags, or a GitLab protected tag. SLSA's
 * Source track asks that release tags cannot be moved or deleted.
 */
export interface TagProtection {
  /** 'github-ruleset' | 'gitlab-protected-tag'. */
  source: string;
  /** The ruleset's name, or the protected tag's name pattern. */
  name: string;
  /**
   * Tag patterns covered, as the platform writes them: GitHub ruleset conditions (`refs/tags/v*`,
   * `~ALL`; fnmatch-style), GitLab protected tag names (`v*`; `*` is the only wildcard).
   */
  include: string[];
  exclude: string[];
  /** Enforced now (a GitHub ruleset in 'evaluate' or 'disabled' mode is not). */
  enforced: boolean;
  /** Moving an existing tag is blocked (GitHub `update` rule — `non_fast_forward` alone still lets a tag move forward; GitLab: always). */
  updateBlocked: Setting<boolean>;
  /** Deleting a tag is blocked (GitHub `deletion` rule; GitLab: only through the UI/API by those allowed to create it). */
  deletionBlocked: Setting<boolean>;
  /** Creating matching tags is restricted to some roles (GitHub `creation` rule; GitLab create access levels). */
  creationRestricted: Setting<boolean>;
  /** How many actors may bypass the rule (GitHub; visible to ruleset editors only). */
  bypassActors?: Setting<number>;
}

/** Security settings of the repository's owner: a GitHub organization or user, a GitLab group. */
export interface OwnerSettings {
  kind: 'organization' | 'user' | 'group';
  /** Login / full group path. */
  name: string;
  /** Everyone with access must use two-factor authentication (GitHub organization setting; GitLab group `require_two_factor_authentication`). */
  twoFactorRequired: Setting<boolean>;
}

export interface Actor {
  login: string;
  /** A bot / app / service account. */
  bot: boolean;
}

/** A merged pull request / merge request. */
export interface MergedChange {
  number: number;
  url?: string;
  title?: string;
  author: Actor | null;
  mergedBy: Actor | null;
  mergedAt: string;
  /** Merge commit (or squash/rebase result) on the default branch. */
  mergeCommit?: string;
  headCommit?: string;
  /** People who approved it (GitHub APPROVED reviews, GitLab approvals), excluding nobody. */
  approvers: string[];
  /** Other reviewers who reviewed without approving. */
  reviewers?: string[];
  labels: string[];
  /** CI results on the change's head commit (check runs, statuses, pipelines). */
  checks?: Array<{ name: string; conclusion: 'success' | 'failure' | 'neutral' | 'skipped' | 'pending' | 'other'; app?: string }>;
}

export interface ReleaseAsset {
  name: string;
  url?: string;
  size?: number;
  /** `sha256:<hex>` when the platform records it (GitHub since 2025). */
  digest?: string;
  /** Who uploaded it (GitHub); null when the platform does not say (GitLab links). */
  uploader: Actor | null;
}

export interface Release {
  tag: string;
  name?: string;
  createdAt?: string;
  publishedAt?: string;
  author: Actor | null;
  /** Commit or branch the release was made from. */
  target?: string;
  draft?: boolean;
  prerelease?: boolean;
  immutable?: boolean;
  assets: ReleaseAsset[];
}

/** A verified (or not) attestation for a release artifact, from the verification library. */
export interface AttestationCheck {
  /** The release/tag and artifact it is for. */
  release?: string;
  artifact: string;
  digest: string;
  /** Where it came from: 'github-attestations-api', 'release-asset', 'npm-registry', 'gitlab-attestations-api'. */
  source: string;
  predicateType?: string;
  state: 'verified' | 'signature-invalid' | 'unverifiable' | 'identity-mismatch' | 'subject-mismatch';
  buildLevel: 0 | 1 | 2 | 3;
  builder?: { id: string; trusted: boolean; reason?: string };
  sourceRepo?: string;
  sourceRef?: string;
  // How the build ran, as the signed document records it (src/verify ProvenanceEvaluation.build and
  // source.workflowPath): each present only when the provenance or its certificate says, never defaulted.
  /** The build definition it ran: workflow path (`.github/workflows/release.yml`), config path or GitLab job. */
  entryPoint?: string;
  /** The provenance's `buildType` URI. */
  buildType?: string;
  /** The certificate's Runner Environment (`.1.11`), else the provenance's; `self-hosted` when either says so. */
  runnerEnvironment?: 'github-hosted' | 'gitlab-hosted' | 'self-hosted' | (string & {});
  /**
   * User-supplied inputs with a value: workflow_dispatch inputs recorded in the provenance
   * (externalParameters.inputs, or the event payload slsa-github-generator records) that are neither
   * null nor empty — defaults the platform filled in count too. 0 when the recorded inputs are empty,
   * or for a GitHub Actions run started by `push`/`create` (no inputs exist). Absent when the document
   * does not tell (actions/attest and npm provenance of a dispatch or release run never record inputs).
   * Not counted: repository variables (`vars`), a release's body, GitLab CI variables.
   */
  externalInputs?: number;
  errors: string[];
}

export interface Webhook {
  id: string;
  /** Host only: webhook URLs can carry credentials. */
  host: string;
  active: boolean;
  hasSecret: Setting<boolean>;
  sslVerification: boolean;
  events: string[];
}

export interface WorkflowRun {
  /** `.github/workflows/x.yml`, or the GitLab pipeline's source. */
  workflow: string;
  event: string;
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | 'pending' | 'other';
  headSha: string;
  headBranch?: string;
  createdAt?: string;
}

export interface Contributor {
  login: string;
  commits: number;
  company?: string;
  organizations: string[];
}

/** CI token policy: GitHub's default GITHUB_TOKEN permissions, GitLab's job-token scope. */
export interface CiTokenPolicy {
  defaultPermissions?: Setting<'read' | 'write'>;
  canApprovePullRequests?: Setting<boolean>;
  /** GitLab: the job token may only reach allow-listed projects. */
  jobTokenScopeLimited?: Setting<boolean>;
}

/** Activity for Maintained: commits and maintainer issue activity in the last 90 days. */
export interface Activity {
  createdAt?: string;
  /** Commits on the default branch within the last 90 days (of the recent ones fetched). */
  recentCommits: number;
  /** Issues updated in the last 90 days with a comment or creation by an owner/member/collaborator. */
  maintainerIssueActivity: number;
}

export interface PlatformInfo {
  /** 'github.com', 'ghes', 'gitlab.com', 'gitlab-self-managed'. */
  kind: string;
  version?: string;
  /** GitLab: free | premium | ultimate; GitHub: null. */
  tier?: Setting<'free' | 'premium' | 'ultimate'>;
  /** The token's identity/scopes, for telling the user what to grant (never the token itself). */
  tokenScopes?: string[];
  authenticated: boolean;
}

export interface BestPractices {
  level: 'gold' | 'silver' | 'passing' | 'in_progress' | null;
  projectId?: number;
  url?: string;
}

export interface Vulnerability {
  id: string;
  aliases: string[];
  package: { ecosystem: string; name: string; version: string };
  /** Manifest/lockfile that pulls it in. */
  path: string;
  summary?: string;
}
