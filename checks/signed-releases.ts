/**
 * Signed-Releases: are the recent releases signed, and do they carry provenance that verifies?
 *
 * Scorecard's rule (probes/releasesAreSigned, probes/releasesHaveProvenance,
 * checks/evaluation/signed_releases.go `SignedReleases`): the last 5 releases that have assets; a
 * release with a signature asset (.asc .minisig .sig .sign .sigstore .sigstore.json) is worth 8, one
 * with provenance (.intoto.jsonl) 10, otherwise 0; score ⌊Σ / releases⌋; no release → inconclusive.
 *
 * Improved with the `attestations` fact (Sigstore bundles, GitHub/GitLab attestations, provenance
 * assets, registry provenance — verified offline by the source):
 * - a VERIFIED attestation for a release's artifact makes the release worth 10, whatever its asset
 *   names (GitHub artifact attestations have no asset at all — Scorecard #4080);
 * - a signature that does not verify, or a subject that does not match the artifact, is a critical
 *   `provenanceInvalid` finding and the release is worth 0 — a file name is not a signature;
 * - a valid signature by an unexpected identity (not this repository's build) is a
 *   `provenanceIdentityMismatch` finding; the release counts as signed (8), not as having provenance;
 * - an attestation that could not be verified leaves Scorecard's name-based rule in place.
 * Releases without assets but with an attestation are looked at too.
 *
 * Evidence (for the SLSA Build tables):
 * - `verifiedProvenance` {release?, artifact, digest, buildLevel, builder, trusted, distributedVia,
 *   predicateType?, sourceRepo?, sourceRef?, entryPoint?, buildType?, runnerEnvironment?,
 *   externalInputs?} for each verified attestation — the last four as the attestations fact carries
 *   them (present only when the signed document records them; see AttestationCheck);
 * - `provenanceFound` {release?, artifact, distributedVia} for attestations located but not verifiable;
 * - `releaseProvenanceAsset` {release, asset} for `.intoto.jsonl` assets (by name, unverified);
 * - `releaseSignature` {release, asset} for signature assets (by name, unverified).
 * - `provenanceConsistency` {releases, consistent, compared, builder? | builders?, buildType? |
 *   buildTypes?, entryPoint? | entryPoints?} when two or more of these releases have verified
 *   provenance naming its builder: the same build process each time — builder.id without its `@ref`
 *   (the release tag or the generator's version), plus build type and entry point when every
 *   attestation compared records them; `compared` lists what was (e.g. `builder,buildType,entryPoint`).
 * Findings `provenanceInvalid`, `provenanceIdentityMismatch`, `unsignedRelease`, and `provenanceMissing`
 * when attestations were looked for and none of the recent releases has provenance.
 */
import { defineCheck, inconclusive, type Evidence, type Finding, type UnknownNote } from '../src/check.js';
import type { AttestationCheck, Release } from '../src/facts/platform.js';

const LOOK_BACK = 5;
const SIGNATURE_EXTENSIONS = ['.asc', '.minisig', '.sig', '.sign', '.sigstore', '.sigstore.json'];
const PROVENANCE_EXTENSIONS = ['.intoto.jsonl'];

const DISTRIBUTED_VIA: Record<string, string> = {
  'github-attestations-api': 'github-attestations',
  'release-asset': 'release-asset',
  'npm-registry': 'npm',
  'gitlab-attestations-api': 'gitlab',
};

const hasSuffix = (name: string, exts: string[]) => exts.some((e) => name.toLowerCase().endsWith(e));

interface ReleaseResult {
  release: Release;
  score: number;
  findings: Finding[];
  evidence: Evidence[];
}

function attestationsFor(r: Release, atts: AttestationCheck[]): AttestationCheck[] {
  const names = new Set(r.assets.map((a) => a.name));
  const digests = new Set(r.assets.flatMap((a) => (a.digest ? [a.digest] : [])));
  return atts.filter((a) => a.release === r.tag || (a.release === undefined && (names.has(a.artifact) || digests.has(a.digest))));
}

