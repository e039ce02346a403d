/**
 * A source answers questions about one repository; all I/O lives in sources. It provides the raw
 * facts it can observe (its `providers`) and file reads; derived facts (parsed workflows…) are
 * computed once, platform-neutrally, in src/facts/providers.
 */
import type { Platform } from '../facts/model.js';
import type { ProviderMap } from '../facts/store.js';

export type FileRead =
  | { ok: true; data: Buffer; size: number }
  | { ok: false; reason: string; kind: 'not-found' | 'too-large' | 'symlink' | 'unreadable' | 'not-a-file' };

export interface RequestStats {
  total: number;
  rest: number;
  graphql: number;
  /** Conditional requests answered 304 from the ETag cache. */
  cached: number;
  retries: number;
}

export const emptyRequestStats = (): RequestStats => ({ total: 0, rest: 0, graphql: 0, cached: 0, retries: 0 });

/** Something odd about the repository's files, met while reading them (never a crash). */
export interface Diagnostic {
  path?: string;
  message: string;
}

export interface Source {
  readonly platform: Platform;
  /** Raw facts this source can answer; any fact not listed is derived or unknown. */
  readonly providers: Partial<ProviderMap>;
  /** Reads a file of the assessed tree; at most `maxBytes` (a larger file is refused, not truncated, unless `head`). */
  readFile(path: string, opts?: { maxBytes?: number; head?: boolean }): Promise<FileRead>;
  readonly requests: RequestStats;
  readonly diagnostics: Diagnostic[];
  close?(): Promise<void>;
}
