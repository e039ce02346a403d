/**
 * Every scenario through assess() with the built-in checks and the GitHub source pointed at the
 * fake GitHub: what the facts say, per token, and what it cost.
 */
import { describe, expect, test } from 'vitest';
import { SourceError } from '../../../src/sources/remote.js';
import { NEEDS } from '../../../src/sources/github/permissions.js';
import type { BranchProtection } from '../../../src/facts/platform.js';
import type { Fact } from '../../../src/facts/fact.js';
import { benchGitHub } from '../../fake-github/bench.js';
import {
  archivedScenario,
  classicScenario,
  EMPTY_SHA256,
  emptyScenario,
  GENERIC_SHA256,
  privateScenario,
  releasesScenario,
  rulesetsScenario,
  TOKENS,
} from '../../fake-github/scenarios.js';
import { assessFully, checkScore, GITHUB_FACTS, sourceFor, value, withFake } from './helpers.js';

const settingKeys: Array<keyof BranchProtection> = [
  'protected',
  'allowForcePush',
  'allowDeletion',
  'requirePullRequest',
  'requiredApprovals',
  'requireCodeOwnerReview',
  'dismissStaleReviews',
  'requireLastPushApproval',
  'requiredStatusChecks',
  'requireUpToDate',
  'enforceAdmins',
  'requireSignedCommits',
  'requireLinearHistory',
];

function settings(bp: BranchProtection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of settingKeys) {
    const s = bp[k] as { known: boolean; value?: unknown; needs?: string };
    out[k] = s.known ? s.value : `unknown: ${s.needs}`;
  }
  return out;
}

const ADMIN_UNKNOWN = `unknown: ${NEEDS.admin}`;

