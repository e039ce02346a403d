/**
 * The evidence kinds the SLSA tables consume now come from real checks: Signed-Commits
 * (`commitVerification`), Hosted-Build (`releaseInputs`), Signed-Releases (`provenanceConsistency`)
 * and Provenance (`noArtifacts`). Each case runs the check through the engine on in-memory facts (or
 * a temporary repository) and shows the requirement's state with the evidence and without it.
 */
import { describe, expect, it } from 'vitest';
import provenance from '../../checks/provenance.js';
import signedCommits from '../../checks/signed-commits.js';
import signedReleases from '../../checks/signed-releases.js';
import type { AssessmentTarget } from '../../src/assessment.js';
import { evaluateCheck, type CheckResult } from '../../src/engine.js';
import { known, unknown } from '../../src/facts/fact.js';
import type { CommitInfo } from '../../src/facts/model.js';
import type { AttestationCheck, Release } from '../../src/facts/platform.js';
import type { ProviderMap } from '../../src/facts/store.js';
import { evaluateSlsa } from '../../src/slsa/evaluate.js';
import type { FrameworkId, RequirementResult } from '../../src/slsa/types.js';
import { buildOf, defaultVerifier } from '../../src/sources/github/attestations.js';
import { memorySource, storeOf } from '../fake-services/source.js';
import { CONTAINER_BASED, NPM_DOC, sample } from '../verify/samples.js';
import { assessFiles, githubApi, gitlabApi, RELEASE_WORKFLOW } from './fixtures.js';

const req = (checks: readonly CheckResult[], t: AssessmentTarget, fw: FrameworkId, id: string): RequirementResult =>
  evaluateSlsa(checks, t)
    .frameworks.find((f) => f.id === fw)!
    .requirements.find((r) => r.id === id)!;
/** The same results without one evidence kind: what the tables saw before a check emitted it. */
const without = (checks: readonly CheckResult[], kind: string): CheckResult[] =>
  checks.map((c) => ({ ...c, evidence: c.evidence.filter((e) => e.kind !== kind) }));

async function runOn(
  check: Parameters<typeof evaluateCheck>[0],
  platform: 'github' | 'gitlab',
  providers: Partial<ProviderMap>,
  files: Record<string, string> = {},
): Promise<CheckResult> {
  const repo = platform === 'gitlab' ? { platform, host: 'gitlab.com', repo: 'acme/tools/widget' } : { host: 'ghe.acme.dev' };
  return evaluateCheck(check, storeOf(memorySource(platform, files, repo, providers), { offline: true }));
}

describe('commitVerification (Signed-Commits) → v0.1 Verified history', () => {
  // A GitHub Enterprise host: github.com's own 2FA policy would indicate the requirement by itself.
  const ghe = githubApi({ host: 'ghe.acme.dev' });
  const commit = (i: number, verified: boolean | null, signature: CommitInfo['signature'] = 'ssh'): CommitInfo => ({
    sha: `${i}`.padStart(40, 'a'),
    author: 'alice',
    signature,
    verified,
  });

  it('every recent commit verified by the platform: unknown → indicated', async () => {
    const r = await runOn(signedCommits, 'github', { recentCommits: async () => known([commit(1, true), commit(2, true)]) });
    expect(r.score).toBe(10);
    expect(req(without([r], 'commitVerification'), ghe, 'slsa-v0.1', 'source.verified-history').state).toBe('unknown');
    const after = req([r], ghe, 'slsa-v0.1', 'source.verified-history');
    expect(after.state).toBe('indicated');
    expect(after.evidence).toEqual([
      { message: 'recent commits carry signatures the platform verified' },
      {
        check: 'Signed-Commits',
        kind: 'commitVerification',
        message: '2/2 recent commit(s) carry signatures verified by GitHub',
      },
    ]);
  });

  it('one unsigned commit: not indicated (signatures are no proof of 2FA, so never not_met either)', async () => {
    const r = await runOn(signedCommits, 'github', { recentCommits: async () => known([commit(1, true), commit(2, null, null)]) });
    expect(r.score).toBe(5);
    expect(req([r], ghe, 'slsa-v0.1', 'source.verified-history').state).toBe('unknown');
  });

  it('GitLab cannot show commit signatures: unknown, needing the 2FA setting that settles it', async () => {
    const hidden = { ...commit(1, null, null), signatureUnknown: 'GitLab lists commits without their signatures' };
    const r = await runOn(signedCommits, 'gitlab', { recentCommits: async () => known([hidden]) });
    expect(r.score).toBeNull();
    const q = req([r], gitlabApi(), 'slsa-v0.1', 'source.verified-history');
    // Unknown for want of the 2FA setting — what settles this requirement — not of commit signatures.
    expect(q.state).toBe('unknown');
    expect(q.evidence.map((e) => e.check)).toEqual([undefined]);
    expect(q.needs).toMatch(/two-factor/i);
  });
});

