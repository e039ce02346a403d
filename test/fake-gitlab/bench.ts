/**
 * `benchGitLab()`: requests per GitLab project for a full assessment (built-in checks + every
 * platform fact), measured against the fake GitLab for each scenario; what each fact costs alone;
 * and the archive vs tree-API file modes. Used by `npm run bench` (test/bench/run.ts); figures,
 * not assertions (the tests assert the exact counts).
 */
import { builtinChecks } from '../../checks/index.js';
import { assess } from '../../src/assessment.js';
import { defineCheck, type CheckDefinition } from '../../src/check.js';
import { createFactStore } from '../../src/engine.js';
import { SOURCE_FACT_NAMES, type FactName } from '../../src/facts/catalog.js';
import { createGitLabSource, type GitLabSourceOptions } from '../../src/sources/gitlab/index.js';
import type { RequestStats } from '../../src/sources/source.js';
import { parseRemote } from '../../src/target.js';
import { GITLAB_COM, SELF_MANAGED, TOKENS } from '../fixtures/gitlab/scenarios.js';
import { startFakeGitLab, type FakeGitLab } from './server.js';

const FACTS: FactName[] = SOURCE_FACT_NAMES.filter((f) => f !== 'bestPractices' && f !== 'vulnerabilities');

const CASES: Array<{ label: string; target: string; token?: string; selfManaged?: boolean }> = [
  { label: 'Free, Maintainer', target: 'gitlab.com/acme/widget', token: TOKENS.maintainer },
  { label: 'Premium, Owner', target: 'gitlab.com/bigcorp/platform', token: TOKENS.maintainer },
  { label: 'Premium private, Reporter', target: 'gitlab.com/bigcorp/secret-sauce', token: TOKENS.reporter },
  { label: 'nested, anonymous', target: 'gitlab.com/group/sub/project' },
  { label: 'Ultimate, provenance + attestations', target: 'gitlab.com/oss-tools/release-tool', token: TOKENS.maintainer },
  { label: 'Free, remote include', target: 'gitlab.com/acme/legacy', token: TOKENS.maintainer },
  { label: 'self-managed CE', target: 'gitlab.example.org/platform/api', token: TOKENS.selfManaged, selfManaged: true },
];

export interface GitLabBenchProject {
  label: string;
  target: string;
  requests: RequestStats;
  wallMs: number;
}

export interface GitLabBenchResult {
  /** Median over the scenarios of one full assessment's requests. */
  requestsPerProject: number;
  maxRequestsPerProject: number;
  target: number;
  projects: GitLabBenchProject[];
  /** Requests each fact costs alone on the Free/Maintainer project, beyond the project request every run makes. */
  perFact: Record<string, number>;
  /** Requests for the file listing plus every read the built-in checks make, per file mode. */
  fileModes: { archive: number; api: number; files: number };
}

function options(
  fake: FakeGitLab,
  target: string,
  token: string | undefined,
  extra: Partial<GitLabSourceOptions> = {},
): GitLabSourceOptions {
  return {
    target: parseRemote(target, { platform: 'gitlab' })!,
    env: token ? { GITLAB_TOKEN: token } : {},
    gitlabUrl: fake.url,
    timeoutMs: 10_000,
    ...extra,
  };
}

const probe = defineCheck({
  id: 'Bench-All-Platform-Facts',
  risk: 'low',
  description: 'reads every platform fact, as the full set of API checks does',
  facts: FACTS,
  remediation: [],
  run: () => ({ score: null, reason: 'bench' }),
}) as unknown as CheckDefinition;

export async function benchGitLab(): Promise<GitLabBenchResult> {
  const com = await startFakeGitLab({ scenarios: GITLAB_COM });
  const sm = await startFakeGitLab({ scenarios: SELF_MANAGED });
  try {
    const projects: GitLabBenchProject[] = [];
    for (const c of CASES) {
      const t0 = performance.now();
      const source = await createGitLabSource(options(c.selfManaged ? sm : com, c.target, c.token));
      const a = await assess(source, { checks: [...(builtinChecks as CheckDefinition[]), probe], services: { offline: true } });
      projects.push({ label: c.label, target: c.target, requests: a.requests, wallMs: Math.round(performance.now() - t0) });
    }
    const perFact: Record<string, number> = {};
    for (const f of FACTS) {
      const source = await createGitLabSource(options(com, CASES[0].target, CASES[0].token));
      await createFactStore(source, [], { offline: true }).get(f);
      perFact[f] = source.requests.total - 1;
    }
    const fileCost = async (fileMode: 'archive' | 'api') => {
      const source = await createGitLabSource(options(com, CASES[0].target, CASES[0].token, { fileMode }));
      const store = createFactStore(source, [], { offline: true });
      const files = await store.get('files');
      await Promise.all(
        (['binaries', 'shellScripts', 'gitlabCi', 'securityPolicies', 'licenseFiles', 'dockerfiles'] as FactName[]).map((n) =>
          store.get(n),
        ),
      );
      return { requests: source.requests.total - 2 /* project, commits */, files: files.known ? files.value.length : 0 };
    };
    const archive = await fileCost('archive');
    const api = await fileCost('api');
    const totals = projects.map((p) => p.requests.total).sort((x, y) => x - y);
    return {
      requestsPerProject: totals[Math.floor(totals.length / 2)],
      maxRequestsPerProject: totals[totals.length - 1],
      target: 15,
      projects,
      perFact,
      fileModes: { archive: archive.requests, api: api.requests, files: archive.files },
    };
  } finally {
    await com.close();
    await sm.close();
  }
}

/** The figures as the bench prints them. */
export function formatGitLabBench(r: GitLabBenchResult): string {
  const lines = [
    `GitLab: requests per project for a full assessment — median ${r.requestsPerProject}, max ${r.maxRequestsPerProject} (target ≤ ${r.target}: ${r.requestsPerProject <= r.target ? 'PASS' : 'MISS'})`,
    ...r.projects.map(
      (p) =>
        `  ${p.label.padEnd(38)} ${String(p.requests.total).padStart(3)} (rest ${p.requests.rest}, graphql ${p.requests.graphql}, retries ${p.requests.retries})  ${p.wallMs} ms`,
    ),
    `  per fact alone (beyond the project request): ${Object.entries(r.perFact)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `  files + every read for ${r.fileModes.files} files: archive ${r.fileModes.archive} request(s), tree API ${r.fileModes.api}`,
  ];
  return lines.join('\n');
}
