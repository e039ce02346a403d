/** Shared set-up for the GitHub source tests: a fake GitHub, a source pointed at it, all facts. */
import { createGitHubSource, type GitHubSourceOptions } from '../../../src/sources/github/index.js';
import type { Source } from '../../../src/sources/source.js';
import type { RemoteTarget } from '../../../src/target.js';
import { SOURCE_FACT_NAMES, type FactName, type FactTypes } from '../../../src/facts/catalog.js';
import type { Fact } from '../../../src/facts/fact.js';
import { createFactStore } from '../../../src/engine.js';
import { assess, type Assessment } from '../../../src/assessment.js';
import { builtinChecks } from '../../../checks/index.js';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../../fake-github/server.js';

export const target = (repo: string, host = 'github.com'): RemoteTarget => ({
  kind: 'remote',
  platform: 'github',
  host,
  repo,
  url: `https://${host}/${repo}`,
});

/** Fast but real: no 1 s spacing between GraphQL requests, short back-off. */
export const FAST: Partial<GitHubSourceOptions> = { postSpacingMs: 0, retryBaseMs: 20, timeoutMs: 5_000 };

/** Facts the GitHub source answers (bestPractices / vulnerabilities are platform-independent providers). */
export const GITHUB_FACTS = SOURCE_FACT_NAMES.filter((n) => n !== 'bestPractices' && n !== 'vulnerabilities');

export async function withFake<T>(opts: FakeGitHubOptions, fn: (fake: FakeGitHub) => Promise<T>): Promise<T> {
  const fake = await startFakeGitHub({ lifetimeMs: 60_000, ...opts });
  try {
    return await fn(fake);
  } finally {
    await fake.close();
  }
}

export function sourceFor(
  fake: FakeGitHub,
  repo: string,
  token: string | undefined,
  extra: Partial<GitHubSourceOptions> = {},
): Promise<Source> {
  return createGitHubSource({
    target: target(repo),
    env: token ? { GITHUB_TOKEN: token } : {},
    githubApiUrl: fake.url,
    ...FAST,
    ...extra,
  });
}

export type AllFacts = { [K in FactName]: Fact<FactTypes[K]> };

/** A full assessment (every built-in check) plus every source fact, with the network services offline. */
export async function assessFully(src: Source): Promise<{ assessment: Assessment; facts: AllFacts }> {
  const assessment = await assess(src, { checks: [...builtinChecks], services: { offline: true } });
  const store = createFactStore(src, [], { offline: true });
  const facts = {} as Record<string, Fact<unknown>>;
  for (const n of SOURCE_FACT_NAMES) facts[n] = await store.get(n);
  return { assessment, facts: facts as AllFacts };
}

export function value<T>(f: Fact<T>): T {
  if (!f.known) throw new Error(`expected a known fact, got unknown: ${f.reason}`);
  return f.value;
}

export const checkScore = (a: Assessment, id: string): number | null | undefined => a.checks.find((c) => c.name === id)?.score;
