/**
 * The portfolio's parts on their own: the index journal (torn lines, group commit), CSV quoting,
 * --list parsing, the CLI flags, the adaptive batch size, the rate governor (spreading a budget,
 * waiting for a reset only when nothing fits, secondary limits, per-minute caps), and the
 * enumeration query against GitHub's GraphQL schema.
 */
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildClientSchema, parse, validate, type IntrospectionQuery } from 'graphql';
import { schema as ghSchema } from '@octokit/graphql-schema';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCli, UsageError } from '../../src/cli/args.js';
import { csvCell, csvRow } from '../../src/portfolio/csv.js';
import { finishedKeys, IndexWriter, readIndex } from '../../src/portfolio/journal.js';
import { parseList, ListError } from '../../src/portfolio/list.js';
import { BatchSizer, RateGovernor } from '../../src/portfolio/pacer.js';
import { Progress } from '../../src/portfolio/progress.js';
import { ENUMERATE_QUERY, validGitHubRepo } from '../../src/portfolio/platforms/github.js';
import { validGitLabPath } from '../../src/portfolio/platforms/gitlab.js';
import type { IndexEntry } from '../../src/portfolio/types.js';
import { tempDir, removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());

const entry = (key: string, extra: Partial<IndexEntry> = {}): IndexEntry => ({
  v: 1,
  key,
  platform: 'github',
  host: 'github.com',
  repo: key.split('/').slice(2).join('/'),
  url: `https://${key.split('/').slice(1).join('/')}`,
  status: 'ok',
  attempts: 1,
  durationMs: 1,
  finishedAt: '2026-01-01T00:00:00Z',
  ...extra,
});

describe('index.jsonl', () => {
  it('reads complete lines, ignores a torn last line, and the writer cuts it off before appending', async () => {
    const dir = tempDir('journal');
    const file = join(dir, 'index.jsonl');
    writeFileSync(file, `${JSON.stringify(entry('github/github.com/a/one'))}\n${JSON.stringify(entry('github/github.com/a/two'))}\n`);
    appendFileSync(file, JSON.stringify(entry('github/github.com/a/three')).slice(0, 40)); // killed mid-append
    const first = await readIndex(dir);
    expect([...first.entries.keys()]).toEqual(['github/github.com/a/one', 'github/github.com/a/two']);
    expect(first.scan).toEqual({ lines: 2, bad: 1, torn: true });

    const w = await IndexWriter.open(dir);
    await Promise.all([w.append(entry('github/github.com/a/three')), w.append(entry('github/github.com/a/four'))]);
    await w.close();
    const text = readFileSync(file, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(
      text
        .split('\n')
        .filter(Boolean)
        .map((l) => (JSON.parse(l) as IndexEntry).key),
    ).toEqual(['github/github.com/a/one', 'github/github.com/a/two', 'github/github.com/a/three', 'github/github.com/a/four']);
    expect((await readIndex(dir)).scan).toEqual({ lines: 4, bad: 0, torn: false });
  });

  it('the latest line per repository wins; resume skips finished ones whose file is still there, and retries transient errors', async () => {
    const dir = tempDir('journal');
    mkdirSync(join(dir, 'repos'), { recursive: true });
    writeFileSync(join(dir, 'repos', 'a.json'), '{}');
    const lines = [
      entry('k/a', { status: 'error', reason: '502', transient: true }),
      entry('k/a', { file: 'repos/a.json' }), // retried and done
      entry('k/b', { file: 'repos/missing.json' }), // file deleted since: assess again
      entry('k/c', { status: 'error', reason: 'not found', transient: false }), // done for good
      entry('k/d', { status: 'error', reason: 'timed out', transient: true }), // retry on resume
    ];
    writeFileSync(join(dir, 'index.jsonl'), `${lines.map((l) => JSON.stringify(l)).join('\n')}\nnot json\n`);
    const { entries, scan } = await readIndex(dir);
    expect(scan.bad).toBe(1);
    expect(entries.get('k/a')?.status).toBe('ok');
    expect([...(await finishedKeys(dir, entries))].sort()).toEqual(['k/a', 'k/c']);
  });
});

describe('CSV', () => {
  it('quotes per RFC 4180 and defuses formulas', () => {
    expect(csvRow(['a', 'b,c', 'say "hi"', 'two\nlines', 3.5, null])).toBe('a,"b,c","say ""hi""","two\nlines",3.5,\r\n');
    for (const f of ['=1+2', '+1', '-1', '@SUM(A1)', '\t=x', '  =x', "=cmd|' /C calc'!A0"])
      expect(csvCell(f).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-1)).toBe('-1'); // numbers are numbers
    expect(csvCell('bell\u0007')).toBe('bell\ufffd');
  });
});

