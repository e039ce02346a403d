/**
 * Scenario fixtures for the fake GitHub: one well-kept repository seen through different
 * protection set-ups and tokens, plus the edge cases (archived, empty, private, releases signed /
 * attested / neither, a tampered attestation). Dates are relative to now so "recent" stays recent.
 */
import { readFileSync } from 'node:fs';
import type { RepoSpec, Scenario, TokenSpec } from './model.js';
import { fixturePath } from './paths.js';

export const TOKENS = {
  /** Classic PAT of a repository admin. */
  admin: 'ghp_FakeAdminToken000000000000000000000',
  /** Classic PAT with read access (admin-only fields come back null / 404). */
  read: 'ghp_FakeReadToken0000000000000000000000',
  /** Fine-grained PAT without Administration (admin-only fields: FORBIDDEN / 403). */
  fineRead: 'github_pat_FakeFineGrainedRead000000000000000000',
} as const;

export const TOKEN_SPECS: Record<string, TokenSpec> = {
  [TOKENS.admin]: { role: 'admin', kind: 'classic', scopes: 'repo, read:org' },
  [TOKENS.read]: { role: 'read', kind: 'classic', scopes: 'public_repo' },
  [TOKENS.fineRead]: { role: 'read', kind: 'fine-grained' },
};

const DAY = 24 * 3600 * 1000;
export const daysAgo = (n: number): string => new Date(Date.now() - n * DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
const hex = (seed: string, n = 40) => {
  let h = '';
  let x = 0;
  for (const ch of seed) x = (x * 31 + ch.charCodeAt(0)) >>> 0;
  while (h.length < n) {
    x = (Math.imul(x, 2654435761) + 12345) >>> 0;
    h += x.toString(16).padStart(8, '0');
  }
  return h.slice(0, n);
};

export const CONTAINER_BUNDLE = JSON.parse(
  readFileSync(fixturePath('provenance/gha_container-based_v1.7.0_gha_container-based-binary-linux-amd64-v14.intoto.sigstore'), 'utf8'),
) as Record<string, unknown>;
export const GENERIC_JSONL = readFileSync(fixturePath('provenance/gha_generic_v1.10.0_binary-linux-amd64-push-v14.intoto.jsonl'));
/** sha256 of the empty file: the subject of CONTAINER_BUNDLE. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
export const GENERIC_SHA256 = '2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd';

/** The bundle with one byte of its signed payload changed. */
export function tamperedBundle(): Record<string, unknown> {
  const b = structuredClone(CONTAINER_BUNDLE) as { dsseEnvelope: { payload: string } };
  const payload = Buffer.from(b.dsseEnvelope.payload, 'base64');
  const i = payload.indexOf('example-package');
  payload[i] = 'E'.charCodeAt(0);
  b.dsseEnvelope.payload = payload.toString('base64');
  return b as unknown as Record<string, unknown>;
}

const CI = `name: CI
on:
  pull_request:
  push:
    branches: [main]
permissions:
  contents: read
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: actions/setup-node@39370e3970a6d050c480ffad4ff0ed4d3fdee5af # v4.1.0
      - run: npm ci && npm test
`;

const RELEASE = `name: Release
on:
  push:
    tags: ['v*']
permissions:
  contents: read
jobs:
  publish:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
      attestations: write
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - run: npm ci && npm run build
      - uses: actions/attest-build-provenance@c074443f1aee8d4aeeae555aebba3282517141b2 # v2.2.3
        with:
          subject-path: dist/widget.tgz
      - run: npm publish --provenance
        env:
          NODE_AUTH_TOKEN: \${{ secrets.NPM_TOKEN }}
`;

export function widgetFiles(): Record<string, string | Buffer | { symlink: string }> {
  return {
    'README.md': '# widget\n',
    LICENSE: 'Apache License\nVersion 2.0, January 2004\nhttp://www.apache.org/licenses/\n',
    'SECURITY.md':
      '# Security policy\n\nReport vulnerabilities to security@acme.example or https://acme.example/security. We disclose fixed vulnerabilities within 90 days.\n',
    'package.json': '{ "name": "widget", "version": "1.1.0" }\n',
    '.github/workflows/ci.yml': CI,
    '.github/workflows/release.yml': RELEASE,
    '.github/dependabot.yml': 'version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule:\n      interval: weekly\n',
    Dockerfile: 'FROM node:20@sha256:0d5ee3a6e4a1e0b2d4a8f37bbf0d2d2bd8f1ba9d2f4e0d0a8a2ec4c0e0f5b5b5\nRUN npm ci\n',
    'scripts/install.sh': '#!/bin/sh\nset -e\ncurl -fsSL https://example.org/tool.sh | sh\n',
    'src/index.ts': 'export const widget = 1;\n',
    'tools/helper': Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]),
    'docs/guide.md': '# Guide\n',
    'link-to-readme': { symlink: 'README.md' },
  };
}

