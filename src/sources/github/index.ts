/**
 * The GitHub source: facts from the REST and GraphQL APIs, without cloning.
 *
 * Request plan for a full assessment (every check), authenticated:
 *   GraphQL  1  the repository query (queries.ts): metadata, default branch + head commit, the last
 *               30 commits with signatures and their authors' organisations, classic protection
 *               (admin view and reader view), the rules that apply to the default branch (`Ref.rules`),
 *               rulesets, the release count, the 10 newest tags, 30 merged PRs with approvals/labels/
 *               CI rollup, recent issues with maintainer comments, and the owner's `.github` security
 *               policy — one request, memoized for every fact (a portfolio batches 20–100 of them);
 *   REST     1  tarball of the head commit (files + contents: see "Files" below);
 *   REST     1  contributors (+1 GraphQL only for those who are not recent committers);
 *   REST     1  releases (assets with digest and uploader) — only when the repository has releases;
 *   GraphQL  1  only when releases target other branches (≤3): their rules and classic views, at once;
 *   REST     ≤5 annotated tags' signature verification (`git/tags/{sha}`; GraphQL's Tag has none);
 *   REST     1  attestations for every release asset digest at once (`POST …/attestations/bulk-list`),
 *               + ≤3 provenance assets downloaded (`*.intoto.jsonl`, `*.sigstore.json`);
 *   REST     1  workflow runs — only when a check needs them (check.ts `readWhen`: a change whose own
 *               CI results show no test, a publishing workflow, a validated gradle-wrapper.jar);
 *   REST     2  webhooks and Actions token policy — only when the token is admin (viewerPermission
 *               says so), otherwise Unknown without a request.
 * Measured on the fake repositories (`npm run bench`): 6–9 requests with a read token (mean 7.2,
 * 1–2 GraphQL), 8–11 with an admin token; a portfolio of 1,000 repositories 2.9 per repository;
 * Scorecard spends ~70. Without a token GraphQL is unavailable (GitHub requires authentication):
 * REST only (13–17), 60 requests per hour, and the GraphQL-only facts (merged changes, activity,
 * contributors) are Unknown. Facts are lazy: a run that needs only files costs the repository query
 * and the tarball.
 *
 * Files — tarball vs GraphQL tree/blob reads, measured (test/fake-github/bench.ts, `filesStrategy`,
 * printed by `npm run bench`). The checks read the head of EVERY file (binary detection, shebangs)
 * plus whole CI/build/policy files, so either way every blob is read. Tree + blobs costs 1 REST
 * (`git/trees/{sha}?recursive=1`; GraphQL `Tree.entries` is one level) + ⌈files/100⌉ GraphQL batches
 * of aliased `object(expression: "HEAD:path") { ... on Blob { text isBinary byteSize } }` (GitHub's
 * 10 s / response-size limits cap a batch), + 1 REST blob read per binary (GraphQL has no bytes for
 * them, and magic-number detection needs the head). The tarball is 1 request for everything,
 * gzip-compressed. On the fake repositories (12 files, one ELF binary): tarball 1 request / ~1.5 KB,
 * tree + blobs 3 requests / ~4.8 KB (JSON-escaped text; the tree listing's bytes estimated from its
 * JSON shape). For 1,000 files the formula gives 1 vs 11 + binaries. So: the tarball, read in memory
 * (tarball.ts; decompression capped at 512 MB), and cached on disk by commit SHA (immutable) when a
 * cache directory is set.
 *
 * Octokit is imported (dynamically) by client.ts only; this module is itself loaded dynamically by
 * the source factory, so the CLI's cold start and the local path never load either.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { known, unknown, type Fact, type Unknown } from '../../facts/fact.js';
import type { CommitInfo, FileEntry, RepositoryInfo, TagInfo } from '../../facts/model.js';
import type {
  Activity,
  AttestationCheck,
  BranchProtection,
  CiTokenPolicy,
  Contributor,
  MergedChange,
  OwnerSettings,
  PlatformInfo,
  Release,
  TagProtection,
  Webhook,
  WorkflowRun,
} from '../../facts/platform.js';
import type { SecurityPolicyFile } from '../../facts/providers/docs.js';
import type { ProviderMap } from '../../facts/store.js';
import type { RemoteTarget } from '../../target.js';
import { SourceError, type RemoteSourceOptions } from '../remote.js';
import { emptyRequestStats, type Diagnostic, type FileRead, type RequestStats, type Source } from '../source.js';
import { buildOf, defaultVerifier, hexOf, PROVENANCE_ASSET, SIGNATURE_ASSET, type AttestationVerifier } from './attestations.js';
import { GitHubClient, type ApiFailure, type GraphqlError } from './client.js';
import { NEEDS, notVisibleWithToken, privateWithoutToken } from './permissions.js';
import { mergeProtection, type RuleDetail } from './protection.js';
import {
  branchesQuery,
  repositoryBatchQuery,
  usersQuery,
  type GqlClassicRule,
  type GqlOrgPolicyRepo,
  type GqlRefUpdateRule,
  type GqlRepo,
  type GqlRule,
  type GqlRuleset,
  type GqlTreeEntry,
} from './queries.js';
import { Redactor } from './redact.js';
import {
  actor,
  byVersionDesc,
  classicFromRest,
  commitInfo,
  gqlSignature,
  release as mapRelease,
  repoInfo,
  verificationResult,
  workflowRun,
  type RestCommit,
  type RestGitTag,
  type RestHook,
  type RestProtection,
  type RestRef,
  type RestRelease,
  type RestRepo,
  type RestWorkflowRun,
} from './rest.js';
import { readTarball, TarError, type TarContents } from './tarball.js';

export { Redactor } from './redact.js';
export type { AttestationVerifier, VerifiedAttestation, VerifyInput } from './attestations.js';

/** Knobs beyond RemoteSourceOptions (tests and the portfolio use them; the CLI does not need to). */
export interface GitHubSourceOptions extends RemoteSourceOptions {
  /** Retries after 5xx/network failures (default 3). */
  retries?: number;
  /** Back-off base: retry n waits n² × this (default 1000 ms). */
  retryBaseMs?: number;
  /** Unit of `retry-after` waits (default 1000 ms). */
  rateLimitUnitMs?: number;
  /** Attestation verification (default: the src/verify library). */
  verifier?: AttestationVerifier;
  /** Shared by sources that should share rate-limit pacing (a portfolio run). */
  throttleId?: string;
  /** Spacing of GraphQL requests (default: plugin-throttling's 1 s; tests use 0). */
  postSpacingMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DAY = 24 * 60 * 60 * 1000;
const MAX_TAG_VERIFICATIONS = 5;
const MAX_RELEASE_BRANCHES = 3;
const MAX_PROVENANCE_DOWNLOADS = 3;
const MAX_DIGEST_LOOKUPS = 10;
const RELEASES_PER_PAGE = 10;
/** Tarballs kept in the cache up to this size (compressed). */
const MAX_CACHED_TARBALL = 64 * 1024 * 1024;

interface Endpoints {
  apiUrl: string;
  graphqlUrl: string;
}

export function githubEndpoints(
  opts: Pick<RemoteSourceOptions, 'githubApiUrl' | 'githubGraphqlUrl' | 'env'> & { host: string },
): Endpoints {
  const trim = (u: string) => u.replace(/\/+$/, '');
  const envApi = opts.env.GITHUB_API_URL?.trim();
  const apiUrl = trim(
    opts.githubApiUrl ?? (envApi || (opts.host === 'github.com' ? 'https://api.github.com' : `https://${opts.host}/api/v3`)),
  );
  const envGql = opts.env.GITHUB_GRAPHQL_URL?.trim();
  const derived = /\/api\/v3$/.test(apiUrl) ? apiUrl.replace(/\/api\/v3$/, '/api/graphql') : `${apiUrl}/graphql`;
  // An explicit --github-api-url wins over the environment's GraphQL URL (which may point elsewhere).
  const graphqlUrl = trim(opts.githubGraphqlUrl ?? (opts.githubApiUrl ? derived : envGql || derived));
  return { apiUrl, graphqlUrl };
}

export function tokenFrom(env: NodeJS.ProcessEnv): string | undefined {
  const t = (env.GITHUB_TOKEN || env.GH_TOKEN || '').trim();
  return t || undefined;
}

async function makeClient(
  opts: Omit<GitHubSourceOptions, 'target'> & { host: string },
  stats: RequestStats,
  redactor: Redactor,
): Promise<GitHubClient> {
  const token = tokenFrom(opts.env);
  const ep = githubEndpoints(opts);
  return GitHubClient.create({
    token,
    ...ep,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    cacheDir: opts.cacheDir,
    stats,
    redactor,
    log: opts.log ? (l) => opts.log!(redactor.text(l)) : undefined,
    retries: opts.retries,
    retryBaseMs: opts.retryBaseMs,
    rateLimitUnitMs: opts.rateLimitUnitMs,
    throttleId: opts.throttleId,
    postSpacingMs: opts.postSpacingMs,
  });
}

function noteUnauthenticated(opts: { log?: (line: string) => void }): void {
  opts.log?.(
    'github: no GITHUB_TOKEN or GH_TOKEN: unauthenticated requests (60 per hour), public repositories only, ' +
      'and facts that need GraphQL (merged changes, activity, contributors’ organisations) are unknown',
  );
}

export async function createGitHubSource(opts: GitHubSourceOptions): Promise<Source> {
  const token = tokenFrom(opts.env);
  const redactor = new Redactor([token]);
  const stats = emptyRequestStats();
  const client = await makeClient({ ...opts, host: opts.target.host }, stats, redactor);
  if (!token) noteUnauthenticated(opts);
  const src = new GitHubSource(client, opts.target, opts, stats, redactor);
  await src.init();
  return src;
}

export interface PrefetchResult {
  /** Sources with their repository facts pre-seeded, by `host/owner/repo`. */
  sources: Map<string, Source>;
  /** Repositories that could not be assessed (not found, no access), by `host/owner/repo`. */
  errors: Map<string, SourceError>;
  /** Requests of the batched queries themselves (each source counts its own later requests). */
  requests: RequestStats;
}

export const targetKey = (t: RemoteTarget): string => `${t.host}/${t.repo}`;

/**
 * Repository facts for many repositories in ONE aliased GraphQL query per batch (`r0: repository(…)`).
 * A batch that fails as a whole (timeout, 502) is halved and retried, down to single repositories,
 * as Scorecard does; per-alias NOT_FOUND / FORBIDDEN errors fail only that repository.
 */
export async function prefetchGitHub(
  targets: RemoteTarget[],
  opts: Omit<GitHubSourceOptions, 'target'> & { batchSize?: number },
): Promise<PrefetchResult> {
  const token = tokenFrom(opts.env);
  const redactor = new Redactor([token]);
  const batchStats = emptyRequestStats();
  const sources = new Map<string, Source>();
  const errors = new Map<string, SourceError>();
  const throttleId = opts.throttleId ?? `slsa-scorecard-portfolio-${Math.random().toString(36).slice(2)}`;
  const o = { ...opts, throttleId };
  if (targets.length === 0) return { sources, errors, requests: batchStats };
  if (!token) noteUnauthenticated(o);
  const byHost = new Map<string, RemoteTarget[]>();
  for (const t of targets) byHost.set(t.host, [...(byHost.get(t.host) ?? []), t]);

  const single = async (t: RemoteTarget) => {
    try {
      sources.set(targetKey(t), await createGitHubSource({ ...o, target: t, log: undefined }));
    } catch (err) {
      errors.set(targetKey(t), err instanceof SourceError ? err : new SourceError('network', redactor.error(err)));
    }
  };

  for (const [host, list] of byHost) {
    if (!token) {
      for (const t of list) await single(t);
      continue;
    }
    const batchClient = await makeClient({ ...o, host }, batchStats, redactor);
    const size = Math.max(1, Math.min(100, opts.batchSize ?? 20));
    const queue: RemoteTarget[][] = [];
    for (let i = 0; i < list.length; i += size) queue.push(list.slice(i, i + size));
    while (queue.length > 0) {
      const batch = queue.shift()!;
      const since = new Date(Date.now() - 90 * DAY).toISOString();
      const repos = batch.map((t) => splitRepo(t.repo));
      const q = repositoryBatchQuery(repos);
      const r = await batchClient.graphql<Record<string, unknown>>(q.query, { ...q.variables, since });
      if (!r.ok) {
        if (r.status === 401) {
          for (const t of batch) errors.set(targetKey(t), new SourceError('auth', tokenRejected(t.host)));
          continue;
        }
        if (batch.length > 1) {
          const half = Math.ceil(batch.length / 2);
          queue.unshift(batch.slice(0, half), batch.slice(half));
        } else await single(batch[0]);
        continue;
      }
      const data = r.data.data ?? {};
      const errs = r.data.errors ?? [];
      for (let i = 0; i < batch.length; i++) {
        const t = batch[i];
        const alias = `r${i}`;
        const gql = data[alias] as GqlRepo | null | undefined;
        const own = errs.filter((e) => e.path?.[0] === alias);
        if (!gql) {
          const e = own[0];
          if (!e || e.type === 'NOT_FOUND') errors.set(targetKey(t), new SourceError('not-found', notVisibleWithToken(t.host, t.repo)));
          else if (e.type === 'FORBIDDEN')
            errors.set(targetKey(t), new SourceError('auth', `${t.host}/${t.repo}: ${redactor.text(e.message)}`));
          else await single(t);
          continue;
        }
        const ownerIdx = q.owners.findIndex((x) => x.toLowerCase() === repos[i].owner.toLowerCase());
        const orgAlias = `o${ownerIdx}`;
        const stats = emptyRequestStats();
        const client = await makeClient({ ...o, host }, stats, redactor);
        const src = new GitHubSource(client, t, { ...o, target: t }, stats, redactor);
        src.seed(gql, stripAlias(own), {
          data: (data[orgAlias] as GqlOrgPolicyRepo | null) ?? null,
          errors: stripAlias(errs.filter((e) => e.path?.[0] === orgAlias)),
        });
        sources.set(targetKey(t), src);
      }
    }
  }
  return { sources, errors, requests: batchStats };
}

function splitRepo(repo: string): { owner: string; name: string } {
  const i = repo.indexOf('/');
  return { owner: repo.slice(0, i), name: repo.slice(i + 1) };
}

function stripAlias(errs: GraphqlError[]): GraphqlError[] {
  return errs.map((e) => ({ ...e, path: e.path?.slice(1) }));
}

function tokenRejected(host: string): string {
  return `${host} rejected the token in GITHUB_TOKEN/GH_TOKEN (401 Bad credentials): check that it is valid and not expired`;
}

interface Core {
  mode: 'graphql' | 'rest';
  info: RepositoryInfo;
  owner: string;
  name: string;
  ownerType?: string;
  databaseId?: number;
  /** ADMIN, MAINTAIN, WRITE, TRIAGE, READ; null when GitHub does not say (apps). */
  viewerPermission?: string | null;
  defaultBranch?: string;
  head?: string;
  gql?: GqlRepo;
  errors: GraphqlError[];
  org?: { data: GqlOrgPolicyRepo | null; errors: GraphqlError[] };
}

export class GitHubSource implements Source {
  readonly platform = 'github' as const;
  readonly diagnostics: Diagnostic[] = [];
  readonly providers: Partial<ProviderMap>;
  private core!: Core;
  private readonly memo = new Map<string, Promise<unknown>>();
  private readonly owner: string;
  private readonly name: string;

