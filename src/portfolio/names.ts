/**
 * Repository identity and file names. Repository names come from the platform's API (or a list
 * file) and are hostile input: a name becomes a path only through `safeSegment`, which keeps
 * `[a-z0-9_.-]`, percent-encodes every other byte (so distinct names stay distinct and `/`, `\`,
 * `..`, NUL, control and bidi characters cannot appear), never yields `.`, `..`, a hidden file, a
 * trailing dot or space, or a Windows device name, and bounds the length (a hash keeps it unique).
 * Names are lower-cased first: GitHub and GitLab match them case-insensitively, and so do some
 * file systems.
 *
 * Layout: `repos/<platform>/<host>/<owner…>/<repo>.json`. Owner segments (GitLab groups nest) have
 * their dots encoded as well, so a group directory can never be named like a project's `.json` file
 * beside it.
 */
import { createHash } from 'node:crypto';
import type { RepoRef } from './types.js';

export function repoKey(r: Pick<RepoRef, 'platform' | 'host' | 'repo'>): string {
  return `${r.platform}/${r.host}/${r.repo}`.toLowerCase();
}

/** `host/owner/repo` for people (escaped by each renderer). */
export const displayName = (r: Pick<RepoRef, 'host' | 'repo'>): string => `${r.host}/${r.repo}`;

const WINDOWS_DEVICES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i;
const MAX_SEGMENT = 120;

function encodeByte(b: number): string {
  return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** One path segment from arbitrary text. `keepDots: false` encodes every dot (directories between host and file). */
export function safeSegment(raw: string, opts: { keepDots?: boolean } = {}): string {
  const keepDots = opts.keepDots ?? true;
  const text = raw.normalize('NFC').toLowerCase();
  let out = '';
  for (const b of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(b);
    const plain = (b >= 0x61 && b <= 0x7a) || (b >= 0x30 && b <= 0x39) || c === '_' || c === '-' || (c === '.' && keepDots);
    out += plain ? c : encodeByte(b);
  }
  if (out === '') out = '%00';
  // No hidden files, no `.`/`..`, no trailing dot (Windows drops it).
  if (out.startsWith('.')) out = `%2E${out.slice(1)}`;
  if (out.endsWith('.')) out = `${out.slice(0, -1)}%2E`;
  if (WINDOWS_DEVICES.test(out)) out = `${encodeByte(out.charCodeAt(0))}${out.slice(1)}`;
  if (out.length > MAX_SEGMENT) {
    const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
    out = `${out.slice(0, MAX_SEGMENT - 18).replace(/%[0-9A-F]?$/, '')}~${hash}`;
  }
  return out;
}

/** Path segments of a repository below a kind directory (`repos`, `badges`), without the extension. */
function segments(r: Pick<RepoRef, 'platform' | 'host' | 'repo'>): string[] {
  const parts = r.repo.split('/');
  const name = parts.pop() ?? '';
  return [
    safeSegment(r.platform, { keepDots: false }),
    safeSegment(r.host),
    ...parts.map((p) => safeSegment(p, { keepDots: false })),
    safeSegment(name),
  ];
}

/** `repos/github/github.com/acme/widget.json` (relative to the output directory, `/`-separated). */
export function assessmentPath(r: Pick<RepoRef, 'platform' | 'host' | 'repo'>): string {
  return `repos/${segments(r).join('/')}.json`;
}

/** `badges/github/github.com/acme/widget.svg`. */
export function badgePath(r: Pick<RepoRef, 'platform' | 'host' | 'repo'>): string {
  return `badges/${segments(r).join('/')}.svg`;
}

/** A relative path from the index is used only if it stays inside the output directory's own layout. */
export function isSafeRelative(p: unknown, prefix: 'repos/' | 'badges/'): p is string {
  return (
    typeof p === 'string' && p.startsWith(prefix) && !p.split('/').some((s) => s === '' || s === '.' || s === '..') && !/[\\\0]/.test(p)
  );
}
