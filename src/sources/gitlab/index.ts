/**
 * The GitLab source: a GitLab.com or self-managed project through the REST API (gitbeaker) and
 * one GraphQL query, answering the platform-neutral facts from GitLab's REAL settings — protected
 * branches, approval settings and rules, push rules, job-token scope, hooks — where Scorecard
 * assumes them. What the token, its role or the tier cannot see is an Unknown naming what would
 * unlock it ("the Maintainer role", "GitLab Premium", "the read_api scope"), never `false`.
 *
 * Requests for a full assessment (npm run bench): 13–14 — project, commits, archive (every file),
 * GraphQL (version, MRs with approvals, releases, pipelines, issues, members, the group's 2FA
 * requirement and its parents'), tags (+1 X.509 signature), protected branches, protected tags,
 * approvals, approval rules, push rule, hooks, job-token scope, contributors; +1 provenance
 * download per release that links one, +2 when GitLab attestations are on. Each fact costs only
 * when a check asks for it.
 *
 * Auth: GITLAB_TOKEN (PRIVATE-TOKEN; Bearer for GraphQL), or CI_JOB_TOKEN inside GitLab CI
 * (JOB-TOKEN; GraphQL then runs anonymously). A token is sent only to the instance it belongs to:
 * --gitlab-url / GITLAB_URL / CI_SERVER_URL, or gitlab.com when none is set.
 */
import type {
  CommitSchema,
  ProjectLevelApprovalRuleSchema,
  ProjectLevelMergeRequestApprovalSchema,
  ProjectSchema,
  ProtectedBranchSchema,
  ProtectedTagSchema,
  PushRuleSchema,
  TagSchema,
} from '@gitbeaker/core';
import { known, unknown, type Fact } from '../../facts/fact.js';
import type { CommitInfo, RepositoryInfo, TagInfo } from '../../facts/model.js';
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
import type { FactContext, ProviderMap } from '../../facts/store.js';
import { SourceError, type RemoteSourceOptions } from '../remote.js';
import { emptyRequestStats, type Diagnostic, type FileRead, type Source } from '../source.js';
import { Access, REQUIRES, ROLE, type RequirementName, type Tier } from './access.js';
import { findAttestations } from './attestations.js';
import { gitbeaker, type Gitbeaker } from './client.js';
import { GitLabFiles, type FileMode } from './files.js';
import {
  GraphqlBatch,
  nodes,
  type GqlGroup,
  type GqlIssue,
  type GqlMember,
  type GqlMergeRequest,
  type GqlMetadata,
  type GqlPipeline,
  type GqlRelease,
  type SectionName,
} from './graphql.js';
import { GitLabHttp, GitLabHttpError, type GitLabAuth } from './http.js';
import {
  branchProtection,
  contributor,
  groupTwoFactor,
  mergedChange,
  release,
  tagInfo,
  tagProtection,
  webhook,
  workflowRun,
} from './map.js';

export interface GitLabSourceOptions extends RemoteSourceOptions {
  /** How files are read: the repository archive (1 request) or the tree + raw-file API. */
  fileMode?: FileMode;
  /** Tests: first 5xx backoff and the longest 429 wait honoured. */
  retryBaseMs?: number;
  maxRateLimitWaitMs?: number;
}

