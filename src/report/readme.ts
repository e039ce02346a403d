/**
 * The README snippet printed (on stderr) after writing a badge: an image link to the SVG, or the
 * shields.io endpoint URL for the JSON — with the raw-file URL filled in when the file lies in the
 * assessed checkout of a known GitHub/GitLab repository, else a placeholder to replace.
 */
import { isAbsolute, relative, sep } from 'node:path';
import type { Assessment } from '../assessment.js';
import { encodePath } from './view.js';

export interface SnippetInput {
  format: 'badge' | 'shields';
  /** Absolute path of the written file (undefined: standard output). */
  file?: string;
  /** The file name as the user gave it. */
  given?: string;
}

/** Path of `file` inside the assessed checkout, with forward slashes (undefined when outside it). */
function repoRelative(a: Assessment, file: string | undefined): string | undefined {
  if (!file || !a.target.path) return undefined;
  const rel = relative(a.target.path, file);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return rel.split(sep).join('/');
}

/** Where the platform serves the raw file from the default branch. */
export function rawUrl(a: Assessment, rel: string): string | undefined {
  const t = a.target;
  if (!t.host || !t.repo || !t.branch) return undefined;
  if (!/^[\w.-]+(:\d+)?$/.test(t.host) || !/^[\w.-]+(\/[\w.-]+)+$/.test(t.repo) || !/^[\w./-]+$/.test(t.branch) || t.branch.includes('..'))
    return undefined;
  const path = encodePath(rel);
  if (t.platform === 'github') {
    return t.host === 'github.com'
      ? `https://raw.githubusercontent.com/${t.repo}/${t.branch}/${path}`
      : `https://${t.host}/${t.repo}/raw/${t.branch}/${path}`;
  }
  if (t.platform === 'gitlab') return `https://${t.host}/${t.repo}/-/raw/${t.branch}/${path}`;
  return undefined;
}

export function readmeSnippet(a: Assessment, s: SnippetInput): string {
  const name = a.tool.name;
  const rel = repoRelative(a, s.file);
  if (s.format === 'badge') {
    const where = rel ?? s.given ?? 'path/to/badge.svg';
    const link = /[\s()<>]/.test(where) ? `<${where}>` : where;
    return [
      `${name}: ${s.file ? `badge written to ${s.given ?? s.file}` : 'badge written to standard output'}. For your README:`,
      `  ![${name}](${link})`,
      '',
    ].join('\n');
  }
  const hosted = rel ? rawUrl(a, rel) : undefined;
  const url = hosted ? encodeURIComponent(hosted) : '<URL-encoded public URL of the JSON file>';
  return [
    `${name}: shields.io endpoint ${s.file ? `written to ${s.given ?? s.file}` : 'written to standard output'}. Publish it at a public URL, then in your README:`,
    `  ![${name}](https://img.shields.io/endpoint?url=${url})`,
    ...(hosted ? [`  (assumes it is committed at ${rel} on ${a.target.branch})`] : []),
    '',
  ].join('\n');
}
