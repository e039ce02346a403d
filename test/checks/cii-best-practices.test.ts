import { afterAll, describe, expect, it } from 'vitest';
import cii from '../../checks/cii-best-practices.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { BestPractices } from '../../src/facts/platform.js';
import { startFakeServices, type FakeServices } from '../fake-services/server.js';
import { memorySource, storeOf } from '../fake-services/source.js';

const run = (f: Fact<BestPractices>) => cii.run({ bestPractices: f }, { options: {} });

describe('CII-Best-Practices (check)', () => {
  it('gold 10, silver 7, passing 5, in progress 2, none 0', () => {
    expect(run(known({ level: 'gold', projectId: 1 })).score).toBe(10);
    expect(run(known({ level: 'silver' })).score).toBe(7);
    expect(run(known({ level: 'passing' })).score).toBe(5);
    expect(run(known({ level: 'in_progress' })).score).toBe(2);
    const none = run(known({ level: null }));
    expect(none.score).toBe(0);
    expect(none.findings?.map((f) => f.rule)).toEqual(['noBestPracticesBadge']);
  });

  it('unknown → inconclusive, never 0', () => {
    const o = run(unknown('bestpractices.dev not consulted offline', 'network access to bestpractices.dev'));
    expect(o.score).toBeNull();
    expect(o.unknowns).toEqual([
      { fact: 'bestPractices', reason: 'bestpractices.dev not consulted offline', needs: 'network access to bestpractices.dev' },
    ]);
  });
});

describe('bestPractices provider (loopback bestpractices.dev)', () => {
  const servers: FakeServices[] = [];
  afterAll(async () => Promise.all(servers.map((s) => s.close())));
  const start = async (...args: Parameters<typeof startFakeServices>) => {
    const s = await startFakeServices(...args);
    servers.push(s);
    return s;
  };

  it('looks the repository up by URL and prefers the project registered for it', async () => {
    const fake = await start({
      projects: [
        {
          id: 7,
          name: 'widget docs',
          repo_url: 'https://github.com/acme/widget-docs',
          homepage_url: 'https://github.com/acme/widget',
          badge_level: 'in_progress',
        },
        { id: 42, name: 'widget', repo_url: 'https://github.com/acme/widget', badge_level: 'silver' },
      ],
    });
    const source = memorySource('github', {});
    const f = await storeOf(source, { bestPracticesUrl: fake.url }).get('bestPractices');
    expect(f).toEqual(known({ level: 'silver', projectId: 42, url: `${fake.url}/projects/42` }));
    expect(fake.requests).toEqual([{ method: 'GET', path: '/projects.json', query: { url: 'https://github.com/acme/widget' } }]);
    expect(source.requests).toMatchObject({ total: 1, rest: 1 });
    expect(run(f).score).toBe(7);
  });

  it('no project → level null (score 0)', async () => {
    const fake = await start({ projects: [] });
    const f = await storeOf(memorySource('gitlab', {}, { host: 'gitlab.com', repo: 'g/sub/p' }), { bestPracticesUrl: fake.url }).get(
      'bestPractices',
    );
    expect(f).toEqual(known({ level: null }));
    expect(fake.requests[0].query.url).toBe('https://gitlab.com/g/sub/p');
  });

  it('a 500 is retried; persistent failure, hangs and junk become unknown with the reason', async () => {
    const flaky = await start({
      projects: [{ id: 1, name: 'w', repo_url: 'https://github.com/acme/widget', badge_level: 'gold' }],
      faults: [{ match: /projects/, times: 1, status: 502 }],
    });
    const src = memorySource('github', {});
    expect(await storeOf(src, { bestPracticesUrl: flaky.url }).get('bestPractices')).toMatchObject({
      known: true,
      value: { level: 'gold' },
    });
    expect(src.requests).toMatchObject({ total: 2, rest: 2, retries: 1 });

    const down = await start({ faults: [{ match: /projects/, times: 10, status: 503 }] });
    const d = await storeOf(memorySource('github', {}), { bestPracticesUrl: down.url }).get('bestPractices');
    expect(d).toMatchObject({ known: false, reason: 'bestpractices.dev answered HTTP 503 after 3 attempts' });

    const hang = await start({ faults: [{ match: /projects/, times: 10, hang: true }] });
    const h = await storeOf(memorySource('github', {}), { bestPracticesUrl: hang.url, timeoutMs: 200 }).get('bestPractices');
    expect(h).toMatchObject({ known: false, reason: 'bestpractices.dev could not be reached: no answer within 200 ms' });

    const junk = await start({ faults: [{ match: /projects/, times: 1, truncated: true }] });
    expect(await storeOf(memorySource('github', {}), { bestPracticesUrl: junk.url }).get('bestPractices')).toMatchObject({
      known: false,
      reason: 'bestpractices.dev answered with invalid JSON',
    });
  });

  it('never touches the network for a local run or an offline run', async () => {
    const fake = await start({ projects: [] });
    const local = await storeOf(memorySource('local', {}), { bestPracticesUrl: fake.url }).get('bestPractices');
    expect(local).toMatchObject({ known: false, reason: 'bestpractices.dev not consulted offline: a local run never uses the network' });
    const offline = await storeOf(memorySource('github', {}), { bestPracticesUrl: fake.url, offline: true }).get('bestPractices');
    expect(offline).toMatchObject({ known: false, reason: 'bestpractices.dev not consulted: the run is offline' });
    expect(fake.requests).toEqual([]);
  });
});
