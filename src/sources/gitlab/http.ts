/**
 * Every HTTP request the GitLab source makes goes through here: authentication (PRIVATE-TOKEN /
 * JOB-TOKEN, only ever to the instance's own origin), counting (total / rest / graphql / retries),
 * a per-request timeout, 429 waited out (Retry-After, RateLimit-Reset), 500/502/503/504 and
 * connection resets retried with backoff, size caps, and redirects followed by hand so a token is
 * never forwarded to another origin. gitbeaker's resources use it through `requesterFn()`.
 *
 * Errors carry the status, GitLab's own message and the endpoint path — never a header, never the
 * token (and `redact()` scrubs it from anything that is printed, belt and braces).
 */
import type { RequestStats } from '../source.js';

export type AuthKind = 'private-token' | 'job-token';

export interface GitLabAuth {
  kind: AuthKind;
  token: string;
}

export interface HttpOptions {
  /** Instance URL, e.g. https://gitlab.com (no /api/v4). */
  instanceUrl: string;
  auth?: GitLabAuth;
  stats: RequestStats;
  /** Per-request timeout: until the response headers, then between body chunks. */
  timeoutMs: number;
  /** Retries after the first attempt for 429 / 5xx / connection errors. */
  maxRetries?: number;
  /** First backoff for 5xx (doubled each retry, with jitter). */
  retryBaseMs?: number;
  /** A 429 asking to wait longer than this fails instead. */
  maxRateLimitWaitMs?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  log?: (line: string) => void;
  /** Injectable for tests. */
  sleep?: (ms: number) => Promise<void>;
}

export type ErrorKind = 'http' | 'timeout' | 'network' | 'rate-limit' | 'too-large';

export class GitLabHttpError extends Error {
  constructor(
    /** HTTP status; 0 when there was no response. */
    readonly status: number,
    readonly kind: ErrorKind,
    message: string,
    /** The endpoint, without the query string (`projects/42/push_rule`). */
    readonly endpoint: string,
    /** GitLab's `message` / `error` from the body, when it sent one. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'GitLabHttpError';
  }

  /** GitLab's answer for a token without the needed scope. */
  get insufficientScope(): boolean {
    return this.status === 403 && /insufficient_scope/i.test(this.detail ?? '');
  }
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Record<string, string>;
  body: T;
}

export type BodyAs = 'json' | 'text' | 'buffer' | 'stream';

export interface RequestOptions {
  method?: 'GET' | 'POST';
  query?: Record<string, unknown>;
  body?: unknown;
  as?: BodyAs;
  /** Refuse bodies larger than this (kind 'too-large'); `truncate` keeps the first maxBytes instead. */
  maxBytes?: number;
  truncate?: boolean;
  /** Count as a GraphQL request. */
  graphql?: boolean;
  /** Headers-to-first-byte timeout override (e.g. an archive that takes a while to start). */
  timeoutMs?: number;
}

const RETRY_STATUS = new Set([500, 502, 503, 504]);
const DEFAULT_MAX_JSON = 32 * 1024 * 1024;

export class GitLabHttp {
  readonly origin: string;
  readonly apiBase: string;
  private readonly maxRetries: number;
  private readonly retryBaseMs: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private pausedUntil = 0;
  private active = 0;
  private readonly queue: Array<() => void> = [];
  private readonly concurrency: number;

