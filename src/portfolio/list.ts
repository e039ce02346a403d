/**
 * `--list FILE`: one repository per line, any platform or host (`owner/repo`, `github.com/o/r`,
 * `gitlab.com/group/sub/project`, https URLs, GHES / self-managed hosts); blank lines and `#`
 * comments (whole-line or trailing after whitespace) are ignored. Every bad line is reported at once,
 * with its line number, before anything runs.
 */
import { readFile } from 'node:fs/promises';
import { parseRemote, TargetError, type TargetOptions } from '../target.js';
import type { RepoRef } from './types.js';

export class ListError extends Error {}

const MAX_LIST_BYTES = 64 * 1024 * 1024;

export function parseList(text: string, opts: TargetOptions, file = 'list'): RepoRef[] {
  const out: RepoRef[] = [];
  const problems: string[] = [];
  const lines = text.replace(/^\ufeff/, '').split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line) return;
    try {
      const t = parseRemote(line, opts);
      if (!t) throw new TargetError(`"${line.slice(0, 200)}" is not a repository (owner/repo, host/path or a URL)`);
      out.push({ platform: t.platform, host: t.host, repo: t.repo, url: t.url });
    } catch (err) {
      problems.push(`${file}:${i + 1}: ${(err as Error).message}`);
    }
  });
  if (problems.length) {
    const shown = problems.slice(0, 20);
    throw new ListError(`${shown.join('\n')}${problems.length > shown.length ? `\n… and ${problems.length - shown.length} more` : ''}`);
  }
  return out;
}

export async function readList(path: string, opts: TargetOptions): Promise<RepoRef[]> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (err) {
    throw new ListError(`--list ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  if (buf.length > MAX_LIST_BYTES) throw new ListError(`--list ${path}: larger than ${MAX_LIST_BYTES / 1024 / 1024} MB`);
  if (buf.includes(0)) throw new ListError(`--list ${path}: not a text file`);
  return parseList(buf.toString('utf8'), opts, path);
}