function commits(prefix: string, n: number, signed: boolean) {
  return Array.from({ length: n }, (_, i) => ({
    sha: hex(`${prefix}-commit-${i}`),
    date: daysAgo(i * 3 + 1),
    author: i % 3 === 0 ? 'alice' : i % 3 === 1 ? 'bob' : 'carol',
    ...(signed ? { signature: { kind: 'pgp' as const, valid: true, reason: 'valid' } } : {}),
  }));
}

function baseRepo(owner: string, name: string, id: number, extra: Partial<RepoSpec> = {}): RepoSpec {
  const cs = commits(`${owner}/${name}`, 12, true);
  return {
    owner,
    name,
    id,
    ownerType: 'Organization',
    defaultBranch: 'main',
    createdAt: daysAgo(800),
    pushedAt: daysAgo(1),
    license: 'Apache-2.0',
    files: widgetFiles(),
    commits: cs,
    tags: [
      {
        name: 'v1.1.0',
        commit: cs[0].sha,
        annotated: {
          sha: hex(`${name}-tag-110`),
          date: daysAgo(2),
          tagger: 'alice',
          signature: { kind: 'ssh', valid: true, reason: 'valid' },
        },
      },
      { name: 'v1.0.0', commit: cs[4].sha, annotated: { sha: hex(`${name}-tag-100`), date: daysAgo(30), tagger: 'bob' } },
      { name: 'v0.9.0', commit: cs[8].sha },
    ],
    pulls: Array.from({ length: 6 }, (_, i) => ({
      number: 40 - i,
      title: `Change ${i}`,
      author: i === 5 ? 'dependabot[bot]' : i % 2 ? 'bob' : 'carol',
      authorBot: i === 5,
      mergedBy: 'alice',
      mergedAt: daysAgo(i * 4 + 1),
      approvers: i === 4 ? [] : ['alice'],
      labels: i === 5 ? ['dependencies'] : [],
      checks: [
        { name: 'test', conclusion: 'SUCCESS' as const, app: 'github-actions' },
        { name: 'CodeQL', conclusion: 'SUCCESS' as const, app: 'github-code-scanning' },
      ],
      headSha: hex(`${name}-pr-head-${i}`),
      mergeSha: cs[i].sha,
    })),
    issues: [
      { createdAt: daysAgo(5), authorAssociation: 'NONE', comments: [{ createdAt: daysAgo(4), authorAssociation: 'MEMBER' }] },
      { createdAt: daysAgo(20), authorAssociation: 'OWNER' },
      { createdAt: daysAgo(200), authorAssociation: 'NONE', comments: [{ createdAt: daysAgo(10), authorAssociation: 'NONE' }] },
    ],
    releases: [
      {
        id: id * 10 + 1,
        tag: 'v1.1.0',
        target: 'main',
        createdAt: daysAgo(2),
        author: 'github-actions[bot]',
        authorType: 'Bot',
        assets: [
          {
            id: id * 100 + 1,
            name: 'widget-1.1.0.tgz',
            content: 'widget tarball 1.1.0',
            uploader: 'github-actions[bot]',
            uploaderType: 'Bot',
          },
          {
            id: id * 100 + 2,
            name: 'widget-1.1.0.tgz.asc',
            content: '-----BEGIN PGP SIGNATURE-----\n\n-----END PGP SIGNATURE-----\n',
            uploader: 'github-actions[bot]',
            uploaderType: 'Bot',
          },
        ],
      },
      {
        id: id * 10 + 2,
        tag: 'v1.0.0',
        target: 'release/1.0',
        createdAt: daysAgo(30),
        author: 'bob',
        assets: [{ id: id * 100 + 3, name: 'widget-1.0.0.tgz', content: 'widget tarball 1.0.0', uploader: 'bob' }],
      },
    ],
    hooks: [
      { id: 1, url: 'https://ci.acme.example/hook', secret: true, events: ['push', 'pull_request'] },
      { id: 2, url: 'http://user:pass@legacy.acme.example/notify', secret: false },
    ],
    workflowPermissions: { default_workflow_permissions: 'read', can_approve_pull_request_reviews: false },
    workflowRuns: [
      {
        id: 9001,
        path: '.github/workflows/release.yml',
        event: 'push',
        status: 'completed',
        conclusion: 'success',
        headSha: cs[0].sha,
        headBranch: 'v1.1.0',
        createdAt: daysAgo(2),
      },
      {
        id: 9002,
        path: '.github/workflows/ci.yml',
        event: 'pull_request',
        status: 'completed',
        conclusion: 'success',
        headSha: hex('prhead'),
        headBranch: 'feature',
        createdAt: daysAgo(3),
      },
    ],
    contributors: [
      { login: 'alice', contributions: 120 },
      { login: 'bob', contributions: 40 },
      { login: 'carol', contributions: 7 },
      { login: 'dependabot[bot]', contributions: 30, type: 'Bot' },
    ],
    ...extra,
  };
}

