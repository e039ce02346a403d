/**
 * A fake GitLab on 127.0.0.1 (port 0): real HTTP under /api/v4 and /api/graphql, serving scenario
 * fixtures the way GitLab does — per-token roles and per-project tiers decide each answer; error
 * bodies as GitLab sends them (`{"message":"401 Unauthorized"}`, `{"message":"403 Forbidden"}`,
 * `{"message":"404 Project Not Found"}`, `insufficient_scope`); offset pagination headers
 * (x-page, x-next-page, x-total, link) and keyset links for the tree; the archive as a real
 * .tar.gz; 429 with Retry-After / RateLimit-*; latency and fault injection (status, headers,
 * hanging responses); groups (GET /groups/:id, GraphQL Project.group) are built from the projects'
 * namespaces. It never keeps the process alive (unref'd) and stops after being idle.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { GroupSchema } from '@gitbeaker/core';
import { execute, FieldError, type Resolved } from './graphql.js';
import { tarGz } from './tar.js';
import { FAKE_ORIGIN, type FakeProject, type FakeToken, type MappedOmit, type Scenario } from './types.js';

export interface Fault {
  /** Matches the request path (pathname, including /api/v4) — a substring or a RegExp. */
  path: string | RegExp;
  method?: string;
  /** How many matching requests it applies to (default 1). */
  times?: number;
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (the socket stays open until close()). */
  hang?: boolean;
  /** Send the headers and the first bytes of the real answer, then stall. */
  stall?: boolean;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  /** Which credential header came with it. */
  auth: 'private-token' | 'job-token' | 'bearer' | null;
  /** The credential value (test fakes only; lets tests prove a token reached — or did not reach — the server). */
  credential?: string;
  /** GraphQL operation name, for /api/graphql. */
  operation?: string;
}

export interface FakeGitLabOptions {
  scenarios: Scenario | Scenario[];
  latencyMs?: number;
  faults?: Fault[];
  /** Stop after this long without a request (default 60 s). */
  idleMs?: number;
}

export interface FakeGitLab {
  url: string;
  requests: RecordedRequest[];
  /** Adds faults at run time. */
  faults: Fault[];
  close(): Promise<void>;
}

const GUEST = 10;
const REPORTER = 20;
const DEVELOPER = 30;
const MAINTAINER = 40;
const OWNER = 50;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(status));
  }
}

const E401 = () => new HttpError(401, { message: '401 Unauthorized' });
const E403 = () => new HttpError(403, { message: '403 Forbidden' });
const E404 = (what = 'Not') => new HttpError(404, { message: `404 ${what} Found` });

interface Ctx {
  scenario: Scenario;
  token?: FakeToken;
  authKind: RecordedRequest['auth'];
  url: URL;
  base: string;
}

