/**
 * Each GitLab scenario through assess() with the built-in checks and the GitLab source pointed at
 * the fake: the facts exactly as GitLab's settings say (and Unknowns with what would unlock them
 * where the tier or the token's role cannot see), the checks' evidence and findings built on them,
 * and the requests one full assessment costs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { known, unknown } from '../../../src/facts/fact.js';
import { startFakeGitLab, type FakeGitLab } from '../../fake-gitlab/server.js';
import { ARTIFACT_SHA256, GITLAB_COM, LEGACY_REMOTE_LINE, SELF_MANAGED, TOKENS } from '../../fixtures/gitlab/scenarios.js';
import { withTagsAndGroups } from './fixtures.js';
import { assessAll, check, gitlabSource, val } from './helpers.js';

let fake: FakeGitLab;
let selfManaged: FakeGitLab;

beforeAll(async () => {
  fake = await startFakeGitLab({ scenarios: withTagsAndGroups(GITLAB_COM) });
  selfManaged = await startFakeGitLab({ scenarios: SELF_MANAGED });
});
afterAll(async () => {
  await fake.close();
  await selfManaged.close();
});

const MAX_REQUESTS = 15;

/** A GitLab protected tag as the source maps it: nobody moves or deletes it by push; who creates it varies. */
const protectedTag = (name: string, creationRestricted: boolean) => ({
  source: 'gitlab-protected-tag',
  name,
  include: [name],
  exclude: [],
  enforced: true,
  updateBlocked: known(true),
  deletionBlocked: known(true),
  creationRestricted: known(creationRestricted),
});

