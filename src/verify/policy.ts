/**
 * Provenance policy: bind a verified signature and its Statement to the repository and artifact we
 * expect, and map the builder to the SLSA Build level it can vouch for.
 *
 * Order of judgement (the first that applies sets `state`):
 * 1. `signature-invalid` — the signature, certificate or log entry does not verify: Build L0. A
 *    signature that does not verify is a failure, never a pass.
 * 2. `subject-mismatch` — an expected digest is given and no subject carries it: L0.
 * 3. `unverifiable` + L0 — the Statement is not SLSA provenance (npm's publish attestation, an
 *    SBOM…): there is no Build level to evaluate.
 * 4. `identity-mismatch` — the certificate's source repository or the provenance's source is not
 *    the expected repository (or neither names one): L0.
 * 5. `unverifiable` — intact as far as it can be checked, but the material to finish verification is
 *    missing (see the signature's reason): L1 at most ("provenance exists"; SLSA Build L1 does not
 *    require authenticity), whatever the builder could vouch for (`builder.maxLevel`).
 * 6. `verified` — the builder's level from the roots of trust (untrusted builders: L1).
 */
import { classifyBuilder, DEFAULT_ROOTS, refKind, type BuilderVerdict, type BuildLevel, type RootOfTrust } from './builders.js';
import { GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER, type CertificateIdentity } from './certificate.js';
import { isHex, type JsonObject } from './encoding.js';
import {
  countInputs,
  normalizeProvenance,
  normalizeRepo,
  sameRepo,
  type Digests,
  type Provenance,
  type Statement,
  type Subject,
} from './intoto.js';
import type { SignatureVerification } from './sigstore.js';

export type ProvenanceState = 'verified' | 'signature-invalid' | 'unverifiable' | 'identity-mismatch' | 'subject-mismatch';

export interface ExpectedArtifact {
  /** `github.com/owner/repo`, `owner/repo` (GitHub), `gitlab.com/group/project` or an https URL. */
  repo: string;
  /** The artifact's digest(s), hex; when given, one subject must carry a matching one. */
  digest?: { sha256?: string; sha512?: string } & Record<string, string | undefined>;
}

export interface ProvenanceEvaluation {
  /** The signature verifies, the subject and repository match: `state === 'verified'`. */
  verified: boolean;
  state: ProvenanceState;
  buildLevel: BuildLevel;
  builder: Pick<BuilderVerdict, 'id' | 'trusted' | 'reason' | 'maxLevel' | 'root'>;
  source: {
    /** `host/owner/repo`: from the certificate when it says, else from the provenance. */
    repo: string | null;
    ref: string | null;
    refKind: 'tag' | 'branch' | 'other' | null;
    digest: Digests | null;
    workflowPath: string | null;
    trigger: string | null;
    inputs: JsonObject | null;
  };
  /** How the build ran, from the signed provenance and the signing certificate; null where neither records it. */
  build: {
    /** The provenance's `buildType`. */
    type: string | null;
    /** `self-hosted` when the certificate (`.1.11`) or the provenance says so, else the certificate's, else the provenance's. */
    runnerEnvironment: string | null;
    /**
     * User-supplied inputs with a value (`countInputs` over `source.inputs`: workflow_dispatch inputs).
     * 0 also for a GitHub Actions run the certificate (else the provenance) says a `push` or `create`
     * event started: those events carry no inputs. null otherwise — actions/attest and npm provenance
     * never record inputs, so their workflow_dispatch and release runs stay unknown. Repository
     * variables (`vars`), a release's body and GitLab CI variables are not counted.
     */
    externalInputs: number | null;
  };
  /** The subject that matched the expected digest. */
  subject: Subject | null;
  signer: {
    issuer: string | null;
    subjectAlternativeName: string | null;
    buildSignerUri: string | null;
    buildConfigUri: string | null;
    runnerEnvironment: string | null;
    sourceRepositoryUri: string | null;
    sourceRepositoryRef: string | null;
    buildTrigger: string | null;
  } | null;
  signedAt: string | null;
  predicateType: string | null;
  errors: string[];
  warnings: string[];
}

export interface EvaluateInput {
  statement: Statement | null;
  signature: SignatureVerification;
  expected: ExpectedArtifact;
  /** Defaults to `DEFAULT_ROOTS`. */
  roots?: readonly RootOfTrust[];
}

