/**
 * The batched GraphQL query: everything GraphQL can tell about a repository in ONE request, for one
 * repository or (aliased `r0…rN`) for a batch of them. What GraphQL cannot give stays REST:
 * release assets' digest/uploader/id (the releases list: asked for only when `releases.totalCount`
 * says there are some), tag signature verification, attestations, Actions runs and settings,
 * webhooks, contributors, and the tarball. The default branch's rules come from `Ref.rules`, the
 * GraphQL face of rules-for-branch (the same rules, with their ruleset ids).
 *
 * Cost (GitHub's formula: one per connection page, nested pages multiplied by the parent's `first`,
 * ÷100): history 1 + rulesets 1 (+50 bypassActors) + tags 1 + PRs 1 (+30×(labels+reviews+commits+
 * 30 contexts)) + issues 1 (+30 comments) ≈ 2 points per repository; nodes ≈ 4k, far under 500k.
 */

export const SIGNATURE = '__typename isValid state';

export const REPO_FRAGMENT = /* GraphQL */ `
fragment Repo on Repository {
  databaseId nameWithOwner url isArchived archivedAt isFork isEmpty isPrivate visibility createdAt pushedAt
  viewerPermission isSecurityPolicyEnabled securityPolicyUrl
  owner { __typename login ... on Organization { requiresTwoFactorAuthentication } }
  licenseInfo { spdxId }
  defaultBranchRef {
    name
    target {
      __typename oid
      ... on Commit {
        committedDate
        history(first: 30) {
          nodes { oid committedDate author { name date user { login company organizations(first: 10) { nodes { login } } } } signature { ${SIGNATURE} } }
        }
      }
    }
    refUpdateRule {
      allowsDeletions allowsForcePushes requiredApprovingReviewCount requiredStatusCheckContexts requiresCodeOwnerReviews
      requiresLinearHistory requiresSignatures
    }
    branchProtectionRule { ...Classic }
    rules(first: 100) { nodes { ...Rule } }
  }
  releases { totalCount }
  rulesets(first: 50, includeParents: true) {
    nodes {
      databaseId name enforcement target
      source { __typename ... on Repository { nameWithOwner } ... on Organization { login } }
      conditions { refName { include exclude } }
      bypassActors(first: 1) { totalCount }
      rules(first: 30) { nodes { type } }
    }
  }
  tags: refs(refPrefix: "refs/tags/", first: 10, orderBy: { field: TAG_COMMIT_DATE, direction: DESC }) {
    nodes {
      name
      target {
        __typename oid
        ... on Tag { tagger { date } target { __typename oid ... on Commit { committedDate signature { ${SIGNATURE} } } } }
        ... on Commit { committedDate signature { ${SIGNATURE} } }
      }
    }
  }
  mergedPRs: pullRequests(states: MERGED, first: 30, orderBy: { field: UPDATED_AT, direction: DESC }) {
    nodes {
      number url title mergedAt headRefOid
      author { __typename login }
      mergedBy { __typename login }
      mergeCommit { oid }
      labels(first: 10) { nodes { name } }
      reviews(states: APPROVED, first: 10) { nodes { author { __typename login } } }
      commits(last: 1) {
        nodes {
          commit {
            statusCheckRollup {
              contexts(first: 30) {
                nodes {
                  __typename
                  ... on CheckRun { name conclusion status checkSuite { app { slug } } }
                  ... on StatusContext { context state }
                }
              }
            }
          }
        }
      }
    }
  }
  issues(first: 30, orderBy: { field: UPDATED_AT, direction: DESC }, filterBy: { since: $since }) {
    nodes { createdAt authorAssociation comments(last: 20) { nodes { createdAt authorAssociation } } }
  }
}

fragment Classic on BranchProtectionRule {
  pattern allowsDeletions allowsForcePushes dismissesStaleReviews isAdminEnforced requireLastPushApproval
  requiredApprovingReviewCount requiresApprovingReviews requiresCodeOwnerReviews requiresCommitSignatures requiresLinearHistory
  requiresStatusChecks requiresStrictStatusChecks requiredStatusCheckContexts
}

fragment PolicyTree on Tree { entries { name type object { ... on Blob { byteSize isBinary isTruncated text } } } }

fragment OrgPolicy on Repository {
  url
  root: object(expression: "HEAD:") { ...PolicyTree }
  dotgithub: object(expression: "HEAD:.github") { ...PolicyTree }
  docs: object(expression: "HEAD:docs") { ...PolicyTree }
}
`;

export interface BatchRepo {
  owner: string;
  name: string;
}

