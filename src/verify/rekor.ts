/**
 * Rekor log entries as the Rekor v1 API returns them (`GET /api/v1/log/entries/{uuid}` or a search
 * by hash: `{"<uuid>": {body, integratedTime, logID, logIndex, verification: {inclusionProof,
 * signedEntryTimestamp}}}`) → the `tlogEntries` form of a Sigstore bundle.
 *
 * slsa-github-generator v1 `.intoto.jsonl` files carry the envelope and certificate but not the
 * log entry, so offline verification cannot prove when the signature was made. A caller that has
 * fetched the entry (the network lives in the sources, not here) passes it to `verifyAttestation`
 * via `tlogEntries`; the conversion below is pure and the verification stays offline.
 */
import { arr, fail, isHex, isObject, ok, parseJson, str, type JsonObject, type Result } from './encoding.js';

function hexToBase64(hex: unknown, what: string): Result<string> {
  if (typeof hex !== 'string' || !hex || hex.length % 2 !== 0 || !isHex(hex)) return fail(`${what} is not hex`);
  return ok(Buffer.from(hex, 'hex').toString('base64'));
}

function intString(v: unknown, what: string): Result<string> {
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return ok(String(v));
  if (typeof v === 'string' && /^\d{1,20}$/.test(v)) return ok(v);
  return fail(`${what} is not a non-negative integer`);
}

/** One Rekor API entry value (the object under the uuid key) → bundle tlog entry JSON. */
export function rekorEntryToTlogEntry(entry: unknown): Result<JsonObject> {
  try {
    if (!isObject(entry)) return fail('Rekor entry is not an object');
    const body = str(entry.body, 16 * 1024 * 1024);
    if (!body) return fail('Rekor entry has no body');
    const decoded = parseJson(Buffer.from(body, 'base64').toString('utf8'), 'Rekor entry body');
    if (!decoded.ok) return decoded;
    const kind = isObject(decoded.value) ? str(decoded.value.kind) : null;
    const version = isObject(decoded.value) ? str(decoded.value.apiVersion) : null;
    if (!kind || !version) return fail('Rekor entry body has no kind/apiVersion');
    const logId = hexToBase64(entry.logID, 'Rekor entry logID');
    if (!logId.ok) return logId;
    const logIndex = intString(entry.logIndex, 'Rekor entry logIndex');
    if (!logIndex.ok) return logIndex;
    const integratedTime = intString(entry.integratedTime, 'Rekor entry integratedTime');
    if (!integratedTime.ok) return integratedTime;
    const verification = isObject(entry.verification) ? entry.verification : {};
    const out: JsonObject = {
      logIndex: logIndex.value,
      logId: { keyId: logId.value },
      kindVersion: { kind, version },
      integratedTime: integratedTime.value,
      canonicalizedBody: body,
    };
    const set = str(verification.signedEntryTimestamp);
    if (set) out.inclusionPromise = { signedEntryTimestamp: set };
    const proof = isObject(verification.inclusionProof) ? verification.inclusionProof : null;
    if (proof) {
      const rootHash = hexToBase64(proof.rootHash, 'inclusion proof rootHash');
      const treeSize = intString(proof.treeSize, 'inclusion proof treeSize');
      const proofIndex = intString(proof.logIndex, 'inclusion proof logIndex');
      const hashes: string[] = [];
      for (const h of arr(proof.hashes)) {
        const b = hexToBase64(h, 'inclusion proof hash');
        if (!b.ok) return b;
        hashes.push(b.value);
      }
      if (!rootHash.ok) return rootHash;
      if (!treeSize.ok) return treeSize;
      if (!proofIndex.ok) return proofIndex;
      const checkpoint = str(proof.checkpoint, 64 * 1024);
      out.inclusionProof = {
        logIndex: proofIndex.value,
        rootHash: rootHash.value,
        treeSize: treeSize.value,
        hashes,
        ...(checkpoint ? { checkpoint: { envelope: checkpoint } } : {}),
      };
    }
    if (!out.inclusionPromise && !out.inclusionProof)
      return fail('Rekor entry has neither a signed entry timestamp nor an inclusion proof');
    return ok(out);
  } catch (e) {
    return fail(`unreadable Rekor entry: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * A Rekor API response (`{"<uuid>": entry, …}`), a list of them, or bare entries → bundle tlog
 * entries. Entries that cannot be converted are reported, not thrown.
 */
export function rekorResponseToTlogEntries(response: unknown): { entries: JsonObject[]; errors: string[] } {
  const entries: JsonObject[] = [];
  const errors: string[] = [];
  const visit = (v: unknown) => {
    if (Array.isArray(v)) {
      for (const x of v.slice(0, 64)) visit(x);
      return;
    }
    if (!isObject(v)) {
      errors.push('Rekor response item is not an object');
      return;
    }
    if ('body' in v) {
      const r = rekorEntryToTlogEntry(v);
      if (r.ok) entries.push(r.value);
      else errors.push(r.error);
      return;
    }
    if ('canonicalizedBody' in v) {
      entries.push(v); // already in bundle form
      return;
    }
    for (const value of Object.values(v).slice(0, 64)) {
      const r = rekorEntryToTlogEntry(value);
      if (r.ok) entries.push(r.value);
      else errors.push(r.error);
    }
  };
  try {
    visit(response);
  } catch (e) {
    errors.push(`unreadable Rekor response: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { entries, errors };
}
