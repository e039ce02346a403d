/**
 * The assessment: one versioned, JSON-serializable object that every renderer reads and nothing
 * else. Its core (schemaVersion, tool, target, date, score, checks, requests) is a contract: add
 * fields freely; rename or remove only with a schemaVersion bump. Schema: src/schema/assessment.schema.json.
 */
import type { CheckDefinition } from './check.js';
import { aggregateScore, createFactStore, evaluateCheck, fileIssues, type CheckResult, type CheckRunOptions } from './engine.js';
import type { FactOptions, FactStore } from './facts/store.js';
import type { Platform } from './facts/model.js';
import type { Diagnostic, RequestStats, Source } from './sources/source.js';
import { TOOL_NAME, TOOL_VERSION } from './version.js';
import type { SlsaResult } from './slsa/types.js';
import { evaluateSlsa } from './slsa/evaluate.js';

export const SCHEMA_VERSION = '1.0.0';

export interface AssessmentTarget {
  platform: Platform;
  host: string | null;
  repo: string | null;
  commit: string | null;
  /** How it was read: a local checkout, or the platform's API. */
  source: 'local' | 'github-api' | 'gitlab-api';
  url?: string;
  path?: string;
  branch?: string;
}

export interface UnknownSummary {
  fact: string;
  reason: string;
  needs?: string;
  checks: string[];
}

export interface Assessment {
  schemaVersion: string;
  tool: { name: string; version: string };
  target: AssessmentTarget;
  date: string;
  score: number | null;
  checks: CheckResult[];
  /** SLSA levels per framework, from the checks' evidence (absent when not evaluated). */
  slsa?: SlsaResult;
  /** What could not be observed, once per fact, with what would make it known. */
  unknowns: UnknownSummary[];
  /** Oddities met while reading the repository (unreadable files, symlinks…). */
  diagnostics: Diagnostic[];
  requests: RequestStats;
  durationMs: number;
}

export interface AssessOptions {
  checks: CheckDefinition[];
  /** Per-check options and ignores, by check id. */
  perCheck?: Record<string, CheckRunOptions>;
  /** Paths ignored by every check. */
  ignore?: string[];
  /** Public services the fact providers may call (base URLs, offline switch). */
  services?: FactOptions;
  now?: Date;
}

export async function assess(source: Source, opts: AssessOptions): Promise<Assessment> {
  const started = performance.now();
  const store = createFactStore(source, opts.ignore, opts.services);
  const results = await Promise.all(opts.checks.map((c) => evaluateCheck(c, store, opts.perCheck?.[c.id])));
  const [repo, commit] = await Promise.all([store.get('repository'), store.get('commit')]);
  const r = repo.known ? repo.value : undefined;
  const target: AssessmentTarget = {
    platform: r?.platform ?? source.platform,
    host: r?.host ?? null,
    repo: r?.repo ?? null,
    commit: commit.known ? commit.value : null,
    source: source.platform === 'local' ? 'local' : (`${source.platform}-api` as AssessmentTarget['source']),
    ...(r?.url ? { url: r.url } : {}),
    ...(r?.localPath ? { path: r.localPath } : {}),
    ...(r?.defaultBranch ? { branch: r.defaultBranch } : {}),
  };
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    target,
    date: (opts.now ?? new Date()).toISOString(),
    score: aggregateScore(results),
    checks: results,
    slsa: evaluateSlsa(results, target),
    unknowns: summarizeUnknowns(results),
    diagnostics: await diagnostics(store, source),
    requests: { ...source.requests },
    durationMs: Math.round(performance.now() - started),
  };
}

/** The source's notes plus every read/parse problem of the files any check looked at, once each. */
async function diagnostics(store: FactStore, source: Source): Promise<Diagnostic[]> {
  const out: Diagnostic[] = [...source.diagnostics];
  const seen = new Set<string>();
  for (const name of store.requested()) {
    for (const i of fileIssues(await store.get(name))) {
      const where = `${i.loc.path}${i.loc.line ? `:${i.loc.line}${i.loc.column ? `:${i.loc.column}` : ''}` : ''}`;
      const key = `${where}\0${i.message}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ path: where, message: i.message });
    }
  }
  return out;
}

function summarizeUnknowns(results: CheckResult[]): UnknownSummary[] {
  const byKey = new Map<string, UnknownSummary>();
  for (const r of results) {
    for (const u of r.unknowns) {
      const key = `${u.fact}\0${u.reason}`;
      const s = byKey.get(key) ?? { fact: u.fact, reason: u.reason, ...(u.needs ? { needs: u.needs } : {}), checks: [] };
      if (!s.checks.includes(r.name)) s.checks.push(r.name);
      byKey.set(key, s);
    }
  }
  return [...byKey.values()];
}
