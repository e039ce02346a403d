/**
 * Offline signature verification of one attestation with sigstore-js (`@sigstore/verify`): the
 * DSSE signature, the Fulcio certificate chain and its SCT, the Rekor transparency-log entry
 * (inclusion promise / proof and body) and the signing time. The signing certificates are short-lived
 * (10 minutes) and long expired; as in sigstore-js, the chain is checked at the time proven by the
 * log's integrated time (or an RFC 3161 timestamp), never at "now".
 *
 * Outcome:
 * - `verified`: everything checks out against the trusted root.
 * - `signature-invalid`: something that is present does not verify (tampered payload or signature,
 *   forged or wrong certificate chain, log entry for other content, bad inclusion proof / promise).
 * - `unverifiable`: material needed is not there (no log entry or timestamp, a CA or log the shipped
 *   root does not know, a key we do not hold, a bundle only referenced by URL). The reason says
 *   exactly what is missing; what could be checked is in `checks`.
 *
 * Never touches the network and never throws.
 */
import { BUNDLE_V01_MEDIA_TYPE, BUNDLE_V03_MEDIA_TYPE, bundleFromJSON, type Bundle, type TransparencyLogEntry } from '@sigstore/bundle';
import { crypto, dsse, X509Certificate } from '@sigstore/core';
import { toSignedEntity, Verifier, type SignedEntity, type TrustMaterial } from '@sigstore/verify';
import { certificateIdentity, type CertificateIdentity } from './certificate.js';
import { arr, isObject, obj, str, type JsonObject } from './encoding.js';
import type { DsseEnvelope, RawAttestation } from './envelope.js';
import { rekorResponseToTlogEntries } from './rekor.js';
import { publicGoodTrustMaterial } from './trust.js';

export type SignatureState = 'verified' | 'signature-invalid' | 'unverifiable';
export type CheckState = 'passed' | 'failed' | 'missing' | 'not-checked';

export interface SignatureChecks {
  /** The DSSE signature over the payload, with the certificate's (or trusted key's) public key. */
  signature: CheckState;
  /** The certificate chains to a trusted Fulcio CA at the signing time (and carries a valid SCT). */
  certificateChain: CheckState;
  /** A Rekor entry for this signature, with a valid inclusion promise / proof. */
  transparencyLog: CheckState;
  /** A verified signing time (log integrated time or RFC 3161 timestamp). */
  timestamp: CheckState;
}

export interface SignatureVerification {
  state: SignatureState;
  /** One sentence: why this state. */
  reason: string;
  signer: 'certificate' | 'public-key' | null;
  /** From the signing certificate (also when unverifiable, then only as far as `checks` say). */
  identity: CertificateIdentity | null;
  /** The key hint of a key-signed bundle (npm publish attestations). */
  keyHint: string | null;
  /** Earliest verified signing time, ISO 8601. */
  signedAt: string | null;
  timestamps: { source: 'transparency-log' | 'timestamp-authority'; time: string }[];
  checks: SignatureChecks;
  /** The sigstore-js error behind a failure, when there is one. */
  sigstoreError: { code: string; message: string } | null;
}

export interface VerifyOptions {
  /** Defaults to the shipped Sigstore public-good root plus npm's attestation keys. */
  trustMaterial?: TrustMaterial;
  /**
   * Rekor entries (API JSON, or bundle `tlogEntries` JSON) for an envelope that does not carry its
   * own, e.g. fetched by the caller for an slsa-github-generator `.intoto.jsonl`.
   */
  tlogEntries?: unknown;
}

const GITHUB_INTERNAL_CA = /O=GitHub, Inc\./;

function result(partial: Partial<SignatureVerification> & Pick<SignatureVerification, 'state' | 'reason'>): SignatureVerification {
  return {
    signer: null,
    identity: null,
    keyHint: null,
    signedAt: null,
    timestamps: [],
    checks: { signature: 'not-checked', certificateChain: 'not-checked', transparencyLog: 'not-checked', timestamp: 'not-checked' },
    sigstoreError: null,
    ...partial,
  };
}

