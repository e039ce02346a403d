/** The shape of a requirement table (data) — src/slsa/frameworks/*.ts fill it in. */
import type { Evaluator } from './evidence.js';
import type { FrameworkId } from './types.js';

export interface RequirementSpec {
  /** Stable id, e.g. `build.provenance-exists` (unique within its framework). */
  id: string;
  /** The spec's name for it. */
  name: string;
  category: string;
  /** The levels that require it (ascending; a requirement of level n is required at every level above). */
  levels: number[];
  /** What the spec asks, in a sentence. */
  summary: string;
  /** How this tool decides it, in a sentence (documentation and reports). */
  how: string;
  evaluate: Evaluator;
  /** What to do when it is not met. */
  remediation: string;
  /** Roadmap step template (src/slsa/steps.ts). */
  step: string;
}

export interface FrameworkSpec {
  id: FrameworkId;
  name: string;
  /** Where the requirements come from. */
  source: string;
  /** Levels, lowest first. */
  levels: number[];
  levelNames: Record<number, string>;
  requirements: RequirementSpec[];
}

/** The lowest level a requirement applies at. */
export const minLevel = (r: Pick<RequirementSpec, 'levels'>): number => Math.min(...r.levels);

/** Levels from `from` to `to`, inclusive. */
export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