describe('--list', () => {
  it('one repository per line, any platform; comments, blank lines and CRLF', () => {
    const refs = parseList(
      '\ufeff# portfolio\r\nacme/widget\r\n\r\n  https://gitlab.com/group/sub/project.git  # trailing\r\ngithub.com/acme/other\nghe.example.com/team/tool\n',
      { githubHosts: ['ghe.example.com'] },
    );
    expect(refs.map((r) => `${r.platform} ${r.host} ${r.repo}`)).toEqual([
      'github github.com acme/widget',
      'gitlab gitlab.com group/sub/project',
      'github github.com acme/other',
      'github ghe.example.com team/tool',
    ]);
  });

  it('reports every bad line with its number, before anything runs', () => {
    expect(() => parseList('acme/widget\nnot a repo\n../etc/passwd\nexample.org/a/b\n', {}, 'repos.txt')).toThrow(ListError);
    try {
      parseList('acme/widget\nnot a repo\nexample.org/a/b\n', {}, 'repos.txt');
    } catch (err) {
      expect((err as Error).message).toMatch(/^repos\.txt:2: .*\nrepos\.txt:3: .*cannot tell whether example\.org is GitHub or GitLab/);
    }
  });
});

describe('CLI flags', () => {
  it('portfolio flags parse and validate', () => {
    const a = parseCli([
      'portfolio',
      '--github-org',
      'acme',
      '--out',
      'out',
      '--resume',
      '--include-forks',
      '--concurrency',
      '4',
      '--batch-size',
      '10',
      '--badges',
      '-c',
      'License',
    ]);
    expect(a.command).toBe('portfolio');
    expect(a.portfolio).toEqual({
      spec: { kind: 'github-org', name: 'acme' },
      out: 'out',
      resume: true,
      includeArchived: false,
      includeForks: true,
      concurrency: 4,
      batchSize: 10,
      badges: true,
    });
    expect(a.checks).toEqual(['License']);
    expect(parseCli(['portfolio', '--resume', '--out', 'o']).portfolio?.spec).toBeUndefined();
    expect(parseCli(['portfolio', '--gitlab-group', 'g/sub', '--out', 'o']).portfolio?.spec).toEqual({
      kind: 'gitlab-group',
      name: 'g/sub',
    });
    expect(parseCli(['portfolio', '--list', 'r.txt', '--out', 'o']).portfolio?.spec).toEqual({ kind: 'list', file: 'r.txt' });
    for (const bad of [
      ['portfolio', '--out', 'o'],
      ['portfolio', '--github-org', 'a', '--gitlab-group', 'b', '--out', 'o'],
      ['portfolio', '--github-org', 'a'],
      ['portfolio', '--github-org', 'a', '--out', 'o', '--concurrency', '0'],
      ['portfolio', '--github-org', 'a', '--out', 'o', '--batch-size', '1.5'],
      ['portfolio', 'acme/widget', '--out', 'o'],
      ['acme/widget', '--github-org', 'acme'],
      ['acme/widget', '--out', 'x'],
    ]) {
      expect(() => parseCli(bad), bad.join(' ')).toThrow(UsageError);
    }
  });
});

describe('batch size', () => {
  it('halves on a failed or slow batch, grows by 2 when fast, stays within 1…max', () => {
    const s = new BatchSizer(25);
    expect(s.size).toBe(10);
    s.record({ ms: 300, failed: false });
    s.record({ ms: 300, failed: false });
    expect(s.size).toBe(14);
    s.record({ ms: 300, failed: true });
    expect(s.size).toBe(7);
    s.record({ ms: 8_000, failed: false });
    expect(s.size).toBe(5);
    s.record({ ms: 3_000, failed: false }); // neither fast nor slow
    expect(s.size).toBe(5);
    for (let i = 0; i < 20; i++) s.record({ ms: 100, failed: false });
    expect(s.size).toBe(25);
    for (let i = 0; i < 10; i++) s.record({ ms: 100, failed: true });
    expect(s.size).toBe(1);
  });
});