export async function createGitLabSource(opts: GitLabSourceOptions): Promise<Source> {
  const source = new GitLabSource(opts);
  await source.init();
  return source;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const RECENT_DAYS = 90;

type Project = ProjectSchema & {
  ci_config_path?: string | null;
  forked_from_project?: unknown;
  permissions?: { project_access?: { access_level: number } | null; group_access?: { access_level: number } | null } | null;
  license?: { key?: string; nickname?: string; name?: string } | null;
};

type Outcome<T> = { ok: true; value: T } | { ok: false; err: GitLabHttpError };

/** Where the API lives and which credential (if any) goes there. */
export function resolveInstance(opts: RemoteSourceOptions): { instanceUrl: string; auth?: GitLabAuth; notes: string[] } {
  const env = opts.env;
  const notes: string[] = [];
  const hostOf = (u: string | undefined) => {
    try {
      return u ? new URL(u).host.toLowerCase() : undefined;
    } catch {
      return undefined;
    }
  };
  const clean = (u: string) => u.replace(/\/+$/, '').replace(/\/api\/v4$/, '');
  const target = opts.target.host.toLowerCase();
  const fromEnv = [env.GITLAB_URL, env.CI_SERVER_URL].find((u) => hostOf(u) === target);
  const instanceUrl = clean(opts.gitlabUrl ?? fromEnv ?? `https://${opts.target.host}`);
  const instanceHost = hostOf(instanceUrl);
  // A token belongs to the configured instances (--gitlab-url, GITLAB_URL, CI_SERVER_URL), or to gitlab.com
  // when none is configured; it is never sent anywhere else.
  const tokenHosts = new Set([hostOf(opts.gitlabUrl), hostOf(env.GITLAB_URL), hostOf(env.CI_SERVER_URL)].filter((h): h is string => !!h));
  if (tokenHosts.size === 0) tokenHosts.add('gitlab.com');
  const token = env.GITLAB_TOKEN?.trim();
  if (token) {
    if (instanceHost && tokenHosts.has(instanceHost)) return { instanceUrl, auth: { kind: 'private-token', token }, notes };
    notes.push(
      `GITLAB_TOKEN was not sent to ${instanceHost}: it is meant for ${[...tokenHosts].join(', ')}. Set GITLAB_URL=https://${instanceHost} (or --gitlab-url) to use it there.`,
    );
  }
  const job = env.CI_JOB_TOKEN?.trim();
  if (job && hostOf(env.CI_SERVER_URL) === instanceHost) return { instanceUrl, auth: { kind: 'job-token', token: job }, notes };
  return { instanceUrl, notes };
}

class GitLabSource implements Source {
  readonly platform = 'gitlab' as const;
  readonly requests = emptyRequestStats();
  readonly diagnostics: Diagnostic[] = [];
  readonly providers: Partial<ProviderMap>;
  private readonly http: GitLabHttp;
  private readonly gb: Gitbeaker;
  private readonly access: Access;
  private readonly auth?: GitLabAuth;
  private project!: Project;
  private files!: GitLabFiles;
  private graphql!: GraphqlBatch;
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: GitLabSourceOptions) {
    const { instanceUrl, auth, notes } = resolveInstance(opts);
    for (const n of notes) {
      this.diagnostics.push({ message: n });
      opts.log?.(n);
    }
    this.auth = auth;
    this.http = new GitLabHttp({
      instanceUrl,
      auth,
      stats: this.requests,
      timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      retryBaseMs: opts.retryBaseMs,
      maxRateLimitWaitMs: opts.maxRateLimitWaitMs,
      log: opts.log ? (l) => opts.log!(this.http.redact(l)) : undefined,
    });
    this.gb = gitbeaker(this.http);
    this.access = new Access(auth !== undefined, auth?.kind);
    this.providers = {
      repository: async () => known(this.repositoryInfo()),
      commit: () => this.commit(),
      files: () => this.files.list(),
      tags: () => this.tags(),
      recentCommits: () => this.recentCommits(),
      orgSecurityPolicy: async () => known(null), // GitLab has no organisation-wide fallback policy
      platform: () => this.platformInfo(),
      branchProtection: () => this.branchProtection(),
      tagProtection: () => this.tagProtection(),
      ownerSettings: () => this.ownerSettings(),
      mergedChanges: () => this.mergedChanges(),
      releases: () => this.releases(),
      attestations: (ctx) => this.attestations(ctx),
      workflowRuns: () => this.workflowRuns(),
      webhooks: () => this.webhooks(),
      contributors: () => this.contributors(),
      ciTokenPolicy: () => this.ciTokenPolicy(),
      activity: () => this.activity(),
    };
  }

  /** Reads the project: the one request every fact needs, and the one that says whether we may look at all. */
  async init(): Promise<void> {
    const t = this.opts.target;
    try {
      this.project = (await this.gb.projects.show(t.repo, { license: true })) as Project;
    } catch (err) {
      throw this.projectError(err);
    }
    const p = this.project;
    const levels = [p.permissions?.project_access?.access_level, p.permissions?.group_access?.access_level].filter(
      (x): x is number => typeof x === 'number',
    );
    this.access.role = levels.length ? Math.max(...levels) : ROLE.none;
    this.access.visibility = p.visibility;
    this.files = new GitLabFiles(
      this.http,
      this.gb,
      p.id,
      () => this.commit(),
      this.access,
      this.diagnostics,
      this.opts.fileMode ?? 'archive',
    );
    this.graphql = new GraphqlBatch(this.http, async () => ({
      fullPath: p.path_with_namespace,
      branch: p.default_branch ?? 'main',
      since: new Date(Date.now() - RECENT_DAYS * 86_400_000).toISOString(),
    }));
  }

  readFile(path: string, opts?: { maxBytes?: number; head?: boolean }): Promise<FileRead> {
    return this.files.read(path, opts);
  }

  async close(): Promise<void> {}

  private projectError(err: unknown): Error {
    const t = this.opts.target;
    const where = `${t.host}/${t.repo}`;
    if (!(err instanceof GitLabHttpError)) return err instanceof Error ? err : new Error(String(err));
    if (err.insufficientScope)
      return new SourceError('auth', `GITLAB_TOKEN cannot read ${where}: it lacks the read_api scope (create a token with read_api)`);
    if (err.kind === 'http' && [401, 403, 404].includes(err.status)) {
      if (!this.auth) {
        return new SourceError(
          'auth',
          `${where} is not visible without a token (it may be private, or may not exist): set GITLAB_TOKEN to a personal, group or project access token with the read_api scope`,
        );
      }
      if (this.auth.kind === 'job-token') {
        return new SourceError(
          'auth',
          `${where} cannot be read with CI_JOB_TOKEN (HTTP ${err.status}): set GITLAB_TOKEN to a token with the read_api scope`,
        );
      }
      if (err.status === 401)
        return new SourceError(
          'auth',
          `GitLab rejected GITLAB_TOKEN for ${where} (HTTP 401: expired or revoked?); it needs the read_api scope`,
        );
      return new SourceError(
        'not-found',
        `${where} was not found, or GITLAB_TOKEN cannot see it (HTTP ${err.status}; the token needs the read_api scope and access to the project)`,
      );
    }
    return new SourceError('network', this.http.redact(`cannot read ${where} from ${this.http.origin}: ${err.message}`));
  }

  // ───────────────────────────── plumbing ─────────────────────────────

  private once<T>(key: string, fn: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) {
      p = fn();
      this.memo.set(key, p);
    }
    return p;
  }

  /** A REST call whose failure is data (explained later), not an exception. */
  private settle<T>(key: string, fn: () => Promise<unknown>): Promise<Outcome<T>> {
    return this.once(key, async () => {
      try {
        return { ok: true, value: (await fn()) as T };
      } catch (err) {
        if (err instanceof GitLabHttpError) return { ok: false, err };
        throw err;
      }
    });
  }

  private fact<T>(name: RequirementName, o: Outcome<T>): Fact<T> {
    return o.ok ? known(o.value) : this.access.explain(name, o.err);
  }

  private get id(): number {
    return this.project.id;
  }

  private get ciPath(): string {
    return this.project.ci_config_path || '.gitlab-ci.yml';
  }

  // ───────────────────────────── repository, commits, tags ─────────────────────────────

  private repositoryInfo(): RepositoryInfo {
    const p = this.project;
    const t = this.opts.target;
    let url = t.url;
    try {
      if (new URL(p.web_url).host.toLowerCase() === t.host.toLowerCase()) url = p.web_url;
    } catch {
      /* keep the target's */
    }
    const info: RepositoryInfo = {
      platform: 'gitlab',
      host: t.host,
      repo: p.path_with_namespace,
      url,
      archived: p.archived === true,
      fork: p.forked_from_project !== undefined && p.forked_from_project !== null,
      empty: p.empty_repo === true,
      license: p.license?.key ? spdx(p.license.key) : null,
      pipelinesMustSucceed: p.only_allow_merge_if_pipeline_succeeds === true,
    };
    if (p.default_branch) info.defaultBranch = p.default_branch;
    if (p.ci_config_path) {
      info.ciConfigPath = p.ci_config_path;
      // `path@group/project[:ref]` or a URL: the pipeline is defined outside this repository.
      if (/@|^https?:\/\//.test(p.ci_config_path)) {
        this.noteOnce(
          'ciConfigPath',
          `the CI configuration lives outside this repository (ci_config_path: ${p.ci_config_path}) and is not analysed`,
        );
      }
    }
    if (p.created_at) info.createdAt = p.created_at;
    if (p.last_activity_at) info.pushedAt = p.last_activity_at;
    if (p.visibility) info.visibility = p.visibility;
    return info;
  }

  private commitList(): Promise<Fact<CommitSchema[]>> {
    return this.once('commits', async () => {
      if (this.project.empty_repo) return unknown('the repository is empty (no commits)');
      const o = await this.settle<CommitSchema[]>('commits:rest', () =>
        this.gb.commits.all(this.id, { refName: this.project.default_branch, perPage: 30, maxPages: 1 }),
      );
      const f = this.fact('repository', o);
      if (f.known && f.value.length === 0) return unknown('the default branch has no commits');
      return f;
    });
  }

  private async commit(): Promise<Fact<string>> {
    const c = await this.commitList();
    return c.known ? known(c.value[0].id) : c;
  }

  private async recentCommits(): Promise<Fact<CommitInfo[]>> {
    const c = await this.commitList();
    if (!c.known) return c;
    return known(
      c.value.map((x) => ({
        sha: x.id,
        ...((x.committed_date ?? x.created_at) ? { date: x.committed_date ?? x.created_at } : {}),
        ...(x.author_name ? { author: x.author_name } : {}),
        signature: null,
        verified: null,
        signatureUnknown: 'GitLab lists commits without their signatures (one request per commit would be needed)',
      })),
    );
  }

  private tags(): Promise<Fact<TagInfo[]>> {
    return this.once('tags', async () => {
      const o = await this.settle<TagSchema[]>('tags:rest', () =>
        this.gb.tags.all(this.id, { orderBy: 'updated', sort: 'desc', perPage: 20, maxPages: 1 }),
      );
      if (!o.ok) return this.access.explain('tags', o.err);
      const list = o.value;
      // X.509 signatures come one tag per request: ask for the newest annotated tag without a PGP/SSH block,
      // and for the next few only when that one was X.509-signed (the project signs with gitsign / S/MIME).
      const needsLookup = list.filter((t) => (t.message ?? '') !== '' && !/-----BEGIN (?:PGP|SSH) SIGNATURE-----/.test(t.message ?? ''));
      const x509 = new Map<string, Parameters<typeof tagInfo>[1]>();
      const look = async (t: TagSchema) => x509.set(t.name, await this.tagSignature(t.name));
      if (needsLookup.length > 0) {
        await look(needsLookup[0]);
        const first = x509.get(needsLookup[0].name);
        if (first && typeof first === 'object') await Promise.all(needsLookup.slice(1, 5).map(look));
      }
      return known(list.map((t) => tagInfo(t, x509.get(t.name) ?? 'not-asked')));
    });
  }

  private async tagSignature(tag: string): Promise<Parameters<typeof tagInfo>[1]> {
    try {
      const s = (await this.gb.tags.showSignature(this.id, tag)) as { signature_type?: string; verification_status?: string };
      if ((s.signature_type ?? '').toUpperCase() !== 'X509') return 'none';
      const status = s.verification_status ?? 'unknown';
      return { verified: status === 'verified' ? true : null, detail: `GitLab: ${status}` };
    } catch (err) {
      if (!(err instanceof GitLabHttpError)) throw err;
      if (err.status === 404) return 'none'; // GitLab's answer for a tag without an X.509 signature
      this.diagnostics.push({ message: `tag ${tag}: signature not read (${this.access.explain('tagSignature', err).reason})` });
      return 'not-asked';
    }
  }

  // ───────────────────────────── platform, tier ─────────────────────────────

  private metadata(): Promise<Fact<GqlMetadata>> {
    return this.once('metadata', async () => {
      const g = await this.graphql.section('metadata');
      let m: GqlMetadata | undefined = g.ok ? (g.value as GqlMetadata) : undefined;
      if (!g.ok && this.auth) this.noteOnce('graphql:metadata', `GraphQL metadata: ${g.error}; reading it through REST instead`);
      if (!m) {
        // GET /metadata answers authenticated callers only.
        if (!this.auth || this.auth.kind === 'job-token')
          return unknown('the instance version: not visible without authentication', 'a GITLAB_TOKEN with the read_api scope');
        const o = await this.settle<GqlMetadata>('metadata:rest', () => this.gb.metadata.show());
        if (!o.ok) return this.access.explain('metadata', o.err);
        m = o.value;
      }
      if (m.enterprise === false) this.access.setTier('free', 'GitLab Community Edition instance');
      return known(m);
    });
  }

  /** Everything the approval/push-rule endpoints say about the tier, learned before explaining any denial. */
  private async premiumEvidence(): Promise<void> {
    await this.metadata();
    const [approvals, rules] = await Promise.all([this.approvalsConfig(), this.approvalRules()]);
    for (const [o, what] of [
      [approvals, 'approval settings readable'],
      [rules, 'approval rules readable'],
    ] as const) {
      if (o.ok) this.access.atLeast('premium', what);
    }
  }

  private approvalsConfig() {
    return this.settle<ProjectLevelMergeRequestApprovalSchema>('approvals', () => this.gb.approvals.showConfiguration(this.id));
  }

  private approvalRules() {
    return this.settle<ProjectLevelApprovalRuleSchema[]>('approvalRules', () => this.gb.approvals.allApprovalRules(this.id));
  }

  private pushRule() {
    return this.settle<PushRuleSchema | null>('pushRule', async () => {
      const r = await this.http.api<PushRuleSchema | null>(`projects/${this.id}/push_rule`);
      return r.body && typeof r.body === 'object' && Object.keys(r.body).length > 0 ? r.body : null;
    });
  }

  private async tier(): Promise<Fact<Tier>> {
    await this.premiumEvidence();
    // Explaining the Premium endpoints' denials is what learns "Free" from a refusal.
    for (const [name, o] of [
      ['approvals', await this.approvalsConfig()],
      ['approvalRules', await this.approvalRules()],
    ] as const) {
      if (!o.ok) this.access.explain(name, o.err);
    }
    if (!this.access.tier || this.access.tier !== 'free') await this.planLookup();
    const t = this.access.tier;
    if (t) return known(t);
    const min = this.access.tierAtLeast;
    return unknown(
      min === 'free'
        ? 'the GitLab tier is not visible to this token'
        : `at least GitLab ${min === 'premium' ? 'Premium' : 'Ultimate'} (${this.access.tierEvidence.join(', ')}); Premium or Ultimate is not visible to this token`,
      this.opts.target.host === 'gitlab.com'
        ? 'the Owner role on the top-level group (its plan)'
        : 'an administrator token (the instance licence)',
    );
  }

  /** gitlab.com: the top-level group's plan (visible to its owners); self-managed: the licence (administrators). */
  private planLookup(): Promise<void> {
    return this.once('plan', async () => {
      if (this.access.tier) return;
      if (this.opts.target.host.toLowerCase() === 'gitlab.com') {
        const top = this.project.namespace?.full_path?.split('/')[0];
        // GitLab.com shows a group's plan to its owners only: not worth a request for anyone else.
        if (!top || (this.access.role ?? 0) < ROLE.owner) return;
        const o = await this.settle<{ plan?: string }>('namespace', () => this.gb.namespaces.show(top));
        const t = o.ok ? planTier(o.value.plan) : undefined;
        if (t) this.access.setTier(t, `namespace plan "${o.ok ? o.value.plan : ''}"`);
      } else {
        if (!this.auth || this.auth.kind === 'job-token') return; // the licence is for administrators
        const o = await this.settle<{ plan?: string } | null>('license', () => this.gb.license.show());
        const t = o.ok && o.value ? planTier(o.value.plan) : undefined;
        if (t) this.access.setTier(t, `instance licence "${o.ok ? o.value?.plan : ''}"`);
      }
    });
  }

  private async platformInfo(): Promise<Fact<PlatformInfo>> {
    const [m, tier] = await Promise.all([this.metadata(), this.tier()]);
    return known({
      kind: this.opts.target.host.toLowerCase() === 'gitlab.com' ? 'gitlab.com' : 'gitlab-self-managed',
      ...(m.known ? { version: m.value.version } : {}),
      tier,
      authenticated: this.auth !== undefined,
    });
  }

  // ───────────────────────────── branch protection ─────────────────────────────

  private branchProtection(): Promise<Fact<BranchProtection[]>> {
    return this.once('branchProtection', async () => {
      const branch = this.project.default_branch;
      if (!branch) return unknown('the project has no default branch (empty repository)');
      const pbO = await this.settle<ProtectedBranchSchema[]>('protectedBranches', () =>
        this.gb.protectedBranches.all(this.id, { perPage: 100, maxPages: 1 }),
      );
      const [approvals, rules, push] = await Promise.all([
        this.approvalsConfig(),
        this.approvalRules(),
        this.pushRule(),
        this.premiumEvidence(),
      ]);
      if (push.ok) this.access.atLeast('premium', 'push rules readable');
      // Explain in a fixed order: the tier-gated endpoints without a role need first (they teach the tier).
      const approvalRules = this.fact('approvalRules', rules);
      const approvalsF = this.fact('approvals', approvals);
      const pushF = this.fact('pushRule', push);
      const pb = this.fact('protectedBranches', pbO);
      let branchFlags: Fact<{ protected: boolean; developersCanPush?: boolean }> | undefined;
      if (!pb.known) {
        // Any reader may ask whether the branch is protected, even when the settings are hidden.
        const b = await this.settle<{ protected: boolean; developers_can_push?: boolean }>('branch', () =>
          this.gb.branches.show(this.id, branch),
        );
        branchFlags = b.ok
          ? known({ protected: b.value.protected, developersCanPush: b.value.developers_can_push })
          : this.access.explain('branch', b.err);
      }
      return known([
        branchProtection({
          branch,
          isDefault: true,
          protectedBranches: pb,
          ...(branchFlags ? { branchFlags } : {}),
          approvals: approvalsF,
          approvalRules,
          pushRule: pushF,
          project: {
            onlyAllowMergeIfPipelineSucceeds: this.project.only_allow_merge_if_pipeline_succeeds,
            mergeMethod: this.project.merge_method,
          },
          premium: this.access.tierReaches('premium'),
          ...(this.access.tier ? { tier: this.access.tier } : {}),
        }),
      ]);
    });
  }

  // ───────────────────────────── tag protection, owner ─────────────────────────────

  private tagProtection(): Promise<Fact<TagProtection[]>> {
    return this.once('tagProtection', async () => {
      const o = await this.settle<ProtectedTagSchema[]>('protectedTags', () =>
        this.gb.protectedTags.all(this.id, { perPage: 100, maxPages: 1 }),
      );
      return o.ok ? known(o.value.map(tagProtection)) : this.access.explain('protectedTags', o.err);
    });
  }

  /** The namespace is in the project's answer; a group's 2FA requirement (and its parents') comes with the GraphQL batch. */
  private ownerSettings(): Promise<Fact<OwnerSettings>> {
    return this.once('ownerSettings', async () => {
      const ns = this.project.namespace as { id: number; kind?: string; full_path?: string; parent_id?: number | null } | undefined;
      if (!ns?.full_path) return unknown("the project's namespace is not in GitLab's answer");
      if (ns.kind === 'user') {
        return known({
          kind: 'user',
          name: ns.full_path,
          twoFactorRequired: unknown(
            'a personal namespace has no two-factor requirement of its own; an instance-wide requirement (an administrator setting) is not visible through the API',
          ),
        });
      }
      const g = await this.section<GqlGroup>(
        'group',
        async () => {
          // Just the group itself (the projects it would list are not needed); its parents stay unread.
          const r = await this.http.api<{ require_two_factor_authentication?: boolean; parent_id?: number | null }>(`groups/${ns.id}`, {
            query: { with_projects: false },
          });
          return {
            requireTwoFactorAuthentication: r.body.require_two_factor_authentication ?? null,
            ...(r.body.parent_id ? {} : { parent: null }),
          };
        },
        'group',
      );
      return known({
        kind: 'group',
        name: ns.full_path,
        twoFactorRequired: g.known ? groupTwoFactor(g.value as GqlGroup, ns.full_path) : g,
      });
    });
  }

  // ───────────────────────────── GraphQL-backed facts (REST fallbacks) ─────────────────────────────

  private async section<T>(name: SectionName, rest: () => Promise<T>, req: RequirementName): Promise<Fact<T | unknown>> {
    const g = await this.graphql.section(name);
    if (g.ok) return known(g.value);
    this.noteOnce(`graphql:${name}`, `GraphQL ${name}: ${g.error}; reading it through REST instead`);
    const o = await this.settle<T>(`${name}:rest`, rest);
    return this.fact(req, o);
  }

  private noteOnce(key: string, message: string): void {
    if (this.memo.has(`note:${key}`)) return;
    this.memo.set(`note:${key}`, Promise.resolve());
    this.diagnostics.push({ message: this.http.redact(message) });
  }

  private mergedChanges(): Promise<Fact<MergedChange[]>> {
    return this.once('mergedChanges', async () => {
      const f = await this.section('mergeRequests', () => this.mergeRequestsRest(), 'mergeRequests');
      if (!f.known) return f;
      const list = nodes<GqlMergeRequest>(f.value);
      return known(list.map(mergedChange).filter((m): m is MergedChange => m !== undefined));
    });
  }

  /** REST fallback: the merged MRs, then one approvals call per MR. */
  private async mergeRequestsRest(): Promise<{ nodes: GqlMergeRequest[] }> {
    const mrs = (await this.gb.mergeRequests.all({
      projectId: this.id,
      state: 'merged',
      targetBranch: this.project.default_branch,
      orderBy: 'updated_at',
      perPage: 30,
      maxPages: 1,
    })) as unknown as Array<Record<string, unknown>>;
    const out: GqlMergeRequest[] = [];
    await Promise.all(
      mrs.map(async (mr) => {
        const iid = Number(mr.iid);
        const a = (await this.gb.approvals.showConfiguration(this.id, { mergerequestIId: iid })) as {
          approved_by?: Array<{ user: { username: string } }>;
        };
        const user = (u: unknown) =>
          u && typeof u === 'object'
            ? { username: String((u as { username?: unknown }).username ?? ''), bot: (u as { bot?: boolean }).bot }
            : null;
        const pipeline = (mr.head_pipeline ?? mr.pipeline) as { status?: string } | null | undefined;
        out.push({
          iid: String(iid),
          title: mr.title as string,
          webUrl: mr.web_url as string,
          mergedAt: (mr.merged_at as string | null) ?? null,
          mergeCommitSha: (mr.merge_commit_sha as string | null) ?? null,
          squashCommitSha: (mr.squash_commit_sha as string | null) ?? null,
          diffHeadSha: (mr.sha as string | null) ?? null,
          author: user(mr.author),
          mergeUser: user(mr.merged_by ?? mr.merge_user),
          approvedBy: { nodes: (a.approved_by ?? []).map((x) => ({ username: x.user.username })) },
          labels: { nodes: ((mr.labels as string[] | undefined) ?? []).map((title) => ({ title })) },
          headPipeline: pipeline?.status ? { status: pipeline.status } : null,
        });
      }),
    );
    out.sort((x, y) => String(y.mergedAt).localeCompare(String(x.mergedAt)));
    return { nodes: out };
  }

  private releases(): Promise<Fact<Release[]>> {
    return this.once('releases', async () => {
      const f = await this.section(
        'releases',
        async () => {
          const rs = (await this.gb.releases.all(this.id, { perPage: 10, maxPages: 1 })) as unknown as Array<Record<string, unknown>>;
          return {
            nodes: rs.map((r): GqlRelease => {
              const assets = r.assets as
                { links?: Array<{ name: string; url: string; link_type?: string; direct_asset_url?: string }> } | undefined;
              const author = r.author as { username?: string } | undefined;
              return {
                tagName: String(r.tag_name),
                name: (r.name as string | null) ?? null,
                createdAt: (r.created_at as string | null) ?? null,
                releasedAt: (r.released_at as string | null) ?? null,
                upcomingRelease: (r.upcoming_release as boolean | null) ?? null,
                author: author?.username ? { username: author.username } : null,
                commit: (r.commit as { id?: string } | undefined)?.id ? { sha: (r.commit as { id: string }).id } : null,
                assets: {
                  links: {
                    nodes: (assets?.links ?? []).map((l) => ({
                      name: l.name,
                      url: l.url,
                      linkType: l.link_type ?? null,
                      directAssetUrl: l.direct_asset_url ?? null,
                    })),
                  },
                },
              };
            }),
          };
        },
        'releases',
      );
      if (!f.known) return f;
      return known(nodes<GqlRelease>(f.value).map(release));
    });
  }

  private workflowRuns(): Promise<Fact<WorkflowRun[]>> {
    return this.once('workflowRuns', async () => {
      const rest = (scope?: 'tags') => async () => {
        const ps = (await this.gb.pipelines.all(this.id, {
          perPage: scope ? 20 : 30,
          maxPages: 1,
          ...(scope ? { scope } : {}),
        })) as unknown as Array<Record<string, unknown>>;
        return {
          nodes: ps.map((p): GqlPipeline => ({
            iid: String(p.iid ?? p.id),
            status: String(p.status).toUpperCase(),
            source: (p.source as string) ?? null,
            ref: (p.ref as string) ?? null,
            sha: (p.sha as string) ?? null,
            createdAt: (p.created_at as string) ?? null,
          })),
        };
      };
      const [recent, tagged] = await Promise.all([
        this.section('pipelines', rest(), 'pipelines'),
        this.section('tagPipelines', rest('tags'), 'pipelines'),
      ]);
      if (!recent.known) return recent;
      const seen = new Set<string>();
      const all = [...nodes<GqlPipeline>(recent.value), ...(tagged.known ? nodes<GqlPipeline>(tagged.value) : [])].filter(
        (p) => !seen.has(p.iid) && seen.add(p.iid),
      );
      if (!tagged.known) this.noteOnce('tagPipelines', `tag pipelines: ${tagged.reason}`);
      all.sort((a, b) => String(b.createdAt ?? '').localeCompare(String(a.createdAt ?? '')));
      return known(all.map((p) => workflowRun(p, this.ciPath)));
    });
  }

  private attestations(ctx: FactContext): Promise<Fact<AttestationCheck[]>> {
    return this.once('attestations', async () => {
      const [releases, gitlabCi] = await Promise.all([this.releases(), ctx.get('gitlabCi')]);
      return findAttestations({
        http: this.http,
        projectId: this.id,
        repo: `${this.opts.target.host}/${this.project.path_with_namespace}`,
        releases,
        gitlabCi,
        diagnostics: this.diagnostics,
      });
    });
  }

  // ───────────────────────────── settings readable by maintainers ─────────────────────────────

  private async webhooks(): Promise<Fact<Webhook[]>> {
    const o = await this.settle<Array<Record<string, unknown>>>('hooks', () => this.gb.hooks.all(this.id, { perPage: 100, maxPages: 1 }));
    return o.ok ? known(o.value.map(webhook)) : this.access.explain('hooks', o.err);
  }

  private async ciTokenPolicy(): Promise<Fact<CiTokenPolicy>> {
    const o = await this.settle<{ inbound_enabled?: boolean }>('jobTokenScope', () => this.gb.jobTokenScopes.show(this.id));
    return known({ jobTokenScopeLimited: o.ok ? known(o.value.inbound_enabled === true) : this.access.explain('jobTokenScope', o.err) });
  }

  private async contributors(): Promise<Fact<Contributor[]>> {
    const o = await this.settle<Array<{ name: string; email: string; commits: number }>>('contributors', () =>
      this.gb.repositories.allContributors(this.id, { orderBy: 'commits', sort: 'desc', perPage: 100, maxPages: 1 } as never),
    );
    return o.ok ? known(o.value.map(contributor)) : this.access.explain('contributors', o.err);
  }

  private async activity(): Promise<Fact<Activity>> {
    const since = Date.now() - RECENT_DAYS * 86_400_000;
    const sinceIso = new Date(since).toISOString();
    const [commits, issues, members] = await Promise.all([
      this.commitList(),
      this.section(
        'issues',
        () => this.gb.issues.all({ projectId: this.id, updatedAfter: sinceIso, perPage: 30, maxPages: 1 }).then(restIssues),
        'issues',
      ),
      this.section(
        'members',
        () => this.gb.members.all(this.id, { includeInherited: true, perPage: 100, maxPages: 1 }).then(restMembers),
        'members',
      ),
    ]);
    if (!commits.known && !this.project.empty_repo) return commits;
    if (!issues.known) return issues;
    if (!members.known) return members;
    const recentCommits = commits.known ? commits.value.filter((c) => Date.parse(c.committed_date ?? c.created_at) >= since).length : 0;
    const maintainers = new Set(
      nodes<GqlMember>(members.value)
        .filter((m) => (m.accessLevel?.integerValue ?? 0) >= ROLE.developer && m.user?.username)
        .map((m) => m.user!.username),
    );
    const maintainerIssueActivity = nodes<GqlIssue>(issues.value).filter(
      (i) =>
        Date.parse(i.updatedAt) >= since &&
        ((i.author && maintainers.has(i.author.username)) || (i.updatedBy && maintainers.has(i.updatedBy.username))),
    ).length;
    return known({ ...(this.project.created_at ? { createdAt: this.project.created_at } : {}), recentCommits, maintainerIssueActivity });
  }

  /** For tests and the bench: how the access model ended up. */
  get accessSummary(): { role?: number; tier?: Tier; requirements: typeof REQUIRES } {
    return { role: this.access.role, tier: this.access.tier, requirements: REQUIRES };
  }
}

