/**
 * Loopback fakes of the public services the fact providers call: bestpractices.dev
 * (`GET /projects.json?url=`) and the OSV API (`POST /v1/querybatch`, `GET /v1/vulns/{id}`), with
 * the response shapes of the real services:
 * - bestpractices.dev answers a JSON array of project objects (`id`, `name`, `repo_url`,
 *   `homepage_url`, `badge_level`, `badge_percentage_0`, …), `[]` when nothing matches;
 * - querybatch answers `{"results": [...]}` aligned with the queries, each `{}` or
 *   `{"vulns": [{"id", "modified"}], "next_page_token"?}` (ids only — details come from
 *   /v1/vulns/{id}); more than 1000 queries is a 400;
 * - /v1/vulns/{id} answers the OSV record, or 404 `{"code": 5, "message": "Bug not found."}`.
 *
 * Real HTTP on 127.0.0.1, port 0. The server never keeps the process alive (unref) and closes itself
 * after `lifetimeMs`. Faults can be injected per path (status, Retry-After, a body cut short, a hang).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BestPracticesProject {
  id: number;
  name: string;
  repo_url: string;
  homepage_url?: string;
  badge_level: 'in_progress' | 'passing' | 'silver' | 'gold';
}

export interface OsvRecord {
  id: string;
  modified?: string;
  summary?: string;
  aliases?: string[];
  affected: Array<{ package: { ecosystem: string; name: string }; versions: string[] }>;
}

export interface Fault {
  /** Matched against `METHOD /path` (path without the query string). */
  match: RegExp;
  /** How many requests it applies to (then the service behaves). */
  times: number;
  status?: number;
  retryAfter?: string;
  /** Send a valid status but an unparsable body. */
  truncated?: boolean;
  /** Never answer (the client must time out). */
  hang?: boolean;
}

export interface FakeServicesOptions {
  projects?: BestPracticesProject[];
  vulns?: OsvRecord[];
  faults?: Fault[];
  /** Vulnerability ids per querybatch result page (exercises next_page_token). */
  pageSize?: number;
  lifetimeMs?: number;
}

export interface LoggedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

export interface FakeServices {
  url: string;
  requests: LoggedRequest[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
  res.end(text);
};

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startFakeServices(opts: FakeServicesOptions = {}): Promise<FakeServices> {
  const requests: LoggedRequest[] = [];
  const faults = (opts.faults ?? []).map((f) => ({ ...f }));
  const hanging = new Set<ServerResponse>();

  const server = createServer(async (req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = req.method === 'POST' ? await readBody(req) : undefined;
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({
      method: req.method ?? 'GET',
      path: u.pathname,
      query: Object.fromEntries(u.searchParams),
      ...(raw !== undefined ? { body } : {}),
    });

    const fault = faults.find((f) => f.times > 0 && f.match.test(`${req.method} ${u.pathname}`));
    if (fault) {
      fault.times--;
      if (fault.hang) {
        hanging.add(res);
        return;
      }
      if (fault.truncated) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end('{"results": [');
        return;
      }
      res.writeHead(fault.status ?? 500, {
        'content-type': 'application/json',
        ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}),
      });
      res.end(JSON.stringify({ code: 13, message: 'Internal error' }));
      return;
    }

    if (req.method === 'GET' && u.pathname === '/projects.json') {
      const url = u.searchParams.get('url') ?? '';
      const matches = (opts.projects ?? []).filter((p) => p.repo_url === url || p.homepage_url === url);
      return json(
        res,
        200,
        matches.map((p) => ({
          id: p.id,
          name: p.name,
          description: `${p.name} description`,
          homepage_url: p.homepage_url ?? p.repo_url,
          repo_url: p.repo_url,
          license: 'Apache-2.0',
          badge_level: p.badge_level,
          badge_percentage_0: p.badge_level === 'in_progress' ? 42 : 100,
          badge_percentage_1: p.badge_level === 'silver' || p.badge_level === 'gold' ? 100 : 10,
          badge_percentage_2: p.badge_level === 'gold' ? 100 : 0,
          tiered_percentage: p.badge_level === 'gold' ? 300 : p.badge_level === 'silver' ? 200 : p.badge_level === 'passing' ? 100 : 42,
          created_at: '2021-03-04T05:06:07.000Z',
          updated_at: '2024-05-06T07:08:09.000Z',
        })),
      );
    }

    if (req.method === 'POST' && u.pathname === '/v1/querybatch') {
      const queries = (body as { queries?: unknown })?.queries;
      if (!Array.isArray(queries)) return json(res, 400, { code: 3, message: 'Invalid query.' });
      if (queries.length > 1000) return json(res, 400, { code: 3, message: 'Too many queries.' });
      const results = queries.map((q: { package?: { name?: string; ecosystem?: string }; version?: string; page_token?: string }) => {
        const hits = (opts.vulns ?? []).filter((v) =>
          v.affected.some(
            (a) =>
              a.package.ecosystem === q.package?.ecosystem && a.package.name === q.package?.name && a.versions.includes(q.version ?? ''),
          ),
        );
        if (hits.length === 0) return {};
        const start = q.page_token ? Number(Buffer.from(q.page_token, 'base64').toString()) : 0;
        const size = opts.pageSize ?? hits.length;
        const page = hits.slice(start, start + size).map((v) => ({ id: v.id, modified: v.modified ?? '2024-01-02T03:04:05.678Z' }));
        return start + size < hits.length
          ? { vulns: page, next_page_token: Buffer.from(String(start + size)).toString('base64') }
          : { vulns: page };
      });
      return json(res, 200, { results });
    }

    const vuln = /^\/v1\/vulns\/(.+)$/.exec(u.pathname);
    if (req.method === 'GET' && vuln) {
      const id = decodeURIComponent(vuln[1]);
      const record = (opts.vulns ?? []).find((v) => v.id === id);
      if (!record) return json(res, 404, { code: 5, message: 'Bug not found.' });
      return json(res, 200, {
        schema_version: '1.6.0',
        id: record.id,
        modified: record.modified ?? '2024-01-02T03:04:05.678Z',
        published: '2023-01-02T03:04:05Z',
        aliases: record.aliases ?? [],
        summary: record.summary ?? '',
        details: `Details of ${record.id}.`,
        affected: record.affected.map((a) => ({
          package: { ...a.package, purl: `pkg:${a.package.ecosystem.toLowerCase()}/${a.package.name}` },
          versions: a.versions,
        })),
      });
    }

    json(res, 404, { code: 5, message: 'Not Found' });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  const close = () =>
    new Promise<void>((resolve) => {
      for (const r of hanging) r.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    });
  setTimeout(() => void close(), opts.lifetimeMs ?? 60_000).unref();
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close };
}
