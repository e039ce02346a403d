/**
 * The repository at the assessed commit, from ONE request: GitLab's
 * `GET /projects/:id/repository/archive.tar.gz?sha=<commit>`, gunzipped and untarred as it streams
 * in (ustar with pax `x`/`g` and GNU `L`/`K` headers, as `git archive` writes them; the top
 * directory `<project>-<sha>-<sha>/` is stripped).
 *
 * Memory stays bounded: files up to KEEP_FULL bytes are kept whole (every config, script and
 * document a check reads), larger ones keep their head (binary detection reads 1 KiB); past
 * KEEP_TOTAL only heads are kept. Hostile archives — paths leaving the tree, absurd sizes, corrupt
 * headers, decompression bombs — are refused or reported, never followed.
 */
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface ArchiveEntry {
  path: string;
  kind: 'file' | 'symlink';
  size: number;
  /** The whole file when `complete`, else its first bytes. */
  data: Buffer;
  complete: boolean;
  /** Symlink target. */
  target?: string;
}

export interface ArchiveContents {
  entries: Map<string, ArchiveEntry>;
  /** The commit `git archive` recorded (pax global header `comment`). */
  commit?: string;
  issues: string[];
  /** Decompressed bytes read. */
  bytes: number;
}

export interface ArchiveLimits {
  keepFull: number;
  keepHead: number;
  keepTotal: number;
  maxDecompressed: number;
  maxEntries: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = {
  keepFull: 2 * 1024 * 1024,
  keepHead: 64 * 1024,
  keepTotal: 512 * 1024 * 1024,
  maxDecompressed: 4 * 1024 * 1024 * 1024,
  maxEntries: 1_000_000,
};

export class ArchiveError extends Error {}

/** Reads a .tar.gz stream into memory (bounded as described above). */
export async function readArchive(
  gz: AsyncIterable<Uint8Array> | Uint8Array,
  limits: Partial<ArchiveLimits> = {},
): Promise<ArchiveContents> {
  const parser = new TarParser({ ...DEFAULT_ARCHIVE_LIMITS, ...limits });
  const source = gz instanceof Uint8Array ? Readable.from([Buffer.from(gz)]) : Readable.from(gz);
  let failure: unknown;
  try {
    await pipeline(source, createGunzip(), async (chunks: AsyncIterable<Buffer>) => {
      for await (const c of chunks) {
        try {
          parser.push(c);
        } catch (e) {
          failure = e; // the pipeline reports its own abort; ours is the reason
          throw e;
        }
      }
    });
  } catch (err) {
    if (failure) throw failure;
    if (err instanceof ArchiveError) throw err;
    const e = err as NodeJS.ErrnoException;
    if (e.code?.startsWith('Z_') || /incorrect header check|unexpected end of file/i.test(e.message)) {
      throw new ArchiveError(`the repository archive is not a valid gzip stream: ${e.message}`);
    }
    throw err;
  }
  return parser.finish();
}

interface Pending {
  type: string;
  path: string;
  linkname: string;
  size: number;
  remaining: number;
  pad: number;
  keep: number;
  chunks: Buffer[];
  kept: number;
}

class TarParser {
  private readonly entries = new Map<string, ArchiveEntry>();
  private readonly issues: string[] = [];
  private commit?: string;
  private carry: Buffer = Buffer.alloc(0);
  private cur?: Pending;
  private skipPad = 0;
  private bytes = 0;
  private keptTotal = 0;
  private ended = false;
  private paxLocal: Record<string, string> = {};
  private longName?: string;
  private longLink?: string;
  private top?: string;