function restIssues(list: unknown): { nodes: GqlIssue[] } {
  const arr = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  return {
    nodes: arr.map((i) => ({
      createdAt: String(i.created_at),
      updatedAt: String(i.updated_at),
      author: (i.author as { username: string } | null) ?? null,
      updatedBy: (i.updated_by as { username: string } | null) ?? null,
    })),
  };
}

function restMembers(list: unknown): { nodes: GqlMember[] } {
  const arr = Array.isArray(list) ? (list as Array<Record<string, unknown>>) : [];
  return { nodes: arr.map((m) => ({ accessLevel: { integerValue: Number(m.access_level) }, user: { username: String(m.username) } })) };
}

/** GitLab plan names (current and legacy) → tier. */
function planTier(plan: string | undefined): Tier | undefined {
  switch ((plan ?? '').toLowerCase()) {
    case 'free':
    case 'default':
      return 'free';
    case 'premium':
    case 'premium_trial':
    case 'bronze':
    case 'silver':
    case 'starter':
      return 'premium';
    case 'ultimate':
    case 'ultimate_trial':
    case 'gold':
    case 'opensource':
    case 'ultimate_trial_paid_customer':
      return 'ultimate';
    default:
      return undefined;
  }
}

const SPDX: Record<string, string> = {
  mit: 'MIT',
  'apache-2.0': 'Apache-2.0',
  'gpl-2.0': 'GPL-2.0',
  'gpl-3.0': 'GPL-3.0',
  'lgpl-2.1': 'LGPL-2.1',
  'lgpl-3.0': 'LGPL-3.0',
  'agpl-3.0': 'AGPL-3.0',
  'bsd-2-clause': 'BSD-2-Clause',
  'bsd-3-clause': 'BSD-3-Clause',
  'mpl-2.0': 'MPL-2.0',
  'epl-1.0': 'EPL-1.0',
  'epl-2.0': 'EPL-2.0',
  unlicense: 'Unlicense',
  isc: 'ISC',
  'cc0-1.0': 'CC0-1.0',
  'bsl-1.0': 'BSL-1.0',
};

/** GitLab's licence keys are lowercase SPDX ids (licensee). */
function spdx(key: string): string {
  return SPDX[key.toLowerCase()] ?? key;
}
