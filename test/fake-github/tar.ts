/** A tar.gz as `git archive` (GitHub's tarball endpoint) writes it: pax global header with the commit, a top directory, ustar entries. */
import { gzipSync } from 'node:zlib';

export type TreeFile = string | Buffer | { symlink: string };

function header(name: string, size: number, type: string, linkname = '', mode = 0o644): Buffer {
  const h = Buffer.alloc(512);
  let prefix = '';
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    // ustar split at a slash: prefix (≤155) / name (≤100); callers use pax for anything longer.
    const cut = name.lastIndexOf('/', name.length - 1);
    prefix = name.slice(0, cut);
    base = name.slice(cut + 1);
  }
  h.write(base, 0, 100, 'utf8');
  h.write(mode.toString(8).padStart(7, '0'), 100, 'latin1');
  h.write('0000000', 108, 'latin1');
  h.write('0000000', 116, 'latin1');
  h.write(size.toString(8).padStart(11, '0'), 124, 'latin1');
  h.write('14707041000'.padStart(11, '0'), 136, 'latin1');
  h.write('        ', 148, 'latin1');
  h.write(type, 156, 'latin1');
  h.write(linkname, 157, 100, 'utf8');
  h.write('ustar\0', 257, 'latin1');
  h.write('00', 263, 'latin1');
  h.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function pad(b: Buffer): Buffer {
  const r = b.length % 512;
  return r === 0 ? b : Buffer.concat([b, Buffer.alloc(512 - r)]);
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  const bl = Buffer.byteLength(body);
  let len = bl + String(bl).length;
  if (String(len).length !== String(bl).length) len = bl + String(len).length;
  return `${len}${body}`;
}

export function makeTarball(prefix: string, commit: string, files: Record<string, TreeFile>): Buffer {
  const parts: Buffer[] = [];
  const g = Buffer.from(paxRecord('comment', commit));
  parts.push(header('pax_global_header', g.length, 'g'), pad(g));
  parts.push(header(`${prefix}/`, 0, '5', '', 0o755));
  const dirs = new Set<string>();
  for (const path of Object.keys(files).sort()) {
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = segs.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        parts.push(header(`${prefix}/${d}/`, 0, '5', '', 0o755));
      }
    }
    const f = files[path];
    const full = `${prefix}/${path}`;
    const needsPax =
      Buffer.byteLength(full) > 100 && (full.lastIndexOf('/') > 155 || Buffer.byteLength(full.slice(full.lastIndexOf('/') + 1)) > 100);
    if (needsPax) {
      const x = Buffer.from(paxRecord('path', full));
      parts.push(header('pax_header', x.length, 'x'), pad(x));
    }
    const name = needsPax ? 'long-name' : full;
    if (typeof f === 'object' && !Buffer.isBuffer(f)) parts.push(header(name, 0, '2', f.symlink, 0o777));
    else {
      const data = Buffer.isBuffer(f) ? f : Buffer.from(f, 'utf8');
      parts.push(header(name, data.length, '0'), pad(data));
    }
  }
  parts.push(Buffer.alloc(1024));
  return gzipSync(Buffer.concat(parts));
}
