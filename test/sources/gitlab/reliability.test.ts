/**
 * The GitLab source under bad conditions: rate limits waited out, server errors retried, hanging
 * responses timed out, GraphQL rejected or disabled (REST fallbacks), the archive refused (tree API
 * with keyset pagination), tokens that must not travel (other hosts, redirects, release links), and
 * access errors that stop a run with a clear message — never one carrying the token.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { known } from '../../../src/facts/fact.js';
import { SourceError } from '../../../src/sources/remote.js';
import { resolveInstance } from '../../../src/sources/gitlab/index.js';
import { parseRemote } from '../../../src/target.js';
import { startFakeGitLab, type FakeGitLab, type FakeGitLabOptions } from '../../fake-gitlab/server.js';
import type { Scenario } from '../../fake-gitlab/types.js';
import { commit, project, releaseOf, user } from '../../fixtures/gitlab/builders.js';
import { GITLAB_COM, TOKENS } from '../../fixtures/gitlab/scenarios.js';
import { factsOf, gitlabSource, val } from './helpers.js';

const fakes: FakeGitLab[] = [];
async function fakeWith(o: Partial<FakeGitLabOptions> = {}): Promise<FakeGitLab> {
  const f = await startFakeGitLab({ scenarios: GITLAB_COM, ...o });
  fakes.push(f);
  return f;
}
afterEach(async () => {
  await Promise.all(fakes.splice(0).map((f) => f.close()));
});

const widget = { target: 'gitlab.com/acme/widget', token: TOKENS.maintainer };

describe('rate limits, server errors, timeouts', () => {
  it('waits out a 429 with Retry-After, then succeeds', async () => {
    const reset = Math.ceil(Date.now() / 1000) + 1;
    const fake = await fakeWith({
      faults: [
        {
          path: '/repository/tags',
          status: 429,
          headers: {
            'retry-after': '1',
            'ratelimit-limit': '2000',
            'ratelimit-observed': '2000',
            'ratelimit-remaining': '0',
            'ratelimit-reset': String(reset),
          },
          body: { message: 'Retry later' },
        },
      ],
    });
    const src = await gitlabSource({ url: fake.url, ...widget });
    const t0 = Date.now();
    const { tags } = await factsOf(src, ['tags']);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    expect(val(tags)).toHaveLength(2);
    expect(src.requests.retries).toBe(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/repository/tags')).map((r) => r.status)).toEqual([429, 200]);
  });

  it('retries a 500, then succeeds', async () => {
    const fake = await fakeWith({ faults: [{ path: '/protected_branches', status: 500 }] });
    const src = await gitlabSource({ url: fake.url, ...widget });
    const { branchProtection } = await factsOf(src, ['branchProtection']);
    expect(val(branchProtection)[0].allowForcePush).toEqual(known(false));
    expect(src.requests.retries).toBe(1);
    expect(fake.requests.filter((r) => r.path.endsWith('/protected_branches')).map((r) => r.status)).toEqual([500, 200]);
  });

  it('gives up after 3 retries of a 502: Unknown with the reason, the rest of the facts unharmed', async () => {
    const fake = await fakeWith({ faults: [{ path: '/hooks', status: 502, times: 10 }] });
    const src = await gitlabSource({ url: fake.url, ...widget });
    const { webhooks, contributors } = await factsOf(src, ['webhooks', 'contributors']);
    expect(webhooks).toEqual({ known: false, reason: 'project webhooks: API error 502 on projects/201/hooks after 3 retries' });
    expect(val(contributors)).toHaveLength(3);
    expect(fake.requests.filter((r) => r.path.endsWith('/hooks'))).toHaveLength(4);
    expect(src.requests.retries).toBe(3);
  });

  it('times out a hanging response: retried, then Unknown "timed out", never a hang', async () => {
    const fake = await fakeWith({ faults: [{ path: '/job_token_scope', hang: true, times: Infinity }] });
    const src = await gitlabSource({ url: fake.url, ...widget, extra: { timeoutMs: 400 } });
    const t0 = Date.now();
    const { ciTokenPolicy, webhooks } = await factsOf(src, ['ciTokenPolicy', 'webhooks']);
    expect(Date.now() - t0).toBeLessThan(5000);
    const scope = val(ciTokenPolicy).jobTokenScopeLimited!;
    expect(scope).toEqual({
      known: false,
      reason: 'the CI/CD job token scope: timed out after 0.4 s waiting for projects/201/job_token_scope (after 3 retries)',
    });
    expect(fake.requests.filter((r) => r.path.endsWith('/job_token_scope'))).toHaveLength(4);
    expect(val(webhooks)).toHaveLength(2);
  });

  it('a response that hangs once: the retry answers (a timeout is transient)', async () => {
    const fake = await fakeWith({ faults: [{ path: '/job_token_scope', hang: true }] });
    const src = await gitlabSource({ url: fake.url, ...widget, extra: { timeoutMs: 400 } });
    const { ciTokenPolicy } = await factsOf(src, ['ciTokenPolicy']);
    expect(val(ciTokenPolicy).jobTokenScopeLimited).toMatchObject({ known: true });
    expect(src.requests.retries).toBe(1);
  });

  it('times out a response that stalls mid-body (the archive): files Unknown "timed out", no endless wait', async () => {
    const fake = await fakeWith({ faults: [{ path: '/repository/archive', stall: true }] });
    const src = await gitlabSource({ url: fake.url, ...widget, extra: { timeoutMs: 400 } });
    const t0 = Date.now();
    const { files, webhooks } = await factsOf(src, ['files', 'webhooks']);
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(files).toEqual({
      known: false,
      reason: 'the repository archive: timed out after 0.4 s: projects/201/repository/archive.tar.gz stopped sending',
    });
    expect(val(webhooks)).toHaveLength(2);
    expect(await src.readFile('README.md')).toMatchObject({ ok: false, kind: 'unreadable' });
  });

  it('a project request that keeps failing is a network SourceError', async () => {
    const fake = await fakeWith({ faults: [{ path: '/api/v4/projects/acme%2Fwidget', status: 503, times: 10 }] });
    const err = await gitlabSource({ url: fake.url, ...widget }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('network');
    expect((err as Error).message).toContain('API error 503');
  });
});

describe('GraphQL and archive fallbacks', () => {
  it('an instance whose schema lacks a field rejects the combined query: sections are asked alone, metadata falls back to REST', async () => {
    const s: Scenario = { ...GITLAB_COM, instance: { ...GITLAB_COM.instance, graphqlWithoutEnterprise: true } };
    const fake = await fakeWith({ scenarios: s });
    const src = await gitlabSource({ url: fake.url, ...widget });
    const f = await factsOf(src, ['mergedChanges', 'platform', 'releases']);
    expect(val(f.mergedChanges).map((m) => m.number)).toEqual([41, 40, 39]);
    expect(val(f.platform).version).toBe('18.6.0-pre');
    const ops = fake.requests.filter((r) => r.path === '/api/graphql').map((r) => r.operation);
    expect(ops[0]).toBe('SlsaScorecardProject');
    expect(ops.slice(1).sort()).toEqual(['SlsaScorecard_mergeRequests', 'SlsaScorecard_metadata', 'SlsaScorecard_releases']);
    expect(fake.requests.some((r) => r.path === '/api/v4/metadata')).toBe(true);
    expect(
      src.diagnostics.some((d) =>
        /^GraphQL metadata: GraphQL query rejected: Field 'enterprise' doesn't exist on type 'Metadata'/.test(d.message),
      ),
    ).toBe(true);
  });

  it('with GraphQL disabled every section comes from REST (merge requests with one approvals call each)', async () => {
    const s: Scenario = { ...GITLAB_COM, instance: { ...GITLAB_COM.instance, graphqlDisabled: true } };
    const fake = await fakeWith({ scenarios: s });
    const src = await gitlabSource({ url: fake.url, ...widget });
    const f = await factsOf(src, ['mergedChanges', 'workflowRuns', 'activity', 'platform']);
    expect(val(f.mergedChanges).map((m) => [m.number, m.author?.login, m.mergedBy?.login, m.approvers, m.checks])).toEqual([
      [41, 'bob', 'alice', ['alice'], undefined],
      [40, 'alice', 'alice', [], undefined],
      [39, 'renovate-bot', 'bob', ['bob'], undefined],
    ]);
    expect(val(f.workflowRuns).map((r) => [r.headBranch, r.conclusion])).toEqual([
      ['main', 'success'],
      ['feature-41', 'success'],
      ['v1.1.0', 'failure'],
    ]);
    expect(val(f.activity)).toMatchObject({ recentCommits: 23, maintainerIssueActivity: 2 });
    expect(val(f.platform).version).toBe('18.6.0-pre');
    expect(fake.requests.filter((r) => /merge_requests\/\d+\/approvals$/.test(r.path))).toHaveLength(3);
    // A GraphQL endpoint that fails as a request is not asked again part by part.
    expect(fake.requests.filter((r) => r.path === '/api/graphql')).toHaveLength(1);
  });

  it('when the archive is refused, files are listed through the tree API (keyset pages) and read one by one', async () => {
    const many: Record<string, string> = { '.gitlab-ci.yml': 'test:\n  script:\n    - make test\n' };
    for (let i = 0; i < 150; i++) many[`src/file${String(i).padStart(3, '0')}.c`] = `int f${i}(void) { return ${i}; }\n`;
    const big = {
      ...GITLAB_COM.projects[0],
      project: project({ id: 299, path: 'acme/big' }),
      files: many,
      commits: [commit('big', { daysAgo: 1 })],
    };
    const s: Scenario = {
      ...GITLAB_COM,
      projects: [...GITLAB_COM.projects, big],
      tokens: [{ token: 'glpat-big-0000000000000000', username: 'b', roles: { 'acme/big': 40 } }],
    };
    const fake = await fakeWith({ scenarios: s, faults: [{ path: '/repository/archive', status: 503, times: 4 }] });
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/big', token: 'glpat-big-0000000000000000' });
    const { files } = await factsOf(src, ['files']);
    expect(val(files)).toHaveLength(151);
    const pages = fake.requests.filter((r) => r.path.endsWith('/repository/tree'));
    expect(pages.length).toBe(2);
    expect(pages[0].query).toContain('pagination=keyset');
    expect(pages[1].query).toContain('page_token=');
    const r = await src.readFile('src/file007.c');
    expect(r.ok && r.data.toString()).toBe('int f7(void) { return 7; }\n');
    expect(fake.requests.some((x) => x.path.endsWith('/repository/files/src%2Ffile007.c/raw') && x.query.includes('ref='))).toBe(true);
    expect(src.diagnostics.map((d) => d.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^the repository archive could not be read \(API error 503/),
        expect.stringMatching(/tree API/),
      ]),
    );
  });

  it('fileMode "api" reads through the tree API even when the archive works (for measuring both)', async () => {
    const fake = await fakeWith();
    const src = await gitlabSource({ url: fake.url, ...widget, extra: { fileMode: 'api' } });
    const { files } = await factsOf(src, ['files']);
    expect(val(files).map((f) => f.path)).toContain('docs/link.md');
    const link = await src.readFile('docs/link.md');
    expect(link).toMatchObject({ ok: false, kind: 'symlink' });
    expect(fake.requests.some((r) => r.path.includes('archive'))).toBe(false);
  });
});

describe('credentials', () => {
  const target = parseRemote('gitlab.example.org/platform/api', { platform: 'gitlab' })!;

  it('sends GITLAB_TOKEN only to the instance it is configured for', () => {
    const token = 'glpat-CANARY-not-for-example-org';
    const r = resolveInstance({ target, env: { GITLAB_TOKEN: token } });
    expect(r.instanceUrl).toBe('https://gitlab.example.org');
    expect(r.auth).toBeUndefined();
    expect(r.notes[0]).toMatch(/^GITLAB_TOKEN was not sent to gitlab\.example\.org: it is meant for gitlab\.com/);
    expect(r.notes.join('')).not.toContain(token);
    const ok = resolveInstance({ target, env: { GITLAB_TOKEN: token, GITLAB_URL: 'https://gitlab.example.org/' } });
    expect(ok).toEqual({ instanceUrl: 'https://gitlab.example.org', auth: { kind: 'private-token', token }, notes: [] });
    const explicit = resolveInstance({ target, env: { GITLAB_TOKEN: token }, gitlabUrl: 'http://127.0.0.1:1234/api/v4' });
    expect(explicit.instanceUrl).toBe('http://127.0.0.1:1234');
    expect(explicit.auth?.kind).toBe('private-token');
  });

  it('uses CI_JOB_TOKEN only inside GitLab CI on the same instance', () => {
    expect(resolveInstance({ target, env: { CI_JOB_TOKEN: 'job', CI_SERVER_URL: 'https://gitlab.example.org' } }).auth).toEqual({
      kind: 'job-token',
      token: 'job',
    });
    expect(resolveInstance({ target, env: { CI_JOB_TOKEN: 'job', CI_SERVER_URL: 'https://gitlab.com' } }).auth).toBeUndefined();
  });

  it('with CI_JOB_TOKEN: the project is read, endpoints that refuse job tokens say so, GraphQL runs anonymously', async () => {
    const fake = await fakeWith();
    const src = await gitlabSource({
      url: fake.url,
      target: 'gitlab.com/acme/widget',
      env: { CI_JOB_TOKEN: TOKENS.jobToken, CI_SERVER_URL: fake.url },
    });
    const f = await factsOf(src, ['webhooks', 'releases', 'mergedChanges']);
    expect(f.webhooks).toEqual({
      known: false,
      reason: 'project webhooks: CI_JOB_TOKEN is not accepted for this endpoint (HTTP 401)',
      needs: 'a GITLAB_TOKEN with the read_api scope (the CI/CD job token cannot read this)',
    });
    expect(val(f.mergedChanges)).toHaveLength(3);
    expect(fake.requests.find((r) => r.path === '/api/graphql')?.auth).toBeNull();
    expect(fake.requests.find((r) => r.path === '/api/v4/projects/acme%2Fwidget')?.auth).toBe('job-token');
  });

  it('never sends the token to a release link on another origin, nor along a redirect to one', async () => {
    const other = await fakeWith();
    const elsewhere = `${other.url}/downloads/tool.intoto.jsonl`;
    const base = GITLAB_COM.projects.find((p) => p.project.path_with_namespace === 'oss-tools/release-tool')!;
    const rel = releaseOf({
      tag: 'v9.0.0',
      commit: base.commits[0],
      author: user('alice', 101),
      daysAgo: 1,
      webBase: base.project.web_url,
      links: [{ id: 9, name: 'tool.intoto.jsonl', url: elsewhere }],
    });
    const s: Scenario = { ...GITLAB_COM, projects: GITLAB_COM.projects.map((p) => (p === base ? { ...p, releases: [rel] } : p)) };
    const fake = await fakeWith({
      scenarios: s,
      faults: [{ path: '/repository/archive', status: 302, headers: { location: `${other.url}/archive-mirror.tar.gz` } }],
    });
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/oss-tools/release-tool', token: TOKENS.maintainer });
    await factsOf(src, ['attestations', 'files']);
    const offsite = other.requests.filter((r) => r.path === '/downloads/tool.intoto.jsonl' || r.path === '/archive-mirror.tar.gz');
    expect(offsite.map((r) => r.path).sort()).toEqual(['/archive-mirror.tar.gz', '/downloads/tool.intoto.jsonl']);
    expect(offsite.every((r) => r.auth === null && r.credential === undefined)).toBe(true);
    // … while every request to the instance itself carried it.
    expect(fake.requests.filter((r) => r.path.startsWith('/api/v4/')).every((r) => r.credential === TOKENS.maintainer)).toBe(true);
  });

  it('a private project without a token: SourceError auth naming GITLAB_TOKEN and read_api', async () => {
    const fake = await fakeWith();
    const err = await gitlabSource({ url: fake.url, target: 'gitlab.com/bigcorp/secret-sauce' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceError);
    expect((err as SourceError).kind).toBe('auth');
    expect((err as Error).message).toBe(
      'gitlab.com/bigcorp/secret-sauce is not visible without a token (it may be private, or may not exist): set GITLAB_TOKEN to a personal, group or project access token with the read_api scope',
    );
  });

  it('a token without read_api, and a rejected token: clear errors that never contain the token', async () => {
    const fake = await fakeWith();
    const scope = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/widget', token: TOKENS.readRepositoryOnly }).catch(
      (e: unknown) => e,
    );
    expect((scope as SourceError).kind).toBe('auth');
    expect((scope as Error).message).toBe(
      'GITLAB_TOKEN cannot read gitlab.com/acme/widget: it lacks the read_api scope (create a token with read_api)',
    );
    const bad = 'glpat-CANARY-rejected-0000000000';
    const rejected = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/widget', token: bad }).catch((e: unknown) => e);
    expect((rejected as SourceError).kind).toBe('auth');
    expect((rejected as Error).message).toMatch(/^GitLab rejected GITLAB_TOKEN for gitlab\.com\/acme\/widget \(HTTP 401/);
    for (const e of [scope, rejected]) expect(JSON.stringify({ m: (e as Error).message, s: (e as Error).stack })).not.toMatch(/glpat-/);
  });
});
