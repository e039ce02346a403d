/**
 * YAML with positions: one parser (`yaml`) gives both the values and, through its LineCounter,
 * file:line:col for every node — and the same CST later serves format-preserving fixes.
 * Hostile input is bounded: alias expansion is capped and errors become ParseIssues.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseAllDocuments, type Document, type Node, type Pair } from 'yaml';
import type { Location, ParseIssue } from '../facts/model.js';

export type YNode = Node;

export interface YamlFile {
  path: string;
  text: string;
  /** The first document that has content (GitLab's `spec:` header documents are skipped by callers). */
  docs: Document.Parsed[];
  lines: LineCounter;
  issues: ParseIssue[];
}

/** Aliases allowed per document: enough for real CI files (GitLab ones use dozens), not for a billion laughs. */
const MAX_ALIASES = 1000;

export function parseYaml(path: string, text: string): YamlFile {
  const lines = new LineCounter();
  const issues: ParseIssue[] = [];
  let docs: Document.Parsed[] = [];
  try {
    docs = parseAllDocuments(text, {
      lineCounter: lines,
      merge: true,
      uniqueKeys: false,
      prettyErrors: false,
      strict: false,
    }) as Document.Parsed[];
    if (!Array.isArray(docs)) docs = []; // an EmptyStream
  } catch (err) {
    issues.push({ message: `YAML could not be parsed: ${(err as Error).message}`, loc: { path, line: 1, column: 1 } });
  }
  const file: YamlFile = { path, text, docs, lines, issues };
  for (const doc of docs) {
    for (const e of doc.errors) {
      const pos = e.linePos?.[0];
      issues.push({
        message: `invalid YAML: ${firstLine(e.message)}`,
        loc: { path, line: pos?.line ?? 1, column: pos?.col ?? 1 },
      });
    }
  }
  return file;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}

/** The location of a node (1-based), or of the file start when the node has no range. */
export function locOf(file: YamlFile, node: YNode | null | undefined): Location {
  const range = node?.range;
  if (!range) return { path: file.path, line: 1, column: 1 };
  const a = file.lines.linePos(range[0]);
  const b = file.lines.linePos(range[1]);
  return { path: file.path, line: a.line, column: a.col, endLine: b.line, endColumn: b.col };
}

/** Location of an offset inside the file text. */
export function locAt(file: YamlFile, offset: number): Location {
  const p = file.lines.linePos(offset);
  return { path: file.path, line: p.line, column: p.col };
}

/** yaml's Alias.resolve walks the whole document each call; alias bombs make that quadratic. */
const resolved = new WeakMap<object, YNode | null>();

/** Follows aliases (bounded: an alias cycle resolves to undefined). */
export function deref(doc: Document.Parsed, node: unknown, depth = 0): YNode | undefined {
  if (depth > 50) return undefined;
  if (isAlias(node)) {
    let target = resolved.get(node);
    if (target === undefined) {
      target = (node.resolve(doc) as YNode | undefined) ?? null;
      resolved.set(node, target);
    }
    return target === null ? undefined : deref(doc, target, depth + 1);
  }
  return (node ?? undefined) as YNode | undefined;
}

function isMergeKey(key: unknown): boolean {
  if (!isScalar(key)) return false;
  const v = key.value;
  return v === '<<' || (typeof v === 'symbol' && v.description === '<<');
}

type Entry = { key: string; keyNode: YNode; value: YNode | undefined };
const entryCache = new WeakMap<object, Entry[]>();

/** A map's own pairs plus those merged in with `<<:` (own keys win). Memoized per map node. */
export function entries(doc: Document.Parsed, node: unknown): Entry[] {
  const start = deref(doc, node);
  if (!isMap(start)) return [];
  const cached = entryCache.get(start);
  if (cached) return cached;
  const out: Entry[] = [];
  entryCache.set(start, out);
  const seen = new Set<string>();
  let budget = 1_000; // merge-key bombs (`<<: [*a, *a]` nested) must not explode
  const visit = (n: unknown, depth: number) => {
    const m = deref(doc, n);
    if (!isMap(m) || depth > 20 || --budget < 0) return;
    const merges: unknown[] = [];
    for (const pair of m.items as Pair[]) {
      if (isMergeKey(pair.key)) {
        const src = deref(doc, pair.value);
        if (isSeq(src)) merges.push(...src.items);
        else merges.push(src);
        continue;
      }
      const key = scalarString(doc, pair.key);
      if (key === undefined || seen.has(key)) continue;
      seen.add(key);
      out.push({ key, keyNode: pair.key as YNode, value: deref(doc, pair.value) });
    }
    for (const src of merges) visit(src, depth + 1);
  };
  visit(start, 0);
  return out;
}

