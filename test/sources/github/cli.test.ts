/**
 * The CLI assesses a fake GitHub repository end to end over HTTP (`--github-api-url`), and the
 * token — a canary — never appears in stdout, stderr, the JSON, the ETag cache or a thrown error,
 * even when the server's error bodies echo the Authorization header back.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, expect, test } from 'vitest';
import { main, type Io } from '../../../src/cli/main.js';
import type { Assessment } from '../../../src/assessment.js';
import { createGitHubSource } from '../../../src/sources/github/index.js';
import { privateScenario, rulesetsScenario } from '../../fake-github/scenarios.js';
import type { Scenario } from '../../fake-github/model.js';
import { FAST, target, withFake } from './helpers.js';

const CANARY = 'ghp_CANARY0123456789abcdefghijklmnopqrstuv';
const FORMS = [CANARY, Buffer.from(CANARY).toString('base64'), 'CANARY0123456789'];
const tmp = mkdtempSync(join(tmpdir(), 'gh-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function withCanary(s: Scenario): Scenario {
  return { ...s, tokens: { ...s.tokens, [CANARY]: { role: 'admin', kind: 'classic', scopes: 'repo' } } };
}

async function run(args: string[], env: NodeJS.ProcessEnv) {
  let out = '';
  let err = '';
  const stream = (sink: (s: string) => void) =>
    Object.assign(
      new Writable({
        write(chunk, _enc, cb) {
          sink(String(chunk));
          cb();
        },
      }),
      { isTTY: false },
    );
  const io: Io = { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), env, cwd: tmp };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir)) {
    const p = join(dir, e);
    if (statSync(p).isDirectory()) out.push(...filesUnder(p));
    else out.push(p);
  }
  return out;
}

function expectNoCanary(where: string, text: string) {
  for (const f of FORMS) expect(text.includes(f), `${where} contains the token`).toBe(false);
}

// Public services (bestpractices.dev, osv.dev) are not called: tests never use the network.
const skip = ['--offline'];

test('slsa-scorecard acme/widget --format json against the fake GitHub: a full assessment, and the token is nowhere', async () => {
  const cache = join(tmp, 'xdg');
  await withFake(
    {
      scenarios: [withCanary(rulesetsScenario())],
      faults: [
        // Error bodies that echo the Authorization header, on a sub-resource (→ Unknown with GitHub's message)…
        { match: 'GET /repos/acme/widget/hooks', kind: 'echo-auth', status: 403, times: Infinity },
        { match: 'GET /repos/acme/widget/actions/runs', kind: 'echo-auth', status: 401, times: Infinity },
      ],
    },
    async (fake) => {
      const env = { GITHUB_TOKEN: CANARY, XDG_CACHE_HOME: cache };
      const r = await run(['acme/widget', '--format', 'json', '--github-api-url', fake.url, ...skip], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const a = JSON.parse(r.stdout) as Assessment;
      expect(a.target).toMatchObject({ platform: 'github', host: 'github.com', repo: 'acme/widget', source: 'github-api', branch: 'main' });
      expect(a.target.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(a.requests.total).toBeGreaterThan(3);
      expect(a.requests.total).toBeLessThanOrEqual(12);
      expect(a.checks.length).toBeGreaterThan(15);
      expect(a.checks.find((c) => c.name === 'Branch-Protection')?.score).toEqual(expect.any(Number));
      // The echoed header reached the fact as GitHub's message — redacted.
      expect(r.stdout).toContain('[REDACTED]');
      expectNoCanary('stdout', r.stdout);
      expectNoCanary('stderr', r.stderr);

      // Again, from the ETag cache: conditional requests answered 304.
      const again = await run(['acme/widget', '--format', 'json', '--github-api-url', fake.url, ...skip], env);
      expect((JSON.parse(again.stdout) as Assessment).requests.cached).toBeGreaterThan(0);
      expectNoCanary('stdout', again.stdout);

      // Errors: a repository that does not exist → exit code and message, no token.
      const missing = await run(['acme/does-not-exist', '--format', 'json', '--github-api-url', fake.url], env);
      expect(missing.code).toBe(4);
      expect(missing.stderr).toMatch(/acme\/does-not-exist was not found/);
      expectNoCanary('stderr', missing.stderr);
    },
  );
  const files = filesUnder(cache);
  expect(files.length).toBeGreaterThan(3);
  for (const f of files) {
    expectNoCanary(`cache path ${f}`, f);
    expectNoCanary(`cache file ${f}`, readFileSync(f).toString('latin1'));
  }
});

test('the GraphQL endpoint echoing the Authorization header in a 401, and thrown errors, never show the token', async () => {
  await withFake(
    { scenarios: [withCanary(privateScenario())], faults: [{ match: 'graphql', kind: 'echo-auth', status: 401, times: Infinity }] },
    async (fake) => {
      const env = { GITHUB_TOKEN: CANARY };
      const r = await run(['acme/secret', '--github-api-url', fake.url, '--no-cache'], env);
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(/rejected the token in GITHUB_TOKEN\/GH_TOKEN \(401 Bad credentials\)/);
      expectNoCanary('stderr', r.stderr);
      expectNoCanary('stdout', r.stdout);
      const err = await createGitHubSource({ target: target('acme/secret'), env, githubApiUrl: fake.url, ...FAST }).catch((e: Error) => e);
      expect(err).toBeInstanceOf(Error);
      expectNoCanary('error message', (err as Error).message);
      expectNoCanary('error', JSON.stringify(err, Object.getOwnPropertyNames(err)));
      expectNoCanary('error stack', String((err as Error).stack));
    },
  );
  // A 403 whose body echoes the header, on every REST request: failures everywhere, the token nowhere.
  // (403 is not retried; the CLI runs with GitHub's real back-off, which a 5xx would make slow.)
  await withFake(
    {
      scenarios: [withCanary(rulesetsScenario())],
      faults: [{ match: /^GET \/repos\/acme\/widget\//, kind: 'echo-auth', status: 403, times: Infinity }],
    },
    async (fake) => {
      const logs: string[] = [];
      const r = await run(['acme/widget', '--format', 'json', '--github-api-url', fake.url, '--no-cache', ...skip], {
        GITHUB_TOKEN: CANARY,
      });
      logs.push(r.stdout, r.stderr);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('[REDACTED]');
      for (const l of logs) expectNoCanary('output', l);
    },
  );
}, 60_000);
