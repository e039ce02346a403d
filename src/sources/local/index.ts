/**
 * A local checkout: files from `git ls-files` (a plain walk when the directory is not a git
 * repository), reads confined to the tree (symlinks are listed, never followed), and git metadata
 * through the `git` CLI. No network.
 */
import { closeSync, constants as fsc, fstatSync, openSync, readdirSync, readSync, realpathSync } from 'node:fs';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { known, unknown, type Fact } from '../../facts/fact.js';
import type { FileEntry, RepositoryInfo } from '../../facts/model.js';
import type { ProviderMap } from '../../facts/store.js';
import { parseRemote, TargetError } from '../../target.js';
import { emptyRequestStats, type Diagnostic, type FileRead, type Source } from '../source.js';
import { git } from './git.js';
import { readRecentCommits, readTags } from './signatures.js';

export const DEFAULT_MAX_READ = 1024 * 1024;
let scratch = Buffer.allocUnsafe(64 * 1024);
/** A plain directory walk stops here rather than exhaust memory on a huge tree. */
const MAX_WALK_ENTRIES = 1_000_000;
/** Empty, `.`/`..` segments, `//`, a trailing `/`: what path.normalize would change. */
const UNCLEAN_PATH = /^$|(^|\/)\.{1,2}(\/|$)|\/\/|\/$/;

export class LocalSource implements Source {
  readonly platform = 'local' as const;
  readonly requests = emptyRequestStats();
  readonly diagnostics: Diagnostic[] = [];
  readonly providers: Partial<ProviderMap>;
  readonly root: string;
  private gitInfo?: Promise<{ isGit: boolean; top?: string }>;

  constructor(
    root: string,
    private readonly opts: { githubHosts?: string[]; gitlabHosts?: string[] } = {},
  ) {
    this.root = realpathSync(root);
    this.providers = {
      repository: () => this.repository(),
      commit: () => this.commit(),
      files: () => this.files(),
      tags: async () => ((await this.isGit()) ? readTags(this.root) : unknown('not a git repository', 'a git checkout with its tags')),
      recentCommits: async () =>
        (await this.isGit()) ? readRecentCommits(this.root) : unknown('not a git repository', 'a git checkout with its history'),
    };
  }

  private isGit(): Promise<boolean> {
    this.gitInfo ??= git(this.root, ['rev-parse', '--show-toplevel']).then((r) => ({
      isGit: r.ok,
      top: r.ok ? r.stdout.trim() : undefined,
    }));
    return this.gitInfo.then((g) => g.isGit);
  }

