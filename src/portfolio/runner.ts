/**
 * The portfolio run: enumerate → skip what is done (--resume) → prefetch in adaptive batches →
 * assess with bounded, paced concurrency → write each result as it finishes → build the reports.
 *
 * Memory stays flat: an assessment lives from its prefetch to its index line, then only counters
 * remain. At most `concurrency` prefetched sources wait for a worker (the prefetcher waits when
 * the queue is full), plus the batch in flight.
 *
 * Failures: a repository that cannot be assessed for good (404, no access, invalid name) gets an
 * error line at once; transient trouble (5xx, timeouts, rate limits — in the prefetch or as
 * network unknowns in the assessment) is retried up to `maxAttempts` times, with back-off, before
 * its result (or error) is written. Nothing a single repository does can stop the run.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderBadge } from '../report/badge.js';
import { renderJson } from '../report/json.js';
import { assess, type Assessment } from '../assessment.js';
import type { CheckDefinition } from '../check.js';
import type { CheckRunOptions } from '../engine.js';
import type { FactOptions } from '../facts/store.js';
import type { Source } from '../sources/source.js';
import type { TargetOptions } from '../target.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';
import { buildReports, type ReportFiles } from './dashboard.js';
import { finishedKeys, IndexWriter, prepareOutDir, readIndex, removeTmpDir, writeAtomic, INDEX_FILE } from './journal.js';
import { readList } from './list.js';
import { assessmentPath, badgePath, repoKey } from './names.js';
import { observeRequests } from './observer.js';
import { BatchSizer, RateGovernor, formatMs } from './pacer.js';
import { platformFor, type PlatformOptions } from './platforms/index.js';
import { Progress } from './progress.js';
import { errorEntry, okEntry, transientProblem } from './summary.js';
import type { IndexEntry, PortfolioPlatform, PortfolioSpec, RepoFailure, RepoRef } from './types.js';

export const SPEC_FILE = 'portfolio.json';

export interface PortfolioOptions extends Omit<PlatformOptions, 'countRequest' | 'log'> {
  spec: PortfolioSpec;
  outDir: string;
  resume?: boolean;
  includeArchived?: boolean;
  includeForks?: boolean;
  /** Repositories assessed at once (default 10). */
  concurrency?: number;
  /** Most repositories per batched prefetch query (default 25); the batch adapts below it. */
  batchSize?: number;
  badges?: boolean;
  checks: CheckDefinition[];
  perCheck?: Record<string, CheckRunOptions>;
  ignore?: string[];
  services?: FactOptions;
  /** Hosts / platform hints for --list lines. */
  targetOptions?: TargetOptions;
  /** Attempts per repository for transient failures (default 3). */
  maxAttempts?: number;
  /**
   * Requests per minute per API origin (secondary limits). Default: GitHub's documented 900 REST /
   * 2,000 GraphQL for api.github.com, 2,000 for gitlab.com; none for other hosts.
   */
  perMinute?: Record<string, { rest?: number; graphql?: number }>;
  /** Progress and notes. */
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  quiet?: boolean;
  /** Stops launching new repositories (in-flight ones finish and are written). */
  signal?: AbortSignal;
  /** Called after each index line is durable (tests, bench). */
  onEntry?: (e: IndexEntry) => void;
}

export interface PortfolioResult {
  /** Repositories in the portfolio after filtering (this run's work plus what --resume skipped). */
  total: number;
  assessed: number;
  errors: number;
  resumedSkipped: number;
  excluded: { archived: number; forks: number; duplicates: number };
  requests: { rest: number; graphql: number; enumeration: number; batches: number };
  retries: number;
  wallMs: number;
  aborted: boolean;
  reports?: ReportFiles;
  batchSizes: number[];
  pacing: { secondaryHits: number; pacedMs: number; waitedForResetMs: number; serverErrors: number; timeouts: number };
}

export class PortfolioError extends Error {
  constructor(
    readonly code: 'usage' | 'target',
    message: string,
  ) {
    super(message);
  }
}

