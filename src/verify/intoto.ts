/**
 * in-toto Statements (v0.1 and v1) and SLSA Provenance (v0.2 and v1), normalized into one shape.
 *
 * `parseAttestations(document)` reads any container `envelope.ts` knows and, for each attestation,
 * decodes the Statement from the DSSE payload bytes (the same bytes the signature covers) and the
 * provenance fields a verifier needs: builder id, build type, source repository / ref / digest,
 * workflow path, trigger and inputs, materials. Hostile input gives errors, never exceptions.
 */
import { arr, fail, isHex, isObject, obj, ok, parseJson, path, str, toText, type JsonObject, type Result } from './encoding.js';
import { extractAttestations, type DocumentFormat, type RawAttestation } from './envelope.js';
import { withLimits, type Limits } from './limits.js';

export const INTOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
export const STATEMENT_V01 = 'https://in-toto.io/Statement/v0.1';
export const STATEMENT_V1 = 'https://in-toto.io/Statement/v1';
export const SLSA_PROVENANCE_V02 = 'https://slsa.dev/provenance/v0.2';
export const SLSA_PROVENANCE_V1 = 'https://slsa.dev/provenance/v1';

/** Algorithm (as written: `sha256`, `gitCommit`) → value (lowercased when hex). */
export type Digests = Record<string, string>;

export interface Subject {
  name: string | null;
  digest: Digests;
}

export interface Statement {
  /** `_type`: https://in-toto.io/Statement/v0.1 or /v1. */
  type: string;
  predicateType: string;
  subjects: Subject[];
  /** The predicate as decoded (untrusted JSON). */
  predicate: unknown;
}

export interface ResourceRef {
  uri: string | null;
  digest: Digests;
}

/** SLSA Provenance v0.2 or v1, reduced to what verification and the SLSA mapping need. */
export interface Provenance {
  predicateType: string;
  version: 'v0.2' | 'v1';
  /** v0.2 `builder.id`; v1 `runDetails.builder.id`. */
  builderId: string | null;
  buildType: string | null;
  /** The source URI as written (`git+https://github.com/o/r@refs/tags/v1`, `https://github.com/o/r`). */
  sourceUri: string | null;
  /** `host/owner/repo` (GitLab: `host/group/sub/project`). */
  sourceRepo: string | null;
  /** `refs/tags/v1`, `refs/heads/main`, … */
  sourceRef: string | null;
  /** The source revision's digest (`sha1` / `gitCommit`). */
  sourceDigest: Digests | null;
  /** The build's entry point: workflow path (`.github/workflows/release.yml`), config path or job. */
  workflowPath: string | null;
  /** What started the build (`push`, `workflow_dispatch`, …) when the provenance says. */
  trigger: string | null;
  /**
   * User-supplied build parameters (workflow_dispatch inputs): `{}` when the provenance records
   * parameters and they are empty, null when it does not record them.
   */
  inputs: JsonObject | null;
  /** `github-hosted` / `self-hosted` when the provenance records it. */
  runnerEnvironment: string | null;
  invocationId: string | null;
  /** v0.2 `materials`, v1 `resolvedDependencies`. */
  materials: ResourceRef[];
}

export interface Attestation extends RawAttestation {
  statement: Statement | null;
  /** Set when the Statement is SLSA Provenance v0.2 or v1. */
  provenance: Provenance | null;
}

export interface ParsedDocument {
  format: DocumentFormat;
  attestations: Attestation[];
  errors: string[];
}

export interface ParseOptions {
  limits?: Partial<Limits>;
}

// ---------------------------------------------------------------------------------------------
// Repository URIs

/**
 * A repository URI → `host/owner/repo`. Accepts `git+https://host/o/r(.git)(@ref)`,
 * `https://host/o/r`, `host/o/r` and, when `defaultHost` is given, `o/r`. Returns null for anything
 * that is not a repository path. The host is lowercased; the path keeps its case (compare with
 * `sameRepo`, which ignores case as GitHub and GitLab do).
 */
