/**
 * Containers → DSSE envelopes. Recognises the shapes provenance is distributed in:
 * - a DSSE envelope (`{payloadType, payload, signatures}`), alone or one per line in a
 *   `.intoto.jsonl` (slsa-github-generator v1 puts the Fulcio certificate PEM in each signature's
 *   `cert` field and nothing else: no transparency-log entry);
 * - a Sigstore bundle (`.sigstore`, `.sigstore.json`; media types v0.1, v0.2, v0.3), alone or one
 *   per line;
 * - an npm attestations document (`{attestations: [{predicateType, bundle}]}`);
 * - a GitHub attestations API response (`{attestations: [{bundle, repository_id, bundle_url?}]}`);
 * - a bare in-toto Statement (unsigned, e.g. GitLab's `artifacts-metadata.json`).
 *
 * Nothing here checks a signature: it only takes the material apart, with size limits, and never
 * throws.
 */
import { decodeBase64, fail, formatBytes, isObject, ok, parseJson, str, toText, type JsonObject, type Result } from './encoding.js';
import { DEFAULT_LIMITS, type Limits } from './limits.js';

export type DocumentFormat =
  'dsse-envelope' | 'sigstore-bundle' | 'intoto-jsonl' | 'npm-attestations' | 'github-attestations' | 'intoto-statement' | 'unknown';

export interface DsseSignature {
  keyid: string;
  sig: Buffer;
  /** DER of the signing certificate when the envelope carries one (slsa-github-generator's `cert`). */
  certificate: Buffer | null;
}

export interface DsseEnvelope {
  payloadType: string;
  /** The payload bytes exactly as signed (decoded from base64). */
  payload: Buffer;
  signatures: DsseSignature[];
}

export type BundleVersion = '0.1' | '0.2' | '0.3';

export interface RawAttestation {
  /** Where it sits in the document, for messages: `line 2`, `attestations[1]`, `document`. */
  location: string;
  /**
   * `in-toto-statement`: a bare, unsigned Statement (e.g. GitLab's `artifacts-metadata.json` from
   * `RUNNER_GENERATE_ARTIFACTS_METADATA`); its `envelope` has the Statement as payload and no signatures.
   */
  container: 'dsse-envelope' | 'sigstore-bundle' | 'in-toto-statement';
  envelope: DsseEnvelope | null;
  /** The Sigstore bundle JSON as read, handed unchanged to the verifier. */
  bundle: JsonObject | null;
  bundleVersion: BundleVersion | null;
  /** npm documents list each bundle's predicateType next to it. */
  declaredPredicateType: string | null;
  /** GitHub attestations API fields. */
  repositoryId: string | null;
  bundleUrl: string | null;
  errors: string[];
}

export interface ExtractedDocument {
  format: DocumentFormat;
  attestations: RawAttestation[];
  /** Problems with the document as a whole (size, encoding, shape). */
  errors: string[];
}

const BUNDLE_MEDIA_TYPE = /^application\/vnd\.dev\.sigstore\.bundle(?:\+json;version=(\d+\.\d+)|\.v(\d+\.\d+)\+json)$/;

/** `0.1` / `0.2` / `0.3` from a bundle media type, or null when it is not one we know. */
export function bundleVersionOf(mediaType: unknown): BundleVersion | null {
  if (typeof mediaType !== 'string') return null;
  const m = BUNDLE_MEDIA_TYPE.exec(mediaType);
  const v = m?.[1] ?? m?.[2];
  return v === '0.1' || v === '0.2' || v === '0.3' ? v : null;
}

function isBundleLike(v: JsonObject): boolean {
  return typeof v.mediaType === 'string' && v.mediaType.startsWith('application/vnd.dev.sigstore.bundle');
}

function isStatementLike(v: JsonObject): boolean {
  return typeof v._type === 'string' && v._type.startsWith('https://in-toto.io/Statement/');
}

function isEnvelopeLike(v: JsonObject): boolean {
  return 'payloadType' in v || ('payload' in v && 'signatures' in v);
}

/** PEM certificate → DER. */
export function pemToDer(pem: string, limits: Limits): Result<Buffer> {
  const m = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(pem);
  if (!m) return fail('certificate is not PEM');
  return decodeBase64(m[1].replace(/\s+/g, ''), limits.payloadBytes, 'certificate');
}

