/**
 * Portfolio runs end to end, in this process, against the fake GitHub / GitLab behind the
 * portfolio front (enumeration, enforced rate limits, seeded faults): every repository once,
 * results streamed to disk, resume, faults retried, permanent failures reported, pacing before
 * the budget runs out, GitLab groups with subgroups, and a --list mixing platforms.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builtinChecks } from '../../checks/index.js';
import { main } from '../../src/cli/main.js';
import { EnumerationError } from '../../src/portfolio/platforms/common.js';
import { PortfolioError, runPortfolio } from '../../src/portfolio/runner.js';
import { startFakeGitHub } from '../fake-github/server.js';
import { startFakeGitLab, type FakeGitLab } from '../fake-gitlab/server.js';
import { GITLAB_COM, TOKENS as GITLAB_TOKENS } from '../fixtures/gitlab/scenarios.js';
import { startFront, type Front } from './front.js';
import { FAST, githubOrg, indexLines, quietStream, run, stable, tempDir, TOKENS, type GitHubSetup, removeTempDirs } from './helpers.js';
import { enumerationOf, orgRepos, orgScenario } from './org.js';

afterAll(() => removeTempDirs());

describe('portfolio run (fake GitHub org)', () => {
  let gh: GitHubSetup;
  let clean: string;
  let expected: number;

  beforeAll(async () => {
    gh = await githubOrg({ count: 36, seed: 3, latencyMs: 2 });
    expected = gh.repos.filter((r) => !r.archived && !r.fork).length + 1; // + .github
    clean = tempDir();
  });
  afterAll(async () => gh?.close());

  it('assesses every repository once and streams each result to disk', async () => {
    const seen: string[] = [];
    const r = await run(gh, clean, { badges: true, concurrency: 6, onEntry: (e) => seen.push(e.key) });
    expect(r.total).toBe(expected);
    expect(r.assessed + r.errors).toBe(expected);
    expect(r.excluded.archived + r.excluded.forks).toBe(gh.repos.filter((x) => x.archived || x.fork).length);
    const lines = indexLines(clean);
    expect(lines).toHaveLength(expected);
    expect(new Set(lines.map((l) => l.key)).size).toBe(expected);
    expect(seen).toEqual(lines.map((l) => l.key)); // one line per finished repository, in finishing order
    for (const l of lines) {
      expect(l.status, `${l.repo}: ${l.reason}`).toBe('ok');
      const a = JSON.parse(readFileSync(join(clean, l.file!), 'utf8'));
      expect(a.schemaVersion).toBeTruthy();
      expect(a.target.repo.toLowerCase()).toBe(l.repo.toLowerCase());
      expect(l.levels?.['slsa-v1.2-build']).toBeDefined();
      expect(Object.keys(l.checks ?? {})).toHaveLength(builtinChecks.length);
      expect(readFileSync(join(clean, l.badge!), 'utf8')).toMatch(/^<svg /);
    }
    // No archived repository, no fork, nothing left in the temp area.
    const names = new Set(lines.map((l) => l.repo));
    for (const x of gh.repos.filter((y) => y.archived || y.fork)) expect(names.has(`acme/${x.name}`)).toBe(false);
    expect(existsSync(join(clean, '.tmp'))).toBe(false);
    for (const f of ['dashboard.html', 'summary.md', 'repos.csv', 'portfolio.json']) expect(existsSync(join(clean, f))).toBe(true);
    expect(readFileSync(join(clean, 'repos.csv'), 'utf8').split('\r\n').filter(Boolean)).toHaveLength(expected + 1);
    // Batched: far fewer GraphQL queries than repositories.
    expect(r.requests.batches).toBeLessThan(expected / 2);
    expect(gh.front.counts.graphql).toBe(r.requests.batches);
  });

  it('--resume with nothing left assesses nothing and rebuilds the reports', async () => {
    const before = { ...gh.front.counts };
    const r = await run(gh, clean, { resume: true });
    expect(r.assessed).toBe(0);
    expect(r.resumedSkipped).toBe(expected);
    expect(indexLines(clean)).toHaveLength(expected);
    expect(gh.front.counts.rest).toBe(before.rest); // enumeration only
    expect(gh.front.counts.graphql).toBe(before.graphql);
  });

  it('refuses to write over an earlier run without --resume', async () => {
    await expect(run(gh, clean)).rejects.toBeInstanceOf(PortfolioError);
  });

  it('--include-archived and --include-forks assess them too', async () => {
    const dir = tempDir();
    const r = await run(gh, dir, { includeArchived: true, includeForks: true, checks: builtinChecks.filter((c) => c.id === 'License') });
    expect(r.total).toBe(gh.repos.length + 1);
    expect(r.excluded).toEqual({ archived: 0, forks: 0, duplicates: 0 });
  });

  it('an interrupted run (Ctrl-C) finishes what is in flight, writes the reports, and --resume completes it', async () => {
    const dir = tempDir();
    const controller = new AbortController();
    let seen = 0;
    const first = await run(gh, dir, { concurrency: 3, signal: controller.signal, onEntry: () => ++seen === 5 && controller.abort() });
    expect(first.aborted).toBe(true);
    const partial = indexLines(dir);
    expect(partial.length).toBeGreaterThanOrEqual(5);
    expect(partial.length).toBeLessThan(expected);
    expect(existsSync(join(dir, 'dashboard.html'))).toBe(true); // the reports show what is done
    const second = await run(gh, dir, { resume: true });
    expect(second.resumedSkipped).toBe(partial.length);
    const all = indexLines(dir);
    expect(all).toHaveLength(expected);
    expect(new Set(all.map((l) => l.key)).size).toBe(expected);
  });

  it('--resume refuses to mix portfolios in one directory', async () => {
    await expect(run(gh, clean, { resume: true, spec: { kind: 'github-org', name: 'other' } })).rejects.toThrow(
      /holds a run of --github-org acme/,
    );
  });

  it('5% of requests fail (500, 502, timeouts, secondary limits): every repository still ends up in the index, with the same results', async () => {
    const faulty = await githubOrg({
      count: 36,
      seed: 3,
      latencyMs: 2,
      front: { faults: { rate: 0.05, seed: 20260101, kinds: ['500', '502', 'timeout', 'secondary'] } },
      extraListed: [{ name: 'acme/vanished' }, { name: 'acme/also-gone' }, { name: 'acme/bad name<script>' }],
    });
    try {
      const dir = tempDir();
      const r = await run(faulty, dir, { concurrency: 6 });
      const f = faulty.front.counts.faults;
      expect(f['500'] + f['502'] + f.timeout + f.secondary).toBeGreaterThanOrEqual(5);
      expect(Object.values(f).filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
      const lines = indexLines(dir);
      expect(new Set(lines.map((l) => l.key)).size).toBe(lines.length); // no duplicates
      expect(lines).toHaveLength(expected + 3);
      const byRepo = new Map(lines.map((l) => [l.repo, l]));
      // Permanent failures: reported as unknown with the reason, not retried.
      for (const gone of ['acme/vanished', 'acme/also-gone']) {
        expect(byRepo.get(gone)?.status).toBe('error');
        expect(byRepo.get(gone)?.reason).toMatch(/not found/i);
        expect(byRepo.get(gone)?.transient).toBe(false);
      }
      expect(byRepo.get('acme/bad name<script>')?.reason).toMatch(/not a valid GitHub repository name/);
      // Transient failures were retried: every real repository assessed, exactly as without faults.
      const ok = lines.filter((l) => l.status === 'ok');
      const why = lines.filter((l) => l.status !== 'ok').map((l) => `${l.repo}: ${l.reason}`);
      expect(ok.length, `faults ${JSON.stringify(f)}; not assessed:\n${why.join('\n')}`).toBe(expected);
      const cleanByRepo = new Map(indexLines(clean).map((l) => [l.repo, l]));
      for (const l of ok) {
        const c = cleanByRepo.get(l.repo)!;
        if (l.score !== c.score) {
          // Say which checks differ, and why, before failing.
          const checks = (f: string) =>
            (JSON.parse(readFileSync(join(f), 'utf8')) as { checks: Array<{ name: string; score: number | null; reason: string }> }).checks;
          const was = new Map(checks(join(clean, c.file!)).map((x) => [x.name, x]));
          const diff = checks(join(dir, l.file!))
            .filter((x) => was.get(x.name)?.score !== x.score)
            .map((x) => `${x.name}: ${x.score} (${x.reason}) vs ${was.get(x.name)?.score} (${was.get(x.name)?.reason})`);
          expect.fail(`${l.repo}: score ${l.score} vs ${c.score} without faults; faults ${JSON.stringify(f)}\n${diff.join('\n')}`);
        }
        expect(stable(readFileSync(join(dir, l.file!), 'utf8')), l.repo).toEqual(stable(readFileSync(join(clean, c.file!), 'utf8')));
      }
      expect(r.errors).toBe(3);
    } finally {
      await faulty.close();
    }
  });

  it('paces within the primary rate limit instead of running into it', async () => {
    // 40 REST requests per 3 s window; the portfolio needs 2–5 per repository.
    const tight = await githubOrg({ count: 24, seed: 5, front: { rateLimit: { core: 40, windowMs: 3_000 } } });
    try {
      const dir = tempDir();
      const t0 = Date.now();
      const r = await run(tight, dir, { concurrency: 8 });
      expect(indexLines(dir).filter((l) => l.status === 'ok')).toHaveLength(r.total);
      expect(tight.front.counts.primaryRejections).toBe(0);
      expect(r.pacing.pacedMs + r.pacing.waitedForResetMs).toBeGreaterThan(0);
      expect(Date.now() - t0).toBeGreaterThan(2_000); // it could not all fit in one window
    } finally {
      await tight.close();
    }
  });
});

describe('enumeration: users, no token, missing owners', () => {
  it('--github-user with a token (GraphQL), and an org without one (REST, Link pagination)', async () => {
    const repos = orgRepos({ owner: 'octo', count: 3, seed: 4, archived: 0, forks: 0 });
    const fake = await startFakeGitHub({ scenarios: [orgScenario(repos, 'octo')] });
    const listed = enumerationOf(repos, 'octo');
    const userFront = await startFront({ upstream: fake.url, platform: 'github', owners: { octo: { type: 'user', repos: listed } } });
    const orgFront = await startFront({ upstream: fake.url, platform: 'github', owners: { octo: { type: 'org', repos: listed } } });
    try {
      const base = { checks: builtinChecks.filter((c) => c.id === 'License'), services: { offline: true }, stderr: quietStream(), ...FAST };
      const a = await runPortfolio({
        ...base,
        spec: { kind: 'github-user', name: 'octo' },
        outDir: tempDir(),
        env: { GITHUB_TOKEN: TOKENS.read },
        githubApiUrl: userFront.url,
      });
      expect([a.total, a.assessed]).toEqual([4, 4]);
      expect(userFront.routes.get('POST graphql PortfolioRepositories')).toBe(1);
      const dir = tempDir();
      const b = await runPortfolio({
        ...base,
        spec: { kind: 'github-org', name: 'octo' },
        outDir: dir,
        env: {},
        githubApiUrl: orgFront.url,
      });
      expect([b.total, b.assessed]).toEqual([4, 4]);
      expect(orgFront.routes.get('GET /orgs/{owner}/repos')).toBe(1);
      expect(indexLines(dir).every((l) => l.status === 'ok')).toBe(true);
      // A user is not an organization: nothing to list is an error that stops the run (exit 4 in the CLI).
      await expect(
        runPortfolio({
          ...base,
          spec: { kind: 'github-org', name: 'octo' },
          outDir: tempDir(),
          env: { GITHUB_TOKEN: TOKENS.read },
          githubApiUrl: userFront.url,
        }),
      ).rejects.toThrow(/organization octo on .*: not found/);
      await expect(
        runPortfolio({ ...base, spec: { kind: 'github-org', name: 'nobody' }, outDir: tempDir(), env: {}, githubApiUrl: orgFront.url }),
      ).rejects.toBeInstanceOf(EnumerationError);
    } finally {
      await userFront.close();
      await orgFront.close();
      await fake.close();
    }
  });
});

describe('portfolio run (fake GitLab group, and a --list mixing platforms)', () => {
  let gl: FakeGitLab;
  let glFront: Front;
  let gh: GitHubSetup;

  beforeAll(async () => {
    gl = await startFakeGitLab({ scenarios: GITLAB_COM });
    glFront = await startFront({
      upstream: gl.url,
      platform: 'gitlab',
      groups: {
        acme: [{ name: 'acme/widget' }, { name: 'acme/legacy' }, { name: 'acme/old', archived: true }],
        group: [],
        'group/sub': [{ name: 'group/sub/project' }, { name: 'group/sub/fork', fork: true }],
      },
    });
    gh = await githubOrg({ count: 4, seed: 9 });
  });
  afterAll(async () => {
    await glFront?.close();
    await gl?.close();
    await gh?.close();
  });

  it('a group includes its subgroups; archived projects and forks are left out', async () => {
    const dir = tempDir();
    const r = await runPortfolio({
      spec: { kind: 'gitlab-group', name: 'group' },
      outDir: dir,
      checks: [...builtinChecks],
      services: { offline: true },
      env: { GITLAB_TOKEN: GITLAB_TOKENS.maintainer },
      gitlabUrl: glFront.url,
      stderr: quietStream(),
      ...FAST,
    });
    expect(r.excluded.forks).toBe(1);
    const lines = indexLines(dir);
    expect(lines.map((l) => [l.platform, l.repo, l.status])).toEqual([['gitlab', 'group/sub/project', 'ok']]);
    expect(lines[0].file).toMatch(/^repos\/gitlab\/127\.0\.0\.1%3A\d+\/group\/sub\/project\.json$/);
  });

  it('--list: GitHub and GitLab repositories in one run, comments and blank lines ignored', async () => {
    const dir = tempDir();
    const ghHost = new URL(gh.front.url).host;
    const glHost = new URL(glFront.url).host;
    const list = join(tempDir(), 'repos.txt');
    writeFileSync(
      list,
      [
        '# the portfolio',
        `${ghHost}/acme/repo-00000`,
        `https://${ghHost}/acme/repo-00001   # trailing comment`,
        '',
        `${glHost}/acme/widget`,
        `${glHost}/acme/widget`, // duplicate
        `${glHost}/acme/nope`,
      ].join('\n'),
    );
    const r = await runPortfolio({
      spec: { kind: 'list', file: list },
      outDir: dir,
      checks: [...builtinChecks],
      services: { offline: true },
      env: { GITHUB_TOKEN: 'ghp_FakeReadToken0000000000000000000000', GITLAB_TOKEN: GITLAB_TOKENS.maintainer },
      githubApiUrl: gh.front.url,
      gitlabUrl: glFront.url,
      targetOptions: { githubHosts: [ghHost], gitlabHosts: [glHost] },
      stderr: quietStream(),
      ...FAST,
    });
    expect(r.excluded.duplicates).toBe(1);
    const lines = indexLines(dir).sort((a, b) => a.key.localeCompare(b.key));
    expect(lines.map((l) => `${l.platform} ${l.repo} ${l.status}`)).toEqual([
      'github acme/repo-00000 ok',
      'github acme/repo-00001 ok',
      'gitlab acme/nope error',
      'gitlab acme/widget ok',
    ]);
    expect(readdirSync(join(dir, 'repos')).sort()).toEqual(['github', 'gitlab']);
  });
});

describe('the portfolio command (CLI, in this process)', () => {
  let gh: GitHubSetup;
  beforeAll(async () => {
    gh = await githubOrg({ count: 4, seed: 17, extraListed: [{ name: 'acme/gone' }] });
  });
  afterAll(async () => gh?.close());

  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const stdout = quietStream();
    const stderr = quietStream();
    const code = await main(args, { stdout, stderr, env: { GITHUB_TOKEN: TOKENS.read }, cwd: tempDir() });
    return { code, stdout: stdout.text, stderr: stderr.text };
  }

  it('runs, resumes with the spec read back from DIR, and exits 2 / 4 where it should', async () => {
    const dir = tempDir();
    const common = ['--out', dir, '--github-api-url', gh.front.url, '--offline', '--no-cache', '--check', 'License,Security-Policy'];
    const first = await cli(['portfolio', '--github-org', 'acme', ...common]);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/^\d+ repositories: \d+ assessed, 1 unknown\ndashboard: /);
    expect(first.stderr).toMatch(/^\[\d+\/\d+\] .*acme\/gone error: .*not found/m); // plain lines: stderr is not a terminal
    const total = indexLines(dir).length;

    const again = await cli(['portfolio', '--resume', ...common]); // no --github-org: read back from DIR/portfolio.json
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toMatch(new RegExp(`^${total} repositories: 0 assessed, 0 unknown, ${total} done by an earlier run`));
    expect(indexLines(dir)).toHaveLength(total);

    expect((await cli(['portfolio', '--github-org', 'acme', ...common])).code).toBe(2); // would write over the run
    expect((await cli(['portfolio', '--resume', '--out', tempDir(), '--offline'])).code).toBe(2); // nothing to resume
    expect((await cli(['portfolio', '--github-org', 'acme', '--out', tempDir(), '--format', 'json'])).code).toBe(2);
    const missing = await cli([
      'portfolio',
      '--github-org',
      'nobody',
      '--out',
      tempDir(),
      '--github-api-url',
      gh.front.url,
      '--offline',
      '--no-cache',
    ]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/organization nobody on .*: not found/);
  });
});
