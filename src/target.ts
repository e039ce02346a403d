/**
 * What the user typed → what to assess: a local directory, or a repository on GitHub / GitLab
 * (github.com, gitlab.com, GHES or self-managed hosts), from slugs, host paths, https URLs and
 * git remotes (`git@host:o/r.git`, `ssh://…`).
 */
import { statSync } from 'node:fs';
import { resolve } from 'node:path';

export type RemotePlatform = 'github' | 'gitlab';

export interface LocalTarget {
  kind: 'local';
  path: string;
}

export interface RemoteTarget {
  kind: 'remote';
  platform: RemotePlatform;
  host: string;
  /** owner/repo (GitHub) or group/subgroup/…/project (GitLab). */
  repo: string;
  /** Web URL of the repository. */
  url: string;
}

export type Target = LocalTarget | RemoteTarget;

export class TargetError extends Error {}

export interface TargetOptions {
  /** Platform for hosts that don't say (GHES, self-managed GitLab). */
  platform?: RemotePlatform;
  /** Hosts known to be GitHub Enterprise / GitLab (from --github-api-url, GITLAB_URL…). */
  githubHosts?: string[];
  gitlabHosts?: string[];
  cwd?: string;
}

const SEGMENT = /^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/;

export function parseTarget(input: string, opts: TargetOptions = {}): Target {
  const raw = input.trim();
  if (raw === '') throw new TargetError('empty target: give a path, owner/repo, or a repository URL');
  const cwd = opts.cwd ?? process.cwd();

  const looksLocal =
    raw === '.' ||
    raw === '..' ||
    raw.startsWith('./') ||
    raw.startsWith('../') ||
    raw.startsWith('/') ||
    raw.startsWith('~') ||
    /^[A-Za-z]:[\\/]/.test(raw);
  if (looksLocal) return { kind: 'local', path: resolve(cwd, raw.replace(/^~(?=$|\/)/, process.env.HOME ?? '~')) };

  const remote = parseRemote(raw, opts);
  if (remote) {
    // A bare `a/b` that exists on disk is a directory the user means; say `./a/b` or the URL to be explicit.
    if (!raw.includes('.') && !raw.includes(':') && isDir(resolve(cwd, raw))) return { kind: 'local', path: resolve(cwd, raw) };
    return remote;
  }
  if (isDir(resolve(cwd, raw))) return { kind: 'local', path: resolve(cwd, raw) };
  throw new TargetError(
    `cannot tell what to assess from "${raw}": expected a directory, owner/repo, github.com/owner/repo, gitlab.com/group/project, or a repository URL`,
  );
}

/** Parses a remote URL / slug; undefined when it is not one. Throws for a remote on an unknown host. */
export function parseRemote(raw: string, opts: TargetOptions = {}): RemoteTarget | undefined {
  let host: string | undefined;
  let path: string | undefined;

  // scp-like git remote: [user@]host:owner/repo.git (the host has a dot or a user is given)
  let m = /^(?:([\w.-]+)@)?([\w-]+(?:\.[\w-]+)*):(?!\/\/)(.+)$/.exec(raw);
  if (m && (m[1] !== undefined || m[2].includes('.')) && !/^\d+(\/|$)/.test(m[3])) {
    host = m[2];
    path = m[3];
  } else if ((m = /^(?:https?|ssh|git|git\+ssh):\/\/(?:[^@/]+@)?([^/]+)\/(.+)$/i.exec(raw))) {
    host = m[1].toLowerCase();
    path = m[2];
  } else if ((m = /^([\w-]+(?:\.[\w-]+)+(?::\d+)?)\/(.+)$/.exec(raw))) {
    host = m[1].toLowerCase();
    path = m[2];
  } else if (/^[^/\s]+\/[^/\s]+$/.test(raw)) {
    host = 'github.com';
    path = raw;
  } else return undefined;

  host = host!.toLowerCase();
  // ssh remotes name the ssh port, not the web one.
  if (/^(ssh|git\+ssh):\/\//i.test(raw)) host = host.replace(/:\d+$/, '');
  const platform = platformOf(host, opts);
  const repo = cleanPath(path!, platform);
  const segments = repo.split('/');
  if (segments.length < 2 || !segments.every((s) => SEGMENT.test(s))) {
    throw new TargetError(`"${raw}" does not name a repository: expected ${platform === 'gitlab' ? 'group/…/project' : 'owner/repo'}`);
  }
  return { kind: 'remote', platform, host, repo, url: `https://${host}/${repo}` };
}

function platformOf(host: string, opts: TargetOptions): RemotePlatform {
  const bare = host.replace(/:\d+$/, '');
  if (opts.githubHosts?.some((h) => h.toLowerCase() === host || h.toLowerCase() === bare)) return 'github';
  if (opts.gitlabHosts?.some((h) => h.toLowerCase() === host || h.toLowerCase() === bare)) return 'gitlab';
  if (bare === 'github.com' || bare === 'www.github.com') return 'github';
  if (bare === 'gitlab.com' || bare === 'www.gitlab.com') return 'gitlab';
  if (opts.platform) return opts.platform;
  if (/(^|\.)gitlab\./.test(bare) || bare.startsWith('gitlab')) return 'gitlab';
  if (/(^|\.)github\./.test(bare) || bare.startsWith('github') || bare.endsWith('.ghe.com')) return 'github';
  throw new TargetError(`cannot tell whether ${host} is GitHub or GitLab: pass --platform github|gitlab`);
}

/** Strips `.git`, trailing slashes, and web-UI suffixes (`/tree/main`, `/-/blob/…`). */
function cleanPath(path: string, platform: RemotePlatform): string {
  let p = path.split(/[?#]/)[0].replace(/^\/+|\/+$/g, '');
  if (platform === 'gitlab') p = p.split('/-/')[0];
  else p = p.split('/').slice(0, 2).join('/');
  return p.replace(/\.git$/i, '').replace(/\/+$/, '');
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
