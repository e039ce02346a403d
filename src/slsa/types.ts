/**
 * SLSA evaluation shapes (the `slsa` part of the assessment). Requirement tables are data
 * (src/slsa/frameworks/*.ts); the evaluator turns check results into these states.
 */
import type { Location } from '../facts/model.js';

export type FrameworkId = 'slsa-v0.1' | 'slsa-v1.2-build' | 'slsa-v1.2-source';

/**
 * met: cryptographic proof or an authoritative API answer; indicated: configuration suggests it,
 * unproven; not_met: authoritative evidence against; unknown: not observable here (permissions,
 * tier, offline); n/a: does not apply to this repository.
 */
export type RequirementState = 'met' | 'indicated' | 'not_met' | 'unknown' | 'n/a';

export interface RequirementEvidence {
  /** The check whose result decided it, if any. */
  check?: string;
  /** Evidence kind / finding rule / fact name. */
  kind?: string;
  message: string;
  location?: Location;
}

export interface RequirementResult {
  id: string;
  name: string;
  /** Source / Build / Provenance / Common (v0.1), or the track name. */
  category: string;
  state: RequirementState;
  /** The levels that require it. */
  levels: number[];
  evidence: RequirementEvidence[];
  /** What to do when it is not met (null when met or n/a). */
  remediation: string | null;
  /** For unknown: what would make it known (a token permission, a platform tier, an online run). */
  needs?: string;
}

export interface RoadmapStep {
  /** Requirement this step satisfies (the lowest-level one when it covers several). */
  requirement: string;
  /** Every requirement this step addresses (one change often meets several, e.g. provenance exists + authentic). */
  covers?: string[];
  title: string;
  /** Markdown text: what to do, concretely. */
  action: string;
  /** Copy-pasteable configuration or command. */
  snippet?: { language: string; code: string };
  evidence: RequirementEvidence[];
}

export interface FrameworkResult {
  id: FrameworkId;
  name: string;
  /** Levels of this framework, lowest first (e.g. [1,2,3,4] for v0.1, [0,1,2,3] for Build). */
  levels: number[];
  /** Highest level whose requirements (and all below) are all met; the lowest level minus one (or 0) when none. */
  confirmed: number;
  /** Highest level with no requirement (up to it) not_met. */
  attainable: number;
  /** The next level above `confirmed`, or null at the top. */
  next: number | null;
  /** Requirement ids that keep `next` from being confirmed. */
  blocking: string[];
  /** Ordered steps to reach `next`. */
  roadmap: RoadmapStep[];
  requirements: RequirementResult[];
}

export interface SlsaResult {
  frameworks: FrameworkResult[];
}
