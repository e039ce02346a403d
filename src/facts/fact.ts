/**
 * A fact about the repository is either known (with its value) or unknown (with why, and what
 * would make it known). Missing permissions, tiers and offline runs are unknowns — never "absent".
 */
export interface Known<T> {
  readonly known: true;
  readonly value: T;
}

export interface Unknown {
  readonly known: false;
  /** Why the fact could not be established, e.g. "API error 502 after 3 retries". */
  readonly reason: string;
  /** What would make it known, e.g. "Administration: read (fine-grained) or repo scope (classic)". */
  readonly needs?: string;
}

export type Fact<T> = Known<T> | Unknown;

export const known = <T>(value: T): Known<T> => ({ known: true, value });

export const unknown = (reason: string, needs?: string): Unknown =>
  needs === undefined ? { known: false, reason } : { known: false, reason, needs };

export const isKnown = <T>(f: Fact<T>): f is Known<T> => f.known;

/** Map a known value; unknowns pass through unchanged. */
export function mapFact<T, U>(f: Fact<T>, fn: (v: T) => U): Fact<U> {
  return f.known ? known(fn(f.value)) : f;
}

/** Human-readable line for an unknown: "reason (needs: …)". */
export function describeUnknown(u: Unknown): string {
  return u.needs ? `${u.reason} (needs: ${u.needs})` : u.reason;
}
