/** Shared set-up for the GitLab source tests: the fake, a source pointed at it, every platform fact. */
import { builtinChecks } from '../../../checks/index.js';
import { assess, type Assessment } from '../../../src/assessment.js';
import { defineCheck, type CheckDefinition } from '../../../src/check.js';
import { createFactStore } from '../../../src/engine.js';
import { SOURCE_FACT_NAMES, type FactName, type FactTypes } from '../../../src/facts/catalog.js';
import type { Fact } from '../../../src/facts/fact.js';
import { createGitLabSource, type GitLabSourceOptions } from '../../../src/sources/gitlab/index.js';
import type { Source } from '../../../src/sources/source.js';
import { parseRemote } from '../../../src/target.js';

/** Every fact the GitLab source answers itself. */
/** Platform-independent services (bestpractices.dev, osv.dev) are not the source's. */
export const GITLAB_FACTS: readonly FactName[] = SOURCE_FACT_NAMES.filter((f) => f !== 'bestPractices' && f !== 'vulnerabilities');

export type GitLabFacts = { [K in (typeof GITLAB_FACTS)[number]]: Fact<FactTypes[K]> };

export interface SourceSetup {
  url: string;
  /** `gitlab.com/acme/widget`, `gitlab.example.org/platform/api`. */
  target: string;
  token?: string;
  env?: NodeJS.ProcessEnv;
  extra?: Partial<GitLabSourceOptions>;
}

export function gitlabSource(s: SourceSetup): Promise<Source> {
  const target = parseRemote(s.target, { platform: 'gitlab' })!;
  return createGitLabSource({
    target,
    env: { ...(s.token ? { GITLAB_TOKEN: s.token } : {}), ...s.env },
    gitlabUrl: s.url,
    timeoutMs: 5_000,
    retryBaseMs: 20,
    ...s.extra,
  });
}

/**
 * One assess() with the built-in checks plus a probe check that asks for every platform fact, so
 * the facts come out of the very store the checks used (and the request count is that of one
 * full assessment).
 */
export async function assessAll(
  source: Source,
  checks: CheckDefinition[] = builtinChecks as CheckDefinition[],
): Promise<{ assessment: Assessment; facts: GitLabFacts }> {
  let captured: GitLabFacts | undefined;
  const probe = defineCheck({
    id: 'Probe-GitLab-Facts',
    risk: 'low',
    description: 'test probe: reads every platform fact',
    facts: [...GITLAB_FACTS],
    remediation: [],
    run(facts) {
      captured = facts as unknown as GitLabFacts;
      return { score: null, reason: 'probe' };
    },
  }) as unknown as CheckDefinition;
  const assessment = await assess(source, { checks: [...checks, probe], services: { offline: true } });
  return { assessment, facts: captured! };
}

/** Just the facts (no checks), from one store. */
export async function factsOf<N extends FactName>(source: Source, names: readonly N[]): Promise<{ [K in N]: Fact<FactTypes[K]> }> {
  const store = createFactStore(source, [], { offline: true });
  const out = {} as { [K in N]: Fact<FactTypes[K]> };
  await Promise.all(names.map(async (n) => (out[n] = (await store.get(n)) as never)));
  return out;
}

export function check(a: Assessment, id: string) {
  const c = a.checks.find((x) => x.name === id);
  if (!c) throw new Error(`no check ${id}`);
  return c;
}

/** The value of a known fact (fails the test with the reason when unknown). */
export function val<T>(f: Fact<T>): T {
  if (!f.known) throw new Error(`fact unknown: ${f.reason}${f.needs ? ` (needs ${f.needs})` : ''}`);
  return f.value;
}