describe('rate governor', () => {
  const O = 'https://api.example';
  const resp = (headers: Record<string, string>, status = 200, at = 0) => ({
    origin: O,
    method: 'GET',
    path: '/repos/a/b',
    status,
    headers,
    at,
  });
  const rl = (remaining: number, resetS: number, limit = 5000) => ({
    'x-ratelimit-limit': String(limit),
    'x-ratelimit-remaining': String(remaining),
    'x-ratelimit-reset': String(resetS),
    'x-ratelimit-used': String(limit - remaining),
    'x-ratelimit-resource': 'core',
  });

  function clock() {
    let t = 1_000_000_000_000;
    const slept: number[] = [];
    return {
      now: () => t,
      sleep: async (ms: number) => {
        slept.push(ms);
        t += ms;
      },
      slept,
      advance: (ms: number) => (t += ms),
    };
  }

  it('launches freely while the budget covers every repository left', async () => {
    const c = clock();
    const g = new RateGovernor({ concurrency: 4, now: c.now, sleep: c.sleep });
    g.observe(resp(rl(4000, c.now() / 1000 + 3600)));
    g.setRemainingRepos(100); // 100 × 8 ≪ 4000
    const rel = await Promise.all([g.acquire(), g.acquire(), g.acquire()]);
    rel.forEach((r) => r());
    expect(c.slept).toEqual([]);
  });

  it('spreads launches over the window when the budget would run out before the work does', async () => {
    const c = clock();
    const g = new RateGovernor({ concurrency: 1, now: c.now, sleep: c.sleep });
    g.observe(resp(rl(80, c.now() / 1000 + 100))); // 80 left for 100 s, ~8 per repository → 10 repositories fit
    g.setRemainingRepos(50);
    for (let i = 0; i < 3; i++) (await g.acquire())();
    const waited = c.slept.reduce((a, b) => a + b, 0);
    // 10 fit in 100 s → about 10 s apart; the first one goes at once.
    expect(waited).toBeGreaterThanOrEqual(15_000);
    expect(waited).toBeLessThan(25_000);
    expect(g.stats.waitedForResetMs).toBe(0);
  });

  it('waits for the reset only when not one more repository fits', async () => {
    const c = clock();
    const g = new RateGovernor({ concurrency: 2, now: c.now, sleep: c.sleep });
    g.observe(resp(rl(3, c.now() / 1000 + 30)));
    g.setRemainingRepos(10);
    const p = g.acquire();
    // A fresh window arrives with the reset (the governor re-reads after each short sleep).
    setTimeout(() => g.observe(resp(rl(5000, c.now() / 1000 + 3600))), 0);
    (await p)();
    expect(g.stats.waitedForResetMs).toBeGreaterThan(0);
    expect(c.now()).toBeGreaterThan(1_000_000_000_000 + 2_000 - 1);
  });

  it('after a reset, before any answer from the new window, it plans with a full window, not an unlimited one', async () => {
    const c = clock();
    // Sleeps also let timers run: the answer below arrives while it waits.
    const sleep = async (ms: number) => {
      await c.sleep(ms);
      await new Promise((r) => setImmediate(r));
    };
    const g = new RateGovernor({ concurrency: 4, now: c.now, sleep });
    g.observe(resp(rl(0, c.now() / 1000 + 1, 20))); // 20 per window, spent; resets in 1 s
    g.setRemainingRepos(10);
    c.advance(1_500); // the window has reset; nothing has answered since
    const first = await g.acquire(); // a full window (20) covers one repository (prior cost 8, with margin)
    expect(c.slept).toEqual([]);
    // 20 − 1.75 × 8 in flight leaves less than one repository: the next launch waits (unbounded, it would go).
    let launched = false;
    const second = g.acquire().then((r) => ((launched = true), r));
    for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
    expect(launched).toBe(false);
    expect(c.slept.length).toBeGreaterThan(0);
    first(); // the first repository is done: now the second fits
    (await second)();
    expect(launched).toBe(true);
  });

  it('a secondary limit pauses launches for Retry-After and halves the concurrency, which then grows back', async () => {
    const c = clock();
    const g = new RateGovernor({ concurrency: 8, now: c.now, sleep: c.sleep, retryAfterUnitMs: 1000 });
    g.observe(resp({ 'retry-after': '7' }, 403, c.now()));
    expect(g.currentConcurrency).toBe(4);
    expect(g.stats.secondaryHits).toBe(1);
    (await g.acquire())();
    expect(c.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(7_000);
    for (let i = 0; i < 40; i++) (await g.acquire())();
    expect(g.currentConcurrency).toBe(8);
  });

  it('keeps under a requests-per-minute cap', async () => {
    const c = clock();
    const g = new RateGovernor({ concurrency: 50, now: c.now, sleep: c.sleep, perMinute: { [O]: { rest: 20 } } });
    for (let i = 0; i < 20; i++) g.observe(resp({}, 200, c.now()));
    (await g.acquire())();
    expect(c.slept.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(59_000);
  });

  it('reads GitLab RateLimit-* headers', async () => {
    const c = clock();
    const g = new RateGovernor({ concurrency: 1, now: c.now, sleep: c.sleep });
    g.observe({
      ...resp({
        'ratelimit-limit': '2000',
        'ratelimit-remaining': '1990',
        'ratelimit-reset': String(c.now() / 1000 + 60),
        'ratelimit-observed': '10',
      }),
      origin: 'https://gitlab.example',
    });
    expect(g.budgetsSeen()).toEqual([{ resource: 'gitlab', limit: 2000, remaining: 1990, resetAt: c.now() + 60_000 }]);
  });
});

describe('enumeration', () => {
  it('the GraphQL queries are valid against GitHub’s schema', () => {
    const schema = buildClientSchema(ghSchema.json as unknown as IntrospectionQuery);
    for (const field of ['organization', 'user'] as const)
      expect(validate(schema, parse(ENUMERATE_QUERY(field))).map((e) => e.message)).toEqual([]);
  });

  it('names outside what GitHub and GitLab allow are refused', () => {
    expect(validGitHubRepo('acme/socket.io')).toBe(true);
    expect(validGitHubRepo('acme_corp/x')).toBe(true);
    for (const bad of ['acme', 'acme/a/b', 'acme/..', 'acme/<x>', '-acme/x', 'acme/x y', 'acme/'])
      expect(validGitHubRepo(bad), bad).toBe(false);
    expect(validGitLabPath('group/sub/project.js')).toBe(true);
    for (const bad of ['project', 'group/-x/..', 'group/x.git', 'group/<x>', 'group/x.']) expect(validGitLabPath(bad), bad).toBe(false);
  });
});

describe('progress on stderr', () => {
  const stream = (tty: boolean) => {
    const s = { text: '', isTTY: tty, columns: 120, write: (c: unknown) => ((s.text += String(c)), true) };
    return s as unknown as NodeJS.WritableStream & { text: string; isTTY: boolean; columns: number };
  };
  const ok = (repo: string) =>
    entry(`github/github.com/${repo}`, {
      repo,
      score: 5,
      levels: { 'slsa-v1.2-build': { confirmed: 1, attainable: 2 }, 'slsa-v1.2-source': { confirmed: 0, attainable: 1 } },
    });

  it('a terminal gets one line, redrawn in place, with done/total, rate, ETA and the budget left', () => {
    let t = 0;
    const s = stream(true);
    const p = new Progress({ stream: s, now: () => t });
    p.setBudgets(() => [{ resource: 'core', limit: 5000, remaining: 4321, resetAt: 0 }]);
    p.start(4, 1);
    t = 60_000;
    p.finished(ok('a/one'));
    t = 120_000;
    p.finished(entry('github/github.com/a/two', { repo: 'a/two', status: 'error', reason: 'gone' }));
    expect(s.text).not.toContain('\n');
    const last = s.text.split('\r').pop()!;
    expect(last).toBe('3/4 repositories · 1 unknown · 1 done before · 1.0/min · ETA 1m00s · rate limit core 4321/5000\x1b[K');
    p.end();
    expect(s.text.endsWith('\n')).toBe(true);
  });

  it('a log gets plain lines, one per repository, control characters defused', () => {
    const s = stream(false);
    const p = new Progress({ stream: s });
    p.start(2, 0);
    p.finished(ok('a/one'));
    p.finished(entry('github/github.com/a/x', { repo: 'a/\u001b[2Jx\u202e', status: 'error', reason: 'bad\u0007name' }));
    p.end();
    const lines = s.text.split('\n');
    expect(lines[0]).toBe('[1/2] github.com/a/one score 5 (Build L1, Source L0)');
    expect(lines[1]).toBe('[2/2] github.com/a/\ufffd[2Jx\ufffd error: bad\ufffdname');
    expect(s.text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
  });
});