export async function startFakeGitLab(opts: FakeGitLabOptions): Promise<FakeGitLab> {
  const scenarios = Array.isArray(opts.scenarios) ? opts.scenarios : [opts.scenarios];
  const requests: RecordedRequest[] = [];
  const faults = [...(opts.faults ?? [])];
  const sockets = new Set<Socket>();
  let idle: NodeJS.Timeout | undefined;
  const touch = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => void close(), opts.idleMs ?? 60_000);
    idle.unref();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    touch();
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const rec: RecordedRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.search, status: 0, auth: null };
    requests.push(rec);
    const body = await readBody(req);
    const send = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      rec.status = status;
      const isBuf = Buffer.isBuffer(payload);
      // Fixture links name FAKE_ORIGIN; they point at this server once served.
      const text = isBuf
        ? payload
        : typeof payload === 'string' && headers['content-type']?.startsWith('text/')
          ? payload
          : JSON.stringify(payload).split(FAKE_ORIGIN).join(`http://${req.headers.host}`);
      res.writeHead(status, { 'content-type': 'application/json', ...headers });
      res.end(text);
    };
    if (opts.latencyMs) await new Promise((r) => setTimeout(r, opts.latencyMs));
    let who: ReturnType<typeof identify> | undefined;
    try {
      who = identify(req, scenarios);
      rec.auth = who.authKind;
      if (who.credential) rec.credential = who.credential;
    } catch {
      /* answered below */
    }
    const fault = faults.find(
      (f) =>
        (f.times ?? 1) > 0 &&
        (!f.method || f.method === req.method) &&
        (typeof f.path === 'string' ? url.pathname.includes(f.path) : f.path.test(url.pathname)),
    );
    if (fault) {
      fault.times = (fault.times ?? 1) - 1;
      if (fault.hang) {
        rec.status = -1;
        return; // never answered
      }
      if (fault.stall) {
        rec.status = -2;
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        res.write(Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
        return; // stalls mid-body
      }
      return send(fault.status ?? 500, fault.body ?? { message: `${fault.status ?? 500} Internal Server Error` }, fault.headers);
    }
    try {
      const { scenario, token, authKind } = who ?? identify(req, scenarios);
      const ctx: Ctx = { scenario, token, authKind, url, base: `http://${req.headers.host}` };
      if (url.pathname === '/api/graphql') {
        if (scenario.instance.graphqlDisabled) throw new HttpError(404, { message: '404 Not Found' });
        const q = JSON.parse(body.toString('utf8') || '{}') as {
          query?: string;
          variables?: Record<string, unknown>;
          operationName?: string;
        };
        rec.operation = /query\s+(\w+)/.exec(q.query ?? '')?.[1];
        checkToken(ctx, true);
        return send(200, execute(q.query ?? '', q.variables ?? {}, graphqlRoot(ctx)));
      }
      if (url.pathname.startsWith('/api/v4/')) {
        checkToken(ctx, false);
        const r = await rest(ctx, req.method ?? 'GET', url.pathname.slice('/api/v4/'.length));
        return send(r.status ?? 200, r.body, r.headers);
      }
      const dl = scenario.downloads?.[url.pathname];
      if (dl !== undefined) return send(200, Buffer.isBuffer(dl) ? dl : Buffer.from(dl), { 'content-type': 'application/octet-stream' });
      throw new HttpError(404, { message: '404 Not Found' });
    } catch (e) {
      if (e instanceof HttpError) return send(e.status, e.body, e.headers);
      return send(500, { message: `500 Internal Server Error: ${(e as Error).message}` });
    }
  };

  const server: Server = createServer((req, res) => void handle(req, res));
  server.on('connection', (s) => {
    sockets.add(s);
    s.unref();
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  touch();
  const { port } = server.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  const close = () => {
    closed ??= new Promise<void>((resolve) => {
      if (idle) clearTimeout(idle);
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
    return closed;
  };
  return { url: `http://127.0.0.1:${port}`, requests, faults, close };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', () => resolve(Buffer.alloc(0)));
  });
}

function identify(
  req: IncomingMessage,
  scenarios: Scenario[],
): { scenario: Scenario; token?: FakeToken; authKind: RecordedRequest['auth']; credential?: string } {
  const pt = req.headers['private-token'];
  const jt = req.headers['job-token'];
  const bearer = /^Bearer\s+(.+)$/i.exec(String(req.headers.authorization ?? ''))?.[1];
  const value = (typeof pt === 'string' && pt) || (typeof jt === 'string' && jt) || bearer;
  const authKind: RecordedRequest['auth'] =
    typeof pt === 'string' ? 'private-token' : typeof jt === 'string' ? 'job-token' : bearer ? 'bearer' : null;
  if (!value) return { scenario: scenarios[0], authKind };
  for (const s of scenarios) {
    const t = s.tokens.find((x) => x.token === value && (x.job === true) === (authKind === 'job-token'));
    if (t) return { scenario: s, token: t, authKind, credential: value };
  }
  // An unknown token is rejected outright, even on public endpoints.
  const e = E401();
  (e as HttpError & { credential?: string }).credential = value;
  throw e;
}

function checkToken(ctx: Ctx, graphql: boolean): void {
  const t = ctx.token;
  if (!t || t.job) return;
  const scopes = t.scopes ?? ['read_api'];
  if (!scopes.includes('api') && !scopes.includes('read_api')) {
    throw new HttpError(403, {
      error: 'insufficient_scope',
      error_description: 'The request requires higher privileges than provided by the access token.',
      scope: graphql ? 'api read_api' : 'api read_api',
    });
  }
}

// ───────────────────────────── access ─────────────────────────────

function findProject(ctx: Ctx, id: string): FakeProject | undefined {
  const decoded = decodeURIComponent(id);
  return ctx.scenario.projects.find(
    (p) => String(p.project.id) === decoded || p.project.path_with_namespace.toLowerCase() === decoded.toLowerCase(),
  );
}

function roleOn(ctx: Ctx, p: FakeProject): number {
  if (!ctx.token) return 0;
  if (ctx.token.admin) return 60;
  return ctx.token.roles[p.project.path_with_namespace] ?? 0;
}

function canRead(ctx: Ctx, p: FakeProject): boolean {
  if (ctx.token?.job) return roleOn(ctx, p) > 0 || p.project.visibility === 'public';
  if (p.project.visibility === 'public') return true;
  if (p.project.visibility === 'internal') return ctx.token !== undefined;
  return roleOn(ctx, p) >= GUEST;
}

function canReadCode(ctx: Ctx, p: FakeProject): boolean {
  if (!canRead(ctx, p)) return false;
  return p.project.visibility !== 'private' || roleOn(ctx, p) >= REPORTER;
}

// ───────────────────────────── groups ─────────────────────────────

/** A project's group (null for a personal namespace). */
function groupOf(p: FakeProject): string | null {
  return p.project.namespace.kind === 'group' ? p.project.namespace.full_path : null;
}

/** The projects in a group or any of its subgroups. */
function projectsUnder(ctx: Ctx, path: string): FakeProject[] {
  return ctx.scenario.projects.filter((x) => {
    const g = groupOf(x);
    return g !== null && (g === path || g.startsWith(`${path}/`));
  });
}

/** A group path and its parents, nearest first; [] for none. */
function ancestry(path: string | null): string[] {
  if (!path) return [];
  const segs = path.split('/');
  return segs.map((_, i) => segs.slice(0, segs.length - i).join('/'));
}

const OPENNESS = { private: 0, internal: 1, public: 2 } as const;

/** GitLab sends `parent_id: null` for a top-level group (gitbeaker types it as a number). */
type MappedGroup = MappedOmit<GroupSchema, 'parent_id'>;

/** A group as GitLab's GET /groups/:id shows it, built from its projects and the scenario's settings; undefined when there is none. */
function groupAt(ctx: Ctx, path: string): (MappedGroup & { parent_id: number | null }) | undefined {
  const under = projectsUnder(ctx, path);
  if (under.length === 0) return undefined;
  const settings = ctx.scenario.groups?.[path] ?? {};
  // Ids as the project fixtures give them (namespace.id, and parent_id for the namespace's parent).
  const idOf = (full: string): number => {
    for (const x of ctx.scenario.projects) {
      const ns = x.project.namespace;
      if (ns.full_path === full) return ns.id;
      if (ns.parent_id && ns.full_path.split('/').slice(0, -1).join('/') === full) return ns.parent_id;
    }
    return parseInt(fakeSha(full).slice(0, 6), 16);
  };
  const segs = path.split('/');
  const parent = segs.length > 1 ? segs.slice(0, -1).join('/') : null;
  const visibility =
    settings.visibility ??
    under.map((x) => x.project.visibility).reduce((a, b) => (OPENNESS[b] > OPENNESS[a] ? b : a), 'private' as GroupSchema['visibility']);
  const web = `${ctx.base}/groups/${path}`;
  return {
    id: idOf(path),
    web_url: web,
    name: segs[segs.length - 1],
    path: segs[segs.length - 1],
    description: '',
    visibility,
    share_with_group_lock: false,
    require_two_factor_authentication: settings.require_two_factor_authentication ?? false,
    two_factor_grace_period: settings.two_factor_grace_period ?? 48,
    project_creation_level: 'developer',
    subgroup_creation_level: 'maintainer',
    emails_enabled: true,
    lfs_enabled: true,
    default_branch_protection: 2,
    avatar_url: null,
    request_access_enabled: true,
    full_name: segs.join(' / '),
    full_path: path,
    created_at: '2020-01-01T00:00:00.000Z',
    parent_id: parent ? idOf(parent) : null,
  };
}

/** GitLab shows a group to anyone when public, to signed-in users when internal, else to members of it or of a project in it. */
function canReadGroup(ctx: Ctx, path: string): boolean {
  const g = groupAt(ctx, path);
  if (!g) return false;
  if (ctx.token?.admin) return true;
  if (g.visibility === 'public') return true;
  if (g.visibility === 'internal') return ctx.token !== undefined && !ctx.token.job;
  return projectsUnder(ctx, path).some((x) => roleOn(ctx, x) >= GUEST);
}

/** Needs an authenticated caller with at least `role`. */
function requireRole(ctx: Ctx, p: FakeProject, role: number): void {
  if (!ctx.token) throw E401();
  if (ctx.token.job) throw E401();
  if (roleOn(ctx, p) < role) throw E403();
}

function requireTier(ctx: Ctx, p: FakeProject, tier: 'premium' | 'ultimate', ceStatus: 404 | 403 = 404): void {
  if (!ctx.scenario.instance.enterprise) throw ceStatus === 404 ? new HttpError(404, { error: '404 Not Found' }) : E403();
  const rank = { free: 0, premium: 1, ultimate: 2 };
  if (rank[p.tier] < rank[tier]) throw E403();
}

// ───────────────────────────── pagination ─────────────────────────────

function page<T>(ctx: Ctx, list: T[]): { body: T[]; headers: Record<string, string> } {
  const per = Math.min(100, Math.max(1, Number(ctx.url.searchParams.get('per_page') ?? 20) || 20));
  const pageNo = Math.max(1, Number(ctx.url.searchParams.get('page') ?? 1) || 1);
  const total = list.length;
  const pages = Math.max(1, Math.ceil(total / per));
  const body = list.slice((pageNo - 1) * per, pageNo * per);
  const link = (n: number) => {
    const u = new URL(ctx.url.pathname + ctx.url.search, ctx.base);
    u.searchParams.set('page', String(n));
    u.searchParams.set('per_page', String(per));
    return u.toString();
  };
  const links = [`<${link(1)}>; rel="first"`, `<${link(pages)}>; rel="last"`];
  if (pageNo < pages) links.unshift(`<${link(pageNo + 1)}>; rel="next"`);
  if (pageNo > 1) links.unshift(`<${link(pageNo - 1)}>; rel="prev"`);
  return {
    body,
    headers: {
      'x-page': String(pageNo),
      'x-per-page': String(per),
      'x-total': String(total),
      'x-total-pages': String(pages),
      'x-next-page': pageNo < pages ? String(pageNo + 1) : '',
      'x-prev-page': pageNo > 1 ? String(pageNo - 1) : '',
      link: links.join(', '),
    },
  };
}

// ───────────────────────────── REST ─────────────────────────────

interface RestAnswer {
  status?: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MAINTAINER_ONLY_FIELDS = [
  'runners_token',
  'import_url',
  'ci_job_token_scope_enabled',
  'container_expiration_policy',
  'service_desk_address',
];

async function rest(ctx: Ctx, method: string, path: string): Promise<RestAnswer> {
  if (method !== 'GET') throw new HttpError(405, { message: '405 Method Not Allowed' });
  const inst = ctx.scenario.instance;
  const q = ctx.url.searchParams;
  if (path === 'metadata' || path === 'version') {
    if (!ctx.token || ctx.token.job) throw E401();
    return {
      body:
        path === 'metadata'
          ? {
              version: inst.version,
              revision: inst.revision,
              kas: { enabled: false, externalUrl: null, version: null },
              enterprise: inst.enterprise,
            }
          : { version: inst.version, revision: inst.revision },
    };
  }
  if (path === 'license') {
    if (!ctx.token) throw E401();
    if (!ctx.token.admin) throw E403();
    return { body: inst.licensePlan ? { id: 1, plan: inst.licensePlan, expired: false } : null };
  }
  let m = /^namespaces\/([^/]+)$/.exec(path);
  if (m) {
    if (!ctx.token) throw E401();
    const full = decodeURIComponent(m[1]);
    // On GitLab.com the plan belongs to the top-level group; a token's role there is (here) its best role in the group.
    const inGroup = ctx.scenario.projects.filter((x) => x.project.namespace.full_path.split('/')[0] === full);
    const p = inGroup.find((x) => canRead(ctx, x));
    if (!p) throw E404('Namespace Not');
    const owner = ctx.token.admin === true || Math.max(...inGroup.map((x) => roleOn(ctx, x))) >= OWNER;
    const ns = {
      id: p.project.namespace.id,
      name: full,
      path: full,
      kind: 'group',
      full_path: full,
      parent_id: null,
      avatar_url: null,
      web_url: `${ctx.base}/groups/${full}`,
    };
    return {
      body:
        owner && p.namespacePlan
          ? { ...ns, plan: p.namespacePlan, trial: false, members_count_with_descendants: 3, billable_members_count: 3 }
          : ns,
    };
  }
  m = /^groups\/([^/]+)$/.exec(path);
  if (m) {
    if (ctx.token?.job) throw E401();
    const key = decodeURIComponent(m[1]);
    const all = new Set(ctx.scenario.projects.flatMap((x) => ancestry(groupOf(x))));
    const full = [...all].find((g) => g.toLowerCase() === key.toLowerCase() || String(groupAt(ctx, g)?.id) === key);
    if (!full || !canReadGroup(ctx, full)) throw E404('Group Not');
    const g = groupAt(ctx, full)!;
    // with_projects (deprecated, default true) lists the group's projects; the source asks without.
    if (q.get('with_projects') === 'false') return { body: g };
    return {
      body: {
        ...g,
        projects: projectsUnder(ctx, full)
          .filter((x) => groupOf(x) === full && canRead(ctx, x))
          .map((x) => x.project),
        shared_projects: [],
      },
    };
  }
  m = /^projects\/([^/]+)(?:\/(.*))?$/.exec(path);
  if (!m) throw E404();
  const p = findProject(ctx, m[1]);
  if (!p || !canRead(ctx, p)) throw E404('Project Not');
  const sub = m[2] ?? '';
  const role = roleOn(ctx, p);
  if (ctx.token?.job && !['', 'releases', 'pipelines'].includes(sub)) throw E401();
  const head = p.commits[0];
  const codeOnly = () => {
    if (!canReadCode(ctx, p)) throw E403();
  };

  if (sub === '') {
    const out: Record<string, unknown> = { ...p.project };
    if (q.get('license') !== 'true') delete out.license;
    if (role < MAINTAINER) for (const k of MAINTAINER_ONLY_FIELDS) delete out[k];
    if (ctx.token && !ctx.token.job) {
      out.permissions = {
        project_access: role > 0 && !ctx.token.admin ? { access_level: role, notification_level: 3 } : null,
        group_access: null,
      };
    }
    return { body: out };
  }
  if (sub === 'repository/commits') {
    codeOnly();
    const ref = q.get('ref_name');
    if (ref && ref !== p.project.default_branch) throw E404('Ref Not');
    return page(ctx, p.commits);
  }
  m = /^repository\/commits\/([0-9a-f]+)\/signature$/.exec(sub);
  if (m) {
    codeOnly();
    throw E404('Signature Not');
  }
  if (sub === 'repository/archive.tar.gz' || sub === 'repository/archive') {
    codeOnly();
    const sha = q.get('sha') ?? head.id;
    if (sha !== head.id && sha !== p.project.default_branch) throw E404('Ref Not');
    const top = `${p.project.path}-${head.id}-${head.id}`;
    return {
      body: tarGz(top, head.id, p.files),
      headers: { 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="${top}.tar.gz"` },
    };
  }
  if (sub === 'repository/tree') {
    codeOnly();
    return tree(ctx, p);
  }
  m = /^repository\/files\/([^/]+)\/raw$/.exec(sub);
  if (m) {
    codeOnly();
    const f = p.files[decodeURIComponent(m[1])];
    if (f === undefined) throw E404('File Not');
    if (typeof f === 'object' && !Buffer.isBuffer(f)) return { body: Buffer.from(f.symlink), headers: { 'content-type': 'text/plain' } };
    const data = Buffer.isBuffer(f) ? f : Buffer.from(f);
    return { body: data, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-gitlab-size': String(data.length) } };
  }
  if (sub === 'repository/tags') {
    codeOnly();
    return page(ctx, p.tags ?? []);
  }
  m = /^repository\/tags\/([^/]+)\/signature$/.exec(sub);
  if (m) {
    codeOnly();
    const sig = p.tagSignatures?.[decodeURIComponent(m[1])];
    if (!sig) throw E404('Signature Not');
    return { body: sig };
  }
  m = /^repository\/branches\/([^/]+)$/.exec(sub);
  if (m) {
    codeOnly();
    const name = decodeURIComponent(m[1]);
    if (name !== p.project.default_branch) throw E404('Branch Not');
    const rules = (p.protectedBranches ?? []).filter(
      (r) => r.name === name || (r.name.includes('*') && new RegExp(`^${r.name.split('*').join('.*')}$`).test(name)),
    );
    const devPush = rules.some((r) => (r.push_access_levels ?? []).some((l) => l.access_level === DEVELOPER));
    return {
      body: {
        name,
        merged: false,
        protected: rules.length > 0,
        default: true,
        developers_can_push: rules.length === 0 || devPush,
        developers_can_merge: true,
        can_push:
          rules.length === 0
            ? role >= DEVELOPER
            : role >= MAINTAINER && !rules.some((r) => (r.push_access_levels ?? []).every((l) => l.access_level === 0)),
        web_url: `${p.project.web_url}/-/tree/${name}`,
        commit: {
          id: head.id,
          short_id: head.short_id,
          title: head.title,
          message: head.message,
          author_name: head.author_name,
          author_email: head.author_email,
        },
      },
    };
  }
  if (sub === 'repository/contributors') {
    codeOnly();
    return page(ctx, p.contributors ?? []);
  }
  if (sub === 'protected_branches') {
    requireRole(ctx, p, DEVELOPER);
    return page(ctx, p.protectedBranches ?? []);
  }
  if (sub === 'protected_tags') {
    // read_protected_tags comes with manage_protected_tags: Maintainers.
    requireRole(ctx, p, MAINTAINER);
    return page(ctx, p.protectedTags ?? []);
  }
  if (sub === 'approvals') {
    if (!ctx.token) throw E401();
    requireTier(ctx, p, 'premium');
    return { body: p.approvals };
  }
  if (sub === 'approval_rules') {
    if (!ctx.token) throw E401();
    requireTier(ctx, p, 'premium');
    return page(ctx, p.approvalRules ?? []);
  }
  if (sub === 'push_rule') {
    requireRole(ctx, p, MAINTAINER);
    requireTier(ctx, p, 'premium');
    return { body: p.pushRule ?? null };
  }
  if (sub === 'hooks') {
    requireRole(ctx, p, MAINTAINER);
    return page(ctx, p.hooks ?? []);
  }
  if (sub === 'job_token_scope') {
    requireRole(ctx, p, MAINTAINER);
    return { body: p.jobTokenScope ?? { inbound_enabled: true, outbound_enabled: false } };
  }
  if (sub === 'releases') return page(ctx, p.releases ?? []);
  if (sub === 'pipelines') {
    const scope = q.get('scope');
    const list = (p.pipelines ?? []).filter((x) => scope !== 'tags' || x.tag).map((x) => x.pipeline);
    return page(ctx, list);
  }
  if (sub === 'merge_requests') {
    const state = q.get('state');
    const target = q.get('target_branch');
    const list = (p.mergeRequests ?? [])
      .map((x) => x.mr)
      .filter((mr) => (!state || mr.state === state) && (!target || mr.target_branch === target));
    return page(ctx, list);
  }
  m = /^merge_requests\/(\d+)\/approvals$/.exec(sub);
  if (m) {
    if (!ctx.token) throw E401();
    const x = (p.mergeRequests ?? []).find((y) => y.mr.iid === Number(m![1]));
    if (!x) throw E404('Merge Request Not');
    const users = x.approvedBy.map((u) => ({ user: userByName(p, u) }));
    return {
      body: {
        id: x.mr.id,
        iid: x.mr.iid,
        project_id: p.project.id,
        title: x.mr.title,
        state: x.mr.state,
        approved: users.length > 0,
        approvals_required: 0,
        approvals_left: 0,
        approved_by: users,
      },
    };
  }
  if (sub === 'issues') {
    const after = q.get('updated_after');
    return page(
      ctx,
      (p.issues ?? []).filter((i) => !after || Date.parse(i.updated_at) >= Date.parse(after)),
    );
  }
  if (sub === 'members/all') return page(ctx, p.members ?? []);
  m = /^attestations\/([0-9a-f]{64})$/.exec(sub);
  if (m) {
    if (!attestationsAvailable(ctx, p)) throw E404();
    return {
      body: (p.attestations ?? [])
        .filter((a) => a.subject_digest === m![1])
        .map(({ bundle: _b, ...a }) => ({
          ...a,
          download_url: `${ctx.base}/api/v4/projects/${p.project.id}/attestations/${a.iid}/download`,
        })),
    };
  }
  m = /^attestations\/(\d+)\/download$/.exec(sub);
  if (m) {
    if (!attestationsAvailable(ctx, p)) throw E404();
    const a = (p.attestations ?? []).find((x) => x.iid === Number(m![1]));
    if (!a) throw E404('Attestation Not');
    return { body: Buffer.from(a.bundle), headers: { 'content-type': 'application/octet-stream' } };
  }
  throw E404();
}

function attestationsAvailable(ctx: Ctx, p: FakeProject): boolean {
  const [maj, min] = ctx.scenario.instance.version.split('.').map(Number);
  return ctx.scenario.instance.enterprise && p.tier === 'ultimate' && (maj > 18 || (maj === 18 && min >= 5));
}

/** Keyset pagination (`pagination=keyset`, `page_token`) as GitLab does for the tree. */
function tree(ctx: Ctx, p: FakeProject): RestAnswer {
  const q = ctx.url.searchParams;
  const entries: Array<{ id: string; name: string; type: string; path: string; mode: string }> = [];
  const dirs = new Set<string>();
  for (const path of Object.keys(p.files).sort()) {
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = segs.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        entries.push({ id: fakeSha(d), name: segs[i - 1], type: 'tree', path: d, mode: '040000' });
      }
    }
    const f = p.files[path];
    const link = typeof f === 'object' && !Buffer.isBuffer(f);
    entries.push({ id: fakeSha(path), name: segs[segs.length - 1], type: 'blob', path, mode: link ? '120000' : '100644' });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (q.get('pagination') !== 'keyset') return page(ctx, entries);
  const per = Math.min(100, Math.max(1, Number(q.get('per_page') ?? 20) || 20));
  const after = q.get('page_token');
  const start = after ? entries.findIndex((e) => e.path > after) : 0;
  const body = start < 0 ? [] : entries.slice(start, start + per);
  const headers: Record<string, string> = {};
  if (start >= 0 && start + per < entries.length) {
    const u = new URL(ctx.url.pathname, ctx.base);
    for (const [k, v] of q) if (k !== 'page_token') u.searchParams.set(k, v);
    u.searchParams.set('page_token', body[body.length - 1].path);
    headers.link = `<${u}>; rel="next"`;
  }
  return { body, headers };
}

function fakeSha(s: string): string {
  let h = 0x811c9dc5;
  for (const c of s) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h.toString(16).padStart(8, '0').repeat(5);
}

function userByName(p: FakeProject, username: string) {
  const m = (p.members ?? []).find((x) => x.username === username);
  return {
    id: m?.id ?? 9999,
    name: m?.name ?? username,
    username,
    state: 'active',
    avatar_url: '',
    web_url: `https://gitlab.invalid/${username}`,
  };
}

// ───────────────────────────── GraphQL ─────────────────────────────

function conn<T>(list: T[], typename: string, first?: unknown): Resolved {
  const n = typeof first === 'number' ? list.slice(0, first) : list;
  return {
    __typename: typename,
    nodes: n,
    count: list.length,
    pageInfo: { __typename: 'PageInfo', hasNextPage: n.length < list.length, endCursor: null },
  };
}

const BOT_NAME = /(^|[-_])bot($|[-_\d])|^project_\d+_bot/i;

function userNode(username: string | undefined | null): Resolved | null {
  if (!username) return null;
  return { __typename: 'UserCore', username, bot: BOT_NAME.test(username), name: username };
}

function graphqlRoot(ctx: Ctx): Resolved {
  const inst = ctx.scenario.instance;
  const authed = ctx.token !== undefined && !ctx.token.job;
  return {
    __typename: 'Query',
    metadata: () => {
      if (!authed)
        throw new FieldError(
          "The resource that you are attempting to access does not exist or you don't have permission to perform this action",
        );
      const m: Resolved = { __typename: 'Metadata', version: inst.version, revision: inst.revision };
      if (!inst.graphqlWithoutEnterprise) m.enterprise = inst.enterprise;
      return m;
    },
    project: (args: { fullPath?: string }) => {
      const p = ctx.scenario.projects.find(
        (x) => x.project.path_with_namespace.toLowerCase() === String(args.fullPath ?? '').toLowerCase(),
      );
      const asked = { ...ctx, token: authed ? ctx.token : undefined };
      if (!p || !canRead(asked, p)) return null;
      return projectNode(p, asked);
    },
  };
}

/** A Group node, null when the caller cannot read it (GitLab's type authorization). */
function groupNode(ctx: Ctx, path: string | null): Resolved | null {
  if (!path || !canReadGroup(ctx, path)) return null;
  const g = groupAt(ctx, path)!;
  const segs = path.split('/');
  return {
    __typename: 'Group',
    id: `gid://gitlab/Group/${g.id}`,
    fullPath: path,
    name: g.name,
    visibility: g.visibility,
    requireTwoFactorAuthentication: g.require_two_factor_authentication,
    twoFactorGracePeriod: g.two_factor_grace_period,
    parent: () => groupNode(ctx, segs.length > 1 ? segs.slice(0, -1).join('/') : null),
  };
}

function projectNode(p: FakeProject, ctx: Ctx): Resolved {
  return {
    __typename: 'Project',
    id: `gid://gitlab/Project/${p.project.id}`,
    fullPath: p.project.path_with_namespace,
    group: () => groupNode(ctx, groupOf(p)),
    mergeRequests: (a: { state?: string; targetBranches?: string[]; first?: number }) => {
      let list = (p.mergeRequests ?? []).filter((x) => !a.state || x.mr.state === a.state);
      if (a.targetBranches) list = list.filter((x) => a.targetBranches!.includes(x.mr.target_branch));
      list = [...list].sort((x, y) => String(y.mr.merged_at).localeCompare(String(x.mr.merged_at)));
      return conn(
        list.map((x) => ({
          __typename: 'MergeRequest',
          iid: String(x.mr.iid),
          title: x.mr.title,
          webUrl: x.mr.web_url,
          mergedAt: x.mr.merged_at,
          mergeCommitSha: x.mr.merge_commit_sha,
          squashCommitSha: x.mr.squash_commit_sha,
          diffHeadSha: x.mr.sha,
          author: userNode(x.mr.author.username),
          mergeUser: userNode(x.mr.merged_by?.username),
          approved: x.approvedBy.length > 0,
          approvedBy: () => conn(x.approvedBy.map(userNode), 'UserCoreConnection'),
          labels: () =>
            conn(
              (x.mr.labels as string[]).map((title) => ({ __typename: 'Label', title })),
              'LabelConnection',
            ),
          headPipeline: x.headPipeline ? { __typename: 'Pipeline', status: x.headPipeline.toUpperCase() } : null,
        })),
        'MergeRequestConnection',
        a.first,
      );
    },
    releases: (a: { first?: number }) =>
      conn(
        [...(p.releases ?? [])]
          .sort((x, y) => String(y.released_at).localeCompare(String(x.released_at)))
          .map((r) => ({
            __typename: 'Release',
            tagName: r.tag_name,
            name: r.name,
            createdAt: r.created_at,
            releasedAt: r.released_at,
            upcomingRelease: r.upcoming_release,
            author: userNode(r.author.username),
            commit: { __typename: 'Commit', sha: r.commit.id },
            assets: {
              __typename: 'ReleaseAssets',
              links: () =>
                conn(
                  (r.assets.links ?? []).map((l) => ({
                    __typename: 'ReleaseAssetLink',
                    name: l.name,
                    url: l.url,
                    linkType: l.link_type.toUpperCase(),
                    directAssetUrl: l.url,
                  })),
                  'ReleaseAssetLinkConnection',
                ),
            },
          })),
        'ReleaseConnection',
        a.first,
      ),
    pipelines: (a: { scope?: string; first?: number }) =>
      conn(
        (p.pipelines ?? [])
          .filter((x) => a.scope !== 'TAGS' || x.tag)
          .map((x) => ({
            __typename: 'Pipeline',
            iid: String(x.pipeline.iid),
            status: x.pipeline.status.toUpperCase(),
            source: x.pipeline.source,
            ref: x.pipeline.ref,
            sha: x.pipeline.sha,
            createdAt: x.pipeline.created_at,
          })),
        'PipelineConnection',
        a.first,
      ),
    issues: (a: { updatedAfter?: string; first?: number }) =>
      conn(
        (p.issues ?? [])
          .filter((i) => !a.updatedAfter || Date.parse(i.updated_at) >= Date.parse(a.updatedAfter))
          .map((i) => ({
            __typename: 'Issue',
            createdAt: i.created_at,
            updatedAt: i.updated_at,
            author: userNode(i.author.username),
            updatedBy: userNode((i as { updated_by?: { username: string } }).updated_by?.username ?? null),
          })),
        'IssueConnection',
        a.first,
      ),
    projectMembers: (a: { first?: number }) =>
      conn(
        (p.members ?? []).map((m) => ({
          __typename: 'ProjectMember',
          accessLevel: { __typename: 'AccessLevel', integerValue: m.access_level, stringValue: String(m.access_level) },
          user: userNode(m.username),
        })),
        'MemberInterfaceConnection',
        a.first,
      ),
  };
}