  constructor(
    private readonly client: GitHubClient,
    readonly target: RemoteTarget,
    private readonly opts: GitHubSourceOptions,
    readonly requests: RequestStats,
    private readonly redactor: Redactor,
  ) {
    ({ owner: this.owner, name: this.name } = splitRepo(target.repo));
    this.providers = {
      repository: async () => known(this.core.info),
      commit: async () => this.commit(),
      files: () => this.once('files', () => this.files()),
      tags: () => this.once('tags', () => this.tags()),
      recentCommits: () => this.once('recentCommits', () => this.recentCommits()),
      orgSecurityPolicy: () => this.once('orgSecurityPolicy', () => this.orgSecurityPolicy()),
      platform: async () => known(this.platformInfo()),
      branchProtection: () => this.once('branchProtection', () => this.branchProtection()),
      tagProtection: async () => this.tagProtection(),
      ownerSettings: async () => this.ownerSettings(),
      mergedChanges: () => this.once('mergedChanges', () => this.mergedChanges()),
      releases: () => this.once('releases', () => this.releases().then((r) => (r.known ? known(r.value.map(mapRelease)) : r))),
      attestations: () => this.once('attestations', () => this.attestations()),
      workflowRuns: () => this.once('workflowRuns', () => this.workflowRuns()),
      webhooks: () => this.once('webhooks', () => this.webhooks()),
      contributors: () => this.once('contributors', () => this.contributors()),
      ciTokenPolicy: () => this.once('ciTokenPolicy', () => this.ciTokenPolicy()),
      activity: () => this.once('activity', () => this.activity()),
    };
  }

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn().catch((err) => unknown(`could not determine ${key}: ${this.redactor.error(err)}`) as T);
      this.memo.set(key, p);
    }
    return p;
  }

  private get repoRef(): string {
    return `${this.target.host}/${this.target.repo}`;
  }

  // ── Initialisation: the repository query (GraphQL), or REST without a token ──

  /** Fetches the repository core; throws SourceError when the repository cannot be assessed at all. */
  async init(): Promise<void> {
    if (this.client.authenticated) {
      const since = new Date(Date.now() - 90 * DAY).toISOString();
      const q = repositoryBatchQuery([{ owner: this.owner, name: this.name }]);
      const r = await this.client.graphql<Record<string, unknown>>(q.query, { ...q.variables, since });
      if (r.ok) {
        const errs = r.data.errors ?? [];
        const gql = r.data.data?.r0 as GqlRepo | null | undefined;
        if (gql) {
          this.seed(gql, stripAlias(errs.filter((e) => e.path?.[0] === 'r0')), {
            data: (r.data.data?.o0 as GqlOrgPolicyRepo | null) ?? null,
            errors: stripAlias(errs.filter((e) => e.path?.[0] === 'o0')),
          });
          return;
        }
        const e = errs.find((x) => x.path?.[0] === 'r0') ?? errs[0];
        if (!e || e.type === 'NOT_FOUND') throw new SourceError('not-found', notVisibleWithToken(this.target.host, this.target.repo));
        if (e.type === 'FORBIDDEN') throw new SourceError('auth', `${this.repoRef}: ${this.redactor.text(e.message)}`);
        this.diagnostics.push({ message: `GitHub GraphQL error (${this.redactor.text(e.message)}): falling back to REST` });
      } else {
        if (r.status === 401) throw new SourceError('auth', tokenRejected(this.target.host));
        this.diagnostics.push({ message: `GitHub GraphQL query failed (${r.message}): falling back to REST` });
      }
    }
    await this.initRest();
  }

  /** Seeds the core from a GraphQL repository result (the single query, or a portfolio batch). */
  seed(gql: GqlRepo, errors: GraphqlError[], org: { data: GqlOrgPolicyRepo | null; errors: GraphqlError[] }): void {
    const target = gql.defaultBranchRef?.target;
    const info: RepositoryInfo = {
      platform: 'github',
      host: this.target.host,
      repo: gql.nameWithOwner,
      url: gql.url,
      ...(gql.defaultBranchRef?.name ? { defaultBranch: gql.defaultBranchRef.name } : {}),
      archived: gql.isArchived,
      fork: gql.isFork,
      empty: gql.isEmpty,
      createdAt: gql.createdAt,
      ...(gql.pushedAt ? { pushedAt: gql.pushedAt } : {}),
      license: gql.licenseInfo?.spdxId && gql.licenseInfo.spdxId !== 'NOASSERTION' ? gql.licenseInfo.spdxId : null,
      visibility: gql.visibility === 'INTERNAL' ? 'internal' : gql.visibility === 'PRIVATE' ? 'private' : 'public',
    };
    this.core = {
      mode: 'graphql',
      info,
      owner: gql.owner.login,
      name: gql.nameWithOwner.split('/')[1] ?? this.name,
      ownerType: gql.owner.__typename,
      ...(gql.databaseId !== null ? { databaseId: gql.databaseId } : {}),
      viewerPermission: gql.viewerPermission,
      ...(gql.defaultBranchRef ? { defaultBranch: gql.defaultBranchRef.name } : {}),
      ...(target?.oid ? { head: target.oid } : {}),
      gql,
      errors,
      org,
    };
  }

  private async initRest(): Promise<void> {
    const r = await this.client.rest<RestRepo>('GET /repos/{owner}/{repo}', { owner: this.owner, repo: this.name });
    if (!r.ok) {
      if (r.status === 404 || r.status === 403) {
        if (!this.client.authenticated) throw new SourceError('auth', privateWithoutToken(this.target.host, this.target.repo));
        throw new SourceError('not-found', notVisibleWithToken(this.target.host, this.target.repo));
      }
      if (r.status === 401) throw new SourceError('auth', tokenRejected(this.target.host));
      throw new SourceError('network', `${this.repoRef}: ${r.message}`);
    }
    const repo = r.data;
    const info = repoInfo(repo, this.target.host);
    const branch = repo.default_branch;
    let head: string | undefined;
    if (branch) {
      // The head commit: one small request (the commits list is fetched only if recentCommits is asked).
      const c = await this.client.rest<string>(
        'GET /repos/{owner}/{repo}/commits/{ref}',
        { owner: this.owner, repo: this.name, ref: branch },
        { accept: 'application/vnd.github.sha', text: true },
      );
      if (c.ok && typeof c.data === 'string' && /^[0-9a-f]{40,64}$/.test(c.data.trim())) head = c.data.trim();
      else if (!c.ok && (c.status === 409 || c.status === 404)) info.empty = true;
      else if (!c.ok) this.diagnostics.push({ message: `head commit of ${branch} not read: ${c.message}` });
    } else info.empty = true;
    if (info.empty === undefined) info.empty = false;
    const perm = repo.permissions;
    this.core = {
      mode: 'rest',
      info,
      owner: repo.owner.login,
      name: repo.full_name.split('/')[1] ?? this.name,
      ownerType: repo.owner.type,
      databaseId: repo.id,
      viewerPermission: perm
        ? perm.admin
          ? 'ADMIN'
          : perm.maintain
            ? 'MAINTAIN'
            : perm.push
              ? 'WRITE'
              : perm.triage
                ? 'TRIAGE'
                : 'READ'
        : this.client.authenticated
          ? null
          : 'READ',
      ...(branch ? { defaultBranch: branch } : {}),
      ...(head ? { head } : {}),
      errors: [],
    };
  }

  // ── GraphQL partial errors ──

  /** The Unknown for a part of the repository query that errored (FORBIDDEN → `needs`), if it did. */
  private gqlError(path: Array<string | number>, needs?: string): Unknown | undefined {
    const e = this.core.errors.find((x) => {
      const p = x.path ?? [];
      const n = Math.min(p.length, path.length);
      return p.length > 0 && p.slice(0, n).every((seg, i) => seg === path[i]);
    });
    if (!e) return undefined;
    const msg = this.redactor.text(e.message);
    if (e.type === 'FORBIDDEN' || /not accessible|must have admin|permission/i.test(msg)) return unknown(`GitHub GraphQL: ${msg}`, needs);
    return unknown(`GitHub GraphQL error: ${msg}`, needs);
  }

  private noGraphql(what: string): Unknown {
    return this.client.authenticated
      ? unknown(`${what}: GitHub's GraphQL API did not answer (see diagnostics)`)
      : unknown(`${what} come from GitHub's GraphQL API, which needs authentication`, NEEDS.token);
  }

  private failed(f: ApiFailure, what: string, needs?: string): Unknown {
    if (f.kind === 'http' && f.status === 401)
      return unknown(`${what}: GitHub rejected the token (401)`, 'a valid token in GITHUB_TOKEN or GH_TOKEN');
    if (f.kind === 'http' && (f.status === 403 || f.status === 404)) {
      return unknown(
        `${what}: no access (${f.status}${f.apiMessage ? ` ${f.apiMessage}` : ''})`,
        needs ?? (this.client.authenticated ? undefined : NEEDS.token),
      );
    }
    return unknown(`${what}: ${f.message}`);
  }

  private get isEmpty(): boolean {
    return this.core.info.empty === true;
  }

  // ── Facts ──

  private async commit(): Promise<Fact<string>> {
    if (this.isEmpty) return unknown('the repository is empty (no commits)');
    return this.core.head ? known(this.core.head) : unknown('the head commit of the default branch could not be read');
  }

  private platformInfo(): PlatformInfo {
    return {
      kind: this.target.host === 'github.com' ? 'github.com' : 'ghes',
      authenticated: this.client.authenticated,
      ...(this.client.tokenScopes ? { tokenScopes: [...this.client.tokenScopes] } : {}),
    };
  }

  // Files: one tarball of the head commit (see the header comment for the measurement).

  private tar(): Promise<Fact<TarContents>> {
    return this.once('tarball', async () => {
      if (this.isEmpty) return known({ entries: new Map(), issues: [] } as TarContents);
      const head = this.core.head;
      if (!head) return unknown('the head commit of the default branch could not be read', NEEDS.contents);
      const cached = await this.readCachedTarball(head);
      let buf = cached;
      if (!buf) {
        const r = await this.client.rest<Buffer>(
          'GET /repos/{owner}/{repo}/tarball/{ref}',
          { owner: this.owner, repo: this.name, ref: head },
          { binary: true },
        );
        if (!r.ok) return this.failed(r, 'repository files', NEEDS.contents);
        buf = r.data;
      } else this.requests.cached++;
      try {
        const contents = readTarball(buf);
        for (const issue of contents.issues) this.diagnostics.push({ message: issue });
        if (!cached) await this.writeCachedTarball(head, buf);
        return known(contents);
      } catch (err) {
        if (err instanceof TarError) return unknown(`repository files: ${err.message}`);
        throw err;
      }
    });
  }

  private tarballCachePath(sha: string): string | undefined {
    if (!this.opts.cacheDir) return undefined;
    const token = tokenFrom(this.opts.env);
    const id = token ? createHash('sha256').update(`slsa-scorecard\0${token}`).digest('hex').slice(0, 20) : 'anonymous';
    const repoKey = createHash('sha256').update(`${this.target.host}/${this.target.repo}`.toLowerCase()).digest('hex').slice(0, 20);
    return join(this.opts.cacheDir, 'github', this.target.host.replace(/[^A-Za-z0-9.-]/g, '_'), id, 'tarballs', repoKey, `${sha}.tar.gz`);
  }

  private async readCachedTarball(sha: string): Promise<Buffer | undefined> {
    const p = this.tarballCachePath(sha);
    if (!p) return undefined;
    try {
      return await readFile(p);
    } catch {
      return undefined;
    }
  }

  private async writeCachedTarball(sha: string, buf: Buffer): Promise<void> {
    const p = this.tarballCachePath(sha);
    if (!p || buf.length > MAX_CACHED_TARBALL) return;
    const tmp = `${p}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await mkdir(join(p, '..'), { recursive: true });
      await writeFile(tmp, buf);
      await rename(tmp, p);
    } catch {
      /* no cache is not a failure */
    }
  }

  private async files(): Promise<Fact<FileEntry[]>> {
    const t = await this.tar();
    if (!t.known) return t;
    const out: FileEntry[] = [];
    for (const e of t.value.entries.values()) out.push({ path: e.path, size: e.size, kind: e.kind });
    return known(out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)));
  }

  async readFile(path: string, opts: { maxBytes?: number; head?: boolean } = {}): Promise<FileRead> {
    const max = opts.maxBytes ?? 1024 * 1024;
    const t = await this.tar();
    if (!t.known) return { ok: false, kind: 'unreadable', reason: t.reason };
    const e = t.value.entries.get(path);
    if (!e) return { ok: false, kind: 'not-found', reason: 'no such file' };
    if (e.kind === 'symlink') return { ok: false, kind: 'symlink', reason: 'is a symbolic link (not followed)' };
    if (e.size > max && !opts.head)
      return { ok: false, kind: 'too-large', reason: `file is ${e.size} bytes, over the ${max}-byte read limit` };
    return { ok: true, data: e.size > max ? e.data.subarray(0, max) : e.data, size: e.size };
  }

  // Commits and tags

  private async recentCommits(): Promise<Fact<CommitInfo[]>> {
    if (this.isEmpty) return known([]);
    if (this.core.mode === 'graphql') {
      const err = this.gqlError(['defaultBranchRef', 'target', 'history'], NEEDS.contents);
      if (err) return err;
      const t = this.core.gql!.defaultBranchRef?.target;
      const nodes = t && 'history' in t ? (t.history?.nodes ?? []) : [];
      return known(
        nodes.map((n) => ({
          sha: n.oid,
          date: n.committedDate,
          ...(n.author?.user?.login ? { author: n.author.user.login } : n.author?.name ? { author: n.author.name } : {}),
          ...gqlSignature(n.signature),
        })),
      );
    }
    const r = await this.restCommits();
    return r.known ? known(r.value.map(commitInfo)) : r;
  }

  private restCommits(): Promise<Fact<RestCommit[]>> {
    return this.once('restCommits', async () => {
      const r = await this.client.rest<RestCommit[]>('GET /repos/{owner}/{repo}/commits', {
        owner: this.owner,
        repo: this.name,
        sha: this.core.defaultBranch,
        per_page: 30,
      });
      if (!r.ok) return r.status === 409 ? known([]) : this.failed(r, 'recent commits', NEEDS.contents);
      return known(r.data);
    });
  }

  private async tags(): Promise<Fact<TagInfo[]>> {
    if (this.isEmpty) return known([]);
    interface Raw {
      name: string;
      commit: string;
      annotated: boolean;
      tagSha?: string;
      date?: string;
      commitSig?: { signature: TagInfo['signature']; verified: boolean | null };
    }
    let raws: Raw[];
    if (this.core.mode === 'graphql') {
      const err = this.gqlError(['tags'], NEEDS.contents);
      if (err) return err;
      raws = [];
      for (const n of this.core.gql!.tags?.nodes ?? []) {
        const t = n?.target;
        if (!n || !t) continue;
        if (t.__typename === 'Tag') {
          raws.push({
            name: n.name,
            commit: t.target?.oid ?? t.oid,
            annotated: true,
            tagSha: t.oid,
            ...(t.tagger?.date ? { date: t.tagger.date } : {}),
          });
        } else {
          raws.push({
            name: n.name,
            commit: t.oid,
            annotated: false,
            ...(t.committedDate ? { date: t.committedDate } : {}),
            commitSig: gqlSignature(t.signature),
          });
        }
      }
    } else {
      const r = await this.client.rest<RestRef[]>('GET /repos/{owner}/{repo}/git/matching-refs/{ref}', {
        owner: this.owner,
        repo: this.name,
        ref: 'tags',
        per_page: 100,
      });
      if (!r.ok) return r.status === 409 ? known([]) : this.failed(r, 'tags', NEEDS.contents);
      raws = r.data
        .map((ref) => ({
          name: ref.ref.replace(/^refs\/tags\//, ''),
          commit: ref.object.sha,
          annotated: ref.object.type === 'tag',
          tagSha: ref.object.type === 'tag' ? ref.object.sha : undefined,
        }))
        .sort((a, b) => byVersionDesc(a.name, b.name))
        .slice(0, 10);
    }
    // Newest first; annotated tags need one REST request each for their signature verification, so
    // the list stops before the (MAX+1)th annotated tag: the window it covers is fully described.
    const window: Raw[] = [];
    let annotated = 0;
    for (const t of raws) {
      if (t.annotated && ++annotated > MAX_TAG_VERIFICATIONS) break;
      window.push(t);
    }
    const out: TagInfo[] = [];
    const failures: string[] = [];
    await Promise.all(
      window.map(async (t, i) => {
        if (!t.annotated) {
          const s = t.commitSig;
          out[i] = {
            name: t.name,
            commit: t.commit,
            annotated: false,
            signature: null,
            verified: null,
            ...(s?.signature
              ? {
                  verifyDetail: `lightweight tag; the commit it points at has a ${s.signature} signature${s.verified === true ? ' that GitHub verified' : s.verified === false ? ' that does not verify' : ''}`,
                }
              : {}),
            ...(t.date ? { date: t.date } : {}),
          };
          return;
        }
        const r = await this.client.rest<RestGitTag>('GET /repos/{owner}/{repo}/git/tags/{tag_sha}', {
          owner: this.owner,
          repo: this.name,
          tag_sha: t.tagSha,
        });
        if (!r.ok) {
          failures.push(`${t.name}: ${r.message}`);
          return;
        }
        const v = verificationResult(r.data.verification);
        out[i] = {
          name: t.name,
          commit: r.data.object?.type === 'commit' ? r.data.object.sha : t.commit,
          annotated: true,
          signature: v.signature,
          verified: v.verified,
          ...(v.detail ? { verifyDetail: v.detail } : {}),
          ...(r.data.tagger?.date ? { date: r.data.tagger.date } : t.date ? { date: t.date } : {}),
        };
      }),
    );
    const tags = out.filter(Boolean);
    if (failures.length > 0) {
      if (tags.length === 0 && window.length > 0) return unknown(`tag objects could not be read: ${failures[0]}`, NEEDS.contents);
      this.diagnostics.push({ message: `tags left out (their tag objects could not be read): ${failures.join('; ')}` });
    }
    return known(tags);
  }

  // Security policy of the owner's `.github` repository

  private async orgSecurityPolicy(): Promise<Fact<SecurityPolicyFile | null>> {
    if (this.core.mode === 'graphql' && this.core.org) {
      const { data, errors } = this.core.org;
      if (!data) {
        const e = errors[0];
        if (!e || e.type === 'NOT_FOUND') return known(null);
        return unknown(`the owner's .github repository could not be read: ${this.redactor.text(e.message)}`, NEEDS.contents);
      }
      const dirs: Array<[string, GqlTreeEntry[] | undefined]> = [
        ['.github/', data.dotgithub?.entries],
        ['', data.root?.entries],
        ['docs/', data.docs?.entries],
      ];
      for (const [dir, entries] of dirs) {
        const hit = (entries ?? []).find((e) => e.type === 'blob' && /^security\.(md|markdown|adoc|rst)$/i.test(e.name));
        if (!hit) continue;
        const path = `${dir}${hit.name}`;
        const size = hit.object?.byteSize ?? 0;
        const loc = { path, line: 1, column: 1 };
        const url = `${data.url}/blob/HEAD/${path}`;
        if (hit.object?.isBinary || typeof hit.object?.text !== 'string') {
          return known({ path, url, size, text: null, issues: [{ message: 'not read: binary or unavailable content', loc }] });
        }
        return known({
          path,
          url,
          size,
          text: hit.object.text,
          issues: hit.object.isTruncated ? [{ message: 'truncated by the API', loc }] : [],
        });
      }
      return known(null);
    }
    return this.restOrgSecurityPolicy();
  }

  private async restOrgSecurityPolicy(): Promise<Fact<SecurityPolicyFile | null>> {
    type Item = { name: string; type: string; path: string; size: number; html_url?: string };
    const list = async (path: string) =>
      this.client.rest<Item[] | Item>('GET /repos/{owner}/{repo}/contents/{path}', { owner: this.core.owner, repo: '.github', path });
    const root = await list('');
    if (!root.ok) return root.status === 404 ? known(null) : this.failed(root, "the owner's .github repository", NEEDS.contents);
    const rootItems = Array.isArray(root.data) ? root.data : [];
    const find = (items: Item[]) => items.find((e) => e.type === 'file' && /^security\.(md|markdown|adoc|rst)$/i.test(e.name));
    let hit: Item | undefined;
    const dotgithub = rootItems.find((e) => e.type === 'dir' && e.name === '.github');
    if (dotgithub) {
      const r = await list('.github');
      if (r.ok && Array.isArray(r.data)) hit = find(r.data);
    }
    hit ??= find(rootItems);
    if (!hit) return known(null);
    const f = await this.client.rest<string>(
      'GET /repos/{owner}/{repo}/contents/{path}',
      { owner: this.core.owner, repo: '.github', path: hit.path },
      { accept: 'application/vnd.github.raw+json', text: true },
    );
    const loc = { path: hit.path, line: 1, column: 1 };
    if (!f.ok || typeof f.data !== 'string')
      return known({ path: hit.path, url: hit.html_url, size: hit.size, text: null, issues: [{ message: 'not read', loc }] });
    return known({ path: hit.path, url: hit.html_url, size: hit.size, text: f.data, issues: [] });
  }

  // Branch protection

  private async branchProtection(): Promise<Fact<BranchProtection[]>> {
    if (this.isEmpty || !this.core.defaultBranch) return known([]);
    const def = this.core.defaultBranch;
    const rel = await this.releases();
    const releaseBranches = rel.known
      ? [...new Set(rel.value.filter((r) => !r.draft).map((r) => r.target_commitish))]
          .filter((b) => b && b !== def && !/^[0-9a-f]{40}$/i.test(b) && !b.startsWith('refs/tags/'))
          .map((b) => b.replace(/^refs\/heads\//, ''))
          .slice(0, MAX_RELEASE_BRANCHES)
      : [];
    const branches = [def, ...releaseBranches];
    // The default branch's rules came with the repository query (`Ref.rules`); release branches'
    // rules and classic views come in ONE more GraphQL query. REST (no token): rules-for-branch.
    const [defaultRules, views] = await Promise.all([this.defaultBranchRules(def), this.classicViews(branches)]);
    const rulesets = this.rulesets();
    return known(
      branches.map((b, i) =>
        mergeProtection({
          branch: b,
          isDefault: i === 0,
          rules: i === 0 ? defaultRules : views[i].rules,
          classic: views[i].classic,
          refUpdateRule: views[i].refUpdateRule,
          rulesets,
        }),
      ),
    );
  }

  private async defaultBranchRules(branch: string): Promise<Fact<RuleDetail[]>> {
    const ref = this.core.gql?.defaultBranchRef;
    // Without the GraphQL answer (REST mode): rules-for-branch.
    if (this.core.mode !== 'graphql' || !ref || ref.rules === undefined) return this.rulesFor(branch);
    const err = this.gqlError(['defaultBranchRef', 'rules'], NEEDS.metadata);
    if (err && !ref.rules) return err;
    return known((ref.rules?.nodes ?? []).filter((n): n is GqlRule => !!n).map(ruleFromGraphql));
  }

  private async rulesFor(branch: string): Promise<Fact<RuleDetail[]>> {
    const r = await this.client.rest<RuleDetail[]>('GET /repos/{owner}/{repo}/rules/branches/{branch}', {
      owner: this.owner,
      repo: this.name,
      branch,
      per_page: 100,
    });
    if (!r.ok) return this.failed(r, `rules for branch ${branch}`, NEEDS.metadata);
    return known(Array.isArray(r.data) ? r.data : []);
  }

  private rulesets(): Fact<GqlRuleset[]> {
    if (this.core.mode !== 'graphql')
      return unknown('rulesets are read through GraphQL', this.client.authenticated ? undefined : NEEDS.token);
    const all = this.gqlError(['rulesets'], NEEDS.metadata);
    if (all && !this.core.gql!.rulesets) return all;
    const nodes = (this.core.gql!.rulesets?.nodes ?? []).map((n, i) => {
      if (!n) return n;
      // bypassActors is shown only to those who can edit the ruleset: an error there → null (unknown).
      const hidden = this.gqlError(['rulesets', 'nodes', i, 'bypassActors']);
      return hidden ? { ...n, bypassActors: null } : n;
    });
    return known(nodes.filter((n): n is GqlRuleset => !!n));
  }

  /** Tag rulesets (from the repository query's rulesets): the rules that keep release tags in place. */
  private tagProtection(): Fact<TagProtection[]> {
    const rulesets = this.rulesets();
    if (!rulesets.known) return rulesets;
    const out: TagProtection[] = [];
    for (const n of rulesets.value) {
      if (n.target !== 'TAG') continue;
      const types = new Set((n.rules?.nodes ?? []).map((r) => r?.type));
      out.push({
        source: 'github-ruleset',
        name: n.name,
        include: n.conditions.refName?.include ?? [],
        exclude: n.conditions.refName?.exclude ?? [],
        enforced: n.enforcement === 'ACTIVE',
        updateBlocked: known(types.has('UPDATE')),
        deletionBlocked: known(types.has('DELETION')),
        creationRestricted: known(types.has('CREATION')),
        bypassActors: n.bypassActors
          ? known(n.bypassActors.totalCount)
          : unknown('who may bypass a ruleset is visible only to those who can edit it', NEEDS.admin),
      });
    }
    return known(out);
  }

  /** The owner's two-factor requirement: an organization field only its owners can read. */
  private ownerSettings(): Fact<OwnerSettings> {
    const name = this.core.owner;
    if (this.core.mode !== 'graphql') {
      const u = unknown("the owner's settings are read through GraphQL", this.client.authenticated ? undefined : NEEDS.token);
      return known({ kind: this.core.ownerType === 'User' ? 'user' : 'organization', name, twoFactorRequired: u });
    }
    const owner = this.core.gql!.owner;
    if (owner.__typename !== 'Organization') {
      return known({
        kind: 'user',
        name,
        twoFactorRequired: unknown(
          'a personal account cannot require two-factor authentication of others (github.com requires it of everyone who contributes code, but that is not verifiable per account)',
          'move the repository to an organization that requires two-factor authentication',
        ),
      });
    }
    const v = owner.requiresTwoFactorAuthentication;
    return known({
      kind: 'organization',
      name,
      twoFactorRequired:
        typeof v === 'boolean'
          ? known(v)
          : unknown('only organization owners can see whether two-factor authentication is required', NEEDS.orgOwner),
    });
  }

  /** The classic rule of each branch as the token sees it: admin view, reader view. */
  private async classicViews(branches: string[]): Promise<BranchView[]> {
    const adminNeeded = unknown('classic branch protection is only visible to admins', NEEDS.admin);
    const interpret = (
      admin: GqlClassicRule | null | undefined,
      adminErr: Unknown | undefined,
      reader: GqlRefUpdateRule | null | undefined,
      readerErr: Unknown | undefined,
      viewer: string | null | undefined,
    ) => {
      const refUpdateRule: Fact<GqlRefUpdateRule | null> = readerErr ?? known(reader ?? null);
      let classic: Fact<GqlClassicRule | null>;
      const rules = unknown('not read') as Fact<RuleDetail[]>;
      if (adminErr) classic = adminErr.needs ? adminErr : unknown(adminErr.reason, NEEDS.admin);
      else if (admin) classic = known(admin);
      // Null for a non-admin while the reader's view shows a rule: hidden, not absent.
      else if (viewer !== 'ADMIN' && reader) classic = adminNeeded;
      else classic = known(null);
      return { classic, refUpdateRule, rules };
    };
    const out: BranchView[] = [];
    if (this.core.mode === 'graphql') {
      const d = this.core.gql!.defaultBranchRef;
      out.push(
        interpret(
          d?.branchProtectionRule,
          this.gqlError(['defaultBranchRef', 'branchProtectionRule'], NEEDS.admin),
          d?.refUpdateRule,
          this.gqlError(['defaultBranchRef', 'refUpdateRule']),
          this.core.viewerPermission,
        ),
      );
      const others = branches.slice(1);
      if (others.length > 0) {
        const vars: Record<string, string> = { owner: this.owner, name: this.name };
        others.forEach((b, i) => (vars[`b${i}`] = `refs/heads/${b}`));
        const r = await this.client.graphql<{ repository: Record<string, unknown> | null }>(branchesQuery(others.length), vars);
        others.forEach((_b, i) => {
          if (!r.ok) {
            const u = unknown(`protection of release branches: ${r.message}`);
            out.push({ classic: u, refUpdateRule: u, rules: u });
            return;
          }
          const ref = r.data.data?.repository?.[`b${i}`] as
            | {
                refUpdateRule: GqlRefUpdateRule | null;
                branchProtectionRule: GqlClassicRule | null;
                rules: { nodes: Array<GqlRule | null> | null } | null;
              }
            | null
            | undefined;
          const errs = (r.data.errors ?? []).filter((e) => e.path?.[1] === `b${i}`);
          const adminErr = errs.find((e) => e.path?.[2] === 'branchProtectionRule');
          const rulesErr = errs.find((e) => e.path?.[2] === 'rules' || e.path?.length === 2);
          const view = interpret(
            ref?.branchProtectionRule,
            adminErr ? unknown(`GitHub GraphQL: ${this.redactor.text(adminErr.message)}`, NEEDS.admin) : undefined,
            ref?.refUpdateRule,
            undefined,
            (r.data.data?.repository?.viewerPermission as string | null | undefined) ?? this.core.viewerPermission,
          );
          view.rules = rulesErr
            ? unknown(`rules for branch ${others[i]}: ${this.redactor.text(rulesErr.message)}`, NEEDS.metadata)
            : known((ref?.rules?.nodes ?? []).filter((n): n is GqlRule => !!n).map(ruleFromGraphql));
          out.push(view);
        });
      }
      return out;
    }
    // REST: classic protection with a token (admin); anonymous: only whether the branch is protected.
    return Promise.all(
      branches.map(async (b, i) => ({
        ...(await this.restClassicView(b)),
        rules: i === 0 ? unknown('read separately') : await this.rulesFor(b),
      })),
    );
  }

  private async restClassicView(b: string): Promise<Omit<BranchView, 'rules'>> {
    {
      {
        if (this.client.authenticated) {
          const r = await this.client.rest<RestProtection>('GET /repos/{owner}/{repo}/branches/{branch}/protection', {
            owner: this.owner,
            repo: this.name,
            branch: b,
          });
          if (r.ok) return { classic: known(classicFromRest(r.data)), refUpdateRule: unknown('read through GraphQL') };
          // 404 "Branch not protected" is an answer (no classic rule); a bare 404/403 means no access.
          if (r.status === 404 && /branch not protected/i.test(r.apiMessage ?? ''))
            return { classic: known(null), refUpdateRule: known(null) };
          return { classic: this.failed(r, 'classic branch protection', NEEDS.admin), refUpdateRule: unknown('read through GraphQL') };
        }
        const r = await this.client.rest<{ protected: boolean }>('GET /repos/{owner}/{repo}/branches/{branch}', {
          owner: this.owner,
          repo: this.name,
          branch: b,
        });
        if (r.ok && r.data.protected === false) return { classic: known(null), refUpdateRule: known(null) };
        const hidden = r.ok
          ? unknown('classic branch protection is not visible without a token', NEEDS.token)
          : this.failed(r, `branch ${b}`);
        return { classic: hidden, refUpdateRule: hidden };
      }
    }
  }

  // Merged pull requests (GraphQL)

  private async mergedChanges(): Promise<Fact<MergedChange[]>> {
    if (this.isEmpty) return known([]);
    if (this.core.mode !== 'graphql') return this.noGraphql('merged pull requests');
    const err = this.gqlError(['mergedPRs'], NEEDS.pulls);
    if (err && !this.core.gql!.mergedPRs) return err;
    const out: MergedChange[] = [];
    for (const pr of this.core.gql!.mergedPRs?.nodes ?? []) {
      if (!pr || !pr.mergedAt) continue;
      const author = actor(pr.author);
      const approvers = [
        ...new Set((pr.reviews?.nodes ?? []).map((r) => r?.author?.login).filter((l): l is string => !!l && l !== author?.login)),
      ];
      const contexts = pr.commits?.nodes?.[0]?.commit?.statusCheckRollup?.contexts?.nodes ?? [];
      const checks: NonNullable<MergedChange['checks']> = [];
      for (const c of contexts) {
        if (!c) continue;
        if (c.__typename === 'CheckRun')
          checks.push({
            name: c.name ?? '',
            conclusion: checkConclusion(c.status, c.conclusion),
            ...(c.checkSuite?.app?.slug ? { app: c.checkSuite.app.slug } : {}),
          });
        else if (c.__typename === 'StatusContext') checks.push({ name: c.context ?? '', conclusion: statusConclusion(c.state) });
      }
      out.push({
        number: pr.number,
        url: pr.url,
        title: pr.title,
        author,
        mergedBy: actor(pr.mergedBy),
        mergedAt: pr.mergedAt,
        ...(pr.mergeCommit?.oid ? { mergeCommit: pr.mergeCommit.oid } : {}),
        headCommit: pr.headRefOid,
        approvers,
        labels: (pr.labels?.nodes ?? []).map((l) => l?.name).filter((l): l is string => !!l),
        checks,
      });
    }
    return known(out.sort((a, b) => Date.parse(b.mergedAt) - Date.parse(a.mergedAt)));
  }

  private async activity(): Promise<Fact<Activity>> {
    const since = Date.now() - 90 * DAY;
    if (this.isEmpty) return known({ createdAt: this.core.info.createdAt, recentCommits: 0, maintainerIssueActivity: 0 });
    if (this.core.mode !== 'graphql') return this.noGraphql('maintainer activity (issues)');
    const commits = await this.recentCommits();
    if (!commits.known) return commits;
    const err = this.gqlError(['issues'], NEEDS.issues);
    if (err && !this.core.gql!.issues) return err;
    const maint = new Set(['OWNER', 'MEMBER', 'COLLABORATOR']);
    const recent = (d: string | undefined) => !!d && Date.parse(d) >= since;
    let issues = 0;
    for (const i of this.core.gql!.issues?.nodes ?? []) {
      if (!i) continue;
      const byMaintainer =
        (maint.has(i.authorAssociation) && recent(i.createdAt)) ||
        (i.comments?.nodes ?? []).some((c) => !!c && maint.has(c.authorAssociation) && recent(c.createdAt));
      if (byMaintainer) issues++;
    }
    return known({
      createdAt: this.core.info.createdAt,
      recentCommits: commits.value.filter((c) => recent(c.date)).length,
      maintainerIssueActivity: issues,
    });
  }

  // Releases and their provenance

  private releases(): Promise<Fact<RestRelease[]>> {
    return this.once('restReleases', async () => {
      if (this.isEmpty) return known([]);
      // The repository query counted them: no releases, no request.
      if (this.core.mode === 'graphql' && this.core.gql?.releases?.totalCount === 0) return known([]);
      const r = await this.client.rest<RestRelease[]>('GET /repos/{owner}/{repo}/releases', {
        owner: this.owner,
        repo: this.name,
        per_page: RELEASES_PER_PAGE,
      });
      if (!r.ok) return this.failed(r, 'releases', NEEDS.contents);
      return known(Array.isArray(r.data) ? r.data : []);
    });
  }

  private async attestations(): Promise<Fact<AttestationCheck[]>> {
    const rel = await this.releases();
    if (!rel.known) return rel;
    const releases = rel.value.filter((r) => !r.draft).slice(0, 5);
    const repo = `${this.target.host}/${this.core.info.repo ?? this.target.repo}`;
    // Artifacts: release assets with a digest that are not themselves signatures or provenance.
    const artifacts = releases.flatMap((r) =>
      r.assets
        .filter((a) => hexOf(a.digest) && !SIGNATURE_ASSET.test(a.name))
        .map((a) => ({ release: r.tag_name, name: a.name, hex: hexOf(a.digest)! })),
    );
    const provenanceAssets = releases
      .flatMap((r) => r.assets.filter((a) => PROVENANCE_ASSET.test(a.name)).map((a) => ({ release: r, asset: a })))
      .slice(0, MAX_PROVENANCE_DOWNLOADS);
    if (artifacts.length === 0 && provenanceAssets.length === 0) return known([]);
    let verify: AttestationVerifier;
    try {
      verify = this.opts.verifier ?? (await defaultVerifier());
    } catch (err) {
      return unknown(`attestation verification library not available: ${this.redactor.error(err)}`);
    }
    const out: AttestationCheck[] = [];
    const problems: Unknown[] = [];

    // 1. GitHub's attestations API, for every artifact digest at once.
    const bundles = await this.attestationBundles(artifacts.map((a) => a.hex));
    if (!bundles.known) problems.push(bundles);
    else {
      for (const a of artifacts) {
        for (const bundle of bundles.value.get(a.hex) ?? []) {
          for (const v of await verify({ document: JSON.stringify(bundle), repo, sha256: a.hex })) {
            out.push({
              release: a.release,
              artifact: a.name,
              digest: `sha256:${a.hex}`,
              source: 'github-attestations-api',
              state: v.state,
              buildLevel: v.buildLevel,
              ...(v.predicateType ? { predicateType: v.predicateType } : {}),
              ...(v.builder ? { builder: v.builder } : {}),
              ...(v.sourceRepo ? { sourceRepo: v.sourceRepo } : {}),
              ...(v.sourceRef ? { sourceRef: v.sourceRef } : {}),
              ...buildOf(v),
              errors: v.errors,
            });
          }
        }
      }
    }

    // 2. Provenance assets attached to releases; their subjects are matched to the release's assets.
    await Promise.all(
      provenanceAssets.map(async ({ release: r, asset }) => {
        const d = await this.client.rest<Buffer>(
          'GET /repos/{owner}/{repo}/releases/assets/{asset_id}',
          { owner: this.owner, repo: this.name, asset_id: asset.id },
          { binary: true, accept: 'application/octet-stream' },
        );
        if (!d.ok) {
          problems.push(this.failed(d, `provenance asset ${asset.name}`, NEEDS.contents));
          return;
        }
        const digests = new Map(
          r.assets.filter((x) => hexOf(x.digest) && !SIGNATURE_ASSET.test(x.name)).map((x) => [hexOf(x.digest)!, x.name]),
        );
        for (const v of await verify({ document: d.data, repo })) {
          const matched = v.subjects.filter((s) => digests.has(s.toLowerCase()));
          const base = {
            release: r.tag_name,
            source: 'release-asset',
            buildLevel: v.buildLevel,
            ...(v.predicateType ? { predicateType: v.predicateType } : {}),
            ...(v.builder ? { builder: v.builder } : {}),
            ...(v.sourceRepo ? { sourceRepo: v.sourceRepo } : {}),
            ...(v.sourceRef ? { sourceRef: v.sourceRef } : {}),
            ...buildOf(v),
          };
          if (matched.length === 0) {
            // Without asset digests (older releases) the subjects cannot be checked against the files.
            const noDigests = digests.size === 0;
            out.push({
              ...base,
              artifact: asset.name,
              digest: v.subjects[0] ? `sha256:${v.subjects[0]}` : '',
              state: noDigests
                ? v.state === 'verified'
                  ? 'unverifiable'
                  : v.state
                : v.state === 'signature-invalid'
                  ? v.state
                  : 'subject-mismatch',
              buildLevel: noDigests && v.state !== 'signature-invalid' ? v.buildLevel : 0,
              errors: [
                ...v.errors,
                noDigests ? 'the release assets carry no digest to match the subjects against' : 'no subject matches a release asset',
              ],
            });
          }
          for (const s of matched)
            out.push({ ...base, artifact: digests.get(s)!, digest: `sha256:${s}`, state: v.state, errors: v.errors });
        }
      }),
    );
    if (out.length === 0 && problems.length > 0) return problems[0];
    for (const p of problems) this.diagnostics.push({ message: `attestations: ${p.reason}` });
    return known(out);
  }

  /** Bundles per hex digest: one bulk request (org/user level), or per-digest requests when that is unavailable. */
  private async attestationBundles(hexes: string[]): Promise<Fact<Map<string, unknown[]>>> {
    const out = new Map<string, unknown[]>();
    if (hexes.length === 0) return known(out);
    type Entry = { bundle?: unknown; repository_id?: number };
    const mine = (e: Entry) =>
      this.core.databaseId === undefined || e.repository_id === undefined || e.repository_id === this.core.databaseId;
    if (this.client.authenticated) {
      const route =
        this.core.ownerType === 'Organization' ? 'POST /orgs/{owner}/attestations/bulk-list' : 'POST /users/{owner}/attestations/bulk-list';
      const r = await this.client.rest<{ attestations_subject_digests?: Record<string, Entry[] | null> }>(route, {
        owner: this.core.owner,
        subject_digests: hexes.slice(0, 1024).map((h) => `sha256:${h}`),
        per_page: 100,
      });
      if (r.ok) {
        for (const [digest, list] of Object.entries(r.data.attestations_subject_digests ?? {})) {
          const hex = hexOf(digest);
          if (hex)
            out.set(
              hex,
              (list ?? []).filter(mine).map((e) => e.bundle),
            );
        }
        return known(out);
      }
      if (!(r.kind === 'http' && (r.status === 404 || r.status === 403 || r.status === 401)))
        return this.failed(r, 'attestations', NEEDS.attestations);
    }
    let denied: Unknown | undefined;
    await Promise.all(
      hexes.slice(0, MAX_DIGEST_LOOKUPS).map(async (hex) => {
        const r = await this.client.rest<{ attestations?: Entry[] }>('GET /repos/{owner}/{repo}/attestations/{subject_digest}', {
          owner: this.owner,
          repo: this.name,
          subject_digest: `sha256:${hex}`,
          per_page: 30,
        });
        if (r.ok)
          out.set(
            hex,
            (r.data.attestations ?? []).filter(mine).map((e) => e.bundle),
          );
        else if (r.kind === 'http' && r.status === 404 && !/not accessible/i.test(r.apiMessage ?? '')) out.set(hex, []);
        else denied ??= this.failed(r, 'attestations', NEEDS.attestations);
      }),
    );
    return out.size === 0 && denied ? denied : known(out);
  }

  // Actions, hooks, contributors

  private async workflowRuns(): Promise<Fact<WorkflowRun[]>> {
    if (this.isEmpty) return known([]);
    const r = await this.client.rest<{ workflow_runs?: RestWorkflowRun[] }>('GET /repos/{owner}/{repo}/actions/runs', {
      owner: this.owner,
      repo: this.name,
      per_page: 50,
    });
    if (!r.ok) return this.failed(r, 'workflow runs', NEEDS.actions);
    return known((r.data.workflow_runs ?? []).map(workflowRun));
  }

  /** Admin-only endpoints: Unknown without a request when GitHub already said the token is not admin. */
  private notAdmin(what: string, needs: string): Unknown | undefined {
    if (!this.client.authenticated) return unknown(`${what}: only visible to repository admins`, needs);
    const p = this.core.viewerPermission;
    if (p && p !== 'ADMIN') return unknown(`${what}: only visible to repository admins (the token has ${p.toLowerCase()} access)`, needs);
    return undefined;
  }

  private async webhooks(): Promise<Fact<Webhook[]>> {
    const gate = this.notAdmin('webhooks', NEEDS.webhooks);
    if (gate) return gate;
    const r = await this.client.rest<RestHook[]>('GET /repos/{owner}/{repo}/hooks', { owner: this.owner, repo: this.name, per_page: 100 });
    if (!r.ok) return this.failed(r, 'webhooks', NEEDS.webhooks);
    return known(
      (Array.isArray(r.data) ? r.data : []).map((h) => {
        let host: string;
        try {
          host = h.config.url ? new URL(h.config.url).host : '';
        } catch {
          host = '(invalid URL)';
        }
        return {
          id: String(h.id),
          host,
          active: h.active,
          // GitHub masks a set secret as "********"; no secret → the key is absent.
          hasSecret: known(typeof h.config.secret === 'string' && h.config.secret.length > 0),
          sslVerification: String(h.config.insecure_ssl ?? '0') !== '1',
          events: h.events ?? [],
        };
      }),
    );
  }

  private async ciTokenPolicy(): Promise<Fact<CiTokenPolicy>> {
    const gate = this.notAdmin('default GITHUB_TOKEN permissions', NEEDS.admin);
    if (gate) return known({ defaultPermissions: gate, canApprovePullRequests: gate });
    const r = await this.client.rest<{ default_workflow_permissions: 'read' | 'write'; can_approve_pull_request_reviews: boolean }>(
      'GET /repos/{owner}/{repo}/actions/permissions/workflow',
      { owner: this.owner, repo: this.name },
    );
    if (!r.ok) {
      const u = this.failed(r, 'default GITHUB_TOKEN permissions', NEEDS.admin);
      return known({ defaultPermissions: u, canApprovePullRequests: u });
    }
    return known({
      defaultPermissions: known(r.data.default_workflow_permissions),
      canApprovePullRequests: known(!!r.data.can_approve_pull_request_reviews),
    });
  }

  private async contributors(): Promise<Fact<Contributor[]>> {
    if (this.isEmpty) return known([]);
    if (!this.client.authenticated) return this.noGraphql("contributors' organisations");
    const r = await this.client.rest<Array<{ login?: string; type: string; contributions: number }>>(
      'GET /repos/{owner}/{repo}/contributors',
      {
        owner: this.owner,
        repo: this.name,
        per_page: 30,
      },
    );
    if (!r.ok) return r.status === 204 ? known([]) : this.failed(r, 'contributors', NEEDS.metadata);
    const people = (Array.isArray(r.data) ? r.data : []).filter((c) => c.login && c.type === 'User');
    if (people.length === 0) return known([]);
    // Recent committers' company and organisations came with the repository query; ask only for the rest.
    type Who = { company?: string | null; organizations?: { nodes: Array<{ login: string } | null> | null } | null };
    const seen = new Map<string, Who>();
    const head = this.core.gql?.defaultBranchRef?.target;
    for (const n of head && 'history' in head ? (head.history?.nodes ?? []) : []) {
      const u = n.author?.user;
      if (u?.login && u.organizations !== undefined) seen.set(u.login.toLowerCase(), u);
    }
    const missing = people.filter((p) => !seen.has(p.login!.toLowerCase()));
    if (missing.length > 0) {
      const vars: Record<string, string> = {};
      missing.forEach((p, i) => (vars[`u${i}`] = p.login!));
      const g = await this.client.graphql<Record<string, Who | null>>(usersQuery(missing.length), vars);
      if (!g.ok) return unknown(`contributors' organisations: ${g.message}`);
      missing.forEach((p, i) => seen.set(p.login!.toLowerCase(), g.data.data?.[`u${i}`] ?? {}));
    }
    return known(
      people.map((p) => {
        const u = seen.get(p.login!.toLowerCase());
        return {
          login: p.login!,
          commits: p.contributions,
          ...(u?.company ? { company: u.company } : {}),
          organizations: (u?.organizations?.nodes ?? []).map((o) => o?.login).filter((l): l is string => !!l),
        };
      }),
    );
  }
}

interface BranchView {
  classic: Fact<GqlClassicRule | null>;
  refUpdateRule: Fact<GqlRefUpdateRule | null>;
  rules: Fact<RuleDetail[]>;
}

/** A GraphQL RepositoryRule in rules-for-branch's REST shape. */
function ruleFromGraphql(n: GqlRule): RuleDetail {
  const p = n.parameters;
  let parameters: Record<string, unknown> | undefined;
  if (p?.__typename === 'PullRequestParameters') {
    parameters = {
      required_approving_review_count: p.requiredApprovingReviewCount,
      dismiss_stale_reviews_on_push: p.dismissStaleReviewsOnPush,
      require_code_owner_review: p.requireCodeOwnerReview,
      require_last_push_approval: p.requireLastPushApproval,
      required_review_thread_resolution: p.requiredReviewThreadResolution,
    };
  } else if (p?.__typename === 'RequiredStatusChecksParameters') {
    parameters = {
      strict_required_status_checks_policy: p.strictRequiredStatusChecksPolicy,
      required_status_checks: p.requiredStatusChecks ?? [],
    };
  }
  return {
    type: n.type.toLowerCase(),
    ...(parameters ? { parameters } : {}),
    ...(n.repositoryRuleset?.databaseId ? { ruleset_id: n.repositoryRuleset.databaseId } : {}),
  };
}

function checkConclusion(
  status: string | undefined,
  c: string | null | undefined,
): NonNullable<MergedChange['checks']>[number]['conclusion'] {
  if (status && status !== 'COMPLETED') return 'pending';
  switch (c) {
    case 'SUCCESS':
      return 'success';
    case 'FAILURE':
    case 'TIMED_OUT':
    case 'STARTUP_FAILURE':
    case 'ACTION_REQUIRED':
      return 'failure';
    case 'NEUTRAL':
      return 'neutral';
    case 'SKIPPED':
      return 'skipped';
    default:
      return c ? 'other' : 'pending';
  }
}

function statusConclusion(s: string | undefined): NonNullable<MergedChange['checks']>[number]['conclusion'] {
  if (s === 'SUCCESS') return 'success';
  if (s === 'FAILURE' || s === 'ERROR') return 'failure';
  if (s === 'PENDING' || s === 'EXPECTED') return 'pending';
  return 'other';
}

export type { Release };