describe('Free tier, protected default branch (Maintainer token)', () => {
  it('reads the real protected-branch settings; approval and push rules are Unknown "needs GitLab Premium"', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/widget', token: TOKENS.maintainer });
    const { assessment, facts } = await assessAll(src);

    const [bp] = val(facts.branchProtection);
    expect(bp.branch).toBe('main');
    expect(bp.isDefault).toBe(true);
    expect(bp.sources).toEqual(['gitlab-protected-branch', 'gitlab-project-settings']);
    expect(bp.protected).toEqual(known(true));
    expect(bp.allowForcePush).toEqual(known(false));
    expect(bp.allowDeletion).toEqual(known(false));
    // Maintainers may push: changes need not go through a merge request, and the rules do not bind maintainers.
    expect(bp.requirePullRequest).toEqual(known(false));
    expect(bp.enforceAdmins).toEqual(known(false));
    expect(bp.requiredStatusChecks).toEqual(known(['pipeline must succeed']));
    expect(bp.requireUpToDate).toEqual(known(true));
    expect(bp.requireLinearHistory).toEqual(known(false));
    const premium = unknown('approval rules: a GitLab Premium feature, not available on GitLab Free (HTTP 403)', 'GitLab Premium');
    expect(bp.requiredApprovals).toEqual(premium);
    for (const s of [bp.dismissStaleReviews, bp.requireLastPushApproval, bp.preventAuthorApproval]) {
      expect(s).toEqual(
        unknown('merge request approval settings: a GitLab Premium feature, not available on GitLab Free (HTTP 403)', 'GitLab Premium'),
      );
    }
    expect(bp.requireSignedCommits).toEqual(
      unknown('push rules: a GitLab Premium feature, not available on GitLab Free (HTTP 403)', 'GitLab Premium'),
    );
    expect(bp.requireCodeOwnerReview).toEqual(
      unknown('code-owner approval: a GitLab Premium setting, not available on GitLab Free', 'GitLab Premium'),
    );

    const platform = val(facts.platform);
    expect(platform).toEqual({ kind: 'gitlab.com', version: '18.6.0-pre', tier: known('free'), authenticated: true });

    expect(val(facts.repository)).toMatchObject({
      platform: 'gitlab',
      host: 'gitlab.com',
      repo: 'acme/widget',
      url: 'https://gitlab.com/acme/widget',
      defaultBranch: 'main',
      archived: false,
      visibility: 'public',
      license: 'Apache-2.0',
      pipelinesMustSucceed: true,
    });
    expect(val(facts.repository).ciConfigPath).toBeUndefined();

    // Files from the archive at the assessed commit; the symlink is listed, never followed.
    const files = val(facts.files);
    expect(files.map((f) => f.path)).toEqual([
      '.gitlab-ci.yml',
      'LICENSE',
      'README.md',
      'SECURITY.md',
      'docs/link.md',
      'go.mod',
      'main.go',
      'main_test.go',
      'renovate.json',
      'scripts/release.sh',
    ]);
    expect(files.find((f) => f.path === 'docs/link.md')?.kind).toBe('symlink');
    expect(val(facts.commit)).toBe(GITLAB_COM.projects[0].commits[0].id);

    const tags = val(facts.tags);
    expect(tags.map((t) => [t.name, t.annotated, t.signature])).toEqual([
      ['v1.1.0', true, null],
      ['v1.0.0', false, null],
    ]);
    expect(tags[0].signatureUnknown).toMatch(/X\.509 tag signatures only/);
    // `v*` is protected and only Maintainers create matching tags; group acme does not require 2FA.
    expect(val(facts.tagProtection)).toEqual([protectedTag('v*', true)]);
    expect(val(facts.ownerSettings)).toEqual({ kind: 'group', name: 'acme', twoFactorRequired: known(false) });

    expect(val(facts.webhooks)).toEqual([
      {
        id: '1',
        host: 'ci.acme.example',
        active: true,
        hasSecret: unknown('GitLab does not reveal whether a hook has a secret token'),
        sslVerification: true,
        events: ['push', 'merge_requests'],
      },
      {
        id: '2',
        host: 'chat.acme.example',
        active: true,
        hasSecret: unknown('GitLab does not reveal whether a hook has a secret token'),
        sslVerification: false,
        events: ['pipeline'],
      },
    ]);
    expect(val(facts.ciTokenPolicy)).toEqual({ jobTokenScopeLimited: known(true) });
    expect(val(facts.orgSecurityPolicy)).toBeNull();
    expect(val(facts.contributors)).toEqual([
      { login: 'Alice Example', commits: 40, company: 'acme.example', organizations: [] },
      { login: 'Bob Builder', commits: 12, organizations: [] },
      { login: 'Carol Coder', commits: 7, company: 'bigcorp.example', organizations: [] },
    ]);

    const mrs = val(facts.mergedChanges);
    expect(mrs.map((m) => [m.number, m.author?.login, m.mergedBy?.login, m.approvers, m.checks?.[0].conclusion])).toEqual([
      [41, 'bob', 'alice', ['alice'], 'success'],
      [40, 'alice', 'alice', [], 'success'],
      [39, 'renovate-bot', 'bob', ['bob'], 'failure'],
    ]);
    expect(mrs[2].author?.bot).toBe(true);
    expect(mrs[2].labels).toEqual(['dependencies']);

    const runs = val(facts.workflowRuns);
    expect(runs.map((r) => [r.headBranch, r.event, r.conclusion])).toEqual([
      ['main', 'push', 'success'],
      ['feature-41', 'merge_request_event', 'success'],
      ['v1.1.0', 'push', 'failure'],
    ]);
    expect(runs[0].workflow).toBe('.gitlab-ci.yml');
    // Issue #7 was updated by a maintainer (alice), #6 opened by a developer (bob); #5 is older than 90 days.
    expect(val(facts.activity)).toMatchObject({ recentCommits: 23, maintainerIssueActivity: 2 });
    expect(val(facts.releases)).toEqual([]);
    expect(val(facts.attestations)).toEqual([]);

    // The checks read the same facts.
    expect(check(assessment, 'Security-Policy').score).toBe(10);
    expect(check(assessment, 'Dependency-Update-Tool').score).toBe(10);
    expect(check(assessment, 'Pinned-Dependencies').score).toBe(10);
    expect(assessment.target).toMatchObject({
      platform: 'gitlab',
      host: 'gitlab.com',
      repo: 'acme/widget',
      source: 'gitlab-api',
      branch: 'main',
    });

    // 14 since protected tags are read (+1); the group's 2FA requirement comes with the GraphQL request.
    expect(assessment.requests.total).toBe(14);
    expect(assessment.requests).toEqual({ total: 14, rest: 13, graphql: 1, cached: 0, retries: 0 });
  });
});