describe('releaseInputs (Hosted-Build) → v0.1 Parameterless', () => {
  const DISPATCH = `on:
  push:
    tags: ['v*']
  workflow_dispatch:
    inputs:
      version:
        required: true
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
`;

  it('a release workflow with workflow_dispatch inputs: unknown → not_met', async () => {
    const { checks, target } = await assessFiles({ '.github/workflows/release.yml': DISPATCH });
    expect(req(without(checks, 'releaseInputs'), target, 'slsa-v0.1', 'build.parameterless').state).toBe('unknown');
    const after = req(checks, target, 'slsa-v0.1', 'build.parameterless');
    expect(after.state).toBe('not_met');
    expect(after.evidence[1]).toMatchObject({
      check: 'Hosted-Build',
      kind: 'releaseInputs',
      location: { path: '.github/workflows/release.yml', line: 4 },
    });
  });

  it('a tag-only release workflow takes no inputs: still unknown (only verified provenance proves parameterless)', async () => {
    const { checks, target } = await assessFiles({ '.github/workflows/release.yml': RELEASE_WORKFLOW });
    expect(checks.flatMap((c) => c.evidence).find((e) => e.kind === 'releaseInputs')?.values).toMatchObject({ inputs: 0 });
    expect(req(checks, target, 'slsa-v0.1', 'build.parameterless').state).toBe('unknown');
  });
});

