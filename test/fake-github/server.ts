/**
 * A fake GitHub on 127.0.0.1: real HTTP, REST routes answered from scenario fixtures (fixtures.ts,
 * built from GitHub's OpenAPI examples) and GraphQL executed against GitHub's real schema
 * (graphql.ts). It behaves like api.github.com where the source depends on it: Link pagination,
 * x-ratelimit-* headers, ETags and 304s, 401/403/404 bodies (message + documentation_url), per-token
 * visibility (admin / read / none), the tarball and asset redirects; plus latency and fault injection
 * (5xx then success, hanging responses, truncated JSON, secondary rate limits, GraphQL partial
 * errors, bodies that echo the Authorization header, random failures from a seeded RNG).
 * It stops by itself: the server is unref'd and closes after `lifetimeMs`.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { answerGraphql, type Viewer } from './graphql.js';
import * as fx from './fixtures.js';
import type { RepoSpec, Role, Scenario, TokenSpec } from './model.js';
import { rulesForBranch } from './rules.js';
import { makeTarball } from './tar.js';

export interface Fault {
  /** Which requests: 'graphql', a substring of "METHOD /path?query", or a RegExp over it. */
  match: string | RegExp;
  kind: 'status' | 'hang' | 'truncate' | 'secondary-rate-limit' | 'graphql-errors' | 'echo-auth' | 'reset';
  status?: number;
  /** How many matching requests it hits (default 1; Infinity for all). */
  times?: number;
  /** secondary-rate-limit: seconds in `retry-after`. */
  retryAfter?: number;
  /** graphql-errors: values nulled in `data`, each with an error. */
  errors?: Array<{ path: Array<string | number>; type?: string; message?: string }>;
}

export interface FakeGitHubOptions {
  scenarios: Scenario[];
  latencyMs?: number;
  faults?: Fault[];
  /** Probability that any request fails with a 502 (seeded, reproducible). */
  failureRate?: number;
  seed?: number;
  /** The server closes itself after this long (default 120 s). */
  lifetimeMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
  /** OpenAPI route template, e.g. GET /repos/{owner}/{repo}/releases. */
  route?: string;
  graphqlOp?: string;
  contentType?: string;
  /** Parsed JSON response body (for fixture validation). */
  json?: unknown;
  /** Raw request body (GraphQL documents). */
  requestBody?: string;
}

export interface FakeGitHub {
  url: string;
  graphqlUrl: string;
  requests: LoggedRequest[];
  /** The GitHub API routes it serves ("GET /repos/{owner}/{repo}/releases"…). */
  routes: string[];
  close(): Promise<void>;
}

const DOCS = 'https://docs.github.com/rest';

interface Ctx {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  body: unknown;
  viewer: Viewer;
  api: string;
  web: string;
}

type Result =
  | { status: number; json: unknown; headers?: Record<string, string>; paginate?: boolean }
  | { status: number; raw: Buffer | string; contentType: string; headers?: Record<string, string> }
  | { status: number; redirect: string };

