/**
 * The assessed tree, at the assessed commit. Default: the repository archive — ONE request for the
 * listing and every read (Binary-Artifacts reads the head of every file, so per-file reads would
 * cost one request per file). Fallback (the archive refused, too large, or `fileMode: 'api'`): the
 * recursive tree (keyset pagination, 100 entries a page) plus `repository/files/:path/raw` per read.
 */
import { known, unknown, type Fact } from '../../facts/fact.js';
import type { FileEntry } from '../../facts/model.js';
import type { Diagnostic, FileRead } from '../source.js';
import { ArchiveError, readArchive, type ArchiveEntry } from './archive.js';
import type { Access } from './access.js';
import type { Gitbeaker } from './client.js';
import { GitLabHttpError, type GitLabHttp } from './http.js';

export const DEFAULT_MAX_READ = 1024 * 1024;
/** The archive can take a while to start streaming on a large repository. */
const ARCHIVE_START_TIMEOUT_MS = 120_000;
const MAX_TREE_PAGES = 500;

export type FileMode = 'archive' | 'api';

interface Tree {
  entries: FileEntry[];
  archive?: Map<string, ArchiveEntry>;
  /** API mode: paths that are symlinks / regular files. */
  kinds?: Map<string, 'file' | 'symlink'>;
}

export class GitLabFiles {
  private tree?: Promise<Fact<Tree>>;
  private readonly reads = new Map<string, Promise<FileRead>>();
  /** API mode: files read whole. */
  private readonly whole = new Map<string, Buffer>();

  constructor(
    private readonly http: GitLabHttp,
    private readonly gb: Gitbeaker,
    private readonly projectId: number,
    private readonly commit: () => Promise<Fact<string>>,
    private readonly access: Access,
    private readonly diagnostics: Diagnostic[],
    private readonly mode: FileMode = 'archive',
    private readonly timeoutMs = 30_000,
  ) {}

  async list(): Promise<Fact<FileEntry[]>> {
    const t = await this.load();
    return t.known ? known(t.value.entries) : t;
  }

  async read(rawPath: string, opts: { maxBytes?: number; head?: boolean } = {}): Promise<FileRead> {
    const max = opts.maxBytes ?? DEFAULT_MAX_READ;
    const path = rawPath.replace(/^\.\/+/, '');
    if (path === '' || path.startsWith('/') || path.split('/').some((s) => s === '..')) {
      return { ok: false, kind: 'not-found', reason: `path leaves the repository: ${rawPath}` };
    }
    const t = await this.load();
    if (!t.known) return { ok: false, kind: 'unreadable', reason: t.reason };
    const tree = t.value;
    if (tree.archive) {
      const e = tree.archive.get(path);
      if (!e) return { ok: false, kind: 'not-found', reason: 'no such file' };
      if (e.kind === 'symlink') return { ok: false, kind: 'symlink', reason: 'is a symbolic link (not followed)' };
      if (e.size > max && !opts.head)
        return { ok: false, kind: 'too-large', reason: `file is ${e.size} bytes, over the ${max}-byte read limit` };
      if (e.complete || e.data.length >= Math.min(max, e.size)) {
        const data = e.data.length > max ? e.data.subarray(0, max) : e.data;
        return { ok: true, data, size: e.size };
      }
      // Kept only its head, and more is asked for: read it through the API.
      return this.readRaw(path, max, opts.head === true);
    }
    const kind = tree.kinds!.get(path);
    if (!kind) return { ok: false, kind: 'not-found', reason: 'no such file' };
    if (kind === 'symlink') return { ok: false, kind: 'symlink', reason: 'is a symbolic link (not followed)' };
    return this.readRaw(path, max, opts.head === true);
  }

  private readRaw(path: string, max: number, head: boolean): Promise<FileRead> {
    const whole = this.whole.get(path);
    if (whole) {
      if (whole.length <= max) return Promise.resolve({ ok: true, data: whole, size: whole.length });
      if (head) return Promise.resolve({ ok: true, data: whole.subarray(0, max), size: whole.length });
      return Promise.resolve({ ok: false, kind: 'too-large', reason: `file is ${whole.length} bytes, over the ${max}-byte read limit` });
    }
    const key = `${path}\0${max}\0${head}`;
    let p = this.reads.get(key);
    if (!p) {
      p = this.fetchRaw(path, max, head);
      this.reads.set(key, p);
    }
    return p;
  }