/** The query for a batch: `r<i>` per repository, `o<j>` per distinct owner (its `.github` repository). */
export function repositoryBatchQuery(repos: BatchRepo[]): { query: string; variables: Record<string, string>; owners: string[] } {
  const owners = [...new Set(repos.map((r) => r.owner.toLowerCase()))];
  const ownerNames = owners.map((lc) => repos.find((r) => r.owner.toLowerCase() === lc)!.owner);
  const vars: string[] = ['$since: DateTime!'];
  const fields: string[] = [];
  const variables: Record<string, string> = {};
  repos.forEach((r, i) => {
    vars.push(`$o${i}: String!`, `$n${i}: String!`);
    variables[`o${i}`] = r.owner;
    variables[`n${i}`] = r.name;
    fields.push(`r${i}: repository(owner: $o${i}, name: $n${i}) { ...Repo }`);
  });
  ownerNames.forEach((o, j) => {
    vars.push(`$p${j}: String!`);
    variables[`p${j}`] = o;
    fields.push(`o${j}: repository(owner: $p${j}, name: ".github") { ...OrgPolicy }`);
  });
  const query = `query RepositoryFacts(${vars.join(', ')}) {\n  rateLimit { cost remaining resetAt }\n  ${fields.join('\n  ')}\n}\n${REPO_FRAGMENT}${RULE_FRAGMENT}`;
  return { query, variables, owners: ownerNames };
}

/** A rule that applies to a ref (GraphQL's view of rules-for-branch). */
export const RULE_FRAGMENT = /* GraphQL */ `
  fragment Rule on RepositoryRule {
    type
    repositoryRuleset {
      databaseId
    }
    parameters {
      __typename
      ... on PullRequestParameters {
        requiredApprovingReviewCount
        dismissStaleReviewsOnPush
        requireCodeOwnerReview
        requireLastPushApproval
        requiredReviewThreadResolution
      }
      ... on RequiredStatusChecksParameters {
        strictRequiredStatusChecksPolicy
        requiredStatusChecks {
          context
        }
      }
    }
  }
`;

export interface GqlRule {
  type: string;
  repositoryRuleset: { databaseId: number | null } | null;
  parameters: {
    __typename: string;
    requiredApprovingReviewCount?: number;
    dismissStaleReviewsOnPush?: boolean;
    requireCodeOwnerReview?: boolean;
    requireLastPushApproval?: boolean;
    requiredReviewThreadResolution?: boolean;
    strictRequiredStatusChecksPolicy?: boolean;
    requiredStatusChecks?: Array<{ context: string }>;
  } | null;
}

/** Protection of release branches other than the default one (aliased `b<i>`): classic views and rules. */
export function branchesQuery(n: number): string {
  const vars = ['$owner: String!', '$name: String!', ...Array.from({ length: n }, (_, i) => `$b${i}: String!`)];
  const refs = Array.from(
    { length: n },
    (_, i) =>
      `b${i}: ref(qualifiedName: $b${i}) { name refUpdateRule { allowsDeletions allowsForcePushes requiredApprovingReviewCount ` +
      `requiredStatusCheckContexts requiresCodeOwnerReviews requiresLinearHistory requiresSignatures } branchProtectionRule { ...Classic } ` +
      `rules(first: 50) { nodes { ...Rule } } }`,
  );
  const classic = REPO_FRAGMENT.slice(REPO_FRAGMENT.indexOf('fragment Classic'), REPO_FRAGMENT.indexOf('fragment PolicyTree'));
  return `query ReleaseBranches(${vars.join(', ')}) {\n  repository(owner: $owner, name: $name) {\n    viewerPermission\n    ${refs.join('\n    ')}\n  }\n}\n${classic}${RULE_FRAGMENT}`;
}

/** Company and public organisations of contributors (aliased `u<i>`). */
export function usersQuery(n: number): string {
  const vars = Array.from({ length: n }, (_, i) => `$u${i}: String!`);
  const users = Array.from(
    { length: n },
    (_, i) => `u${i}: user(login: $u${i}) { login company organizations(first: 10) { nodes { login } } }`,
  );
  return `query Contributors(${vars.join(', ')}) {\n  ${users.join('\n  ')}\n}\n`;
}

// ── Response shapes (what the fragments select) ──

export interface GqlSignature {
  __typename: string;
  isValid: boolean;
  state: string;
}

export interface GqlCommit {
  __typename: 'Commit';
  oid: string;
  committedDate?: string;
  signature?: GqlSignature | null;
  history?: {
    nodes: Array<{
      oid: string;
      committedDate: string;
      author: {
        name: string | null;
        date: string | null;
        user: { login: string; company?: string | null; organizations?: { nodes: Array<{ login: string } | null> | null } | null } | null;
      } | null;
      signature: GqlSignature | null;
    }>;
  };
}

