/** Shared set-up for the portfolio tests: a generated org on the fake GitHub behind the front, and a run. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinChecks } from '../../checks/index.js';
import type { IndexEntry } from '../../src/portfolio/types.js';
// Through the library entry: what programs embedding slsa-scorecard import.
import { runPortfolio, type PortfolioOptions, type PortfolioResult } from '../../src/index.js';
import type { RepoSpec } from '../fake-github/model.js';
import { startFakeGitHub, type FakeGitHub } from '../fake-github/server.js';
import { startFront, type EnumRepo, type Front, type FrontOptions } from './front.js';
import { enumerationOf, orgRepos, orgScenario, TOKENS } from './org.js';

export { TOKENS };

export interface GitHubSetup {
  fake: FakeGitHub;
  front: Front;
  repos: RepoSpec[];
  close(): Promise<void>;
}

export async function githubOrg(o: {
  owner?: string;
  count: number;
  seed?: number;
  latencyMs?: number;
  front?: Partial<Omit<FrontOptions, 'upstream' | 'platform'>>;
  /** Extra names enumeration lists (not in the fake: 404 when assessed). */
  extraListed?: EnumRepo[];
  extraRepos?: RepoSpec[];
}): Promise<GitHubSetup> {
  const owner = o.owner ?? 'acme';
  const repos = orgRepos({ owner, count: o.count, seed: o.seed });
  const all = [...repos, ...(o.extraRepos ?? [])];
  const fake = await startFakeGitHub({ scenarios: [orgScenario(all, owner)], latencyMs: o.latencyMs ?? 0 });
  const front = await startFront({
    upstream: fake.url,
    platform: 'github',
    owners: { [owner]: { type: 'org', repos: [...enumerationOf(all, owner), ...(o.extraListed ?? [])] } },
    ...o.front,
  });
  return {
    fake,
    front,
    repos,
    close: async () => {
      await front.close();
      await fake.close();
    },
  };
}

const made: string[] = [];

/** A fresh directory under the OS temp dir, removed by `removeTempDirs()` (each file's afterAll). */
export function tempDir(label = 'portfolio'): string {
  const d = mkdtempSync(join(tmpdir(), `slsa-${label}-`));
  made.push(d);
  return d;
}

export function removeTempDirs(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true, maxRetries: 3 });
}

/** Fast retries and waits for tests. */
export const FAST = { retryBaseMs: 20, rateLimitUnitMs: 20, timeoutMs: 2_000 } as const;

export function quietStream(): NodeJS.WritableStream & { text: string; isTTY?: boolean } {
  const s = {
    text: '',
    isTTY: false,
    write(chunk: unknown) {
      s.text += String(chunk);
      return true;
    },
  };
  return s as unknown as NodeJS.WritableStream & { text: string; isTTY?: boolean };
}

export function run(setup: GitHubSetup, outDir: string, extra: Partial<PortfolioOptions> = {}): Promise<PortfolioResult> {
  return runPortfolio({
    spec: { kind: 'github-org', name: 'acme' },
    outDir,
    checks: [...builtinChecks],
    services: { offline: true },
    env: { GITHUB_TOKEN: TOKENS.read },
    githubApiUrl: setup.front.url,
    stderr: quietStream(),
    ...FAST,
    ...extra,
  });
}

export function indexLines(dir: string): IndexEntry[] {
  const p = join(dir, 'index.jsonl');
  if (!existsSync(p)) return [];
  return readFileSync(p, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as IndexEntry);
}

/** The assessment without what legitimately differs between two runs (and with the fakes' ports blanked). */
export function stable(json: string): unknown {
  const text = json.replace(/127\.0\.0\.1(:|%3A)\d+/g, 'HOST');
  const a = JSON.parse(text) as Record<string, unknown> & { checks: Array<Record<string, unknown>> };
  delete a.date;
  delete a.durationMs;
  delete a.requests;
  for (const c of a.checks) delete c.durationMs;
  return a;
}
