/** Reading repository files as text, safely: size limits, binary junk and invalid UTF-8 become issues. */
import type { ParseIssue } from '../model.js';
import type { TextFile } from '../catalog.js';
import type { FactContext } from '../store.js';

/** CI and build files larger than this are not parsed (a 50 MB "workflow" is not a workflow). */
export const MAX_CONFIG_BYTES = 1024 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });
const lossy = new TextDecoder('utf-8');

/** Text of a file, or undefined with an issue saying why it could not be read. */
export async function readText(
  ctx: FactContext,
  path: string,
  maxBytes = MAX_CONFIG_BYTES,
): Promise<TextFile | { path: string; issue: ParseIssue }> {
  const r = await ctx.source.readFile(path, { maxBytes });
  const loc = { path, line: 1, column: 1 };
  if (!r.ok) return { path, issue: { message: `not read: ${r.reason}`, loc } };
  return decode(path, r.data);
}

export function decode(path: string, data: Buffer): TextFile | { path: string; issue: ParseIssue } {
  const loc = { path, line: 1, column: 1 };
  const head = data.subarray(0, 8192);
  if (head.includes(0)) return { path, issue: { message: 'binary content (NUL bytes) where text was expected', loc } };
  const issues: ParseIssue[] = [];
  let text: string;
  try {
    text = utf8.decode(data);
  } catch {
    text = lossy.decode(data);
    const bad = text.indexOf('\uFFFD');
    const line = bad < 0 ? 1 : text.slice(0, bad).split('\n').length;
    issues.push({ message: 'not valid UTF-8 (invalid bytes replaced with U+FFFD)', loc: { path, line, column: 1 } });
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return { path, text, issues };
}

export function isTextFile(x: TextFile | { issue: ParseIssue }): x is TextFile {
  return (x as TextFile).text !== undefined;
}

/** Runs fn over items with at most n in flight. */
export async function pool<T, R>(items: T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) {
        const k = i++;
        out[k] = await fn(items[k]);
      }
    }),
  );
  return out;
}
