/**
 * One pass over the head of every file finds binaries (by magic number, or a binary extension on
 * non-text content — Scorecard's rule) and shell scripts (by extension or shebang).
 */
import { known, type Fact } from '../fact.js';
import type { BinaryFile } from '../model.js';
import type { TextFile } from '../catalog.js';
import type { FactContext } from '../store.js';
import { isShellScript } from '../../parsers/shell.js';
import { decode, isTextFile, pool } from './files.js';

const HEAD_BYTES = 1024;
const MAX_SCRIPT_BYTES = 1024 * 1024;

/** Scorecard's binary extensions (checks/raw/binary_artifact.go). */
export const BINARY_EXTENSIONS = new Set([
  'crx',
  'deb',
  'dex',
  'dey',
  'elf',
  'o',
  'a',
  'so',
  'macho',
  'iso',
  'class',
  'jar',
  'bundle',
  'dylib',
  'lib',
  'msi',
  'dll',
  'drv',
  'efi',
  'exe',
  'ocx',
  'pyc',
  'pyo',
  'par',
  'rpm',
  'wasm',
  'whl',
]);

/** First bytes of the magic numbers below. */
const MAGIC_FIRST_BYTES = new Set([0x7f, 0xfe, 0xce, 0xcf, 0xca, 0x4d, 0x00, 0x64, 0x43, 0xed, 0x21, 0x4c]);

/** Executable/compiled formats by magic number (the binary subset of h2non/filetype's matchers). */
export function magicType(b: Buffer): string | undefined {
  if (b.length === 0 || !MAGIC_FIRST_BYTES.has(b[0])) return undefined; // most files: one lookup, not a dozen comparisons
  const at = (off: number, ...bytes: number[]) => bytes.every((x, i) => b[off + i] === x);
  if (at(0, 0x7f, 0x45, 0x4c, 0x46)) return 'elf';
  if (at(0, 0xfe, 0xed, 0xfa, 0xce) || at(0, 0xfe, 0xed, 0xfa, 0xcf) || at(0, 0xce, 0xfa, 0xed, 0xfe) || at(0, 0xcf, 0xfa, 0xed, 0xfe))
    return 'macho';
  if (at(0, 0xca, 0xfe, 0xba, 0xbe)) return b[7] !== undefined && b[7] >= 0x2d ? 'class' : 'macho'; // Java class vs Mach-O fat binary
  if (at(0, 0x4d, 0x5a)) return 'exe';
  if (at(0, 0x00, 0x61, 0x73, 0x6d)) return 'wasm';
  if (at(0, 0x64, 0x65, 0x78, 0x0a)) return 'dex';
  if (at(0, 0x64, 0x65, 0x79, 0x0a)) return 'dey';
  if (at(0, 0x43, 0x72, 0x32, 0x34)) return 'crx';
  if (at(0, 0xed, 0xab, 0xee, 0xdb)) return 'rpm';
  if (at(0, 0x21, 0x3c, 0x61, 0x72, 0x63, 0x68, 0x3e, 0x0a, 0x64, 0x65, 0x62, 0x69, 0x61, 0x6e, 0x2d, 0x62, 0x69, 0x6e, 0x61, 0x72, 0x79))
    return 'deb';
  if (at(0, 0x4c, 0x00, 0x00, 0x00, 0x01, 0x14, 0x02, 0x00)) return 'lnk';
  return undefined;
}

/** Scorecard's isText: every rune printable or tab/newline/CR. */
export function looksText(b: Buffer): boolean {
  const s = b.toString('utf8');
  for (const ch of s) {
    if (ch === '\t' || ch === '\n' || ch === '\r') continue;
    const c = ch.codePointAt(0)!;
    if (c === 0xfffd || c < 0x20 || (c >= 0x7f && c < 0xa0)) return false;
  }
  return true;
}

function firstLine(head: Buffer): string {
  const nl = head.indexOf(0x0a);
  return head.toString('utf8', 0, nl < 0 ? head.length : nl);
}

interface HeadScan {
  binaries: BinaryFile[];
  scripts: string[];
}

const scans = new WeakMap<FactContext, Promise<Fact<HeadScan>>>();

function scan(ctx: FactContext): Promise<Fact<HeadScan>> {
  let p = scans.get(ctx);
  if (!p) {
    p = (async () => {
      const files = await ctx.get('files');
      if (!files.known) return files;
      const out: HeadScan = { binaries: [], scripts: [] };
      const regular = files.value.filter((f) => f.kind === 'file');
      await pool(regular, 32, async (f) => {
        const r = await ctx.source.readFile(f.path, { maxBytes: HEAD_BYTES, head: true });
        if (!r.ok) return;
        const head = r.data;
        if (head.length === 0) return;
        const ext = f.path.slice(f.path.lastIndexOf('.') + 1).toLowerCase();
        const magic = magicType(head);
        if (magic && magic !== 'lnk') out.binaries.push({ path: f.path, type: magic });
        else if (f.path.includes('.') && BINARY_EXTENSIONS.has(ext) && !looksText(head)) out.binaries.push({ path: f.path, type: ext });
        // Only the first line (the shebang) matters: decode that, not the whole head of 50,000 files.
        else if (isShellScript(f.path, firstLine(head))) out.scripts.push(f.path);
      });
      out.binaries.sort((a, b) => (a.path < b.path ? -1 : 1));
      out.scripts.sort();
      return known(out);
    })();
    scans.set(ctx, p);
  }
  return p;
}

export async function binaries(ctx: FactContext): Promise<Fact<BinaryFile[]>> {
  const s = await scan(ctx);
  return s.known ? known(s.value.binaries) : s;
}

export async function shellScripts(ctx: FactContext): Promise<Fact<TextFile[]>> {
  const s = await scan(ctx);
  if (!s.known) return s;
  const texts = await pool(s.value.scripts, 16, async (path): Promise<TextFile> => {
    const r = await ctx.source.readFile(path, { maxBytes: MAX_SCRIPT_BYTES });
    if (!r.ok) return { path, text: '', issues: [{ message: `not read: ${r.reason}`, loc: { path, line: 1, column: 1 } }] };
    const t = decode(path, r.data);
    return isTextFile(t) ? t : { path, text: '', issues: [t.issue] };
  });
  return known(texts);
}
