/**
 * `npm run bench`: figures, not assertions.
 *
 *  1. Large checkout — a generated 50,000-file git repository (cached in the temp dir), assessed by
 *     the built CLI in a child process (`bin/slsa-scorecard.js DIR --format json -o FILE`, run
 *     through runner.js so the child reports its own peak RSS): wall time and peak RSS, 3 runs.
 *     Then, in this process, where the time goes: each fact resolved in turn, each check's run().
 *  2. Cold start — `--version` and `--help`, 10 spawns each, next to bare `node -e 0`.
 *  3. Portfolio — 1,000 fake repositories with 100 ms latency, and a 10,000-repository memory run
 *     (portfolio.ts).
 *
 * Options: --profile (also run the CLI once under --cpu-prof and list the hottest functions),
 *          --runs N (large-checkout runs, default 3), --regenerate (rebuild the cached repository),
 *          --portfolio-only / --no-portfolio (run only / skip section 3).
 * Targets are printed next to the figures and marked PASS/MISS; the exit status is 0 either way.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { arch, cpus, loadavg, platform, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CheckDefinition } from '../../src/check.js';
import type { FactName } from '../../src/facts/catalog.js';
import type { Fact } from '../../src/facts/fact.js';
import { benchRoot, ensureLargeRepo, type LargeRepo } from './generate.js';
import { summarizeProfile } from './profile.js';
import { benchPortfolio } from './portfolio.js';
import { benchPlatforms } from './platforms.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
const BIN = join(ROOT, 'bin', 'slsa-scorecard.js');
const RUNNER = fileURLToPath(new URL('./runner.js', import.meta.url));

const TARGET = { largeWallMs: 3000, largeRssMB: 300, coldStartMs: 150 };

const argv = process.argv.slice(2);
const flag = (name: string) => argv.includes(name);
const runsArg = argv.includes('--runs') ? Number(argv[argv.indexOf('--runs') + 1]) : NaN;
const RUNS = Number.isInteger(runsArg) && runsArg > 0 ? runsArg : 3;

// ---------------------------------------------------------------------------------------------
// Small helpers

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const min = (xs: number[]) => Math.min(...xs);
const ms = (x: number) => (Number.isFinite(x) ? (x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${x.toFixed(x < 10 ? 1 : 0)} ms`) : '—');
const mb = (x: number) => (Number.isFinite(x) ? `${x.toFixed(0)} MB` : '—');
const n = (x: number) => x.toLocaleString('en');
const mark = (ok: boolean) => (ok ? 'PASS' : 'MISS');
const plus = (x: number) => (x >= 0 ? `+${ms(x)}` : `−${ms(-x)}`);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');

function table(head: string[], rows: string[][], align: Array<'l' | 'r'> = []): string {
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    '  ' +
    cells
      .map((c, i) => ((align[i] ?? 'l') === 'r' ? c.padStart(w[i]) : c.padEnd(w[i])))
      .join('  ')
      .trimEnd();
  return [line(head), '  ' + w.map((x) => '─'.repeat(x)).join('  '), ...rows.map(line)].join('\n');
}

interface SpawnResult {
  wallMs: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], opts: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<SpawnResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { cwd: ROOT, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ wallMs: performance.now() - t0, code, stdout, stderr });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Large checkout

interface AssessmentJson {
  score: number | null;
  durationMs: number;
  checks: Array<{ name: string; score: number | null; durationMs: number; findings: unknown[]; reason: string }>;
}

interface CliRun {
  wallMs: number;
  maxRssMB: number;
  uptimeMs: number;
  cpuMs: number;
  assessment?: AssessmentJson;
  error?: string;
}

async function assessOnce(dir: string, work: string, i: number, extraNodeArgs: string[] = []): Promise<CliRun> {
  const out = join(work, `assessment-${i}.json`);
  const stats = join(work, `stats-${i}.json`);
  const r = await run([...extraNodeArgs, RUNNER, dir, '--format', 'json', '-o', out], { env: { ...process.env, SLSA_BENCH_STATS: stats } });
  const res: CliRun = { wallMs: r.wallMs, maxRssMB: NaN, uptimeMs: NaN, cpuMs: NaN };
  if (existsSync(stats)) {
    const s = JSON.parse(readFileSync(stats, 'utf8')) as { maxRssKB: number; uptimeMs: number; userMs: number; systemMs: number };
    res.maxRssMB = s.maxRssKB / 1024;
    res.uptimeMs = s.uptimeMs;
    res.cpuMs = s.userMs + s.systemMs;
  }
  if (r.code !== 0) res.error = `exit ${r.code}: ${r.stderr.trim().split('\n').slice(0, 5).join('\n    ')}`;
  if (existsSync(out)) res.assessment = JSON.parse(readFileSync(out, 'utf8')) as AssessmentJson;
  else res.error ??= 'no assessment written';
  return res;
}

/** In this process: each fact resolved in turn (so each figure is that fact's own cost), then each check's run(). */
async function breakdown(dir: string) {
  // Imported here, not at the top: a module broken mid-edit costs the breakdown, not the CLI figures.
  const [{ builtinChecks }, { createFactStore }, { LocalSource }] = await Promise.all([
    import('../../checks/index.js'),
    import('../../src/engine.js'),
    import('../../src/sources/local/index.js'),
  ]);
  const source = new LocalSource(dir);
  const store = createFactStore(source);
  const wanted = new Set<FactName>(['files']);
  for (const c of builtinChecks as CheckDefinition[]) for (const f of c.facts) wanted.add(f);
  const facts: Array<{ name: FactName; ms: number; size: string; fact: Fact<unknown> }> = [];
  for (const name of wanted) {
    const t0 = performance.now();
    const fact = (await store.get(name)) as Fact<unknown>;
    const t = performance.now() - t0;
    const size = !fact.known
      ? `unknown: ${fact.reason.slice(0, 40)}`
      : Array.isArray(fact.value)
        ? `${n(fact.value.length)} items`
        : fact.value === null
          ? 'none'
          : 'known';
    facts.push({ name, ms: t, size, fact });
  }
  const byName = new Map(facts.map((f) => [f.name, f.fact]));
  const checks: Array<{ id: string; ms: number; findings: number }> = [];
  for (const c of builtinChecks as CheckDefinition[]) {
    const input = Object.fromEntries(c.facts.map((f) => [f, byName.get(f)]));
    const t0 = performance.now();
    let findings: number;
    try {
      findings = c.run(input as never, { options: {} })?.findings?.length ?? 0;
    } catch {
      findings = -1;
    }
    checks.push({ id: c.id, ms: performance.now() - t0, findings });
  }
  const wf = byName.get('workflows');
  const workflowIssues = wf?.known ? (wf.value as Array<{ issues: unknown[] }>).reduce((s, w) => s + w.issues.length, 0) : 0;
  return { facts, checks, workflowIssues };
}