interface Work {
  ref: RepoRef;
  key: string;
  attempts: number;
  notBefore: number;
  started: number;
}

/**
 * Prefetched sources waiting for a worker, with backpressure (`waitForRoom`). Workers take from
 * the batch with the fewest repositories in flight: the sources of one batch share one client
 * throttle group (octokit's, at most 10 requests at once), so spreading the workers over two or
 * three batches keeps more requests in flight without any one group queueing.
 */
class ReadyQueue<T> {
  private batches = new Map<number, { items: T[]; inflight: number }>();
  private count = 0;
  private takers: Array<(v: { batch: number; item: T } | undefined) => void> = [];
  private roomWaiters: Array<() => void> = [];
  private closed = false;
  get size(): number {
    return this.count;
  }
  push(batch: number, item: T): void {
    const t = this.takers.shift();
    let b = this.batches.get(batch);
    if (!b) this.batches.set(batch, (b = { items: [], inflight: 0 }));
    if (t) {
      b.inflight++;
      t({ batch, item });
    } else {
      b.items.push(item);
      this.count++;
    }
  }
  private pick(): { batch: number; item: T } | undefined {
    let best: [number, { items: T[]; inflight: number }] | undefined;
    for (const e of this.batches) if (e[1].items.length && (!best || e[1].inflight < best[1].inflight)) best = e;
    if (!best) return undefined;
    best[1].inflight++;
    this.count--;
    for (const w of this.roomWaiters.splice(0)) w();
    return { batch: best[0], item: best[1].items.shift()! };
  }
  take(): Promise<{ batch: number; item: T } | undefined> {
    const v = this.pick();
    if (v) return Promise.resolve(v);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((r) => this.takers.push(r));
  }
  done(batch: number): void {
    const b = this.batches.get(batch);
    if (!b) return;
    b.inflight--;
    if (b.inflight <= 0 && b.items.length === 0) this.batches.delete(batch);
  }
  async waitForRoom(max: number): Promise<void> {
    while (this.count >= max) await new Promise<void>((r) => this.roomWaiters.push(r));
  }
  close(): void {
    this.closed = true;
    for (const t of this.takers.splice(0)) t(undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function defaultPerMinute(origins: string[]): Record<string, { rest?: number; graphql?: number }> {
  const out: Record<string, { rest?: number; graphql?: number }> = {};
  for (const o of origins) {
    if (o === 'https://api.github.com') out[o] = { rest: 900, graphql: 2000 };
    else if (o === 'https://gitlab.com') out[o] = { rest: 2000, graphql: 2000 };
  }
  return out;
}

interface SavedSpec {
  v: 1;
  tool: string;
  spec: PortfolioSpec;
  includeArchived: boolean;
  includeForks: boolean;
  checks: string[];
  startedAt: string;
}

export async function runPortfolio(o: PortfolioOptions): Promise<PortfolioResult> {
  const t0 = performance.now();
  const concurrency = Math.max(1, Math.min(100, o.concurrency ?? 10));
  const maxAttempts = Math.max(1, o.maxAttempts ?? 3);
  const retryBase = o.retryBaseMs ?? 1000;
  const progress = new Progress({ stream: o.stderr, quiet: o.quiet });
  const log = (line: string) => progress.log(line);

  // ── The output directory ──
  await prepareOutDir(o.outDir);
  const { entries, scan } = await readIndex(o.outDir);
  if (!o.resume && scan.lines + scan.bad > 0) {
    throw new PortfolioError(
      'usage',
      `${o.outDir} already holds a portfolio run (${INDEX_FILE}): add --resume to continue it, or choose another --out`,
    );
  }
  if (scan.torn) log(`${INDEX_FILE}: the last line was cut off (an interrupted run); it is ignored and that repository is assessed again`);
  const done = o.resume ? await finishedKeys(o.outDir, entries) : new Set<string>();
  entries.clear();
  if (o.resume) {
    const before = await previousSpec(o.outDir);
    if (before && JSON.stringify(before) !== JSON.stringify(o.spec)) {
      throw new PortfolioError(
        'usage',
        `${o.outDir} holds a run of ${describeSpec(before)}, not ${describeSpec(o.spec)}: --resume without --github-org/--github-user/--gitlab-group/--list continues it; use another --out for a new portfolio`,
      );
    }
  }
  const saved: SavedSpec = {
    v: 1,
    tool: `${TOOL_NAME} ${TOOL_VERSION}`,
    spec: o.spec,
    includeArchived: !!o.includeArchived,
    includeForks: !!o.includeForks,
    checks: o.checks.map((c) => c.id),
    startedAt: new Date().toISOString(),
  };
  await writeAtomic(o.outDir, SPEC_FILE, `${JSON.stringify(saved, null, 2)}\n`);

  // ── Enumeration ──
  const counters = { rest: 0, graphql: 0, enumeration: 0, batches: 0, retries: 0 };
  const platformOpts: PlatformOptions = {
    env: o.env,
    githubApiUrl: o.githubApiUrl,
    githubGraphqlUrl: o.githubGraphqlUrl,
    gitlabUrl: o.gitlabUrl,
    timeoutMs: o.timeoutMs,
    cacheDir: o.cacheDir,
    retries: o.retries,
    retryBaseMs: o.retryBaseMs,
    rateLimitUnitMs: o.rateLimitUnitMs,
    countRequest: (kind) => {
      counters.enumeration++;
      counters[kind]++;
    },
    onBudget: (origin, b) => governor.observeBudget(origin, b),
    log,
  };
  const platforms = new Map<string, PortfolioPlatform>();
  const platformOf = async (ref: Pick<RepoRef, 'platform' | 'host'>) => {
    const k = `${ref.platform} ${ref.host}`;
    let p = platforms.get(k);
    if (!p) {
      // --github-api-url / --gitlab-url (or GITHUB_API_URL…) name one host; a --list may name others
      // (github.com, another GHES…). Those get the platform's default API URL, and no GitHub token:
      // GITHUB_TOKEN belongs to the configured host and is never sent to another one. (GitLab's
      // source applies the same rule to GITLAB_TOKEN itself.)
      const own = ref.platform === 'github' ? githubHost(o) === ref.host : gitlabHost(o) === ref.host;
      let opts = platformOpts;
      if (!own) {
        const env = { ...o.env };
        if (ref.platform === 'github') {
          for (const k of ['GITHUB_TOKEN', 'GH_TOKEN', 'GITHUB_API_URL', 'GITHUB_GRAPHQL_URL']) delete env[k];
          if (o.env.GITHUB_TOKEN || o.env.GH_TOKEN)
            log(`${ref.host}: GITHUB_TOKEN is for ${githubHost(o)} and is not sent to ${ref.host} (assessed without a token)`);
        }
        opts = { ...platformOpts, env, githubApiUrl: undefined, githubGraphqlUrl: undefined, gitlabUrl: undefined };
      }
      platforms.set(k, (p = await platformFor(ref.platform, ref.host, opts)));
    }
    return p;
  };

  const origins = new Set<string>();
  const governor = new RateGovernor({
    concurrency,
    retryAfterUnitMs: o.rateLimitUnitMs,
    log,
  });
  const stopObserving = observeRequests(() => origins, {
    response: (r) => governor.observe(r),
    error: (e) => governor.observeError(e),
  });
  progress.setBudgets(() => governor.budgetsSeen());

  try {
    let refs: RepoRef[];
    if (o.spec.kind === 'list') refs = await readList(o.spec.file, o.targetOptions ?? {});
    else {
      const platform = o.spec.kind === 'gitlab-group' ? 'gitlab' : 'github';
      const host = o.spec.kind === 'gitlab-group' ? gitlabHost(o) : githubHost(o);
      const p = await platformOf({ platform, host });
      for (const x of p.origins) origins.add(x);
      refs = [];
      const label = o.spec.kind === 'github-org' ? 'organization' : o.spec.kind === 'github-user' ? 'user' : 'group';
      if (!o.quiet) log(`enumerating the repositories of ${label} ${o.spec.name} on ${host}…`);
      for await (const r of p.enumerate(o.spec)) refs.push(r);
    }
    for (const r of refs) for (const x of (await platformOf(r)).origins) origins.add(x);
    governor.setPerMinute(o.perMinute ?? defaultPerMinute([...origins]));

    // Dedupe, filter, skip finished.
    const excluded = { archived: 0, forks: 0, duplicates: 0 };
    const seen = new Set<string>();
    const todo: Work[] = [];
    let resumedSkipped = 0;
    for (const ref of refs) {
      const key = repoKey(ref);
      if (seen.has(key)) {
        excluded.duplicates++;
        continue;
      }
      seen.add(key);
      if (ref.archived && !o.includeArchived) {
        excluded.archived++;
        continue;
      }
      if (ref.fork && !o.includeForks) {
        excluded.forks++;
        continue;
      }
      if (done.has(key)) {
        resumedSkipped++;
        continue;
      }
      todo.push({ ref, key, attempts: 0, notBefore: 0, started: 0 });
    }
    refs = [];
    seen.clear();
    const total = todo.length + resumedSkipped;
    if (!o.quiet) {
      const skippedText = [
        excluded.archived ? `${excluded.archived} archived` : '',
        excluded.forks ? `${excluded.forks} forks` : '',
        excluded.duplicates ? `${excluded.duplicates} duplicates` : '',
      ].filter(Boolean);
      log(
        `${total} repositories${skippedText.length ? ` (left out: ${skippedText.join(', ')}${excluded.archived || excluded.forks ? '; --include-archived / --include-forks to assess them' : ''})` : ''}` +
          `${resumedSkipped ? `; ${resumedSkipped} already done, ${todo.length} to go` : ''}`,
      );
    }
    progress.start(total, resumedSkipped);

    // ── Assessment ──
    const index = await IndexWriter.open(o.outDir);
    let assessed = 0;
    let errors = 0;
    let remaining = todo.length;
    governor.setRemainingRepos(remaining);
    const ready = new ReadyQueue<{ work: Work; source: Source }>();
    let batchNo = 0;
    const batchSizers = new Map<PortfolioPlatform, BatchSizer>();
    const allBatchSizes: number[] = [];

    const record = async (e: IndexEntry) => {
      await index.append(e);
      remaining--;
      governor.setRemainingRepos(remaining);
      if (e.status === 'ok') assessed++;
      else errors++;
      progress.finished(e);
      o.onEntry?.(e);
    };
    const fail = async (w: Work, f: RepoFailure) => {
      await record(errorEntry(w.ref, f, { attempts: w.attempts, durationMs: Date.now() - w.started, now: new Date() }));
    };

    // Work waiting to be prefetched, grouped by platform/host; retried work comes back here.
    const lanes = new Map<PortfolioPlatform, Work[]>();
    for (const w of todo) {
      const p = await platformOf(w.ref);
      let lane = lanes.get(p);
      if (!lane) lanes.set(p, (lane = []));
      lane.push(w);
    }
    todo.length = 0;
    let outstanding = remaining; // repositories without an index line yet
    const retryLater = (w: Work, p: PortfolioPlatform) => {
      w.notBefore = Date.now() + retryBase * 2 ** (w.attempts - 1);
      lanes.get(p)!.push(w);
      counters.retries++;
      wake();
    };
    let wakeUp: (() => void) | undefined;
    const wake = () => {
      wakeUp?.();
      wakeUp = undefined;
    };

    const prefetcher = async () => {
      for (;;) {
        if (o.signal?.aborted) break;
        // The next lane with work due; sleep until retried work is due or a worker sends some back.
        let lane: [PortfolioPlatform, Work[]] | undefined;
        let soonest = Infinity;
        for (const [p, list] of lanes) {
          if (list.length === 0) continue;
          const now = Date.now();
          if (list.some((w) => w.notBefore <= now)) {
            lane = [p, list];
            break;
          }
          for (const w of list) soonest = Math.min(soonest, w.notBefore);
        }
        if (!lane) {
          if (outstanding === 0) break;
          await Promise.race([
            sleep(Number.isFinite(soonest) ? Math.max(5, soonest - Date.now()) : 1000),
            new Promise<void>((r) => (wakeUp = r)),
          ]);
          continue;
        }
        const [platform, list] = lane;
        let sizer = batchSizers.get(platform);
        if (!sizer) {
          const max = Math.max(1, Math.min(platform.maxBatch, o.batchSize ?? 25));
          batchSizers.set(platform, (sizer = new BatchSizer(max)));
        }
        // Keep about two batches ready (see ReadyQueue), never more than that many sources waiting.
        await ready.waitForRoom(Math.max(concurrency, 2 * sizer.size));
        await governor.gate();
        if (o.signal?.aborted) break;
        const now = Date.now();
        // The first `size` items due, in order; items not yet due keep their place (one splice per batch).
        const batch: Work[] = [];
        const notYet: Work[] = [];
        let i = 0;
        for (; i < list.length && batch.length < sizer.size; i++) (list[i].notBefore <= now ? batch : notYet).push(list[i]);
        list.splice(0, i, ...notYet);
        for (const w of batch) {
          w.attempts++;
          if (!w.started) w.started = Date.now();
        }
        let trouble = false;
        governor.onGraphqlTrouble = () => (trouble = true);
        const started = performance.now();
        let out;
        try {
          out = await platform.prefetch(batch.map((w) => w.ref));
        } catch (err) {
          out = {
            sources: new Map<string, Source>(),
            failures: new Map(
              batch.map((w) => [w.key, { kind: 'internal' as const, message: (err as Error)?.message ?? String(err), transient: true }]),
            ),
            requests: { total: 0, rest: 0, graphql: 0, cached: 0, retries: 0 },
          };
        }
        governor.onGraphqlTrouble = undefined;
        const ms = performance.now() - started;
        counters.batches++;
        counters.rest += out.requests.rest;
        counters.graphql += out.requests.graphql;
        // A batch query that was retried or split (the source halves failing batches) counts as failed.
        const failed =
          trouble ||
          out.requests.retries > 0 ||
          out.requests.graphql > 1 ||
          (out.sources.size === 0 && batch.length > 0 && [...out.failures.values()].every((f) => f.transient));
        sizer.record({ ms, failed });
        allBatchSizes.push(batch.length);
        const thisBatch = ++batchNo;
        for (const w of batch) {
          const src = out.sources.get(w.key);
          if (src) {
            ready.push(thisBatch, { work: w, source: src });
            continue;
          }
          const f = out.failures.get(w.key) ?? { kind: 'internal' as const, message: 'no result for this repository', transient: true };
          if (f.transient && w.attempts < maxAttempts) retryLater(w, platform);
          else {
            outstanding--;
            await fail(w, f.transient ? { ...f, message: `${f.message} (after ${w.attempts} attempts)` } : f);
          }
        }
      }
      ready.close();
    };

    const worker = async () => {
      for (;;) {
        const taken = await ready.take();
        if (!taken) return;
        const { work: w, source } = taken.item;
        if (o.signal?.aborted) {
          ready.done(taken.batch);
          await source.close?.().catch(() => undefined);
          continue;
        }
        const release = await governor.acquire();
        let a: Assessment | undefined;
        let error: unknown;
        try {
          a = await assess(source, { checks: o.checks, perCheck: o.perCheck, ignore: o.ignore, services: o.services });
        } catch (err) {
          error = err;
        } finally {
          await source.close?.().catch(() => undefined);
          release();
          ready.done(taken.batch);
        }
        const platform = await platformOf(w.ref);
        if (a) {
          counters.rest += a.requests.rest;
          counters.graphql += a.requests.graphql;
        }
        const problem = a ? transientProblem(a) : undefined;
        if ((error || problem) && w.attempts < maxAttempts && !o.signal?.aborted) {
          if (!o.quiet && problem)
            log(`${w.ref.host}/${w.ref.repo}: ${problem} — assessing it again (attempt ${w.attempts + 1} of ${maxAttempts})`);
          a = undefined;
          retryLater(w, platform);
          continue;
        }
        outstanding--;
        if (!a) {
          await fail(w, { kind: 'internal', message: `assessment failed: ${(error as Error)?.message ?? String(error)}`, transient: true });
          wake();
          continue;
        }
        try {
          const file = assessmentPath(w.ref);
          await writeAtomic(o.outDir, file, renderJson(a));
          let badge: string | undefined;
          if (o.badges) {
            badge = badgePath(w.ref);
            await writeAtomic(o.outDir, badge, renderBadge(a));
          }
          const requests = { rest: a.requests.rest, graphql: a.requests.graphql, total: a.requests.total };
          await record(
            okEntry(w.ref, a, { file, badge, attempts: w.attempts, durationMs: Date.now() - w.started, requests, now: new Date() }),
          );
        } catch (err) {
          // Disk trouble is not the repository's fault, but the run cannot pretend it was written.
          await fail(w, { kind: 'internal', message: `could not write the result: ${(err as Error).message}`, transient: true });
        }
        a = undefined;
        wake();
      }
    };

    if (outstanding === 0) ready.close();
    const pool = [outstanding > 0 ? prefetcher() : Promise.resolve(), ...Array.from({ length: concurrency }, () => worker())];
    await Promise.all(pool);
    await index.close();
    progress.end();

    const aborted = !!o.signal?.aborted;
    const g = governor.stats;
    if (!o.quiet && (g.pacedMs > 0 || g.waitedForResetMs > 0 || g.secondaryHits > 0)) {
      log(
        `pacing: waited ${formatMs(g.pacedMs)} to spread the rate-limit budget${g.waitedForResetMs ? `, ${formatMs(g.waitedForResetMs)} for resets` : ''}${g.secondaryHits ? `, ${g.secondaryHits} secondary-limit answers` : ''}`,
      );
    }
    const reports: ReportFiles = await buildReports(o.outDir, { badges: !!o.badges, log: o.quiet ? undefined : log });
    await removeTmpDir(o.outDir);
    return {
      total,
      assessed,
      errors,
      resumedSkipped,
      excluded,
      requests: { rest: counters.rest, graphql: counters.graphql, enumeration: counters.enumeration, batches: counters.batches },
      retries: counters.retries,
      wallMs: performance.now() - t0,
      aborted,
      reports,
      batchSizes: allBatchSizes,
      pacing: {
        secondaryHits: g.secondaryHits,
        pacedMs: g.pacedMs,
        waitedForResetMs: g.waitedForResetMs,
        serverErrors: g.serverErrors,
        timeouts: g.timeouts,
      },
    };
  } finally {
    stopObserving();
    await removeTmpDir(o.outDir).catch(() => undefined);
  }
}

async function previousSpec(outDir: string): Promise<PortfolioSpec | undefined> {
  try {
    return (JSON.parse(await readFile(join(outDir, SPEC_FILE), 'utf8')) as { spec?: PortfolioSpec }).spec;
  } catch {
    return undefined;
  }
}

export function describeSpec(s: PortfolioSpec): string {
  return s.kind === 'list' ? `--list ${s.file}` : `--${s.kind} ${s.name}`;
}

function githubHost(o: PortfolioOptions): string {
  const u = o.githubApiUrl ?? o.env.GITHUB_API_URL;
  if (!u) return 'github.com';
  try {
    const h = new URL(u).host;
    return h === 'api.github.com' ? 'github.com' : h.replace(/^api\./, '');
  } catch {
    return 'github.com';
  }
}

function gitlabHost(o: PortfolioOptions): string {
  const u = o.gitlabUrl ?? o.env.GITLAB_URL ?? o.env.CI_SERVER_URL;
  if (!u) return 'gitlab.com';
  try {
    return new URL(u).host;
  } catch {
    return 'gitlab.com';
  }
}
