/**
 * The facts a check can ask for, by name. Platform-neutral: a GitHub, GitLab or local source
 * answers the same names. Third-party code may add facts by augmenting this interface.
 */
import type { ActionMeta, Workflow } from '../parsers/github-workflow.js';
import type { Dockerfile } from '../parsers/dockerfile.js';
import type { GitlabCi } from '../parsers/gitlab-ci.js';
import type { BinaryFile, CommitInfo, FileEntry, ParseIssue, RepositoryInfo, TagInfo } from './model.js';
import type {
  Activity,
  AttestationCheck,
  BestPractices,
  BranchProtection,
  OwnerSettings,
  TagProtection,
  CiTokenPolicy,
  Contributor,
  MergedChange,
  PlatformInfo,
  Release,
  Vulnerability,
  Webhook,
  WorkflowRun,
} from './platform.js';
import type { LicenseFile, SecurityPolicyFile } from './providers/docs.js';
import type { FuzzSignal } from './providers/fuzzing.js';

export interface TextFile {
  path: string;
  text: string;
  /** Problems met reading it (not UTF-8, truncated…). */
  issues: ParseIssue[];
}

export interface FactTypes {
  repository: RepositoryInfo;
  /** The assessed commit (HEAD for a local checkout). */
  commit: string;
  /** Every file of the assessed tree (symlinks listed, never followed). */
  files: FileEntry[];
  /** Files whose content or extension says executable/compiled binary. */
  binaries: BinaryFile[];
  /** Shell scripts (by extension or shebang) with their text. */
  shellScripts: TextFile[];
  workflows: Workflow[];
  /** action.yml / action.yaml metadata files anywhere in the tree. */
  actions: ActionMeta[];
  /** The GitLab CI configuration with local includes resolved; null when the repo has none. */
  gitlabCi: GitlabCi | null;
  dockerfiles: Dockerfile[];
  tags: TagInfo[];
  /** Recent commits on the assessed branch (newest first). */
  recentCommits: CommitInfo[];
  /** Security policy files in the repository (SECURITY.md and Scorecard's variants), best first, with their text. */
  securityPolicies: SecurityPolicyFile[];
  /** The policy in the owner's `.github` repository (GitHub's organisation-wide default); null when it has none. */
  orgSecurityPolicy: SecurityPolicyFile | null;
  /** License files (top level and LICENSES/), best first, with the license recognised in each. */
  licenseFiles: LicenseFile[];
  /** Fuzzing harnesses, property-based tests and fuzzing set-ups found in the tree. */
  fuzzHarnesses: FuzzSignal[];

  // ── Platform facts (GitHub / GitLab APIs; unknown offline). Shapes in ./platform.ts. ──
  /** Which platform/instance answered, its tier and what the token can do. */
  platform: PlatformInfo;
  /** Protection of the default branch (first) and release branches. */
  branchProtection: BranchProtection[];
  /** Rules protecting tags (tag rulesets, protected tags); [] when the rules were readable and there are none. */
  tagProtection: TagProtection[];
  /** The owner's security settings (organization / group). */
  ownerSettings: OwnerSettings;
  /** Recently merged pull/merge requests, newest first (about 30). */
  mergedChanges: MergedChange[];
  /** Recent releases, newest first (about 10). */
  releases: Release[];
  /** Attestations/provenance found for recent release artifacts, verified offline. */
  attestations: AttestationCheck[];
  /** Recent CI runs (workflow runs / pipelines), newest first. */
  workflowRuns: WorkflowRun[];
  webhooks: Webhook[];
  contributors: Contributor[];
  ciTokenPolicy: CiTokenPolicy;
  activity: Activity;
  /** OpenSSF Best Practices badge (bestpractices.dev). */
  bestPractices: BestPractices;
  /** Known vulnerabilities in dependencies (OSV). */
  vulnerabilities: Vulnerability[];
}

export type FactName = keyof FactTypes;

/** Facts that sources answer themselves (derived facts are listed by the derived providers). */
export const SOURCE_FACT_NAMES: readonly FactName[] = [
  'repository',
  'commit',
  'files',
  'tags',
  'recentCommits',
  'orgSecurityPolicy',
  'platform',
  'branchProtection',
  'tagProtection',
  'ownerSettings',
  'mergedChanges',
  'releases',
  'attestations',
  'workflowRuns',
  'webhooks',
  'contributors',
  'ciTokenPolicy',
  'activity',
  'bestPractices',
  'vulnerabilities',
];