function errorInfo(e: unknown): { code: string; message: string } {
  if (isObject(e) && typeof e.code === 'string') return { code: e.code, message: typeof e.message === 'string' ? e.message : String(e) };
  return { code: 'ERROR', message: e instanceof Error ? e.message : String(e) };
}

/** The leaf certificate DER and key hint from bundle JSON or envelope. */
function signerMaterial(att: RawAttestation): { cert: Buffer | null; keyHint: string | null } {
  const vm = obj(att.bundle?.verificationMaterial);
  if (vm) {
    const single = str(obj(vm.certificate)?.rawBytes, 64 * 1024);
    const chain = str(obj(arr(obj(vm.x509CertificateChain)?.certificates)[0])?.rawBytes, 64 * 1024);
    const b64 = single ?? chain;
    if (b64) return { cert: Buffer.from(b64, 'base64'), keyHint: null };
    const hint = obj(vm.publicKey)?.hint;
    if (typeof hint === 'string') return { cert: null, keyHint: hint };
    return { cert: null, keyHint: null };
  }
  return { cert: att.envelope?.signatures[0]?.certificate ?? null, keyHint: null };
}

/** Bundle JSON for an envelope that came without one (`.intoto.jsonl`). */
function bundleJsonForEnvelope(env: DsseEnvelope, cert: Buffer, tlogEntries: JsonObject[]): JsonObject {
  const proofs = tlogEntries.length > 0 && tlogEntries.every((t) => isObject(t.inclusionProof) && isObject(t.inclusionProof.checkpoint));
  const sig = env.signatures[0];
  const certB64 = cert.toString('base64');
  return {
    mediaType: proofs || tlogEntries.length === 0 ? BUNDLE_V03_MEDIA_TYPE : BUNDLE_V01_MEDIA_TYPE,
    verificationMaterial: {
      ...(proofs || tlogEntries.length === 0
        ? { certificate: { rawBytes: certB64 } }
        : { x509CertificateChain: { certificates: [{ rawBytes: certB64 }] } }),
      tlogEntries,
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: {
      payloadType: env.payloadType,
      payload: env.payload.toString('base64'),
      signatures: [{ sig: sig.sig.toString('base64'), keyid: sig.keyid }],
    },
  };
}

/**
 * The supplied log entries that are about this envelope (their body names its payload hash or its
 * signature), so one list of entries can serve a whole `.intoto.jsonl`.
 */
function entriesFor(env: DsseEnvelope, entries: JsonObject[]): JsonObject[] {
  const payloadHash = crypto.digest('sha256', env.payload).toString('hex');
  const sig = env.signatures[0].sig.toString('base64');
  return entries.filter((e) => {
    const body = typeof e.canonicalizedBody === 'string' ? Buffer.from(e.canonicalizedBody, 'base64').toString('utf8') : '';
    // intoto v0.0.2 bodies base64-encode the signature once more.
    return body.includes(payloadHash) || body.includes(sig) || body.includes(Buffer.from(sig).toString('base64'));
  });
}

function dsseSignatureValid(env: DsseEnvelope, key: crypto.KeyObject): boolean {
  try {
    return crypto.verify(dsse.preAuthEncoding(env.payloadType, env.payload), key, env.signatures[0].sig);
  } catch {
    return false;
  }
}

/** Does the trust material hold the CA that issued `cert`? (Authority key id, else issuer name.) */
function issuerKnown(cert: X509Certificate, tm: TrustMaterial): boolean {
  const aki = cert.extAuthorityKeyID?.keyIdentifier;
  return tm.certificateAuthorities.some((ca) =>
    ca.certChain.some((c) => {
      const ski = c.extSubjectKeyID?.keyIdentifier;
      return aki && ski ? ski.equals(aki) : c.subject.equals(cert.issuer);
    }),
  );
}

function unknownLogs(bundle: Bundle, tm: TrustMaterial): string[] {
  return bundle.verificationMaterial.tlogEntries
    .map((t) => t.logId?.keyId ?? Buffer.alloc(0))
    .filter((id) => !tm.tlogs.some((l) => l.logID.equals(id)))
    .map((id) => id.toString('base64'));
}

function timestampsOf(entity: SignedEntity): SignatureVerification['timestamps'] {
  const out: SignatureVerification['timestamps'] = [];
  for (const t of entity.timestamps) {
    if (t.$case === 'transparency-log') {
      if (!t.tlogEntry.inclusionPromise) continue;
      out.push({ source: 'transparency-log', time: new Date(Number(t.tlogEntry.integratedTime) * 1000).toISOString() });
    } else out.push({ source: 'timestamp-authority', time: t.timestamp.signingTime.toISOString() });
  }
  return out.sort((a, b) => a.time.localeCompare(b.time));
}

/**
 * A certificate-signed envelope with neither a log entry nor a timestamp: check what can be checked
 * (signature, chain and SCT at the certificate's own notBefore) and report it unverifiable, because
 * nothing proves the signature was made while the certificate was valid.
 */
function verifyWithoutTimestamp(
  bundle: Bundle,
  cert: X509Certificate,
  tm: TrustMaterial,
  base: Partial<SignatureVerification>,
  envelopeOnly: boolean,
): SignatureVerification {
  const entity = toSignedEntity(bundle);
  const assumed: TransparencyLogEntry = {
    logIndex: '0',
    logId: { keyId: Buffer.alloc(0) },
    kindVersion: { kind: 'none', version: '0' },
    integratedTime: String(Math.floor(cert.notBefore.getTime() / 1000)),
    inclusionPromise: { signedEntryTimestamp: Buffer.alloc(0) },
    inclusionProof: undefined,
    canonicalizedBody: Buffer.alloc(0),
  };
  const window = `${cert.notBefore.toISOString()} – ${cert.notAfter.toISOString()}`;
  try {
    // The assumed time only selects the CA / CT log keys; it is never reported as a signing time.
    new Verifier(tm, { tlogThreshold: 0, ctlogThreshold: 1, timestampThreshold: 1 }).verify({
      ...entity,
      timestamps: [{ $case: 'transparency-log', tlogEntry: assumed }],
    });
  } catch (e) {
    const err = errorInfo(e);
    if (err.code === 'SIGNATURE_ERROR') {
      return result({ ...base, state: 'signature-invalid', reason: 'the DSSE signature does not match the payload', sigstoreError: err });
    }
    return result({
      ...base,
      state: 'signature-invalid',
      reason: `the certificate does not verify against the trusted Fulcio CA (${err.message})`,
      checks: { signature: 'passed', certificateChain: 'failed', transparencyLog: 'missing', timestamp: 'missing' },
      sigstoreError: err,
    });
  }
  return result({
    ...base,
    state: 'unverifiable',
    reason:
      `no transparency-log entry or signed timestamp is included, so nothing proves the signature was made while the ` +
      `certificate was valid (${window}); the DSSE signature and the Fulcio certificate chain do verify.` +
      (envelopeOnly
        ? ` The Rekor entry is not in the file (slsa-github-generator v1 .intoto.jsonl files hold only the envelope and ` +
          `its certificate): fetch it from Rekor and pass it as tlogEntries to complete the verification offline.`
        : ' The bundle lists no tlog entry.'),
    checks: { signature: 'passed', certificateChain: 'passed', transparencyLog: 'missing', timestamp: 'missing' },
  });
}

/** Verify one attestation's signature offline. Never throws. */
export function verifyAttestation(att: RawAttestation, options: VerifyOptions = {}): SignatureVerification {
  try {
    const env = att.envelope;
    if (!env) {
      return result({ state: 'unverifiable', reason: `nothing to verify: ${att.errors.join('; ') || 'no DSSE envelope'}` });
    }
    if (env.signatures.length === 0) {
      return result({ state: 'unverifiable', reason: 'an unsigned in-toto Statement: there is no signature to verify' });
    }
    const tm = options.trustMaterial ?? publicGoodTrustMaterial();
    const { cert: certDer, keyHint } = signerMaterial(att);
    let cert: X509Certificate | null = null;
    let identity: CertificateIdentity | null = null;
    if (certDer) {
      try {
        cert = X509Certificate.parse(Buffer.from(certDer));
      } catch (e) {
        return result({ state: 'signature-invalid', reason: `the signing certificate cannot be parsed (${errorInfo(e).message})` });
      }
      const id = certificateIdentity(cert);
      identity = id.ok ? id.value : null;
    }
    const base: Partial<SignatureVerification> = {
      signer: cert ? 'certificate' : keyHint !== null ? 'public-key' : null,
      identity,
      keyHint,
    };
    if (!cert && keyHint === null)
      return result({ ...base, state: 'unverifiable', reason: 'no certificate or public key to verify the signature with' });
    if (env.signatures.length !== 1) {
      return result({
        ...base,
        state: 'unverifiable',
        reason: `the envelope has ${env.signatures.length} signatures; exactly one is supported`,
      });
    }

    // 1. The DSSE signature itself: tampering shows here whatever else is missing.
    let sigKey: crypto.KeyObject | null = null;
    if (cert) sigKey = crypto.createPublicKey(cert.publicKey);
    else if (keyHint !== null) {
      try {
        sigKey = tm.publicKey(keyHint).publicKey;
      } catch {
        return result({ ...base, state: 'unverifiable', reason: `signed with key ${JSON.stringify(keyHint)}, which is not a trusted key` });
      }
    }
    const signature: CheckState = sigKey && dsseSignatureValid(env, sigKey) ? 'passed' : 'failed';
    if (signature === 'failed') {
      return result({
        ...base,
        state: 'signature-invalid',
        reason: 'the DSSE signature does not match the payload (the payload or the signature was altered)',
        checks: { signature, certificateChain: 'not-checked', transparencyLog: 'not-checked', timestamp: 'not-checked' },
      });
    }

    // 2. The bundle to hand to sigstore-js: the one we were given, or one built around the envelope.
    let bundleJson: JsonObject;
    let suppliedNote = '';
    if (att.bundle) bundleJson = att.bundle;
    else {
      if (!certDer) return result({ ...base, state: 'unverifiable', reason: 'the envelope carries no signing certificate' });
      const extra = options.tlogEntries === undefined ? { entries: [], errors: [] } : rekorResponseToTlogEntries(options.tlogEntries);
      if (extra.errors.length && !extra.entries.length) {
        return result({ ...base, state: 'unverifiable', reason: `the supplied Rekor entries are unusable: ${extra.errors.join('; ')}` });
      }
      const mine = entriesFor(env, extra.entries);
      if (extra.entries.length && !mine.length)
        suppliedNote = ` None of the ${extra.entries.length} supplied Rekor entries is for this envelope.`;
      bundleJson = bundleJsonForEnvelope(env, certDer, mine);
    }
    let bundle: Bundle;
    try {
      bundle = bundleFromJSON(bundleJson);
    } catch (e) {
      const err = errorInfo(e);
      const fields = isObject(e) && Array.isArray(e.fields) ? ` (${(e.fields as unknown[]).join(', ')})` : '';
      return result({ ...base, state: 'unverifiable', reason: `malformed Sigstore bundle: ${err.message}${fields}`, sigstoreError: err });
    }
    // What sigstore-js verifies must be exactly what we parsed the Statement from.
    if (bundle.content.$case !== 'dsseEnvelope')
      return result({ ...base, state: 'unverifiable', reason: 'the bundle holds no DSSE envelope' });
    const bEnv = bundle.content.dsseEnvelope;
    if (
      !bEnv.payload.equals(env.payload) ||
      !bEnv.signatures[0]?.sig.equals(env.signatures[0].sig) ||
      bEnv.payloadType !== env.payloadType
    ) {
      return result({
        ...base,
        state: 'signature-invalid',
        reason: 'the bundle decodes to a different payload or signature than the envelope (malformed base64?)',
      });
    }

    // 3. Is the issuing CA / the log one the trusted root knows? If not, we cannot decide.
    if (cert && !issuerKnown(cert, tm)) {
      const dn = identity?.certificateIssuer || 'an unknown CA';
      const hint = GITHUB_INTERNAL_CA.test(dn)
        ? " — GitHub's own Sigstore instance, used for private-repository attestations; its trusted root is not shipped"
        : '';
      return result({
        ...base,
        state: 'unverifiable',
        reason: `the certificate was issued by ${dn}, which is not in the trusted root${hint}`,
        checks: { signature, certificateChain: 'missing', transparencyLog: 'not-checked', timestamp: 'not-checked' },
      });
    }
    const logs = unknownLogs(bundle, tm);
    if (logs.length) {
      return result({
        ...base,
        state: 'unverifiable',
        reason: `the transparency log ${logs.join(', ')} is not in the trusted root (refresh src/verify/trusted-root/)`,
        checks: { signature, certificateChain: 'not-checked', transparencyLog: 'missing', timestamp: 'not-checked' },
      });
    }

    const entity = toSignedEntity(bundle);
    const hasTime = entity.timestamps.some((t) => t.$case === 'timestamp-authority' || t.tlogEntry.inclusionPromise);
    if (cert && !hasTime && bundle.verificationMaterial.tlogEntries.length === 0) {
      const r = verifyWithoutTimestamp(bundle, cert, tm, base, !att.bundle);
      if (suppliedNote) r.reason += suppliedNote;
      return r;
    }

    // 4. Full verification: timestamps, chain + SCT at the signing time, log entries, signature.
    try {
      new Verifier(tm).verify(entity);
    } catch (e) {
      const err = errorInfo(e);
      if (err.code === 'TLOG_ERROR') {
        return result({
          ...base,
          state: 'unverifiable',
          reason: 'no transparency-log entry is included (a Rekor entry is required)',
          checks: { signature, certificateChain: 'not-checked', transparencyLog: 'missing', timestamp: 'not-checked' },
          sigstoreError: err,
        });
      }
      if (err.code === 'TIMESTAMP_ERROR' && !hasTime) {
        return result({
          ...base,
          state: 'unverifiable',
          reason: 'no verifiable signing time: the log entry has no inclusion promise and there is no RFC 3161 timestamp',
          checks: { signature, certificateChain: 'not-checked', transparencyLog: 'not-checked', timestamp: 'missing' },
          sigstoreError: err,
        });
      }
      const failed: SignatureChecks = {
        signature,
        certificateChain: 'not-checked',
        transparencyLog: 'not-checked',
        timestamp: 'not-checked',
      };
      if (err.code === 'CERTIFICATE_ERROR') failed.certificateChain = 'failed';
      else if (err.code.startsWith('TLOG')) failed.transparencyLog = 'failed';
      else if (err.code === 'TIMESTAMP_ERROR') failed.timestamp = 'failed';
      else if (err.code === 'SIGNATURE_ERROR') failed.signature = 'failed';
      return result({
        ...base,
        state: 'signature-invalid',
        reason: `verification failed: ${err.message}`,
        checks: failed,
        sigstoreError: err,
      });
    }
    const timestamps = timestampsOf(entity);
    return result({
      ...base,
      state: 'verified',
      reason: cert
        ? `signature, Fulcio certificate chain and transparency log verify; signed ${timestamps[0]?.time ?? 'at a verified time'}`
        : `signature by trusted key ${JSON.stringify(keyHint)} and transparency log verify`,
      signedAt: timestamps[0]?.time ?? null,
      timestamps,
      checks: {
        signature: 'passed',
        certificateChain: cert ? 'passed' : 'not-checked',
        transparencyLog: bundle.verificationMaterial.tlogEntries.length ? 'passed' : 'missing',
        timestamp: 'passed',
      },
    });
  } catch (e) {
    return result({ state: 'unverifiable', reason: `verification could not run: ${errorInfo(e).message}`, sigstoreError: errorInfo(e) });
  }
}