  private async fetchRaw(path: string, max: number, head: boolean): Promise<FileRead> {
    const c = await this.commit();
    if (!c.known) return { ok: false, kind: 'unreadable', reason: c.reason };
    try {
      const r = await this.http.api<Buffer>(`projects/${this.projectId}/repository/files/${encodeURIComponent(path)}/raw`, {
        query: { ref: c.value },
        as: 'buffer',
        maxBytes: max,
        truncate: head,
      });
      const declared = Number(r.headers['x-gitlab-size'] ?? r.headers['content-length']);
      const size = Number.isFinite(declared) && declared >= r.body.length ? declared : r.body.length;
      // The whole file came back (shorter than asked for): later reads of it need no request.
      if (r.body.length < max || (!head && r.body.length === size)) this.whole.set(path, r.body);
      return { ok: true, data: r.body, size };
    } catch (err) {
      if (err instanceof GitLabHttpError) {
        if (err.kind === 'too-large') return { ok: false, kind: 'too-large', reason: `file is over the ${max}-byte read limit` };
        if (err.status === 404) return { ok: false, kind: 'not-found', reason: 'no such file' };
        return { ok: false, kind: 'unreadable', reason: this.access.explain('repository', err).reason };
      }
      throw err;
    }
  }

  private load(): Promise<Fact<Tree>> {
    this.tree ??= this.loadTree();
    return this.tree;
  }

  private async loadTree(): Promise<Fact<Tree>> {
    const c = await this.commit();
    if (!c.known) return c;
    if (this.mode === 'archive') {
      try {
        return known(await this.fromArchive(c.value));
      } catch (err) {
        const why = err instanceof GitLabHttpError || err instanceof ArchiveError ? err.message : String(err);
        // A stalled or slow instance would stall the file-by-file fallback too.
        if (err instanceof GitLabHttpError && err.kind === 'timeout') return unknown(`the repository archive: ${why}`);
        this.diagnostics.push({
          message: `the repository archive could not be read (${this.http.redact(why)}); listing files through the tree API instead`,
        });
      }
    }
    try {
      return known(await this.fromTreeApi(c.value));
    } catch (err) {
      if (err instanceof GitLabHttpError) return this.access.explain('repository', err);
      throw err;
    }
  }

  private async fromArchive(sha: string): Promise<Tree> {
    const r = await this.http.api<AsyncIterable<Uint8Array>>(`projects/${this.projectId}/repository/archive.tar.gz`, {
      query: { sha },
      as: 'stream',
      timeoutMs: Math.max(ARCHIVE_START_TIMEOUT_MS, this.timeoutMs),
    });
    // A download that fails (stalls, resets) must be reported as such, not as the corrupt gzip it leaves.
    let streamError: unknown;
    const body = r.body;
    const guarded = (async function* () {
      try {
        yield* body;
      } catch (e) {
        streamError = e;
        throw e;
      }
    })();
    let a: Awaited<ReturnType<typeof readArchive>>;
    try {
      a = await readArchive(guarded);
    } catch (e) {
      throw streamError ?? e;
    }
    for (const issue of a.issues) this.diagnostics.push({ message: issue });
    if (a.commit && a.commit !== sha) this.diagnostics.push({ message: `the archive is of commit ${a.commit}, not ${sha}` });
    const entries: FileEntry[] = [...a.entries.values()].map((e) => ({ path: e.path, size: e.size, kind: e.kind }));
    entries.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    return { entries, archive: a.entries };
  }

  private async fromTreeApi(sha: string): Promise<Tree> {
    const items = (await this.gb.repositories.allRepositoryTrees(this.projectId, {
      recursive: true,
      ref: sha,
      perPage: 100,
      pagination: 'keyset',
      maxPages: MAX_TREE_PAGES,
    })) as Array<{ path: string; type: string; mode: string }>;
    if (items.length >= MAX_TREE_PAGES * 100) this.diagnostics.push({ message: `stopped listing after ${items.length} tree entries` });
    const kinds = new Map<string, 'file' | 'symlink'>();
    const entries: FileEntry[] = [];
    for (const it of items) {
      if (it.type !== 'blob') continue; // trees, and submodules ('commit'): another repository
      const kind = it.mode === '120000' ? 'symlink' : 'file';
      kinds.set(it.path, kind);
      // The tree API gives no sizes: reads enforce the limits.
      entries.push({ path: it.path, size: 0, kind });
    }
    entries.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
    this.diagnostics.push({ message: 'files listed through the tree API (file sizes unknown; one request per file read)' });
    return { entries, kinds };
  }
}
