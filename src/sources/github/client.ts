/**
 * The GitHub HTTP client: @octokit/core with the throttling and retry plugins, behind one custom
 * `fetch` that every HTTP request goes through. That fetch
 *   - counts each request (REST / GraphQL, retries, ETag hits) into the source's RequestStats;
 *   - bounds each attempt by a timeout (AbortSignal), body included, so a hanging response fails
 *     that request ("timed out after …") instead of the run;
 *   - answers conditional GETs from the on-disk ETag cache (a 304 becomes the cached 200);
 *   - removes the token from every text body before anything parses, logs or caches it (error
 *     bodies can echo request headers).
 * Callers get results, never exceptions: `{ok:false, kind, status, message}` with a redacted message.
 *
 * octokit is imported here only, and this module is imported only by the GitHub source, which the
 * source factory loads dynamically: the CLI's cold start never pays for it.
 */
import type { RequestStats } from '../source.js';
import { EtagCache } from './cache.js';
import type { Redactor } from './redact.js';

export interface ClientConfig {
  token?: string;
  /** REST base URL without a trailing slash, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl: string;
  graphqlUrl: string;
  timeoutMs: number;
  cacheDir?: string;
  stats: RequestStats;
  redactor: Redactor;
  log?: (line: string) => void;
  /** Retries after a 5xx / network failure (plugin-retry; default 3). */
  retries?: number;
  /** Base of the retry back-off: attempt n waits n² × this (default 1000 ms). */
  retryBaseMs?: number;
  /** Unit of `retry-after` / rate-limit waits (default 1000 ms = GitHub's seconds). Tests shrink it. */
  rateLimitUnitMs?: number;
  /** Longest wait for a rate limit to reset before giving up on that request (seconds; default 120). */
  maxRateLimitWaitS?: number;
  /** Clients with the same id share rate-limit pacing (default: one per client). */
  throttleId?: string;
  /**
   * Spacing of GraphQL (and other POST) requests. plugin-throttling spaces them 1 s apart, as GitHub
   * asks for mutating requests; tests set 0. Undefined keeps the plugin's default.
   */
  postSpacingMs?: number;
}

export interface ApiOk<T> {
  ok: true;
  status: number;
  data: T;
  headers: Record<string, string>;
}

export interface ApiFailure {
  ok: false;
  kind: 'http' | 'timeout' | 'network' | 'malformed' | 'rate-limit';
  status?: number;
  /** Redacted, human-readable: "API error 502 after 3 retries", "timed out after 30 s"… */
  message: string;
  /** GitHub's own `message` from the error body (redacted), e.g. "Branch not protected". */
  apiMessage?: string;
}

export type ApiResult<T> = ApiOk<T> | ApiFailure;

export interface GraphqlError {
  type?: string;
  message: string;
  path?: Array<string | number>;
}

export interface GraphqlBody<T> {
  data: T | null;
  errors?: GraphqlError[];
}

type OctokitLike = {
  request: (
    route: string | Record<string, unknown>,
    params?: Record<string, unknown>,
  ) => Promise<{ status: number; data: unknown; headers: Record<string, string> }>;
  hook: {
    wrap: (
      name: 'request',
      fn: (req: (o: Record<string, unknown>) => Promise<unknown>, o: Record<string, unknown>) => Promise<unknown>,
    ) => void;
  };
};

/**
 * plugin-throttling's `write` limiter group with our spacing, ONE per spacing value for the process:
 * a Bottleneck group keeps itself alive with a cleanup timer, so a group per client (a portfolio
 * creates a client per repository) would never be collected. Clients still get their own limiter
 * inside it through their throttle id (`group.key(id)`), which the group drops when idle.
 */
