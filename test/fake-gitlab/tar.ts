/**
 * A `.tar.gz` as GitLab's archive endpoint serves it (`git archive` output): a pax global header
 * carrying the commit id, then every file under `<project>-<ref>-<sha>/`, long paths through pax
 * `x` headers, symlinks as type 2.
 */
import { gzipSync } from 'node:zlib';

export type TreeFile = string | Buffer | { symlink: string };

function header(name: string, size: number, type: string, linkname = ''): Buffer {
  const h = Buffer.alloc(512, 0);
  h.write(name.slice(0, 100), 0, 'utf8');
  h.write(type === '5' ? '0000755\0' : '0000644\0', 100, 'ascii');
  h.write('0000000\0', 108, 'ascii');
  h.write('0000000\0', 116, 'ascii');
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124, 'ascii');
  h.write(
    `${Math.floor(Date.UTC(2026, 0, 1) / 1000)
      .toString(8)
      .padStart(11, '0')}\0`,
    136,
    'ascii',
  );
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write(linkname.slice(0, 100), 157, 'utf8');
  h.write('ustar\0', 257, 'ascii');
  h.write('00', 263, 'ascii');
  h.write('git', 265, 'ascii');
  h.write('git', 297, 'ascii');
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += h[i];
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

function pad(n: number): Buffer {
  return Buffer.alloc((512 - (n % 512)) % 512, 0);
}

function pax(records: Record<string, string>): Buffer {
  let out = '';
  for (const [k, v] of Object.entries(records)) {
    const body = ` ${k}=${v}\n`;
    let len = Buffer.byteLength(body) + 1;
    while (String(len).length + Buffer.byteLength(body) !== len) len = String(len).length + Buffer.byteLength(body);
    out += `${len}${body}`;
  }
  return Buffer.from(out, 'utf8');
}

export function tarGz(top: string, commit: string, files: Record<string, TreeFile>): Buffer {
  const parts: Buffer[] = [];
  const g = pax({ comment: commit });
  parts.push(header('pax_global_header', g.length, 'g'), g, pad(g.length));
  parts.push(header(`${top}/`, 0, '5'));
  const dirs = new Set<string>();
  for (const path of Object.keys(files).sort()) {
    const segs = path.split('/');
    for (let i = 1; i < segs.length; i++) {
      const d = segs.slice(0, i).join('/');
      if (!dirs.has(d)) {
        dirs.add(d);
        parts.push(header(`${top}/${d}/`, 0, '5'));
      }
    }
    const f = files[path];
    const name = `${top}/${path}`;
    if (Buffer.byteLength(name) > 100) {
      const x = pax({ path: name });
      parts.push(header('PaxHeader', x.length, 'x'), x, pad(x.length));
    }
    if (typeof f === 'object' && !Buffer.isBuffer(f)) {
      parts.push(header(name, 0, '2', f.symlink));
    } else {
      const data = Buffer.isBuffer(f) ? f : Buffer.from(f, 'utf8');
      parts.push(header(name, data.length, '0'), data, pad(data.length));
    }
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}