async function largeCheckout(repo: LargeRepo, work: string): Promise<boolean[]> {
  const m = repo.manifest;
  console.log(`\n■ Large checkout  ${repo.dir}  (${repo.cached ? 'cached' : `generated in ${ms(m.generatedMs)}`})`);
  console.log(
    `  ${n(m.files)} files, ${(m.bytes / 1024 / 1024).toFixed(1)} MB; ${m.workflows} workflows (${m.corpusWorkflows} from the corpus), ` +
      `${m.dockerfiles} Dockerfiles, ${m.shellScripts} shell scripts, ${m.binaries} binaries, .gitlab-ci.yml + ${m.gitlabCiFiles - 1} includes, ` +
      `${m.commits} commits, ${m.tags.annotated + m.tags.lightweight} tags (${m.tags.annotated} annotated)`,
  );

  const runs: CliRun[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await assessOnce(repo.dir, work, i));
  const bad = runs.find((r) => r.error);
  if (bad) console.log(`  ! CLI run failed: ${bad.error}`);
  const ok = runs.filter((r) => r.assessment);
  const wall = ok.map((r) => r.wallMs);
  const rss = ok.map((r) => r.maxRssMB);
  const wallOk = ok.length > 0 && median(wall) < TARGET.largeWallMs;
  const rssOk = ok.length > 0 && median(rss) < TARGET.largeRssMB;
  console.log(`\n  CLI: node bin/slsa-scorecard.js <dir> --format json -o <file>   (${ok.length}/${RUNS} runs ok)`);
  console.log(
    table(
      ['metric', 'median', 'min', 'target', ''],
      [
        ['wall time (spawn → exit)', ms(median(wall)), ms(min(wall)), `< ${ms(TARGET.largeWallMs)}`, mark(wallOk)],
        [
          '  of which assess()',
          ms(median(ok.map((r) => r.assessment!.durationMs))),
          ms(min(ok.map((r) => r.assessment!.durationMs))),
          '',
          '',
        ],
        [
          '  of which start-up, render, exit',
          ms(median(ok.map((r) => r.wallMs - r.assessment!.durationMs))),
          ms(min(ok.map((r) => r.wallMs - r.assessment!.durationMs))),
          '',
          '',
        ],
        ['CPU time (user+sys)', ms(median(ok.map((r) => r.cpuMs))), ms(min(ok.map((r) => r.cpuMs))), '', ''],
        ['peak RSS', mb(median(rss)), mb(min(rss)), `< ${TARGET.largeRssMB} MB`, mark(rssOk)],
      ],
      ['l', 'r', 'r', 'r', 'l'],
    ),
  );

  const a = ok[0]?.assessment;
  if (a) {
    const findings = a.checks.reduce((s, c) => s + c.findings.length, 0);
    console.log(`\n  score ${a.score ?? '—'}; ${a.checks.length} checks; ${n(findings)} findings`);
    // Per-check durationMs includes waiting for shared facts, so checks that share a fact show similar times.
    const per = a.checks.map((c) => ({
      c,
      d: median(ok.map((r) => r.assessment!.checks.find((x) => x.name === c.name)?.durationMs ?? NaN)),
    }));
    per.sort((x, y) => y.d - x.d);
    console.log('\n  slowest checks (checks[].durationMs, median; includes waiting for the facts they read)');
    console.log(
      table(
        ['check', 'durationMs', 'score', 'findings'],
        per.slice(0, 5).map(({ c, d }) => [c.name, ms(d), c.score === null ? '—' : String(c.score), n(c.findings.length)]),
        ['l', 'r', 'r', 'r'],
      ),
    );
  }

  // Where the time goes, measured in this process (one run; sequential, so no overlap).
  if (typeof globalThis.gc === 'function') globalThis.gc();
  let b: Awaited<ReturnType<typeof breakdown>>;
  try {
    b = await breakdown(repo.dir);
  } catch (err) {
    console.log(`\n  ! in-process breakdown failed: ${(err as Error)?.stack?.split('\n').slice(0, 3).join(' | ') ?? err}`);
    if (flag('--profile')) await profile(repo.dir, work);
    return [wallOk, rssOk];
  }
  const factTotal = b.facts.reduce((s, f) => s + f.ms, 0);
  console.log(`\n  facts, resolved one at a time in this process (total ${ms(factTotal)})`);
  console.log(
    table(
      ['fact', 'time', 'result'],
      [...b.facts].sort((x, y) => y.ms - x.ms).map((f) => [f.name, ms(f.ms), f.size]),
      ['l', 'r', 'l'],
    ),
  );
  const wf = b.facts.find((f) => f.name === 'workflows');
  if (wf) console.log(`  workflows parsed: ${wf.size} (${n(b.workflowIssues)} parse issues)`);
  const checkTotal = b.checks.reduce((s, c) => s + c.ms, 0);
  console.log(`\n  check run() over resolved facts, top 5 (all ${b.checks.length}: ${ms(checkTotal)})`);
  console.log(
    table(
      ['check', 'run()', 'findings'],
      [...b.checks]
        .sort((x, y) => y.ms - x.ms)
        .slice(0, 5)
        .map((c) => [c.id, ms(c.ms), c.findings < 0 ? 'threw' : n(c.findings)]),
      ['l', 'r', 'r'],
    ),
  );

  if (flag('--profile')) await profile(repo.dir, work);
  return [wallOk, rssOk];
}