function hostForIssuer(issuer: string | null): string | null {
  if (issuer === GITHUB_ACTIONS_ISSUER) return 'github.com';
  if (issuer === GITLAB_ISSUER) return 'gitlab.com';
  return null;
}

/** The source repository the certificate vouches for (`host/owner/repo`). */
export function certificateRepo(identity: CertificateIdentity | null): string | null {
  if (!identity) return null;
  const uri = normalizeRepo(identity.sourceRepositoryUri);
  if (uri) return uri;
  const host = hostForIssuer(identity.issuer);
  return host && identity.github.workflowRepository ? normalizeRepo(`${host}/${identity.github.workflowRepository}`) : null;
}

function matchSubject(subjects: Subject[], digest: Record<string, string | undefined>): { subject: Subject | null; error: string | null } {
  const want = Object.entries(digest)
    .filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].length > 0)
    .map(([alg, v]) => [alg.toLowerCase(), isHex(v) ? v.toLowerCase() : v] as const);
  if (want.length === 0) return { subject: null, error: null };
  if (subjects.length === 0) return { subject: null, error: 'the Statement has no subjects' };
  let comparable = false;
  for (const s of subjects) {
    const have = new Map(Object.entries(s.digest).map(([alg, v]) => [alg.toLowerCase(), v]));
    for (const [alg, v] of want) {
      if (!have.has(alg)) continue;
      comparable = true;
      if (have.get(alg) === v) return { subject: s, error: null };
    }
  }
  const algs = want.map(([a]) => a).join('/');
  return {
    subject: null,
    error: comparable
      ? `no subject has the artifact's ${algs} digest (${subjects.length} subject${subjects.length === 1 ? '' : 's'} checked)`
      : `no subject has a ${algs} digest to compare with`,
  };
}

function signerSummary(identity: CertificateIdentity | null): ProvenanceEvaluation['signer'] {
  if (!identity) return null;
  return {
    issuer: identity.issuer,
    subjectAlternativeName: identity.subjectAlternativeName,
    buildSignerUri: identity.buildSignerUri,
    buildConfigUri: identity.buildConfigUri,
    runnerEnvironment: identity.runnerEnvironment,
    sourceRepositoryUri: identity.sourceRepositoryUri,
    sourceRepositoryRef: identity.sourceRepositoryRef ?? identity.github.workflowRef,
    buildTrigger: identity.buildTrigger ?? identity.github.workflowTrigger,
  };
}

/** GitHub events that carry no user inputs (workflow_dispatch has `inputs`, repository_dispatch a `client_payload`, release a body). */
const NO_INPUT_EVENTS = new Set(['push', 'create']);

function buildSummary(identity: CertificateIdentity | null, provenance: Provenance | null): ProvenanceEvaluation['build'] {
  const envs = [identity?.runnerEnvironment, provenance?.runnerEnvironment];
  // Either one saying self-hosted decides, as in classifyBuilder: never report a hosted runner it contradicts.
  const runnerEnvironment = envs.includes('self-hosted') ? 'self-hosted' : (envs.find((e) => e) ?? null);
  let externalInputs = countInputs(provenance?.inputs ?? null);
  if (externalInputs === null && provenance && identity?.issuer === GITHUB_ACTIONS_ISSUER) {
    const trigger = identity.buildTrigger ?? identity.github.workflowTrigger ?? provenance.trigger;
    if (trigger && NO_INPUT_EVENTS.has(trigger)) externalInputs = 0;
  }
  return { type: provenance?.buildType ?? null, runnerEnvironment, externalInputs };
}