const writeGroups = new Map<number, Promise<unknown>>();
function writeGroup(minTime: number): Promise<unknown> {
  let g = writeGroups.get(minTime);
  if (!g) {
    g = (async () => {
      // The light build plugin-throttling itself uses; its types are the full build's.
      const { default: Bottleneck } = (await import('bottleneck/light.js' as string)) as { default: typeof import('bottleneck').default };
      // No spacing (the portfolio paces requests itself) → no serialisation either.
      return new Bottleneck.Group({ id: `slsa-scorecard-post-${minTime}`, maxConcurrent: minTime > 0 ? 1 : null, minTime });
    })();
    writeGroups.set(minTime, g);
  }
  return g;
}

class TimeoutError extends Error {
  override name = 'AbortError';
  readonly timeout = true;
  /** plugin-throttling reads `error.response.headers` on failed GraphQL requests. */
  readonly response = { headers: {}, data: undefined };
  readonly status = 500;
  /** The request's options: plugin-retry retries only errors that carry them (a RequestError does). */
  request?: unknown;
}

export class GitHubClient {
  /** Scopes of a classic token (x-oauth-scopes), as the last response said. */
  tokenScopes?: string[];
  /** Fine-grained permissions an endpoint asked for (x-accepted-github-permissions), by route. */
  readonly acceptedPermissions = new Map<string, string>();
  rateLimit?: { limit: number; remaining: number; reset: number };
  private readonly cache?: EtagCache;

  private constructor(
    private readonly octokit: OctokitLike,
    readonly cfg: ClientConfig,
  ) {
    if (cfg.cacheDir) this.cache = new EtagCache(cfg.cacheDir, cfg.token, new URL(cfg.apiUrl).host);
  }

  get authenticated(): boolean {
    return !!this.cfg.token;
  }

  static async create(cfg: ClientConfig): Promise<GitHubClient> {
    const [{ Octokit }, { throttling }, { retry }] = await Promise.all([
      import('@octokit/core'),
      import('@octokit/plugin-throttling'),
      import('@octokit/plugin-retry'),
    ]);
    const unit = cfg.rateLimitUnitMs ?? 1000;
    const maxWait = cfg.maxRateLimitWaitS ?? 120;
    const log = cfg.log;
    const MyOctokit = Octokit.plugin(throttling, retry);
    const write = cfg.postSpacingMs !== undefined ? await writeGroup(cfg.postSpacingMs) : undefined;
    const wait = (kind: string) => (retryAfter: number, options: { method?: string; url?: string }, _o: unknown, retryCount: number) => {
      if (retryCount >= 3 || retryAfter > maxWait) {
        log?.(`github: ${kind} rate limit on ${options.method} ${redactUrl(cfg, options.url)}: not retrying (reset in ${retryAfter} s)`);
        return false;
      }
      log?.(`github: ${kind} rate limit on ${options.method} ${redactUrl(cfg, options.url)}: waiting ${retryAfter} s as GitHub asks`);
      return true;
    };
    const octokit = new MyOctokit({
      auth: cfg.token,
      baseUrl: cfg.apiUrl,
      userAgent: 'slsa-scorecard',
      // octokit's own warnings (deprecations…) go nowhere: they could quote URLs with credentials.
      log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
      throttle: {
        onRateLimit: wait('primary'),
        onSecondaryRateLimit: wait('secondary'),
        retryAfterBaseValue: unit,
        fallbackSecondaryRateRetryAfter: 60,
        // One limiter set per client: two runs in one process do not share spacing state.
        id: cfg.throttleId ?? `slsa-scorecard-${Math.random().toString(36).slice(2)}`,
        ...(write ? { write } : {}),
      },
      // 409 ("Git Repository is empty") is an answer, not a transient failure: not retried either.
      retry: {
        retries: cfg.retries ?? 3,
        retryAfterBaseValue: cfg.retryBaseMs ?? 1000,
        doNotRetry: [400, 401, 403, 404, 409, 410, 422, 451],
      },
    }) as unknown as OctokitLike;
    const client = new GitHubClient(octokit, cfg);
    // Registered last = outermost: runs once per logical request; each attempt below it goes
    // through this request's own fetch, so attempts after the first are counted as retries.
    octokit.hook.wrap('request', (request, options) => {
      let attempts = 0;
      const fetch = async (url: string, init: RequestInit) => {
        if (attempts++ > 0) cfg.stats.retries++;
        try {
          return await client.fetch(url, init);
        } catch (err) {
          // A timeout is transient: without the options on it, plugin-retry would give up at once.
          if (err instanceof TimeoutError) err.request = options;
          throw err;
        }
      };
      // before-after-hook binds every inner hook to the ORIGINAL options object (arguments passed
      // down are ignored), so the per-request fetch is set on that object itself.
      options.request = { ...(options.request as object), fetch };
      return request(options);
    });
    return client;
  }

