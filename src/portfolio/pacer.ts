/**
 * Pacing: when to start the next repository, read from what the platforms say about their limits.
 *
 * - Primary limits (GitHub `x-ratelimit-*` per resource — core, graphql —, GitLab `RateLimit-*`):
 *   the governor learns how much of each budget one repository costs (budget consumed ÷ repositories
 *   done) and, when the budget left would run out before the remaining repositories are done,
 *   spreads the launches evenly over the time until the reset. It waits for the reset only when
 *   not even one more repository fits — the last resort, not the first.
 * - Secondary limits: optional requests-per-minute caps per API origin and kind (GitHub documents
 *   900 REST and 2,000 GraphQL points per minute; gitlab.com ~2,000 requests per minute), kept with
 *   a sliding one-minute window of observed requests; and the concurrency cap. A secondary-limit
 *   answer (429, or 403 with `Retry-After`) pauses launches for the time asked and halves the
 *   concurrency; it grows back by one every ten repositories finished cleanly (AIMD).
 */
import type { ObservedError, ObservedResponse } from './observer.js';
import { rateHeaders, retryAfterSeconds } from './observer.js';
import type { RateBudget } from './types.js';

export type RequestKind = 'rest' | 'graphql';

export interface GovernorOptions {
  /** Repositories in flight at most. */
  concurrency: number;
  /** Requests per minute per API origin and kind (secondary limits); absent: no cap. */
  perMinute?: Record<string, Partial<Record<RequestKind, number>>>;
  /** Milliseconds per second of `Retry-After` (tests shrink it). */
  retryAfterUnitMs?: number;
  /** Longest single pause for a secondary limit (ms). */
  maxPauseMs?: number;
  /** Classifies a request path as GraphQL. */
  isGraphql?: (origin: string, path: string) => boolean;
  log?: (line: string) => void;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface Budget {
  origin: string;
  resource: string;
  limit: number;
  remaining: number;
  resetAt: number;
  /** Budget consumed in closed windows, plus `usedMax - usedStart` of the current one. */
  consumedBefore: number;
  usedStart: number;
  usedMax: number;
  lastLaunch: number;
}

/** Cost of one repository before any has finished (requests or points). */
const PRIOR: Record<string, number> = { core: 8, graphql: 3, gitlab: 20 };
const PRIOR_KIND: Record<RequestKind, number> = { rest: 8, graphql: 2 };
const MINUTE = 60_000;
/**
 * Room kept per repository in flight, in multiples of the mean cost: repositories differ (a released
 * one costs about twice the mean: its releases, tag signatures and attestations), and the mean
 * alone lets a run of expensive ones overdraw a small budget.
 */
const IN_FLIGHT_MARGIN = 1.75;

export interface GovernorStats {
  secondaryHits: number;
  primaryExhausted: number;
  serverErrors: number;
  timeouts: number;
  /** Total ms launches waited for pacing (budget spreading, per-minute caps, pauses). */
  pacedMs: number;
  waitedForResetMs: number;
}

export class RateGovernor {
  private readonly budgets = new Map<string, Budget>();
  private perMinute: Record<string, Partial<Record<RequestKind, number>>>;
  private readonly windows = new Map<string, number[]>();
  private readonly kindCounts = new Map<string, number>();
  private inFlight = 0;
  private concurrency: number;
  private pausedUntil = 0;
  private cleanReleases = 0;
  private finished = 0;
  private remainingRepos = Infinity;
  private slotWaiters: Array<() => void> = [];
  readonly stats: GovernorStats = { secondaryHits: 0, primaryExhausted: 0, serverErrors: 0, timeouts: 0, pacedMs: 0, waitedForResetMs: 0 };
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;
  /** Listeners of 5xx / timeouts on GraphQL (the batch sizer). */
  onGraphqlTrouble?: () => void;

