/**
 * Network faults, each on its own: retried, waited for, or turned into an Unknown with the reason —
 * never a crash, and never at the cost of the facts already fetched.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from 'vitest';
import { SOURCE_FACT_NAMES } from '../../../src/facts/catalog.js';
import { classicScenario, rulesetsScenario, TOKENS } from '../../fake-github/scenarios.js';
import { assessFully, GITHUB_FACTS, sourceFor, value, withFake } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'gh-faults-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

test('500 then 502 then success: retried, and the retries are counted', async () => {
  await withFake(
    {
      scenarios: [rulesetsScenario()],
      faults: [
        { match: 'GET /repos/acme/widget/releases', kind: 'status', status: 500, times: 1 },
        { match: 'GET /repos/acme/widget/releases', kind: 'status', status: 502, times: 1 },
      ],
    },
    async (fake) => {
      const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/widget', TOKENS.read));
      expect(value(facts.releases)).toHaveLength(2);
      expect(fake.requests.filter((r) => r.path.startsWith('/repos/acme/widget/releases')).map((r) => r.status)).toEqual([500, 502, 200]);
      expect(assessment.requests.retries).toBe(2);
    },
  );
});

test('5xx that never recovers: Unknown "API error 502 after 3 retries"; the other facts are kept', async () => {
  await withFake(
    {
      scenarios: [rulesetsScenario()],
      faults: [{ match: 'GET /repos/acme/widget/releases', kind: 'status', status: 502, times: Infinity }],
    },
    async (fake) => {
      const { facts } = await assessFully(await sourceFor(fake, 'acme/widget', TOKENS.read));
      expect(facts.releases).toMatchObject({ known: false, reason: expect.stringContaining('API error 502 after 3 retries') });
      expect(value(facts.tags).length).toBe(3);
      expect(value(facts.files).length).toBeGreaterThan(5);
    },
  );
});

test('secondary rate limit with retry-after: waited for, then answered', async () => {
  await withFake(
    {
      scenarios: [rulesetsScenario()],
      faults: [{ match: 'GET /repos/acme/widget/contributors', kind: 'secondary-rate-limit', retryAfter: 1 }],
    },
    async (fake) => {
      const notes: string[] = [];
      const src = await sourceFor(fake, 'acme/widget', TOKENS.read, { log: (l) => notes.push(l) });
      const started = Date.now();
      const { facts } = await assessFully(src);
      const asked = fake.requests.filter((r) => r.path.startsWith('/repos/acme/widget/contributors'));
      expect(asked.map((r) => r.status)).toEqual([403, 200]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950); // retry-after: 1 s, honoured
      expect(value(facts.contributors).length).toBeGreaterThan(0);
      expect(notes.join('\n')).toMatch(/secondary rate limit .*waiting 1 s/);
    },
  );
});

test('truncated JSON: that fact is Unknown with the reason, the rest of the run is unaffected', async () => {
  await withFake(
    { scenarios: [rulesetsScenario()], faults: [{ match: 'GET /repos/acme/widget/releases', kind: 'truncate' }] },
    async (fake) => {
      const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/widget', TOKENS.read));
      expect(facts.releases).toMatchObject({ known: false, reason: expect.stringMatching(/truncated or malformed JSON .*releases/) });
      expect(value(facts.branchProtection)).toHaveLength(1); // the release branch is not known, main still is
      expect(value(facts.mergedChanges).length).toBe(6);
      expect(assessment.checks.length).toBeGreaterThan(10);
    },
  );
});

test('a hanging response: that request times out, the fact is Unknown "timed out after …"', async () => {
  await withFake(
    { scenarios: [rulesetsScenario()], faults: [{ match: 'GET /repos/acme/widget/actions/runs', kind: 'hang', times: Infinity }] },
    async (fake) => {
      const started = Date.now();
      const src = await sourceFor(fake, 'acme/widget', TOKENS.read, { timeoutMs: 400, retryBaseMs: 10 });
      const { facts } = await assessFully(src);
      expect(facts.workflowRuns).toMatchObject({ known: false, reason: expect.stringContaining('timed out after 400 ms') });
      expect(value(facts.releases)).toHaveLength(2);
      // Timeouts are retried like 5xx (3 retries), then given up: 4 attempts in all.
      expect(fake.requests.filter((r) => r.path.startsWith('/repos/acme/widget/actions/runs'))).toHaveLength(4);
      expect(Date.now() - started).toBeLessThan(8_000);
    },
  );
});

test('a response that hangs once: the retry answers, and nothing is lost', async () => {
  await withFake(
    { scenarios: [rulesetsScenario()], faults: [{ match: 'GET /repos/acme/widget/git/tags/', kind: 'hang' }] },
    async (fake) => {
      const src = await sourceFor(fake, 'acme/widget', TOKENS.read, { timeoutMs: 400, retryBaseMs: 10 });
      const { facts } = await assessFully(src);
      expect(src.requests.retries).toBeGreaterThanOrEqual(1);
      expect(value(facts.tags).some((t) => t.annotated && t.verified === true)).toBe(true);
      expect(src.diagnostics.map((d) => d.message).join('\n')).not.toMatch(/tags left out/);
    },
  );
});

test('GraphQL partial errors: the failing field is Unknown, every other field of the same query is kept', async () => {
  await withFake(
    {
      scenarios: [rulesetsScenario()],
      faults: [
        {
          match: 'graphql',
          kind: 'graphql-errors',
          errors: [{ path: ['r0', 'tags'], type: 'INTERNAL', message: 'Something went wrong while resolving tags' }],
        },
      ],
    },
    async (fake) => {
      const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/widget', TOKENS.read));
      expect(facts.tags).toMatchObject({ known: false, reason: expect.stringContaining('Something went wrong while resolving tags') });
      expect(value(facts.mergedChanges)).toHaveLength(6);
      expect(value(facts.recentCommits)).toHaveLength(12);
      expect(value(facts.branchProtection)[0].requiredApprovals).toEqual({ known: true, value: 2 });
      expect(assessment.requests.graphql).toBeLessThanOrEqual(2);
    },
  );
});

test('GraphQL down altogether: the source falls back to REST and says so', async () => {
  await withFake(
    { scenarios: [classicScenario()], faults: [{ match: 'graphql', kind: 'status', status: 502, times: Infinity }] },
    async (fake) => {
      const src = await sourceFor(fake, 'acme/classic', TOKENS.admin);
      const { facts } = await assessFully(src);
      expect(src.diagnostics.map((d) => d.message).join('\n')).toMatch(
        /GraphQL query failed \(API error 502 after 3 retries.*falling back to REST/,
      );
      expect(value(facts.repository)).toMatchObject({ repo: 'acme/classic', defaultBranch: 'main' });
      // Classic protection through REST (admin), with "Branch not protected" told apart from "Not Found".
      const [main, release] = value(facts.branchProtection);
      expect(main).toMatchObject({
        sources: ['classic'],
        dismissStaleReviews: { known: true, value: true },
        enforceAdmins: { known: true, value: true },
      });
      expect(release).toMatchObject({ branch: 'release/1.0', protected: { known: true, value: false } });
      expect(value(facts.files).length).toBeGreaterThan(5);
    },
  );
});

test('random failures (seeded): every fact is known or Unknown with a reason, the run completes', async () => {
  await withFake({ scenarios: [rulesetsScenario()], failureRate: 0.3, seed: 7 }, async (fake) => {
    const src = await sourceFor(fake, 'acme/widget', TOKENS.read, { retries: 1 }).catch((e: Error) => e);
    if (src instanceof Error) {
      expect(src.message).toMatch(/acme\/widget/); // the repository itself could not be read: a clear error
      return;
    }
    const { assessment, facts } = await assessFully(src);
    for (const n of SOURCE_FACT_NAMES) {
      const f = facts[n];
      if (!f.known) expect(f.reason, n).toMatch(/\w/);
    }
    expect(assessment.checks.length).toBeGreaterThan(10);
    expect(fake.requests.some((r) => r.status === 502)).toBe(true);
  });
});

test('ETag cache: a second run answers from the cache (304s counted), the tarball is reused by commit, nothing holds the token', async () => {
  const cacheDir = join(tmp, 'cache');
  await withFake({ scenarios: [rulesetsScenario()] }, async (fake) => {
    const first = await assessFully(await sourceFor(fake, 'acme/widget', TOKENS.read, { cacheDir }));
    expect(first.assessment.requests.cached).toBe(0);
    const before = fake.requests.length;
    const second = await assessFully(await sourceFor(fake, 'acme/widget', TOKENS.read, { cacheDir }));
    const again = fake.requests.slice(before);
    expect(again.filter((r) => r.status === 304).length).toBeGreaterThanOrEqual(4);
    expect(again.some((r) => r.path.includes('/tarball/'))).toBe(false);
    expect(second.assessment.requests.cached).toBeGreaterThanOrEqual(5);
    expect(value(second.facts.releases)).toEqual(value(first.facts.releases));
    expect(value(second.facts.files)).toEqual(value(first.facts.files));
    for (const n of GITHUB_FACTS) expect(second.facts[n]).toEqual(first.facts[n]);
  });
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(cacheDir);
  expect(files.length).toBeGreaterThan(5);
  expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  for (const f of files) {
    const text = readFileSync(f).toString('latin1');
    expect(text.includes(TOKENS.read) || f.includes(TOKENS.read)).toBe(false);
  }
});