describe('provenanceConsistency (Signed-Releases) → v1.2 Build "Follow a consistent build process"', () => {
  const WF = 'https://github.com/acme/widget/.github/workflows/release.yml';
  const rel = (tag: string): Release => ({ tag, author: null, assets: [{ name: 'w.tgz', uploader: null }] });
  const att = (release: string, builder: string): AttestationCheck => ({
    release,
    artifact: 'w.tgz',
    digest: `sha256:${'b'.repeat(64)}`,
    source: 'github-attestations-api',
    predicateType: 'https://slsa.dev/provenance/v1',
    state: 'verified',
    buildLevel: 2,
    builder: { id: builder, trusted: true },
    errors: [],
  });
  const signed = (atts: AttestationCheck[]) =>
    runOn(signedReleases, 'github', {
      releases: async () => known([rel('v2'), rel('v1')]),
      attestations: async () => known(atts),
    });
  const state = (checks: CheckResult[]) => req(checks, githubApi(), 'slsa-v1.2-build', 'build.consistent-process').state;

  it('the same workflow built the last releases: unknown → met', async () => {
    const r = await signed([att('v2', `${WF}@refs/tags/v2`), att('v1', `${WF}@refs/tags/v1`)]);
    expect(state(without([r], 'provenanceConsistency'))).toBe('unknown');
    expect(state([r])).toBe('met');
  });

  it('the builder changed between releases: not_met', async () => {
    const r = await signed([
      att('v2', `${WF}@refs/tags/v2`),
      att('v1', 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0'),
    ]);
    expect(state([r])).toBe('not_met');
  });
});

describe('verifiedProvenance build fields (Signed-Releases, real provenance) → Parameterless, Isolated, Consistent process', () => {
  const EXAMPLE = 'github.com/slsa-framework/example-package';
  const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
  const target = githubApi({ repo: 'slsa-framework/example-package', url: `https://${EXAMPLE}` });
  const BUILD_KEYS = ['entryPoint', 'buildType', 'runnerEnvironment', 'externalInputs'];
  /** The results as they were before the sources carried how the build ran. */
  const withoutBuild = (checks: readonly CheckResult[]): CheckResult[] =>
    checks.map((c) => ({
      ...c,
      evidence: c.evidence.map((e) =>
        e.kind === 'verifiedProvenance'
          ? { ...e, values: Object.fromEntries(Object.entries(e.values ?? {}).filter(([k]) => !BUILD_KEYS.includes(k))) }
          : e,
      ),
    }));
  /** A real document through the GitHub source's verifier, into an AttestationCheck as the source builds it. */
  async function attestation(release: string, file: string, repo: string, sha256?: string): Promise<AttestationCheck> {
    const [v] = await (await defaultVerifier())({ document: sample(file), repo, ...(sha256 ? { sha256 } : {}) });
    return {
      release,
      artifact: 'artifact',
      digest: `sha256:${sha256 ?? EMPTY_SHA256}`,
      source: 'github-attestations-api',
      state: v.state,
      buildLevel: v.buildLevel,
      ...(v.builder ? { builder: v.builder } : {}),
      ...buildOf(v),
      errors: v.errors,
    };
  }
  const rel = (tag: string): Release => ({ tag, author: null, assets: [{ name: 'artifact', uploader: null }] });
  const signed = (atts: AttestationCheck[]) =>
    runOn(signedReleases, 'github', {
      releases: async () => known([...new Set(atts.map((a) => a.release!))].map(rel)),
      attestations: async () => known(atts),
    });

  it('the container-based sample records no inputs: Parameterless unknown → met; provenance with inputs: not_met', async () => {
    const a = await attestation('v14', CONTAINER_BASED, EXAMPLE, EMPTY_SHA256);
    expect(a).toMatchObject({
      state: 'verified',
      buildLevel: 3,
      entryPoint: '.github/configs-docker/config-tag-v14.toml',
      buildType: 'https://slsa.dev/container-based-build/v0.1?draft',
      runnerEnvironment: 'github-hosted',
      externalInputs: 0,
    });
    const r = await signed([a]);
    expect(req(withoutBuild([r]), target, 'slsa-v0.1', 'build.parameterless').state).toBe('unknown');
    const met = req([r], target, 'slsa-v0.1', 'build.parameterless');
    expect(met.state).toBe('met');
    expect(met.evidence[1]).toMatchObject({ check: 'Signed-Releases', kind: 'verifiedProvenance' });

    // The same build, had it been dispatched with two inputs (what the generator's event payload records).
    const dispatched = await signed([{ ...a, externalInputs: 2 }]);
    const notMet = req([dispatched], target, 'slsa-v0.1', 'build.parameterless');
    expect(notMet.state).toBe('not_met');
    expect(notMet.evidence[0].message).toBe('verified provenance records user-supplied build inputs');
  });

  it('npm provenance (Build L2): the certificate’s github-hosted runner makes Isolated met', async () => {
    const a = await attestation('v3.0.0', NPM_DOC, 'github.com/sigstore/sigstore-js');
    expect(a).toMatchObject({
      state: 'verified',
      buildLevel: 2,
      entryPoint: '.github/workflows/release.yml',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      runnerEnvironment: 'github-hosted',
      externalInputs: 0,
    });
    const r = await signed([a]);
    const npmTarget = githubApi({ repo: 'sigstore/sigstore-js' });
    expect(req(withoutBuild([r]), npmTarget, 'slsa-v1.2-build', 'build.isolated').state).not.toBe('met');
    expect(req([r], npmTarget, 'slsa-v1.2-build', 'build.isolated').state).toBe('met');
  });

  it('consistent process compares builder, build type and entry point from the real provenance', async () => {
    const v14 = await attestation('v14', CONTAINER_BASED, EXAMPLE, EMPTY_SHA256);
    const same = await signed([v14, { ...v14, release: 'v13' }]);
    const consistency = same.evidence.find((e) => e.kind === 'provenanceConsistency')!;
    expect(consistency.values).toMatchObject({ consistent: true, compared: 'builder,buildType,entryPoint' });
    expect(req([same], target, 'slsa-v1.2-build', 'build.consistent-process').state).toBe('met');
    // Same builder, another config file: compared by builder alone (the attestations without their build fields), it passed.
    const v13 = { ...v14, release: 'v13', entryPoint: '.github/configs-docker/other.toml' };
    const bare = (a: AttestationCheck): AttestationCheck =>
      Object.fromEntries(Object.entries(a).filter(([k]) => !BUILD_KEYS.includes(k))) as unknown as AttestationCheck;
    expect(req([await signed([bare(v14), bare(v13)])], target, 'slsa-v1.2-build', 'build.consistent-process').state).toBe('met');
    const moved = await signed([v14, v13]);
    expect(moved.evidence.find((e) => e.kind === 'provenanceConsistency')?.values).toMatchObject({ consistent: false });
    expect(req([moved], target, 'slsa-v1.2-build', 'build.consistent-process').state).toBe('not_met');
  });
});

describe('noArtifacts (Provenance) → Build requirements n/a', () => {
  const CI = { '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' };

  it('no release, no tag, CI that only tests: every Build requirement is n/a, and n/a alone confirms nothing', async () => {
    const r = await runOn(provenance, 'github', { tags: async () => known([]), releases: async () => known([]) }, CI);
    const slsa = evaluateSlsa([r], githubApi());
    const build = slsa.frameworks.find((f) => f.id === 'slsa-v1.2-build')!;
    expect(new Set(build.requirements.map((q) => q.state))).toEqual(new Set(['n/a']));
    expect(build.confirmed).toBe(0);
    const v01 = slsa.frameworks.find((f) => f.id === 'slsa-v0.1')!;
    expect(v01.requirements.filter((q) => q.category === 'Build').map((q) => q.state)).toEqual(
      v01.requirements.filter((q) => q.category === 'Build').map(() => 'n/a'),
    );
    // Before: nothing said the project publishes nothing.
    const before = evaluateSlsa(without([r], 'noArtifacts'), githubApi()).frameworks.find((f) => f.id === 'slsa-v1.2-build')!;
    expect(before.requirements.every((q) => q.state !== 'n/a')).toBe(true);
  });

  it('releases that could not be read: the Build requirements stay assessable', async () => {
    const r = await runOn(provenance, 'github', { tags: async () => known([]), releases: async () => unknown('HTTP 502') }, CI);
    const build = evaluateSlsa([r], githubApi()).frameworks.find((f) => f.id === 'slsa-v1.2-build')!;
    expect(build.requirements.some((q) => q.state === 'n/a')).toBe(false);
  });
});