describe('Premium project with approval rules and push rules (Owner token)', () => {
  it('knows approvals, approval settings, push rules and code owners', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/bigcorp/platform', token: TOKENS.maintainer });
    const { assessment, facts } = await assessAll(src);
    const [bp] = val(facts.branchProtection);
    expect(bp).toEqual({
      branch: 'main',
      isDefault: true,
      sources: [
        'gitlab-protected-branch',
        'gitlab-approval-rules',
        'gitlab-approval-settings',
        'gitlab-push-rules',
        'gitlab-project-settings',
      ],
      protected: known(true),
      allowForcePush: known(false),
      allowDeletion: known(false),
      requirePullRequest: known(true),
      // "Security" (2 approvals, all protected branches) is the strictest rule; the report_approver rule is for findings.
      requiredApprovals: known(2),
      requireCodeOwnerReview: known(true),
      dismissStaleReviews: known(true),
      requireLastPushApproval: known(true),
      preventAuthorApproval: known(true),
      requiredStatusChecks: known(['pipeline must succeed']),
      requireUpToDate: known(true),
      enforceAdmins: known(true),
      requireSignedCommits: known(true),
      requireLinearHistory: known(true),
    });
    // The Owner sees the group's plan.
    expect(val(facts.platform).tier).toEqual(known('premium'));
    expect(val(facts.ciTokenPolicy)).toEqual({ jobTokenScopeLimited: known(false) });
    expect(val(facts.webhooks)).toEqual([]);
    const tags = val(facts.tags);
    expect(tags[0]).toMatchObject({ name: 'v3.0.0', annotated: true, signature: 'pgp', verified: null });
    // `v*`: no role may create, one user (the release bot) may — restricted; `nightly-*` lets Developers create — not.
    expect(val(facts.tagProtection)).toEqual([protectedTag('v*', true), protectedTag('nightly-*', false)]);
    expect(val(facts.ownerSettings)).toEqual({ kind: 'group', name: 'bigcorp', twoFactorRequired: known(true) });

    expect(check(assessment, 'Branch-Protection').score).toBe(10);
    expect(check(assessment, 'Code-Review').score).toBe(10);
    expect(assessment.requests.total).toBeLessThanOrEqual(MAX_REQUESTS);
    // 13 before protected tags were read.
    expect(assessment.requests.total).toBe(14);
  });
});

