/**
 * REST fixtures, built from the response examples of GitHub's official OpenAPI description
 * (test/fixtures/github/openapi-examples.json, extracted by extract-examples.mjs) with the
 * scenario's values put in: real shapes, every field GitHub sends. A test validates every response
 * the fake serves against the description's schema for its route and status.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fixturePath } from './paths.js';
import type {
  AssetSpec,
  ClassicSpec,
  CommitSpec,
  HookSpec,
  ReleaseSpec,
  RepoSpec,
  Role,
  RunSpec,
  SignatureSpec,
  TagSpec,
} from './model.js';

type Json = Record<string, unknown>;

const EXAMPLES = JSON.parse(readFileSync(fixturePath('openapi-examples.json'), 'utf8')) as Record<string, unknown>;

const clone = <T>(v: T): T => structuredClone(v);
const ex = <T = Json>(name: string): T => clone(EXAMPLES[name] as T);

export const sha256 = (b: Buffer | string): string => createHash('sha256').update(b).digest('hex');

let nextId = 5000;
const idOf = new Map<string, number>();
export const userId = (login: string): number => {
  let id = idOf.get(login);
  if (id === undefined) idOf.set(login, (id = login === 'github-actions[bot]' ? 41898282 : nextId++));
  return id;
};

export function simpleUser(api: string, web: string, login: string, type: 'User' | 'Bot' | 'Organization' = 'User'): Json {
  const u = (ex<Json[]>('release-items')[0].author as Json) ?? {};
  const id = userId(login);
  const enc = encodeURIComponent(login);
  return {
    ...u,
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: `${web}/avatars/${id}`,
    url: `${api}/users/${enc}`,
    html_url: `${web}/${enc}`,
    followers_url: `${api}/users/${enc}/followers`,
    following_url: `${api}/users/${enc}/following{/other_user}`,
    gists_url: `${api}/users/${enc}/gists{/gist_id}`,
    starred_url: `${api}/users/${enc}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/users/${enc}/subscriptions`,
    organizations_url: `${api}/users/${enc}/orgs`,
    repos_url: `${api}/users/${enc}/repos`,
    events_url: `${api}/users/${enc}/events{/privacy}`,
    received_events_url: `${api}/users/${enc}/received_events`,
    type,
    site_admin: false,
  };
}

/** `GET /repos/{owner}/{repo}` (full-repository). */
export function fullRepository(api: string, web: string, r: RepoSpec, role: Role | null): Json {
  const x = ex('full-repository-default-response');
  const full = `${r.owner}/${r.name}`;
  const base = `${api}/repos/${full}`;
  for (const [k, v] of Object.entries(x)) {
    if (typeof v === 'string' && v.startsWith('https://api.github.com/repos/octocat/Hello-World'))
      x[k] = v.replace('https://api.github.com/repos/octocat/Hello-World', base);
  }
  Object.assign(x, {
    id: r.id,
    node_id: Buffer.from(`010:Repository${r.id}`).toString('base64'),
    name: r.name,
    full_name: full,
    owner: simpleUser(api, web, r.owner, r.ownerType === 'User' ? 'User' : 'Organization'),
    private: !!r.private,
    visibility: r.private ? 'private' : 'public',
    html_url: `${web}/${full}`,
    url: base,
    fork: !!r.fork,
    archived: !!r.archived,
    disabled: false,
    default_branch: r.defaultBranch,
    created_at: r.createdAt,
    updated_at: r.pushedAt,
    pushed_at: r.pushedAt,
    size: r.empty ? 0 : 108,
    language: r.empty ? null : 'TypeScript',
    license: r.license
      ? {
          key: r.license.toLowerCase(),
          name: r.license,
          spdx_id: r.license,
          url: `${api}/licenses/${r.license.toLowerCase()}`,
          node_id: 'MDc6TGljZW5zZW1pdA==',
        }
      : null,
    permissions: role
      ? { admin: role === 'admin', maintain: role === 'admin', push: role === 'admin', triage: role === 'admin', pull: true }
      : undefined,
  });
  if (!role) delete x.permissions;
  if (role !== 'admin') delete x.security_and_analysis;
  if (r.ownerType === 'User') delete x.organization;
  else x.organization = simpleUser(api, web, r.owner, 'Organization');
  delete x.parent;
  delete x.source;
  delete x.template_repository;
  return x;
}