  constructor(private readonly o: GovernorOptions) {
    this.concurrency = Math.max(1, o.concurrency);
    this.perMinute = o.perMinute ?? {};
    this.now = o.now ?? Date.now;
    this.sleep = o.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  get currentConcurrency(): number {
    return this.concurrency;
  }

  /** Requests-per-minute caps by API origin (known once the platforms are). */
  setPerMinute(p: Record<string, Partial<Record<RequestKind, number>>>): void {
    this.perMinute = p;
  }

  setRemainingRepos(n: number): void {
    this.remainingRepos = n;
  }

  private kindOf(origin: string, path: string): RequestKind {
    return (this.o.isGraphql?.(origin, path) ?? /\/graphql$/.test(path)) ? 'graphql' : 'rest';
  }

  observe(r: ObservedResponse): void {
    const kind = this.kindOf(r.origin, r.path);
    const kk = `${r.origin} ${kind}`;
    this.kindCounts.set(kk, (this.kindCounts.get(kk) ?? 0) + 1);
    if (this.perMinute[r.origin]?.[kind] !== undefined) {
      const w = this.windows.get(kk) ?? [];
      w.push(r.at);
      this.windows.set(kk, w);
    }
    const rh = rateHeaders(r.headers);
    if (rh) this.updateBudget(r.origin, rh);
    if (r.status >= 500) {
      this.stats.serverErrors++;
      if (kind === 'graphql') this.onGraphqlTrouble?.();
    }
    if (r.status === 429 || r.status === 403) {
      const after = retryAfterSeconds(r.headers, r.at);
      if (after !== undefined || r.status === 429) this.secondary(after ?? 60, r);
      else if (rh && rh.remaining === 0) this.stats.primaryExhausted++;
    }
  }

  /** A budget read from a response body (GraphQL `rateLimit { cost remaining resetAt limit }`). */
  observeBudget(origin: string, b: { resource: string; limit: number; remaining: number; resetAt: number }): void {
    this.updateBudget(origin, b);
  }

  observeError(e: ObservedError): void {
    if (/timeout|abort/i.test(e.message)) {
      this.stats.timeouts++;
      if (this.kindOf(e.origin, e.path) === 'graphql') this.onGraphqlTrouble?.();
    }
  }

  private updateBudget(origin: string, rh: NonNullable<ReturnType<typeof rateHeaders>>): void {
    const key = `${origin} ${rh.resource}`;
    const used = rh.used ?? rh.limit - rh.remaining;
    const b = this.budgets.get(key);
    if (!b) {
      this.budgets.set(key, {
        origin,
        resource: rh.resource,
        limit: rh.limit,
        remaining: rh.remaining,
        resetAt: rh.resetAt,
        consumedBefore: 0,
        // This response's own request is ours.
        usedStart: Math.max(0, used - 1),
        usedMax: used,
        lastLaunch: 0,
      });
      return;
    }
    if (rh.resetAt > b.resetAt + 1500) {
      // A new window: bank what the old one consumed.
      b.consumedBefore += Math.max(0, b.usedMax - b.usedStart);
      b.usedStart = 0;
      b.usedMax = used;
      b.remaining = rh.remaining;
      b.limit = rh.limit;
      b.resetAt = rh.resetAt;
      return;
    }
    if (rh.resetAt < b.resetAt - 1500) return; // a late answer from the previous window
    b.remaining = Math.min(b.remaining, rh.remaining);
    b.usedMax = Math.max(b.usedMax, used);
    b.limit = rh.limit;
  }

  private secondary(seconds: number, r: ObservedResponse): void {
    this.stats.secondaryHits++;
    const unit = this.o.retryAfterUnitMs ?? 1000;
    const ms = Math.min(this.o.maxPauseMs ?? 5 * MINUTE, Math.max(1, seconds) * unit);
    const until = this.now() + ms;
    const before = this.concurrency;
    this.concurrency = Math.max(1, Math.floor(this.concurrency / 2));
    this.cleanReleases = 0;
    if (until > this.pausedUntil) {
      this.pausedUntil = until;
      this.o.log?.(
        `rate limit: secondary limit on ${r.origin} (${r.status}); pausing new repositories for ${formatMs(ms)}, concurrency ${before} → ${this.concurrency}`,
      );
    }
  }

  /** Budget of one repository in `b`'s unit: measured once a few are done, the prior until then. */
  private costPerRepo(b: Budget): number {
    const prior = PRIOR[b.resource] ?? 5;
    const consumed = b.consumedBefore + Math.max(0, b.usedMax - b.usedStart);
    const done = this.finished + this.inFlight * 0.5;
    if (this.finished < 3 || done <= 0) return Math.max(1, prior);
    return Math.max(0.05, consumed / done);
  }

  private kindPerRepo(kk: string, kind: RequestKind): number {
    if (this.finished < 3) return PRIOR_KIND[kind];
    return Math.max(0.05, (this.kindCounts.get(kk) ?? 0) / (this.finished + this.inFlight * 0.5));
  }

  /** How long the next launch must wait (ms), and why; 0: go. */
  private delay(): { ms: number; why?: string; reset?: boolean } {
    const now = this.now();
    let ms = Math.max(0, this.pausedUntil - now);
    let why = ms > 0 ? 'secondary rate limit' : undefined;
    let reset = false;
    for (const b of this.budgets.values()) {
      // A window that has reset is a full one until an answer says how much is left: still bounded,
      // or repositories launched before that answer could overdraw it.
      const fresh = b.resetAt <= now;
      const cost = this.costPerRepo(b);
      const avail = (fresh ? b.limit : b.remaining) - cost * IN_FLIGHT_MARGIN * this.inFlight;
      let wait = 0;
      let resetWait = false;
      if (avail < cost) {
        wait = fresh ? 250 : b.resetAt - now + 1000;
        resetWait = !fresh;
      } else if (!fresh) {
        const affordable = Math.floor(avail / cost);
        if (affordable < this.remainingRepos) wait = b.lastLaunch + (b.resetAt - now) / affordable - now;
      }
      if (wait > ms) {
        ms = wait;
        why = `${b.resource} budget ${b.remaining}/${b.limit}`;
        reset = resetWait;
      }
    }
    for (const [origin, caps] of Object.entries(this.perMinute)) {
      for (const kind of ['rest', 'graphql'] as const) {
        const cap = caps[kind];
        if (cap === undefined) continue;
        const kk = `${origin} ${kind}`;
        const w = this.windows.get(kk) ?? [];
        while (w.length > 0 && w[0] <= now - MINUTE) w.shift();
        const need = Math.ceil(this.kindPerRepo(kk, kind));
        const over = w.length + need - cap;
        if (over > 0) {
          const wait = (w[Math.min(w.length - 1, over - 1)] ?? now) + MINUTE - now;
          if (wait > ms) {
            ms = wait;
            why = `${kind} requests per minute (${cap}) on ${origin}`;
            reset = false;
          }
        }
      }
    }
    return { ms, why, reset };
  }

  /** Waits without taking a slot (before a batch prefetch). */
  async gate(): Promise<void> {
    for (;;) {
      const d = this.delay();
      if (d.ms <= 0) return;
      await this.pause(d);
    }
  }

  private announced = '';
  private async pause(d: { ms: number; why?: string; reset?: boolean }): Promise<void> {
    const step = Math.min(d.ms, 2000);
    if (d.reset && this.announced !== d.why) {
      this.announced = d.why ?? '';
      this.o.log?.(`rate limit: ${d.why} — not enough left for one more repository; waiting ${formatMs(d.ms)} for the reset`);
    }
    if (d.reset) this.stats.waitedForResetMs += step;
    else this.stats.pacedMs += step;
    await this.sleep(step);
  }

  /** Waits for a slot and for pacing; returns the release function (call it once the repository is done). */
  async acquire(): Promise<() => void> {
    for (;;) {
      if (this.inFlight >= this.concurrency) {
        await new Promise<void>((r) => this.slotWaiters.push(r));
        continue;
      }
      const d = this.delay();
      if (d.ms > 0) {
        await this.pause(d);
        continue;
      }
      break;
    }
    this.inFlight++;
    const t = this.now();
    for (const b of this.budgets.values()) b.lastLaunch = t;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight--;
      this.finished++;
      if (++this.cleanReleases >= 10 && this.concurrency < this.o.concurrency) {
        this.concurrency++;
        this.cleanReleases = 0;
      }
      this.slotWaiters.shift()?.();
    };
  }

