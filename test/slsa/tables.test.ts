/** The requirement tables as data: complete, consistent, every rule reachable, remediation everywhere. */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine.js';
import { FRAMEWORKS } from '../../src/slsa/frameworks/index.js';
import { evaluateFramework, evaluateRequirement, evaluateSlsa, levels } from '../../src/slsa/evaluate.js';
import { minLevel } from '../../src/slsa/model.js';
import { STEPS } from '../../src/slsa/steps.js';
import type { RequirementState } from '../../src/slsa/types.js';
import { CORPUS } from './corpus.js';
import { check, ev, githubApi, gitlabApi, target } from './fixtures.js';

const byId = Object.fromEntries(FRAMEWORKS.map((f) => [f.id, f]));
const levelMap = (id: string) => Object.fromEntries(byId[id].requirements.map((r) => [r.id, r.levels]));

describe('tables', () => {
  it("hold exactly the requirements of the spec, at the spec's levels", () => {
    expect(levelMap('slsa-v0.1')).toEqual({
      'source.version-controlled': [2, 3, 4],
      'source.verified-history': [3, 4],
      'source.retained': [3, 4],
      'source.two-person-reviewed': [4],
      'build.scripted': [1, 2, 3, 4],
      'build.service': [2, 3, 4],
      'build.as-code': [3, 4],
      'build.ephemeral': [3, 4],
      'build.isolated': [3, 4],
      'build.parameterless': [4],
      'build.hermetic': [4],
      'build.reproducible': [4],
      'provenance.available': [1, 2, 3, 4],
      'provenance.authenticated': [2, 3, 4],
      'provenance.service-generated': [2, 3, 4],
      'provenance.non-falsifiable': [3, 4],
      'provenance.dependencies-complete': [4],
      'common.security': [4],
      'common.access': [4],
      'common.superusers': [4],
    });
    expect(levelMap('slsa-v1.2-build')).toEqual({
      'build.choose-platform': [1, 2, 3],
      'build.consistent-process': [1, 2, 3],
      'build.distribute-provenance': [1, 2, 3],
      'build.provenance-exists': [1, 2, 3],
      'build.provenance-authentic': [2, 3],
      'build.provenance-unforgeable': [3],
      'build.hosted': [2, 3],
      'build.isolated': [3],
    });
    expect(levelMap('slsa-v1.2-source')).toEqual({
      'source.choose-scs': [1, 2, 3, 4],
      'source.repository-ids': [1, 2, 3, 4],
      'source.revision-ids': [1, 2, 3, 4],
      'source.human-readable-diff': [1, 2, 3, 4],
      'source.vsa': [1, 2, 3, 4],
      'source.access-and-history': [2, 3, 4],
      'source.safe-expunging': [2, 3, 4],
      'source.history': [2, 3, 4],
      'source.continuity': [2, 3, 4],
      'source.identity-management': [2, 3, 4],
      'source.provenance': [2, 3, 4],
      'source.technical-controls': [3, 4],
      'source.protected-refs': [3, 4],
      'source.two-party-review': [4],
    });
    expect(FRAMEWORKS.map((f) => [f.id, f.levels])).toEqual([
      ['slsa-v1.2-build', [0, 1, 2, 3]],
      ['slsa-v1.2-source', [0, 1, 2, 3, 4]],
      ['slsa-v0.1', [1, 2, 3, 4]],
    ]);
  });

  it('every requirement has a name, category, summary, how it is evaluated, remediation text and a roadmap step', () => {
    for (const f of FRAMEWORKS) {
      expect(Object.keys(f.levelNames).map(Number)).toEqual(f.levels);
      for (const r of f.requirements) {
        for (const field of [r.name, r.category]) expect(field.trim().length, `${f.id} ${r.id}`).toBeGreaterThan(3);
        for (const field of [r.summary, r.how, r.remediation]) expect(field.trim().length, `${f.id} ${r.id}`).toBeGreaterThan(20);
        expect(STEPS[r.step], `${f.id} ${r.id} step ${r.step}`).toBeDefined();
        // Levels: within the framework, ascending and contiguous up to the top (required at n ⇒ required above n).
        const top = f.levels[f.levels.length - 1];
        expect(r.levels).toEqual(Array.from({ length: top - minLevel(r) + 1 }, (_, i) => minLevel(r) + i));
        expect(f.levels).toContain(minLevel(r));
      }
    }
  });

  it('every step template has text for acting and for confirming', () => {
    for (const [key, s] of Object.entries(STEPS)) {
      expect(s.key).toBe(key);
      const ctx = { platform: 'both' as const, target: target(), covers: new Set<string>(), eval: { checks: [], target: target() } };
      expect(s.title.length).toBeGreaterThan(10);
      expect(s.action(ctx).length).toBeGreaterThan(40);
      expect(s.confirm.title.length).toBeGreaterThan(10);
      expect(s.confirm.action(ctx).length).toBeGreaterThan(20);
    }
  });
});

