/**
 * Release provenance → AttestationCheck, through the verification library (src/verify), which
 * parses, verifies offline and binds the signer to the repository. Two inputs:
 *   - bundles from GitHub's attestations API, one per subject digest (a release asset's `digest`);
 *   - provenance assets (`*.intoto.jsonl`, `*.sigstore.json`, `*.sigstore`) attached to a release,
 *     whose subjects are matched against the release's other assets.
 * The library is loaded on first use (it brings the sigstore packages); tests may inject a verifier.
 */
import type { AttestationCheck } from '../../facts/platform.js';
import { buildFields, type BuildFields } from '../provenance.js';

export interface VerifyInput {
  /** The document: a bundle's JSON text, or a provenance asset's bytes. */
  document: string | Uint8Array;
  /** `host/owner/repo` the provenance must come from. */
  repo: string;
  /** Hex SHA-256 of the artifact, when one specific artifact is expected. */
  sha256?: string;
}

/** One attestation of a verified document (with entryPoint, buildType, runnerEnvironment, externalInputs when recorded). */
export interface VerifiedAttestation extends BuildFields {
  state: AttestationCheck['state'];
  buildLevel: AttestationCheck['buildLevel'];
  predicateType?: string;
  builder?: AttestationCheck['builder'];
  sourceRepo?: string;
  sourceRef?: string;
  /** Hex SHA-256 digests of the attestation's subjects. */
  subjects: string[];
  errors: string[];
}

/** Verifies one document (offline); one entry per SLSA provenance attestation in it. */
export type AttestationVerifier = (input: VerifyInput) => Promise<VerifiedAttestation[]>;

/** The verification library, adapted. */
export async function defaultVerifier(): Promise<AttestationVerifier> {
  const lib = await import('../../verify/index.js');
  return async (input) => {
    const doc = lib.verifyDocument(input.document, {
      expected: { repo: input.repo, ...(input.sha256 ? { digest: { sha256: input.sha256 } } : {}) },
    });
    const out: VerifiedAttestation[] = [];
    for (const a of doc.attestations) {
      if (!a.provenance && doc.attestations.length > 1) continue; // other predicates beside provenance
      const e = a.evaluation;
      out.push({
        state: e.state,
        buildLevel: e.buildLevel,
        ...(e.predicateType ? { predicateType: e.predicateType } : a.predicateType ? { predicateType: a.predicateType } : {}),
        ...(e.builder?.id
          ? { builder: { id: e.builder.id, trusted: e.builder.trusted, ...(e.builder.reason ? { reason: e.builder.reason } : {}) } }
          : {}),
        ...(e.source.repo ? { sourceRepo: e.source.repo } : {}),
        ...(e.source.ref ? { sourceRef: e.source.ref } : {}),
        ...buildFields(a),
        subjects: a.subjects.map((s) => s.digest?.sha256).filter((d): d is string => typeof d === 'string'),
        errors: [
          ...new Set([
            ...a.errors,
            ...e.errors,
            ...(e.state === 'verified' || a.signature.state === 'verified' ? [] : [a.signature.reason]),
          ]),
        ],
      });
    }
    if (out.length === 0) {
      out.push({
        state: 'unverifiable',
        buildLevel: 0,
        subjects: [],
        errors: doc.errors.length ? doc.errors : ['no attestation found in the document'],
      });
    }
    return out;
  };
}

/** The build fields of a verifier's answer, for its AttestationCheck (an injected verifier may return more). */
export function buildOf(v: VerifiedAttestation): BuildFields {
  return {
    ...(v.entryPoint !== undefined ? { entryPoint: v.entryPoint } : {}),
    ...(v.buildType !== undefined ? { buildType: v.buildType } : {}),
    ...(v.runnerEnvironment !== undefined ? { runnerEnvironment: v.runnerEnvironment } : {}),
    ...(v.externalInputs !== undefined ? { externalInputs: v.externalInputs } : {}),
  };
}

export const PROVENANCE_ASSET = /\.(?:intoto\.jsonl|sigstore\.json|sigstore|intoto\.sigstore)$/i;
/** Signature and provenance files are not artifacts whose provenance is sought. */
export const SIGNATURE_ASSET = /\.(?:asc|minisig|sig|sign|sigstore|sigstore\.json|intoto\.jsonl|intoto\.sigstore|pem|crt|cert|bundle)$/i;

export function hexOf(digest: string | undefined | null): string | undefined {
  const m = /^sha256:([0-9a-f]{64})$/i.exec(digest ?? '');
  return m ? m[1].toLowerCase() : undefined;
}