function verifiedEvidence(a: AttestationCheck): Evidence {
  return {
    kind: 'verifiedProvenance',
    message: `${a.predicateType ? 'provenance' : 'attestation'} for ${a.artifact}${a.release ? ` (release ${a.release})` : ''} verifies${a.builder ? `, built by ${a.builder.id}` : ''}${a.entryPoint ? ` from ${a.entryPoint}` : ''} (Build L${a.buildLevel})`,
    values: {
      ...(a.release ? { release: a.release } : {}),
      artifact: a.artifact,
      digest: a.digest,
      buildLevel: a.buildLevel,
      ...(a.builder ? { builder: a.builder.id, trusted: a.builder.trusted } : { trusted: false }),
      distributedVia: DISTRIBUTED_VIA[a.source] ?? a.source,
      ...(a.predicateType ? { predicateType: a.predicateType } : {}),
      ...(a.sourceRepo ? { sourceRepo: a.sourceRepo } : {}),
      ...(a.sourceRef ? { sourceRef: a.sourceRef } : {}),
      ...(a.entryPoint !== undefined ? { entryPoint: a.entryPoint } : {}),
      ...(a.buildType !== undefined ? { buildType: a.buildType } : {}),
      ...(a.runnerEnvironment !== undefined ? { runnerEnvironment: a.runnerEnvironment } : {}),
      ...(a.externalInputs !== undefined ? { externalInputs: a.externalInputs } : {}),
    },
  };
}

function invalidFinding(a: AttestationCheck): Finding {
  const what =
    a.state === 'signature-invalid' ? 'its signature does not verify' : 'it does not describe this artifact (subject digest mismatch)';
  return {
    rule: 'provenanceInvalid',
    severity: 'critical',
    message: `the attestation for ${a.artifact}${a.release ? ` in release ${a.release}` : ''} (${a.source}) is invalid: ${what}${a.errors.length ? ` — ${a.errors.join('; ')}` : ''}`,
    remediation: {
      text:
        'Find out how an unverifiable attestation got into the release: if the artifact or the attestation was replaced after the build, treat ' +
        'the release as compromised, withdraw it and tell your users; otherwise rebuild and re-attest it from CI (actions/attest-build-provenance, slsa-github-generator).',
    },
  };
}

function identityFinding(a: AttestationCheck): Finding {
  return {
    rule: 'provenanceIdentityMismatch',
    severity: 'high',
    message:
      `the attestation for ${a.artifact}${a.release ? ` in release ${a.release}` : ''} has a valid signature, but by an identity that is not this repository's build` +
      `${a.builder ? ` (builder ${a.builder.id}${a.builder.reason ? `: ${a.builder.reason}` : ''})` : ''}${a.sourceRepo ? `, source ${a.sourceRepo}` : ''}`,
    remediation: {
      text: "Attest releases from this repository's own release workflow, so the signing identity names this repository and its workflow.",
    },
  };
}

function assessRelease(r: Release, atts: AttestationCheck[] | undefined): ReleaseResult {
  const findings: Finding[] = [];
  const evidence: Evidence[] = [];
  const mine = atts ? attestationsFor(r, atts) : [];
  const verified = mine.filter((a) => a.state === 'verified');
  const invalid = mine.filter((a) => a.state === 'signature-invalid' || a.state === 'subject-mismatch');
  const mismatched = mine.filter((a) => a.state === 'identity-mismatch');
  for (const a of verified) evidence.push(verifiedEvidence(a));
  for (const a of invalid) findings.push(invalidFinding(a));
  for (const a of mismatched) findings.push(identityFinding(a));
  for (const a of mine.filter((x) => x.state === 'unverifiable')) {
    evidence.push({
      kind: 'provenanceFound',
      message: `an attestation for ${a.artifact} (release ${r.tag}) was found but could not be verified${a.errors.length ? `: ${a.errors.join('; ')}` : ''}`,
      values: { release: r.tag, artifact: a.artifact, distributedVia: DISTRIBUTED_VIA[a.source] ?? a.source },
    });
  }
  // By name, as Scorecard.
  const provenanceAssets = r.assets.filter((a) => hasSuffix(a.name, PROVENANCE_EXTENSIONS));
  const signatureAssets = r.assets.filter((a) => hasSuffix(a.name, SIGNATURE_EXTENSIONS));
  for (const a of provenanceAssets)
    evidence.push({
      kind: 'releaseProvenanceAsset',
      message: `release ${r.tag} has provenance asset ${a.name} (not verified by name alone)`,
      values: { release: r.tag, asset: a.name },
    });
  for (const a of signatureAssets)
    evidence.push({
      kind: 'releaseSignature',
      message: `release ${r.tag} has signature asset ${a.name}`,
      values: { release: r.tag, asset: a.name },
    });

  let score: number;
  if (verified.length > 0) score = 10;
  else if (invalid.length > 0) score = 0;
  else if (mismatched.length > 0) score = 8;
  else if (provenanceAssets.length > 0) score = 10;
  else if (signatureAssets.length > 0) score = 8;
  else score = 0;

  if (score === 0 && invalid.length === 0) {
    findings.push({
      rule: 'unsignedRelease',
      severity: 'high',
      message: `release ${r.tag} has neither a signature nor provenance`,
      remediation: {
        text:
          'Generate signed provenance in the release workflow — GitHub: actions/attest-build-provenance (with `id-token: write` and `attestations: write`) ' +
          'or slsa-framework/slsa-github-generator (Build L3); GitLab: keyless signing with cosign and id_tokens — or at least sign the assets (cosign sign-blob, minisign, gpg).',
      },
    });
  }
  return { release: r, score, findings, evidence };
}

