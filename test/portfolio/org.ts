/**
 * A generated GitHub organization for portfolio tests and the bench: `count` repositories in the
 * fake GitHub's scenario format (test/fake-github/model.ts), deterministic for a seed, with the mix
 * a foundation's org has — libraries with only CI, released projects with tags and attested or
 * signed assets, repositories protected by rulesets or classic protection, a few archived ones,
 * forks and empty ones — plus the org's `.github` repository.
 */
import { createHash } from 'node:crypto';
import type { RepoSpec, Scenario } from '../fake-github/model.js';
import { TOKEN_SPECS, TOKENS } from '../fake-github/scenarios.js';

export { TOKENS };

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 24 * 3600 * 1000;
/** Dates are whole days before a fixed "now" per process, so two runs in one test see the same repositories. */
const NOW = Math.floor(Date.now() / DAY) * DAY;
const daysAgo = (n: number) => new Date(NOW - n * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
const sha = (s: string) => createHash('sha1').update(s).digest('hex');

const CI_PINNED = `name: CI
on: [push, pull_request]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: make test
`;

const CI_UNPINNED = `name: CI
on: [push, pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: curl -sSL https://example.org/install.sh | bash
      - run: make test
`;

const RELEASE = `name: Release
on:
  push:
    tags: ['v*']
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
      attestations: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: make dist
      - uses: actions/attest-build-provenance@c074443f1aee8d4aeeae555aebba3282517141b2 # v2.2.3
        with:
          subject-path: dist/*
`;

export interface OrgOptions {
  owner: string;
  count: number;
  seed?: number;
  /** Names: `${prefix}-${i}` (default "repo"). */
  prefix?: string;
  /** Fraction archived / forks (default 0.03 each). */
  archived?: number;
  forks?: number;
}

/** The org's repositories (without `.github`). */
export function orgRepos(o: OrgOptions): RepoSpec[] {
  const r = rng(o.seed ?? 7);
  const out: RepoSpec[] = [];
  for (let i = 0; i < o.count; i++) {
    const name = `${o.prefix ?? 'repo'}-${String(i).padStart(5, '0')}`;
    const kind = r();
    const id = 100_000 + i;
    const files: Record<string, string> = { 'README.md': `# ${name}\n` };
    if (kind > 0.1) files.LICENSE = 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\n';
    if (kind > 0.1) files['.github/workflows/ci.yml'] = r() < 0.5 ? CI_PINNED : CI_UNPINNED;
    if (kind > 0.4)
      files['SECURITY.md'] =
        '# Security\n\nReport vulnerabilities to security@example.org. We disclose fixed vulnerabilities within 90 days.\n';
    if (kind > 0.5)
      files['.github/dependabot.yml'] =
        'version: 2\nupdates:\n  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n';
    if (kind > 0.7) files['.github/workflows/release.yml'] = RELEASE;
    files['src/main.c'] = `int main(void) { return ${i % 7}; }\n`;
    const empty = r() < 0.01;
    const commits = empty
      ? []
      : Array.from({ length: 3 + Math.floor(r() * 3) }, (_, k) => ({
          sha: sha(`${o.owner}/${name}/c${k}`),
          date: daysAgo(k * 5 + 1 + Math.floor(r() * 3)),
          author: k % 2 ? 'bob' : 'alice',
          ...(kind > 0.6 ? { signature: { kind: 'ssh' as const, valid: true, reason: 'valid' } } : {}),
        }));
    const released = !empty && kind > 0.7;
    const spec: RepoSpec = {
      owner: o.owner,
      name,
      id,
      ownerType: 'Organization',
      defaultBranch: 'main',
      createdAt: daysAgo(400 + (i % 300)),
      pushedAt: daysAgo(1 + (i % 20)),
      license: files.LICENSE ? 'MIT' : null,
      files: empty ? {} : files,
      commits,
      ...(empty ? { empty: true } : {}),
      ...(r() < (o.archived ?? 0.03) ? { archived: true } : {}),
      ...(r() < (o.forks ?? 0.03) ? { fork: true } : {}),
      ...(released
        ? {
            tags: [
              { name: 'v1.1.0', commit: commits[0].sha },
              {
                name: 'v1.0.0',
                commit: commits[commits.length - 1].sha,
                annotated: {
                  sha: sha(`${name}-tag`),
                  date: daysAgo(30),
                  tagger: 'alice',
                  signature: { kind: 'ssh' as const, valid: true, reason: 'valid' },
                },
              },
            ],
            releases: [
              {
                id: id * 10,
                tag: 'v1.1.0',
                target: 'main',
                createdAt: daysAgo(3),
                author: 'github-actions[bot]',
                authorType: 'Bot' as const,
                assets: [
                  {
                    id: id * 100,
                    name: `${name}-1.1.0.tar.gz`,
                    content: `${name} 1.1.0`,
                    uploader: 'github-actions[bot]',
                    uploaderType: 'Bot' as const,
                  },
                ],
              },
            ],
          }
        : {}),
      ...(kind > 0.8
        ? {
            rulesets: [
              {
                id: id,
                name: 'protect main',
                enforcement: 'active' as const,
                include: ['~DEFAULT_BRANCH'],
                rules: [
                  { type: 'deletion' },
                  { type: 'non_fast_forward' },
                  { type: 'pull_request', parameters: { required_approving_review_count: 1 } },
                ],
              },
            ],
          }
        : kind > 0.55
          ? { classic: { main: { allowForcePushes: false, allowDeletions: false, requiredApprovals: 1, statusChecks: ['test'] } } }
          : {}),
      pulls: empty
        ? []
        : Array.from({ length: Math.floor(r() * 3) }, (_, k) => ({
            number: 10 + k,
            title: `Change ${k}`,
            author: 'bob',
            mergedBy: 'alice',
            mergedAt: daysAgo(k * 4 + 2),
            approvers: kind > 0.5 ? ['alice'] : [],
            checks: [{ name: 'test', conclusion: 'SUCCESS' as const, app: 'github-actions' }],
            headSha: sha(`${name}-pr-${k}`),
            mergeSha: commits[Math.min(k, commits.length - 1)].sha,
          })),
      issues: kind > 0.3 ? [{ createdAt: daysAgo(5), authorAssociation: 'MEMBER' as const }] : [],
      contributors: empty
        ? []
        : [
            { login: 'alice', contributions: 20 },
            { login: 'bob', contributions: 5 },
          ],
    };
    out.push(spec);
  }
  return out;
}

export function dotGithub(owner: string): RepoSpec {
  return {
    owner,
    name: '.github',
    id: 99_999,
    defaultBranch: 'main',
    createdAt: daysAgo(900),
    pushedAt: daysAgo(100),
    files: { 'SECURITY.md': `# ${owner} security\n\nEmail security@example.org. Vulnerabilities are disclosed after a fix.\n` },
    commits: [{ sha: sha(`${owner}/.github`), date: daysAgo(100), author: 'alice' }],
  };
}

export function orgScenario(repos: RepoSpec[], owner: string): Scenario {
  return {
    name: `org ${owner}`,
    tokens: TOKEN_SPECS,
    users: { alice: { company: '@acme', organizations: [owner] }, bob: { organizations: [] } },
    repos: [...repos, dotGithub(owner)],
  };
}

/** What enumeration lists for the org (the `.github` repository included, as GitHub does). */
export function enumerationOf(
  repos: RepoSpec[],
  owner: string,
): Array<{ name: string; archived?: boolean; fork?: boolean; private?: boolean }> {
  return [...repos, dotGithub(owner)].map((r) => ({
    name: `${r.owner}/${r.name}`,
    archived: r.archived,
    fork: r.fork,
    private: r.private,
  }));
}
