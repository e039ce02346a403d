/**
 * Scorecard parity: every case in ../shared/compat (Scorecard's own test fixtures, with the result
 * Scorecard's tests expect) runs through our check on the case's files; at least 95% must match.
 * Every deliberate difference is listed below with its reason. Per-check tests cover the cases in
 * more detail (including the harness adjustments some cases' notes call for).
 */
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { builtinChecks } from '../checks/index.js';
import { runCheckOnDir, tempTree } from './helpers/facts.js';
import { COMPAT_DIR, compatCases, type CompatCase } from './helpers/shared.js';
import type { CheckResult } from '../src/engine.js';

/** Cases where we deliberately give another answer than Scorecard, and why. */
const DELIBERATE: Record<string, string> = {
  'Pinned-Dependencies/dockerfilepinningwithouthash-pinned-dockerfile-as-no-hash':
    "A `FROM <earlier stage>` pulls nothing from a registry, so it is not an unpinned dependency; the stage's own base image is judged once where it is declared (Scorecard issue #1572). Scorecard counts 4, we count 2.",
  'Pinned-Dependencies/dockerfilescriptdownload-invalid-file-sh':
    "Scorecard's test hands script.sh to its Dockerfile validator only (finding nothing); a whole-repository scan rightly analyses it as the shell script it is and reports its downloads. (test/checks/pinned-dependencies.test.ts runs the Dockerfile-only harness and matches.)",
};

const cases = compatCases();
const ROOT = COMPAT_DIR;
const byId = new Map(builtinChecks.map((c) => [c.id, c]));

function observed(c: CompatCase, r: CheckResult): number | boolean | null {
  if (c.compare === 'score') return r.score === null ? -1 : r.score;
  if (c.compare === 'detected') return r.score !== null && r.score >= 9;
  // Findings are the problems the check reports; files we could not analyse are reported too
  // (info, rule fileNotAnalyzed) — Scorecard has no such finding, so they are not counted here.
  return r.findings.filter((f) => f.rule !== 'fileNotAnalyzed' && (c.rules === null || c.rules.includes(f.rule))).length;
}

describe.skipIf(cases.length === 0)('Scorecard parity (../shared/compat)', () => {
  const results: Array<{ id: string; expected: unknown; got: unknown; match: boolean }> = [];

  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const check = byId.get(c.check);
    expect(check, `no check named ${c.check}`).toBeDefined();
    // An empty case ("no files") has no directory in the copy: assess an empty one.
    const empty = existsSync(join(ROOT, c.dir)) ? undefined : tempTree({});
    const r = await runCheckOnDir(check!, empty?.dir ?? join(ROOT, c.dir));
    empty?.cleanup();
    const got = observed(c, r);
    const match = got === c.expected;
    results.push({ id: c.id, expected: c.expected, got, match });
    if (DELIBERATE[c.id]) expect(match, `listed as a deliberate difference but matches now: ${c.id}`).toBe(false);
    else expect(got, c.notes).toBe(c.expected);
  });

  it("at least 95% of the cases give Scorecard's result, and every difference is listed", () => {
    const matched = results.filter((r) => r.match).length;
    const rate = matched / cases.length;
    console.log(
      `Scorecard parity: ${matched}/${cases.length} cases match (${(rate * 100).toFixed(1)}%); deliberate differences: ${Object.keys(DELIBERATE).length}`,
    );
    expect(results).toHaveLength(cases.length);
    expect(rate).toBeGreaterThanOrEqual(0.95);
    for (const r of results.filter((x) => !x.match))
      expect(DELIBERATE[r.id], `unlisted difference ${r.id}: expected ${r.expected}, got ${r.got}`).toBeDefined();
  });
});
