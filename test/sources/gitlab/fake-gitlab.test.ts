/**
 * The fake GitLab itself: its fixtures type-check against @gitbeaker's schemas (and a fixture
 * missing a field would not), and it answers like GitLab — pagination headers, keyset links, error
 * bodies, scopes, roles, tiers, faults, a real archive, GraphQL selections.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { readArchive } from '../../../src/sources/gitlab/archive.js';
import { buildQuery, ALL_SECTIONS } from '../../../src/sources/gitlab/graphql.js';
import { startFakeGitLab } from '../../fake-gitlab/server.js';
import { execute } from '../../fake-gitlab/graphql.js';
import { ALL_SCENARIOS, GITLAB_COM, TOKENS } from '../../fixtures/gitlab/scenarios.js';
import { withTagsAndGroups } from './fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..', '..');

function typecheck(files: string[], extra?: { name: string; text: string }) {
  const cfg = ts.readConfigFile(join(ROOT, 'tsconfig.json'), ts.sys.readFile).config as { compilerOptions: object };
  const { options } = ts.convertCompilerOptionsFromJson(cfg.compilerOptions, ROOT);
  const opts = { ...options, noEmit: true, rootDir: ROOT };
  const host = ts.createCompilerHost(opts);
  if (extra) {
    const orig = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) =>
      name === extra.name ? ts.createSourceFile(name, extra.text, lang) : orig(name, lang, ...rest);
    const exists = host.fileExists.bind(host);
    host.fileExists = (name) => name === extra.name || exists(name);
  }
  const program = ts.createProgram(extra ? [...files, extra.name] : files, opts, host);
  return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
}

describe('fixtures', () => {
  it('type-check against @gitbeaker/core schemas — and a fixture missing a schema field would not', () => {
    const dirs = ['test/fixtures/gitlab', 'test/fake-gitlab'];
    // bench.ts imports the whole engine and the checks: `npm run typecheck` covers it; this stays about fixtures.
    const files = dirs.flatMap((d) =>
      readdirSync(join(ROOT, d))
        .filter((f) => f.endsWith('.ts') && f !== 'bench.ts')
        .map((f) => join(ROOT, d, f)),
    );
    expect(files.length).toBeGreaterThanOrEqual(6);
    // One program (type-checking costs seconds): the real fixtures plus a deliberately incomplete one.
    const name = join(ROOT, 'test/fixtures/gitlab/__incomplete__.ts');
    const text = `import type { ProtectedBranchSchema } from '@gitbeaker/core';\nexport const pb = { id: 1, name: 'main', allow_force_push: false } satisfies ProtectedBranchSchema;\n`;
    const errors = typecheck(files, { name, text });
    expect(errors.filter((e) => !e.startsWith(name))).toEqual([]);
    expect(errors.filter((e) => e.startsWith(name)).join('\n')).toMatch(/code_owner_approval_required/);
  }, 30_000);

  it('are complete: every project has a tree, a history whose head the archive carries, and consistent ids', async () => {
    for (const s of ALL_SCENARIOS) {
      const ids = s.projects.map((p) => p.project.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of s.projects) {
        expect(p.commits.length, p.project.path_with_namespace).toBeGreaterThan(0);
        expect(Object.keys(p.files).length).toBeGreaterThan(0);
        expect(p.project.path_with_namespace.endsWith(`/${p.project.path}`)).toBe(true);
        for (const mr of p.mergeRequests ?? []) expect(mr.mr.project_id).toBe(p.project.id);
        for (const r of p.releases ?? []) expect(p.commits.map((c) => c.id)).toContain(r.commit.id);
      }
    }
  });
});

describe('the fake answers like GitLab', () => {
  it('offset pagination headers and links', async () => {
    const fake = await startFakeGitLab({ scenarios: GITLAB_COM });
    const r = await fetch(`${fake.url}/api/v4/projects/201/repository/commits?per_page=10&page=2`, {
      headers: { 'private-token': TOKENS.maintainer },
    });
    expect(r.status).toBe(200);
    expect((await r.json()).length).toBe(10);
    expect(r.headers.get('x-total')).toBe('30');
    expect(r.headers.get('x-total-pages')).toBe('3');
    expect(r.headers.get('x-page')).toBe('2');
    expect(r.headers.get('x-next-page')).toBe('3');
    expect(r.headers.get('x-prev-page')).toBe('1');
    expect(r.headers.get('link')).toContain(`<${fake.url}/api/v4/projects/201/repository/commits?per_page=10&page=3>; rel="next"`);
    await fake.close();
  });

  it('error bodies as GitLab sends them', async () => {
    const fake = await startFakeGitLab({ scenarios: GITLAB_COM });
    const get = async (path: string, token?: string) => {
      const r = await fetch(`${fake.url}/api/v4/${path}`, { headers: token ? { 'private-token': token } : {} });
      return [r.status, await r.json()];
    };
    expect(await get('projects/bigcorp%2Fsecret-sauce')).toEqual([404, { message: '404 Project Not Found' }]);
    expect(await get('projects/201/hooks')).toEqual([401, { message: '401 Unauthorized' }]);
    expect(await get('projects/203/hooks', TOKENS.reporter)).toEqual([403, { message: '403 Forbidden' }]);
    expect(await get('projects/201', 'glpat-unknown')).toEqual([401, { message: '401 Unauthorized' }]);
    expect(await get('projects/201', TOKENS.readRepositoryOnly)).toEqual([
      403,
      {
        error: 'insufficient_scope',
        error_description: 'The request requires higher privileges than provided by the access token.',
        scope: 'api read_api',
      },
    ]);
    // Premium endpoints on a Free project; the push rule on Premium without one configured.
    expect(await get('projects/201/approval_rules', TOKENS.maintainer)).toEqual([403, { message: '403 Forbidden' }]);
    expect(await get('projects/205/push_rule', TOKENS.maintainer)).toEqual([200, null]);
    await fake.close();
  });

  it('protected tags (Maintainers only) and groups (by id or path, as their readers see them) in GitLab’s shape', async () => {
    const fake = await startFakeGitLab({ scenarios: withTagsAndGroups(GITLAB_COM) });
    const get = async (path: string, token?: string) => {
      const r = await fetch(`${fake.url}/api/v4/${path}`, { headers: token ? { 'private-token': token } : {} });
      return [r.status, await r.json()];
    };
    expect(await get('projects/201/protected_tags?per_page=100', TOKENS.maintainer)).toEqual([
      200,
      [{ name: 'v*', create_access_levels: [{ id: 1, access_level: 40, access_level_description: 'Maintainers' }] }],
    ]);
    expect(await get('projects/206/protected_tags', TOKENS.maintainer)).toEqual([200, []]);
    expect(await get('projects/203/protected_tags', TOKENS.reporter)).toEqual([403, { message: '403 Forbidden' }]);
    expect(await get('projects/201/protected_tags')).toEqual([401, { message: '401 Unauthorized' }]);

    const [status, sub] = (await get('groups/group%2Fsub?with_projects=false')) as [number, Record<string, unknown>];
    expect(status).toBe(200);
    expect(sub).toMatchObject({ full_path: 'group/sub', require_two_factor_authentication: false, visibility: 'public' });
    const [, top] = (await get(`groups/${String(sub.parent_id)}?with_projects=false`)) as [number, Record<string, unknown>];
    expect(top).toMatchObject({ full_path: 'group', parent_id: null, require_two_factor_authentication: true });
    expect(sub.projects).toBeUndefined();
    // Without with_projects=false GitLab lists the group's projects (deprecated, default true).
    const [, withProjects] = (await get('groups/bigcorp', TOKENS.maintainer)) as [number, { projects: Array<{ path: string }> }];
    expect(withProjects.projects.map((x) => x.path).sort()).toEqual(['platform', 'secret-sauce']);
    expect(await get('groups/nope')).toEqual([404, { message: '404 Group Not Found' }]);
    await fake.close();
  });

  it('per-token permissions on the project, maintainer-only fields hidden from others', async () => {
    const fake = await startFakeGitLab({ scenarios: GITLAB_COM });
    const r = await (await fetch(`${fake.url}/api/v4/projects/203`, { headers: { 'private-token': TOKENS.reporter } })).json();
    expect(r.permissions).toEqual({ project_access: { access_level: 20, notification_level: 3 }, group_access: null });
    expect(r.runners_token).toBeUndefined();
    expect(r.license).toBeUndefined(); // only with ?license=true
    await fake.close();
  });

  it('faults: 429 with RateLimit headers, then the real answer; latency', async () => {
    const fake = await startFakeGitLab({
      scenarios: GITLAB_COM,
      latencyMs: 20,
      faults: [
        {
          path: '/api/v4/projects/201',
          status: 429,
          headers: { 'retry-after': '3', 'ratelimit-remaining': '0' },
          body: { message: 'Retry later' },
        },
      ],
    });
    const t0 = Date.now();
    const a = await fetch(`${fake.url}/api/v4/projects/201`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(15);
    expect([a.status, a.headers.get('retry-after'), a.headers.get('ratelimit-remaining'), await a.json()]).toEqual([
      429,
      '3',
      '0',
      { message: 'Retry later' },
    ]);
    expect((await fetch(`${fake.url}/api/v4/projects/201`)).status).toBe(200);
    await fake.close();
  });

  it('serves the tree at the head commit as a real .tar.gz (pax commit header, top directory, symlinks)', async () => {
    const fake = await startFakeGitLab({ scenarios: GITLAB_COM });
    const head = GITLAB_COM.projects[0].commits[0].id;
    const r = await fetch(`${fake.url}/api/v4/projects/201/repository/archive.tar.gz?sha=${head}`);
    const a = await readArchive(new Uint8Array(await r.arrayBuffer()));
    expect(a.commit).toBe(head);
    expect(a.entries.get('docs/link.md')).toMatchObject({ kind: 'symlink', target: '../README.md' });
    expect(a.entries.get('README.md')?.data.toString()).toBe('# widget\n');
    await fake.close();
  });

  it('GraphQL: the source’s query validates and returns exactly the selected fields', () => {
    const q = buildQuery(ALL_SECTIONS);
    const r = execute(
      q,
      { fullPath: 'acme/widget', branch: 'main', since: new Date(0).toISOString() },
      {
        __typename: 'Query',
        metadata: { __typename: 'Metadata', version: '1', revision: 'r', enterprise: true, kas: null },
        project: {
          __typename: 'Project',
          mergeRequests: () => ({ nodes: [] }),
          releases: () => ({ nodes: [] }),
          pipelines: () => ({ nodes: [] }),
          issues: () => ({ nodes: [] }),
          projectMembers: () => ({ nodes: [] }),
          group: {
            __typename: 'Group',
            requireTwoFactorAuthentication: false,
            parent: { __typename: 'Group', requireTwoFactorAuthentication: true, parent: null },
          },
        },
      },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data).toEqual({
      metadata: { version: '1', revision: 'r', enterprise: true },
      project: {
        mergeRequests: { nodes: [] },
        releases: { nodes: [] },
        pipelines: { nodes: [] },
        tagPipelines: { nodes: [] },
        issues: { nodes: [] },
        projectMembers: { nodes: [] },
        group: { requireTwoFactorAuthentication: false, parent: { requireTwoFactorAuthentication: true, parent: null } },
      },
    });
    const bad = execute('query { metadata { version nope } }', {}, { metadata: { __typename: 'Metadata', version: '1' } });
    expect(bad).toEqual({
      errors: [expect.objectContaining({ message: "Field 'nope' doesn't exist on type 'Metadata'", path: ['metadata', 'nope'] })],
    });
  });
});
