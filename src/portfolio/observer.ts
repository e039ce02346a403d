/**
 * Sees every HTTP response the sources get — without touching them — through undici's diagnostics
 * channels (Node's `fetch` publishes `undici:request:headers` and `undici:request:error`). octokit
 * and the GitLab client both use `fetch`, so one subscriber reads what pacing needs for any
 * platform: the primary rate-limit headers (GitHub `x-ratelimit-*` with `x-ratelimit-resource`,
 * GitLab `RateLimit-*`), secondary limits (403/429 with `Retry-After`), 5xx answers and timeouts.
 * Only the status line and headers are read; bodies and request headers (the token) never are.
 */
import diagnostics from 'node:diagnostics_channel';

export interface ObservedResponse {
  origin: string;
  method: string;
  path: string;
  status: number;
  headers: Record<string, string>;
  at: number;
}

export interface ObservedError {
  origin: string;
  method: string;
  path: string;
  message: string;
  at: number;
}

export interface ObserverListener {
  response?(r: ObservedResponse): void;
  error?(e: ObservedError): void;
}

interface UndiciRequest {
  origin?: string | URL;
  method?: string;
  path?: string;
}

function originOf(req: UndiciRequest): string {
  const o = req.origin;
  if (!o) return '';
  try {
    return new URL(String(o)).origin;
  } catch {
    return String(o);
  }
}

function headerRecord(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!Array.isArray(raw)) return out;
  for (let i = 0; i + 1 < raw.length; i += 2) out[String(raw[i]).toLowerCase()] = String(raw[i + 1]);
  return out;
}

/** Subscribes `listener` to responses from `origins` (exact `scheme://host:port`); returns the unsubscribe function. */
export function observeRequests(origins: () => ReadonlySet<string>, listener: ObserverListener): () => void {
  const onHeaders = (msg: unknown) => {
    const { request, response } = msg as { request: UndiciRequest; response: { statusCode: number; headers: unknown } };
    const origin = originOf(request);
    if (!origins().has(origin)) return;
    try {
      listener.response?.({
        origin,
        method: request.method ?? 'GET',
        path: (request.path ?? '').split('?')[0],
        status: response.statusCode,
        headers: headerRecord(response.headers),
        at: Date.now(),
      });
    } catch {
      /* an observer never breaks a request */
    }
  };
  const onError = (msg: unknown) => {
    const { request, error } = msg as { request: UndiciRequest; error: { message?: string; name?: string } };
    const origin = originOf(request);
    if (!origins().has(origin)) return;
    try {
      listener.error?.({
        origin,
        method: request.method ?? 'GET',
        path: (request.path ?? '').split('?')[0],
        message: error?.name ?? error?.message ?? 'error',
        at: Date.now(),
      });
    } catch {
      /* idem */
    }
  };
  diagnostics.subscribe('undici:request:headers', onHeaders);
  diagnostics.subscribe('undici:request:error', onError);
  return () => {
    diagnostics.unsubscribe('undici:request:headers', onHeaders);
    diagnostics.unsubscribe('undici:request:error', onError);
  };
}

export interface RateHeaders {
  /** `core`, `graphql`, `search`… (GitHub); `gitlab` for GitLab's single budget. */
  resource: string;
  limit: number;
  remaining: number;
  /** Epoch ms. */
  resetAt: number;
  /** Points used in this window, when the platform says. */
  used?: number;
}

/** Primary rate-limit headers of a response, if it has them. */
export function rateHeaders(h: Record<string, string>): RateHeaders | undefined {
  const gh = h['x-ratelimit-remaining'] !== undefined;
  const p = gh ? 'x-ratelimit-' : 'ratelimit-';
  const limit = Number(h[`${p}limit`]);
  const remaining = Number(h[`${p}remaining`]);
  const reset = Number(h[`${p}reset`]);
  if (!Number.isFinite(limit) || !Number.isFinite(remaining) || !Number.isFinite(reset) || h[`${p}remaining`] === undefined)
    return undefined;
  const usedRaw = gh ? h['x-ratelimit-used'] : h['ratelimit-observed'];
  const used = usedRaw !== undefined && Number.isFinite(Number(usedRaw)) ? Number(usedRaw) : undefined;
  return {
    resource: gh ? (h['x-ratelimit-resource'] ?? 'core') : 'gitlab',
    limit,
    remaining,
    // Seconds since the epoch; tolerate milliseconds.
    resetAt: reset > 1e12 ? reset : reset * 1000,
    ...(used !== undefined ? { used } : {}),
  };
}

/** Seconds to wait from `retry-after` (seconds or an HTTP date), if present. */
export function retryAfterSeconds(h: Record<string, string>, now = Date.now()): number | undefined {
  const v = h['retry-after'];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (Number.isFinite(n)) return Math.max(0, n);
  const d = Date.parse(v);
  return Number.isFinite(d) ? Math.max(0, (d - now) / 1000) : undefined;
}