  constructor(private readonly opts: HttpOptions) {
    const u = new URL(opts.instanceUrl);
    this.origin = u.origin;
    this.apiBase = `${u.origin}${u.pathname.replace(/\/+$/, '').replace(/\/api\/v4$/, '')}/api/v4/`;
    this.maxRetries = opts.maxRetries ?? 3;
    this.retryBaseMs = opts.retryBaseMs ?? 500;
    this.maxRateLimitWaitMs = opts.maxRateLimitWaitMs ?? 60_000;
    this.concurrency = opts.concurrency ?? 8;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get authenticated(): boolean {
    return this.opts.auth !== undefined;
  }

  get authKind(): AuthKind | undefined {
    return this.opts.auth?.kind;
  }

  /** The GraphQL endpoint (…/api/graphql, next to /api/v4). */
  get graphqlUrl(): string {
    return this.apiBase.replace(/\/v4\/$/, '/graphql');
  }

  /** Replaces the token wherever it might appear. */
  redact(s: string): string {
    const t = this.opts.auth?.token;
    return t && t.length >= 4 ? s.split(t).join('[REDACTED]') : s;
  }

  /** A REST call relative to /api/v4 (`projects/1/hooks`), or an absolute URL on the instance. */
  async api<T = unknown>(endpoint: string, o: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = /^https?:\/\//i.test(endpoint) ? new URL(endpoint) : new URL(endpoint.replace(/^\/+/, ''), this.apiBase);
    if (o.query) url.search = formatQuery(o.query);
    return this.request<T>(url, o);
  }

  async graphql<T = unknown>(query: string, variables: Record<string, unknown>): Promise<{ data: T | null; errors: GraphqlError[] }> {
    const r = await this.request<{ data?: T | null; errors?: GraphqlError[] }>(new URL(this.graphqlUrl), {
      method: 'POST',
      body: { query, variables },
      graphql: true,
    });
    const body = r.body ?? {};
    return { data: body.data ?? null, errors: Array.isArray(body.errors) ? body.errors : [] };
  }

  /**
   * Downloads a URL that may live anywhere (a release link): the token is attached only when it is
   * on the instance's own origin.
   */
  async download(url: string, maxBytes: number): Promise<Buffer> {
    const r = await this.request<Buffer>(new URL(url), { as: 'buffer', maxBytes });
    return r.body;
  }

  /** gitbeaker `requesterFn`: its resources call the API through this layer. */
  requesterFn(): (serviceOptions: {
    url: string;
  }) => Record<string, (endpoint: string, options?: GitbeakerRequestOptions) => Promise<HttpResponse>> {
    return (service) => {
      const call =
        (method: 'GET' | 'POST') =>
        async (endpoint: string, options: GitbeakerRequestOptions = {}) => {
          const url = new URL(endpoint.replace(/^\/+/, ''), service.url.endsWith('/') ? service.url : `${service.url}/`);
          const sp = options.searchParams;
          if (typeof sp === 'string') url.search = sp;
          else if (sp && typeof sp === 'object') url.search = formatQuery(sp as Record<string, unknown>);
          return this.request(url, { method, body: method === 'GET' ? undefined : options.body, as: options.asStream ? 'stream' : 'json' });
        };
      const refuse = (method: string) => async (endpoint: string) => {
        throw new GitLabHttpError(0, 'network', `refusing ${method} ${endpoint}: the GitLab source only reads`, endpoint);
      };
      return { get: call('GET'), post: refuse('POST'), put: refuse('PUT'), patch: refuse('PATCH'), delete: refuse('DELETE') };
    };
  }

  private async slot<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.concurrency) await new Promise<void>((r) => this.queue.push(r));
    this.active++;
    try {
      return await fn();
    } finally {
      this.active--;
      this.queue.shift()?.();
    }
  }