export interface GqlRefUpdateRule {
  allowsDeletions: boolean;
  allowsForcePushes: boolean;
  requiredApprovingReviewCount: number | null;
  requiredStatusCheckContexts: Array<string | null> | null;
  requiresCodeOwnerReviews: boolean;
  requiresLinearHistory: boolean;
  requiresSignatures: boolean;
}

export interface GqlClassicRule {
  pattern: string;
  allowsDeletions: boolean;
  allowsForcePushes: boolean;
  dismissesStaleReviews: boolean;
  isAdminEnforced: boolean;
  requireLastPushApproval: boolean;
  requiredApprovingReviewCount: number | null;
  requiresApprovingReviews: boolean;
  requiresCodeOwnerReviews: boolean;
  requiresCommitSignatures: boolean;
  requiresLinearHistory: boolean;
  requiresStatusChecks: boolean;
  requiresStrictStatusChecks: boolean;
  requiredStatusCheckContexts: Array<string | null> | null;
}

export interface GqlRuleset {
  databaseId: number | null;
  name: string;
  enforcement: 'ACTIVE' | 'EVALUATE' | 'DISABLED';
  target: 'BRANCH' | 'TAG' | 'PUSH' | null;
  source: { __typename: string; nameWithOwner?: string; login?: string; slug?: string };
  conditions: { refName: { include: string[]; exclude: string[] } | null };
  bypassActors: { totalCount: number } | null;
  /** Rule types (tag rulesets are read from them: `update`, `deletion`, `creation`). */
  rules?: { nodes: Array<{ type: string } | null> | null } | null;
}

export interface GqlTreeEntry {
  name: string;
  type: string;
  object: { byteSize?: number; isBinary?: boolean | null; isTruncated?: boolean; text?: string | null } | null;
}

export interface GqlRepo {
  databaseId: number | null;
  nameWithOwner: string;
  url: string;
  isArchived: boolean;
  archivedAt: string | null;
  isFork: boolean;
  isEmpty: boolean;
  isPrivate: boolean;
  visibility: 'PUBLIC' | 'PRIVATE' | 'INTERNAL';
  createdAt: string;
  pushedAt: string | null;
  viewerPermission: 'ADMIN' | 'MAINTAIN' | 'WRITE' | 'TRIAGE' | 'READ' | null;
  isSecurityPolicyEnabled: boolean | null;
  securityPolicyUrl: string | null;
  /** `requiresTwoFactorAuthentication`: organizations only; null unless the viewer is an owner. */
  owner: { __typename: string; login: string; requiresTwoFactorAuthentication?: boolean | null };
  licenseInfo: { spdxId: string | null } | null;
  defaultBranchRef: {
    name: string;
    target: GqlCommit | { __typename: string; oid: string } | null;
    refUpdateRule: GqlRefUpdateRule | null;
    branchProtectionRule: GqlClassicRule | null;
    /** Rules that apply to the branch (rules-for-branch), visible to readers. */
    rules?: { nodes: Array<GqlRule | null> | null } | null;
  } | null;
  releases?: { totalCount: number } | null;
  rulesets: { nodes: Array<GqlRuleset | null> | null } | null;
  tags: {
    nodes: Array<{
      name: string;
      target: {
        __typename: string;
        oid: string;
        tagger?: { date: string | null } | null;
        target?: { __typename: string; oid: string; committedDate?: string; signature?: GqlSignature | null };
        committedDate?: string;
        signature?: GqlSignature | null;
      } | null;
    } | null> | null;
  } | null;
  mergedPRs: {
    nodes: Array<{
      number: number;
      url: string;
      title: string;
      mergedAt: string | null;
      headRefOid: string;
      author: { __typename: string; login: string } | null;
      mergedBy: { __typename: string; login: string } | null;
      mergeCommit: { oid: string } | null;
      labels: { nodes: Array<{ name: string } | null> | null } | null;
      reviews: { nodes: Array<{ author: { __typename: string; login: string } | null } | null> | null } | null;
      commits: {
        nodes: Array<{
          commit: {
            statusCheckRollup: {
              contexts: {
                nodes: Array<{
                  __typename: string;
                  name?: string;
                  conclusion?: string | null;
                  status?: string;
                  checkSuite?: { app: { slug: string } | null } | null;
                  context?: string;
                  state?: string;
                } | null> | null;
              };
            } | null;
          };
        } | null> | null;
      } | null;
    } | null> | null;
  } | null;
  issues: {
    nodes: Array<{
      createdAt: string;
      authorAssociation: string;
      comments: { nodes: Array<{ createdAt: string; authorAssociation: string } | null> | null } | null;
    } | null> | null;
  } | null;
}

export interface GqlOrgPolicyRepo {
  url: string;
  root: { entries?: GqlTreeEntry[] } | null;
  dotgithub: { entries?: GqlTreeEntry[] } | null;
  docs: { entries?: GqlTreeEntry[] } | null;
}
