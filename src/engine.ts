/**
 * Runs checks over a fact store and builds the assessment. Checks run after their facts resolve;
 * one check failing (or a fact failing) never costs the others their results.
 */
import type { CheckDefinition, CheckOutcome, Finding, Risk, UnknownNote } from './check.js';
import { RISK_WEIGHTS } from './check.js';
import type { FactName, FactTypes } from './facts/catalog.js';
import { unknown, type Fact } from './facts/fact.js';
import type { ParseIssue } from './facts/model.js';
import { FactStore, type FactOptions } from './facts/store.js';
import { derivedProviders } from './facts/providers/index.js';
import type { Source } from './sources/source.js';
import { compileGlobs } from './util/glob.js';

export interface CheckRunOptions {
  options?: Record<string, unknown>;
  /** Paths this check ignores (config `checks.<id>.ignore`). */
  ignore?: string[];
}

export interface CheckResult {
  name: string;
  score: number | null;
  risk: Risk;
  reason: string;
  description: string;
  findings: Finding[];
  evidence: NonNullable<CheckOutcome['evidence']>;
  unknowns: UnknownNote[];
  slsa: string[];
  /** Set when the check comes from a module rather than the built-in set. */
  module?: string;
  documentation?: { url?: string; remediation: string[] };
  durationMs: number;
}

/** Resolves a check's facts (filtered by its path ignores), runs it, and normalizes the outcome. */
export async function evaluateCheck(check: CheckDefinition, store: FactStore, run: CheckRunOptions = {}): Promise<CheckResult> {
  const started = performance.now();
  const ignored = run.ignore?.length ? compileGlobs(run.ignore) : undefined;
  const facts: Record<string, Fact<unknown>> = {};
  const read = async (name: string) => {
    const f = await store.get(name as FactName);
    facts[name] = ignored ? withoutPaths(f, ignored) : f;
  };
  const when = (check.readWhen ?? {}) as Record<string, ((f: never) => boolean) | undefined>;
  const lazy = check.facts.filter((n) => typeof when[n] === 'function');
  await Promise.all(check.facts.filter((n) => !lazy.includes(n)).map(read));
  // Conditional facts: fetched only when the check says, from the others, that it will read them.
  const skipped = new Set<string>();
  await Promise.all(
    lazy.map(async (name) => {
      let needed = true;
      try {
        needed = when[name]!(facts as never) !== false;
      } catch {
        /* a failing predicate reads the fact: never lose information */
      }
      if (needed) return read(name);
      skipped.add(name);
      facts[name] = unknown(`not read: ${check.id} does not need it for this repository`);
    }),
  );
  let outcome: CheckOutcome;
  try {
    outcome = check.run(facts as never, { options: run.options ?? {} });
    if (!outcome || typeof outcome !== 'object') throw new Error('check returned no outcome');
  } catch (err) {
    outcome = { score: null, reason: `internal error in check: ${(err as Error)?.message ?? String(err)}` };
  }
  const unknowns = outcome.unknowns ?? [];
  // Files this check could not (fully) read are problems it reports: the result must not look clean.
  const findings = [...(outcome.findings ?? [])];
  for (const name of check.facts) {
    for (const issue of fileIssues(facts[name])) {
      findings.push({
        rule: 'fileNotAnalyzed',
        severity: 'info',
        message: `${issue.message} — not fully analysed by this check`,
        location: issue.loc,
      });
    }
  }
  // A check names the unknowns that mattered to it; one that gave up silently gets its unknown facts listed.
  if (outcome.score === null && unknowns.length === 0) {
    for (const [name, f] of Object.entries(facts)) {
      if (!f.known && !skipped.has(name)) unknowns.push({ fact: name, reason: f.reason, ...(f.needs ? { needs: f.needs } : {}) });
    }
  }
  return {
    name: check.id,
    score: normalizeScore(outcome.score),
    risk: check.risk,
    reason: outcome.reason,
    description: check.description,
    findings,
    evidence: outcome.evidence ?? [],
    unknowns,
    slsa: [...(check.slsa ?? [])],
    ...(check.module ? { module: check.module } : {}),
    documentation: { ...(check.docs ? { url: check.docs } : {}), remediation: [...check.remediation] },
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
}

/** Read/parse problems carried by a file-based fact (a list of parsed files, or one parsed file). */
export function fileIssues(f: Fact<unknown> | undefined): ParseIssue[] {
  if (!f?.known || f.value === null || typeof f.value !== 'object') return [];
  const items = Array.isArray(f.value) ? f.value : [f.value];
  const out: ParseIssue[] = [];
  for (const x of items) {
    const issues = (x as { issues?: unknown })?.issues;
    if (Array.isArray(issues)) out.push(...(issues as ParseIssue[]));
  }
  return out;
}

function normalizeScore(s: number | null | undefined): number | null {
  if (s === null || s === undefined || Number.isNaN(s)) return null;
  return Math.max(0, Math.min(10, s));
}

/** A fact whose value is a list of things with a `path` loses the ignored ones. */
function withoutPaths(f: Fact<unknown>, ignored: (p: string) => boolean): Fact<unknown> {
  if (!f.known || !Array.isArray(f.value)) return f;
  const value = (f.value as unknown[]).filter(
    (x) => !(x && typeof x === 'object' && typeof (x as { path?: unknown }).path === 'string' && ignored((x as { path: string }).path)),
  );
  return { known: true, value };
}

/** Scorecard's aggregate: Σ(w·s)/Σw over checks that concluded, one decimal; null when none did. */
export function aggregateScore(results: Array<Pick<CheckResult, 'score' | 'risk'>>): number | null {
  let num = 0;
  let den = 0;
  for (const r of results) {
    if (r.score === null) continue;
    num += RISK_WEIGHTS[r.risk] * r.score;
    den += RISK_WEIGHTS[r.risk];
  }
  return den === 0 ? null : Math.round((num / den) * 10) / 10;
}

export function createFactStore(source: Source, ignore: string[] = [], options: FactOptions = {}): FactStore {
  return new FactStore(source, derivedProviders, ignore.length ? compileGlobs(ignore) : () => false, options);
}

export type { FactTypes };
