/**
 * GitHub (github.com or GHES) for portfolio runs.
 *
 * Enumeration: with a token, GraphQL `organization|user { repositories(first: 100) }` — one request
 * per 100 repositories, with `isArchived`/`isFork` and the query's `rateLimit { cost remaining }`;
 * without one (GraphQL needs authentication), REST `GET /orgs/{org}/repos` / `GET /users/{user}/repos`
 * with Link pagination. Archived repositories and forks are flagged, not dropped: the runner
 * decides (and counts what it skips).
 *
 * Prefetch: the GitHub source's `prefetchGitHub` — ONE aliased GraphQL query per batch seeds every
 * repository's GraphQL facts; each source then makes only the REST requests GraphQL cannot answer.
 */
import { SourceError } from '../../sources/remote.js';
import { githubEndpoints, prefetchGitHub, targetKey, tokenFrom } from '../../sources/github/index.js';
import type { RemoteTarget } from '../../target.js';
import { HttpError, nextLink, requestJson, type HttpClientOptions } from '../http.js';
import { repoKey } from '../names.js';
import type { PortfolioPlatform, PortfolioSpec, PrefetchOutcome, RepoFailure, RepoRef } from '../types.js';
import { EnumerationError, failureOf, type PlatformOptions } from './common.js';

/** The enumeration query (validated against GitHub's schema in test/portfolio). */
export const ENUMERATE_QUERY = (ownerField: 'organization' | 'user') => /* GraphQL */ `
query PortfolioRepositories($login: String!, $cursor: String) {
  rateLimit { cost remaining resetAt limit }
  owner: ${ownerField}(login: $login) {
    repositories(first: 100, after: $cursor, ${ownerField === 'user' ? 'ownerAffiliations: [OWNER], ' : ''}orderBy: { field: NAME, direction: ASC }) {
      totalCount
      pageInfo { hasNextPage endCursor }
      nodes { nameWithOwner url isArchived isFork }
    }
  }
}`;

/**
 * GitHub names: owner `[A-Za-z0-9-]` (`_` for managed users), repository `[A-Za-z0-9._-]`. A name
 * the API returns outside these is not requested (it is recorded as an error, escaped wherever shown).
 */
const OWNER = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const NAME = /^[A-Za-z0-9._-]{1,100}$/;

export function validGitHubRepo(nameWithOwner: string): boolean {
  const [owner, name, ...rest] = nameWithOwner.split('/');
  return rest.length === 0 && !!owner && !!name && OWNER.test(owner) && NAME.test(name) && name !== '.' && name !== '..';
}

interface GqlPage {
  data?: {
    rateLimit?: { cost: number; remaining: number; resetAt: string; limit: number } | null;
    owner?: {
      repositories: {
        totalCount: number;
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: Array<{ nameWithOwner: string; url: string; isArchived: boolean; isFork: boolean } | null> | null;
      };
    } | null;
  } | null;
  errors?: Array<{ type?: string; message: string }>;
}

interface RestRepo {
  full_name: string;
  html_url: string;
  archived?: boolean;
  fork?: boolean;
}

const THROTTLE_POOL = 8;

export class GitHubPlatform implements PortfolioPlatform {
  readonly platform = 'github' as const;
  private batchNo = 0;
  private readonly throttlePrefix = `slsa-scorecard-portfolio-${Math.random().toString(36).slice(2)}`;
  readonly maxBatch = 100;
  readonly origins: string[];
  private readonly apiUrl: string;
  private readonly graphqlUrl: string;
  private readonly token?: string;
  /** Last `rateLimit` a GraphQL answer carried (the enumeration query asks for it). */
  graphqlRateLimit?: { cost: number; remaining: number; resetAt: string; limit: number };

  constructor(
    readonly host: string,
    private readonly o: PlatformOptions,
  ) {
    const ep = githubEndpoints({ githubApiUrl: o.githubApiUrl, githubGraphqlUrl: o.githubGraphqlUrl, env: o.env, host });
    this.apiUrl = ep.apiUrl;
    this.graphqlUrl = ep.graphqlUrl;
    this.token = tokenFrom(o.env);
    this.origins = [...new Set([new URL(ep.apiUrl).origin, new URL(ep.graphqlUrl).origin])];
  }