  /** One HTTP request: counted, timed out, ETag-cached, token-scrubbed. */
  private async fetch(url: string, init: RequestInit): Promise<Response> {
    const stats = this.cfg.stats;
    const isGraphql = url === this.cfg.graphqlUrl;
    stats.total++;
    if (isGraphql) stats.graphql++;
    else stats.rest++;
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = new Headers(init.headers);
    const accept = headers.get('accept') ?? '';
    const binary = accept.includes('octet-stream') || /\/tarball\//.test(new URL(url).pathname);
    const cached = method === 'GET' && !binary && this.cache ? await this.cache.get(url, accept) : undefined;
    if (cached) headers.set('if-none-match', cached.etag);
    const timeoutMs = binary ? this.cfg.timeoutMs * 4 : this.cfg.timeoutMs;
    const timer = AbortSignal.timeout(timeoutMs);
    const signal = init.signal ? AbortSignal.any([init.signal, timer]) : timer;
    const timedOut = () => new TimeoutError(`timed out after ${formatMs(timeoutMs)}`);
    try {
      const res = await globalThis.fetch(url, { ...init, headers, signal, redirect: 'follow' });
      this.noteHeaders(res.headers);
      if (res.status === 304 && cached) {
        stats.cached++;
        await res.body?.cancel().catch(() => undefined);
        return new Response(cached.body, { status: cached.status, headers: cached.headers });
      }
      const outHeaders = new Headers(res.headers);
      outHeaders.delete('content-length');
      outHeaders.delete('content-encoding');
      if (binary && res.ok) return new Response(await res.arrayBuffer(), { status: res.status, headers: outHeaders });
      const text = this.cfg.redactor.text(await res.text());
      if (method === 'GET' && res.status === 200 && this.cache && !binary) await this.cache.put(url, accept, res.status, res.headers, text);
      return new Response(res.status === 204 || res.status === 205 ? null : text, {
        status: res.status,
        statusText: res.statusText,
        headers: outHeaders,
      });
    } catch (err) {
      if (timer.aborted) throw timedOut();
      if (err instanceof Error) {
        // undici puts the useful part in `cause`; keep it, redacted, for octokit's RequestError.
        const cause = (err as Error & { cause?: unknown }).cause;
        const msg = this.cfg.redactor.text(cause instanceof Error ? `${err.message}: ${cause.message}` : err.message);
        // The original error is not attached as `cause`: it may carry request details; its message is kept, redacted.
        // eslint-disable-next-line preserve-caught-error
        throw new TypeError(msg);
      }
      throw err;
    }
  }

  private noteHeaders(h: Headers): void {
    const scopes = h.get('x-oauth-scopes');
    if (scopes !== null) {
      this.tokenScopes = scopes
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    }
    const limit = h.get('x-ratelimit-limit');
    const remaining = h.get('x-ratelimit-remaining');
    const reset = h.get('x-ratelimit-reset');
    if (limit && remaining && reset) this.rateLimit = { limit: +limit, remaining: +remaining, reset: +reset };
  }