describe('rulesets only (acme/widget)', () => {
  test('a read-only fine-grained token sees the protection completely, except who may bypass', async () => {
    await withFake({ scenarios: [rulesetsScenario()] }, async (fake) => {
      const src = await sourceFor(fake, 'acme/widget', TOKENS.fineRead);
      const { assessment, facts } = await assessFully(src);
      const [main, release] = value(facts.branchProtection);
      expect(main.branch).toBe('main');
      expect(main.sources).toEqual(['rules-for-branch', 'rulesets']);
      expect(settings(main)).toEqual({
        protected: true,
        allowForcePush: false,
        allowDeletion: false,
        requirePullRequest: true,
        requiredApprovals: 2,
        requireCodeOwnerReview: true,
        dismissStaleReviews: true,
        requireLastPushApproval: true,
        requiredStatusChecks: ['CodeQL', 'test'],
        requireUpToDate: true,
        enforceAdmins: ADMIN_UNKNOWN, // bypass actors are shown only to ruleset editors
        requireSignedCommits: true,
        requireLinearHistory: false, // the "evaluate" ruleset does not count
      });
      // The release branch (target of release v1.0.0) is covered by the release/** pattern.
      expect(release).toMatchObject({ branch: 'release/1.0', isDefault: false, protected: { known: true, value: true } });
      expect(settings(release).requiredApprovals).toBe(2);
      expect(checkScore(assessment, 'Branch-Protection')).not.toBeNull();
      // Everything else the API knows, too.
      expect(value(facts.repository)).toMatchObject({
        platform: 'github',
        repo: 'acme/widget',
        defaultBranch: 'main',
        archived: false,
        license: 'Apache-2.0',
      });
      expect(value(facts.files).map((f) => f.path)).toContain('.github/workflows/release.yml');
      expect(value(facts.files).find((f) => f.path === 'link-to-readme')?.kind).toBe('symlink');
      expect(value(facts.tags)).toMatchObject([
        { name: 'v1.1.0', annotated: true, signature: 'ssh', verified: true },
        { name: 'v1.0.0', annotated: true, signature: null },
        { name: 'v0.9.0', annotated: false, signature: null },
      ]);
      expect(value(facts.recentCommits)[0]).toMatchObject({ signature: 'pgp', verified: true });
      expect(value(facts.orgSecurityPolicy)).toMatchObject({ path: 'SECURITY.md', text: expect.stringContaining('security@acme.example') });
      const merged = value(facts.mergedChanges);
      expect(merged).toHaveLength(6);
      expect(merged[0]).toMatchObject({
        approvers: ['alice'],
        checks: [{ name: 'test', conclusion: 'success', app: 'github-actions' }, { name: 'CodeQL' }],
      });
      expect(merged.find((m) => m.author?.login === 'dependabot[bot]')?.author?.bot).toBe(true);
      expect(value(facts.activity)).toMatchObject({ recentCommits: 12, maintainerIssueActivity: 2 });
      expect(value(facts.contributors)).toEqual([
        { login: 'alice', commits: 120, company: '@acme', organizations: ['acme'] },
        { login: 'bob', commits: 40, company: 'Initech', organizations: ['initech'] },
        { login: 'carol', commits: 7, organizations: [] },
      ]);
      expect(value(facts.workflowRuns)[0]).toMatchObject({ workflow: '.github/workflows/release.yml', conclusion: 'success' });
      expect(value(facts.platform)).toMatchObject({ kind: 'github.com', authenticated: true });
      // Admin-only facts: unknown with the permission, without spending a request on a known 404.
      expect(facts.webhooks).toMatchObject({ known: false, needs: NEEDS.webhooks });
      expect(value(facts.ciTokenPolicy).defaultPermissions).toMatchObject({ known: false, needs: NEEDS.admin });
      expect(fake.requests.some((r) => r.path.includes('/hooks'))).toBe(false);
      // Tag rulesets come with the same query; who may bypass them, and the org's 2FA rule, are for admins/owners.
      expect(value(facts.tagProtection)).toEqual([
        {
          source: 'github-ruleset',
          name: 'release tags',
          include: ['refs/tags/v*'],
          exclude: [],
          enforced: true,
          updateBlocked: { known: true, value: true },
          deletionBlocked: { known: true, value: true },
          creationRestricted: { known: true, value: true },
          bypassActors: { known: false, reason: expect.stringMatching(/bypass/), needs: NEEDS.admin },
        },
      ]);
      expect(value(facts.ownerSettings)).toMatchObject({
        kind: 'organization',
        name: 'acme',
        twoFactorRequired: { known: false, needs: NEEDS.orgOwner },
      });
      // The default branch's rules came with the repository query (Ref.rules), not from REST.
      expect(fake.requests.some((r) => r.path.includes('/rules/branches/'))).toBe(false);
      // Request economy: every GitHub fact of a full assessment, ≤ 10 requests (Scorecard: ~70).
      expect(assessment.requests.total).toBeLessThanOrEqual(10);
      expect(assessment.requests.graphql).toBeLessThanOrEqual(2);
      expect(assessment.requests.total).toBe(fake.requests.filter((r) => !r.path.startsWith('/_')).length);
      for (const n of GITHUB_FACTS) expect(facts[n].known, `${n}: ${JSON.stringify(facts[n])}`).toBe(n !== 'webhooks');
    });
  });

  test('an admin token also learns that nobody may bypass the rulesets, and reads hooks and token policy', async () => {
    await withFake({ scenarios: [rulesetsScenario()] }, async (fake) => {
      const src = await sourceFor(fake, 'acme/widget', TOKENS.admin);
      const { facts } = await assessFully(src);
      expect(value(facts.branchProtection)[0].enforceAdmins).toEqual({ known: true, value: true });
      expect(value(facts.tagProtection)[0].bypassActors).toEqual({ known: true, value: 0 });
      expect(value(facts.ownerSettings).twoFactorRequired).toEqual({ known: true, value: true });
      const user = await assessFully(await sourceFor(fake, 'bob/tool', TOKENS.admin));
      expect(value(user.facts.ownerSettings)).toMatchObject({ kind: 'user', name: 'bob', twoFactorRequired: { known: false } });
      expect(value(user.facts.tagProtection)).toEqual([]);
      expect(value(facts.webhooks)).toEqual([
        {
          id: '1',
          host: 'ci.acme.example',
          active: true,
          hasSecret: { known: true, value: true },
          sslVerification: true,
          events: ['push', 'pull_request'],
        },
        // Credentials in a hook URL never reach the facts: host only.
        {
          id: '2',
          host: 'legacy.acme.example',
          active: true,
          hasSecret: { known: true, value: false },
          sslVerification: true,
          events: ['push'],
        },
      ]);
      expect(value(facts.ciTokenPolicy)).toEqual({
        defaultPermissions: { known: true, value: 'read' },
        canApprovePullRequests: { known: true, value: false },
      });
      expect(value(facts.platform).tokenScopes).toEqual(['repo', 'read:org']);
    });
  });
});

