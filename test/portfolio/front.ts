/**
 * A loopback "front" for the fake GitHub / GitLab, for portfolio tests and the bench. It proxies
 * every request to the fake untouched, and adds what portfolio runs need and the fakes do not have:
 *
 * - enumeration: GitHub GraphQL `organization|user { repositories }` (the `PortfolioRepositories`
 *   query), REST `GET /orgs/{org}/repos` and `/users/{user}/repos` (Link pagination), GitLab
 *   `GET /api/v4/groups/:id/projects` (subgroups, keyset Link pagination);
 * - primary rate limits that are enforced: a budget per token and resource (REST `core`, GraphQL
 *   points, GitLab) per window, sent in the real headers, and a 403 / 429 once spent — so a test can
 *   prove the pacer slows down BEFORE running out;
 * - seeded random faults on any request: 500, 502, a response that never comes (timeout), and
 *   secondary rate limits (403 + Retry-After / 429).
 */
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface EnumRepo {
  /** owner/name (GitHub) or group/…/project (GitLab). */
  name: string;
  archived?: boolean;
  fork?: boolean;
  private?: boolean;
}

export type FaultKind = '500' | '502' | 'timeout' | 'secondary';

export interface FrontOptions {
  upstream: string;
  platform: 'github' | 'gitlab';
  /** GitHub: owners (orgs or users) → repositories. */
  owners?: Record<string, { type: 'org' | 'user'; repos: EnumRepo[] }>;
  /** GitLab: group path → projects (subgroups' projects are found by prefix). */
  groups?: Record<string, EnumRepo[]>;
  /** Budgets per window (absent: 1,000,000). */
  rateLimit?: { core?: number; graphql?: number; gitlab?: number; windowMs?: number };
  faults?: { rate: number; seed?: number; kinds?: FaultKind[]; retryAfterS?: number };
  /** Latency of the front's own answers (enumeration). */
  latencyMs?: number;
}

export interface FrontCounts {
  rest: number;
  graphql: number;
  enumeration: number;
  primaryRejections: number;
  faults: Record<FaultKind, number>;
}

