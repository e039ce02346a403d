/**
 * Provenance verification, offline: parse in-toto / SLSA provenance from any container it ships in,
 * verify its Sigstore signature against the shipped public-good trusted root, bind the signer to the
 * expected repository and artifact, and map the builder to the SLSA Build level it can vouch for.
 *
 * ```ts
 * const r = verifyDocument(bytesOfIntotoJsonl, { expected: { repo: 'github.com/o/r', digest: { sha256 } } });
 * r.best?.buildLevel; // 0–3, r.best?.state: verified | signature-invalid | unverifiable | identity-mismatch | subject-mismatch
 * ```
 *
 * Pieces, one job each: `intoto.ts` (Statements + provenance), `envelope.ts` (containers),
 * `certificate.ts` (Fulcio identity), `trust.ts` (trusted root), `sigstore.ts` (signature),
 * `rekor.ts` (caller-supplied log entries), `builders.ts` (roots of trust), `policy.ts` (judgement).
 * No function here does I/O or throws.
 */
import type { BuildLevel, RootOfTrust } from './builders.js';
import { parseAttestations, type Attestation, type ParsedDocument, type Provenance, type Subject } from './intoto.js';
import type { Limits } from './limits.js';
import { evaluateProvenance, type ExpectedArtifact, type ProvenanceEvaluation } from './policy.js';
import { verifyAttestation, type SignatureVerification, type VerifyOptions } from './sigstore.js';
import type { DocumentFormat } from './envelope.js';

export {
  INTOTO_PAYLOAD_TYPE,
  SLSA_PROVENANCE_V02,
  SLSA_PROVENANCE_V1,
  STATEMENT_V01,
  STATEMENT_V1,
  countInputs,
  decodeAttestation,
  isSlsaProvenance,
  normalizeProvenance,
  normalizeRepo,
  parseAttestations,
  parseSourceUri,
  parseStatement,
  sameRepo,
} from './intoto.js';
export type { Attestation, Digests, ParsedDocument, ParseOptions, Provenance, ResourceRef, Statement, Subject } from './intoto.js';
export { bundleVersionOf, extractAttestations, readBundle, readEnvelope } from './envelope.js';
export type { BundleVersion, DocumentFormat, DsseEnvelope, DsseSignature, ExtractedDocument, RawAttestation } from './envelope.js';
export { certificateIdentity, GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER, OID } from './certificate.js';
export type { CertificateIdentity } from './certificate.js';
export { createTrustMaterial, publicGoodTrustMaterial, SHIPPED_TRUST } from './trust.js';
export type { TrustedKey, TrustMaterial } from './trust.js';
export { verifyAttestation } from './sigstore.js';
export type { CheckState, SignatureChecks, SignatureState, SignatureVerification, VerifyOptions } from './sigstore.js';
export { rekorEntryToTlogEntry, rekorResponseToTlogEntries } from './rekor.js';
export {
  classifyBuilder,
  DEFAULT_ROOTS,
  GENERATOR_REPO,
  GITHUB_ATTEST_BUILD_TYPE,
  GITHUB_HOSTED_BUILDER,
  NPM_BUILD_TYPE,
  refKind,
} from './builders.js';
export type { BuilderVerdict, BuildLevel, RootOfTrust } from './builders.js';
export { certificateRepo, evaluateProvenance } from './policy.js';
export type { EvaluateInput, ExpectedArtifact, ProvenanceEvaluation, ProvenanceState } from './policy.js';
export { DEFAULT_LIMITS } from './limits.js';
export type { Limits } from './limits.js';

export interface VerifyDocumentOptions extends VerifyOptions {
  expected: ExpectedArtifact;
  roots?: readonly RootOfTrust[];
  limits?: Partial<Limits>;
}

export interface AttestationResult {
  /** `line 2`, `attestations[1]`, `document`. */
  location: string;
  container: Attestation['container'];
  predicateType: string | null;
  subjects: Subject[];
  provenance: Provenance | null;
  signature: SignatureVerification;
  evaluation: ProvenanceEvaluation;
  /** Parse problems of this attestation. */
  errors: string[];
}

export interface DocumentVerification {
  format: DocumentFormat;
  attestations: AttestationResult[];
  /**
   * The strongest result among the SLSA provenance attestations: verified before anything else,
   * then the highest Build level; null when the document holds no SLSA provenance.
   */
  best: ProvenanceEvaluation | null;
  /** The Build level the document proves (that of `best`, 0 without it). */
  buildLevel: BuildLevel;
  /** Problems with the document as a whole. */
  errors: string[];
}

const STATE_RANK: Record<ProvenanceEvaluation['state'], number> = {
  verified: 4,
  unverifiable: 3,
  'identity-mismatch': 2,
  'subject-mismatch': 1,
  'signature-invalid': 0,
};

/** Parse, verify and evaluate every attestation in a document. Offline; never throws. */
export function verifyDocument(input: string | Uint8Array, options: VerifyDocumentOptions): DocumentVerification {
  let parsed: ParsedDocument;
  try {
    parsed = parseAttestations(input, { limits: options.limits });
  } catch (e) {
    parsed = { format: 'unknown', attestations: [], errors: [String(e)] };
  }
  const attestations: AttestationResult[] = parsed.attestations.map((att) => {
    const signature = verifyAttestation(att, options);
    const evaluation = evaluateProvenance({ statement: att.statement, signature, expected: options.expected, roots: options.roots });
    return {
      location: att.location,
      container: att.container,
      predicateType: att.statement?.predicateType ?? null,
      subjects: att.statement?.subjects ?? [],
      provenance: att.provenance,
      signature,
      evaluation,
      errors: att.errors,
    };
  });
  let best: ProvenanceEvaluation | null = null;
  for (const a of attestations) {
    if (!a.provenance) continue;
    const e = a.evaluation;
    if (!best || STATE_RANK[e.state] > STATE_RANK[best.state] || (e.state === best.state && e.buildLevel > best.buildLevel)) best = e;
  }
  return { format: parsed.format, attestations, best, buildLevel: best?.buildLevel ?? 0, errors: parsed.errors };
}
