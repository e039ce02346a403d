/**
 * GraphQL for the fake: every query is validated and EXECUTED by graphql-js against GitHub's real
 * schema (@octokit/graphql-schema), with resolvers over the scenario's repositories. Admin-only
 * fields answer FORBIDDEN (fine-grained tokens) or null (classic tokens) to readers, as GitHub does;
 * unknown repositories answer NOT_FOUND with `data.<alias>: null`.
 */
import {
  buildClientSchema,
  execute,
  getNamedType,
  GraphQLError,
  parse,
  validate,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  type IntrospectionQuery,
} from 'graphql';
import { schema as ghSchema } from '@octokit/graphql-schema';
import type { CommitSpec, RepoSpec, Role, Scenario, TokenSpec } from './model.js';
import { rulesForBranch } from './rules.js';
import type { TreeFile } from './tar.js';

let cached: GraphQLSchema | undefined;
export function githubSchema(): GraphQLSchema {
  cached ??= buildClientSchema(ghSchema.json as unknown as IntrospectionQuery);
  return cached;
}

export interface Viewer {
  token?: string;
  spec?: TokenSpec;
}

interface Ctx {
  viewer: Viewer;
  find: (owner: string, name: string) => RepoSpec | undefined;
  users: NonNullable<Scenario['users']>;
  web: string;
}

/** A value only admins may read. */
class AdminOnly {
  constructor(readonly value: unknown) {}
}

function forbidden(): GraphQLError {
  return new GraphQLError('Resource not accessible by personal access token', { extensions: { type: 'FORBIDDEN' } });
}

function connection(items: unknown[], args: Record<string, unknown>) {
  let list = items;
  if (Array.isArray(args.states) && list.every((x) => x && typeof x === 'object' && 'state' in (x as object))) {
    list = list.filter((x) => (args.states as string[]).includes((x as { state: string }).state));
  }
  const start = typeof args.after === 'string' ? Number(Buffer.from(args.after, 'base64').toString().split(':')[1]) + 1 : 0;
  let page = list.slice(start);
  if (typeof args.first === 'number') page = page.slice(0, args.first);
  if (typeof args.last === 'number') page = page.slice(Math.max(0, page.length - args.last));
  const cursor = (i: number) => Buffer.from(`cursor:${start + i}`).toString('base64');
  return {
    totalCount: list.length,
    nodes: page,
    edges: page.map((node, i) => ({ node, cursor: cursor(i) })),
    pageInfo: {
      hasNextPage: start + page.length < list.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursor(0) : null,
      endCursor: page.length ? cursor(page.length - 1) : null,
    },
  };
}

const fieldResolver: GraphQLFieldResolver<unknown, Ctx> = (source, args, ctx, info) => {
  let v = source && typeof source === 'object' ? (source as Record<string, unknown>)[info.fieldName] : undefined;
  if (typeof v === 'function') v = (v as (a: unknown, c: Ctx) => unknown)(args, ctx);
  if (v instanceof AdminOnly) {
    if (ctx.viewer.spec?.role !== 'admin') {
      if (ctx.viewer.spec?.kind === 'classic') return null;
      throw forbidden();
    }
    v = v.value;
  }
  if (Array.isArray(v) && getNamedType(info.returnType).name.endsWith('Connection')) return connection(v, args as Record<string, unknown>);
  return v ?? null;
};

function signature(s: CommitSpec['signature']) {
  if (!s) return null;
  return {
    __typename: s.kind === 'ssh' ? 'SshSignature' : s.kind === 'x509' ? 'SmimeSignature' : 'GpgSignature',
    isValid: s.valid,
    state: (s.reason ?? (s.valid ? 'valid' : 'invalid')).toUpperCase(),
    email: 'dev@example.org',
    payload: '',
    signature: '',
    signer: null,
    verifiedAt: null,
    wasSignedByGitHub: false,
  };
}