export interface Front {
  url: string;
  graphqlUrl: string;
  counts: FrontCounts;
  /** Requests per path pattern (`GET /repos/{owner}/{repo}/releases`…), for the bench. */
  routes: Map<string, number>;
  close(): Promise<void>;
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

const ROUTE_SHAPES: Array<[RegExp, string]> = [
  [/^\/repos\/[^/]+\/[^/]+\/git\/tags\/[^/]+$/, '/repos/{o}/{r}/git/tags/{sha}'],
  [/^\/repos\/[^/]+\/[^/]+\/tarball\/[^/]+$/, '/repos/{o}/{r}/tarball/{ref}'],
  [/^\/repos\/[^/]+\/[^/]+\/rules\/branches\/.+$/, '/repos/{o}/{r}/rules/branches/{b}'],
  [/^\/repos\/[^/]+\/[^/]+\/branches\/.+\/protection$/, '/repos/{o}/{r}/branches/{b}/protection'],
  [/^\/repos\/[^/]+\/[^/]+\/releases\/assets\/[^/]+$/, '/repos/{o}/{r}/releases/assets/{id}'],
  [/^\/repos\/[^/]+\/[^/]+\/attestations\/.+$/, '/repos/{o}/{r}/attestations/{digest}'],
  [/^\/repos\/[^/]+\/[^/]+\/contents\/.*$/, '/repos/{o}/{r}/contents/{path}'],
  [/^\/repos\/[^/]+\/[^/]+\/commits\/.+$/, '/repos/{o}/{r}/commits/{ref}'],
  [/^\/repos\/[^/]+\/[^/]+(\/[a-z_/-]+)?$/, '/repos/{o}/{r}$1'],
  [/^\/(orgs|users)\/[^/]+\/(.+)$/, '/$1/{owner}/$2'],
  [/^\/api\/v4\/projects\/[^/]+(\/.*)?$/, '/api/v4/projects/{id}$1'],
];

function routeShape(method: string, path: string): string {
  for (const [re, shape] of ROUTE_SHAPES) {
    const m = re.exec(path);
    if (m) return `${method} ${shape.replace('$1', m[1] ?? '').replace('$2', m[2] ?? '')}`;
  }
  return `${method} ${path}`;
}

export async function startFront(o: FrontOptions): Promise<Front> {
  const upstream = new URL(o.upstream);
  const counts: FrontCounts = {
    rest: 0,
    graphql: 0,
    enumeration: 0,
    primaryRejections: 0,
    faults: { '500': 0, '502': 0, timeout: 0, secondary: 0 },
  };
  const routes = new Map<string, number>();
  const rand = mulberry32(o.faults?.seed ?? 1);
  const kinds = o.faults?.kinds ?? ['500', '502', 'timeout', 'secondary'];
  const windowMs = o.rateLimit?.windowMs ?? 3_600_000;
  const budgets = new Map<string, { used: number; resetAt: number }>();
  const sockets = new Set<Socket>();
  const hanging = new Set<ServerResponse>();
  let base = '';

  const limitOf = (resource: string) =>
    (resource === 'core' ? o.rateLimit?.core : resource === 'graphql' ? o.rateLimit?.graphql : o.rateLimit?.gitlab) ?? 1_000_000;

  /** Spends one unit; returns the headers to send, or undefined when the budget is spent. */
  const spend = (token: string, resource: string): { headers: Record<string, string>; ok: boolean } => {
    const key = `${token}\0${resource}`;
    const now = Date.now();
    let b = budgets.get(key);
    if (!b || now >= b.resetAt) budgets.set(key, (b = { used: 0, resetAt: now + windowMs }));
    const limit = limitOf(resource);
    const ok = b.used < limit;
    if (ok) b.used++;
    const reset = String(Math.ceil(b.resetAt / 1000));
    const remaining = String(Math.max(0, limit - b.used));
    const headers: Record<string, string> =
      o.platform === 'github'
        ? {
            'x-ratelimit-limit': String(limit),
            'x-ratelimit-remaining': remaining,
            'x-ratelimit-reset': reset,
            'x-ratelimit-used': String(b.used),
            'x-ratelimit-resource': resource,
          }
        : {
            'ratelimit-limit': String(limit),
            'ratelimit-remaining': remaining,
            'ratelimit-reset': reset,
            'ratelimit-observed': String(b.used),
          };
    return { headers, ok };
  };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const go = () => {
      if (res.destroyed) return;
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(Buffer.byteLength(text)),
        ...headers,
      });
      res.end(text);
    };
    if (o.latencyMs) setTimeout(go, o.latencyMs);
    else go();
  };

  // ── Enumeration ──

  const githubGraphql = (
    body: { query?: string; variables?: Record<string, unknown> },
    rl: Record<string, string>,
    res: ServerResponse,
  ) => {
    const field = /owner:\s*(organization|user)\(/.exec(body.query ?? '')?.[1] ?? 'organization';
    const login = String(body.variables?.login ?? '');
    const owner = Object.entries(o.owners ?? {}).find(
      ([k, v]) => k.toLowerCase() === login.toLowerCase() && (v.type === 'org') === (field === 'organization'),
    );
    const rateLimit = {
      cost: 1,
      remaining: Number(rl['x-ratelimit-remaining']),
      resetAt: new Date(Number(rl['x-ratelimit-reset']) * 1000).toISOString(),
      limit: Number(rl['x-ratelimit-limit']),
    };
    if (!owner) {
      return send(
        res,
        200,
        {
          data: { rateLimit, owner: null },
          errors: [
            {
              type: 'NOT_FOUND',
              path: ['owner'],
              message: `Could not resolve to an ${field === 'organization' ? 'Organization' : 'User'} with the login of '${login}'.`,
            },
          ],
        },
        rl,
      );
    }
    const list = [...owner[1].repos].sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const start = typeof body.variables?.cursor === 'string' ? Number(Buffer.from(body.variables.cursor, 'base64').toString()) : 0;
    const page = list.slice(start, start + 100);
    const end = start + page.length;
    send(
      res,
      200,
      {
        data: {
          rateLimit,
          owner: {
            repositories: {
              totalCount: list.length,
              pageInfo: { hasNextPage: end < list.length, endCursor: page.length ? Buffer.from(String(end)).toString('base64') : null },
              nodes: page.map((r) => ({
                nameWithOwner: r.name,
                url: `https://github.com/${r.name}`,
                isArchived: !!r.archived,
                isFork: !!r.fork,
              })),
            },
          },
        },
      },
      rl,
    );
  };

  const githubRest = (kind: string, login: string, url: URL, rl: Record<string, string>, res: ServerResponse) => {
    const owner = Object.entries(o.owners ?? {}).find(
      ([k, v]) => k.toLowerCase() === login.toLowerCase() && (v.type === 'org') === (kind === 'orgs'),
    );
    if (!owner) return send(res, 404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest', status: '404' }, rl);
    const list = owner[1].repos.filter((r) => !r.private).sort((a, b) => a.name.toLowerCase().localeCompare(b.name.toLowerCase()));
    const per = Math.min(100, Number(url.searchParams.get('per_page') ?? 30) || 30);
    const page = Math.max(1, Number(url.searchParams.get('page') ?? 1) || 1);
    const last = Math.max(1, Math.ceil(list.length / per));
    const link = (p: number, rel: string) => {
      const u = new URL(url.pathname + url.search, base);
      u.searchParams.set('page', String(p));
      return `<${u}>; rel="${rel}"`;
    };
    const headers: Record<string, string> = { ...rl };
    if (page < last) headers.link = [link(page + 1, 'next'), link(last, 'last')].join(', ');
    send(
      res,
      200,
      list.slice((page - 1) * per, page * per).map((r) => ({
        full_name: r.name,
        name: r.name.split('/')[1],
        html_url: `https://github.com/${r.name}`,
        archived: !!r.archived,
        fork: !!r.fork,
        private: false,
      })),
      headers,
    );
  };

  const gitlabProjects = (group: string, url: URL, rl: Record<string, string>, res: ServerResponse) => {
    const key = Object.keys(o.groups ?? {}).find((g) => g.toLowerCase() === group.toLowerCase());
    if (!key) return send(res, 404, { message: '404 Group Not Found' }, rl);
    const subgroups = url.searchParams.get('include_subgroups') === 'true';
    const all = Object.entries(o.groups ?? {})
      .filter(([g]) => g.toLowerCase() === key.toLowerCase() || (subgroups && g.toLowerCase().startsWith(`${key.toLowerCase()}/`)))
      .flatMap(([, ps]) => ps)
      .filter((p) => url.searchParams.get('archived') !== 'false' || !p.archived);
    const per = Math.min(100, Number(url.searchParams.get('per_page') ?? 20) || 20);
    const after = Number(url.searchParams.get('id_after') ?? 0);
    const withIds = all.map((p, i) => ({ p, id: i + 1 })).filter((x) => x.id > after);
    const page = withIds.slice(0, per);
    const headers: Record<string, string> = { ...rl };
    if (withIds.length > per) {
      const u = new URL(url.pathname + url.search, base);
      u.searchParams.set('id_after', String(page[page.length - 1].id));
      headers.link = `<${u}>; rel="next"`;
    }
    send(
      res,
      200,
      page.map(({ p, id }) => ({
        id,
        path_with_namespace: p.name,
        web_url: `https://gitlab.com/${p.name}`,
        archived: !!p.archived,
        ...(p.fork ? { forked_from_project: { id: 1, path_with_namespace: 'upstream/project' } } : {}),
      })),
      headers,
    );
  };

  // ── Proxy ──

  const proxy = (req: IncomingMessage, body: Buffer, res: ServerResponse, rl: Record<string, string>) => {
    // The Host header stays the front's: fakes that build links from it (GitLab's) then link back here.
    const headers = { ...req.headers };
    delete headers['content-length'];
    const up = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: { ...headers, 'content-length': String(body.length) },
      },
      (ur) => {
        const out: Record<string, string | string[]> = {};
        for (const [k, v] of Object.entries(ur.headers)) {
          if (v === undefined || /^(x-)?ratelimit-/.test(k)) continue;
          out[k] = v;
        }
        res.writeHead(ur.statusCode ?? 502, { ...out, ...rl });
        ur.pipe(res);
      },
    );
    up.on('error', () => {
      if (!res.headersSent) send(res, 502, { message: 'Bad Gateway (front)' });
      else res.destroy();
    });
    up.end(body);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', base);
      const method = req.method ?? 'GET';
      const auth =
        req.headers.authorization ?? req.headers['private-token'] ?? req.headers['job-token'] ?? `anon:${req.socket.remoteAddress}`;
      const token = String(auth);
      const isGraphql = url.pathname === '/graphql' || url.pathname === '/api/graphql';
      let parsed: { query?: string; variables?: Record<string, unknown> } = {};
      if (isGraphql) {
        try {
          parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
        } catch {
          /* the fake will say */
        }
      }
      const enumGraphql = isGraphql && /query PortfolioRepositories/.test(parsed.query ?? '');
      const enumRest = method === 'GET' && /^\/(orgs|users)\/[^/]+\/repos$/.exec(url.pathname);
      const enumGitlab = method === 'GET' && /^\/api\/v4\/groups\/([^/]+)\/projects$/.exec(url.pathname);
      const isEnum = !!(enumGraphql || enumRest || enumGitlab);
      if (isEnum) counts.enumeration++;
      else if (isGraphql) counts.graphql++;
      else counts.rest++;
      const shape = isGraphql ? `POST graphql ${/query\s+(\w+)/.exec(parsed.query ?? '')?.[1] ?? '?'}` : routeShape(method, url.pathname);
      routes.set(shape, (routes.get(shape) ?? 0) + 1);

      // Faults first.
      if (o.faults && o.faults.rate > 0 && rand() < o.faults.rate) {
        const kind = kinds[Math.floor(rand() * kinds.length)];
        counts.faults[kind]++;
        if (kind === 'timeout') {
          hanging.add(res);
          return;
        }
        if (kind === 'secondary') {
          const ra = String(o.faults.retryAfterS ?? 1);
          if (o.platform === 'gitlab') return send(res, 429, { message: 'Retry later' }, { 'retry-after': ra });
          return send(
            res,
            403,
            {
              message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
              documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
              status: '403',
            },
            { 'retry-after': ra },
          );
        }
        return send(res, Number(kind), { message: kind === '500' ? 'Server Error' : 'Bad Gateway' });
      }

      const resource = o.platform === 'gitlab' ? 'gitlab' : isGraphql ? 'graphql' : 'core';
      const { headers: rl, ok } = spend(token, resource);
      if (!ok) {
        counts.primaryRejections++;
        if (o.platform === 'gitlab')
          return send(
            res,
            429,
            { message: 'Retry later' },
            { ...rl, 'retry-after': String(Math.max(1, Math.ceil((Number(rl['ratelimit-reset']) * 1000 - Date.now()) / 1000))) },
          );
        return send(
          res,
          403,
          {
            message: 'API rate limit exceeded for user ID 1.',
            documentation_url: 'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api',
            status: '403',
          },
          rl,
        );
      }
      if (enumGraphql) return githubGraphql(parsed, rl, res);
      if (enumRest) return githubRest(enumRest[1], url.pathname.split('/')[2], url, rl, res);
      if (enumGitlab) return gitlabProjects(decodeURIComponent(enumGitlab[1]), url, rl, res);
      proxy(req, body, res, rl);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.unref();
  return {
    url: base,
    graphqlUrl: `${base}/graphql`,
    counts,
    routes,
    close: () =>
      new Promise<void>((resolve) => {
        for (const r of hanging) r.destroy();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
