/** Portfolio prefetch: repository facts for many repositories in one aliased GraphQL query per batch. */
import { expect, test } from 'vitest';
import { prefetchGitHub } from '../../../src/sources/github/index.js';
import { createFactStore } from '../../../src/engine.js';
import { ALL_SCENARIOS, TOKENS } from '../../fake-github/scenarios.js';
import { FAST, target, withFake } from './helpers.js';

const REPOS = ['acme/widget', 'acme/classic', 'acme/nope', 'slsa-framework/example-package', 'acme/old-widget'];

test('one GraphQL request per batch; per-repository NOT_FOUND fails only that repository; facts come pre-seeded', async () => {
  await withFake({ scenarios: ALL_SCENARIOS() }, async (fake) => {
    const r = await prefetchGitHub(
      REPOS.map((x) => target(x)),
      { env: { GITHUB_TOKEN: TOKENS.read }, githubApiUrl: fake.url, batchSize: 3, ...FAST },
    );
    expect(r.requests).toMatchObject({ total: 2, graphql: 2 });
    expect([...r.sources.keys()].sort()).toEqual([
      'github.com/acme/classic',
      'github.com/acme/old-widget',
      'github.com/acme/widget',
      'github.com/slsa-framework/example-package',
    ]);
    expect(r.errors.get('github.com/acme/nope')).toMatchObject({ kind: 'not-found' });
    const gql = fake.requests.filter((x) => x.path === '/graphql');
    expect(gql).toHaveLength(2);
    // Pre-seeded: GraphQL facts cost nothing more.
    const src = r.sources.get('github.com/acme/widget')!;
    const store = createFactStore(src, [], { offline: true });
    for (const n of ['repository', 'commit', 'mergedChanges', 'recentCommits', 'activity', 'orgSecurityPolicy'] as const)
      expect((await store.get(n)).known, n).toBe(true);
    expect(src.requests.total).toBe(0);
    expect((await store.get('repository')).known && (await store.get('repository'))).toMatchObject({ value: { archived: false } });
    const old = createFactStore(r.sources.get('github.com/acme/old-widget')!, [], { offline: true });
    expect(await old.get('repository')).toMatchObject({ value: { archived: true } });
  });
});

test('a batch that fails as a whole is halved and retried; without a token each repository goes through REST', async () => {
  await withFake({ scenarios: ALL_SCENARIOS(), faults: [{ match: 'graphql', kind: 'status', status: 502, times: 1 }] }, async (fake) => {
    const r = await prefetchGitHub(
      REPOS.slice(0, 2).map((x) => target(x)),
      { env: { GITHUB_TOKEN: TOKENS.read }, githubApiUrl: fake.url, retries: 0, ...FAST },
    );
    expect(r.sources.size).toBe(2);
    expect(fake.requests.filter((x) => x.path === '/graphql').map((x) => x.status)).toEqual([502, 200, 200]);
  });
  await withFake({ scenarios: ALL_SCENARIOS() }, async (fake) => {
    const r = await prefetchGitHub([target('acme/widget'), target('acme/secret')], { env: {}, githubApiUrl: fake.url, ...FAST });
    expect(r.sources.has('github.com/acme/widget')).toBe(true);
    expect(r.errors.get('github.com/acme/secret')).toMatchObject({ kind: 'auth' });
    expect(fake.requests.some((x) => x.path === '/graphql')).toBe(false);
  });
});
