/**
 * Check results → SLSA levels and a roadmap, per framework.
 *
 * - Each requirement of each table is evaluated to met | indicated | not_met | unknown | n/a, with
 *   the evidence that decided it (check, finding/evidence kind, message, location).
 * - `confirmed`: the highest level whose requirements, and all below, are met (n/a counts as met,
 *   but a level is only confirmed once at least one requirement up to it is actually met).
 *   `indicated` never confirms. `attainable`: the highest level with nothing up to it not_met —
 *   unknowns (missing permissions, offline runs) never lower it.
 * - `next`: the level above `confirmed`; `blocking`: what keeps `next` from being confirmed;
 *   `roadmap`: steps to reach `next` — lowest level first, then steps the maintainer can act on
 *   before platform-only ones, then the step that resolves the most blocking requirements, then the
 *   one that fixes something actually not_met — one step per template (e.g. one release workflow
 *   meets "provenance exists", "authentic" and "distributed").
 */
import type { AssessmentTarget } from '../assessment.js';
import type { CheckResult } from '../engine.js';
import { dedupe, type EvalContext, type Outcome, type Patch } from './evidence.js';
import { FRAMEWORKS } from './frameworks/index.js';
import { minLevel, type FrameworkSpec, type RequirementSpec } from './model.js';
import { snippetPlatform, STEPS, type Snippet, type StepContext } from './steps.js';
import type { FrameworkResult, RequirementEvidence, RequirementResult, RequirementState, RoadmapStep, SlsaResult } from './types.js';

export function evaluateSlsa(checks: readonly CheckResult[], target: AssessmentTarget): SlsaResult {
  const ctx: EvalContext = { checks, target };
  return { frameworks: FRAMEWORKS.map((f) => evaluateFramework(f, ctx)) };
}

/** One requirement, with the rule paths that decided it (tests use them to prove every path is reachable). */
export function evaluateRequirement(spec: RequirementSpec, ctx: EvalContext): Outcome {
  try {
    return spec.evaluate(ctx);
  } catch (err) {
    // A malformed check result must not cost the other requirements their results.
    return {
      state: 'unknown',
      evidence: [{ message: `internal error while evaluating: ${(err as Error)?.message ?? String(err)}` }],
      patches: [],
      paths: ['error'],
    };
  }
}

const DONE: ReadonlySet<RequirementState> = new Set(['met', 'n/a']);

interface Evaluated {
  spec: RequirementSpec;
  index: number;
  outcome: Outcome;
  result: RequirementResult;
}

export function evaluateFramework(spec: FrameworkSpec, ctx: EvalContext): FrameworkResult {
  const evaluated: Evaluated[] = spec.requirements.map((r, index) => {
    const outcome = evaluateRequirement(r, ctx);
    const result: RequirementResult = {
      id: r.id,
      name: r.name,
      category: r.category,
      state: outcome.state,
      levels: [...r.levels],
      evidence: dedupe(outcome.evidence),
      remediation: DONE.has(outcome.state) ? null : r.remediation,
      ...(outcome.state === 'unknown' && outcome.needs ? { needs: outcome.needs } : {}),
    };
    return { spec: r, index, outcome, result };
  });
  const requirements = evaluated.map((e) => e.result);
  const { confirmed, attainable } = levels(spec.levels, requirements);
  const at = spec.levels.indexOf(confirmed);
  const next = at < 0 ? spec.levels[0] : (spec.levels[at + 1] ?? null);
  const pending = next === null ? [] : evaluated.filter((e) => minLevel(e.spec) <= next && !DONE.has(e.result.state));
  return {
    id: spec.id,
    name: spec.name,
    levels: [...spec.levels],
    confirmed,
    attainable,
    next,
    blocking: pending.map((e) => e.spec.id),
    roadmap: roadmap(pending, ctx),
    requirements,
  };
}

