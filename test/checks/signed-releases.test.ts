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
});
