/** The streaming .tar.gz reader behind the GitLab source's files: real layouts and hostile ones. */
import { describe, expect, it } from 'vitest';
import { gzipSync } from 'node:zlib';
import { ArchiveError, readArchive } from '../../../src/sources/gitlab/archive.js';
import { tarGz } from '../../fake-gitlab/tar.js';

const SHA = 'a'.repeat(40);

function header(name: string, size: number, type = '0', link = ''): Buffer {
  const h = Buffer.alloc(512, 0);
  h.write(name, 0, 'utf8');
  h.write('0000644\0', 100);
  h.write(`${size.toString(8).padStart(11, '0')}\0`, 124);
  h.write('        ', 148);
  h.write(type, 156);
  h.write(link, 157);
  h.write('ustar\0', 257);
  h.write('00', 263);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
  return h;
}
const pad = (n: number) => Buffer.alloc((512 - (n % 512)) % 512);
const entry = (name: string, body: string | Buffer, type = '0') => {
  const b = Buffer.isBuffer(body) ? body : Buffer.from(body);
  return Buffer.concat([header(name, b.length, type), b, pad(b.length)]);
};
const end = Buffer.alloc(1024);

/** Feeds the archive in small chunks, as a network stream would. */
async function* chunks(b: Buffer, size = 333): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

describe('readArchive', () => {
  it('reads what git archive writes: pax commit header, top directory stripped, long paths, symlinks', async () => {
    const long = `deep/${'x'.repeat(120)}/file.txt`;
    const gz = tarGz(`proj-${SHA}-${SHA}`, SHA, {
      'a.txt': 'hello\n',
      [long]: 'long\n',
      'bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46]),
      ln: { symlink: 'a.txt' },
    });
    const a = await readArchive(chunks(gz));
    expect(a.commit).toBe(SHA);
    expect([...a.entries.keys()].sort()).toEqual(['a.txt', 'bin/tool', 'deep/' + 'x'.repeat(120) + '/file.txt', 'ln']);
    expect(a.entries.get(long)?.data.toString()).toBe('long\n');
    expect(a.entries.get('ln')).toMatchObject({ kind: 'symlink', target: 'a.txt', complete: true });
    expect(a.entries.get('bin/tool')).toMatchObject({ kind: 'file', size: 4, complete: true });
    expect(a.issues).toEqual([]);
  });

  it('GNU long names (type L)', async () => {
    const name = `top/${'n'.repeat(150)}.md`;
    const tar = Buffer.concat([entry('top/', '', '5'), entry('././@LongLink', `${name}\0`, 'L'), entry(name.slice(0, 99), 'x'), end]);
    const a = await readArchive(gzipSync(tar));
    expect([...a.entries.keys()]).toEqual([`${'n'.repeat(150)}.md`]);
  });

  it('refuses paths that leave the tree and entries outside the top directory, with an issue each', async () => {
    const tar = Buffer.concat([
      entry('top/', '', '5'),
      entry('top/../../etc/passwd', 'root'),
      entry('other/x', 'y'),
      entry('top/ok', 'ok'),
      entry('top/dev', '', '3'),
      end,
    ]);
    const a = await readArchive(gzipSync(tar));
    expect([...a.entries.keys()]).toEqual(['ok']);
    expect(a.issues).toEqual([
      'top/../../etc/passwd: a path that leaves the repository, not read',
      "other/x: outside the archive's top directory, not read",
      "dev: tar entry of type '3' (hard link or device) is not read",
    ]);
  });

  it('keeps large files as heads only, and reports them at their real size', async () => {
    const big = Buffer.alloc(300_000, 0x41);
    const a = await readArchive(gzipSync(Buffer.concat([entry('top/', '', '5'), entry('top/big.bin', big), end])), {
      keepFull: 100_000,
      keepHead: 1024,
    });
    expect(a.entries.get('big.bin')).toMatchObject({ size: 300_000, complete: false });
    expect(a.entries.get('big.bin')!.data.length).toBe(1024);
  });

  it('corrupt headers, bad gzip and decompression bombs are errors, never hangs or crashes', async () => {
    const bad = Buffer.concat([entry('top/', '', '5'), entry('top/a', 'x'), end]);
    bad[512 + 148] = 0x39; // checksum digit out of octal range
    await expect(readArchive(gzipSync(bad))).rejects.toThrow(ArchiveError);
    await expect(readArchive(Buffer.from('not gzip at all'))).rejects.toThrow(/not a valid gzip stream/);
    const bomb = gzipSync(Buffer.concat([entry('top/', '', '5'), entry('top/zeros', Buffer.alloc(5_000_000)), end]));
    expect(bomb.length).toBeLessThan(50_000);
    await expect(readArchive(bomb, { maxDecompressed: 1_000_000 })).rejects.toThrow(/larger than 1 MB uncompressed/);
  });

  it('a truncated download is reported, the entries before it kept', async () => {
    const tar = Buffer.concat([entry('top/', '', '5'), entry('top/a', 'complete'), header('top/b', 5000)]);
    const a = await readArchive(gzipSync(Buffer.concat([tar, Buffer.alloc(100)])));
    expect(a.entries.get('a')?.data.toString()).toBe('complete');
    expect(a.issues).toEqual(['the archive ends inside top/b: truncated download']);
  });
});
