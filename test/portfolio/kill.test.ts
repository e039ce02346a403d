/**
 * SIGKILL halfway, then --resume: the CLI runs the portfolio in a child process (the TypeScript
 * sources through ts-loader.mjs), is killed once N repositories are in index.jsonl, and is resumed
 * (its spec read back from DIR/portfolio.json). The result must be exactly that of an uninterrupted
 * run: the same repositories, once each, with the same assessments (minus times and request counts),
 * and no corrupt file at any point.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndex } from '../../src/portfolio/journal.js';
import { githubOrg, indexLines, run, stable, tempDir, TOKENS, type GitHubSetup, removeTempDirs } from './helpers.js';

afterAll(() => removeTempDirs());

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LOADER = fileURLToPath(new URL('./ts-loader.mjs', import.meta.url));
const CHILD = fileURLToPath(new URL('./cli-child.mjs', import.meta.url));

function cli(args: string[]): {
  child: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
} {
  const child = spawn(process.execPath, ['--import', LOADER, CHILD, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', GITHUB_TOKEN: TOKENS.read },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stderr })),
  );
  return { child, done };
}

function countLines(file: string): number {
  try {
    return readFileSync(file, 'utf8').split('\n').length - 1;
  } catch {
    return 0;
  }
}

/** Every file under dir (recursively). */
function walk(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

describe('SIGKILL and --resume', () => {
  let gh: GitHubSetup;
  beforeAll(async () => {
    gh = await githubOrg({ count: 48, seed: 13, latencyMs: 15 });
  });
  afterAll(async () => gh?.close());

  it('a run killed halfway and resumed gives exactly the results of an uninterrupted run', async () => {
    const reference = tempDir('reference');
    await run(gh, reference, { concurrency: 4 });
    const want = indexLines(reference);
    expect(want.length).toBeGreaterThan(40);

    const dir = tempDir('killed');
    const args = [
      'portfolio',
      '--github-org',
      'acme',
      '--out',
      dir,
      '--github-api-url',
      gh.front.url,
      '--offline',
      '--no-cache',
      '--concurrency',
      '4',
    ];
    const first = cli(args);
    const index = join(dir, 'index.jsonl');
    const killAt = Math.floor(want.length / 2);
    let killedAt = -1;
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const n = countLines(index);
        if (n >= killAt) {
          killedAt = n;
          first.child.kill('SIGKILL');
          clearInterval(timer);
          resolve();
        }
      }, 5);
      void first.done.then((r) => {
        clearInterval(timer);
        if (killedAt < 0) reject(new Error(`the CLI ended before it could be killed (exit ${r.code}):\n${r.stderr}`));
      });
    });
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killedAt).toBeLessThan(want.length);

    // Whatever SIGKILL interrupted: every result file is complete JSON, and the index reads back.
    const { entries, scan } = await readIndex(dir);
    expect(entries.size).toBeGreaterThanOrEqual(killAt);
    expect(scan.bad).toBe(scan.torn ? 1 : 0); // at most the line being appended when the kill came
    for (const f of walk(join(dir, 'repos'))) expect(() => JSON.parse(readFileSync(f, 'utf8')), f).not.toThrow();
    expect(existsSync(join(dir, 'dashboard.html'))).toBe(false);

    // Resume with the same command plus --resume (the spec also comes back from DIR/portfolio.json
    // when omitted; giving it keeps this test independent of when the kill landed).
    const second = cli([
      'portfolio',
      '--github-org',
      'acme',
      '--resume',
      '--out',
      dir,
      '--github-api-url',
      gh.front.url,
      '--offline',
      '--no-cache',
      '--concurrency',
      '4',
    ]);
    const resumed = await second.done;
    expect(resumed.code, resumed.stderr).toBe(0);

    const got = indexLines(dir);
    expect(new Set(got.map((l) => l.key)).size).toBe(got.length); // no duplicates
    expect(got.map((l) => l.key).sort()).toEqual(want.map((l) => l.key).sort()); // no losses
    expect(got.every((l) => l.status === 'ok')).toBe(true);
    const byKey = new Map(want.map((l) => [l.key, l]));
    for (const l of got) {
      const w = byKey.get(l.key)!;
      expect(l.file).toBe(w.file);
      expect(stable(readFileSync(join(dir, l.file!), 'utf8')), l.repo).toEqual(stable(readFileSync(join(reference, w.file!), 'utf8')));
    }
    // No stray files: one assessment per repository, the temp area gone, the reports there.
    expect(walk(join(dir, 'repos'))).toHaveLength(want.length);
    expect(existsSync(join(dir, '.tmp'))).toBe(false);
    expect(statSync(join(dir, 'dashboard.html')).size).toBeGreaterThan(1000);
    expect(resumed.stderr).toMatch(/already done/);
  }, 60_000);
});