function verification(sig: SignatureSpec | undefined): Json {
  if (!sig) return { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null };
  const block =
    sig.kind === 'ssh'
      ? '-----BEGIN SSH SIGNATURE-----\nU1NIU0lH\n-----END SSH SIGNATURE-----\n'
      : sig.kind === 'x509'
        ? '-----BEGIN SIGNED MESSAGE-----\nMIIE\n-----END SIGNED MESSAGE-----\n'
        : '-----BEGIN PGP SIGNATURE-----\n\niQIzBAABCAAdFiEE\n-----END PGP SIGNATURE-----\n';
  return {
    verified: sig.valid,
    reason: sig.reason ?? (sig.valid ? 'valid' : 'invalid'),
    signature: block,
    payload: 'object 0000\ntype commit\n',
    verified_at: sig.valid ? '2026-01-01T00:00:00Z' : null,
  };
}

/** `GET /repos/{o}/{r}/git/tags/{sha}`. */
export function gitTag(api: string, r: RepoSpec, t: TagSpec): Json {
  const x = ex('git-tag');
  const a = t.annotated!;
  return {
    ...x,
    node_id: Buffer.from(`03:Tag${a.sha}`).toString('base64'),
    tag: t.name,
    sha: a.sha,
    url: `${api}/repos/${r.owner}/${r.name}/git/tags/${a.sha}`,
    message: `Release ${t.name}\n`,
    tagger: { name: a.tagger ?? 'Maintainer', email: `${a.tagger ?? 'maintainer'}@example.org`, date: a.date },
    object: { type: 'commit', sha: t.commit, url: `${api}/repos/${r.owner}/${r.name}/git/commits/${t.commit}` },
    verification: verification(a.signature),
  };
}

/** One entry of `GET /repos/{o}/{r}/git/matching-refs/tags`. */
export function gitRef(api: string, r: RepoSpec, t: TagSpec): Json {
  const x = ex<Json[]>('git-ref-items')[0];
  const obj = t.annotated ? { type: 'tag', sha: t.annotated.sha } : { type: 'commit', sha: t.commit };
  return {
    ...x,
    ref: `refs/tags/${t.name}`,
    node_id: Buffer.from(`03:Ref${t.name}`).toString('base64'),
    url: `${api}/repos/${r.owner}/${r.name}/git/refs/tags/${t.name}`,
    object: { ...obj, url: `${api}/repos/${r.owner}/${r.name}/git/${obj.type === 'tag' ? 'tags' : 'commits'}/${obj.sha}` },
  };
}

/** One entry of `GET /repos/{o}/{r}/commits`. */
export function commitItem(api: string, web: string, r: RepoSpec, c: CommitSpec, parent?: string): Json {
  const x = ex<Json[]>('commit-items')[0];
  const base = `${api}/repos/${r.owner}/${r.name}`;
  const person = { name: c.author, email: `${c.author}@example.org`, date: c.date };
  return {
    ...x,
    url: `${base}/commits/${c.sha}`,
    sha: c.sha,
    node_id: Buffer.from(`06:Commit${c.sha}`).toString('base64'),
    html_url: `${web}/${r.owner}/${r.name}/commit/${c.sha}`,
    comments_url: `${base}/commits/${c.sha}/comments`,
    commit: {
      ...(x.commit as Json),
      url: `${base}/git/commits/${c.sha}`,
      author: person,
      committer: person,
      message: c.message ?? 'Change',
      tree: { url: `${base}/git/trees/${c.sha}`, sha: c.sha },
      comment_count: 0,
      verification: verification(c.signature),
    },
    author: simpleUser(api, web, c.author),
    committer: simpleUser(api, web, c.author),
    parents: parent ? [{ url: `${base}/commits/${parent}`, sha: parent, html_url: `${web}/${r.owner}/${r.name}/commit/${parent}` }] : [],
  };
}