describe('classic protection (acme/classic)', () => {
  const adminView = {
    protected: true,
    allowForcePush: false,
    allowDeletion: false,
    requirePullRequest: true,
    requiredApprovals: 1,
    requireCodeOwnerReview: false,
    dismissStaleReviews: true,
    requireLastPushApproval: false,
    requiredStatusChecks: ['test'],
    requireUpToDate: true,
    enforceAdmins: true,
    requireSignedCommits: false,
    requireLinearHistory: true,
  };

  test('an admin token sees every classic setting', async () => {
    await withFake({ scenarios: [classicScenario()] }, async (fake) => {
      const { facts } = await assessFully(await sourceFor(fake, 'acme/classic', TOKENS.admin));
      const main = value(facts.branchProtection)[0];
      expect(main.sources).toEqual(['classic']);
      expect(settings(main)).toEqual(adminView);
    });
  });

  for (const [kind, token] of [
    ['classic', TOKENS.read],
    ['fine-grained', TOKENS.fineRead],
  ] as const) {
    test(`the same repository seen by a read-only ${kind} token: admin-only settings are Unknown with the permission, never false`, async () => {
      await withFake({ scenarios: [classicScenario()] }, async (fake) => {
        const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/classic', token));
        const seen = settings(value(facts.branchProtection)[0]);
        expect(seen).toEqual({
          ...adminView,
          dismissStaleReviews: ADMIN_UNKNOWN,
          requireLastPushApproval: ADMIN_UNKNOWN,
          requireUpToDate: ADMIN_UNKNOWN,
          enforceAdmins: ADMIN_UNKNOWN,
        });
        // Nothing the admin sees as enforced is reported as not enforced.
        for (const [k, v] of Object.entries(seen)) if (typeof v !== 'string') expect(v, k).toEqual(adminView[k as keyof typeof adminView]);
        // The check does not fail on what it cannot see: the assessment lists the permission once.
        expect(assessment.unknowns.some((u) => u.needs === NEEDS.admin)).toBe(true);
      });
    });
  }
});

test('an archived repository', async () => {
  await withFake({ scenarios: [archivedScenario()] }, async (fake) => {
    const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/old-widget', TOKENS.read));
    expect(value(facts.repository)).toMatchObject({ archived: true, repo: 'acme/old-widget' });
    // The repository query counted no releases: the releases fact is known empty without a request.
    expect(value(facts.releases)).toEqual([]);
    expect(fake.requests.some((r) => /\/releases(\?|$)/.test(r.path))).toBe(false);
    if (assessment.checks.some((c) => c.name === 'Maintained')) expect(checkScore(assessment, 'Maintained')).toBe(0);
  });
});

test('an empty repository: no commit, no files, no protection to read — and no wasted requests', async () => {
  await withFake({ scenarios: [emptyScenario()] }, async (fake) => {
    const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/empty', TOKENS.read));
    expect(value(facts.repository)).toMatchObject({ empty: true });
    expect(facts.commit).toMatchObject({ known: false, reason: expect.stringContaining('empty') });
    for (const n of [
      'files',
      'tags',
      'recentCommits',
      'branchProtection',
      'mergedChanges',
      'releases',
      'attestations',
      'workflowRuns',
      'contributors',
    ] as const) {
      expect(value(facts[n] as Fact<unknown[]>), n).toEqual([]);
    }
    expect(assessment.target.commit).toBeNull();
    expect(assessment.requests).toMatchObject({ total: 1, graphql: 1 });
  });
});

describe('releases: signed, attested, neither (slsa-framework/example-package)', () => {
  test('attestations from the API and provenance assets are verified; signatures and uploaders are read', async () => {
    await withFake({ scenarios: [releasesScenario()] }, async (fake) => {
      const { assessment, facts } = await assessFully(await sourceFor(fake, 'slsa-framework/example-package', TOKENS.read));
      const releases = value(facts.releases);
      expect(releases.map((r) => r.tag)).toEqual(['v14', 'v13', 'v12']);
      expect(releases[0].assets[0]).toMatchObject({
        digest: `sha256:${EMPTY_SHA256}`,
        uploader: { login: 'github-actions[bot]', bot: true },
      });
      expect(releases[1].assets.map((a) => a.name)).toEqual(['example-v13.tar.gz', 'example-v13.tar.gz.sig', 'example-v13.tar.gz.asc']);
      const atts = value(facts.attestations);
      // The real bundle from GitHub's attestations API: verifies, trusted generator → Build L3.
      expect(atts.find((a) => a.source === 'github-attestations-api')).toMatchObject({
        release: 'v14',
        artifact: 'gha_container-based-binary-linux-amd64-v14',
        digest: `sha256:${EMPTY_SHA256}`,
        state: 'verified',
        buildLevel: 3,
        sourceRepo: 'github.com/slsa-framework/example-package',
        builder: { trusted: true },
      });
      // The .intoto.jsonl asset: its subject matches the release asset with that digest. Without
      // its Rekor entry it cannot be fully verified offline: unverifiable, not verified.
      expect(atts.find((a) => a.source === 'release-asset')).toMatchObject({
        artifact: 'gha_generic-binary-linux-amd64-v14',
        digest: `sha256:${GENERIC_SHA256}`,
        state: 'unverifiable',
      });
      expect(checkScore(assessment, 'Signed-Releases')).not.toBeNull();
      expect(assessment.requests.total).toBeLessThanOrEqual(10);
    });
  });

  test('a tampered attestation does not verify', async () => {
    await withFake({ scenarios: [releasesScenario({ tampered: true })] }, async (fake) => {
      const { facts } = await assessFully(await sourceFor(fake, 'slsa-framework/example-package', TOKENS.read));
      const api = value(facts.attestations).find((a) => a.source === 'github-attestations-api');
      expect(api).toMatchObject({ state: 'signature-invalid', buildLevel: 0 });
      expect(api!.errors.join(' ')).toMatch(/signature/i);
    });
  });
});

