/**
 * Facts from public services, the same for every platform: the OpenSSF Best Practices badge
 * (bestpractices.dev) and known vulnerabilities of the locked dependencies (osv.dev).
 *
 * When the network is used: only when a remote target is assessed (the source is a platform API,
 * not `local`) and the run is not `offline`. A local run never touches the network — its facts are
 * unknown with what would make them known. Base URLs are configurable (FactOptions) so tests point
 * them at loopback fakes. Every HTTP request (retries included) is counted in the source's request
 * statistics, which the assessment records.
 *
 * Service faults (HTTP errors after retries, timeouts, malformed answers) make the fact unknown with
 * the reason — never "no badge" or "no vulnerabilities".
 */
import { known, unknown, type Fact, type Unknown } from '../fact.js';
import type { FileEntry } from '../model.js';
import type { BestPractices, Vulnerability } from '../platform.js';
import type { FactContext, ProviderMap } from '../store.js';
import { isTextFile, pool, readText } from './files.js';
import { dedupe, lockfileParser, type LockedPackage } from './osv/lockfiles.js';
import { configsFor, ignoreFor, parseOsvConfig, type OsvConfig } from './osv/osv-config.js';

export const DEFAULT_BEST_PRACTICES_URL = 'https://www.bestpractices.dev';
export const DEFAULT_OSV_URL = 'https://api.osv.dev';

const DEFAULT_TIMEOUT_MS = 20_000;
/** Attempts per request: the first plus retries on network errors, 429 and 5xx. */
const MAX_ATTEMPTS = 3;
/** A Retry-After longer than this is not waited out (the fact becomes unknown instead). */
const MAX_RETRY_AFTER_MS = 10_000;
/** Bodies larger than this are refused (OSV's own limit is 32 MiB over HTTP/1.1). */
const MAX_BODY_BYTES = 32 * 1024 * 1024;
/** Lockfiles can be large (package-lock.json of a monorepo); larger ones are skipped with a diagnostic. */
const MAX_LOCKFILE_BYTES = 32 * 1024 * 1024;
/** OSV's querybatch limit. */
const OSV_BATCH = 1000;
/** Follow-up pages per query (a package with more than ~1000 advisories is not realistic). */
const OSV_MAX_PAGES = 5;
/** Vulnerability records fetched for their aliases; beyond this, ids are grouped by id only. */
const OSV_MAX_DETAILS = 500;
const CONCURRENCY = 8;

// ───────────────────────────── when the network may be used ─────────────────────────────

/** Why a public service must not be consulted in this run; null when it may be. */
export function networkBlocked(ctx: FactContext, service: string): Unknown | null {
  if (ctx.options?.offline)
    return unknown(`${service} not consulted: the run is offline`, `network access to ${service} (run without offline mode)`);
  if (ctx.source.platform === 'local') {
    return unknown(
      `${service} not consulted offline: a local run never uses the network`,
      `assess the repository on its platform (e.g. github.com/OWNER/REPO), which allows network access to ${service}`,
    );
  }
  return null;
}

// ───────────────────────────── HTTP ─────────────────────────────

export class ServiceError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const trimSlash = (u: string) => u.replace(/\/+$/, '');