/** A DSSE envelope object (JSON) → envelope with decoded bytes. */
export function readEnvelope(v: unknown, limits: Limits = DEFAULT_LIMITS): Result<DsseEnvelope> {
  if (!isObject(v)) return fail('DSSE envelope is not an object');
  const payloadType = str(v.payloadType, limits.stringChars);
  if (!payloadType) return fail('DSSE envelope has no payloadType');
  const payload = decodeBase64(v.payload, limits.payloadBytes, 'DSSE payload');
  if (!payload.ok) return payload;
  if (!Array.isArray(v.signatures) || v.signatures.length === 0) return fail('DSSE envelope has no signatures');
  if (v.signatures.length > 16) return fail(`DSSE envelope has ${v.signatures.length} signatures (at most 16 are read)`);
  const signatures: DsseSignature[] = [];
  for (const [i, s] of v.signatures.entries()) {
    if (!isObject(s)) return fail(`DSSE signature ${i} is not an object`);
    const sig = decodeBase64(s.sig, 64 * 1024, `DSSE signature ${i}`);
    if (!sig.ok) return sig;
    if (sig.value.length === 0) return fail(`DSSE signature ${i} is empty`);
    let certificate: Buffer | null = null;
    if (s.cert !== undefined && s.cert !== null && s.cert !== '') {
      if (typeof s.cert !== 'string') return fail(`DSSE signature ${i} has a cert that is not a string`);
      const der = pemToDer(s.cert, limits);
      if (!der.ok) return fail(`DSSE signature ${i}: ${der.error}`);
      certificate = der.value;
    }
    signatures.push({ keyid: typeof s.keyid === 'string' ? s.keyid.slice(0, limits.stringChars) : '', sig: sig.value, certificate });
  }
  return ok({ payloadType, payload: payload.value, signatures });
}

function emptyAttestation(location: string, container: RawAttestation['container']): RawAttestation {
  return {
    location,
    container,
    envelope: null,
    bundle: null,
    bundleVersion: null,
    declaredPredicateType: null,
    repositoryId: null,
    bundleUrl: null,
    errors: [],
  };
}

/** A Sigstore bundle object → attestation (the envelope decoded; the bundle kept for the verifier). */
export function readBundle(v: unknown, location: string, limits: Limits = DEFAULT_LIMITS): RawAttestation {
  const att = emptyAttestation(location, 'sigstore-bundle');
  if (!isObject(v)) {
    att.errors.push('Sigstore bundle is not an object');
    return att;
  }
  att.bundle = v;
  att.bundleVersion = bundleVersionOf(v.mediaType);
  if (!att.bundleVersion) att.errors.push(`unknown Sigstore bundle media type ${JSON.stringify(String(v.mediaType).slice(0, 120))}`);
  if (v.dsseEnvelope === undefined) {
    att.errors.push(
      v.messageSignature !== undefined
        ? 'the bundle signs an artifact directly (messageSignature): it holds no in-toto attestation'
        : 'the bundle has no dsseEnvelope',
    );
    return att;
  }
  const env = readEnvelope(v.dsseEnvelope, limits);
  if (env.ok) att.envelope = env.value;
  else att.errors.push(env.error);
  return att;
}

function readOne(v: unknown, location: string, limits: Limits): RawAttestation {
  if (isObject(v) && isBundleLike(v)) return readBundle(v, location, limits);
  const att = emptyAttestation(location, 'dsse-envelope');
  if (!isObject(v) || !isEnvelopeLike(v)) {
    att.errors.push('neither a DSSE envelope nor a Sigstore bundle');
    return att;
  }
  const env = readEnvelope(v, limits);
  if (env.ok) att.envelope = env.value;
  else att.errors.push(env.error);
  return att;
}

