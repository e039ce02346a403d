/**
 * GitLab (gitlab.com or self-managed) for portfolio runs.
 *
 * Enumeration: `GET /groups/:id/projects?include_subgroups=true` (subgroups included, shared
 * projects not), 100 per page, keyset pagination ordered by id where the instance supports it
 * (the `Link: rel="next"` header is followed either way). Archived projects and forks are flagged
 * (`archived`, `forked_from_project`), not dropped: the runner decides.
 *
 * Prefetch: the GitLab source has no multi-project query yet, so a "batch" is its projects'
 * sources created concurrently (one project request each); the rest of each source's requests
 * happen during its assessment. (GitLab's GraphQL `projects(fullPaths: [...])` could batch the
 * metadata part; see the portfolio notes in the report.)
 */
import { createGitLabSource, resolveInstance } from '../../sources/gitlab/index.js';
import type { Source } from '../../sources/source.js';
import { emptyRequestStats } from '../../sources/source.js';
import type { RemoteTarget } from '../../target.js';
import { HttpError, nextLink, requestJson, type HttpClientOptions } from '../http.js';
import { repoKey } from '../names.js';
import type { PortfolioPlatform, PortfolioSpec, PrefetchOutcome, RepoFailure, RepoRef } from '../types.js';
import { EnumerationError, failureOf, type PlatformOptions } from './common.js';

const SEGMENT = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}$/;

export function validGitLabPath(path: string): boolean {
  const parts = path.split('/');
  return parts.length >= 2 && parts.length <= 21 && parts.every((p) => SEGMENT.test(p) && !p.endsWith('.') && !/\.(git|atom)$/i.test(p));
}

interface RestProject {
  path_with_namespace: string;
  web_url?: string;
  archived?: boolean;
  forked_from_project?: unknown;
}

export class GitLabPlatform implements PortfolioPlatform {
  readonly platform = 'gitlab' as const;
  readonly maxBatch = 20;
  readonly origins: string[];
  private readonly instanceUrl: string;
  private readonly headers: Record<string, string>;
  private readonly secrets: string[];

  constructor(
    readonly host: string,
    private readonly o: PlatformOptions,
  ) {
    const target: RemoteTarget = { kind: 'remote', platform: 'gitlab', host, repo: 'x/y', url: `https://${host}/x/y` };
    const { instanceUrl, auth } = resolveInstance({ target, env: o.env, gitlabUrl: o.gitlabUrl });
    this.instanceUrl = instanceUrl.replace(/\/+$/, '');
    this.headers = {
      'user-agent': 'slsa-scorecard',
      ...(auth ? { [auth.kind === 'job-token' ? 'job-token' : 'private-token']: auth.token } : {}),
    };
    this.secrets = auth ? [auth.token] : [];
    this.origins = [new URL(this.instanceUrl).origin];
  }

  private http(): HttpClientOptions {
    return {
      timeoutMs: this.o.timeoutMs ?? 30_000,
      retries: this.o.retries ?? 3,
      retryBaseMs: this.o.retryBaseMs ?? 1000,
      rateLimitUnitMs: this.o.rateLimitUnitMs ?? 1000,
      maxRateLimitWaitS: 15 * 60,
      secrets: this.secrets,
      onRequest: this.o.countRequest,
      log: this.o.log,
    };
  }

  async *enumerate(spec: PortfolioSpec): AsyncIterable<RepoRef> {
    if (spec.kind !== 'gitlab-group') throw new Error(`GitLab cannot enumerate ${spec.kind}`);
    const group = spec.name.replace(/^\/+|\/+$/g, '');
    if (!group.split('/').every((p) => SEGMENT.test(p))) throw new EnumerationError('invalid', `"${spec.name}" is not a GitLab group path`);
    const what = `group ${group} on ${this.host}`;
    const params = new URLSearchParams({
      include_subgroups: 'true',
      with_shared: 'false',
      per_page: '100',
      order_by: 'id',
      sort: 'asc',
      pagination: 'keyset',
    });
    let url: string | undefined = `${this.instanceUrl}/api/v4/groups/${encodeURIComponent(group)}/projects?${params}`;
    const seen = new Set<string>([url]);
    const origin = new URL(this.instanceUrl).origin;
    while (url) {
      let page;
      try {
        page = await requestJson<RestProject[]>({ url, headers: this.headers }, this.http());
      } catch (err) {
        if (err instanceof HttpError) {
          if (err.status === 404)
            throw new EnumerationError(
              'not-found',
              `${what}: not found, or not visible ${this.secrets.length ? 'to the token' : 'without a token (set GITLAB_TOKEN)'}`,
            );
          if (err.status === 401 || err.status === 403) throw new EnumerationError('auth', `${what}: ${err.message}`);
        }
        throw new EnumerationError('network', `${what}: ${(err as Error).message}`);
      }
      for (const p of Array.isArray(page.data) ? page.data : []) {
        if (!p || typeof p.path_with_namespace !== 'string') continue;
        yield {
          platform: 'gitlab',
          host: this.host,
          repo: p.path_with_namespace,
          url: `https://${this.host}/${p.path_with_namespace}`,
          archived: !!p.archived,
          fork: p.forked_from_project !== undefined && p.forked_from_project !== null,
        };
      }
      const next = nextLink(page.headers.get('link'));
      url = next && new URL(next).origin === origin && !seen.has(next) ? next : undefined;
      if (url) seen.add(url);
    }
  }

  async prefetch(batch: RepoRef[]): Promise<PrefetchOutcome> {
    const sources = new Map<string, Source>();
    const failures = new Map<string, RepoFailure>();
    await Promise.all(
      batch.map(async (r) => {
        const key = repoKey(r);
        if (!validGitLabPath(r.repo)) {
          failures.set(key, {
            kind: 'invalid',
            message: `"${r.repo}" is not a valid GitLab project path (not assessed)`,
            transient: false,
          });
          return;
        }
        try {
          const src = await createGitLabSource({
            target: { kind: 'remote', platform: 'gitlab', host: this.host, repo: r.repo, url: r.url },
            env: this.o.env,
            gitlabUrl: this.o.gitlabUrl,
            cacheDir: this.o.cacheDir,
            timeoutMs: this.o.timeoutMs,
            retryBaseMs: this.o.retryBaseMs,
          });
          sources.set(key, src);
        } catch (err) {
          failures.set(key, failureOf(err));
        }
      }),
    );
    return { sources, failures, requests: emptyRequestStats() };
  }
}
