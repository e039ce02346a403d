/**
 * A local checkout: files from `git ls-files` (a plain walk when the directory is not a git
 * repository), reads confined to the tree (symlinks are listed, never followed), and git metadata
 * through the `git` CLI. No network.
 */
import { lstatSync, readdirSync, realpathSync, type Stats } from 'node:fs';
import { open } from 'node:fs/promises';
import { isAbsolute, join, normalize, relative, sep } from 'node:path';
import { known, unknown, type Fact } from '../../facts/fact.js';
import type { FileEntry, RepositoryInfo } from '../../facts/model.js';
import type { ProviderMap } from '../../facts/store.js';
import { parseRemote, TargetError } from '../../target.js';
import { emptyRequestStats, type Diagnostic, type FileRead, type Source } from '../source.js';
import { git } from './git.js';
import { readRecentCommits, readTags } from './signatures.js';

export const DEFAULT_MAX_READ = 1024 * 1024;
/** A plain directory walk stops here rather than exhaust memory on a huge tree. */
const MAX_WALK_ENTRIES = 1_000_000;

export class LocalSource implements Source {
  readonly platform = 'local' as const;
  readonly requests = emptyRequestStats();
  readonly diagnostics: Diagnostic[] = [];
  readonly providers: Partial<ProviderMap>;
  readonly root: string;
  private gitInfo?: Promise<{ isGit: boolean; top?: string }>;

  constructor(root: string, private readonly opts: { githubHosts?: string[]; gitlabHosts?: string[] } = {}) {
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
    this.gitInfo ??= git(this.root, ['rev-parse', '--show-toplevel']).then((r) => ({ isGit: r.ok, top: r.ok ? r.stdout.trim() : undefined }));
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
    const branch = head.ok ? head.stdout.trim().replace(/^origin\//, '') : (await git(this.root, ['branch', '--show-current'])).stdout.trim();
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
    const r = await git(this.root, ['ls-files', '-z', '--stage', '--full-name', '--', '.']);
    if (!r.ok) return unknown(`git ls-files failed: ${r.stderr.trim() || `exit ${r.code}`}`);
    const prefix = (await git(this.root, ['rev-parse', '--show-prefix'])).stdout.trim();
    const out: FileEntry[] = [];
    for (const rec of r.stdout.split('\0')) {
      if (!rec) continue;
      const tab = rec.indexOf('\t');
      const mode = rec.slice(0, 6);
      let path = rec.slice(tab + 1);
      if (prefix && path.startsWith(prefix)) path = path.slice(prefix.length);
      if (mode === '160000') continue; // submodule: another repository
      let st: Stats | undefined;
      try {
        st = lstatSync(join(this.root, path));
      } catch {
        continue; // tracked but deleted in the work tree
      }
      if (mode === '120000' || st.isSymbolicLink()) out.push({ path, size: st.size, kind: 'symlink' });
      else if (st.isFile()) out.push({ path, size: st.size, kind: 'file' });
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
          let size = 0;
          try {
            size = lstatSync(join(this.root, path)).size;
          } catch {
            /* listed with size 0; the read reports the error */
          }
          out.push({ path, size, kind: d.isSymbolicLink() ? 'symlink' : 'file' });
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
    let st: Stats;
    try {
      st = lstatSync(abs);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return code === 'ENOENT' || code === 'ENOTDIR'
        ? { ok: false, kind: 'not-found', reason: 'no such file' }
        : { ok: false, kind: 'unreadable', reason: `cannot read: ${code ?? err}` };
    }
    if (st.isSymbolicLink()) return { ok: false, kind: 'symlink', reason: 'is a symbolic link (not followed)' };
    if (!st.isFile()) return { ok: false, kind: 'not-a-file', reason: 'not a regular file' };
    if (st.size > max && !opts.head) {
      return { ok: false, kind: 'too-large', reason: `file is ${formatBytes(st.size)}, over the ${formatBytes(max)} read limit` };
    }
    try {
      const fh = await open(abs, 'r');
      try {
        const len = Math.min(st.size, max);
        const buf = Buffer.alloc(len);
        let off = 0;
        while (off < len) {
          const { bytesRead } = await fh.read(buf, off, len - off, off);
          if (bytesRead === 0) break;
          off += bytesRead;
        }
        return { ok: true, data: off === len ? buf : buf.subarray(0, off), size: st.size };
      } finally {
        await fh.close();
      }
    } catch (err) {
      return { ok: false, kind: 'unreadable', reason: `cannot read: ${(err as NodeJS.ErrnoException).code ?? err}` };
    }
  }

  /** The absolute path for a repository path, or undefined when it (or a directory on the way) leaves the tree. */
  private confine(path: string): string | undefined {
    if (isAbsolute(path) || path.includes('\0')) return undefined;
    const norm = normalize(path);
    if (norm === '..' || norm.startsWith(`..${sep}`)) return undefined;
    const abs = join(this.root, norm);
    try {
      const parent = realpathSync(join(abs, '..'));
      const rel = relative(this.root, parent);
      if (rel.startsWith('..') || isAbsolute(rel)) return undefined; // a symlinked directory on the way out
    } catch {
      /* missing parent: the read reports not-found */
    }
    return abs;
  }
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MB`;
  if (n >= 1024) return `${Math.round(n / 1024)} KB`;
  return `${n} B`;
}
