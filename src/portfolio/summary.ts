/** An assessment → its index line (what the dashboard needs, and nothing that grows with findings). */
import type { Assessment } from '../assessment.js';
import { repoKey } from './names.js';
import type { IndexEntry, LevelPair, RepoFailure, RepoRef } from './types.js';

export function okEntry(
  ref: RepoRef,
  a: Assessment,
  o: {
    file: string;
    badge?: string;
    attempts: number;
    durationMs: number;
    requests: { rest: number; graphql: number; total: number };
    now: Date;
  },
): IndexEntry {
  const levels: Record<string, LevelPair> = {};
  const failing: Record<string, string[]> = {};
  const blocking: Record<string, string[]> = {};
  for (const f of a.slsa?.frameworks ?? []) {
    levels[f.id] = { confirmed: f.confirmed, attainable: f.attainable };
    const notMet = f.requirements.filter((r) => r.state === 'not_met').map((r) => r.id);
    if (notMet.length) failing[f.id] = notMet;
    if (f.blocking.length) blocking[f.id] = [...f.blocking];
  }
  const checks: Record<string, number | null> = {};
  for (const c of a.checks) checks[c.name] = c.score;
  return {
    v: 1,
    key: repoKey(ref),
    platform: ref.platform,
    host: ref.host,
    repo: ref.repo,
    url: ref.url,
    status: 'ok',
    file: o.file,
    ...(o.badge ? { badge: o.badge } : {}),
    score: a.score,
    commit: a.target.commit,
    levels,
    checks,
    failing,
    blocking,
    unknowns: a.unknowns.length,
    requests: o.requests,
    attempts: o.attempts,
    durationMs: o.durationMs,
    finishedAt: o.now.toISOString(),
  };
}

export function errorEntry(ref: RepoRef, f: RepoFailure, o: { attempts: number; durationMs: number; now: Date }): IndexEntry {
  return {
    v: 1,
    key: repoKey(ref),
    platform: ref.platform,
    host: ref.host,
    repo: ref.repo,
    url: ref.url,
    status: 'error',
    reason: f.message,
    errorKind: f.kind,
    transient: f.transient,
    attempts: o.attempts,
    durationMs: o.durationMs,
    finishedAt: o.now.toISOString(),
  };
}

/** Unknowns caused by network trouble (worth assessing the repository again), not by permissions or tiers. */
const TRANSIENT =
  /\b(API error 5\d\d|5\d\d after \d+ retries|timed out|network error|rate limit exceeded|secondary rate limit|ECONNRESET|socket hang up|malformed JSON)\b/i;

export function transientProblem(a: Assessment): string | undefined {
  for (const u of a.unknowns) if (TRANSIENT.test(u.reason)) return `${u.fact}: ${u.reason}`;
  for (const d of a.diagnostics) if (/GraphQL query failed/i.test(d.message) && TRANSIENT.test(d.message)) return d.message;
  return undefined;
}