  /** A REST request. `binary` returns the body as a Buffer (tarballs, release assets). */
  async rest<T>(
    route: string,
    params: Record<string, unknown> = {},
    opts: { binary?: boolean; accept?: string; text?: boolean } = {},
  ): Promise<ApiResult<T>> {
    try {
      const headers: Record<string, string> = { 'x-github-api-version': '2022-11-28' };
      if (opts.accept) headers.accept = opts.accept;
      const r = await this.octokit.request(route, { ...params, headers });
      if (opts.binary) {
        const d = r.data;
        const buf = d instanceof ArrayBuffer ? Buffer.from(d) : typeof d === 'string' ? Buffer.from(d) : Buffer.from(JSON.stringify(d));
        return { ok: true, status: r.status, data: buf as T, headers: r.headers };
      }
      if (r.status !== 204 && typeof r.data === 'string' && !opts.text) {
        return {
          ok: false,
          kind: 'malformed',
          status: r.status,
          message: `truncated or malformed JSON in the response to ${this.what(route, params)}`,
        };
      }
      return { ok: true, status: r.status, data: r.data as T, headers: r.headers };
    } catch (err) {
      return this.failure(err, this.what(route, params));
    }
  }

  /** A GraphQL query. Partial errors come back with the data (`errors` beside `data`), never thrown. */
  async graphql<T>(query: string, variables: Record<string, unknown> = {}): Promise<ApiResult<GraphqlBody<T>>> {
    try {
      const r = await this.octokit.request({ method: 'POST', url: this.cfg.graphqlUrl, query, variables });
      const body = r.data as GraphqlBody<T> | string;
      if (typeof body === 'string' || body === null || typeof body !== 'object' || !('data' in body || 'errors' in body)) {
        return {
          ok: false,
          kind: 'malformed',
          status: r.status,
          message: 'truncated or malformed JSON in the response to a GraphQL query',
        };
      }
      return { ok: true, status: r.status, data: { data: body.data ?? null, errors: body.errors }, headers: r.headers };
    } catch (err) {
      return this.failure(err, 'a GraphQL query');
    }
  }

  private what(route: string, params: Record<string, unknown>): string {
    const path = route.replace(/\{(\w+)\}/g, (_m, k: string) => (params[k] === undefined ? `{${k}}` : String(params[k])));
    return this.cfg.redactor.text(path);
  }

  private failure(err: unknown, what: string): ApiFailure {
    const red = this.cfg.redactor;
    const e = err as {
      status?: number;
      timeout?: boolean;
      message?: string;
      response?: { data?: unknown; headers?: Record<string, string> };
    };
    const retries = this.cfg.retries ?? 3;
    if (e?.timeout)
      return { ok: false, kind: 'timeout', message: `${red.error(err)} (${what})${retries ? ` after ${retries} retries` : ''}` };
    const data = e?.response?.data;
    const apiMessage =
      data && typeof data === 'object' && typeof (data as { message?: unknown }).message === 'string'
        ? red.text((data as { message: string }).message)
        : undefined;
    const status = e?.status;
    if (!e?.response || !status) {
      return {
        ok: false,
        kind: 'network',
        message: `network error on ${what}: ${red.error(err)}${status === 500 ? ` after ${retries} retries` : ''}`,
      };
    }
    if (status === 500 && e.response && !e.response.headers?.['content-type'] && !data) {
      return { ok: false, kind: 'network', message: `network error on ${what}: ${red.error(err)} after ${retries} retries` };
    }
    if (
      (status === 403 || status === 429) &&
      (/rate limit/i.test(apiMessage ?? '') || e.response.headers?.['x-ratelimit-remaining'] === '0')
    ) {
      return {
        ok: false,
        kind: 'rate-limit',
        status,
        apiMessage,
        message: `GitHub rate limit exceeded on ${what}${apiMessage ? `: ${apiMessage}` : ''}`,
      };
    }
    if (status >= 500)
      return { ok: false, kind: 'http', status, apiMessage, message: `API error ${status} after ${retries} retries (${what})` };
    return { ok: false, kind: 'http', status, apiMessage, message: `${what}: ${status}${apiMessage ? ` ${apiMessage}` : ''}` };
  }
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

function redactUrl(cfg: ClientConfig, url: string | undefined): string {
  return cfg.redactor.text(url ?? '');
}