  private async repository(): Promise<Fact<RepositoryInfo>> {
    const info: RepositoryInfo = { platform: 'local', localPath: this.root, isGit: await this.isGit() };
    if (!info.isGit) return known(info);
    const remote = await git(this.root, ['remote', 'get-url', 'origin']);
    if (remote.ok && remote.stdout.trim()) {
      try {
        const r = parseRemote(remote.stdout.trim(), this.opts);
        if (r) Object.assign(info, { platform: r.platform, host: r.host, repo: r.repo, url: r.url });
      } catch (err) {
        if (!(err instanceof TargetError)) throw err;
        this.diagnostics.push({ message: `origin remote not recognised: ${err.message}` });
      }
    }
    const head = await git(this.root, ['symbolic-ref', '--short', '-q', 'refs/remotes/origin/HEAD']);
    const branch = head.ok
      ? head.stdout.trim().replace(/^origin\//, '')
      : (await git(this.root, ['branch', '--show-current'])).stdout.trim();
    if (branch) info.defaultBranch = branch;
    return known(info);
  }

  private async commit(): Promise<Fact<string>> {
    if (!(await this.isGit())) return unknown('not a git repository', 'a git checkout');
    const r = await git(this.root, ['rev-parse', '--verify', '-q', 'HEAD']);
    return r.ok ? known(r.stdout.trim()) : unknown('the repository has no commits yet');
  }

  private async files(): Promise<Fact<FileEntry[]>> {
    if (!(await this.isGit())) return known(this.walk());
    // Paths relative to the directory given (a monorepo sub-directory assesses just that part).
    // No stat per file: the index says which entries are symlinks, and reads refuse to follow links anyway.
    const [r, deleted, prefixOut] = await Promise.all([
      git(this.root, ['ls-files', '-z', '--stage', '--full-name', '--', '.']),
      git(this.root, ['ls-files', '-z', '--deleted', '--full-name', '--', '.']),
      git(this.root, ['rev-parse', '--show-prefix']),
    ]);
    if (!r.ok) return unknown(`git ls-files failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    const prefix = prefixOut.stdout.trim();
    const gone = new Set(deleted.ok ? deleted.stdout.split('\0').filter(Boolean) : []); // tracked but deleted in the work tree
    const out: FileEntry[] = [];
    for (const rec of r.stdout.split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const mode = rec.slice(0, 6);
      let path = rec.slice(tab + 1);
      if (mode === '160000' || gone.has(path)) continue; // a submodule is another repository
      if (prefix && path.startsWith(prefix)) path = path.slice(prefix.length);
      out.push({ path, kind: mode === '120000' ? 'symlink' : 'file' });
    }
    return known(out);
  }

  /** Not a git repository: walk the directory, never following symlinks, skipping .git and node_modules. */
  private walk(): FileEntry[] {
    const out: FileEntry[] = [];
    const stack = [''];
    while (stack.length > 0) {
      const dir = stack.pop()!;
      let names: import('node:fs').Dirent[];
      try {
        names = readdirSync(join(this.root, dir), { withFileTypes: true });
      } catch (err) {
        this.diagnostics.push({ path: dir || '.', message: `directory could not be read: ${(err as NodeJS.ErrnoException).code ?? err}` });
        continue;
      }
      for (const d of names) {
        const path = dir ? `${dir}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (d.name === '.git' || d.name === 'node_modules') continue;
          stack.push(path);
        } else if (d.isSymbolicLink() || d.isFile()) {
          out.push({ path, kind: d.isSymbolicLink() ? 'symlink' : 'file' });
        }
        if (out.length >= MAX_WALK_ENTRIES) {
          this.diagnostics.push({ message: `stopped listing after ${MAX_WALK_ENTRIES} files` });
          return out;
        }
      }
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  async readFile(path: string, opts: { maxBytes?: number; head?: boolean } = {}): Promise<FileRead> {
    const max = opts.maxBytes ?? DEFAULT_MAX_READ;
    const abs = this.confine(path);
    if (!abs) return { ok: false, kind: 'not-found', reason: `path leaves the repository: ${path}` };
    // No lstat first: O_NOFOLLOW refuses a symlink (ELOOP) and O_NONBLOCK never waits on a FIFO, so one
    // open + read serves the 50,000 head reads of a large checkout (a stat is only made for a large file).
    let fd: number;
    try {
      fd = openSync(abs, fsc.O_RDONLY | (fsc.O_NOFOLLOW ?? 0) | (fsc.O_NONBLOCK ?? 0));
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP' || code === 'EMLINK') return { ok: false, kind: 'symlink', reason: 'is a symbolic link (not followed)' };
      if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, kind: 'not-found', reason: 'no such file' };
      return { ok: false, kind: 'unreadable', reason: `cannot read: ${code ?? err}` };
    }
    try {
      // Read one byte past the limit to learn, without a stat, whether a full read would be too large.
      const cap = opts.head ? max : max + 1;
      // One reused scratch buffer (reads are synchronous): allocating `cap` bytes per file made
      // garbage collection a fifth of a 50,000-file run; only the bytes read are copied out.
      if (scratch.length < cap) scratch = Buffer.allocUnsafe(cap);
      const buf = scratch;
      let off = 0;
      while (off < cap) {
        const n = readSync(fd, buf, off, cap - off, off);
        if (n === 0) break;
        off += n;
      }
      const whole = off < cap;
      const size = whole ? off : fstatSync(fd).size;
      if (!opts.head && !whole) {
        return { ok: false, kind: 'too-large', reason: `file is ${formatBytes(size)}, over the ${formatBytes(max)} read limit` };
      }
      return { ok: true, data: Buffer.from(buf.subarray(0, off)), size };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EISDIR') return { ok: false, kind: 'not-a-file', reason: 'not a regular file' };
      return { ok: false, kind: 'unreadable', reason: `cannot read: ${code ?? err}` };
    } finally {
      closeSync(fd);
    }
  }

  /** The absolute path for a repository path, or undefined when it (or a directory on the way) leaves the tree. */
  private confine(path: string): string | undefined {
    if (isAbsolute(path) || path.includes('\0')) return undefined;
    // A clean relative path (what the listing gives) is already normal; normalize() the rest.
    const norm = sep === '/' && !UNCLEAN_PATH.test(path) ? path : normalize(path);
    if (norm === '..' || norm.startsWith(`..${sep}`)) return undefined;
    // `norm` is relative and normalized, so plain concatenation is join(); its directory is the text before the last separator.
    const abs = `${this.root}${sep}${norm}`;
    return this.dirInside(abs.slice(0, abs.lastIndexOf(sep))) ? abs : undefined;
  }

  /** Directory (absolute) → whether its real path stays in the tree; 50,000 files share a few thousand directories. */
  private readonly dirs = new Map<string, boolean>();

  private dirInside(dir: string): boolean {
    let inside = this.dirs.get(dir);
    if (inside === undefined) {
      try {
        const rel = relative(this.root, realpathSync.native(dir));
        inside = !(rel.startsWith('..') || isAbsolute(rel)); // false: a symlinked directory on the way out
      } catch {
        inside = true; // missing parent: the read reports not-found
      }
      this.dirs.set(dir, inside);
    }
    return inside;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