  private http(): HttpClientOptions {
    return {
      timeoutMs: this.o.timeoutMs ?? 30_000,
      retries: this.o.retries ?? 3,
      retryBaseMs: this.o.retryBaseMs ?? 1000,
      rateLimitUnitMs: this.o.rateLimitUnitMs ?? 1000,
      maxRateLimitWaitS: 15 * 60,
      secrets: this.token ? [this.token] : [],
      onRequest: this.o.countRequest,
      log: this.o.log,
    };
  }

  private headers(): Record<string, string> {
    return {
      'user-agent': 'slsa-scorecard',
      'x-github-api-version': '2022-11-28',
      ...(this.token ? { authorization: `bearer ${this.token}` } : {}),
    };
  }

  async *enumerate(spec: PortfolioSpec): AsyncIterable<RepoRef> {
    if (spec.kind !== 'github-org' && spec.kind !== 'github-user') throw new Error(`GitHub cannot enumerate ${spec.kind}`);
    if (!OWNER.test(spec.name))
      throw new EnumerationError('invalid', `"${spec.name}" is not a GitHub ${spec.kind === 'github-org' ? 'organization' : 'user'} name`);
    if (this.token) yield* this.enumerateGraphql(spec.kind === 'github-org' ? 'organization' : 'user', spec.name);
    else yield* this.enumerateRest(spec.kind === 'github-org' ? 'orgs' : 'users', spec.name);
  }

  private ref(nameWithOwner: string, archived?: boolean, fork?: boolean): RepoRef {
    return {
      platform: 'github',
      host: this.host,
      repo: nameWithOwner,
      url: `https://${this.host}/${nameWithOwner}`,
      ...(archived !== undefined ? { archived } : {}),
      ...(fork !== undefined ? { fork } : {}),
    };
  }

  private async *enumerateGraphql(field: 'organization' | 'user', login: string): AsyncIterable<RepoRef> {
    let cursor: string | null = null;
    const what = `${field === 'organization' ? 'organization' : 'user'} ${login} on ${this.host}`;
    for (;;) {
      let page: { data: GqlPage };
      try {
        page = await requestJson<GqlPage>(
          {
            url: this.graphqlUrl,
            method: 'POST',
            headers: this.headers(),
            body: { query: ENUMERATE_QUERY(field), variables: { login, cursor } },
          },
          this.http(),
          'graphql',
        );
      } catch (err) {
        throw enumerationFailure(err, what);
      }
      const body: GqlPage = page.data;
      const rl = body?.data?.rateLimit;
      if (rl) {
        this.graphqlRateLimit = rl;
        const resetAt = Date.parse(rl.resetAt);
        if (Number.isFinite(resetAt))
          this.o.onBudget?.(new URL(this.graphqlUrl).origin, { resource: 'graphql', limit: rl.limit, remaining: rl.remaining, resetAt });
      }
      const owner = body?.data?.owner;
      if (!owner) {
        const e = body?.errors?.[0];
        if (!e || e.type === 'NOT_FOUND') throw new EnumerationError('not-found', `${what}: not found, or not visible to the token`);
        throw new EnumerationError(e.type === 'FORBIDDEN' ? 'auth' : 'network', `${what}: ${redactText(e.message, this.token)}`);
      }
      for (const n of owner.repositories.nodes ?? []) {
        if (!n) continue;
        yield this.ref(n.nameWithOwner, n.isArchived, n.isFork);
      }
      const info: { hasNextPage: boolean; endCursor: string | null } = owner.repositories.pageInfo;
      if (!info.hasNextPage || !info.endCursor || info.endCursor === cursor) return;
      cursor = info.endCursor;
    }
  }

