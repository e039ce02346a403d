import { describe, expect, it } from 'vitest';
import signedReleases from '../../checks/signed-releases.js';
import type { CheckOutcome } from '../../src/check.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { AttestationCheck, Release } from '../../src/facts/platform.js';

const rel = (tag: string, assets: string[], over: Partial<Release> = {}): Release => ({
  tag,
  author: { login: 'alice', bot: false },
  assets: assets.map((name) => ({
    name,
    uploader: { login: 'github-actions[bot]', bot: true },
    digest: `sha256:${name.length.toString(16).padStart(64, '0')}`,
  })),
  ...over,
});

const att = (
  release: string,
  artifact: string,
  state: AttestationCheck['state'],
  over: Partial<AttestationCheck> = {},
): AttestationCheck => ({
  release,
  artifact,
  digest: `sha256:${'a'.repeat(64)}`,
  source: 'github-attestations-api',
  predicateType: 'https://slsa.dev/provenance/v1',
  state,
  buildLevel: state === 'verified' ? 3 : 0,
  builder: {
    id: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.0.0',
    trusted: true,
  },
  sourceRepo: 'https://github.com/acme/widget',
  errors: state === 'signature-invalid' ? ['signature does not match the certificate'] : [],
  ...over,
});

const run = (r: Fact<Release[]>, a: Fact<AttestationCheck[]> = known([])): CheckOutcome =>
  signedReleases.run({ releases: r, attestations: a }, { options: {} });

