/**
 * The CLI end to end against the fake GitLab: `slsa-scorecard gitlab.com/group/sub/project
 * --format json --gitlab-url <fake>` with GITLAB_TOKEN set to a canary. The canary reaches the
 * fake (so it was really used) and appears nowhere in stdout, stderr, the JSON or an error.
 * A guard on fetch fails the test if anything leaves the loopback interface.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Writable } from 'node:stream';
import { main, type Io } from '../../../src/cli/main.js';
import type { Assessment } from '../../../src/assessment.js';
import { startFakeGitLab, type FakeGitLab } from '../../fake-gitlab/server.js';
import { GITLAB_COM, withToken } from '../../fixtures/gitlab/scenarios.js';

const CANARY = 'glpat-CANARY-7f3a9c1e5b2d4f6a8c0e';
// bestpractices.dev / osv.dev (CII-Best-Practices, Vulnerabilities) are not for a test: every check still runs.
const OFFLINE = ['--offline'];

let fake: FakeGitLab;
const realFetch = globalThis.fetch;
const offLoopback: string[] = [];

beforeAll(async () => {
  fake = await startFakeGitLab({ scenarios: withToken(GITLAB_COM, CANARY, { 'group/sub/project': 30 }) });
});
afterAll(() => fake.close());
beforeEach(() => {
  globalThis.fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.hostname !== '127.0.0.1') {
      offLoopback.push(url.host);
      return Promise.reject(new TypeError(`test guard: no network (${url.host})`));
    }
    return realFetch(input, init);
  }) as typeof fetch;
});
afterEach(() => {
  globalThis.fetch = realFetch;
  expect(offLoopback).toEqual([]);
});

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let out = '';
  let err = '';
  const sink = (f: (s: string) => void) =>
    new Writable({
      write(c, _e, cb) {
        f(String(c));
        cb();
      },
    });
  const io: Io = { stdout: sink((s) => (out += s)), stderr: sink((s) => (err += s)), env, cwd: process.cwd() };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}

describe('CLI on a GitLab project (nested groups) through the fake', () => {
  it('assesses with the canary token and never prints it', async () => {
    const before = fake.requests.length;
    const r = await run(['gitlab.com/group/sub/project', '--format', 'json', '--gitlab-url', fake.url, ...OFFLINE], {
      GITLAB_TOKEN: CANARY,
    });
    expect(r.stderr).not.toContain(CANARY);
    expect(r.code).toBe(0);
    const mine = fake.requests.slice(before);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((q) => q.credential === CANARY)).toBe(true);
    expect(r.stdout).not.toContain(CANARY);
    expect(r.stdout).not.toContain('CANARY');
    const a = JSON.parse(r.stdout) as Assessment;
    expect(a.target).toMatchObject({
      platform: 'gitlab',
      host: 'gitlab.com',
      repo: 'group/sub/project',
      source: 'gitlab-api',
      branch: 'main',
    });
    expect(a.target.commit).toBe(GITLAB_COM.projects.find((p) => p.project.path_with_namespace === 'group/sub/project')!.commits[0].id);
    expect(a.requests.total).toBe(mine.length);
    expect(a.requests.total).toBeLessThanOrEqual(15);
    const pinned = a.checks.find((c) => c.name === 'Pinned-Dependencies')!;
    expect(pinned.findings.some((f) => f.rule === 'containerImage' && f.location?.path === '.gitlab-ci.yml')).toBe(true);
    // The Developer token reads the protected branch, not the Maintainer-only settings.
    const bp = a.checks.find((c) => c.name === 'Branch-Protection')!;
    expect(bp.score).not.toBeNull();
    expect(a.unknowns.some((u) => u.needs === 'the Maintainer role on the project')).toBe(true);
  });

  it('table output and an error path keep the canary out too', async () => {
    const t = await run(['gitlab.com/group/sub/project', '--gitlab-url', fake.url, '--no-color', ...OFFLINE], { GITLAB_TOKEN: CANARY });
    expect(t.code).toBe(0);
    expect(t.stdout + t.stderr).not.toContain(CANARY);
    // The canary has no access to this private project: a target error, naming the token, not printing it.
    const e = await run(['gitlab.com/bigcorp/secret-sauce', '--format', 'json', '--gitlab-url', fake.url, ...OFFLINE], {
      GITLAB_TOKEN: CANARY,
    });
    expect(e.code).toBe(4);
    expect(e.stdout).toBe('');
    expect(e.stderr).toMatch(/gitlab\.com\/bigcorp\/secret-sauce was not found, or GITLAB_TOKEN cannot see it/);
    expect(e.stderr).not.toContain(CANARY);
  });
});