/** builder.id without its `@ref`: the ref is the release's own tag (GitHub attestations) or the generator's version, not another builder. */
function builderKey(id: string): string {
  // Only an `@` in the path (`…/x.yml@refs/tags/v1`), never userinfo (`https://user@host/…`).
  return /^([a-z][\w+.-]*:\/\/[^/]+\/[^@]*)@[^@]*$/i.exec(id)?.[1] ?? id;
}

/** What "the same build process" compares: value key, plural key, words for messages. */
const ASPECTS = [
  ['builder', 'builders', 'builder'],
  ['buildType', 'buildTypes', 'build type'],
  ['entryPoint', 'entryPoints', 'entry point'],
] as const;
type Process = Partial<Record<(typeof ASPECTS)[number][0], string>>;

const listed = (words: readonly string[]): string =>
  words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;

const describe = (p: Process): string =>
  `${p.builder}${p.entryPoint ? ` from ${p.entryPoint}` : ''}${p.buildType ? `, build type ${p.buildType}` : ''}`;

/**
 * `provenanceConsistency` over the recent releases whose provenance verified and names its builder:
 * consistent when each was built the same way. The builder (without `@ref`) is always compared; build
 * type and entry point only when every one of these attestations records them, so that a source which
 * leaves them out (a registry, an older generator) does not read as a change of process.
 */
function consistencyEvidence(results: readonly ReleaseResult[], atts: readonly AttestationCheck[]): Evidence | undefined {
  const verified = results.map((r) => ({
    tag: r.release.tag,
    atts: attestationsFor(r.release, [...atts]).filter((a) => a.state === 'verified' && a.builder),
  }));
  const all = verified.flatMap((v) => v.atts);
  const compared = ASPECTS.filter(([k]) => k === 'builder' || all.every((a) => a[k] !== undefined));
  const processOf = (a: AttestationCheck): Process =>
    Object.fromEntries(compared.map(([k]) => [k, k === 'builder' ? builderKey(a.builder!.id) : a[k]]));
  const per = verified
    .map((v) => {
      const byKey = new Map(v.atts.map((a) => [JSON.stringify(processOf(a)), processOf(a)]));
      const keys = [...byKey.keys()].sort();
      return { tag: v.tag, key: keys.join('\n'), processes: keys.map((k) => byKey.get(k)!) };
    })
    .filter((p) => p.processes.length > 0);
  if (per.length < 2) return undefined;
  const consistent = per.every((p) => p.key === per[0].key);
  const distinct = compared.map(([k, plural, word]) => ({
    k,
    plural,
    word,
    values: [...new Set(per.flatMap((p) => p.processes.map((x) => x[k]!)))],
  }));
  const words = listed(compared.map(([, , w]) => w));
  return {
    kind: 'provenanceConsistency',
    message: consistent
      ? `the last ${per.length} releases with verified provenance were all built by ${per[0].processes.map(describe).join(' + ')} (compared: ${words})`
      : `the ${listed(distinct.filter((d) => d.values.length > 1).map((d) => d.word))} changed across the last ${per.length} releases with verified provenance: ` +
        `${per.map((p) => `${p.tag}: ${p.processes.map(describe).join(' + ')}`).join('; ')} (compared: ${words})`,
    values: {
      releases: per.length,
      consistent,
      compared: compared.map(([k]) => k).join(','),
      // One value: the process itself; several: every value seen (the change, when inconsistent).
      ...Object.fromEntries(distinct.map((d) => (d.values.length === 1 ? [d.k, d.values[0]] : [d.plural, d.values.join(' | ')]))),
    },
  };
}