const ACME_DOTGITHUB: RepoSpec = {
  owner: 'acme',
  name: '.github',
  id: 100,
  defaultBranch: 'main',
  createdAt: daysAgo(900),
  pushedAt: daysAgo(100),
  files: {
    'profile/README.md': '# Acme\n',
    'SECURITY.md': '# Acme security\n\nEmail security@acme.example. Vulnerabilities are disclosed after a fix.\n',
  },
  commits: [{ sha: hex('acme-dotgithub'), date: daysAgo(100), author: 'alice' }],
};

const USERS = {
  alice: { company: '@acme', organizations: ['acme'] },
  bob: { company: 'Initech', organizations: ['initech'] },
  carol: { organizations: [] },
};

/** acme/widget: well protected through rulesets only (an org ruleset and a repository ruleset). */
export function rulesetsScenario(): Scenario {
  return {
    name: 'rulesets',
    tokens: TOKEN_SPECS,
    users: USERS,
    repos: [
      baseRepo('acme', 'widget', 1001, {
        rulesets: [
          {
            id: 11,
            name: 'org baseline',
            enforcement: 'active',
            source: { type: 'Organization', name: 'acme' },
            include: ['~DEFAULT_BRANCH', 'refs/heads/release/**'],
            rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }, { type: 'required_signatures' }],
          },
          {
            id: 12,
            name: 'main reviews',
            enforcement: 'active',
            include: ['~DEFAULT_BRANCH', 'refs/heads/release/**'],
            rules: [
              {
                type: 'pull_request',
                parameters: {
                  required_approving_review_count: 2,
                  dismiss_stale_reviews_on_push: true,
                  require_code_owner_review: true,
                  require_last_push_approval: true,
                  required_review_thread_resolution: false,
                },
              },
              {
                type: 'required_status_checks',
                parameters: {
                  strict_required_status_checks_policy: true,
                  required_status_checks: [{ context: 'test' }, { context: 'CodeQL' }],
                },
              },
            ],
          },
          { id: 13, name: 'trial', enforcement: 'evaluate', include: ['~ALL'], rules: [{ type: 'required_linear_history' }] },
          {
            id: 14,
            name: 'release tags',
            target: 'tag',
            enforcement: 'active',
            include: ['refs/tags/v*'],
            rules: [{ type: 'update' }, { type: 'deletion' }, { type: 'creation' }],
          },
        ],
        ownerTwoFactor: true,
      }),
      ACME_DOTGITHUB,
      // A user-owned repository (attestations are listed through /users/{username}/…).
      baseRepo('bob', 'tool', 1006, { ownerType: 'User' }),
    ],
  };
}