function classicOf(r: RepoSpec, branch: string) {
  const c = r.classic?.[branch];
  if (!c) return { admin: null, reader: null };
  const contexts = c.statusChecks ?? null;
  const admin = {
    pattern: branch,
    allowsDeletions: !!c.allowDeletions,
    allowsForcePushes: !!c.allowForcePushes,
    blocksCreations: false,
    dismissesStaleReviews: !!c.dismissStale,
    isAdminEnforced: !!c.enforceAdmins,
    requireLastPushApproval: !!c.lastPushApproval,
    requiredApprovingReviewCount: c.requiredApprovals ?? null,
    requiresApprovingReviews: c.requiredApprovals !== null && c.requiredApprovals !== undefined,
    requiresCodeOwnerReviews: !!c.codeOwners,
    requiresCommitSignatures: !!c.signatures,
    requiresLinearHistory: !!c.linearHistory,
    requiresStatusChecks: !!contexts,
    requiresStrictStatusChecks: !!c.strict,
    requiredStatusCheckContexts: contexts ?? [],
  };
  const reader = {
    pattern: branch,
    allowsDeletions: !!c.allowDeletions,
    allowsForcePushes: !!c.allowForcePushes,
    blocksCreations: false,
    requiredApprovingReviewCount: c.requiredApprovals ?? null,
    requiredStatusCheckContexts: contexts,
    requiresCodeOwnerReviews: !!c.codeOwners,
    requiresConversationResolution: false,
    requiresLinearHistory: !!c.linearHistory,
    requiresSignatures: !!c.signatures,
    viewerAllowedToDismissReviews: false,
    viewerCanPush: false,
  };
  return { admin, reader };
}

function userNode(login: string, ctx: Ctx) {
  const u = ctx.users[login];
  return { __typename: 'User', login, company: u?.company ?? null, organizations: (u?.organizations ?? []).map((o) => ({ login: o })) };
}

/** Ref.rules: rules-for-branch in GraphQL's shape. */
function gqlRules(r: RepoSpec, branch: string) {
  return rulesForBranch(r, branch).map((rule) => {
    const p = (rule.parameters ?? {}) as Record<string, unknown>;
    let parameters: Record<string, unknown> | null = null;
    if (rule.type === 'pull_request') {
      parameters = {
        __typename: 'PullRequestParameters',
        allowedMergeMethods: null,
        requiredApprovingReviewCount: p.required_approving_review_count ?? 0,
        dismissStaleReviewsOnPush: !!p.dismiss_stale_reviews_on_push,
        requireCodeOwnerReview: !!p.require_code_owner_review,
        requireLastPushApproval: !!p.require_last_push_approval,
        requiredReviewThreadResolution: !!p.required_review_thread_resolution,
      };
    } else if (rule.type === 'required_status_checks') {
      parameters = {
        __typename: 'RequiredStatusChecksParameters',
        doNotEnforceOnCreate: false,
        strictRequiredStatusChecksPolicy: !!p.strict_required_status_checks_policy,
        requiredStatusChecks: ((p.required_status_checks as Array<{ context: string }>) ?? []).map((c) => ({
          context: c.context,
          integrationId: null,
        })),
      };
    }
    return {
      id: `RR_${rule.ruleset_id}_${rule.type}`,
      type: String(rule.type).toUpperCase(),
      parameters,
      repositoryRuleset: { databaseId: rule.ruleset_id },
    };
  });
}

function commitNode(r: RepoSpec, web: string, index: number): Record<string, unknown> {
  const c = r.commits[index];
  return {
    __typename: 'Commit',
    id: `C_${c.sha}`,
    oid: c.sha,
    abbreviatedOid: c.sha.slice(0, 7),
    committedDate: c.date,
    authoredDate: c.date,
    message: c.message ?? 'Change',
    url: `${web}/${r.owner}/${r.name}/commit/${c.sha}`,
    author: { name: c.author, email: `${c.author}@example.org`, date: c.date, user: (_a: unknown, ctx: Ctx) => userNode(c.author, ctx) },
    signature: signature(c.signature),
    history: () => r.commits.slice(index).map((_x, i) => commitNode(r, web, index + i)),
  };
}

function commitBySha(r: RepoSpec, web: string, sha: string): Record<string, unknown> {
  const i = r.commits.findIndex((c) => c.sha === sha);
  if (i >= 0) return commitNode(r, web, i);
  return {
    __typename: 'Commit',
    id: `C_${sha}`,
    oid: sha,
    abbreviatedOid: sha.slice(0, 7),
    committedDate: '2026-01-01T00:00:00Z',
    signature: null,
    history: [],
  };
}

function refNode(r: RepoSpec, web: string, branch: string) {
  const { admin, reader } = classicOf(r, branch);
  return {
    __typename: 'Ref',
    id: `REF_${branch}`,
    name: branch,
    prefix: 'refs/heads/',
    target: r.commits.length ? commitNode(r, web, 0) : null,
    refUpdateRule: reader,
    branchProtectionRule: new AdminOnly(admin),
    rules: gqlRules(r, branch),
  };
}