export default defineCheck({
  id: 'Signed-Releases',
  risk: 'high',
  description:
    'Determines whether the last 5 releases are signed or carry provenance: a verified attestation or provenance file 10, a signature 8, nothing 0 ' +
    '(averaged). Attestations are verified (signature, subject digest, signer identity); one that does not verify is a critical finding.',
  facts: ['releases', 'attestations'],
  slsa: [],
  remediation: [
    'Attest release artifacts with SLSA provenance from CI: actions/attest-build-provenance, or slsa-framework/slsa-github-generator for Build L3.',
    'Sign release assets (Sigstore/cosign keyless, minisign, or GPG) and publish the signatures with the release.',
  ],
  differsFromScorecard:
    'Verified attestations count (GitHub artifact attestations, Sigstore bundles, registry provenance), so attested releases score 10 even without an ' +
    '.intoto.jsonl asset; an attestation whose signature or subject does not verify makes the release 0 and is a critical finding instead of ' +
    'passing by file name; a valid signature by a foreign identity counts as a signature (8), not provenance. Releases that carry no asset but ' +
    'have an attestation are counted. Draft releases are skipped.',
  run(facts) {
    const { releases, attestations } = facts;
    if (!releases.known) return inconclusive('releases could not be read', ['releases', releases]);
    const atts = attestations.known ? attestations.value : undefined;
    const recent = releases.value
      .filter((r) => !r.draft && (r.assets.length > 0 || (atts !== undefined && attestationsFor(r, atts).length > 0)))
      .slice(0, LOOK_BACK);
    const unknowns: UnknownNote[] = [];
    if (!attestations.known) {
      unknowns.push({
        fact: 'attestations',
        reason: `attestations were not verified (${attestations.reason}); release signatures and provenance files are judged by name only`,
        ...(attestations.needs ? { needs: attestations.needs } : {}),
      });
    }
    if (recent.length === 0) return { score: null, reason: 'no releases found', unknowns };

    const results = recent.map((r) => assessRelease(r, atts));
    const total = results.reduce((s, r) => s + r.score, 0);
    const score = Math.floor(total / results.length);
    const findings = results.flatMap((r) => r.findings);
    const evidence = results.flatMap((r) => r.evidence);
    // Verified attestations not tied to one of these releases still evidence provenance (e.g. a registry package).
    const counted = new Set(results.flatMap((r) => (atts ? attestationsFor(r.release, atts) : [])));
    for (const a of atts ?? []) {
      if (counted.has(a)) continue;
      if (a.state === 'verified') evidence.push(verifiedEvidence(a));
      else if (a.state === 'signature-invalid' || a.state === 'subject-mismatch') findings.push(invalidFinding(a));
    }
    const consistency = atts ? consistencyEvidence(results, atts) : undefined;
    if (consistency) evidence.push(consistency);
    const withProvenance = results.filter((r) => r.score === 10).length;
    const provenanceSeen = evidence.some((e) => ['verifiedProvenance', 'provenanceFound', 'releaseProvenanceAsset'].includes(e.kind));
    if (atts !== undefined && withProvenance === 0 && !provenanceSeen && !findings.some((f) => f.rule === 'provenanceInvalid')) {
      findings.push({
        rule: 'provenanceMissing',
        severity: 'medium',
        message: `none of the last ${results.length} release(s) has provenance that could be verified`,
        remediation: {
          text: 'Generate and publish SLSA provenance for release artifacts (actions/attest-build-provenance or slsa-github-generator).',
        },
      });
    }
    const signed = results.filter((r) => r.score > 0).length;
    return {
      score,
      reason: `${signed} out of the last ${results.length} releases are signed or have provenance (${withProvenance} with provenance)`,
      findings,
      evidence,
      unknowns,
    };
  },
});
