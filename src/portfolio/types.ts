/**
 * Portfolio audits: the shapes shared by enumeration, the run loop, the journal and the dashboard.
 *
 * A run is a stream: targets are enumerated (a few requests per hundred repositories), then
 * prefetched in batches, assessed with bounded concurrency, and each finished repository is
 * written to disk at once (its assessment JSON, then one line in `index.jsonl`) and dropped from
 * memory. Everything downstream (resume, dashboard, summary, CSV, badges) reads the directory.
 */
import type { RemotePlatform, RemoteTarget } from '../target.js';
import type { Source, RequestStats } from '../sources/source.js';

/** One repository of the portfolio, as enumerated (or read from a --list file). */
export interface RepoRef {
  platform: RemotePlatform;
  host: string;
  /** owner/repo (GitHub) or group/…/project (GitLab), as the platform spells it. */
  repo: string;
  url: string;
  archived?: boolean;
  fork?: boolean;
}

/** What to enumerate. `list` targets may mix platforms and hosts. */
export type PortfolioSpec =
  | { kind: 'github-org'; name: string }
  | { kind: 'github-user'; name: string }
  | { kind: 'gitlab-group'; name: string }
  | { kind: 'list'; file: string };

/** Why a repository could not be assessed; `transient` failures are retried (and retried again by --resume). */
export interface RepoFailure {
  kind: 'not-found' | 'auth' | 'network' | 'unsupported' | 'invalid' | 'internal';
  message: string;
  transient: boolean;
}

export interface PrefetchOutcome {
  /** Sources ready to assess, by repository key (see names.ts `repoKey`). */
  sources: Map<string, Source>;
  failures: Map<string, RepoFailure>;
  /** Requests of the batch itself (each source counts its own later requests). */
  requests: RequestStats;
}

export interface RateBudget {
  /** e.g. `github core`, `github graphql`, `gitlab`. */
  resource: string;
  limit: number;
  remaining: number;
  /** Epoch ms. */
  resetAt: number;
}

/**
 * A platform (one host) as the portfolio sees it. Enumeration and batched prefetch are the
 * platform's business; pacing, retries across batches, writing and resuming are the runner's.
 */
export interface PortfolioPlatform {
  readonly platform: RemotePlatform;
  readonly host: string;
  /** API origins whose responses carry this platform's rate-limit headers (for the observer). */
  readonly origins: string[];
  /** The repositories of an org / user / group (archived and forks flagged, not filtered). */
  enumerate(spec: PortfolioSpec): AsyncIterable<RepoRef>;
  /** Sources for a batch of repositories, in as few requests as the platform allows. */
  prefetch(batch: RepoRef[]): Promise<PrefetchOutcome>;
  /** Largest useful batch (1 for platforms without a batched query). */
  readonly maxBatch: number;
}

export interface LevelPair {
  confirmed: number;
  attainable: number;
}

/** One line of `index.jsonl`: everything the dashboard, summary, CSV and --resume need. */
export interface IndexEntry {
  /** Format of this line. */
  v: 1;
  /** `platform/host/owner/repo`, lower case: the identity of a repository in the run. */
  key: string;
  platform: RemotePlatform;
  host: string;
  repo: string;
  url: string;
  status: 'ok' | 'error';
  /** For errors: what went wrong (shown as "unknown" in the dashboard). */
  reason?: string;
  /** For errors: retried by --resume. */
  transient?: boolean;
  errorKind?: RepoFailure['kind'];
  /** The assessment JSON, relative to the output directory. */
  file?: string;
  /** The badge SVG, relative to the output directory (--badges). */
  badge?: string;
  score?: number | null;
  commit?: string | null;
  /** Confirmed / attainable level per SLSA framework id. */
  levels?: Record<string, LevelPair>;
  /** Check name → score (null: could not conclude). */
  checks?: Record<string, number | null>;
  /** Framework id → requirement ids not met. */
  failing?: Record<string, string[]>;
  /** Framework id → requirement ids that keep the next level from being confirmed. */
  blocking?: Record<string, string[]>;
  /** Distinct unknown facts (count), for the "unknowns" column. */
  unknowns?: number;
  requests?: { rest: number; graphql: number; total: number };
  attempts: number;
  durationMs: number;
  finishedAt: string;
}

export const isFinished = (e: IndexEntry): boolean => e.status === 'ok' || !e.transient;

export type { RemoteTarget };
