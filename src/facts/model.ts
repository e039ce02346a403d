/** Platform-neutral shapes shared by facts, parsers, checks and renderers. */

export type Platform = 'github' | 'gitlab' | 'local';

/** 1-based line and column, as editors and SARIF count them. */
export interface Location {
  path: string;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
}

/** A value read from a file, with where it was written. */
export interface Located<T> {
  value: T;
  loc: Location;
}

/** A problem met while reading or parsing a file (reported as a finding, never thrown). */
export interface ParseIssue {
  message: string;
  loc: Location;
}

export interface FileEntry {
  path: string;
  /** Bytes, when the listing knows it without extra I/O (API trees do; a local listing does not stat). */
  size?: number;
  /** Symlinks are listed (so they can be reported) but never followed. */
  kind: 'file' | 'symlink';
}

export interface RepositoryInfo {
  /** Where the repository lives: from the API, or from a local checkout's `origin` remote ('local' when unknown). */
  platform: Platform;
  /** Host of the platform repository, e.g. github.com, gitlab.example.org. */
  host?: string;
  /** owner/repo or group/sub/project on the platform. */
  repo?: string;
  url?: string;
  defaultBranch?: string;
  /** Absolute path for a local checkout. */
  localPath?: string;
  /** Whether the local directory is a git repository. */
  isGit?: boolean;
  archived?: boolean;
  /** GitLab's custom CI configuration path (default `.gitlab-ci.yml`). */
  ciConfigPath?: string;
  fork?: boolean;
  /** The repository has no commits. */
  empty?: boolean;
  createdAt?: string;
  pushedAt?: string;
  /** License as the platform detected it (SPDX id). */
  license?: string | null;
  /** GitLab: merge requests can only be merged when the pipeline succeeds. */
  pipelinesMustSucceed?: boolean;
  visibility?: 'public' | 'private' | 'internal';
}

export type SignatureKind = 'pgp' | 'ssh' | 'x509';

export interface TagInfo {
  name: string;
  /** Commit the tag points at. */
  commit: string;
  annotated: boolean;
  signature: SignatureKind | null;
  /** true/false when a verification ran; null when it could not (no keys, no API answer). */
  verified: boolean | null;
  verifyDetail?: string;
  date?: string;
  /**
   * Set when `signature: null` may not mean unsigned: the source could not see every kind of
   * signature (GitLab's API reports X.509 tag signatures only) — says why.
   */
  signatureUnknown?: string;
}

export interface CommitInfo {
  sha: string;
  date?: string;
  author?: string;
  signature: SignatureKind | null;
  verified: boolean | null;
  /** Set when `signature: null` may not mean unsigned (the source did not look it up) — says why. */
  signatureUnknown?: string;
}

export interface BinaryFile {
  path: string;
  /** Why it is considered binary: a magic type (elf, macho, pe, wasm, class, …) or its extension. */
  type: string;
}