export function normalizeRepo(uri: string | null | undefined, defaultHost?: string): string | null {
  if (typeof uri !== 'string') return null;
  let s = uri.trim();
  if (!s || s.length > 2048) return null;
  s = s.replace(/^git\+/, '');
  let host: string;
  let rest: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]+)(.*)$/i.exec(s);
  if (scheme) {
    if (!/^(https?|ssh|git)$/i.test(scheme[1])) return null;
    host = scheme[2].replace(/^[^@]*@/, ''); // drop userinfo
    rest = scheme[3];
  } else {
    const parts = s.split('/');
    if (parts.length >= 3 && parts[0].includes('.')) {
      host = parts[0];
      rest = '/' + parts.slice(1).join('/');
    } else if (parts.length === 2 && defaultHost) {
      host = defaultHost;
      rest = '/' + s;
    } else return null;
  }
  rest = rest.replace(/[?#].*$/, '');
  const at = rest.indexOf('@');
  if (at >= 0) rest = rest.slice(0, at);
  rest = rest.replace(/\/+$/, '').replace(/\.git$/, '');
  const segs = rest.split('/').filter(Boolean);
  if (segs.length < 2 || segs.some((p) => p === '.' || p === '..' || /[\s\\]/.test(p))) return null;
  host = host.toLowerCase().replace(/:443$/, '');
  if (!/^[a-z0-9.-]+(:\d+)?$/.test(host)) return null;
  if (host === 'github.com' && segs.length !== 2) return null;
  return `${host}/${segs.join('/')}`;
}

export function sameRepo(a: string | null | undefined, b: string | null | undefined): boolean {
  return !!a && !!b && a.toLowerCase() === b.toLowerCase();
}

/** `git+https://github.com/o/r@refs/tags/v1` → repo and ref (the ref may itself contain `@`). */
export function parseSourceUri(uri: string | null): { repo: string | null; ref: string | null } {
  if (!uri) return { repo: null, ref: null };
  const schemeEnd = uri.indexOf('://');
  const at = uri.indexOf('@', schemeEnd >= 0 ? schemeEnd + 3 : 0);
  const ref = at >= 0 ? uri.slice(at + 1) || null : null;
  return { repo: normalizeRepo(at >= 0 ? uri.slice(0, at) : uri), ref };
}

// ---------------------------------------------------------------------------------------------
// Statement

function digests(v: unknown, limits: Limits): Digests {
  const out: Digests = {};
  if (!isObject(v)) return out;
  for (const [alg, value] of Object.entries(v).slice(0, limits.digests)) {
    if (typeof value !== 'string' || !value || value.length > 1024 || alg === '__proto__' || alg === 'constructor') continue;
    out[alg.slice(0, 64)] = isHex(value) ? value.toLowerCase() : value;
  }
  return out;
}

function resourceRefs(v: unknown, limits: Limits): ResourceRef[] {
  return arr(v)
    .slice(0, limits.materials)
    .filter(isObject)
    .map((m) => ({ uri: str(m.uri, limits.stringChars), digest: digests(m.digest, limits) }));
}

/** A DSSE payload (the in-toto Statement JSON) → Statement. */
export function parseStatement(payload: Uint8Array | string, options: ParseOptions = {}): Result<Statement> {
  try {
    const limits = withLimits(options.limits);
    const text = toText(payload, limits.payloadBytes, 'in-toto payload');
    if (!text.ok) return text;
    const parsed = parseJson(text.value, 'in-toto payload');
    if (!parsed.ok) return parsed;
    const st = parsed.value;
    if (!isObject(st)) return fail('in-toto payload is not a JSON object');
    const type = str(st._type, limits.stringChars);
    if (type !== STATEMENT_V01 && type !== STATEMENT_V1) {
      return fail(`not an in-toto Statement (_type ${JSON.stringify(type ?? st._type ?? null)?.slice(0, 120)})`);
    }
    const predicateType = str(st.predicateType, limits.stringChars);
    if (!predicateType) return fail('in-toto Statement has no predicateType');
    if (!Array.isArray(st.subject)) return fail('in-toto Statement has no subject list');
    if (st.subject.length > limits.subjects) return fail(`in-toto Statement has ${st.subject.length} subjects (limit ${limits.subjects})`);
    const subjects: Subject[] = st.subject
      .filter(isObject)
      .map((s) => ({ name: str(s.name, limits.stringChars), digest: digests(s.digest, limits) }));
    return ok({ type, predicateType, subjects, predicate: st.predicate });
  } catch (e) {
    return fail(`unreadable in-toto Statement: ${e instanceof Error ? e.message : String(e)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// SLSA Provenance

function provenanceV02(p: JsonObject, predicateType: string, limits: Limits): Provenance {
  const s = (v: unknown) => str(v, limits.stringChars);
  const invocation = obj(p.invocation);
  const cs = obj(invocation?.configSource);
  const sourceUri = s(cs?.uri);
  const { repo, ref } = parseSourceUri(sourceUri);
  const env = obj(invocation?.environment);
  const params = obj(invocation?.parameters);
  const inputs =
    obj(params?.event_inputs) ?? obj(params?.inputs) ?? obj(path(env, 'github_event_payload', 'inputs')) ?? (params ? {} : null);
  const sourceDigest = digests(cs?.digest, limits);
  return {
    predicateType,
    version: 'v0.2',
    builderId: s(path(p, 'builder', 'id')),
    buildType: s(p.buildType),
    sourceUri,
    sourceRepo: repo,
    sourceRef: ref ?? s(env?.github_ref),
    sourceDigest: Object.keys(sourceDigest).length ? sourceDigest : null,
    workflowPath: s(cs?.entryPoint),
    trigger: s(env?.github_event_name),
    inputs,
    runnerEnvironment: s(env?.github_runner_environment) ?? s(env?.runner_environment),
    invocationId: s(path(p, 'metadata', 'buildInvocationID')) ?? s(path(p, 'metadata', 'buildInvocationId')),
    materials: resourceRefs(p.materials, limits),
  };
}

function provenanceV1(p: JsonObject, predicateType: string, limits: Limits): Provenance {
  const s = (v: unknown) => str(v, limits.stringChars);
  const bd = obj(p.buildDefinition);
  const rd = obj(p.runDetails);
  const ext = obj(bd?.externalParameters);
  const int = obj(bd?.internalParameters);
  const materials = resourceRefs(bd?.resolvedDependencies, limits);
  const wf = obj(ext?.workflow);
  let sourceUri: string | null;
  let repo: string | null;
  let ref: string | null;
  let sourceDigest: Digests | null = null;
  let workflowPath: string | null;
  if (wf) {
    // GitHub Actions build types (actions/attest, npm CLI): {repository, ref, path}.
    sourceUri = s(wf.repository);
    repo = normalizeRepo(sourceUri);
    ref = s(wf.ref);
    workflowPath = s(wf.path);
  } else {
    // slsa-github-generator builders: source {uri, digest}; GitLab runner: source "https://…".
    const src = ext?.source;
    const srcObj = obj(src);
    sourceUri = s(srcObj ? srcObj.uri : src);
    ({ repo, ref } = parseSourceUri(sourceUri));
    const d = digests(srcObj?.digest, limits);
    if (Object.keys(d).length) sourceDigest = d;
    workflowPath = s(ext?.configPath) ?? s(ext?.entryPoint) ?? s(ext?.path);
  }
  if (repo) {
    // The source revision: the resolved dependency that is the source repository.
    const dep = materials.find((m) => sameRepo(parseSourceUri(m.uri).repo, repo));
    if (dep) {
      if (!sourceDigest && Object.keys(dep.digest).length) sourceDigest = dep.digest;
      if (!ref) ref = parseSourceUri(dep.uri).ref;
    }
  }
  ref ??= s(int?.GITHUB_REF) ?? s(path(int, 'github', 'ref'));
  const payload = obj(int?.GITHUB_EVENT_PAYLOAD);
  const inputs =
    obj(ext?.inputs) ??
    obj(wf?.inputs) ??
    obj(payload?.inputs) ??
    obj(path(int, 'github', 'inputs')) ??
    // slsa-github-generator records the whole event payload: `inputs: null` there is a dispatch without inputs.
    (payload && Object.hasOwn(payload, 'inputs') ? {} : null);
  return {
    predicateType,
    version: 'v1',
    builderId: s(path(rd, 'builder', 'id')),
    buildType: s(bd?.buildType),
    sourceUri,
    sourceRepo: repo,
    sourceRef: ref,
    sourceDigest,
    workflowPath,
    trigger: s(path(int, 'github', 'event_name')) ?? s(int?.GITHUB_EVENT_NAME) ?? s(path(int, 'gitlab', 'pipeline_source')),
    inputs,
    runnerEnvironment: s(path(int, 'github', 'runner_environment')),
    invocationId: s(path(rd, 'metadata', 'invocationId')),
    materials,
  };
}

/**
 * How many user-supplied build inputs have a value: entries of `Provenance.inputs` that are neither
 * null nor the empty string (the empty inputs GitHub's workflow build type says to omit). Inputs left
 * at their declared default count too: the event payload carries them like typed ones. null when the
 * provenance does not record inputs.
 */
export function countInputs(inputs: JsonObject | null): number | null {
  if (!inputs) return null;
  return Object.values(inputs).filter((v) => v !== null && v !== undefined && v !== '').length;
}

/** SLSA Provenance v0.2 / v1 from a Statement; null for any other predicate. */
export function normalizeProvenance(statement: Statement, options: ParseOptions = {}): Provenance | null {
  try {
    const limits = withLimits(options.limits);
    const p = obj(statement.predicate);
    if (!p) return null;
    if (statement.predicateType === SLSA_PROVENANCE_V02) return provenanceV02(p, statement.predicateType, limits);
    if (statement.predicateType === SLSA_PROVENANCE_V1) return provenanceV1(p, statement.predicateType, limits);
    return null;
  } catch {
    return null;
  }
}

export function isSlsaProvenance(predicateType: string | null | undefined): boolean {
  return predicateType === SLSA_PROVENANCE_V02 || predicateType === SLSA_PROVENANCE_V1;
}

// ---------------------------------------------------------------------------------------------
// Documents

/** Statement and provenance for one attestation taken out of its container. */
export function decodeAttestation(raw: RawAttestation, options: ParseOptions = {}): Attestation {
  const att: Attestation = { ...raw, errors: [...raw.errors], statement: null, provenance: null };
  try {
    if (!raw.envelope) return att;
    if (raw.envelope.payloadType !== INTOTO_PAYLOAD_TYPE) {
      att.errors.push(`payloadType ${JSON.stringify(raw.envelope.payloadType.slice(0, 120))} is not ${INTOTO_PAYLOAD_TYPE}`);
      return att;
    }
    const st = parseStatement(raw.envelope.payload, options);
    if (!st.ok) {
      att.errors.push(st.error);
      return att;
    }
    att.statement = st.value;
    if (raw.declaredPredicateType && raw.declaredPredicateType !== st.value.predicateType) {
      att.errors.push(
        `the document lists predicateType ${raw.declaredPredicateType} but the signed Statement has ${st.value.predicateType}`,
      );
    }
    att.provenance = normalizeProvenance(st.value, options);
    if (isSlsaProvenance(st.value.predicateType) && !att.provenance)
      att.errors.push('SLSA provenance predicate is missing or not an object');
    return att;
  } catch (e) {
    att.errors.push(`unreadable attestation: ${e instanceof Error ? e.message : String(e)}`);
    return att;
  }
}

/**
 * Any supported document (DSSE envelope, `.intoto.jsonl`, Sigstore bundle, npm attestations,
 * GitHub attestations API response, bare Statement) → its attestations with Statements and
 * provenance. Never throws.
 */
export function parseAttestations(input: string | Uint8Array, options: ParseOptions = {}): ParsedDocument {
  try {
    const limits = withLimits(options.limits);
    const doc = extractAttestations(input, limits);
    return { format: doc.format, errors: doc.errors, attestations: doc.attestations.map((a) => decodeAttestation(a, options)) };
  } catch (e) {
    return { format: 'unknown', attestations: [], errors: [`unreadable document: ${e instanceof Error ? e.message : String(e)}`] };
  }
}
