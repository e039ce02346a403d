/**
 * Scenario fixtures for the fake GitLab, typed against @gitbeaker's schemas: every REST object the
 * fake serves is a gitbeaker `*Schema` (written with `satisfies` in test/fixtures/gitlab/), so
 * `tsc` checks field names and types against the client the source uses.
 */
import type {
  CommitSchema,
  IssueSchema,
  JobTokenScopeSchema,
  MemberSchema,
  MergeRequestSchema,
  PipelineSchema,
  ExpandedHookSchema,
  GroupSchema,
  ProjectLevelApprovalRuleSchema,
  ProjectLevelMergeRequestApprovalSchema,
  ProjectSchema,
  ProtectedBranchSchema,
  ProtectedTagAccessLevelSummarySchema,
  ProtectedTagSchema,
  PushRuleSchema,
  ReleaseSchema,
  RepositoryContributorSchema,
  TagSchema,
  TagSignatureSchema,
} from '@gitbeaker/core';
import type { TreeFile } from './tar.js';

export type Tier = 'free' | 'premium' | 'ultimate';

/** `Omit` for gitbeaker's schemas: they extend Record<string, unknown>, which plain Omit flattens to unknown. */
export type MappedOmit<T, K extends keyof T> = { [P in keyof T as P extends K ? never : P]: T[P] };

/** Release links in fixtures point here; the fake rewrites it to its own origin when it answers. */
export const FAKE_ORIGIN = 'http://fake-gitlab.invalid';

/**
 * The project as stored: `permissions` is computed per token by the fake, as GitLab does;
 * `license` is null when GitLab detected none (gitbeaker's type forgets the null).
 */
export type ProjectFixture = MappedOmit<ProjectSchema, 'permissions' | 'license'> & {
  license: ProjectSchema['license'] | null;
  ci_config_path?: string | null;
  ci_job_token_scope_enabled?: boolean;
};

export interface MergeRequestFixture {
  mr: MergeRequestSchema;
  /** Usernames that approved it. */
  approvedBy: string[];
  /** Status of the head pipeline (GitLab's lowercase REST value). */
  headPipeline?: string;
}

export interface PipelineFixture {
  pipeline: PipelineSchema;
  /** The pipeline ran for a tag. */
  tag: boolean;
}

/** GitLab's attestation list entry (no gitbeaker schema: gitbeaker has no attestations resource). */
export interface AttestationFixture {
  id: number;
  iid: number;
  created_at: string;
  updated_at: string;
  expire_at: string;
  project_id: number;
  build_id: number;
  status: 'success' | 'error';
  predicate_kind: 'provenance';
  predicate_type: string;
  subject_digest: string;
  /** The Sigstore bundle served at /projects/:id/attestations/:iid/download. */
  bundle: string;
}

/** A protected tag; gitbeaker's access-level summary lacks the user/group/deploy-key ids GitLab also sends. */
export type ProtectedTagFixture = MappedOmit<ProtectedTagSchema, 'create_access_levels'> & {
  create_access_levels: Array<
    ProtectedTagAccessLevelSummarySchema & { user_id?: number | null; group_id?: number | null; deploy_key_id?: number | null }
  >;
};

/**
 * A group's settings, by full path. The fake builds each group of the scenario (every namespace of
 * a project and its parents) from its projects; what is listed here overrides that.
 */
export type GroupFixture = Partial<Pick<GroupSchema, 'require_two_factor_authentication' | 'two_factor_grace_period' | 'visibility'>>;

export interface FakeProject {
  project: ProjectFixture;
  tier: Tier;
  /** The tree at the head commit (commits[0]). */
  files: Record<string, TreeFile>;
  commits: CommitSchema[];
  tags?: TagSchema[];
  /** X.509 tag signatures by tag name (GitLab reports no other kind). */
  tagSignatures?: Record<string, TagSignatureSchema>;
  protectedBranches?: ProtectedBranchSchema[];
  protectedTags?: ProtectedTagFixture[];
  approvals?: ProjectLevelMergeRequestApprovalSchema;
  approvalRules?: ProjectLevelApprovalRuleSchema[];
  /** null: Premium, but no push rule configured. */
  pushRule?: PushRuleSchema | null;
  /** gitbeaker's ProjectHookSchema names the project `projectId`; GitLab sends `project_id` (gitbeaker camelizes only on request). */
  hooks?: Array<ExpandedHookSchema & { project_id: number }>;
  jobTokenScope?: JobTokenScopeSchema;
  contributors?: RepositoryContributorSchema[];
  releases?: ReleaseSchema[];
  pipelines?: PipelineFixture[];
  mergeRequests?: MergeRequestFixture[];
  issues?: IssueSchema[];
  members?: MemberSchema[];
  /** The top-level group's plan (shown to its owners on GitLab.com). */
  namespacePlan?: string;
  attestations?: AttestationFixture[];
}

export interface FakeToken {
  token: string;
  username: string;
  /** Access level per project path (10 Guest … 50 Owner); projects not listed: no membership. */
  roles: Record<string, number>;
  /** Default ['read_api']. */
  scopes?: string[];
  admin?: boolean;
  /** A CI/CD job token (JOB-TOKEN header), valid for the projects in `roles`. */
  job?: boolean;
}

export interface FakeInstance {
  version: string;
  revision: string;
  /** EE codebase (false: Community Edition — no Premium endpoints at all). */
  enterprise: boolean;
  /** Self-managed licence plan (admins see it at /license). */
  licensePlan?: string;
  /** The GraphQL schema lacks Metadata.enterprise (GitLab < 15.6): the combined query is rejected. */
  graphqlWithoutEnterprise?: boolean;
  /** /api/graphql answers 404 (GraphQL disabled): every section falls back to REST. */
  graphqlDisabled?: boolean;
}

export interface Scenario {
  name: string;
  instance: FakeInstance;
  tokens: FakeToken[];
  projects: FakeProject[];
  /** Group settings by full path (groups not listed: no 2FA requirement, visibility from their projects). */
  groups?: Record<string, GroupFixture>;
  /** Files served outside the API (release link downloads), by absolute path on the fake. */
  downloads?: Record<string, string | Buffer>;
}
