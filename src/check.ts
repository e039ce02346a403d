/**
 * The check interface. Built-in checks (checks/) and third-party ones (--check-module, config
 * `modules:`) register the same way: a module whose default export is a `defineCheck(...)` value
 * (or an array of them). A check is a pure function of facts — no I/O, no platform branches beyond
 * what the facts say — that returns a score, the problems it found and the evidence it relied on.
 */
import type { FactName, FactTypes } from './facts/catalog.js';
import type { Fact } from './facts/fact.js';
import type { Location } from './facts/model.js';

export type Risk = 'critical' | 'high' | 'medium' | 'low';
export type Severity = Risk | 'info';

export interface Remediation {
  text: string;
  /** A unified diff or replacement text that applies the fix. */
  patch?: string;
}

/** A problem the check reports. */
export interface Finding {
  /** What kind of problem, e.g. `GitHubAction` (unpinned action), `untrustedCheckout`. */
  rule: string;
  severity: Severity;
  message: string;
  location?: Location;
  snippet?: string;
  remediation?: Remediation;
}

/** Something observed that supports a conclusion (what SLSA requirements are evaluated from). */
export interface Evidence {
  /** Machine-readable kind, e.g. `provenanceGenerator`, `signedTag`, `hostedBuild`. */
  kind: string;
  message: string;
  location?: Location;
  /** Typed values (builder id, tool name, …). */
  values?: Record<string, string | number | boolean>;
}

export interface UnknownNote {
  fact: string;
  reason: string;
  needs?: string;
}

export interface CheckOutcome {
  /** 0–10, or null when the check cannot conclude (excluded from the aggregate, as Scorecard's −1). */
  score: number | null;
  reason: string;
  findings?: Finding[];
  evidence?: Evidence[];
  unknowns?: UnknownNote[];
}

export type FactsOf<F extends FactName> = { [K in F]: Fact<FactTypes[K]> };

export interface CheckContext {
  /** Per-check options from the config file (validated against `optionsSchema` when given). */
  options: Record<string, unknown>;
}

export interface CheckDefinition<F extends FactName = FactName> {
  /** Scorecard's name where the semantics match, e.g. `Pinned-Dependencies`. */
  id: string;
  risk: Risk;
  description: string;
  /** Facts the check reads; the engine fetches exactly these (lazily, memoized). */
  facts: readonly F[];
  /**
   * Facts among `facts` the check reads only in some cases (each costs API requests). The predicate
   * gets the check's other facts, already resolved, and says whether `run` will read this one; when
   * it says no, the fact is not fetched and `run` sees it as unknown ("not needed"). A predicate
   * must never say no when `run` would read the fact: the result would lose information.
   */
  readWhen?: { readonly [K in F]?: (facts: FactsOf<F>) => boolean };
  /** SLSA requirement ids this check contributes evidence to, e.g. `slsa-v1.2-build/provenance-exists`. */
  slsa?: readonly string[];
  /** General remediation (what to do when the score is low). */
  remediation: readonly string[];
  /** Where the semantics differ from Scorecard's check of the same name, and why. */
  differsFromScorecard?: string;
  /** JSON Schema of the check's options. */
  optionsSchema?: Record<string, unknown>;
  /** URL of the check's documentation. */
  docs?: string;
  /** Set by the loader for third-party checks: the module they came from. */
  module?: string;
  run(facts: FactsOf<F>, ctx: CheckContext): CheckOutcome;
}

/** Identity function that gives a check definition its types (the same for built-in and third-party checks). */
export function defineCheck<const F extends FactName>(def: CheckDefinition<F>): CheckDefinition<F> {
  return def;
}

/** Scorecard's risk weights for the aggregate score. */
export const RISK_WEIGHTS: Record<Risk, number> = { critical: 10, high: 7.5, medium: 5, low: 2.5 };

/** Scorecard's proportional score: ⌊10·ok/total⌋ capped at 10. */
export function proportionalScore(ok: number, total: number): number {
  if (total <= 0) return 10;
  return Math.min(10, Math.trunc((10 * ok) / total));
}

/** Notes for the facts among these that are unknown. */
export function unknownNotes(...facts: Array<[string, Fact<unknown>]>): UnknownNote[] {
  const out: UnknownNote[] = [];
  for (const [name, f] of facts) if (!f.known) out.push({ fact: name, reason: f.reason, ...(f.needs ? { needs: f.needs } : {}) });
  return out;
}

/** The outcome when a fact the check needs is unknown. */
export function inconclusive(reason: string, ...facts: Array<[string, Fact<unknown>]>): CheckOutcome {
  return { score: null, reason, unknowns: unknownNotes(...facts) };
}