  /** The budgets last seen, for progress lines. */
  budgetsSeen(): RateBudget[] {
    return [...this.budgets.values()].map((b) => ({ resource: b.resource, limit: b.limit, remaining: b.remaining, resetAt: b.resetAt }));
  }
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * Batch size for batched prefetch: starts small, halves on a failed or slow batch (a 502, a
 * timeout, a retried or split query — GitHub's GraphQL gives up after 10 s), grows by 2 when a batch
 * comes back fast, never above `max`.
 */
export class BatchSizer {
  private current: number;

  constructor(
    readonly max: number,
    opts: { start?: number; fastMs?: number; slowMs?: number } = {},
  ) {
    this.current = Math.max(1, Math.min(max, opts.start ?? Math.min(10, max)));
    this.fastMs = opts.fastMs ?? 2_000;
    this.slowMs = opts.slowMs ?? 6_000;
  }

  private readonly fastMs: number;
  private readonly slowMs: number;
  /** Sizes used, for the bench and tests. */
  readonly history: number[] = [];

  get size(): number {
    return this.current;
  }

  record(r: { ms: number; failed: boolean }): void {
    this.history.push(this.current);
    if (r.failed) this.current = Math.max(1, Math.floor(this.current / 2));
    else if (r.ms > this.slowMs) this.current = Math.max(1, Math.floor((this.current * 3) / 4));
    else if (r.ms < this.fastMs) this.current = Math.min(this.max, this.current + 2);
  }
}