/** One JSON request with retries; every attempt is counted in the source's request statistics. */
export async function requestJson(
  ctx: FactContext,
  url: string,
  init: { method: 'GET' | 'POST'; body?: unknown },
  service: string,
): Promise<unknown> {
  const stats = ctx.source.requests;
  const timeoutMs = ctx.options?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let lastError: ServiceError | undefined;
  for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
    if (attempt > 1) stats.retries++;
    stats.total++;
    stats.rest++;
    let res: Response;
    try {
      res = await fetch(url, {
        method: init.method,
        headers: { accept: 'application/json', ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
        signal: AbortSignal.timeout(timeoutMs),
        redirect: 'follow',
      });
    } catch (err) {
      const e = err as Error;
      const why =
        e.name === 'TimeoutError' || e.name === 'AbortError'
          ? `no answer within ${timeoutMs} ms`
          : ((e.cause as Error | undefined)?.message ?? e.message);
      lastError = new ServiceError(`${service} could not be reached: ${why}`);
      if (attempt < MAX_ATTEMPTS) await sleep(backoff(attempt));
      continue;
    }
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel().catch(() => undefined);
      lastError = new ServiceError(`${service} answered HTTP ${res.status}${attempt > 1 ? ` after ${attempt} attempts` : ''}`, res.status);
      const wait = retryAfter(res.headers.get('retry-after'));
      if (attempt < MAX_ATTEMPTS && (wait === undefined || wait <= MAX_RETRY_AFTER_MS)) {
        await sleep(wait ?? backoff(attempt));
        continue;
      }
      break;
    }
    if (!res.ok) {
      await res.body?.cancel().catch(() => undefined);
      throw new ServiceError(`${service} answered HTTP ${res.status}`, res.status);
    }
    const length = Number(res.headers.get('content-length') ?? 0);
    if (length > MAX_BODY_BYTES) {
      await res.body?.cancel().catch(() => undefined);
      throw new ServiceError(`${service} sent ${length} bytes, more than the ${MAX_BODY_BYTES} accepted`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      lastError = new ServiceError(`${service} answer was cut off: ${(err as Error).message}`);
      if (attempt < MAX_ATTEMPTS) await sleep(backoff(attempt));
      continue;
    }
    if (text.length > MAX_BODY_BYTES) throw new ServiceError(`${service} sent more than ${MAX_BODY_BYTES} bytes`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ServiceError(`${service} answered with invalid JSON`);
    }
  }
  throw lastError ?? new ServiceError(`${service} could not be reached`);
}

function backoff(attempt: number): number {
  return 200 * 2 ** (attempt - 1);
}

