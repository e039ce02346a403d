/** What a fake repository is made of: plain specs, from which REST fixtures and the GraphQL graph are both built. */
import type { TreeFile } from './tar.js';

export type Role = 'admin' | 'read';

export interface TokenSpec {
  role: Role;
  /** classic PATs get 404 on admin-only routes and a null classic rule in GraphQL; fine-grained get 403 / FORBIDDEN. */
  kind?: 'classic' | 'fine-grained';
  /** x-oauth-scopes of a classic token. */
  scopes?: string;
}

export interface SignatureSpec {
  kind: 'pgp' | 'ssh' | 'x509';
  valid: boolean;
  /** GitHub's reason/state: valid, invalid, unknown_key… (lower case as in REST). */
  reason?: string;
}

export interface CommitSpec {
  sha: string;
  date: string;
  author: string;
  message?: string;
  signature?: SignatureSpec;
}

export interface TagSpec {
  name: string;
  commit: string;
  /** Annotated tags have a tag object. */
  annotated?: { sha: string; date: string; tagger?: string; signature?: SignatureSpec };
}

export interface RulesetSpec {
  id: number;
  name: string;
  enforcement: 'active' | 'evaluate' | 'disabled';
  source?: { type: 'Repository' | 'Organization'; name: string };
  /** What it protects (default: branches). */
  target?: 'branch' | 'tag';
  /** ref patterns: ~DEFAULT_BRANCH, ~ALL, refs/heads/release/*, refs/tags/v* */
  include: string[];
  exclude?: string[];
  bypassActors?: number;
  rules: Array<{ type: string; parameters?: Record<string, unknown> }>;
}

export interface ClassicSpec {
  allowForcePushes?: boolean;
  allowDeletions?: boolean;
  /** null: no pull request required. */
  requiredApprovals?: number | null;
  dismissStale?: boolean;
  codeOwners?: boolean;
  lastPushApproval?: boolean;
  statusChecks?: string[] | null;
  strict?: boolean;
  enforceAdmins?: boolean;
  signatures?: boolean;
  linearHistory?: boolean;
}

export interface CheckSpec {
  name: string;
  conclusion: 'SUCCESS' | 'FAILURE' | 'NEUTRAL' | 'SKIPPED';
  app?: string;
}

export interface PullSpec {
  number: number;
  title: string;
  author: string;
  authorBot?: boolean;
  mergedBy: string;
  mergedAt: string;
  approvers: string[];
  labels?: string[];
  checks?: CheckSpec[];
  statuses?: Array<{ context: string; state: 'SUCCESS' | 'FAILURE' | 'PENDING' | 'ERROR' }>;
  headSha: string;
  mergeSha: string;
}

export interface IssueSpec {
  createdAt: string;
  authorAssociation: 'OWNER' | 'MEMBER' | 'COLLABORATOR' | 'CONTRIBUTOR' | 'NONE';
  comments?: Array<{ createdAt: string; authorAssociation: IssueSpec['authorAssociation'] }>;
}

export interface AssetSpec {
  id: number;
  name: string;
  content: Buffer | string;
  /** Default: the SHA-256 of the content; null for assets uploaded before GitHub recorded digests. */
  digest?: string | null;
  uploader: string;
  uploaderType?: 'User' | 'Bot';
}

export interface ReleaseSpec {
  id: number;
  tag: string;
  name?: string;
  target: string;
  createdAt: string;
  author: string;
  authorType?: 'User' | 'Bot';
  draft?: boolean;
  prerelease?: boolean;
  immutable?: boolean;
  assets: AssetSpec[];
}

export interface HookSpec {
  id: number;
  url: string;
  secret: boolean;
  insecureSsl?: boolean;
  active?: boolean;
  events?: string[];
}

export interface RunSpec {
  id: number;
  path: string;
  event: string;
  status: 'completed' | 'in_progress' | 'queued';
  conclusion: 'success' | 'failure' | 'cancelled' | 'skipped' | null;
  headSha: string;
  headBranch: string;
  createdAt: string;
}

export interface RepoSpec {
  owner: string;
  name: string;
  ownerType?: 'Organization' | 'User';
  /** The organization requires two-factor authentication (visible to its owners = admin tokens here). */
  ownerTwoFactor?: boolean;
  id: number;
  private?: boolean;
  archived?: boolean;
  fork?: boolean;
  /** No commits at all. */
  empty?: boolean;
  defaultBranch: string;
  createdAt: string;
  pushedAt: string;
  license?: string | null;
  /** The default branch's tree. */
  files: Record<string, TreeFile>;
  /** Default branch history, newest first (commits[0] is the head). */
  commits: CommitSpec[];
  tags?: TagSpec[];
  rulesets?: RulesetSpec[];
  /** Classic protection per branch. */
  classic?: Record<string, ClassicSpec>;
  pulls?: PullSpec[];
  issues?: IssueSpec[];
  releases?: ReleaseSpec[];
  /** Bundles the attestations API returns, by hex SHA-256 subject digest. */
  attestations?: Record<string, unknown[]>;
  hooks?: HookSpec[];
  workflowPermissions?: { default_workflow_permissions: 'read' | 'write'; can_approve_pull_request_reviews: boolean };
  workflowRuns?: RunSpec[];
  contributors?: Array<{ login: string; contributions: number; type?: 'User' | 'Bot' }>;
}

export interface Scenario {
  name: string;
  repos: RepoSpec[];
  tokens: Record<string, TokenSpec>;
  users?: Record<string, { company?: string; organizations?: string[] }>;
}