function treeObject(files: Record<string, TreeFile>, dir: string): unknown {
  const prefix = dir ? `${dir}/` : '';
  const names = new Map<string, 'blob' | 'tree'>();
  for (const p of Object.keys(files)) {
    if (!p.startsWith(prefix)) continue;
    const rest = p.slice(prefix.length);
    const slash = rest.indexOf('/');
    names.set(slash < 0 ? rest : rest.slice(0, slash), slash < 0 ? 'blob' : 'tree');
  }
  if (dir && names.size === 0) return blobObject(files, dir);
  return {
    __typename: 'Tree',
    oid: 'f'.repeat(40),
    entries: [...names].map(([name, type]) => ({
      name,
      type,
      path: `${prefix}${name}`,
      object: type === 'blob' ? blobObject(files, `${prefix}${name}`) : { __typename: 'Tree', oid: 'e'.repeat(40), entries: [] },
    })),
  };
}

function blobObject(files: Record<string, TreeFile>, path: string): unknown {
  const f = files[path];
  if (f === undefined) return null;
  const data = typeof f === 'string' ? Buffer.from(f) : Buffer.isBuffer(f) ? f : Buffer.from(f.symlink);
  const binary = data.includes(0);
  return {
    __typename: 'Blob',
    oid: 'd'.repeat(40),
    byteSize: data.length,
    isBinary: binary,
    isTruncated: false,
    text: binary ? null : data.toString('utf8'),
  };
}

