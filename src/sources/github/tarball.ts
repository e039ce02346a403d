/**
 * A repository tarball (GitHub's `GET /repos/{o}/{r}/tarball/{sha}`), read into memory: ustar with
 * pax (`x`/`g`) and GNU long-name (`L`/`K`) headers, as `git archive` writes them. The archive's
 * top directory (`owner-repo-sha/`) is stripped. Hostile archives: paths that leave the tree, absurd
 * sizes and decompression bombs are refused, never followed.
 */
import { gunzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  kind: 'file' | 'symlink';
  /** File content (a view into the decompressed archive); for a symlink, its target. */
  data: Buffer;
  size: number;
}

export interface TarContents {
  entries: Map<string, TarEntry>;
  /** The commit `git archive` recorded in the pax global header, when present. */
  commit?: string;
  issues: string[];
}

export class TarError extends Error {}

/** Decompressed size limit: a repository tree larger than this is not read through the tarball. */
export const MAX_TARBALL_BYTES = 512 * 1024 * 1024;

export function readTarball(gz: Uint8Array, maxBytes = MAX_TARBALL_BYTES): TarContents {
  let tar: Buffer;
  try {
    tar = gunzipSync(gz, { maxOutputLength: maxBytes });
  } catch (err) {
    if (err instanceof RangeError || (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new TarError(`the repository archive is larger than ${Math.round(maxBytes / 1024 / 1024)} MB uncompressed`);
    }
    throw new TarError(`the repository archive is not a valid gzip stream: ${(err as Error).message}`);
  }
  return readTar(tar);
}

export function readTar(tar: Buffer): TarContents {
  const entries = new Map<string, TarEntry>();
  const issues: string[] = [];
  let commit: string | undefined;
  let off = 0;
  let paxLocal: Record<string, string> = {};
  let longName: string | undefined;
  let longLink: string | undefined;
  while (off + 512 <= tar.length) {
    const h = tar.subarray(off, off + 512);
    if (h.every((b) => b === 0)) break; // end of archive
    if (!checksumOk(h)) throw new TarError(`corrupt tar header at byte ${off}`);
    const type = String.fromCharCode(h[156] || 0x30);
    const size = octal(h.subarray(124, 136));
    if (size < 0 || off + 512 + size > tar.length) throw new TarError(`truncated tar entry at byte ${off}`);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'g' || type === 'x') {
      const rec = parsePax(body);
      if (type === 'g') {
        if (rec.comment && /^[0-9a-f]{40,64}$/.test(rec.comment)) commit = rec.comment;
      } else paxLocal = rec;
      continue;
    }
    if (type === 'L') {
      longName = cstr(body);
      continue;
    }
    if (type === 'K') {
      longLink = cstr(body);
      continue;
    }
    const ustarPrefix = h.subarray(257, 262).toString('latin1') === 'ustar' ? cstr(h.subarray(345, 500)) : '';
    let name = paxLocal.path ?? longName ?? (ustarPrefix ? `${ustarPrefix}/${cstr(h.subarray(0, 100))}` : cstr(h.subarray(0, 100)));
    const linkName = paxLocal.linkpath ?? longLink ?? cstr(h.subarray(157, 257));
    paxLocal = {};
    longName = undefined;
    longLink = undefined;
    // Strip the archive's top directory ("owner-repo-abc1234/").
    const slash = name.indexOf('/');
    name = slash < 0 ? '' : name.slice(slash + 1);
    if (name.endsWith('/')) name = name.slice(0, -1);
    if (!name || type === '5') continue; // the top directory itself, or a directory
    if (!safePath(name)) {
      issues.push(`archive entry with an unsafe path skipped: ${JSON.stringify(name.slice(0, 200))}`);
      continue;
    }
    if (type === '0' || type === '\0' || type === '7') entries.set(name, { path: name, kind: 'file', data: body, size });
    else if (type === '2') {
      const target = Buffer.from(linkName, 'utf8');
      entries.set(name, { path: name, kind: 'symlink', data: target, size: target.length });
    }
    // Hard links, devices and FIFOs do not occur in git archives; they are ignored.
  }
  return { entries, commit, issues };
}

function checksumOk(h: Buffer): boolean {
  const want = octal(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return want === sum;
}

function octal(b: Buffer): number {
  // GNU base-256 for sizes over 8 GB: never valid here.
  if (b[0] & 0x80) return -1;
  const s = cstr(b).trim();
  return s === '' ? 0 : parseInt(s, 8);
}

function cstr(b: Buffer): string {
  const nul = b.indexOf(0);
  return b.subarray(0, nul < 0 ? b.length : nul).toString('utf8');
}

function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  while (i < b.length) {
    const sp = b.indexOf(0x20, i);
    if (sp < 0) break;
    const len = parseInt(b.subarray(i, sp).toString('latin1'), 10);
    if (!Number.isFinite(len) || len <= 0 || i + len > b.length) break;
    const rec = b.subarray(sp + 1, i + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    i += len;
  }
  return out;
}

function safePath(p: string): boolean {
  if (p.startsWith('/') || p.includes('\0')) return false;
  return !p.split('/').some((seg) => seg === '..' || seg === '.' || seg === '');
}
