/**
 * Portfolio bench (a section of `npm run bench`): the built CLI runs `portfolio --github-org` in a
 * child process against the fake GitHub (test/fake-github) behind the portfolio front
 * (test/portfolio/front.ts: org enumeration + rate-limit headers), and reports:
 *
 *  1. 1,000 repositories, 100 ms injected latency on every request: wall time, requests per
 *     repository (REST and GraphQL, counted by the server; enumeration included), where they go,
 *     and the child's peak RSS. Targets: ≤ 3 requests per repository, < 60 s, < 300 MB.
 *  2. 10,000 repositories, no latency: the child's RSS when 1k / 5k / 10k repositories are done
 *     (sampled from /proc while it runs) and its peak — flat means results stream to disk.
 *
 * Figures, not assertions; the tests in test/portfolio assert behaviour.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeGitHub } from '../fake-github/server.js';
import { startFront } from '../portfolio/front.js';
import { enumerationOf, orgRepos, orgScenario, TOKENS } from '../portfolio/org.js';

export const PORTFOLIO_TARGET = { requestsPerRepo: 3, wallMs: 60_000, rssMB: 300 };

interface ChildRun {
  wallMs: number;
  code: number | null;
  maxRssMB: number;
  samples: Array<{ done: number; rssMB: number }>;
  stderrTail: string;
  stdout: string;
}

function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

function runChild(
  runner: string,
  cwd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  sampleAt: number[],
  timeoutMs: number,
): Promise<ChildRun> {
  return new Promise((resolve) => {
    const work = mkdtempSync(join(tmpdir(), 'slsa-portfolio-bench-stats-'));
    const stats = join(work, 'stats.json');
    const t0 = performance.now();
    const child = spawn(process.execPath, [runner, ...args], {
      cwd,
      env: { ...env, SLSA_BENCH_STATS: stats },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const samples: Array<{ done: number; rssMB: number }> = [];
    const pending = [...sampleAt];
    let stdout = '';
    let tail = '';
    let buf = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      buf += d.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        tail = `${tail}\n${line}`.slice(-2000);
        const m = /^\[(\d+)\/(\d+)\]/.exec(line);
        if (!m) continue;
        const [done, total] = [Number(m[1]), Number(m[2])];
        // At each threshold, and at the last repository (the org has fewer than 10,000 once archived ones and forks are left out).
        if ((pending.length && done >= pending[0]) || (done === total && sampleAt.length > 0)) {
          while (pending.length && done >= pending[0]) pending.shift();
          if (!samples.some((x) => x.done === done)) samples.push({ done, rssMB: rssOf(child.pid!) });
        }
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      let maxRssMB = NaN;
      if (existsSync(stats)) maxRssMB = (JSON.parse(readFileSync(stats, 'utf8')) as { maxRssKB: number }).maxRssKB / 1024;
      rmSync(work, { recursive: true, force: true });
      resolve({ wallMs: performance.now() - t0, code, maxRssMB, samples, stderrTail: tail, stdout });
    });
  });
}

interface Printer {
  table(head: string[], rows: string[][], align?: Array<'l' | 'r'>): string;
  ms(x: number): string;
  mb(x: number): string;
  mark(ok: boolean): string;
}

async function onePortfolio(
  p: Printer,
  o: { root: string; runner: string; count: number; latencyMs: number; concurrency?: number; sampleAt: number[]; timeoutMs: number },
): Promise<{
  run: ChildRun;
  perRepo: { rest: number; graphql: number; total: number };
  assessed: number;
  routes: Array<[string, number]>;
  enumeration: number;
}> {
  const owner = 'bench';
  const t0 = performance.now();
  const repos = orgRepos({ owner, count: o.count, seed: 11 });
  const fake = await startFakeGitHub({ scenarios: [orgScenario(repos, owner)], latencyMs: o.latencyMs, lifetimeMs: o.timeoutMs + 60_000 });
  const front = await startFront({
    upstream: fake.url,
    platform: 'github',
    owners: { [owner]: { type: 'org', repos: enumerationOf(repos, owner) } },
    latencyMs: o.latencyMs,
  });
  // The fake logs every request with its parsed body; keep the parent's memory out of the picture.
  const drain = setInterval(() => fake.requests.splice(0), 1000);
  console.log(`  generated ${o.count.toLocaleString('en')} repositories and started the fake in ${p.ms(performance.now() - t0)}`);
  const out = mkdtempSync(join(tmpdir(), 'slsa-portfolio-bench-'));
  try {
    const args = [
      'portfolio',
      '--github-org',
      owner,
      '--out',
      out,
      '--github-api-url',
      front.url,
      '--offline',
      '--no-cache',
      ...(o.concurrency ? ['--concurrency', String(o.concurrency)] : []),
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, GITHUB_TOKEN: TOKENS.read, GH_TOKEN: '' };
    delete env.GITHUB_API_URL;
    delete env.GITHUB_GRAPHQL_URL;
    const run = await runChild(o.runner, o.root, args, env, o.sampleAt, o.timeoutMs);
    const index = existsSync(join(out, 'index.jsonl')) ? readFileSync(join(out, 'index.jsonl'), 'utf8').split('\n').filter(Boolean) : [];
    const assessed = index.length;
    const c = front.counts;
    const n = Math.max(1, assessed);
    const perRepo = { rest: (c.rest + c.enumeration) / n, graphql: c.graphql / n, total: (c.rest + c.graphql + c.enumeration) / n };
    const routes = [...front.routes].sort((a, b) => b[1] - a[1]);
    if (run.code !== 0) console.log(`  ! the CLI exited ${run.code}:${run.stderrTail.split('\n').slice(-6).join('\n    ')}`);
    return { run, perRepo, assessed, routes, enumeration: c.enumeration };
  } finally {
    clearInterval(drain);
    await front.close();
    await fake.close();
    rmSync(out, { recursive: true, force: true });
  }
}

export async function benchPortfolio(p: Printer, o: { root: string; runner: string }): Promise<boolean[]> {
  console.log('\n■ Portfolio  1,000 fake repositories (fake GitHub, 100 ms latency per request), built CLI in a child process');
  const a = await onePortfolio(p, { ...o, count: 1000, latencyMs: 100, sampleAt: [], timeoutMs: 300_000 });
  const wallOk = a.run.code === 0 && a.run.wallMs < PORTFOLIO_TARGET.wallMs;
  const reqOk = a.run.code === 0 && a.perRepo.total <= PORTFOLIO_TARGET.requestsPerRepo;
  const rssOk = a.run.code === 0 && a.run.maxRssMB < PORTFOLIO_TARGET.rssMB;
  const f = (x: number) => x.toFixed(2);
  console.log(
    `  node bin/slsa-scorecard.js portfolio --github-org bench --out DIR --offline --no-cache   (${a.assessed} repositories in index.jsonl)`,
  );
  console.log(
    p.table(
      ['metric', 'value', 'target', ''],
      [
        [
          'wall time (spawn → exit, enumeration and dashboard included)',
          p.ms(a.run.wallMs),
          `< ${p.ms(PORTFOLIO_TARGET.wallMs)}`,
          p.mark(wallOk),
        ],
        ['requests per repository (server-side count)', f(a.perRepo.total), `≤ ${PORTFOLIO_TARGET.requestsPerRepo}`, p.mark(reqOk)],
        ['  of which REST', f(a.perRepo.rest), '', ''],
        ['  of which GraphQL', f(a.perRepo.graphql), '', ''],
        ['peak RSS of the child (maxRSS)', p.mb(a.run.maxRssMB), `< ${PORTFOLIO_TARGET.rssMB} MB`, p.mark(rssOk)],
      ],
      ['l', 'r', 'r', 'l'],
    ),
  );
  const n = Math.max(1, a.assessed);
  console.log('\n  requests by endpoint (per repository)');
  console.log(
    p.table(
      ['endpoint', 'requests', 'per repo'],
      a.routes.slice(0, 12).map(([route, count]) => [route, count.toLocaleString('en'), (count / n).toFixed(2)]),
      ['l', 'r', 'r'],
    ),
  );

  console.log('\n■ Portfolio memory  10,000 fake repositories, 0 ms latency: RSS of the child as results stream to disk');
  // 10,600 generated: about 10,000 once the archived repositories and forks are left out.
  const b = await onePortfolio(p, { ...o, count: 10_600, latencyMs: 0, sampleAt: [1000, 5000, 10_000], timeoutMs: 900_000 });
  const samples = b.run.samples;
  const first = samples[0]?.rssMB ?? NaN;
  const last = samples[samples.length - 1]?.rssMB ?? NaN;
  const flatOk = b.run.code === 0 && samples.length >= 3 && last - first < 100 && b.run.maxRssMB < PORTFOLIO_TARGET.rssMB;
  console.log(
    p.table(
      ['repositories done', 'RSS'],
      [...samples.map((s) => [s.done.toLocaleString('en'), p.mb(s.rssMB)]), ['peak (maxRSS)', p.mb(b.run.maxRssMB)]],
      ['r', 'r'],
    ),
  );
  console.log(
    `  wall ${p.ms(b.run.wallMs)} for ${b.assessed.toLocaleString('en')} repositories; RSS 1k → 10k: ${Number.isFinite(last - first) ? `${last - first >= 0 ? '+' : ''}${(last - first).toFixed(0)} MB` : '—'}  ${p.mark(flatOk)} (flat: < 100 MB growth, peak < ${PORTFOLIO_TARGET.rssMB} MB)`,
  );
  return [wallOk, reqOk, rssOk, flatOk];
}