describe('private repository', () => {
  test('without a token: a clear auth error naming the variable and permissions', async () => {
    await withFake({ scenarios: [privateScenario()] }, async (fake) => {
      const err = await sourceFor(fake, 'acme/secret', undefined).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(SourceError);
      expect(err).toMatchObject({
        kind: 'auth',
        message:
          'github.com/acme/secret was not found or is private: set GITHUB_TOKEN (fine-grained: Metadata: read, Contents: read; classic: repo)',
      });
    });
  });

  test('with a token that can read it: assessed; with a rejected token: auth error', async () => {
    await withFake({ scenarios: [privateScenario()] }, async (fake) => {
      const { facts } = await assessFully(await sourceFor(fake, 'acme/secret', TOKENS.read));
      expect(value(facts.repository).visibility).toBe('private');
      const err = await sourceFor(fake, 'acme/secret', 'ghp_NotAValidToken0000000000000000000000').catch((e: unknown) => e);
      expect(err).toMatchObject({ kind: 'auth', message: expect.stringContaining('401') });
      const missing = await sourceFor(fake, 'acme/nothing-here', TOKENS.read).catch((e: unknown) => e);
      expect(missing).toMatchObject({ kind: 'not-found' });
    });
  });
});

test('without a token, a public repository is assessed through REST only (GraphQL needs authentication)', async () => {
  await withFake({ scenarios: [rulesetsScenario()] }, async (fake) => {
    const notes: string[] = [];
    const { assessment, facts } = await assessFully(await sourceFor(fake, 'acme/widget', undefined, { log: (l) => notes.push(l) }));
    expect(notes.join('\n')).toMatch(/unauthenticated requests \(60 per hour\)/);
    expect(assessment.requests.graphql).toBe(0);
    expect(fake.requests.some((r) => r.path === '/graphql')).toBe(false);
    expect(value(facts.files).length).toBeGreaterThan(5);
    expect(value(facts.tags)[0]).toMatchObject({ name: 'v1.1.0', verified: true });
    expect(value(facts.recentCommits)).toHaveLength(12);
    expect(value(facts.branchProtection)[0]).toMatchObject({
      requiredApprovals: { known: true, value: 2 },
      enforceAdmins: { known: false, needs: NEEDS.token },
    });
    expect(value(facts.orgSecurityPolicy)).toMatchObject({ path: 'SECURITY.md' });
    expect(fake.requests.some((r) => r.path.startsWith('/repos/acme/widget/rules/branches/main'))).toBe(true);
    expect(facts.tagProtection).toMatchObject({ known: false, needs: NEEDS.token });
    expect(value(facts.ownerSettings).twoFactorRequired).toMatchObject({ known: false, needs: NEEDS.token });
    expect(facts.mergedChanges).toMatchObject({ known: false, needs: NEEDS.token });
    expect(facts.activity).toMatchObject({ known: false, needs: NEEDS.token });
  });
});

test('bench figure: mean requests per repository for a full assessment, read token ≤ 10 (Scorecard: ~70)', async () => {
  const r = await benchGitHub({ tokens: ['read', 'admin'] });
  expect(r.rows.length).toBe(12);
  expect(r.requestsPerRepo).toBeLessThanOrEqual(10);
  expect(r.graphql).toBeLessThanOrEqual(2);
  // With an admin token 2 more (webhooks, Actions token policy).
  for (const row of r.rows) expect(row.total, `${row.repo} (${row.token})`).toBeLessThanOrEqual(row.token === 'admin' ? 12 : 10);
}, 30_000);
