/** Packaging, Binary-Artifacts and SBOM with the platform facts (workflow runs, releases) known. */
import { describe, expect, it } from 'vitest';
import binaryArtifacts from '../../checks/binary-artifacts.js';
import packaging from '../../checks/packaging.js';
import sbom from '../../checks/sbom.js';
import { evaluateCheck } from '../../src/engine.js';
import { known } from '../../src/facts/fact.js';
import type { Release, WorkflowRun } from '../../src/facts/platform.js';
import { memorySource, storeOf } from '../fake-services/source.js';

const HEAD = 'c'.repeat(40);
const RELEASE_WF = `on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm publish
`;
const GRADLE_WF = `on: [push]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: gradle/actions/wrapper-validation@v4
`;

const run = (workflow: string, conclusion: WorkflowRun['conclusion'], headSha = HEAD): WorkflowRun => ({
  workflow,
  event: 'push',
  conclusion,
  headSha,
});

function store(files: Record<string, string>, providers: Parameters<typeof memorySource>[3]) {
  return storeOf(memorySource('github', files, {}, { commit: async () => known(HEAD), ...providers }), { offline: true });
}

describe('Packaging with workflow runs', () => {
  it('a successful run of the publishing workflow confirms it (no unknown left)', async () => {
    const r = await evaluateCheck(
      packaging,
      store(
        { '.github/workflows/release.yml': RELEASE_WF },
        { workflowRuns: async () => known([run('.github/workflows/release.yml', 'success')]) },
      ),
    );
    expect(r.score).toBe(10);
    expect(r.reason).toBe('publishing workflow found, and it ran successfully (.github/workflows/release.yml)');
    expect(r.unknowns).toEqual([]);
    expect(r.evidence[0].values).toMatchObject({ runConfirmed: true });
  });

  it('runs known but none of the publishing workflow: still 10, with the note', async () => {
    const r = await evaluateCheck(
      packaging,
      store(
        { '.github/workflows/release.yml': RELEASE_WF },
        { workflowRuns: async () => known([run('.github/workflows/ci.yml', 'success')]) },
      ),
    );
    expect(r.score).toBe(10);
    expect(r.evidence[0].values).toMatchObject({ runConfirmed: false });
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'workflowRuns' })]);
  });
});

describe('Binary-Artifacts with workflow runs', () => {
  const files = { '.github/workflows/gradle.yml': GRADLE_WF, 'gradle/wrapper/gradle-wrapper.jar': 'jar' };
  const binaries = async () => known([{ path: 'gradle/wrapper/gradle-wrapper.jar', type: 'jar' }]);

  it('wrapper validation succeeded on the head commit → exempt, confirmed', async () => {
    const r = await evaluateCheck(
      binaryArtifacts,
      store(files, { binaries, workflowRuns: async () => known([run('.github/workflows/gradle.yml', 'success')]) }),
    );
    expect(r.score).toBe(10);
    expect(r.unknowns).toEqual([]);
    expect(r.evidence[0].values).toMatchObject({ runSucceeded: true });
  });

  it('wrapper validation failed on the head commit → the jar counts', async () => {
    const r = await evaluateCheck(
      binaryArtifacts,
      store(files, { binaries, workflowRuns: async () => known([run('.github/workflows/gradle.yml', 'failure')]) }),
    );
    expect(r.score).toBe(9);
  });

  it('no run on the head commit → exempt as before, with the unknown', async () => {
    const r = await evaluateCheck(
      binaryArtifacts,
      store(files, { binaries, workflowRuns: async () => known([run('.github/workflows/gradle.yml', 'success', 'd'.repeat(40))]) }),
    );
    expect(r.score).toBe(10);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'workflowRuns' })]);
  });
});

describe('SBOM with releases', () => {
  const rel = (tag: string, assets: string[]): Release => ({ tag, author: null, assets: assets.map((name) => ({ name, uploader: null })) });

  it("an SBOM among the last releases' assets → 10", async () => {
    const r = await evaluateCheck(
      sbom,
      store({ 'README.md': 'x' }, { releases: async () => known([rel('v2', ['app.tar.gz', 'app.spdx.json'])]) }),
    );
    expect(r.score).toBe(10);
    expect(r.unknowns).toEqual([]);
    expect(r.evidence.map((e) => e.kind)).toEqual(['sbomReleaseAsset']);
  });

  it('releases known without an SBOM: repository SBOM 5, nothing 0 — and no unknown', async () => {
    const some = await evaluateCheck(sbom, store({ 'bom.cdx.json': '{}' }, { releases: async () => known([rel('v1', ['app.tar.gz'])]) }));
    expect(some.score).toBe(5);
    expect(some.unknowns).toEqual([]);
    const none = await evaluateCheck(sbom, store({ 'README.md': 'x' }, { releases: async () => known([]) }));
    expect(none.score).toBe(0);
    expect(none.unknowns).toEqual([]);
  });
});