describe('every state path is reachable', () => {
  it('the corpus fires every rule of every requirement', () => {
    const missing: string[] = [];
    for (const f of FRAMEWORKS) {
      for (const r of f.requirements) {
        const fired = new Set<string>();
        for (const s of CORPUS) for (const p of evaluateRequirement(r, { checks: s.checks, target: s.target }).paths) fired.add(p);
        for (const p of r.evaluate.paths) if (!fired.has(p)) missing.push(`${f.id} ${r.id} ${p}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every requirement can end up in each state its rules name, and in unknown', () => {
    for (const f of FRAMEWORKS) {
      for (const r of f.requirements) {
        const declared = new Set(r.evaluate.paths.map((p) => p.split(':').pop() as RequirementState));
        const seen = new Set<RequirementState>();
        for (const s of CORPUS) seen.add(evaluateRequirement(r, { checks: s.checks, target: s.target }).state);
        expect(
          [...declared].filter((d) => !seen.has(d)),
          `${f.id} ${r.id}`,
        ).toEqual([]);
        expect(seen.has('unknown'), `${f.id} ${r.id} can be unknown`).toBe(true);
      }
    }
  });

  it('over the whole corpus: remediation exactly when not met, needs with unknowns, roadmap = blocking', () => {
    for (const s of CORPUS) {
      for (const f of evaluateSlsa(s.checks, s.target).frameworks) {
        const where = `${s.name} / ${f.id}`;
        for (const q of f.requirements) {
          if (q.state === 'met' || q.state === 'n/a') expect(q.remediation, `${where} ${q.id}`).toBeNull();
          else expect(q.remediation?.length, `${where} ${q.id}`).toBeGreaterThan(20);
          if (q.state === 'unknown') expect(q.needs?.length, `${where} ${q.id} needs`).toBeGreaterThan(10);
          expect(q.evidence.length, `${where} ${q.id} evidence`).toBeGreaterThan(0);
        }
        expect(f.attainable).toBeGreaterThanOrEqual(f.confirmed);
        const covered = f.roadmap.flatMap((st) => st.covers ?? [st.requirement]);
        expect([...covered].sort(), where).toEqual([...f.blocking].sort());
        const minOf = (id: string) => Math.min(...f.requirements.find((q) => q.id === id)!.levels);
        const stepLevels = f.roadmap.map((st) => minOf(st.requirement));
        expect(stepLevels, where).toEqual([...stepLevels].sort((a, b) => a - b));
        for (const st of f.roadmap) {
          expect(st.action.length).toBeGreaterThan(40);
          expect(f.requirements.find((q) => q.id === st.requirement)!.state).not.toBe('n/a');
        }
      }
    }
  });
});

describe('never not_met for what could not be seen', () => {
  const blind = (name: string, fact: string): CheckResult =>
    check(name, {
      score: null,
      reason: `${name} could not run`,
      unknowns: [{ fact, reason: 'HTTP 403', needs: 'a token with more scopes' }],
    });
  const everyCheck = [
    blind('Branch-Protection', 'branchProtection'),
    blind('Code-Review', 'reviews'),
    blind('Provenance', 'attestations'),
    blind('Signed-Releases', 'releases'),
    blind('Hosted-Build', 'workflows'),
    blind('Pinned-Dependencies', 'workflows'),
    blind('Source-Attestations', 'gitNotes'),
    blind('Org-Settings', 'twoFactor'),
    blind('Signed-Commits', 'commits'),
    blind('Signed-Tags', 'tags'),
    blind('Packaging', 'workflows'),
  ];

  for (const t of [target(), target({ commit: null }), githubApi(), gitlabApi()]) {
    it(`${t.platform}/${t.source}${t.commit ? '' : ' (not a checkout)'}: everything unknown or better, attainable at the top`, () => {
      for (const checks of [[], everyCheck]) {
        for (const f of evaluateSlsa(checks, t).frameworks) {
          expect(f.requirements.filter((q) => q.state === 'not_met').map((q) => q.id)).toEqual([]);
          expect(f.attainable).toBe(f.levels[f.levels.length - 1]);
        }
      }
    });
  }
});

describe('levels()', () => {
  const r = (lv: number[], state: RequirementState) => ({ levels: lv, state });
  it('indicated never confirms; unknown never lowers attainable; not_met does', () => {
    expect(levels([0, 1, 2, 3], [r([1, 2, 3], 'met'), r([2, 3], 'indicated'), r([3], 'unknown')])).toEqual({ confirmed: 1, attainable: 3 });
    expect(levels([0, 1, 2, 3], [r([1, 2, 3], 'met'), r([2, 3], 'not_met'), r([3], 'met')])).toEqual({ confirmed: 1, attainable: 1 });
    expect(levels([1, 2, 3, 4], [r([1, 2, 3, 4], 'not_met')])).toEqual({ confirmed: 0, attainable: 0 });
    expect(levels([1, 2, 3, 4], [r([2, 3, 4], 'met'), r([1, 2, 3, 4], 'unknown')])).toEqual({ confirmed: 0, attainable: 4 });
  });
  it('n/a counts as met, but a level where nothing was met is not confirmed', () => {
    expect(levels([0, 1, 2], [r([1, 2], 'n/a'), r([2], 'met')])).toEqual({ confirmed: 0, attainable: 2 });
    expect(levels([0, 1, 2], [r([1, 2], 'met'), r([2], 'n/a')])).toEqual({ confirmed: 2, attainable: 2 });
  });
  it('a project that publishes nothing: Build rows n/a, no level confirmed, nothing blocking', () => {
    const build = evaluateFramework(byId['slsa-v1.2-build'], {
      checks: [check('Releases', { evidence: [ev('noArtifacts', { releases: 0, packages: 0 })] })],
      target: githubApi(),
    });
    expect(new Set(build.requirements.map((q) => q.state))).toEqual(new Set(['n/a']));
    expect(build).toMatchObject({ confirmed: 0, attainable: 3, next: 1, blocking: [], roadmap: [] });
  });
});

describe('robustness', () => {
  it('malformed evidence values and odd check results neither throw nor confirm anything', () => {
    const junk = [
      check('Branch-Protection', {
        evidence: [ev('branchProtection', { authoritative: 'yes', forcePushBlocked: 'true', requiredApprovals: '2' })],
      }),
      check('Provenance', { evidence: [ev('verifiedProvenance', { buildLevel: '3' }), ev('provenanceGenerator', {})] }),
      { ...check('Hosted-Build'), evidence: undefined as never, findings: undefined as never, unknowns: undefined as never },
    ];
    const r = evaluateSlsa(junk, githubApi());
    expect(r.frameworks.map((f) => f.confirmed)).toEqual([0, 0, 0]);
  });
});