export function releaseAsset(api: string, web: string, r: RepoSpec, rel: ReleaseSpec, a: AssetSpec): Json {
  const x = ex('release-asset');
  const content = Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content);
  return {
    ...x,
    url: `${api}/repos/${r.owner}/${r.name}/releases/assets/${a.id}`,
    browser_download_url: `${web}/${r.owner}/${r.name}/releases/download/${rel.tag}/${a.name}`,
    id: a.id,
    node_id: Buffer.from(`012:ReleaseAsset${a.id}`).toString('base64'),
    name: a.name,
    label: null,
    state: 'uploaded',
    content_type: 'application/octet-stream',
    size: content.length,
    digest: a.digest === null ? null : (a.digest ?? `sha256:${sha256(content)}`),
    download_count: 7,
    created_at: rel.createdAt,
    updated_at: rel.createdAt,
    uploader: simpleUser(api, web, a.uploader, a.uploaderType ?? 'User'),
  };
}

export function release(api: string, web: string, r: RepoSpec, rel: ReleaseSpec): Json {
  const x = ex<Json[]>('release-items')[0];
  const base = `${api}/repos/${r.owner}/${r.name}`;
  const out: Json = {
    ...x,
    url: `${base}/releases/${rel.id}`,
    html_url: `${web}/${r.owner}/${r.name}/releases/${rel.tag}`,
    assets_url: `${base}/releases/${rel.id}/assets`,
    upload_url: `${base.replace('api.', 'uploads.')}/releases/${rel.id}/assets{?name,label}`,
    tarball_url: `${base}/tarball/${rel.tag}`,
    zipball_url: `${base}/zipball/${rel.tag}`,
    id: rel.id,
    node_id: Buffer.from(`07:Release${rel.id}`).toString('base64'),
    tag_name: rel.tag,
    target_commitish: rel.target,
    name: rel.name ?? rel.tag,
    body: `Release ${rel.tag}`,
    draft: !!rel.draft,
    prerelease: !!rel.prerelease,
    immutable: !!rel.immutable,
    created_at: rel.createdAt,
    published_at: rel.draft ? null : rel.createdAt,
    updated_at: rel.createdAt,
    author: simpleUser(api, web, rel.author, rel.authorType ?? 'User'),
    assets: rel.assets.map((a) => releaseAsset(api, web, r, rel, a)),
  };
  delete out.discussion_url;
  return out;
}

export function workflowRun(api: string, web: string, r: RepoSpec, run: RunSpec): Json {
  const page = ex<{ workflow_runs: Json[] }>('workflow-run-paginated');
  const x = page.workflow_runs[0];
  return {
    ...x,
    id: run.id,
    name: run.path.split('/').pop(),
    node_id: Buffer.from(`011:WorkflowRun${run.id}`).toString('base64'),
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: `Run ${run.id}`,
    run_number: run.id % 1000,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    url: `${api}/repos/${r.owner}/${r.name}/actions/runs/${run.id}`,
    html_url: `${web}/${r.owner}/${r.name}/actions/runs/${run.id}`,
    created_at: run.createdAt,
    updated_at: run.createdAt,
    run_started_at: run.createdAt,
    pull_requests: [],
  };
}

export function hook(api: string, r: RepoSpec, h: HookSpec): Json {
  const x = ex<Json[]>('hook-items')[0];
  const config: Json = { url: h.url, content_type: 'json', insecure_ssl: h.insecureSsl ? '1' : '0' };
  if (h.secret) config.secret = '********';
  return {
    ...x,
    id: h.id,
    active: h.active ?? true,
    events: h.events ?? ['push'],
    config,
    url: `${api}/repos/${r.owner}/${r.name}/hooks/${h.id}`,
    test_url: `${api}/repos/${r.owner}/${r.name}/hooks/${h.id}/test`,
    ping_url: `${api}/repos/${r.owner}/${r.name}/hooks/${h.id}/pings`,
    deliveries_url: `${api}/repos/${r.owner}/${r.name}/hooks/${h.id}/deliveries`,
  };
}