  private async request<T>(url: URL, o: RequestOptions): Promise<HttpResponse<T>> {
    const endpoint = url.pathname.replace(/^.*?\/api\/v4\//, '').replace(/^\/api\//, '');
    for (let attempt = 0; ; attempt++) {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) await this.sleep(wait);
      let res: Response;
      let ac: AbortController;
      try {
        ({ res, ac } = await this.slot(() => this.fetchFollowing(url, o)));
      } catch (err) {
        if (err instanceof GitLabHttpError) throw err;
        const e = err as Error & { cause?: { code?: string } };
        const timedOut = e.name === 'TimeoutError' || e.name === 'AbortError';
        // Timeouts are transient like network errors: retried (every request here is a read).
        if (attempt < this.maxRetries) {
          this.opts.stats.retries++;
          await this.sleep(this.backoff(attempt));
          continue;
        }
        if (timedOut)
          throw new GitLabHttpError(
            0,
            'timeout',
            `timed out after ${this.timeoutFor(o) / 1000} s waiting for ${endpoint} (after ${attempt} retries)`,
            endpoint,
          );
        const code = e.cause?.code ?? e.message;
        throw new GitLabHttpError(0, 'network', this.redact(`network error on ${endpoint}: ${code} (after ${attempt} retries)`), endpoint);
      }
      const headers = headerRecord(res.headers);
      this.notePacing(headers);
      if (res.ok) {
        try {
          const body = await this.readBody(res, ac, o, endpoint);
          return { status: res.status, headers, body: body as T };
        } catch (err) {
          if (err instanceof GitLabHttpError) throw err;
          const e = err as Error;
          if (e.name === 'TimeoutError' || e.name === 'AbortError') {
            if (attempt < this.maxRetries) {
              this.opts.stats.retries++;
              await this.sleep(this.backoff(attempt));
              continue;
            }
            throw new GitLabHttpError(
              0,
              'timeout',
              `timed out after ${this.timeoutFor(o) / 1000} s reading ${endpoint} (after ${attempt} retries)`,
              endpoint,
            );
          }
          throw new GitLabHttpError(
            res.status,
            'network',
            this.redact(`could not read the response of ${endpoint}: ${e.message}`),
            endpoint,
          );
        }
      }
      const detail = await errorDetail(res);
      if (res.status === 429) {
        const delay = retryAfterMs(headers) ?? this.backoff(attempt) * 2;
        if (attempt < this.maxRetries && delay <= this.maxRateLimitWaitMs) {
          this.opts.stats.retries++;
          this.opts.log?.(`GitLab rate limit on ${endpoint}: waiting ${Math.ceil(delay / 1000)} s`);
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + delay);
          continue;
        }
        throw new GitLabHttpError(
          429,
          'rate-limit',
          `rate limited on ${endpoint} (HTTP 429${delay > this.maxRateLimitWaitMs ? `, retry after ${Math.ceil(delay / 1000)} s` : ''})`,
          endpoint,
          detail,
        );
      }
      if (RETRY_STATUS.has(res.status)) {
        if (attempt < this.maxRetries) {
          this.opts.stats.retries++;
          await this.sleep(this.backoff(attempt));
          continue;
        }
        throw new GitLabHttpError(res.status, 'http', `API error ${res.status} on ${endpoint} after ${attempt} retries`, endpoint, detail);
      }
      throw new GitLabHttpError(
        res.status,
        'http',
        this.redact(`HTTP ${res.status} on ${endpoint}${detail ? `: ${detail}` : ''}`),
        endpoint,
        detail,
      );
    }
  }

  private timeoutFor(o: RequestOptions): number {
    return o.timeoutMs ?? this.opts.timeoutMs;
  }

  /** One attempt, following up to 5 redirects by hand; credentials go only to the instance origin. */
  private async fetchFollowing(start: URL, o: RequestOptions): Promise<{ res: Response; ac: AbortController }> {
    let url = start;
    for (let hop = 0; hop <= 5; hop++) {
      const headers: Record<string, string> = { accept: o.graphql || o.as === undefined || o.as === 'json' ? 'application/json' : '*/*' };
      const auth = this.opts.auth;
      // Credentials only to the instance itself; GraphQL does not take job tokens (it runs anonymously then).
      if (auth && url.origin === this.origin && !(o.graphql && auth.kind === 'job-token')) {
        if (auth.kind === 'job-token') headers['job-token'] = auth.token;
        else if (o.graphql) headers.authorization = `Bearer ${auth.token}`;
        else headers['private-token'] = auth.token;
      }
      let body: string | undefined;
      if (o.body !== undefined && (o.method ?? 'GET') !== 'GET') {
        body = JSON.stringify(o.body);
        headers['content-type'] = 'application/json';
      }
      this.opts.stats.total++;
      if (o.graphql) this.opts.stats.graphql++;
      else this.opts.stats.rest++;
      const ac = new AbortController();
      const timer = setTimeout(() => ac.abort(new DOMException('timed out', 'TimeoutError')), this.timeoutFor(o));
      let res: Response;
      try {
        res = await fetch(url, { method: o.method ?? 'GET', headers, body, redirect: 'manual', signal: ac.signal });
      } finally {
        clearTimeout(timer);
      }
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel().catch(() => undefined);
        url = new URL(res.headers.get('location')!, url);
        if (url.protocol !== 'https:' && url.protocol !== 'http:') break;
        continue;
      }
      return { res, ac };
    }
    throw new GitLabHttpError(0, 'network', `too many redirects from ${start.pathname}`, start.pathname);
  }

  /** Reads the body with the per-chunk timeout and the size cap. */
  private async readBody(res: Response, ac: AbortController, o: RequestOptions, endpoint: string): Promise<unknown> {
    const as = o.as ?? 'json';
    if (res.status === 204) return as === 'json' ? null : as === 'text' ? '' : Buffer.alloc(0);
    if (as === 'stream') return this.timedStream(res, ac, endpoint);
    const max = o.maxBytes ?? DEFAULT_MAX_JSON;
    const declared = Number(res.headers.get('content-length'));
    if (!o.truncate && Number.isFinite(declared) && declared > max) {
      await res.body?.cancel().catch(() => undefined);
      throw new GitLabHttpError(res.status, 'too-large', `response of ${declared} bytes is over the ${max}-byte limit`, endpoint);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of this.timedStream(res, ac, endpoint)) {
      chunks.push(Buffer.from(chunk));
      size += chunk.byteLength;
      if (size > max) {
        ac.abort();
        if (o.truncate) break;
        throw new GitLabHttpError(res.status, 'too-large', `response is over the ${max}-byte limit`, endpoint);
      }
    }
    let buf = Buffer.concat(chunks);
    if (o.truncate && buf.length > max) buf = buf.subarray(0, max);
    if (as === 'buffer') return buf;
    const text = buf.toString('utf8');
    if (as === 'text') return text;
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text);
    } catch {
      throw new GitLabHttpError(
        res.status,
        'http',
        `response of ${endpoint} is not JSON (${(res.headers.get('content-type') ?? 'no content type').split(';')[0]})`,
        endpoint,
      );
    }
  }

  /** The body as chunks; the stream is aborted when no chunk arrives within the timeout. */
  private async *timedStream(res: Response, ac: AbortController, endpoint: string): AsyncGenerator<Uint8Array> {
    if (!res.body) return;
    const reader = res.body.getReader();
    try {
      for (;;) {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            // Reject before aborting: the abort rejects the pending read at once, and the timeout must win the race.
            reject(
              new GitLabHttpError(0, 'timeout', `timed out after ${this.opts.timeoutMs / 1000} s: ${endpoint} stopped sending`, endpoint),
            );
            ac.abort();
          }, this.opts.timeoutMs);
        });
        let step: ReadableStreamReadResult<Uint8Array>;
        try {
          step = await Promise.race([reader.read(), timeout]);
        } finally {
          clearTimeout(timer);
        }
        if (step.done) return;
        yield step.value;
      }
    } finally {
      try {
        reader.releaseLock();
      } catch {
        /* a read still pending after an abort */
      }
      await res.body.cancel().catch(() => undefined);
    }
  }

  private backoff(attempt: number): number {
    return Math.round(this.retryBaseMs * 2 ** attempt * (0.75 + Math.random() * 0.5));
  }

  /** GitLab says how many requests are left in the window: when none, pause until it resets. */
  private notePacing(h: Record<string, string>): void {
    if (h['ratelimit-remaining'] !== '0') return;
    const reset = Number(h['ratelimit-reset']);
    if (!Number.isFinite(reset) || reset <= 0) return;
    const until = reset * 1000;
    if (until > Date.now() && until - Date.now() <= this.maxRateLimitWaitMs) this.pausedUntil = Math.max(this.pausedUntil, until);
  }
}