function retryAfter(h: string | null): number | undefined {
  if (!h) return undefined;
  const s = Number(h);
  if (Number.isFinite(s)) return Math.max(0, s * 1000);
  const d = Date.parse(h);
  return Number.isNaN(d) ? undefined : Math.max(0, d - Date.now());
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

// ───────────────────────────── bestpractices.dev ─────────────────────────────

const LEVELS: Record<string, BestPractices['level']> = { in_progress: 'in_progress', passing: 'passing', silver: 'silver', gold: 'gold' };

/** `GET {base}/projects.json?url=https://<host>/<repo>` — the lookup Scorecard's CII-Best-Practices makes. */
export async function bestPractices(ctx: FactContext): Promise<Fact<BestPractices>> {
  const blocked = networkBlocked(ctx, 'bestpractices.dev');
  if (blocked) return blocked;
  const repo = await ctx.get('repository');
  if (!repo.known)
    return unknown(`the repository is not known (${repo.reason}), so it cannot be looked up on bestpractices.dev`, repo.needs);
  const { host, repo: path } = repo.value;
  if (!host || !path)
    return unknown('the repository has no platform address to look up on bestpractices.dev', 'assess the repository on its platform');
  const repoUrl = `https://${host}/${path}`;
  const base = trimSlash(ctx.options?.bestPracticesUrl ?? DEFAULT_BEST_PRACTICES_URL);
  let body: unknown;
  try {
    body = await requestJson(ctx, `${base}/projects.json?url=${encodeURIComponent(repoUrl)}`, { method: 'GET' }, 'bestpractices.dev');
  } catch (err) {
    return unknown(messageOf(err), 'network access to bestpractices.dev');
  }
  if (!Array.isArray(body)) return unknown('bestpractices.dev answered something other than a list of projects');
  if (body.length === 0) return known({ level: null });
  // The search also matches home pages: prefer the project registered for this repository (Scorecard takes the first).
  const norm = (u: unknown) =>
    typeof u === 'string'
      ? u
          .toLowerCase()
          .replace(/\.git$/, '')
          .replace(/\/+$/, '')
      : '';
  const project = (body.find((p) => isObject(p) && norm(p.repo_url) === norm(repoUrl)) ?? body[0]) as unknown;
  if (!isObject(project)) return unknown('bestpractices.dev answered a project entry that is not an object');
  const raw = project.badge_level;
  const level = typeof raw === 'string' ? LEVELS[raw] : undefined;
  if (level === undefined) return unknown(`bestpractices.dev answered an unrecognised badge level ${JSON.stringify(raw ?? null)}`);
  const id = typeof project.id === 'number' && Number.isInteger(project.id) ? project.id : undefined;
  return known({ level, ...(id !== undefined ? { projectId: id, url: `${base}/projects/${id}` } : {}) });
}

// ───────────────────────────── osv.dev ─────────────────────────────

interface Located {
  pkg: LockedPackage;
  path: string;
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);
const dirName = (p: string) => (p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '');
const pkgKey = (p: LockedPackage) => `${p.ecosystem}\0${p.name}\0${p.version}`;

/** Lockfiles to read: vendored node_modules skipped; go.sum only where no go.mod sits beside it. */
export function lockfilesIn(files: FileEntry[]): string[] {
  const candidates = files.filter((f) => f.kind === 'file' && !/(?:^|\/)node_modules\//.test(f.path) && lockfileParser(f.path));
  const goModDirs = new Set(candidates.filter((f) => baseName(f.path) === 'go.mod').map((f) => dirName(f.path)));
  return candidates.filter((f) => !(baseName(f.path) === 'go.sum' && goModDirs.has(dirName(f.path)))).map((f) => f.path);
}

/**
 * Known vulnerabilities of the versions pinned in the repository's lockfiles: `POST /v1/querybatch`
 * (≤1000 queries each), then `GET /v1/vulns/{id}` for each distinct hit (aliases, to group them as
 * Scorecard does), minus what osv-scanner.toml files ignore.
 */
export async function vulnerabilities(ctx: FactContext): Promise<Fact<Vulnerability[]>> {
  const blocked = networkBlocked(ctx, 'osv.dev');
  if (blocked) return blocked;
  const files = await ctx.get('files');
  if (!files.known) return unknown(`the repository files could not be listed (${files.reason}), so no lockfile was read`, files.needs);
  const diag = ctx.source.diagnostics;

  // Lockfiles → pinned packages, each with the files that pin it.
  const paths = lockfilesIn(files.value);
  const parsed = await pool(paths, CONCURRENCY, async (path): Promise<Located[]> => {
    const r = await readText(ctx, path, MAX_LOCKFILE_BYTES);
    if (!isTextFile(r)) {
      diag.push({ path, message: `lockfile not checked for vulnerabilities: ${r.issue.message}` });
      return [];
    }
    const result = lockfileParser(path)!.parse(r.text);
    for (const note of result.notes) diag.push({ path, message: `lockfile not fully read: ${note}` });
    return result.packages.map((pkg) => ({ pkg, path }));
  });
  const located = parsed.flat();
  const configs = await readConfigs(ctx, files.value);
  if (located.length === 0) return known([]);

  const packages = dedupe(located.map((l) => l.pkg));
  const base = trimSlash(ctx.options?.osvUrl ?? DEFAULT_OSV_URL);
  let hits: Map<string, Set<string>>;
  try {
    hits = await queryBatch(ctx, base, packages);
  } catch (err) {
    return unknown(`osv.dev query failed: ${messageOf(err)}`, 'network access to api.osv.dev');
  }

  // Details (aliases, summary) for the distinct ids that were hit.
  const ids = [...new Set([...hits.values()].flatMap((s) => [...s]))].sort();
  const details = new Map<string, { aliases: string[]; summary?: string }>();
  await pool(ids.slice(0, OSV_MAX_DETAILS), CONCURRENCY, async (id) => {
    try {
      const v = await requestJson(ctx, `${base}/v1/vulns/${encodeURIComponent(id)}`, { method: 'GET' }, 'osv.dev');
      if (isObject(v)) {
        const aliases = Array.isArray(v.aliases) ? v.aliases.filter((a): a is string => typeof a === 'string') : [];
        details.set(id, { aliases, ...(typeof v.summary === 'string' && v.summary ? { summary: v.summary } : {}) });
      }
    } catch (err) {
      diag.push({ message: `osv.dev: details of ${id} not fetched (${messageOf(err)}); it is grouped by its id only` });
    }
  });
  if (ids.length > OSV_MAX_DETAILS)
    diag.push({
      message: `osv.dev: ${ids.length - OSV_MAX_DETAILS} vulnerabilities beyond the first ${OSV_MAX_DETAILS} are grouped by id only`,
    });

  const now = new Date();
  const out: Vulnerability[] = [];
  for (const { pkg, path } of located) {
    const found = hits.get(pkgKey(pkg));
    if (!found) continue;
    for (const id of [...found].sort()) {
      const d = details.get(id);
      const aliases = d?.aliases ?? [];
      const ignore = ignoreFor([id, ...aliases], configsFor(path, configs), now);
      if (ignore) continue;
      out.push({ id, aliases, package: { ...pkg }, path, ...(d?.summary ? { summary: d.summary } : {}) });
    }
  }
  // One entry per (path, package, id), in a stable order.
  const seen = new Set<string>();
  return known(
    out
      .filter((v) => {
        const k = `${v.path}\0${pkgKey(v.package as LockedPackage)}\0${v.id}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
      })
      .sort((a, b) => a.path.localeCompare(b.path) || a.package.name.localeCompare(b.package.name) || a.id.localeCompare(b.id)),
  );
}

async function readConfigs(ctx: FactContext, files: FileEntry[]): Promise<OsvConfig[]> {
  const paths = files.filter((f) => f.kind === 'file' && baseName(f.path) === 'osv-scanner.toml').map((f) => f.path);
  const configs = await pool(paths, CONCURRENCY, async (path) => {
    const r = await readText(ctx, path);
    return isTextFile(r) ? parseOsvConfig(path, r.text) : undefined;
  });
  return configs.filter((c): c is OsvConfig => c !== undefined);
}

/** package key → ids of the vulnerabilities affecting it. */
async function queryBatch(ctx: FactContext, base: string, packages: LockedPackage[]): Promise<Map<string, Set<string>>> {
  const hits = new Map<string, Set<string>>();
  let pending: Array<{ pkg: LockedPackage; pageToken?: string; page: number }> = packages.map((pkg) => ({ pkg, page: 0 }));
  while (pending.length > 0) {
    const next: typeof pending = [];
    for (let i = 0; i < pending.length; i += OSV_BATCH) {
      const chunk = pending.slice(i, i + OSV_BATCH);
      const body = {
        queries: chunk.map((q) => ({
          package: { name: q.pkg.name, ecosystem: q.pkg.ecosystem },
          version: q.pkg.version,
          ...(q.pageToken ? { page_token: q.pageToken } : {}),
        })),
      };
      const res = await requestJson(ctx, `${base}/v1/querybatch`, { method: 'POST', body }, 'osv.dev');
      const results = isObject(res) && Array.isArray(res.results) ? res.results : undefined;
      if (!results || results.length !== chunk.length)
        throw new ServiceError('osv.dev answered a querybatch result that does not match the queries');
      results.forEach((r, k) => {
        if (!isObject(r)) return;
        const q = chunk[k];
        const vulns = Array.isArray(r.vulns) ? r.vulns : [];
        for (const v of vulns) {
          if (!isObject(v) || typeof v.id !== 'string' || !v.id) continue;
          const key = pkgKey(q.pkg);
          let set = hits.get(key);
          if (!set) hits.set(key, (set = new Set()));
          set.add(v.id);
        }
        if (typeof r.next_page_token === 'string' && r.next_page_token && q.page + 1 < OSV_MAX_PAGES) {
          next.push({ pkg: q.pkg, pageToken: r.next_page_token, page: q.page + 1 });
        }
      });
    }
    pending = next;
  }
  return hits;
}

export const externalProviders: Partial<ProviderMap> = { bestPractices, vulnerabilities };