/** Judge one attestation: signature state + Statement + what we expect → state and Build level. */
export function evaluateProvenance(input: EvaluateInput): ProvenanceEvaluation {
  const errors: string[] = [];
  const warnings: string[] = [];
  const { statement = null, signature, expected } = (input ?? {}) as Partial<EvaluateInput>;
  const identity = signature?.identity ?? null;
  // normalizeProvenance never throws.
  const provenance: Provenance | null = statement ? normalizeProvenance(statement) : null;
  const certRepo = certificateRepo(identity);
  const certRef = identity ? (identity.sourceRepositoryRef ?? identity.github.workflowRef) : null;
  const ref = certRef ?? provenance?.sourceRef ?? null;
  const certDigest = identity?.sourceRepositoryDigest ?? identity?.github.workflowSha ?? null;
  const evaluation: ProvenanceEvaluation = {
    verified: false,
    state: 'unverifiable',
    buildLevel: 0,
    builder: { id: provenance?.builderId ?? null, trusted: false, reason: 'not evaluated', maxLevel: 0, root: 'untrusted' },
    source: {
      repo: certRepo ?? provenance?.sourceRepo ?? null,
      ref,
      refKind: refKind(ref),
      digest: provenance?.sourceDigest ?? (certDigest ? { sha1: certDigest } : null),
      workflowPath: provenance?.workflowPath ?? null,
      trigger: identity?.buildTrigger ?? identity?.github.workflowTrigger ?? provenance?.trigger ?? null,
      inputs: provenance?.inputs ?? null,
    },
    build: buildSummary(identity, provenance),
    subject: null,
    signer: signerSummary(identity),
    signedAt: signature?.signedAt ?? null,
    predicateType: statement?.predicateType ?? null,
    errors,
    warnings,
  };
  const done = (state: ProvenanceState, buildLevel: BuildLevel): ProvenanceEvaluation => {
    evaluation.state = state;
    evaluation.buildLevel = buildLevel;
    evaluation.verified = state === 'verified';
    return evaluation;
  };
  try {
    if (!signature || !expected) {
      errors.push('evaluateProvenance needs a signature result and an expected repository');
      return done('unverifiable', 0);
    }
    // 1. The signature.
    if (signature.state === 'signature-invalid') {
      errors.push(signature.reason);
      return done('signature-invalid', 0);
    }
    if (!statement) {
      errors.push(signature.state === 'unverifiable' ? signature.reason : 'no in-toto Statement to evaluate');
      return done('unverifiable', 0);
    }
    // 2. The subject.
    if (expected.digest) {
      const m = matchSubject(statement.subjects, expected.digest);
      if (m.error) {
        errors.push(m.error);
        return done('subject-mismatch', 0);
      }
      evaluation.subject = m.subject;
    } else warnings.push('no artifact digest given: the subject was not checked against the artifact');
    // 3. SLSA provenance at all? (npm's publish attestation, SBOMs, VSAs… have no Build level.)
    if (!provenance) {
      errors.push(`the Statement is not SLSA provenance (predicateType ${statement.predicateType}): no Build level to evaluate`);
      if (signature.state === 'unverifiable') errors.push(signature.reason);
      return done('unverifiable', 0);
    }
    // 4. The repository.
    const want = normalizeRepo(expected.repo, 'github.com');
    if (!want) {
      errors.push(`expected repository ${JSON.stringify(expected.repo)} is not a repository path`);
      return done('identity-mismatch', 0);
    }
    if (certRepo && !sameRepo(certRepo, want)) errors.push(`the signing certificate was issued to a build of ${certRepo}, not ${want}`);
    if (provenance?.sourceRepo && !sameRepo(provenance.sourceRepo, want))
      errors.push(`the provenance names ${provenance.sourceRepo} as its source, not ${want}`);
    if (!certRepo && !provenance?.sourceRepo) errors.push('neither the certificate nor the provenance names a source repository');
    if (errors.length) return done('identity-mismatch', 0);
    if (certRef && provenance?.sourceRef && certRef !== provenance.sourceRef) {
      warnings.push(`the provenance's ref ${provenance.sourceRef} differs from the certificate's ${certRef}`);
    }
    if (!certRepo) warnings.push('the source repository comes from the provenance only; the signer identity does not name it');
    // 5. The builder.
    const builder = classifyBuilder(identity, provenance, input.roots ?? DEFAULT_ROOTS);
    evaluation.builder = {
      id: builder.id,
      trusted: builder.trusted,
      reason: builder.reason,
      maxLevel: builder.maxLevel,
      root: builder.root,
    };
    // Only a signature that verified can give more than "provenance exists".
    if (signature.state !== 'verified') {
      errors.push(typeof signature.reason === 'string' ? signature.reason : 'the signature was not verified');
      return done('unverifiable', Math.min(1, builder.maxLevel) as BuildLevel);
    }
    return done('verified', builder.maxLevel);
  } catch (e) {
    errors.push(`evaluation failed: ${e instanceof Error ? e.message : String(e)}`);
    return done('unverifiable', 0);
  }
}