function readAttestationList(doc: JsonObject, limits: Limits): ExtractedDocument {
  const list = doc.attestations as unknown[];
  const npm = list.some((a) => isObject(a) && typeof a.predicateType === 'string');
  const out: ExtractedDocument = { format: npm ? 'npm-attestations' : 'github-attestations', attestations: [], errors: [] };
  for (const [i, item] of list.entries()) {
    if (out.attestations.length >= limits.attestations) {
      out.errors.push(`${list.length - i} more attestations not read (limit ${limits.attestations})`);
      break;
    }
    const location = `attestations[${i}]`;
    if (!isObject(item)) {
      const att = emptyAttestation(location, 'sigstore-bundle');
      att.errors.push('attestation entry is not an object');
      out.attestations.push(att);
      continue;
    }
    let att: RawAttestation;
    if (item.bundle === undefined || item.bundle === null) {
      att = emptyAttestation(location, 'sigstore-bundle');
      att.errors.push(
        typeof item.bundle_url === 'string'
          ? 'the bundle is not included in the response; fetch bundle_url to verify it'
          : 'attestation entry has no bundle',
      );
    } else {
      att = readBundle(item.bundle, location, limits);
    }
    att.declaredPredicateType = str(item.predicateType, limits.stringChars);
    att.repositoryId = typeof item.repository_id === 'number' || typeof item.repository_id === 'string' ? String(item.repository_id) : null;
    att.bundleUrl = str(item.bundle_url, limits.stringChars);
    out.attestations.push(att);
  }
  if (list.length === 0) out.errors.push('the document lists no attestations');
  return out;
}

function readLines(text: string, limits: Limits): ExtractedDocument {
  const out: ExtractedDocument = { format: 'intoto-jsonl', attestations: [], errors: [] };
  const lines = text.split('\n');
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    if (out.attestations.length >= limits.attestations) {
      out.errors.push(`more lines not read (limit ${limits.attestations} attestations)`);
      break;
    }
    const location = `line ${i + 1}`;
    const bytes = Buffer.byteLength(line, 'utf8');
    if (bytes > limits.lineBytes) {
      const att = emptyAttestation(location, 'dsse-envelope');
      att.errors.push(`${location} is ${formatBytes(bytes)}, over the ${formatBytes(limits.lineBytes)} limit`);
      out.attestations.push(att);
      continue;
    }
    const parsed = parseJson(line, location);
    if (!parsed.ok) {
      const att = emptyAttestation(location, 'dsse-envelope');
      att.errors.push(parsed.error);
      out.attestations.push(att);
      continue;
    }
    out.attestations.push(readOne(parsed.value, location, limits));
  }
  if (out.attestations.length === 0) out.errors.push('the document holds no attestation (empty)');
  return out;
}

/** Any supported container → the attestations in it. Never throws. */
export function extractAttestations(input: string | Uint8Array, limits: Limits = DEFAULT_LIMITS): ExtractedDocument {
  try {
    const text = toText(input, limits.documentBytes, 'document');
    if (!text.ok) return { format: 'unknown', attestations: [], errors: [text.error] };
    const trimmed = text.value.trim();
    if (!trimmed) return { format: 'unknown', attestations: [], errors: ['the document is empty'] };
    if (!trimmed.startsWith('{')) return { format: 'unknown', attestations: [], errors: ['the document is not JSON'] };
    const whole = parseJson(trimmed, 'document');
    if (whole.ok) {
      const doc = whole.value;
      if (!isObject(doc)) return { format: 'unknown', attestations: [], errors: ['the document is not a JSON object'] };
      if (Array.isArray(doc.attestations)) return readAttestationList(doc, limits);
      if (isBundleLike(doc)) return { format: 'sigstore-bundle', attestations: [readBundle(doc, 'document', limits)], errors: [] };
      if (isEnvelopeLike(doc)) return { format: 'dsse-envelope', attestations: [readOne(doc, 'document', limits)], errors: [] };
      if (isStatementLike(doc)) {
        const att = emptyAttestation('document', 'in-toto-statement');
        att.envelope = { payloadType: 'application/vnd.in-toto+json', payload: Buffer.from(trimmed, 'utf8'), signatures: [] };
        return { format: 'intoto-statement', attestations: [att], errors: [] };
      }
      return {
        format: 'unknown',
        attestations: [],
        errors: ['unrecognised document: not a DSSE envelope, Sigstore bundle, npm or GitHub attestations document'],
      };
    }
    // Not one JSON value: JSON Lines (one envelope or bundle per line), or broken JSON.
    if (!trimmed.includes('\n')) return { format: 'unknown', attestations: [], errors: [whole.error] };
    return readLines(trimmed, limits);
  } catch (e) {
    return { format: 'unknown', attestations: [], errors: [`unreadable document: ${e instanceof Error ? e.message : String(e)}`] };
  }
}