export function get(doc: Document.Parsed, node: unknown, key: string): YNode | undefined {
  for (const e of entries(doc, node)) if (e.key === key) return e.value;
  return undefined;
}

export function getEntry(doc: Document.Parsed, node: unknown, key: string) {
  for (const e of entries(doc, node)) if (e.key === key) return e;
  return undefined;
}

export function scalarString(doc: Document.Parsed, node: unknown): string | undefined {
  const n = deref(doc, node);
  if (!isScalar(n)) return undefined;
  const v = n.value;
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'symbol') return v.description;
  return String(v);
}

export function items(doc: Document.Parsed, node: unknown): YNode[] {
  const n = deref(doc, node);
  if (!isSeq(n)) return [];
  return n.items.map((i) => deref(doc, i)).filter((i): i is YNode => i !== undefined);
}

/** A string or a list of strings (flattening nested lists, as GitLab does for `script:`), bounded against alias bombs. */
export function stringList(doc: Document.Parsed, node: unknown, limit = 10_000): Array<{ value: string; node: YNode }> {
  const out: Array<{ value: string; node: YNode }> = [];
  let budget = limit;
  const visit = (n0: unknown, depth: number) => {
    const n = deref(doc, n0);
    if (n === undefined || depth > 10 || --budget < 0) return;
    if (isSeq(n)) {
      for (const i of n.items) visit(i, depth + 1);
      return;
    }
    const s = scalarString(doc, n);
    if (s !== undefined) out.push({ value: s, node: n });
  };
  visit(node, 0);
  return out;
}

/** Plain JS value of a node, for small sub-trees (triggers, rules); aliases are bounded by MAX_ALIASES. */
export function toJS(doc: Document.Parsed, node: unknown): unknown {
  const n = deref(doc, node);
  if (n === undefined) return undefined;
  try {
    return (n as { toJS(doc: Document.Parsed, opts?: object): unknown }).toJS(doc, { maxAliasCount: MAX_ALIASES });
  } catch {
    return undefined;
  }
}

export { isMap, isScalar, isSeq };

/**
 * Positions inside a scalar's value (e.g. a line of a `run: |` block). Finds the value's lines in the
 * source text so block scalars, their indentation and quoted one-liners all map back correctly.
 */
export function scalarLineLocator(file: YamlFile, node: YNode): (valueLine: number, valueColumn: number) => Location {
  const start = node.range?.[0] ?? 0;
  const end = node.range?.[1] ?? start;
  const base = file.lines.linePos(start);
  const raw = file.text.slice(start, end);
  const isBlock = /^[|>]/.test(raw);
  const srcLines = raw.split('\n');
  // YAML fixes a block's indentation by its first non-empty line; deeper lines keep the rest in the value.
  const firstContent = srcLines.slice(1).find((l) => l.trim() !== '') ?? '';
  const blockIndent = firstContent.length - firstContent.trimStart().length;
  return (valueLine, valueColumn) => {
    if (!isBlock) {
      // Quoted or plain scalar: lines of the value are the source lines (folding aside).
      const line = base.line + Math.min(valueLine, srcLines.length - 1);
      const column = valueLine === 0 ? base.col + valueColumn + (/^["']/.test(raw) ? 1 : 0) : valueColumn + 1;
      return { path: file.path, line, column };
    }
    // Block scalar: the header is on the first line; content line i is source line i + 1.
    const srcIdx = Math.min(valueLine + 1, Math.max(srcLines.length - 1, 0));
    return { path: file.path, line: base.line + srcIdx, column: blockIndent + valueColumn + 1 };
  };
}
