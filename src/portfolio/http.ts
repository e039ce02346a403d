/**
 * The small HTTP client enumeration uses (a few requests per hundred repositories): JSON in and
 * out, a timeout per attempt, retries with backoff for 5xx, timeouts, connection errors and rate
 * limits (waiting what `Retry-After` / the reset header asks, within bounds). Errors carry the
 * status and the API's own `message`, with the token scrubbed; never a header.
 */
import { retryAfterSeconds } from './observer.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

export interface JsonRequest {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: unknown;
}

export interface HttpClientOptions {
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  /** ms per second of Retry-After. */
  rateLimitUnitMs: number;
  /** Longest rate-limit wait honoured, in seconds. */
  maxRateLimitWaitS: number;
  /** Strings scrubbed from every message (the token). */
  secrets: string[];
  /** Counts requests (the portfolio's own, e.g. enumeration). */
  onRequest?: (kind: 'rest' | 'graphql') => void;
  log?: (line: string) => void;
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  data: T;
}

export function redact(text: string, secrets: string[]): string {
  let t = text;
  for (const s of secrets) if (s && s.length >= 4) t = t.split(s).join('***');
  return t;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function requestJson<T>(req: JsonRequest, o: HttpClientOptions, kind: 'rest' | 'graphql' = 'rest'): Promise<JsonResponse<T>> {
  let last: HttpError | undefined;
  for (let attempt = 0; attempt <= o.retries; attempt++) {
    if (attempt > 0) await sleep(o.retryBaseMs * 2 ** (attempt - 1) * (0.75 + Math.random() / 2));
    o.onRequest?.(kind);
    let res: Response;
    try {
      res = await fetch(req.url, {
        method: req.method ?? 'GET',
        headers: { accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}), ...req.headers },
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'error',
      });
    } catch (err) {
      const e = err as Error;
      const what =
        e.name === 'TimeoutError' || e.name === 'AbortError' ? `timed out after ${o.timeoutMs} ms` : `network error: ${e.message}`;
      last = new HttpError(0, redact(`${what} (${safeUrl(req.url)})`, o.secrets), true);
      continue;
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      last = new HttpError(
        res.status,
        redact(`reading the response failed: ${(err as Error).message} (${safeUrl(req.url)})`, o.secrets),
        true,
      );
      continue;
    }
    const headers: Record<string, string> = {};
    res.headers.forEach((v, k) => (headers[k] = v));
    let data: unknown;
    try {
      data = text ? JSON.parse(text) : null;
    } catch {
      data = undefined;
    }
    const apiMessage =
      data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
        ? (data as { message: string }).message
        : undefined;
    const message = (s: string) => redact(`${s}${apiMessage ? `: ${apiMessage.slice(0, 300)}` : ''} (${safeUrl(req.url)})`, o.secrets);
    const retryAfter = retryAfterSeconds(headers);
    const limited =
      res.status === 429 ||
      ((res.status === 403 || res.status === 429) && (retryAfter !== undefined || headers['x-ratelimit-remaining'] === '0'));
    if (limited) {
      const reset = Number(headers['x-ratelimit-reset'] ?? headers['ratelimit-reset']);
      const wait = retryAfter ?? (Number.isFinite(reset) ? Math.max(1, reset - Date.now() / 1000) : 60);
      last = new HttpError(res.status, message(`rate limited (${res.status})`), true);
      if (wait > o.maxRateLimitWaitS) break;
      o.log?.(`rate limit on ${safeUrl(req.url)}: waiting ${Math.ceil(wait)} s as the server asks`);
      await sleep(wait * o.rateLimitUnitMs);
      continue;
    }
    if (res.status >= 500) {
      last = new HttpError(res.status, message(`API error ${res.status}`), true);
      continue;
    }
    if (res.status >= 400) throw new HttpError(res.status, message(`HTTP ${res.status}`), false);
    if (data === undefined) {
      last = new HttpError(res.status, redact(`malformed JSON in the response (${safeUrl(req.url)})`, o.secrets), true);
      continue;
    }
    return { status: res.status, headers: res.headers, data: data as T };
  }
  throw last ?? new HttpError(0, 'request failed', true);
}

/** A URL without its query string or credentials, for messages. */
export function safeUrl(u: string): string {
  try {
    const x = new URL(u);
    return `${x.origin}${x.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The `rel="next"` target of a Link header. */
export function nextLink(link: string | null): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(',')) {
    const m = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part);
    if (m) return m[1];
  }
  return undefined;
}