  constructor(private readonly limits: ArchiveLimits) {}

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.bytes > this.limits.maxDecompressed) {
      throw new ArchiveError(
        `the repository archive is larger than ${Math.round(this.limits.maxDecompressed / 1024 / 1024)} MB uncompressed`,
      );
    }
    if (this.ended) return;
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let off = 0;
    while (off < buf.length && !this.ended) {
      if (this.skipPad > 0) {
        const n = Math.min(this.skipPad, buf.length - off);
        this.skipPad -= n;
        off += n;
        continue;
      }
      if (this.cur) {
        const n = Math.min(this.cur.remaining, buf.length - off);
        this.take(buf.subarray(off, off + n));
        off += n;
        if (this.cur.remaining === 0) {
          this.skipPad = this.cur.pad;
          this.complete(this.cur);
          this.cur = undefined;
        }
        continue;
      }
      if (buf.length - off < 512) break;
      this.header(buf.subarray(off, off + 512));
      off += 512;
    }
    this.carry = off < buf.length ? Buffer.from(buf.subarray(off)) : Buffer.alloc(0);
  }

  finish(): ArchiveContents {
    if (this.cur) this.issues.push(`the archive ends inside ${this.cur.path || 'an entry'}: truncated download`);
    return { entries: this.entries, commit: this.commit, issues: this.issues, bytes: this.bytes };
  }

  private header(h: Buffer): void {
    if (h.every((b) => b === 0)) {
      // Two zero blocks end the archive; one is tolerated.
      return;
    }
    if (!checksumOk(h)) throw new ArchiveError('corrupt tar header in the repository archive');
    const type = h[156] === 0 ? '0' : String.fromCharCode(h[156]);
    let size = parseSize(h.subarray(124, 136));
    if (size < 0) throw new ArchiveError('tar header with an invalid size in the repository archive');
    let name = cstr(h, 0, 100);
    const magic = cstr(h, 257, 6);
    if (magic.startsWith('ustar')) {
      const prefix = cstr(h, 345, 155);
      if (prefix) name = `${prefix}/${name}`;
    }
    let linkname = cstr(h, 157, 100);
    const meta = type === 'x' || type === 'g' || type === 'L' || type === 'K';
    if (!meta) {
      if (this.longName !== undefined) name = this.longName;
      if (this.longLink !== undefined) linkname = this.longLink;
      if (this.paxLocal.path !== undefined) name = this.paxLocal.path;
      if (this.paxLocal.linkpath !== undefined) linkname = this.paxLocal.linkpath;
      if (this.paxLocal.size !== undefined && /^\d+$/.test(this.paxLocal.size)) size = Number(this.paxLocal.size);
      this.longName = this.longLink = undefined;
      this.paxLocal = {};
    }
    const keep = meta ? Math.min(size, 1024 * 1024) : type === '0' || type === '7' ? this.keepFor(size) : 0;
    this.cur = { type, path: name, linkname, size, remaining: size, pad: (512 - (size % 512)) % 512, keep, chunks: [], kept: 0 };
    if (size === 0) {
      this.complete(this.cur);
      this.cur = undefined;
    }
  }

  private keepFor(size: number): number {
    if (size <= this.limits.keepFull && this.keptTotal + size <= this.limits.keepTotal) return size;
    const head = this.keptTotal < this.limits.keepTotal ? this.limits.keepHead : 1024;
    return Math.min(size, head);
  }

  private take(b: Buffer): void {
    const c = this.cur!;
    c.remaining -= b.length;
    if (c.kept < c.keep) {
      const part = b.subarray(0, c.keep - c.kept);
      c.chunks.push(Buffer.from(part));
      c.kept += part.length;
    }
  }

  private complete(c: Pending): void {
    const data = c.chunks.length === 1 ? c.chunks[0] : Buffer.concat(c.chunks);
    switch (c.type) {
      case 'g': {
        const rec = parsePax(data);
        if (rec.comment && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(rec.comment.trim())) this.commit = rec.comment.trim();
        return;
      }
      case 'x':
        this.paxLocal = parsePax(data);
        return;
      case 'L':
        this.longName = data.toString('utf8').replace(/\0+$/, '');
        return;
      case 'K':
        this.longLink = data.toString('utf8').replace(/\0+$/, '');
        return;
      case '5':
        this.relative(c.path); // establishes the top directory
        return;
    }
    const path = this.relative(c.path);
    if (path === undefined) return;
    if (this.entries.size >= this.limits.maxEntries) {
      if (!this.ended) this.issues.push(`stopped reading the archive after ${this.limits.maxEntries} files`);
      this.ended = true;
      return;
    }
    if (c.type === '2') {
      this.entries.set(path, {
        path,
        kind: 'symlink',
        size: Buffer.byteLength(c.linkname),
        data: Buffer.alloc(0),
        complete: true,
        target: c.linkname,
      });
    } else if (c.type === '0' || c.type === '7') {
      this.keptTotal += data.length;
      this.entries.set(path, { path, kind: 'file', size: c.size, data, complete: data.length === c.size });
    } else {
      this.issues.push(`${path}: tar entry of type '${c.type}' (hard link or device) is not read`);
    }
  }

  /** Strips the archive's top directory; undefined (with an issue) for a path that leaves the tree. */
  private relative(raw: string): string | undefined {
    const name = raw.replace(/^\.\//, '').replace(/\/+$/, '');
    const slash = name.indexOf('/');
    const first = slash < 0 ? name : name.slice(0, slash);
    this.top ??= first;
    if (first !== this.top) {
      this.issues.push(`${raw}: outside the archive's top directory, not read`);
      return undefined;
    }
    if (slash < 0) return undefined;
    const rest = name.slice(slash + 1);
    const segs = rest.split('/');
    if (rest === '' || rest.startsWith('/') || segs.some((s) => s === '..' || s === '')) {
      this.issues.push(`${raw}: a path that leaves the repository, not read`);
      return undefined;
    }
    return segs.filter((s) => s !== '.').join('/');
  }
}

function cstr(b: Buffer, off: number, len: number): string {
  const s = b.subarray(off, off + len);
  const nul = s.indexOf(0);
  return (nul < 0 ? s : s.subarray(0, nul)).toString('utf8');
}

/** Octal, or GNU base-256 when the high bit is set. */
function parseSize(b: Buffer): number {
  if (b[0] & 0x80) {
    let n = 0;
    for (let i = 1; i < b.length; i++) n = n * 256 + b[i];
    return n > Number.MAX_SAFE_INTEGER ? -1 : n;
  }
  const s = cstr(b, 0, b.length).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) return -1;
  return parseInt(s, 8);
}

function checksumOk(h: Buffer): boolean {
  const stored = parseSize(h.subarray(148, 156));
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 0x20 : h[i];
  return stored === sum;
}

/** `<len> key=value\n` records. */
function parsePax(b: Buffer): Record<string, string> {
  const out: Record<string, string> = {};
  let off = 0;
  while (off < b.length) {
    const sp = b.indexOf(0x20, off);
    if (sp < 0) break;
    const len = Number(b.subarray(off, sp).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0 || off + len > b.length) break;
    const rec = b.subarray(sp + 1, off + len - 1).toString('utf8');
    const eq = rec.indexOf('=');
    if (eq > 0) out[rec.slice(0, eq)] = rec.slice(eq + 1);
    off += len;
  }
  return out;
}