describe('private Premium project seen by a Reporter, then a Guest', () => {
  it('Reporter: settings its role cannot see are Unknown with the role that unlocks them, never false', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/bigcorp/secret-sauce', token: TOKENS.reporter });
    const { assessment, facts } = await assessAll(src);
    const [bp] = val(facts.branchProtection);
    const developer = unknown(
      'protected branch settings: needs the Developer role; the token has Reporter (HTTP 403)',
      'the Developer role on the project (Maintainer on older GitLab versions)',
    );
    // Whether the branch is protected comes from the branch itself, which any reader sees.
    expect(bp.protected).toEqual(known(true));
    expect(bp.allowDeletion).toEqual(known(false));
    expect(bp.sources).toContain('gitlab-branch');
    for (const s of [bp.allowForcePush, bp.requirePullRequest, bp.requireCodeOwnerReview, bp.enforceAdmins]) expect(s).toEqual(developer);
    // Approval settings and rules are readable by any member on Premium.
    expect(bp.requiredApprovals).toEqual(known(1));
    expect(bp.dismissStaleReviews).toEqual(known(true));
    expect(bp.requireSignedCommits).toEqual(
      unknown('push rules: needs the Maintainer role; the token has Reporter (HTTP 403)', 'the Maintainer role on the project'),
    );
    expect(facts.webhooks).toEqual(
      unknown('project webhooks: needs the Maintainer role; the token has Reporter (HTTP 403)', 'the Maintainer role on the project'),
    );
    expect(val(facts.ciTokenPolicy).jobTokenScopeLimited).toEqual(
      unknown(
        'the CI/CD job token scope: needs the Maintainer role; the token has Reporter (HTTP 403)',
        'the Maintainer role on the project',
      ),
    );
    const tier = val(facts.platform).tier!;
    expect(tier.known).toBe(false);
    expect(!tier.known && tier.reason).toMatch(/^at least GitLab Premium \(approval settings readable, approval rules readable\)/);
    expect(!tier.known && tier.needs).toBe('the Owner role on the top-level group (its plan)');

    expect(facts.tagProtection).toEqual(
      unknown('protected tag settings: needs the Maintainer role; the token has Reporter (HTTP 403)', 'the Maintainer role on the project'),
    );
    // A member of a project in the group sees the group's settings.
    expect(val(facts.ownerSettings)).toEqual({ kind: 'group', name: 'bigcorp', twoFactorRequired: known(true) });

    expect(check(assessment, 'Webhooks').score).toBeNull();
    expect(check(assessment, 'Webhooks').unknowns[0]).toMatchObject({ fact: 'webhooks', needs: 'the Maintainer role on the project' });
    expect(assessment.unknowns.some((u) => u.needs === 'the Maintainer role on the project')).toBe(true);
    // No namespace lookup for a non-owner: 13 REST (incl. the branch fallback and the refused protected tags) + 1 GraphQL.
    expect(assessment.requests.total).toBe(14);
  });

  it('Guest: the code itself is out of reach (private project), and says so', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/bigcorp/secret-sauce', token: TOKENS.guest });
    const { facts } = await assessAll(src);
    expect(facts.commit).toEqual(
      unknown('the repository: needs the Reporter role; the token has Guest (HTTP 403)', 'the Reporter role on the project'),
    );
    expect(facts.tags).toEqual(
      unknown('tags: needs the Reporter role; the token has Guest (HTTP 403)', 'the Reporter role on the project'),
    );
    expect(facts.files.known).toBe(false);
    const [bp] = val(facts.branchProtection);
    expect(bp.protected.known).toBe(false);
    expect(bp.allowForcePush).toEqual(
      unknown(
        'protected branch settings: needs the Developer role; the token has Guest (HTTP 403)',
        'the Developer role on the project (Maintainer on older GitLab versions)',
      ),
    );
    expect(facts.webhooks).toEqual(
      unknown('project webhooks: needs the Maintainer role; the token has Guest (HTTP 403)', 'the Maintainer role on the project'),
    );
  });
});

describe('nested groups', () => {
  it('group/sub/project by its URL-encoded path, anonymously: public data known, the rest needs a token', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/group/sub/project' });
    const { assessment, facts } = await assessAll(src);
    expect(fake.requests.some((r) => r.path === '/api/v4/projects/group%2Fsub%2Fproject')).toBe(true);
    expect(val(facts.repository)).toMatchObject({ repo: 'group/sub/project', url: 'https://gitlab.com/group/sub/project' });
    expect(val(facts.files).map((f) => f.path)).toEqual(['.gitlab-ci.yml', 'README.md', 'requirements.txt']);
    const [bp] = val(facts.branchProtection);
    expect(bp.protected).toEqual(known(true));
    expect(bp.allowForcePush).toEqual(
      unknown(
        'protected branch settings: not visible without authentication (HTTP 401)',
        'a GITLAB_TOKEN with the read_api scope and the Developer role on the project (Maintainer on older GitLab versions)',
      ),
    );
    expect(bp.requiredApprovals).toEqual(
      unknown('approval rules: not visible without authentication (HTTP 401)', 'a GITLAB_TOKEN with the read_api scope and GitLab Premium'),
    );
    expect(facts.tagProtection).toEqual(
      unknown(
        'protected tag settings: not visible without authentication (HTTP 401)',
        'a GITLAB_TOKEN with the read_api scope and the Maintainer role on the project',
      ),
    );
    // group/sub does not require 2FA, its parent group does — and that binds the subgroup.
    expect(val(facts.ownerSettings)).toEqual({ kind: 'group', name: 'group/sub', twoFactorRequired: known(true) });
    expect(val(facts.platform)).toMatchObject({ kind: 'gitlab.com', authenticated: false });
    expect(val(facts.platform).version).toBeUndefined();
    expect(facts.webhooks).toEqual(
      unknown(
        'project webhooks: not visible without authentication (HTTP 401)',
        'a GITLAB_TOKEN with the read_api scope and the Maintainer role on the project',
      ),
    );
    // The unpinned image and the unlocked pip install are found from the archive.
    const pinned = check(assessment, 'Pinned-Dependencies');
    expect(pinned.findings.map((f) => [f.rule, f.location?.path, f.location?.line])).toEqual(
      expect.arrayContaining([['containerImage', '.gitlab-ci.yml', 2]]),
    );
  });
});

