/**
 * Defensive decoding: bytes → text, text → JSON, base64 → bytes, and small accessors for untrusted
 * JSON values. Every function returns a result instead of throwing.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: string };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(error: string): Result<T> => ({ ok: false, error });

export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string field, or null when absent / not a string / empty. Over-long strings are cut. */
export function str(v: unknown, maxChars = 8 * 1024): string | null {
  if (typeof v !== 'string' || v.length === 0) return null;
  return v.length > maxChars ? v.slice(0, maxChars) : v;
}

export function obj(v: unknown): JsonObject | null {
  return isObject(v) ? v : null;
}

export function arr(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

/** Reads `a.b.c` from nested objects. */
export function path(v: unknown, ...keys: string[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (!isObject(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** Bytes or a string → text, refusing what is too large or not UTF-8. */
export function toText(input: string | Uint8Array, maxBytes: number, what = 'input'): Result<string> {
  if (typeof input === 'string') {
    // A JS string is at most 3 UTF-8 bytes per UTF-16 unit; measure exactly only when it matters.
    if (input.length > maxBytes || (input.length * 3 > maxBytes && Buffer.byteLength(input, 'utf8') > maxBytes)) {
      return fail(`${what} is larger than the ${formatBytes(maxBytes)} limit`);
    }
    return ok(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
  }
  if (!(input instanceof Uint8Array)) return fail(`${what} is neither text nor bytes`);
  if (input.byteLength > maxBytes) return fail(`${what} is ${formatBytes(input.byteLength)}, over the ${formatBytes(maxBytes)} limit`);
  try {
    return ok(utf8.decode(input));
  } catch {
    return fail(`${what} is not UTF-8 text (binary data?)`);
  }
}

/** JSON.parse that returns an error instead of throwing. */
export function parseJson(text: string, what = 'input'): Result<unknown> {
  try {
    return ok(JSON.parse(text) as unknown);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return fail(`${what} is not valid JSON (${msg.slice(0, 200)})`);
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]*={0,2}$/;

/**
 * Strict base64 (standard or URL-safe alphabet, as DSSE allows). Node's own decoder silently skips
 * invalid characters, which would let a tampered envelope decode to the signed bytes; here any
 * character outside the alphabet, or a wrong length, is an error.
 */
export function decodeBase64(s: unknown, maxBytes: number, what: string): Result<Buffer> {
  if (typeof s !== 'string') return fail(`${what} is missing or not a string`);
  const t = s.replace(/[\r\n]/g, '');
  if (Math.floor((t.length * 3) / 4) > maxBytes) return fail(`${what} decodes to more than the ${formatBytes(maxBytes)} limit`);
  const std = BASE64.test(t);
  if (!std && !BASE64URL.test(t)) return fail(`${what} is not base64`);
  const unpadded = t.replace(/=+$/, '');
  if (unpadded.length % 4 === 1) return fail(`${what} is not base64 (bad length)`);
  if (t.includes('=') && t.length % 4 !== 0) return fail(`${what} is not base64 (bad padding)`);
  return ok(Buffer.from(t, std ? 'base64' : 'base64url'));
}

/** Lowercase hex? */
export function isHex(s: string): boolean {
  return /^[0-9a-fA-F]+$/.test(s);
}