function repositoryNode(r: RepoSpec, role: Role | null, web: string): Record<string, unknown> {
  const full = `${r.owner}/${r.name}`;
  const policy = Object.keys(r.files).find((p) => /^(\.github\/|docs\/)?security\.(md|markdown|adoc|rst)$/i.test(p));
  return {
    __typename: 'Repository',
    id: `R_${r.id}`,
    databaseId: r.id,
    name: r.name,
    nameWithOwner: full,
    url: `${web}/${full}`,
    isArchived: !!r.archived,
    archivedAt: r.archived ? r.pushedAt : null,
    isFork: !!r.fork,
    isEmpty: !!r.empty,
    isPrivate: !!r.private,
    visibility: r.private ? 'PRIVATE' : 'PUBLIC',
    createdAt: r.createdAt,
    pushedAt: r.pushedAt,
    viewerPermission: role === 'admin' ? 'ADMIN' : 'READ',
    isSecurityPolicyEnabled: !!policy,
    securityPolicyUrl: policy ? `${web}/${full}/security/policy` : null,
    owner: {
      __typename: r.ownerType ?? 'Organization',
      login: r.owner,
      id: `O_${r.owner}`,
      // Only owners see it; everyone else gets null, whatever the token kind (as the REST field
      // `two_factor_requirement_enabled` is null without admin:org), not an error.
      ...((r.ownerType ?? 'Organization') === 'Organization'
        ? { requiresTwoFactorAuthentication: (_a: unknown, ctx: Ctx) => (ctx.viewer.spec?.role === 'admin' ? !!r.ownerTwoFactor : null) }
        : {}),
    },
    licenseInfo: r.license ? { spdxId: r.license, name: r.license, key: r.license.toLowerCase() } : null,
    defaultBranchRef: r.empty ? null : refNode(r, web, r.defaultBranch),
    ref: ({ qualifiedName }: { qualifiedName: string }) => {
      const name = qualifiedName.replace(/^refs\/heads\//, '');
      return r.empty ? null : refNode(r, web, name);
    },
    releases: (r.releases ?? []).map((rel) => ({ __typename: 'Release', tagName: rel.tag, isDraft: !!rel.draft })),
    rulesets: (r.rulesets ?? []).map((s) => ({
      databaseId: s.id,
      name: s.name,
      enforcement: s.enforcement.toUpperCase(),
      target: (s.target ?? 'branch').toUpperCase(),
      rules: s.rules.map((rule) => ({ id: `RR_${s.id}_${rule.type}`, type: rule.type.toUpperCase(), parameters: null })),
      source:
        s.source?.type === 'Organization'
          ? { __typename: 'Organization', login: s.source.name }
          : { __typename: 'Repository', nameWithOwner: full },
      conditions: { refName: { include: s.include, exclude: s.exclude ?? [] } },
      bypassActors: new AdminOnly(Array.from({ length: s.bypassActors ?? 0 }, () => ({ bypassMode: 'ALWAYS', actor: null }))),
    })),
    refs: ({ refPrefix }: { refPrefix: string }) =>
      refPrefix === 'refs/tags/'
        ? (r.tags ?? []).map((t) => ({
            name: t.name,
            prefix: 'refs/tags/',
            target: t.annotated
              ? {
                  __typename: 'Tag',
                  oid: t.annotated.sha,
                  name: t.name,
                  tagger: { date: t.annotated.date, name: t.annotated.tagger ?? 'Maintainer' },
                  target: commitBySha(r, web, t.commit),
                }
              : commitBySha(r, web, t.commit),
          }))
        : [],
    pullRequests: (r.pulls ?? []).map((p) => ({
      __typename: 'PullRequest',
      state: 'MERGED',
      number: p.number,
      url: `${web}/${full}/pull/${p.number}`,
      title: p.title,
      mergedAt: p.mergedAt,
      headRefOid: p.headSha,
      author: { __typename: p.authorBot ? 'Bot' : 'User', login: p.author },
      mergedBy: { __typename: 'User', login: p.mergedBy },
      mergeCommit: { __typename: 'Commit', oid: p.mergeSha },
      labels: (p.labels ?? []).map((name) => ({ name })),
      reviews: p.approvers.map((login) => ({ state: 'APPROVED', author: { __typename: 'User', login } })),
      commits: [
        {
          commit: {
            __typename: 'Commit',
            oid: p.headSha,
            statusCheckRollup: {
              state: 'SUCCESS',
              contexts: [
                ...(p.checks ?? []).map((c) => ({
                  __typename: 'CheckRun',
                  name: c.name,
                  conclusion: c.conclusion,
                  status: 'COMPLETED',
                  checkSuite: { app: c.app ? { slug: c.app } : null },
                })),
                ...(p.statuses ?? []).map((s) => ({ __typename: 'StatusContext', context: s.context, state: s.state })),
              ],
            },
          },
        },
      ],
    })),
    issues: (r.issues ?? []).map((i) => ({ createdAt: i.createdAt, authorAssociation: i.authorAssociation, comments: i.comments ?? [] })),
    object: ({ expression }: { expression: string }) => {
      const m = /^(HEAD|[\w./-]+):(.*)$/.exec(expression);
      if (!m || r.empty) return null;
      return treeObject(r.files, m[2].replace(/\/$/, ''));
    },
  };
}

export interface GraphqlAnswer {
  status: number;
  body: unknown;
  /** The operation name, for the request log. */
  operation?: string;
}

/** Executes a GraphQL request for a viewer; answers like api.github.com/graphql. */
export function answerGraphql(
  reqBody: unknown,
  ctx: Omit<Ctx, 'viewer'>,
  viewer: Viewer,
  roleFor: (r: RepoSpec) => Role | null,
): GraphqlAnswer {
  const b = reqBody as { query?: unknown; variables?: Record<string, unknown>; operationName?: string };
  if (!b || typeof b.query !== 'string')
    return { status: 400, body: { message: 'Problems parsing JSON', documentation_url: 'https://docs.github.com/graphql' } };
  let doc;
  try {
    doc = parse(b.query);
  } catch (err) {
    return { status: 200, body: { errors: [{ message: (err as Error).message }] } };
  }
  const operation = doc.definitions.find((d) => d.kind === 'OperationDefinition')?.name?.value;
  const schema = githubSchema();
  const errs = validate(schema, doc);
  if (errs.length) return { status: 200, operation, body: { errors: errs.map((e) => ({ message: e.message, locations: e.locations })) } };
  const root = {
    repository: ({ owner, name }: { owner: string; name: string }, c: Ctx) => {
      const r = c.find(owner, name);
      const role = r ? roleFor(r) : null;
      if (!r || (r.private && !role)) {
        throw new GraphQLError(`Could not resolve to a Repository with the name '${owner}/${name}'.`, {
          extensions: { type: 'NOT_FOUND' },
        });
      }
      return repositoryNode(r, role, c.web);
    },
    user: ({ login }: { login: string }, c: Ctx) => {
      const u = c.users[login];
      if (!u) throw new GraphQLError(`Could not resolve to a User with the login of '${login}'.`, { extensions: { type: 'NOT_FOUND' } });
      return { login, company: u.company ?? null, organizations: (u.organizations ?? []).map((o) => ({ login: o })) };
    },
    rateLimit: { cost: 1, remaining: 4999, resetAt: new Date(Date.now() + 3600_000).toISOString(), limit: 5000, used: 1, nodeCount: 1 },
  };
  const result = execute({
    schema,
    document: doc,
    rootValue: root,
    contextValue: { ...ctx, viewer },
    variableValues: b.variables ?? {},
    fieldResolver,
  });
  if (result instanceof Promise) throw new Error('resolvers are synchronous');
  const body: Record<string, unknown> = { data: result.data ?? null };
  if (result.errors?.length) {
    // GitHub's error shape: type, path, locations, message (no `extensions`).
    body.errors = result.errors.map((e) => ({
      ...(e.extensions?.type ? { type: e.extensions.type } : {}),
      path: e.path,
      locations: e.locations,
      message: e.message,
    }));
  }
  return { status: 200, operation, body };
}