/** Confirmed and attainable levels (see the module comment). */
export function levels(
  levelList: readonly number[],
  reqs: readonly Pick<RequirementResult, 'levels' | 'state'>[],
): { confirmed: number; attainable: number } {
  const base = levelList[0] === 0 ? 0 : Math.max(0, levelList[0] - 1);
  let confirmed = base;
  let attainable = base;
  let confirming = true;
  let attaining = true;
  for (const level of levelList) {
    const upTo = reqs.filter((r) => Math.min(...r.levels) <= level);
    if (confirming && upTo.every((r) => DONE.has(r.state)) && (upTo.length === 0 || upTo.some((r) => r.state === 'met'))) confirmed = level;
    else confirming = false;
    if (attaining && upTo.every((r) => r.state !== 'not_met')) attainable = level;
    else attaining = false;
  }
  return { confirmed, attainable };
}

const STATE_LABEL: Record<RequirementState, string> = {
  met: 'met',
  indicated: 'indicated by the configuration, not proven',
  not_met: '**not met**',
  unknown: 'unknown',
  'n/a': 'not applicable',
};

function roadmap(pending: Evaluated[], ctx: EvalContext): RoadmapStep[] {
  const groups = new Map<string, Evaluated[]>();
  for (const e of pending) {
    const key = e.outcome.step && STEPS[e.outcome.step] ? e.outcome.step : e.spec.step;
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  const platform = snippetPlatform(ctx);
  const ordered = [...groups.entries()]
    .map(([key, members]) => {
      members.sort((a, b) => minLevel(a.spec) - minLevel(b.spec) || a.index - b.index);
      return {
        key,
        members,
        level: minLevel(members[0].spec),
        actionable: STEPS[key]?.actionable !== false,
        notMet: members.some((m) => m.result.state === 'not_met'),
      };
    })
    .sort(
      (a, b) =>
        a.level - b.level ||
        Number(b.actionable) - Number(a.actionable) ||
        b.members.length - a.members.length ||
        Number(b.notMet) - Number(a.notMet) ||
        a.members[0].index - b.members[0].index,
    );
  return ordered.map(({ key, members }) => step(key, members, platform, ctx));
}

function step(key: string, members: Evaluated[], platform: StepContext['platform'], ctx: EvalContext): RoadmapStep {
  const tpl = STEPS[key];
  if (!tpl) throw new Error(`no roadmap step template '${key}'`);
  const sctx: StepContext = { platform, target: ctx.target, covers: new Set(members.map((m) => m.spec.id)), eval: ctx };
  const confirming = members.every((m) => m.result.state === 'indicated');
  const text = confirming ? tpl.confirm : tpl;
  const status = members.map((m) => `- \`${m.spec.id}\` ${m.spec.name} (L${minLevel(m.spec)}): ${STATE_LABEL[m.result.state]}`).join('\n');
  const patches = members.filter((m) => m.result.state === 'not_met').flatMap((m) => m.outcome.patches);
  const snippet = patches.length ? patchSnippet(patches) : text.snippet?.(sctx);
  const evidence: RequirementEvidence[] = dedupe([
    ...members.flatMap((m) => m.result.evidence.map((e) => (members.length > 1 ? { ...e, message: `${m.spec.id}: ${e.message}` } : e))),
    ...members
      .filter((m) => m.result.needs)
      .map((m) => ({ kind: 'needs', message: `${m.spec.id} would be known with: ${m.result.needs}` })),
  ]);
  return {
    requirement: members[0].spec.id,
    covers: members.map((m) => m.spec.id),
    title: text.title,
    action: `${text.action(sctx)}\n\n${status}`,
    ...(snippet ? { snippet } : {}),
    evidence,
  };
}

/** The checks' own fixes for this repository (exact text to paste), with where each goes. */
function patchSnippet(patches: Patch[]): Snippet {
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const p of patches) {
    const where = p.path ? `# ${p.path.replace(/[\r\n]/g, ' ')}${p.line ? `:${p.line}` : ''}\n` : '';
    const part = `${where}${p.patch}`;
    if (seen.has(part)) continue;
    seen.add(part);
    parts.push(part);
  }
  const shell = patches.every((p) => /^(?:git|gh|glab|npm|npx|pip|cosign|slsa-verifier)\s/.test(p.patch.trimStart()));
  return { language: shell ? 'shell' : 'yaml', code: parts.join('\n\n') };
}
