/** What the platform adapters share: options, enumeration errors, source errors → failures. */
import { SourceError } from '../../sources/remote.js';
import type { RepoFailure } from '../types.js';

export interface PlatformOptions {
  env: NodeJS.ProcessEnv;
  githubApiUrl?: string;
  githubGraphqlUrl?: string;
  gitlabUrl?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** ETag / tarball cache directory; undefined disables it. */
  cacheDir?: string;
  /** Retries after a 5xx / network failure, and their back-off base (tests shrink it). */
  retries?: number;
  retryBaseMs?: number;
  /** ms per second of `Retry-After` (tests shrink it). */
  rateLimitUnitMs?: number;
  /** Requests the portfolio itself makes (enumeration). */
  countRequest?: (kind: 'rest' | 'graphql') => void;
  /** A rate-limit budget read from a response body (GraphQL `rateLimit`), for the pacer. */
  onBudget?: (origin: string, b: { resource: string; limit: number; remaining: number; resetAt: number }) => void;
  log?: (line: string) => void;
}

/** Enumeration could not list the organization / group (the run stops: exit code 4). */
export class EnumerationError extends Error {
  constructor(
    readonly kind: 'not-found' | 'auth' | 'network' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

/** A source error → an index failure. Only network trouble is transient (retried, and retried by --resume). */
export function failureOf(err: unknown): RepoFailure {
  if (err instanceof SourceError) return { kind: err.kind, message: err.message, transient: err.kind === 'network' };
  return { kind: 'internal', message: (err as Error)?.message ?? String(err), transient: true };
}