  private async *enumerateRest(kind: 'orgs' | 'users', login: string): AsyncIterable<RepoRef> {
    const what = `${kind === 'orgs' ? 'organization' : 'user'} ${login} on ${this.host}`;
    let url: string | undefined =
      `${this.apiUrl}/${kind}/${encodeURIComponent(login)}/repos?per_page=100&sort=full_name&direction=asc&type=${kind === 'orgs' ? 'all' : 'owner'}`;
    const seen = new Set<string>();
    while (url) {
      let page;
      try {
        page = await requestJson<RestRepo[]>({ url, headers: this.headers() }, this.http());
      } catch (err) {
        throw enumerationFailure(err, what);
      }
      for (const r of Array.isArray(page.data) ? page.data : []) {
        if (r && typeof r.full_name === 'string') yield this.ref(r.full_name, r.archived, r.fork);
      }
      const next = nextLink(page.headers.get('link'));
      // Follow only links on the same API origin, and never the same page twice.
      url = next && new URL(next).origin === new URL(this.apiUrl).origin && !seen.has(next) ? next : undefined;
      if (url) seen.add(url);
    }
  }

  async prefetch(batch: RepoRef[]): Promise<PrefetchOutcome> {
    const failures = new Map<string, RepoFailure>();
    const targets: RemoteTarget[] = [];
    const byTargetKey = new Map<string, string>();
    for (const r of batch) {
      if (!validGitHubRepo(r.repo)) {
        failures.set(repoKey(r), {
          kind: 'invalid',
          message: `"${r.repo}" is not a valid GitHub repository name (not assessed)`,
          transient: false,
        });
        continue;
      }
      const t: RemoteTarget = { kind: 'remote', platform: 'github', host: this.host, repo: r.repo, url: r.url };
      targets.push(t);
      byTargetKey.set(targetKey(t), repoKey(r));
    }
    const sources = new Map<string, import('../../sources/source.js').Source>();
    if (targets.length === 0) return { sources, failures, requests: { total: 0, rest: 0, graphql: 0, cached: 0, retries: 0 } };
    const r = await prefetchGitHub(targets, {
      env: this.o.env,
      githubApiUrl: this.o.githubApiUrl,
      githubGraphqlUrl: this.o.githubGraphqlUrl,
      cacheDir: this.o.cacheDir,
      timeoutMs: this.o.timeoutMs,
      retries: this.o.retries,
      retryBaseMs: this.o.retryBaseMs,
      rateLimitUnitMs: this.o.rateLimitUnitMs,
      // Pacing across the whole run is the portfolio's (pacer.ts); GraphQL queries are not mutations.
      postSpacingMs: 0,
      // A batch's sources share octokit's throttle group (10 requests at once); a small rotating
      // pool of ids keeps adjacent batches apart without creating a group per batch (memory).
      throttleId: `${this.throttlePrefix}-${this.batchNo++ % THROTTLE_POOL}`,
      batchSize: targets.length,
    });
    for (const [k, src] of r.sources) sources.set(byTargetKey.get(k) ?? k.toLowerCase(), src);
    for (const [k, err] of r.errors) failures.set(byTargetKey.get(k) ?? k.toLowerCase(), failureOf(err));
    for (const t of targets) {
      const k = byTargetKey.get(targetKey(t))!;
      if (!sources.has(k) && !failures.has(k))
        failures.set(k, { kind: 'internal', message: 'the batch returned nothing for this repository', transient: true });
    }
    return { sources, failures, requests: r.requests };
  }
}

function redactText(text: string, token?: string): string {
  return token ? text.split(token).join('***') : text;
}

function enumerationFailure(err: unknown, what: string): EnumerationError {
  if (err instanceof HttpError) {
    if (err.status === 404) return new EnumerationError('not-found', `${what}: not found (404)`);
    if (err.status === 401) return new EnumerationError('auth', `${what}: the token in GITHUB_TOKEN/GH_TOKEN was rejected (401)`);
    if (err.status === 403) return new EnumerationError('auth', `${what}: ${err.message}`);
    return new EnumerationError('network', `${what}: ${err.message}`);
  }
  if (err instanceof SourceError) return new EnumerationError(err.kind === 'unsupported' ? 'invalid' : err.kind, err.message);
  return new EnumerationError('network', `${what}: ${(err as Error)?.message ?? String(err)}`);
}
