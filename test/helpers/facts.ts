/** Test helpers: facts and check results straight from a directory or from in-memory files. */
import { cpSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execFileSync } from 'node:child_process';
import type { CheckDefinition } from '../../src/check.js';
import { createFactStore, evaluateCheck, type CheckResult } from '../../src/engine.js';
import { LocalSource } from '../../src/sources/local/index.js';
import type { FactStore } from '../../src/facts/store.js';

export function storeFor(dir: string, ignore: string[] = []): FactStore {
  return createFactStore(new LocalSource(dir), ignore);
}

export async function runCheckOnDir(check: CheckDefinition, dir: string, options: Record<string, unknown> = {}): Promise<CheckResult> {
  return evaluateCheck(check, storeFor(dir), { options });
}

/** A temporary directory with the given files (path → content); removed by the returned cleanup. */
export function tempTree(files: Record<string, string | Buffer>, opts: { git?: boolean } = {}): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'slsa-sc-'));
  for (const [p, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, p)), { recursive: true });
    writeFileSync(join(dir, p), content);
  }
  if (opts.git) {
    const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: gitEnv() });
    g('init', '-q', '-b', 'main');
    g('add', '-A');
    g('commit', '-q', '-m', 'initial', '--allow-empty');
  }
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Copies a directory into a temporary git repository (compat cases are plain directories). */
export function gitCopy(src: string): { dir: string; cleanup: () => void } {
  const t = tempTree({});
  cpSync(src, t.dir, { recursive: true });
  const g = (...args: string[]) => execFileSync('git', args, { cwd: t.dir, stdio: 'pipe', env: gitEnv() });
  g('init', '-q', '-b', 'main');
  g('add', '-A', '-f');
  g('commit', '-q', '-m', 'fixture', '--allow-empty');
  return t;
}

export function gitEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    GIT_AUTHOR_NAME: 'Test',
    GIT_AUTHOR_EMAIL: 'test@example.com',
    GIT_COMMITTER_NAME: 'Test',
    GIT_COMMITTER_EMAIL: 'test@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
  };
}
