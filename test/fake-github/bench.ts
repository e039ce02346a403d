/**
 * Requests per repository for a full assessment (every built-in check, plus every fact the GitHub
 * source answers) of the fake repositories, per token kind — the figure `npm run bench` prints.
 * Scorecard spends ~70 requests on one repository (66 REST + 4 GraphQL, scorecard-action#1071).
 *
 * Called from test/bench/run.ts: `const r = await benchGitHub(); r.requestsPerRepo …`.
 */
import { builtinChecks } from '../../checks/index.js';
import { assess } from '../../src/assessment.js';
import { createFactStore } from '../../src/engine.js';
import { SOURCE_FACT_NAMES } from '../../src/facts/catalog.js';
import { createGitHubSource } from '../../src/sources/github/index.js';
import { ALL_SCENARIOS, TOKENS } from './scenarios.js';
import { startFakeGitHub } from './server.js';

export interface GitHubBenchRow {
  repo: string;
  token: 'admin' | 'read' | 'none';
  total: number;
  rest: number;
  graphql: number;
  ms: number;
}

/** Files: one tarball vs a recursive tree listing + GraphQL blob batches, on the same repository. */
export interface FilesStrategyRow {
  repo: string;
  files: number;
  binaries: number;
  tarball: { requests: number; bytes: number };
  /** 1 tree listing + ⌈files/100⌉ GraphQL blob batches + 1 REST blob read per binary (GraphQL has no bytes for them). */
  treeAndBlobs: { requests: number; bytes: number };
}

export interface GitHubBench {
  /** Tarball vs tree + GraphQL blobs, measured against the fake. */
  filesStrategy: FilesStrategyRow[];
  /** Mean requests per repository with a read token (the common case: a maintainer's or CI's token). */
  requestsPerRepo: number;
  /** Of which GraphQL / REST (means). */
  graphql: number;
  rest: number;
  /** Every repository × token. */
  rows: GitHubBenchRow[];
  /** Scorecard's figure, for comparison. */
  scorecard: number;
}

const REPOS = ['acme/widget', 'acme/classic', 'acme/old-widget', 'slsa-framework/example-package', 'bob/tool', 'acme/empty'];

export async function benchGitHub(opts: { repos?: string[]; tokens?: Array<GitHubBenchRow['token']> } = {}): Promise<GitHubBench> {
  const tokens = opts.tokens ?? ['read', 'admin', 'none'];
  const fake = await startFakeGitHub({ scenarios: ALL_SCENARIOS(), lifetimeMs: 120_000 });
  const rows: GitHubBenchRow[] = [];
  const filesStrategy: FilesStrategyRow[] = [];
  try {
    for (const repo of opts.repos ?? REPOS) {
      for (const [kind, token] of [
        ['read', TOKENS.read],
        ['admin', TOKENS.admin],
        ['none', undefined],
      ] as const) {
        if (!tokens.includes(kind)) continue;
        const started = performance.now();
        const src = await createGitHubSource({
          target: { kind: 'remote', platform: 'github', host: 'github.com', repo, url: `https://github.com/${repo}` },
          env: token ? { GITHUB_TOKEN: token } : {},
          githubApiUrl: fake.url,
          postSpacingMs: 0,
        });
        await assess(src, { checks: [...builtinChecks], services: { offline: true } });
        const store = createFactStore(src, [], { offline: true });
        for (const n of SOURCE_FACT_NAMES) await store.get(n);
        rows.push({
          repo,
          token: kind,
          total: src.requests.total,
          rest: src.requests.rest,
          graphql: src.requests.graphql,
          ms: Math.round(performance.now() - started),
        });
      }
    }
    for (const repo of (opts.repos ?? REPOS).filter((r) => r !== 'acme/empty')) filesStrategy.push(await measureFiles(fake.url, repo));
  } finally {
    await fake.close();
  }
  const read = rows.filter((r) => r.token === 'read').length ? rows.filter((r) => r.token === 'read') : rows;
  const mean = (f: (r: GitHubBenchRow) => number) => Math.round((read.reduce((a, r) => a + f(r), 0) / read.length) * 10) / 10;
  return {
    requestsPerRepo: mean((r) => r.total),
    graphql: mean((r) => r.graphql),
    rest: mean((r) => r.rest),
    rows,
    filesStrategy,
    scorecard: 70,
  };
}

/** Fetches a repository's files both ways, as the source could, and counts requests and bytes. */
async function measureFiles(api: string, repo: string): Promise<FilesStrategyRow> {
  const headers = { authorization: `token ${TOKENS.read}`, 'content-type': 'application/json' };
  const gql = async (query: string) => {
    const res = await fetch(`${api}/graphql`, { method: 'POST', headers, body: JSON.stringify({ query }) });
    const text = await res.text();
    return { bytes: Buffer.byteLength(text), json: JSON.parse(text) as { data: Record<string, unknown> } };
  };
  const [owner, name] = repo.split('/');
  const head = await gql(`{ repository(owner: "${owner}", name: "${name}") { defaultBranchRef { target { oid } } } }`);
  const sha = (head.json.data.repository as { defaultBranchRef: { target: { oid: string } } }).defaultBranchRef.target.oid;
  const tar = await fetch(`${api}/repos/${repo}/tarball/${sha}`, { headers });
  const tarBytes = (await tar.arrayBuffer()).byteLength;
  // The listing a tree read would give: every path (here from the tarball's own entries via GraphQL trees).
  const { readTarball } = await import('../../src/sources/github/tarball.js');
  const tarAgain = await fetch(`${api}/repos/${repo}/tarball/${sha}`, { headers });
  const paths = [...readTarball(Buffer.from(await tarAgain.arrayBuffer())).entries.values()]
    .filter((e) => e.kind === 'file')
    .map((e) => e.path);
  const listingBytes = JSON.stringify({
    sha,
    tree: paths.map((path) => ({
      path,
      mode: '100644',
      type: 'blob',
      sha: '0'.repeat(40),
      size: 1,
      url: `${api}/repos/${repo}/git/blobs/${'0'.repeat(40)}`,
    })),
  }).length;
  let bytes = listingBytes;
  let requests = 1;
  let binaries = 0;
  for (let i = 0; i < paths.length; i += 100) {
    const batch = paths.slice(i, i + 100);
    const fields = batch
      .map((p, j) => `f${j}: object(expression: ${JSON.stringify(`HEAD:${p}`)}) { ... on Blob { byteSize isBinary text } }`)
      .join('\n');
    const r = await gql(`{ repository(owner: "${owner}", name: "${name}") { ${fields} } }`);
    requests++;
    bytes += r.bytes;
    binaries += Object.values(r.json.data.repository as Record<string, { isBinary?: boolean } | null>).filter((b) => b?.isBinary).length;
  }
  return {
    repo,
    files: paths.length,
    binaries,
    tarball: { requests: 1, bytes: tarBytes },
    treeAndBlobs: { requests: requests + binaries, bytes },
  };
}