async function profile(dir: string, work: string): Promise<void> {
  const profDir = join(work, 'prof');
  const r = await assessOnce(dir, work, 99, ['--cpu-prof', '--cpu-prof-dir', profDir]);
  const file = existsSync(profDir) ? readdirSync(profDir).find((f) => f.endsWith('.cpuprofile')) : undefined;
  if (!file) {
    console.log(`\n  ! no CPU profile written${r.error ? `: ${r.error}` : ''}`);
    return;
  }
  const s = summarizeProfile(join(profDir, file), ROOT, 15);
  console.log(`\n  CPU profile of one CLI run (wall ${ms(r.wallMs)}, ${ms(s.totalMs)} sampled; self time)`);
  console.log(
    table(
      ['function', 'self', 'share', 'where'],
      s.functions.map((f) => [f.name.slice(0, 40), ms(f.selfMs), `${(f.share * 100).toFixed(1)}%`, f.where]),
      ['l', 'r', 'r', 'l'],
    ),
  );
  console.log('\n  by file');
  console.log(
    table(
      ['file', 'self', 'share'],
      s.byFile.slice(0, 10).map((f) => [f.name, ms(f.selfMs), `${(f.share * 100).toFixed(1)}%`]),
      ['l', 'r', 'r'],
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Cold start

async function coldStart(): Promise<boolean[]> {
  const N = 10;
  const series = async (args: string[]) => {
    await run(args); // one warm-up spawn (file cache), not counted
    const t: number[] = [];
    let code: number | null = 0;
    for (let i = 0; i < N; i++) {
      const r = await run(args);
      t.push(r.wallMs);
      if (r.code !== 0) code = r.code;
    }
    return { t, code };
  };
  const base = await series(['-e', '0']);
  const version = await series([BIN, '--version']);
  const help = await series([BIN, '--help']);
  const vOk = version.code === 0 && median(version.t) < TARGET.coldStartMs;
  console.log(`\n■ Cold start  (${N} spawns each, after one warm-up)`);
  console.log(
    table(
      ['command', 'median', 'min', 'over node', 'target', ''],
      [
        ['node -e 0 (baseline)', ms(median(base.t)), ms(min(base.t)), '', '', ''],
        [
          'slsa-scorecard --version',
          ms(median(version.t)),
          ms(min(version.t)),
          plus(median(version.t) - median(base.t)),
          `< ${TARGET.coldStartMs} ms`,
          mark(vOk),
        ],
        [
          'slsa-scorecard --help',
          ms(median(help.t)),
          ms(min(help.t)),
          plus(median(help.t) - median(base.t)),
          '',
          help.code === 0 ? '' : `exit ${help.code}`,
        ],
      ],
      ['l', 'r', 'r', 'r', 'r', 'l'],
    ),
  );
  return [vOk];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  console.log(`slsa-scorecard bench — node ${process.version}, ${platform()} ${arch()}, ${cpus().length} CPUs, load average ${load()}`);
  if (loadavg()[0] > cpus().length) console.log('  (the machine is busy: wall times are inflated; CPU time is the steadier figure)');
  if (flag('--regenerate')) rmSync(benchRoot(), { recursive: true, force: true });
  if (flag('--portfolio-only')) {
    const r = await benchPortfolio({ table, ms, mb, mark }, { root: ROOT, runner: RUNNER });
    console.log(`\n${r.filter(Boolean).length}/${r.length} portfolio targets met`);
    return;
  }
  const repo = await ensureLargeRepo({ corpusDir: join(ROOT, '..', 'shared', 'corpus'), log: (s) => console.log(s) });
  const work = mkdtempSync(join(tmpdir(), 'slsa-scorecard-bench-run-'));
  try {
    const results = [
      ...(await largeCheckout(repo, work)),
      ...(await coldStart()),
      ...(await benchPlatforms({ table, mark })),
      ...(flag('--no-portfolio') ? [] : await benchPortfolio({ table, ms, mb, mark }, { root: ROOT, runner: RUNNER })),
    ];
    console.log(`\nload average now ${load()}`);
    console.log(
      `${results.filter(Boolean).length}/${results.length} targets met (large checkout wall < 3 s, peak RSS < 300 MB; --version < 150 ms; GitHub ≤ 10 and GitLab ≤ 15 requests per repo` +
        `${flag('--no-portfolio') ? '' : '; portfolio: 1,000 repos < 60 s, ≤ 3 requests/repo, < 300 MB, 10k run flat'})`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

await main();