interface Route {
  method: string;
  template: string;
  re: RegExp;
  keys: string[];
  handler: (c: Ctx) => Result;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startFakeGitHub(opts: FakeGitHubOptions): Promise<FakeGitHub> {
  const repos: RepoSpec[] = opts.scenarios.flatMap((s) => s.repos);
  const tokens: Record<string, TokenSpec> = Object.assign({}, ...opts.scenarios.map((s) => s.tokens));
  const users = Object.assign({}, ...opts.scenarios.map((s) => s.users ?? {}));
  const faults = (opts.faults ?? []).map((f) => ({ ...f, left: f.times ?? 1 }));
  const rng = mulberry32(opts.seed ?? 42);
  const log: LoggedRequest[] = [];
  const remaining = new Map<string, number>();
  const tarballs = new Map<string, Buffer>();
  const sockets = new Set<Socket>();
  let api = '';
  let web = '';

  const find = (owner: string, name: string) =>
    repos.find((r) => r.owner.toLowerCase() === owner.toLowerCase() && r.name.toLowerCase() === name.toLowerCase());
  const roleFor =
    (v: Viewer) =>
    (_r: RepoSpec): Role | null =>
      v.spec?.role ?? null;
  const visible = (v: Viewer, r: RepoSpec) => !r.private || !!v.spec;
  const notFound = (doc = DOCS): Result => ({ status: 404, json: fx.error('Not Found', doc, 404) });
  const adminOnly = (c: Ctx, doc: string): Result | undefined => {
    if (c.viewer.spec?.role === 'admin') return undefined;
    if (c.viewer.spec?.kind === 'fine-grained')
      return { status: 403, json: fx.error('Resource not accessible by personal access token', doc, 403) };
    return notFound(doc);
  };
  const repoOf = (c: Ctx): RepoSpec | undefined => {
    const r = find(c.params.owner, c.params.repo);
    return r && visible(c.viewer, r) ? r : undefined;
  };
  const emptyRepo: Result = { status: 409, json: fx.error('Git Repository is empty.', `${DOCS}/commits/commits#list-commits`, 409) };

  const routes: Route[] = [];
  const add = (method: string, template: string, handler: (c: Ctx) => Result) => {
    const keys: string[] = [];
    const re = new RegExp(
      `^${template
        .replace(/[.]/g, '\\.')
        .replace(/\{(\w+)\}/g, (_m, k: string) => {
          keys.push(k);
          return k === 'path' || k === 'branch' ? '(.*)' : '([^/]+)';
        })
        // GET …/contents is the root directory, as …/contents/ is.
        .replace('/(.*)', '(?:/(.*))?')}$`,
    );
    routes.push({ method, template, re, keys, handler });
  };

  add('GET', '/repos/{owner}/{repo}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound(`${DOCS}/repos/repos#get-a-repository`);
    return { status: 200, json: fx.fullRepository(api, web, r, c.viewer.spec?.role ?? null) };
  });
  add('GET', '/repos/{owner}/{repo}/commits/{ref}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    if (r.empty) return emptyRepo;
    const ref = c.params.ref;
    const commit = ref === r.defaultBranch ? r.commits[0] : r.commits.find((x) => x.sha === ref);
    if (!commit) return { status: 422, json: fx.error(`No commit found for SHA: ${ref}`, `${DOCS}/commits/commits#get-a-commit`, 422) };
    if ((c.req.headers.accept ?? '').includes('vnd.github.sha'))
      return { status: 200, raw: commit.sha, contentType: 'application/vnd.github.sha; charset=utf-8' };
    return { status: 200, json: fx.commitItem(api, web, r, commit) };
  });
  add('GET', '/repos/{owner}/{repo}/commits', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    if (r.empty) return emptyRepo;
    return { status: 200, json: r.commits.map((x, i) => fx.commitItem(api, web, r, x, r.commits[i + 1]?.sha)), paginate: true };
  });
  add('GET', '/repos/{owner}/{repo}/tarball/{ref}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    if (r.empty) return notFound();
    return { status: 302, redirect: `${web}/_codeload/${r.owner}/${r.name}/legacy.tar.gz/${c.params.ref}` };
  });
  add('GET', '/_codeload/{owner}/{repo}/legacy.tar.gz/{ref}', (c) => {
    const r = find(c.params.owner, c.params.repo);
    if (!r) return notFound();
    const key = `${r.owner}/${r.name}@${c.params.ref}`;
    let tgz = tarballs.get(key);
    if (!tgz)
      tarballs.set(
        key,
        (tgz = makeTarball(`${r.owner}-${r.name}-${c.params.ref.slice(0, 7)}`, r.commits[0]?.sha ?? c.params.ref, r.files)),
      );
    return {
      status: 200,
      raw: tgz,
      contentType: 'application/x-gzip',
      headers: { 'content-disposition': `attachment; filename=${r.owner}-${r.name}.tar.gz` },
    };
  });
  add('GET', '/repos/{owner}/{repo}/rules/branches/{branch}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    return { status: 200, json: rulesForBranch(r, decodeURIComponent(c.params.branch)), paginate: true };
  });
  add('GET', '/repos/{owner}/{repo}/branches/{branch}/protection', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const doc = `${DOCS}/branches/branch-protection#get-branch-protection`;
    const denied = adminOnly(c, doc);
    if (denied) return denied;
    const cl = r.classic?.[decodeURIComponent(c.params.branch)];
    if (!cl) return { status: 404, json: fx.error('Branch not protected', doc, 404) };
    return { status: 200, json: fx.branchProtection(api, r, decodeURIComponent(c.params.branch), cl) };
  });
  add('GET', '/repos/{owner}/{repo}/branches/{branch}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const b = decodeURIComponent(c.params.branch);
    if (r.empty) return { status: 404, json: fx.error('Branch not found', `${DOCS}/branches/branches#get-a-branch`, 404) };
    const isProtected = !!r.classic?.[b] || rulesForBranch(r, b).length > 0;
    return { status: 200, json: fx.branch(api, web, r, b, r.commits[0], isProtected) };
  });
  add('GET', '/repos/{owner}/{repo}/releases', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    return { status: 200, json: (r.releases ?? []).map((x) => fx.release(api, web, r, x)), paginate: true };
  });
  add('GET', '/repos/{owner}/{repo}/releases/assets/{asset_id}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    for (const rel of r.releases ?? []) {
      const a = rel.assets.find((x) => String(x.id) === c.params.asset_id);
      if (!a) continue;
      if ((c.req.headers.accept ?? '').includes('application/octet-stream'))
        return { status: 302, redirect: `${web}/_objects/${r.owner}/${r.name}/${a.id}` };
      return { status: 200, json: fx.releaseAsset(api, web, r, rel, a) };
    }
    return notFound();
  });
  add('GET', '/_objects/{owner}/{repo}/{asset_id}', (c) => {
    const r = find(c.params.owner, c.params.repo);
    const a = r?.releases?.flatMap((x) => x.assets).find((x) => String(x.id) === c.params.asset_id);
    if (!a) return notFound();
    return { status: 200, raw: Buffer.isBuffer(a.content) ? a.content : Buffer.from(a.content), contentType: 'application/octet-stream' };
  });
  add('GET', '/repos/{owner}/{repo}/git/tags/{tag_sha}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const t = (r.tags ?? []).find((x) => x.annotated?.sha === c.params.tag_sha);
    if (!t) return notFound(`${DOCS}/git/tags#get-a-tag`);
    return { status: 200, json: fx.gitTag(api, r, t) };
  });
  add('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    if (r.empty) return emptyRepo;
    const tags = c.params.ref === 'tags' ? [...(r.tags ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1)) : [];
    return { status: 200, json: tags.map((t) => fx.gitRef(api, r, t)), paginate: true };
  });
  const bulk = (c: Ctx): Result => {
    const owner = c.params.org ?? c.params.username;
    const digests = ((c.body as { subject_digests?: string[] })?.subject_digests ?? []).slice(0, 1024);
    const out: Record<string, unknown[] | null> = {};
    for (const d of digests) {
      const hex = d.replace(/^sha256:/, '');
      const list = repos
        .filter((r) => r.owner.toLowerCase() === owner.toLowerCase() && visible(c.viewer, r))
        .flatMap((r) =>
          (r.attestations?.[hex] ?? []).map((bundle) => ({ bundle, repository_id: r.id, bundle_url: `${web}/_bundles/${r.id}/${hex}` })),
        );
      out[d] = list.length ? list : null;
    }
    return { status: 200, json: { attestations_subject_digests: out, page_info: { has_next: false, has_previous: false } } };
  };
  add('POST', '/orgs/{org}/attestations/bulk-list', bulk);
  add('POST', '/users/{username}/attestations/bulk-list', bulk);
  add('GET', '/repos/{owner}/{repo}/attestations/{subject_digest}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const hex = decodeURIComponent(c.params.subject_digest).replace(/^sha256:/, '');
    const list = r.attestations?.[hex] ?? [];
    if (list.length === 0) return notFound(`${DOCS}/repos/repos#list-attestations`);
    return {
      status: 200,
      json: { attestations: list.map((bundle) => ({ bundle, repository_id: r.id, bundle_url: `${web}/_bundles/${r.id}/${hex}` })) },
    };
  });
  add('GET', '/repos/{owner}/{repo}/actions/runs', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const runs = (r.workflowRuns ?? []).map((x) => fx.workflowRun(api, web, r, x));
    return { status: 200, json: { total_count: runs.length, workflow_runs: runs } };
  });
  add('GET', '/repos/{owner}/{repo}/hooks', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const denied = adminOnly(c, `${DOCS}/webhooks/repos#list-repository-webhooks`);
    if (denied) return denied;
    return { status: 200, json: (r.hooks ?? []).map((h) => fx.hook(api, r, h)), paginate: true };
  });
  add('GET', '/repos/{owner}/{repo}/actions/permissions/workflow', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    const denied = adminOnly(c, `${DOCS}/actions/permissions#get-default-workflow-permissions-for-a-repository`);
    if (denied) return denied;
    return {
      status: 200,
      json: r.workflowPermissions ?? { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
    };
  });
  add('GET', '/repos/{owner}/{repo}/contributors', (c) => {
    const r = repoOf(c);
    if (!r) return notFound();
    if (r.empty) return { status: 204, raw: '', contentType: 'application/json' };
    return { status: 200, json: (r.contributors ?? []).map((x) => fx.contributor(api, web, x)), paginate: true };
  });
  add('GET', '/repos/{owner}/{repo}/contents/{path}', (c) => {
    const r = repoOf(c);
    if (!r) return notFound(`${DOCS}/repos/contents#get-repository-content`);
    const path = decodeURIComponent(c.params.path ?? '').replace(/^\/|\/$/g, '');
    const f = r.files[path];
    if (f !== undefined && typeof f === 'string') {
      if ((c.req.headers.accept ?? '').includes('raw'))
        return { status: 200, raw: f, contentType: 'application/vnd.github.raw+json; charset=utf-8' };
    }
    const prefix = path ? `${path}/` : '';
    const kids = new Map<string, 'file' | 'dir'>();
    for (const p of Object.keys(r.files)) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      const i = rest.indexOf('/');
      kids.set(i < 0 ? rest : rest.slice(0, i), i < 0 ? 'file' : 'dir');
    }
    if (kids.size === 0) return notFound(`${DOCS}/repos/contents#get-repository-content`);
    const sha = (s: string) => createHash('sha1').update(s).digest('hex');
    return {
      status: 200,
      json: [...kids].map(([name, type]) => {
        const p = `${prefix}${name}`;
        const body = r.files[p];
        return fx.contentItem(api, web, r.owner, r.name, p, type, typeof body === 'string' ? Buffer.byteLength(body) : 0, sha(p));
      }),
    };
  });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const run = () => handle(req, res, body);
      if (opts.latencyMs) setTimeout(run, opts.latencyMs);
      else run();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  function send(
    req: IncomingMessage,
    res: ServerResponse,
    entry: LoggedRequest,
    status: number,
    headers: Record<string, string>,
    payload: Buffer | string,
    fault?: string,
  ) {
    entry.status = status;
    log.push(entry);
    if (fault === 'reset') {
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(payload) + 100) });
      res.write(payload);
      setTimeout(() => res.destroy(), 5);
      return;
    }
    res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(payload)) });
    res.end(req.method === 'HEAD' ? undefined : payload);
  }

  function handle(req: IncomingMessage, res: ServerResponse, rawBody: string) {
    const url = new URL(req.url ?? '/', api);
    const method = req.method ?? 'GET';
    const key = `${method} ${url.pathname}${url.search}`;
    const isGraphql = url.pathname === '/graphql';
    const entry: LoggedRequest = {
      method,
      path: `${url.pathname}${url.search}`,
      status: 0,
      ...(isGraphql ? { requestBody: rawBody } : {}),
    };
    const auth = req.headers.authorization;
    const token = auth ? auth.replace(/^(token|bearer)\s+/i, '') : undefined;
    const viewer: Viewer = { token, spec: token ? tokens[token] : undefined };
    const bucket = token ?? `anon:${req.socket.remoteAddress}`;
    const limit = token ? 5000 : 60;
    const left = remaining.get(bucket) ?? limit;
    const rl = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, left - 1)),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-used': String(limit - left + 1),
      'x-ratelimit-resource': isGraphql ? 'graphql' : 'core',
      'x-github-request-id': `FAKE:${log.length}`,
      'x-github-api-version-selected': '2022-11-28',
      ...(viewer.spec?.kind !== 'fine-grained' && viewer.spec ? { 'x-oauth-scopes': viewer.spec.scopes ?? 'repo' } : {}),
    };
    const json = (status: number, value: unknown, extra: Record<string, string> = {}, fault?: string) => {
      let text = JSON.stringify(value);
      if (fault === 'truncate') text = text.slice(0, Math.max(1, Math.floor(text.length / 2)));
      entry.contentType = 'application/json';
      if (fault !== 'truncate') entry.json = value;
      send(req, res, entry, status, { 'content-type': 'application/json; charset=utf-8', ...rl, ...extra }, text, fault);
    };

    // Faults first (in order), then random failures.
    const fault = faults.find(
      (f) => f.left > 0 && (f.match === 'graphql' ? isGraphql : typeof f.match === 'string' ? key.includes(f.match) : f.match.test(key)),
    );
    if (fault) fault.left--;
    if (fault?.kind === 'hang') {
      entry.status = -1;
      log.push(entry);
      return; // never answers; the client's timeout must end it
    }
    if (fault?.kind === 'status')
      return json(fault.status ?? 502, { message: fault.status === 500 ? 'Server Error' : 'Bad Gateway', documentation_url: DOCS });
    if (fault?.kind === 'secondary-rate-limit') {
      return json(
        403,
        fx.error(
          'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID FAKE.',
          'https://docs.github.com/free-pro-team@latest/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
          403,
        ),
        { 'retry-after': String(fault.retryAfter ?? 1) },
      );
    }
    if (fault?.kind === 'echo-auth') {
      return json(fault.status ?? 401, fx.error(`Bad credentials: received Authorization: ${auth ?? '(none)'}`, DOCS, fault.status ?? 401));
    }
    if (!fault && opts.failureRate && rng() < opts.failureRate) return json(502, { message: 'Bad Gateway', documentation_url: DOCS });

    if (token && !viewer.spec) return json(401, fx.error('Bad credentials', DOCS, 401));
    remaining.set(bucket, left - 1);

    if (isGraphql && method === 'POST') {
      if (!viewer.spec) {
        return json(
          401,
          fx.error(
            'This endpoint requires you to be authenticated.',
            'https://docs.github.com/graphql/guides/forming-calls-with-graphql#authenticating-with-graphql',
            401,
          ),
        );
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody);
      } catch {
        return json(400, fx.error('Problems parsing JSON', 'https://docs.github.com/graphql', 400));
      }
      const a = answerGraphql(parsed, { find, users, web }, viewer, roleFor(viewer));
      entry.graphqlOp = a.operation;
      const out = a.body as { data?: Record<string, unknown> | null; errors?: unknown[] };
      if (fault?.kind === 'graphql-errors' && out.data) {
        for (const e of fault.errors ?? []) {
          let o: unknown = out.data;
          for (const seg of e.path.slice(0, -1)) o = o && typeof o === 'object' ? (o as Record<string, unknown>)[seg as string] : undefined;
          if (o && typeof o === 'object') (o as Record<string, unknown>)[e.path[e.path.length - 1] as string] = null;
          (out.errors ??= []).push({
            type: e.type ?? 'INTERNAL',
            path: e.path,
            locations: [{ line: 1, column: 1 }],
            message: e.message ?? 'Something went wrong while resolving this field.',
          });
        }
      }
      return json(a.status, out, {}, fault?.kind === 'truncate' || fault?.kind === 'reset' ? fault.kind : undefined);
    }

    for (const route of routes) {
      if (route.method !== method) continue;
      const m = route.re.exec(url.pathname);
      if (!m) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = m[i + 1]));
      let body: unknown;
      try {
        body = rawBody ? JSON.parse(rawBody) : undefined;
      } catch {
        return json(400, fx.error('Problems parsing JSON', DOCS, 400));
      }
      entry.route = `${method} ${route.template}`;
      const r = route.handler({ req, url, params, body, viewer, api, web });
      if ('redirect' in r) return send(req, res, entry, r.status, { location: r.redirect, ...rl }, '');
      if ('raw' in r) {
        entry.contentType = r.contentType;
        return send(req, res, entry, r.status, { 'content-type': r.contentType, ...rl, ...(r.headers ?? {}) }, r.raw, fault?.kind);
      }
      let value = r.json;
      const headers: Record<string, string> = { ...(r.headers ?? {}) };
      if (r.paginate && Array.isArray(value)) {
        const per = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
        const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
        const last = Math.max(1, Math.ceil(value.length / per));
        const link = (p: number, rel: string) => {
          const u = new URL(url);
          u.searchParams.set('page', String(p));
          return `<${u.toString()}>; rel="${rel}"`;
        };
        const links = [];
        if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'));
        if (page > 1) links.push(link(1, 'first'), link(page - 1, 'prev'));
        if (links.length) headers.link = links.join(', ');
        value = value.slice((page - 1) * per, page * per);
      }
      if (method === 'GET' && r.status === 200) {
        const etag = `W/"${createHash('sha256').update(JSON.stringify(value)).digest('hex')}"`;
        headers.etag = etag;
        if (req.headers['if-none-match'] === etag) {
          remaining.set(bucket, left); // authorized 304s are free
          return send(req, res, entry, 304, { ...rl, etag }, '');
        }
      }
      return json(r.status, value, headers, fault?.kind);
    }
    return json(404, fx.error('Not Found', DOCS, 404));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  api = `http://127.0.0.1:${port}`;
  web = api;
  server.unref();
  const closeAll = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  const timer = setTimeout(() => void closeAll(), opts.lifetimeMs ?? 120_000);
  timer.unref();
  return {
    url: api,
    graphqlUrl: `${api}/graphql`,
    requests: log,
    routes: routes.filter((r) => !r.template.startsWith('/_')).map((r) => `${r.method} ${r.template}`),
    close: async () => {
      clearTimeout(timer);
      await closeAll();
    },
  };
}
