/**
 * Conditional facts (check.ts `readWhen`): a fact that costs API requests is fetched only when the
 * check's other facts say it will be read, and a skipped fact never shows up as an unknown.
 */
import { afterEach, describe, expect, test } from 'vitest';
import { defineCheck } from '../../src/check.js';
import { createFactStore, evaluateCheck } from '../../src/engine.js';
import { known } from '../../src/facts/fact.js';
import type { WorkflowRun } from '../../src/facts/platform.js';
import { LocalSource } from '../../src/sources/local/index.js';
import packaging from '../../checks/packaging.js';
import binaryArtifacts from '../../checks/binary-artifacts.js';
import { tempTree } from '../helpers/facts.js';

const PUBLISH = `name: Release
on: { push: { tags: ['v*'] } }
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683
      - uses: actions/setup-node@49933ea5288caeca8642d1e84afbd3f7d6820020
      - run: npm publish
`;

const CI = `name: CI
on: [push]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - run: make test
`;

/** A local checkout whose source also answers `workflowRuns` (as an API source would), counting the calls. */
function sourceWithRuns(dir: string, runs: WorkflowRun[]) {
  const src = new LocalSource(dir);
  const calls = { workflowRuns: 0 };
  (src.providers as Record<string, unknown>).workflowRuns = async () => {
    calls.workflowRuns++;
    return known(runs);
  };
  return { src, calls };
}

const cleanups: Array<() => void> = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});
function tree(files: Record<string, string>) {
  const t = tempTree(files, { git: true });
  cleanups.push(t.cleanup);
  return t.dir;
}

const run: WorkflowRun = { workflow: '.github/workflows/release.yml', event: 'push', conclusion: 'success', headSha: 'a'.repeat(40) };

describe('readWhen', () => {
  test('Packaging without a publishing job does not fetch workflow runs, and does not report them unknown', async () => {
    const { src, calls } = sourceWithRuns(tree({ '.github/workflows/ci.yml': CI }), [run]);
    const r = await evaluateCheck(packaging, createFactStore(src));
    expect(calls.workflowRuns).toBe(0);
    expect(r.score).toBeNull();
    expect(r.reason).toBe('no publishing workflow detected');
    expect(r.unknowns.map((u) => u.fact)).not.toContain('workflowRuns');
  });

  test('Packaging with a publishing job fetches them once and confirms the run', async () => {
    const { src, calls } = sourceWithRuns(tree({ '.github/workflows/release.yml': PUBLISH }), [run]);
    const r = await evaluateCheck(packaging, createFactStore(src));
    expect(calls.workflowRuns).toBe(1);
    expect(r.score).toBe(10);
    expect(r.reason).toMatch(/ran successfully \(\.github\/workflows\/release\.yml\)/);
  });

  test('Binary-Artifacts reads runs only for a gradle-wrapper.jar that a workflow validates', async () => {
    const jar = 'PK\u0003\u0004 not really a jar';
    const plain = sourceWithRuns(tree({ 'gradle/wrapper/gradle-wrapper.jar': jar, '.github/workflows/ci.yml': CI }), []);
    expect((await evaluateCheck(binaryArtifacts, createFactStore(plain.src))).score).toBe(9);
    expect(plain.calls.workflowRuns).toBe(0);
    const validate = `${CI}      - uses: gradle/actions/wrapper-validation@v4\n`;
    const validated = sourceWithRuns(tree({ 'gradle/wrapper/gradle-wrapper.jar': jar, '.github/workflows/ci.yml': validate }), []);
    expect((await evaluateCheck(binaryArtifacts, createFactStore(validated.src))).score).toBe(10);
    expect(validated.calls.workflowRuns).toBe(1);
  });

  test('a predicate that throws reads the fact (never loses information); one that says no leaves it out of unknowns', async () => {
    const { src, calls } = sourceWithRuns(tree({ 'README.md': '# x\n' }), [run]);
    const throwing = defineCheck({
      id: 'Throwing-Predicate',
      risk: 'low',
      description: 'test',
      facts: ['files', 'workflowRuns'],
      readWhen: {
        workflowRuns: () => {
          throw new Error('boom');
        },
      },
      remediation: [],
      run: (f) => ({ score: f.workflowRuns.known ? f.workflowRuns.value.length : null, reason: 'counted' }),
    });
    expect((await evaluateCheck(throwing, createFactStore(src))).score).toBe(1);
    expect(calls.workflowRuns).toBe(1);

    const other = sourceWithRuns(tree({ 'README.md': '# x\n' }), [run]);
    const never = defineCheck({
      id: 'Never-Reads',
      risk: 'low',
      description: 'test',
      facts: ['files', 'workflowRuns'],
      readWhen: { workflowRuns: () => false },
      remediation: [],
      run: () => ({ score: null, reason: 'nothing to say' }),
    });
    const r = await evaluateCheck(never, createFactStore(other.src));
    expect(other.calls.workflowRuns).toBe(0);
    expect(r.unknowns).toEqual([]);
  });
});
