/**
 * On-disk ETag cache for REST GETs: `<cacheDir>/github/<token id>/<xx>/<sha256(url, accept)>.json`.
 * ETags are per token, so entries are partitioned by a hash of the token (never the token itself).
 * A 304 answers from here and, when authorized, does not count against GitHub's primary rate limit.
 * Writes are atomic (temporary file + rename): a concurrent or interrupted run never reads half an entry.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export interface CachedResponse {
  etag: string;
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** Headers worth keeping with a cached body. */
const KEEP = ['content-type', 'link', 'etag', 'last-modified', 'x-oauth-scopes', 'x-accepted-github-permissions'];

/** Bodies larger than this are not cached (a huge listing is cheaper to refetch than to keep). */
const MAX_BODY = 8 * 1024 * 1024;

export class EtagCache {
  private readonly dir: string;

  constructor(cacheDir: string, token: string | undefined, host: string) {
    const id = token ? createHash('sha256').update(`slsa-scorecard\0${token}`).digest('hex').slice(0, 20) : 'anonymous';
    this.dir = join(cacheDir, 'github', safe(host), id);
  }

  private file(url: string, accept: string): string {
    const k = createHash('sha256').update(`${url}\0${accept}`).digest('hex');
    return join(this.dir, k.slice(0, 2), `${k}.json`);
  }

  async get(url: string, accept: string): Promise<CachedResponse | undefined> {
    try {
      const v = JSON.parse(await readFile(this.file(url, accept), 'utf8')) as CachedResponse;
      return typeof v?.etag === 'string' && typeof v.body === 'string' && typeof v.status === 'number' ? v : undefined;
    } catch {
      return undefined;
    }
  }

  async put(url: string, accept: string, status: number, headers: Headers, body: string): Promise<void> {
    const etag = headers.get('etag');
    if (!etag || body.length > MAX_BODY) return;
    const kept: Record<string, string> = {};
    for (const k of KEEP) {
      const v = headers.get(k);
      if (v !== null) kept[k] = v;
    }
    const path = this.file(url, accept);
    const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    try {
      await mkdir(join(path, '..'), { recursive: true });
      await writeFile(tmp, JSON.stringify({ etag, status, headers: kept, body } satisfies CachedResponse));
      await rename(tmp, path);
    } catch {
      // A cache that cannot be written is no cache: never a failure of the run.
      await unlink(tmp).catch(() => undefined);
    }
  }
}

function safe(host: string): string {
  return host.replace(/[^A-Za-z0-9.-]/g, '_') || 'default';
}