/** acme/classic: classic branch protection only (seen fully by an admin, partly by readers). */
export function classicScenario(): Scenario {
  return {
    name: 'classic',
    tokens: TOKEN_SPECS,
    users: USERS,
    repos: [
      baseRepo('acme', 'classic', 1002, {
        classic: {
          main: {
            allowForcePushes: false,
            allowDeletions: false,
            requiredApprovals: 1,
            dismissStale: true,
            codeOwners: false,
            lastPushApproval: false,
            statusChecks: ['test'],
            strict: true,
            enforceAdmins: true,
            signatures: false,
            linearHistory: true,
          },
        },
      }),
      ACME_DOTGITHUB,
    ],
  };
}

export function archivedScenario(): Scenario {
  return {
    name: 'archived',
    tokens: TOKEN_SPECS,
    users: USERS,
    repos: [baseRepo('acme', 'old-widget', 1003, { archived: true, pushedAt: daysAgo(400), releases: [] }), ACME_DOTGITHUB],
  };
}

export function emptyScenario(): Scenario {
  return {
    name: 'empty',
    tokens: TOKEN_SPECS,
    users: USERS,
    repos: [
      {
        owner: 'acme',
        name: 'empty',
        id: 1004,
        defaultBranch: 'main',
        createdAt: daysAgo(3),
        pushedAt: daysAgo(3),
        empty: true,
        files: {},
        commits: [],
      },
      ACME_DOTGITHUB,
    ],
  };
}

export function privateScenario(): Scenario {
  return { name: 'private', tokens: TOKEN_SPECS, users: USERS, repos: [baseRepo('acme', 'secret', 1005, { private: true })] };
}

/**
 * slsa-framework/example-package (the repository the real provenance samples were built from):
 * v14 attested (GitHub's attestations API has the real bundle for one asset; a `.intoto.jsonl`
 * asset covers another), v13 signed (.sig / .asc assets), v12 with neither.
 */
export function releasesScenario(opts: { tampered?: boolean } = {}): Scenario {
  const repo = baseRepo('slsa-framework', 'example-package', 2001, {
    rulesets: [
      {
        id: 21,
        name: 'protect main',
        enforcement: 'active',
        include: ['~DEFAULT_BRANCH'],
        rules: [{ type: 'deletion' }, { type: 'non_fast_forward' }],
      },
    ],
  });
  const bot = { uploader: 'github-actions[bot]', uploaderType: 'Bot' as const };
  repo.releases = [
    {
      id: 301,
      tag: 'v14',
      target: 'main',
      createdAt: daysAgo(3),
      author: 'github-actions[bot]',
      authorType: 'Bot',
      assets: [
        { id: 3011, name: 'gha_container-based-binary-linux-amd64-v14', content: '', ...bot },
        {
          id: 3012,
          name: 'gha_generic-binary-linux-amd64-v14',
          content: 'generic binary (bytes not shipped)',
          digest: `sha256:${GENERIC_SHA256}`,
          ...bot,
        },
        { id: 3013, name: 'gha_generic-binary-linux-amd64-v14.intoto.jsonl', content: GENERIC_JSONL, ...bot },
      ],
    },
    {
      id: 302,
      tag: 'v13',
      target: 'main',
      createdAt: daysAgo(20),
      author: 'alice',
      assets: [
        { id: 3021, name: 'example-v13.tar.gz', content: 'example 13', uploader: 'alice' },
        { id: 3022, name: 'example-v13.tar.gz.sig', content: 'sig', uploader: 'alice' },
        { id: 3023, name: 'example-v13.tar.gz.asc', content: 'asc', uploader: 'alice' },
      ],
    },
    {
      id: 303,
      tag: 'v12',
      target: 'main',
      createdAt: daysAgo(40),
      author: 'alice',
      assets: [{ id: 3031, name: 'example-v12.tar.gz', content: 'example 12', uploader: 'alice' }],
    },
  ];
  repo.attestations = { [EMPTY_SHA256]: [opts.tampered ? tamperedBundle() : CONTAINER_BUNDLE] };
  return { name: opts.tampered ? 'tampered' : 'releases', tokens: TOKEN_SPECS, users: USERS, repos: [repo] };
}

export const ALL_SCENARIOS = (): Scenario[] => [
  rulesetsScenario(),
  classicScenario(),
  archivedScenario(),
  emptyScenario(),
  privateScenario(),
  releasesScenario(),
];