describe('Signed-Releases', () => {
  it("Scorecard's name rule: signature 8, .intoto.jsonl 10, nothing 0; ⌊mean⌋ over the last 5 releases with assets", () => {
    const releases = [
      rel('v6', ['w.tar.gz', 'w.tar.gz.sig']),
      rel('v5', ['w.tar.gz', 'multiple.intoto.jsonl']),
      rel('v4', []), // no assets: skipped
      rel('v3', ['w.tar.gz']),
      rel('v2', ['w.tar.gz', 'w.tar.gz.sigstore.json']),
      rel('v1', ['w.tar.gz', 'w.tar.gz.asc']),
      rel('v0', ['w.tar.gz', 'w.intoto.jsonl']), // sixth with assets: beyond the look-back
    ];
    const o = run(known(releases), unknown('attestations not fetched', 'network access'));
    expect(o.score).toBe(6); // (8 + 10 + 0 + 8 + 8) / 5 = 6.8
    expect(o.findings?.map((f) => [f.rule, f.message])).toEqual([['unsignedRelease', 'release v3 has neither a signature nor provenance']]);
    expect(o.evidence?.filter((e) => e.kind === 'releaseProvenanceAsset').map((e) => e.values)).toEqual([
      { release: 'v5', asset: 'multiple.intoto.jsonl' },
    ]);
    expect(o.unknowns).toEqual([expect.objectContaining({ fact: 'attestations', needs: 'network access' })]);
  });

  it('a verified attestation counts 10 without any provenance asset, with verifiedProvenance evidence', () => {
    const o = run(
      known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
      known([att('v2', 'w.tar.gz', 'verified'), att('v1', 'w.tar.gz', 'verified')]),
    );
    expect(o.score).toBe(10);
    expect(o.findings).toEqual([]);
    expect(o.evidence?.filter((e) => e.kind === 'verifiedProvenance').map((e) => e.values)).toEqual([
      expect.objectContaining({
        release: 'v2',
        artifact: 'w.tar.gz',
        buildLevel: 3,
        builder: expect.stringContaining('slsa-github-generator'),
        trusted: true,
        distributedVia: 'github-attestations',
      }),
      expect.objectContaining({ release: 'v1' }),
    ]);
  });

  it('verifiedProvenance carries how the build ran when the attestation records it, and leaves out what it does not', () => {
    const o = run(
      known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
      known([
        att('v2', 'w.tar.gz', 'verified', {
          entryPoint: '.github/workflows/release.yml',
          buildType: 'https://actions.github.io/buildtypes/workflow/v1',
          runnerEnvironment: 'github-hosted',
          externalInputs: 0,
        }),
        att('v1', 'w.tar.gz', 'verified'),
      ]),
    );
    const [v2, v1] = o.evidence!.filter((e) => e.kind === 'verifiedProvenance');
    expect(v2.values).toMatchObject({
      entryPoint: '.github/workflows/release.yml',
      buildType: 'https://actions.github.io/buildtypes/workflow/v1',
      runnerEnvironment: 'github-hosted',
      externalInputs: 0,
    });
    expect(v2.message).toMatch(/built by \S+ from \.github\/workflows\/release\.yml \(Build L3\)$/);
    for (const k of ['entryPoint', 'buildType', 'runnerEnvironment', 'externalInputs']) expect(v1.values).not.toHaveProperty(k);
  });

  it('an invalid signature is a critical finding and the release scores 0, even with a provenance asset by name', () => {
    const o = run(
      known([rel('v2', ['w.tar.gz', 'w.intoto.jsonl']), rel('v1', ['w.tar.gz', 'w.intoto.jsonl'])]),
      known([att('v2', 'w.tar.gz', 'signature-invalid', { source: 'release-asset' })]),
    );
    expect(o.score).toBe(5); // v2 → 0, v1 → 10 by name
    const bad = o.findings!.find((f) => f.rule === 'provenanceInvalid')!;
    expect(bad.severity).toBe('critical');
    expect(bad.message).toContain('signature does not verify');
    expect(o.findings!.some((f) => f.rule === 'provenanceMissing')).toBe(false);
  });

  it('identity mismatch is a finding and counts as a signature (8), not provenance', () => {
    const o = run(
      known([rel('v1', ['w.tar.gz'])]),
      known([
        att('v1', 'w.tar.gz', 'identity-mismatch', {
          builder: {
            id: 'https://github.com/evil/fork/.github/workflows/release.yml@refs/heads/main',
            trusted: false,
            reason: 'workflow of another repository',
          },
        }),
      ]),
    );
    expect(o.score).toBe(8);
    expect(o.findings?.map((f) => [f.rule, f.severity])).toEqual([
      ['provenanceIdentityMismatch', 'high'],
      ['provenanceMissing', 'medium'],
    ]);
  });

  it('attestations looked for and none found → provenanceMissing; no releases → inconclusive; unknown releases → inconclusive', () => {
    const none = run(known([rel('v1', ['w.tar.gz'])]), known([]));
    expect(none.score).toBe(0);
    expect(none.findings?.map((f) => f.rule)).toEqual(['unsignedRelease', 'provenanceMissing']);
    expect(run(known([rel('v1', [])])).score).toBeNull();
    expect(run(known([rel('v1', ['a.sig'], { draft: true })])).score).toBeNull();
    const u = run(unknown('not available from a local source', 'assess on GitHub'));
    expect(u.score).toBeNull();
    expect(u.unknowns).toEqual([{ fact: 'releases', reason: 'not available from a local source', needs: 'assess on GitHub' }]);
  });

  it('a release without assets but with a verified attestation is counted', () => {
    const o = run(known([rel('v1', [])]), known([att('v1', 'pkg-1.0.0.tgz', 'verified', { source: 'npm-registry', buildLevel: 2 })]));
    expect(o.score).toBe(10);
    expect(o.evidence?.[0].values).toMatchObject({ distributedVia: 'npm', buildLevel: 2 });
  });

  describe('provenanceConsistency', () => {
    const GEN = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';
    const WF = 'https://github.com/acme/widget/.github/workflows/release.yml';
    const builder = (id: string) => ({ builder: { id, trusted: true } });
    const consistency = (o: CheckOutcome) => o.evidence?.filter((e) => e.kind === 'provenanceConsistency') ?? [];

    it('the same builder across releases is consistent, whatever the ref (release tag, generator version)', () => {
      const gen = run(
        known([rel('v3', ['w.tar.gz']), rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
        known([
          att('v3', 'w.tar.gz', 'verified', builder(`${GEN}@refs/tags/v2.1.0`)),
          att('v2', 'w.tar.gz', 'verified', builder(`${GEN}@refs/tags/v2.0.0`)),
          att('v1', 'w.tar.gz', 'verified', builder(`${GEN}@refs/tags/v2.0.0`)),
        ]),
      );
      expect(consistency(gen).map((e) => e.values)).toEqual([{ releases: 3, consistent: true, compared: 'builder', builder: GEN }]);
      expect(consistency(gen)[0].message).toBe(`the last 3 releases with verified provenance were all built by ${GEN} (compared: builder)`);

      const attest = run(
        known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
        known([
          att('v2', 'w.tar.gz', 'verified', builder(`${WF}@refs/tags/v2`)),
          att('v1', 'w.tar.gz', 'verified', builder(`${WF}@refs/tags/v1`)),
        ]),
      );
      expect(consistency(attest).map((e) => e.values)).toEqual([{ releases: 2, consistent: true, compared: 'builder', builder: WF }]);
    });

    it('a changed builder is inconsistent, naming each release’s builder; the score is unchanged', () => {
      const o = run(
        known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
        known([att('v2', 'w.tar.gz', 'verified', builder(`${WF}@refs/tags/v2`)), att('v1', 'w.tar.gz', 'verified')]),
      );
      expect(o.score).toBe(10);
      expect(consistency(o).map((e) => e.values)).toEqual([
        { releases: 2, consistent: false, compared: 'builder', builders: `${WF} | ${GEN}` },
      ]);
      expect(consistency(o)[0].message).toBe(
        `the builder changed across the last 2 releases with verified provenance: v2: ${WF}; v1: ${GEN} (compared: builder)`,
      );
    });

    const process = (ref: string, entryPoint?: string, buildType = 'https://actions.github.io/buildtypes/workflow/v1') => ({
      ...builder(`${WF}@${ref}`),
      buildType,
      ...(entryPoint ? { entryPoint } : {}),
    });
    const twoReleases = (v2: Partial<AttestationCheck>, v1: Partial<AttestationCheck>) =>
      run(
        known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
        known([att('v2', 'w.tar.gz', 'verified', v2), att('v1', 'w.tar.gz', 'verified', v1)]),
      );

    it('build type and entry point are compared when every attestation records them', () => {
      const same = twoReleases(
        process('refs/tags/v2', '.github/workflows/release.yml'),
        process('refs/tags/v1', '.github/workflows/release.yml'),
      );
      expect(consistency(same).map((e) => e.values)).toEqual([
        {
          releases: 2,
          consistent: true,
          compared: 'builder,buildType,entryPoint',
          builder: WF,
          buildType: 'https://actions.github.io/buildtypes/workflow/v1',
          entryPoint: '.github/workflows/release.yml',
        },
      ]);
      expect(consistency(same)[0].message).toMatch(/\(compared: builder, build type and entry point\)$/);

      // Same builder, another entry point: a different build process.
      const moved = twoReleases(
        process('refs/tags/v2', '.github/workflows/release.yml'),
        process('refs/tags/v1', '.github/workflows/publish.yml'),
      );
      expect(consistency(moved).map((e) => e.values)).toEqual([
        expect.objectContaining({
          consistent: false,
          builder: WF,
          entryPoints: '.github/workflows/release.yml | .github/workflows/publish.yml',
        }),
      ]);
      expect(consistency(moved)[0].message).toMatch(
        /^the entry point changed across the last 2 releases with verified provenance: v2: \S+ from \.github\/workflows\/release\.yml, build type /,
      );

      const retyped = twoReleases(
        process('refs/tags/v2', 'x.yml'),
        process('refs/tags/v1', 'x.yml', 'https://slsa.dev/container-based-build/v0.1?draft'),
      );
      expect(consistency(retyped)[0].values).toMatchObject({
        consistent: false,
        buildTypes: 'https://actions.github.io/buildtypes/workflow/v1 | https://slsa.dev/container-based-build/v0.1?draft',
      });
    });

    it('an aspect one attestation does not record is not compared (not read as a change)', () => {
      const o = twoReleases(process('refs/tags/v2', '.github/workflows/release.yml'), process('refs/tags/v1'));
      expect(consistency(o).map((e) => e.values)).toEqual([
        {
          releases: 2,
          consistent: true,
          compared: 'builder,buildType',
          builder: WF,
          buildType: 'https://actions.github.io/buildtypes/workflow/v1',
        },
      ]);
      expect(consistency(o)[0].message).toMatch(/\(compared: builder and build type\)$/);
    });

    it('needs two releases whose provenance verified and names a builder', () => {
      const one = run(
        known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz', 'w.tar.gz.sig'])]),
        known([att('v2', 'w.tar.gz', 'verified'), att('v1', 'w.tar.gz', 'unverifiable')]),
      );
      expect(consistency(one)).toEqual([]);
      const noBuilder = run(
        known([rel('v2', ['w.tar.gz']), rel('v1', ['w.tar.gz'])]),
        known([att('v2', 'w.tar.gz', 'verified'), att('v1', 'w.tar.gz', 'verified', { builder: undefined })]),
      );
      expect(consistency(noBuilder)).toEqual([]);
      const notFetched = run(known([rel('v2', ['w.intoto.jsonl']), rel('v1', ['w.intoto.jsonl'])]), unknown('offline'));
      expect(consistency(notFetched)).toEqual([]);
    });
  });
});