export function contributor(api: string, web: string, c: { login: string; contributions: number; type?: 'User' | 'Bot' }): Json {
  const x = ex<Json[]>('contributor-items-response-if-repository-contains-content')[0];
  return { ...x, ...simpleUser(api, web, c.login, c.type ?? 'User'), contributions: c.contributions };
}

export function branch(api: string, web: string, r: RepoSpec, name: string, head: CommitSpec, isProtected: boolean): Json {
  const x = ex('branch-get');
  const base = `${api}/repos/${r.owner}/${r.name}`;
  return {
    ...x,
    name,
    commit: commitItem(api, web, r, head),
    _links: { html: `${web}/${r.owner}/${r.name}/tree/${name}`, self: `${base}/branches/${name}` },
    protected: isProtected,
    protection: { enabled: isProtected, required_status_checks: { enforcement_level: 'non_admins', contexts: [], checks: [] } },
    protection_url: `${base}/branches/${name}/protection`,
  };
}

/** `GET /repos/{o}/{r}/branches/{b}/protection` (admin). */
export function branchProtection(api: string, r: RepoSpec, name: string, c: ClassicSpec): Json {
  const x = ex('branch-protection');
  const url = `${api}/repos/${r.owner}/${r.name}/branches/${name}/protection`;
  const out: Json = {
    url,
    enforce_admins: { url: `${url}/enforce_admins`, enabled: !!c.enforceAdmins },
    required_signatures: { url: `${url}/required_signatures`, enabled: !!c.signatures },
    required_linear_history: { enabled: !!c.linearHistory },
    allow_force_pushes: { enabled: !!c.allowForcePushes },
    allow_deletions: { enabled: !!c.allowDeletions },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
  };
  if (c.statusChecks) {
    out.required_status_checks = {
      url: `${url}/required_status_checks`,
      contexts: c.statusChecks,
      contexts_url: `${url}/required_status_checks/contexts`,
      checks: c.statusChecks.map((context) => ({ context, app_id: null })),
      strict: !!c.strict,
    };
  }
  if (c.requiredApprovals !== null && c.requiredApprovals !== undefined) {
    const reviews = (x.required_pull_request_reviews as Json) ?? {};
    out.required_pull_request_reviews = {
      ...reviews,
      url: `${url}/required_pull_request_reviews`,
      dismiss_stale_reviews: !!c.dismissStale,
      require_code_owner_reviews: !!c.codeOwners,
      required_approving_review_count: c.requiredApprovals,
      require_last_push_approval: !!c.lastPushApproval,
    };
    delete (out.required_pull_request_reviews as Json).dismissal_restrictions;
    delete (out.required_pull_request_reviews as Json).bypass_pull_request_allowances;
  }
  return out;
}

/** An entry of `GET /repos/{o}/{r}/contents/{dir}`. */
export function contentItem(
  api: string,
  web: string,
  owner: string,
  repo: string,
  path: string,
  type: 'file' | 'dir',
  size: number,
  sha: string,
): Json {
  const x = ex<Json[]>('content-file-response-if-content-is-a-directory')[0];
  const name = path.split('/').pop()!;
  return {
    ...x,
    type,
    size,
    name,
    path,
    sha,
    url: `${api}/repos/${owner}/${repo}/contents/${path}?ref=main`,
    git_url: `${api}/repos/${owner}/${repo}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
    html_url: `${web}/${owner}/${repo}/${type === 'dir' ? 'tree' : 'blob'}/main/${path}`,
    download_url: type === 'file' ? `${web.replace('//', '//raw.')}/${owner}/${repo}/main/${path}` : null,
    _links: {
      self: `${api}/repos/${owner}/${repo}/contents/${path}?ref=main`,
      git: `${api}/repos/${owner}/${repo}/git/${type === 'dir' ? 'trees' : 'blobs'}/${sha}`,
      html: `${web}/${owner}/${repo}/${type === 'dir' ? 'tree' : 'blob'}/main/${path}`,
    },
  };
}

/** Error bodies exactly as GitHub sends them. */
export function error(message: string, docs: string, status: number): Json {
  return { message, documentation_url: docs, status: String(status) };
}