describe('self-managed host', () => {
  it('talks to the instance URL, names the self-managed host, reads ci_config_path, knows a CE instance is Free', async () => {
    const src = await gitlabSource({ url: selfManaged.url, target: 'gitlab.example.org/platform/api', token: TOKENS.selfManaged });
    const { assessment, facts } = await assessAll(src);
    expect(selfManaged.requests.length).toBeGreaterThan(0);
    expect(selfManaged.requests.every((r) => r.credential === TOKENS.selfManaged || r.credential === undefined)).toBe(true);
    expect(val(facts.repository)).toMatchObject({
      host: 'gitlab.example.org',
      repo: 'platform/api',
      url: 'https://gitlab.example.org/platform/api',
      ciConfigPath: 'ci/pipeline.yml',
      visibility: 'internal',
      license: null,
    });
    expect(val(facts.platform)).toEqual({ kind: 'gitlab-self-managed', version: '17.10.2', tier: known('free'), authenticated: true });
    const [bp] = val(facts.branchProtection);
    expect(bp.allowForcePush).toEqual(known(true));
    // Community Edition has no approval API at all (404), which is a tier matter, not an error.
    expect(bp.requiredApprovals).toEqual(
      unknown('approval rules: a GitLab Premium feature, not available on GitLab Free (HTTP 404)', 'GitLab Premium'),
    );
    expect(val(facts.webhooks)).toEqual([
      {
        id: '9',
        host: 'jenkins.example.org',
        active: true,
        hasSecret: unknown('GitLab does not reveal whether a hook has a secret token'),
        sslVerification: false,
        events: ['push'],
      },
    ]);
    // No protected tags (known, not unknown); the internal group is visible to a signed-in token.
    expect(val(facts.tagProtection)).toEqual([]);
    expect(val(facts.ownerSettings)).toEqual({ kind: 'group', name: 'platform', twoFactorRequired: known(false) });
    // The CI configuration at ci_config_path is what the checks analyse.
    expect(check(assessment, 'Dangerous-Workflow').reason).toMatch(/GitLab CI/);
    expect(assessment.target).toMatchObject({ host: 'gitlab.example.org', repo: 'platform/api' });
    expect(assessment.requests.total).toBeLessThanOrEqual(MAX_REQUESTS);
  });
});

