/** SSH signing for tests on real git repositories: a throwaway key, its allowed-signers file, and git config kept out. */
import { afterAll, beforeAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const hasSshKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

/**
 * The local source runs git (`verify-tag`, `%G?`) with this process's environment: keep the user's
 * git config out of the test file that calls this (registers its own beforeAll/afterAll).
 */
export function isolateGitConfig(): void {
  const saved = { global: process.env.GIT_CONFIG_GLOBAL, nosystem: process.env.GIT_CONFIG_NOSYSTEM };
  beforeAll(() => {
    process.env.GIT_CONFIG_GLOBAL = '/dev/null';
    process.env.GIT_CONFIG_NOSYSTEM = '1';
  });
  afterAll(() => {
    process.env.GIT_CONFIG_GLOBAL = saved.global;
    process.env.GIT_CONFIG_NOSYSTEM = saved.nosystem;
    if (saved.global === undefined) delete process.env.GIT_CONFIG_GLOBAL;
    if (saved.nosystem === undefined) delete process.env.GIT_CONFIG_NOSYSTEM;
  });
}

/** A new ed25519 key and an allowed-signers file naming it for test@example.com; `cleanups` gets its removal. */
export function sshKey(cleanups: Array<() => void>, comment = 'test'): { pub: string; allowed: string } {
  const dir = mkdtempSync(join(tmpdir(), 'slsa-sc-key-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', join(dir, 'key')]);
  const allowed = join(dir, 'allowed_signers');
  writeFileSync(allowed, `test@example.com ${readFileSync(join(dir, 'key.pub'), 'utf8')}`);
  return { pub: join(dir, 'key.pub'), allowed };
}