export interface GraphqlError {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GitbeakerRequestOptions {
  searchParams?: Record<string, unknown> | string;
  body?: unknown;
  asStream?: boolean;
  signal?: AbortSignal;
  sudo?: string | number;
}

function headerRecord(h: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  h.forEach((v, k) => (out[k.toLowerCase()] = v));
  return out;
}

/** Retry-After (seconds or an HTTP date), else RateLimit-Reset (epoch seconds). */
export function retryAfterMs(h: Record<string, string>, now = Date.now()): number | undefined {
  const ra = h['retry-after'];
  if (ra !== undefined) {
    const s = Number(ra);
    if (Number.isFinite(s)) return Math.max(0, s * 1000);
    const d = Date.parse(ra);
    if (!Number.isNaN(d)) return Math.max(0, d - now);
  }
  const reset = Number(h['ratelimit-reset']);
  if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now);
  return undefined;
}

async function errorDetail(res: Response): Promise<string | undefined> {
  try {
    const text = (await res.text()).slice(0, 2000);
    try {
      const j = JSON.parse(text) as { message?: unknown; error?: unknown; error_description?: unknown };
      const parts = [j.error, j.message, j.error_description]
        .filter((x) => x !== undefined)
        .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)));
      return parts.join(': ').slice(0, 300) || undefined;
    } catch {
      return text.trim().slice(0, 200) || undefined;
    }
  } catch {
    return undefined;
  }
}

const snake = (k: string) => k.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** gitbeaker hands over camelCase options; GitLab reads snake_case, arrays as `key[]=`. */
export function formatQuery(q: Record<string, unknown>): string {
  const p = new URLSearchParams();
  const add = (key: string, v: unknown) => {
    if (v === undefined || v === null) return;
    if (Array.isArray(v)) for (const x of v) add(`${key}[]`, x);
    else if (typeof v === 'object') for (const [k, x] of Object.entries(v as Record<string, unknown>)) add(`${key}[${snake(k)}]`, x);
    else p.append(key, String(v));
  };
  for (const [k, v] of Object.entries(q)) add(snake(k), v);
  return p.toString();
}