describe('a pipeline that builds and releases with provenance', () => {
  it('release links, tag pipeline, id_tokens aud sigstore and GitLab attestations → Provenance / Hosted-Build evidence', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/oss-tools/release-tool', token: TOKENS.maintainer });
    const { assessment, facts } = await assessAll(src);
    const [latest] = val(facts.releases);
    expect(latest.tag).toBe('v1.2.0');
    expect(latest.author).toEqual({ login: 'alice', bot: false });
    expect(latest.assets.map((a) => a.name)).toEqual(['release-tool', 'release-tool.intoto.jsonl', 'release-tool.cdx.json']);
    expect(latest.assets.every((a) => a.url?.startsWith(fake.url) && a.uploader === null)).toBe(true);
    // The tag pipeline built the release.
    expect(val(facts.workflowRuns).find((r) => r.headBranch === 'v1.2.0')).toMatchObject({ conclusion: 'success', headSha: latest.target });
    // Release tags: Maintainers and a deploy key create them.
    expect(val(facts.tagProtection)).toEqual([protectedTag('v*', true)]);

    const att = val(facts.attestations);
    expect(att.map((a) => [a.source, a.artifact, a.digest, a.predicateType, a.sourceRepo, a.sourceRef])).toEqual([
      [
        'release-asset',
        'release-tool',
        `sha256:${ARTIFACT_SHA256}`,
        'https://slsa.dev/provenance/v1',
        'gitlab.com/oss-tools/release-tool',
        'refs/tags/v1.2.0',
      ],
      [
        'gitlab-attestations-api',
        'release-tool',
        `sha256:${ARTIFACT_SHA256}`,
        'https://slsa.dev/provenance/v1',
        'gitlab.com/oss-tools/release-tool',
        'refs/tags/v1.2.0',
      ],
    ]);
    // Fixtures cannot carry a real Sigstore signature: found, parsed, bound to this repository — and unverifiable.
    expect(att.map((a) => a.state)).toEqual(['unverifiable', 'unverifiable']);
    // How the build ran, as the runner's provenance records it; no certificate, so no runner environment,
    // and GitLab records no user inputs: both left out, not defaulted.
    for (const a of att) {
      expect(a).toMatchObject({
        entryPoint: 'build',
        buildType: 'https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.5.0/PROVENANCE.md',
      });
      expect(a).not.toHaveProperty('runnerEnvironment');
      expect(a).not.toHaveProperty('externalInputs');
    }

    const tags = val(facts.tags);
    expect(tags[0]).toMatchObject({ name: 'v1.2.0', annotated: true, signature: 'x509', verified: true, verifyDetail: 'GitLab: verified' });

    const prov = check(assessment, 'Provenance');
    expect(prov.score).toBe(10);
    const gens = prov.evidence
      .filter((e) => e.kind === 'provenanceGenerator')
      .map((e) => [e.values?.tool, e.values?.buildLevel, e.values?.job]);
    expect(gens).toEqual(
      expect.arrayContaining([
        ['gitlab-attestation', 3, 'build'],
        ['cosign', 2, 'build'],
      ]),
    );
    expect(prov.findings.filter((f) => f.rule === 'missingIdToken')).toEqual([]);
    const hosted = check(assessment, 'Hosted-Build');
    expect(hosted.score).toBe(10);
    expect(hosted.evidence.map((e) => [e.kind, e.values?.job, e.values?.runner])).toEqual([
      ['hostedBuild', 'build', 'gitlab-saas'],
      ['hostedBuild', 'release', 'gitlab-saas'],
    ]);
    expect(check(assessment, 'SBOM').score).toBe(10);
    // project, commits, archive, GraphQL, tags + 1 X.509 signature, protected branches, protected tags, approvals,
    // approval rules, push rule, hooks, job-token scope, contributors = 14; the .intoto.jsonl download, and GitLab's
    // attestation (list + bundle, asked because ATTEST_BUILD_ARTIFACTS is on) = 17.
    expect(assessment.requests.total).toBe(17);
  });
});

describe('a CI configuration that includes an unpinned remote template', () => {
  it('Pinned-Dependencies reports rule gitlabInclude at the include’s line', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/legacy', token: TOKENS.maintainer });
    const { assessment } = await assessAll(src);
    const pinned = check(assessment, 'Pinned-Dependencies');
    const inc = pinned.findings.filter((f) => f.rule === 'gitlabInclude');
    expect(inc).toHaveLength(1);
    expect(inc[0].location).toMatchObject({ path: '.gitlab-ci.yml', line: LEGACY_REMOTE_LINE });
    expect(inc[0].message).toContain('https://example.com/ci-templates/build.yml');
    expect(pinned.score).toBeLessThan(10);
    expect(assessment.requests.total).toBeLessThanOrEqual(MAX_REQUESTS);
  });
});
