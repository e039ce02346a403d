/**
 * SLSA levels from assessments: real checks on temporary repositories (assess() + LocalSource +
 * builtinChecks), plus synthetic results for the platform-API checks that are still to come.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../src/engine.js';
import type { AssessmentTarget } from '../../src/assessment.js';
import { evaluateSlsa } from '../../src/slsa/evaluate.js';
import type { FrameworkId, FrameworkResult, SlsaResult } from '../../src/slsa/types.js';
import {
  assessFiles,
  branchProtectionForbidden,
  branchProtectionFull,
  check,
  codeReviewAll,
  ev,
  githubApi,
  gitlabApi,
  orgSettings2fa,
  RELEASE_WORKFLOW,
  sourceAttestationsL4,
  verifiedProvenanceL3,
} from './fixtures.js';

const fw = (r: SlsaResult, id: FrameworkId): FrameworkResult => r.frameworks.find((f) => f.id === id)!;
const states = (f: FrameworkResult) => Object.fromEntries(f.requirements.map((q) => [q.id, q.state]));
const levelsOf = (f: FrameworkResult) => ({ confirmed: f.confirmed, attainable: f.attainable, next: f.next, blocking: f.blocking });
const steps = (f: FrameworkResult) => f.roadmap.map((s) => s.covers);
const req = (f: FrameworkResult, id: string) => f.requirements.find((q) => q.id === id)!;

const RELEASE_REPO = { '.github/workflows/release.yml': RELEASE_WORKFLOW, Makefile: 'dist:\n\tmkdir -p dist && echo hi > dist/widget\n' };

/** Everything the future API checks can show, on top of the real offline checks of the release repository. */
function everything(offline: CheckResult[]): CheckResult[] {
  return [...offline, verifiedProvenanceL3(), branchProtectionFull(), codeReviewAll(), orgSettings2fa(), sourceAttestationsL4()];
}

describe('(1) a repository with nothing', () => {
  it('confirms nothing, lowers nothing, and starts the roadmap with a release workflow and a hosting platform', async () => {
    const { checks, target } = await assessFiles({ 'README.md': '# widget\n' });
    const r = evaluateSlsa(checks, target);
    expect(r.frameworks.map((f) => f.id)).toEqual(['slsa-v1.2-build', 'slsa-v1.2-source', 'slsa-v0.1']);

    const build = fw(r, 'slsa-v1.2-build');
    expect(levelsOf(build)).toEqual({
      confirmed: 0,
      attainable: 3,
      next: 1,
      blocking: ['build.choose-platform', 'build.consistent-process', 'build.distribute-provenance', 'build.provenance-exists'],
    });
    expect(new Set(Object.values(states(build)))).toEqual(new Set(['unknown']));
    expect(steps(build)).toEqual([
      ['build.choose-platform', 'build.consistent-process', 'build.distribute-provenance', 'build.provenance-exists'],
    ]);
    expect(build.roadmap[0].title).toBe('Build releases in CI from the repository and publish their provenance');
    // No remote and no CI: both platforms' snippets.
    expect(build.roadmap[0].snippet?.code).toContain('# ── GitHub ──');
    expect(build.roadmap[0].snippet?.code).toContain('# ── GitLab ──');
    expect(req(build, 'build.provenance-exists').needs).toBe(
      'network access (GitHub attestations API, npm/PyPI registries, release assets)',
    );

    const source = fw(r, 'slsa-v1.2-source');
    expect(levelsOf(source)).toEqual({
      confirmed: 0,
      attainable: 4,
      next: 1,
      blocking: ['source.choose-scs', 'source.repository-ids', 'source.human-readable-diff', 'source.vsa'],
    });
    expect(states(source)).toMatchObject({
      'source.revision-ids': 'met',
      'source.choose-scs': 'unknown',
      'source.history': 'unknown',
      'source.two-party-review': 'unknown',
    });
    expect(req(source, 'source.history').evidence[0].message).toBe(
      'Branch protection is a setting of the hosting platform: it cannot be seen in a local checkout',
    );
    expect(steps(source)).toEqual([['source.choose-scs', 'source.repository-ids', 'source.human-readable-diff'], ['source.vsa']]);

    const v01 = fw(r, 'slsa-v0.1');
    expect(levelsOf(v01)).toEqual({ confirmed: 0, attainable: 4, next: 1, blocking: ['build.scripted', 'provenance.available'] });
    expect(states(v01)).toMatchObject({
      'source.version-controlled': 'met',
      'build.scripted': 'unknown',
      'provenance.available': 'unknown',
      'build.hermetic': 'unknown',
    });
    expect(steps(v01)).toEqual([['build.scripted', 'provenance.available']]);

    // Nothing is not_met: an offline run with nothing to see never lowers a level.
    for (const f of r.frameworks) expect(f.requirements.filter((q) => q.state === 'not_met')).toEqual([]);
  });
});

describe('(2) a SHA-pinned release workflow generating provenance with slsa-github-generator', () => {
  it('makes Build L3 attainable and indicated, but confirms nothing offline', async () => {
    const { checks, target } = await assessFiles(RELEASE_REPO);
    // The generator is (rightly) referenced by tag — Pinned-Dependencies flags it; the hermetic rule exempts it.
    expect(checks.find((c) => c.name === 'Pinned-Dependencies')!.findings.map((f) => f.message)).toEqual([
      'third-party GitHubAction not pinned by hash: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0',
    ]);
    const r = evaluateSlsa(checks, target);

    const build = fw(r, 'slsa-v1.2-build');
    expect(states(build)).toEqual({
      'build.choose-platform': 'indicated',
      'build.consistent-process': 'indicated',
      'build.distribute-provenance': 'indicated',
      'build.provenance-exists': 'indicated',
      'build.provenance-authentic': 'indicated',
      'build.provenance-unforgeable': 'indicated',
      'build.hosted': 'indicated',
      'build.isolated': 'indicated',
    });
    expect(levelsOf(build)).toEqual({
      confirmed: 0,
      attainable: 3,
      next: 1,
      blocking: ['build.choose-platform', 'build.consistent-process', 'build.distribute-provenance', 'build.provenance-exists'],
    });
    expect(req(build, 'build.provenance-unforgeable').evidence).toEqual([
      { message: 'CI generates provenance that can reach Build L3; it was not verified' },
      {
        check: 'Provenance',
        kind: 'provenanceGenerator',
        message: 'slsa-github-generator generates Build L3 provenance in job `provenance`',
        location: expect.objectContaining({ path: '.github/workflows/release.yml', line: 23 }),
      },
    ]);
    // Indicated only: the step is to confirm — verify the provenance the way users would.
    expect(build.roadmap).toHaveLength(1);
    expect(build.roadmap[0]).toMatchObject({
      requirement: 'build.choose-platform',
      title: 'Confirm the release provenance by verifying it',
      snippet: { language: 'shell' },
    });
    expect(build.roadmap[0].snippet!.code).toContain('slsa-verifier verify-artifact dist/ARTIFACT --provenance-path ARTIFACT.intoto.jsonl');

    const v01 = fw(r, 'slsa-v0.1');
    expect(states(v01)).toEqual({
      'source.version-controlled': 'met',
      'source.verified-history': 'unknown',
      'source.retained': 'unknown',
      'source.two-person-reviewed': 'unknown',
      'build.scripted': 'indicated',
      'build.service': 'indicated',
      'build.as-code': 'indicated',
      'build.ephemeral': 'indicated',
      'build.isolated': 'indicated',
      'build.parameterless': 'unknown',
      'build.hermetic': 'indicated',
      'build.reproducible': 'unknown',
      'provenance.available': 'indicated',
      'provenance.authenticated': 'indicated',
      'provenance.service-generated': 'indicated',
      'provenance.non-falsifiable': 'indicated',
      'provenance.dependencies-complete': 'unknown',
      'common.security': 'unknown',
      'common.access': 'unknown',
      'common.superusers': 'unknown',
    });
    expect(levelsOf(v01)).toEqual({ confirmed: 0, attainable: 4, next: 1, blocking: ['build.scripted', 'provenance.available'] });
    expect(fw(r, 'slsa-v1.2-source')).toMatchObject({ confirmed: 0, attainable: 4 });
  });

  it("an unpinned action in the release workflow makes v0.1 Hermetic not_met (attainable 3), with the check's finding as evidence", async () => {
    const { checks, target } = await assessFiles({
      ...RELEASE_REPO,
      '.github/workflows/release.yml': RELEASE_WORKFLOW.replace(
        `actions/setup-go@b4ffde65f46336ab88eb53be808477a3936bae11 # v5`,
        'actions/setup-go@v5',
      ),
    });
    const v01 = fw(evaluateSlsa(checks, target), 'slsa-v0.1');
    expect(req(v01, 'build.hermetic')).toMatchObject({ state: 'not_met', remediation: expect.stringContaining('Pin every dependency') });
    expect(req(v01, 'build.hermetic').evidence[1]).toMatchObject({
      check: 'Pinned-Dependencies',
      kind: 'GitHubAction',
      location: expect.objectContaining({ path: '.github/workflows/release.yml', line: 13 }),
    });
    expect(levelsOf(v01)).toMatchObject({ confirmed: 0, attainable: 3 });
  });
});

describe('(3) everything that can be shown (incl. the future API checks)', () => {
  it('confirms Build L3, Source L4 and v0.1 L3; v0.1 L4 stays attainable only', async () => {
    const { checks, target } = await assessFiles(RELEASE_REPO);
    const t = githubApi({ commit: target.commit });
    const r = evaluateSlsa(everything(checks), t);

    const build = fw(r, 'slsa-v1.2-build');
    expect(new Set(Object.values(states(build)))).toEqual(new Set(['met']));
    expect(levelsOf(build)).toEqual({ confirmed: 3, attainable: 3, next: null, blocking: [] });
    expect(build.roadmap).toEqual([]);
    expect(req(build, 'build.isolated').evidence[1]).toMatchObject({ check: 'Provenance', kind: 'verifiedProvenance' });
    expect(req(build, 'build.isolated').remediation).toBeNull();

    const source = fw(r, 'slsa-v1.2-source');
    expect(new Set(Object.values(states(source)))).toEqual(new Set(['met']));
    expect(levelsOf(source)).toEqual({ confirmed: 4, attainable: 4, next: null, blocking: [] });

    const v01 = fw(r, 'slsa-v0.1');
    expect(states(v01)).toEqual({
      'source.version-controlled': 'met',
      'source.verified-history': 'met',
      'source.retained': 'met',
      'source.two-person-reviewed': 'met',
      'build.scripted': 'met',
      'build.service': 'met',
      'build.as-code': 'met',
      'build.ephemeral': 'met',
      'build.isolated': 'met',
      'build.parameterless': 'met',
      'build.hermetic': 'indicated',
      'build.reproducible': 'unknown',
      'provenance.available': 'met',
      'provenance.authenticated': 'met',
      'provenance.service-generated': 'met',
      'provenance.non-falsifiable': 'met',
      'provenance.dependencies-complete': 'unknown',
      'common.security': 'unknown',
      'common.access': 'unknown',
      'common.superusers': 'unknown',
    });
    expect(levelsOf(v01)).toEqual({
      confirmed: 3,
      attainable: 4,
      next: 4,
      blocking: [
        'build.hermetic',
        'build.reproducible',
        'provenance.dependencies-complete',
        'common.security',
        'common.access',
        'common.superusers',
      ],
    });
    // Actionable steps first (table order among equals); the platform-only rows last.
    expect(steps(v01)).toEqual([
      ['build.hermetic'],
      ['build.reproducible'],
      ['provenance.dependencies-complete'],
      ['common.security', 'common.access', 'common.superusers'],
    ]);
    expect(v01.roadmap[0].title).toBe('Confirm the build is hermetic');
  });

  it('platform settings alone never confirm Source L1: a revision without a Source VSA is L0', async () => {
    const { checks, target } = await assessFiles(RELEASE_REPO);
    const r = evaluateSlsa([...checks, branchProtectionFull(), codeReviewAll()], githubApi({ commit: target.commit }));
    const source = fw(r, 'slsa-v1.2-source');
    expect(states(source)).toEqual({
      'source.choose-scs': 'met',
      'source.repository-ids': 'met',
      'source.revision-ids': 'met',
      'source.human-readable-diff': 'met',
      'source.vsa': 'unknown',
      'source.access-and-history': 'met',
      'source.safe-expunging': 'unknown',
      'source.history': 'met',
      'source.continuity': 'indicated',
      'source.identity-management': 'met',
      'source.provenance': 'unknown',
      'source.technical-controls': 'indicated',
      'source.protected-refs': 'met',
      'source.two-party-review': 'met',
    });
    expect(levelsOf(source)).toEqual({ confirmed: 0, attainable: 4, next: 1, blocking: ['source.vsa'] });
    expect(source.roadmap.map((s) => s.title)).toEqual(['Publish Source VSAs and source provenance for every revision']);
    expect(source.roadmap[0].snippet!.code).toContain('sourcetool setup repo acme/widget');
  });

  it('review not required on the default branch: v0.1 L4 drops out of reach, the roadmap gives the ruleset', async () => {
    const { checks, target } = await assessFiles(RELEASE_REPO);
    const noReview = check('Branch-Protection', {
      evidence: [
        ev('branchProtection', {
          branch: 'main',
          authoritative: true,
          forcePushBlocked: true,
          deletionBlocked: true,
          requiredApprovals: 0,
        }),
      ],
    });
    const offline = everything(checks).filter((c) => c.name !== 'Branch-Protection' && c.name !== 'Code-Review');
    const v01 = fw(evaluateSlsa([...offline, noReview], githubApi({ commit: target.commit })), 'slsa-v0.1');
    expect(req(v01, 'source.two-person-reviewed')).toMatchObject({ state: 'not_met' });
    expect(levelsOf(v01)).toMatchObject({ confirmed: 3, attainable: 3, next: 4 });
    const review = v01.roadmap.find((s) => s.requirement === 'source.two-person-reviewed')!;
    expect(v01.roadmap.indexOf(review)).toBe(0); // not_met before the unknowns of the same size
    expect(review.snippet!.language).toBe('shell');
    expect(review.snippet!.code).toContain("gh api -X POST repos/acme/widget/rulesets --input - <<'EOF'");
    expect(JSON.parse(review.snippet!.code.split("<<'EOF'\n")[1].split('\nEOF')[0])).toEqual({
      name: 'slsa-source: protect the default branch',
      target: 'branch',
      enforcement: 'active',
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      bypass_actors: [],
      rules: [
        { type: 'deletion' },
        { type: 'non_fast_forward' },
        {
          type: 'pull_request',
          parameters: {
            required_approving_review_count: 1,
            dismiss_stale_reviews_on_push: true,
            require_last_push_approval: true,
            require_code_owner_review: false,
            required_review_thread_resolution: false,
          },
        },
      ],
    });
  });
});

describe('(4) the token could not see branch protection', () => {
  it('leaves the requirements unknown with what would make them known, and does not lower the attainable level', async () => {
    const { checks, target } = await assessFiles(RELEASE_REPO);
    const t: AssessmentTarget = githubApi({ commit: target.commit });
    const forbidden = evaluateSlsa([...checks, branchProtectionForbidden()], t);
    const absent = evaluateSlsa(checks, t);
    const unprotected = evaluateSlsa(
      [
        ...checks,
        check('Branch-Protection', {
          score: 0,
          evidence: [
            ev('branchProtection', {
              branch: 'main',
              authoritative: true,
              forcePushBlocked: false,
              deletionBlocked: false,
              requiredApprovals: 0,
            }),
          ],
        }),
      ],
      t,
    );

    const source = fw(forbidden, 'slsa-v1.2-source');
    for (const id of ['source.history', 'source.continuity', 'source.technical-controls', 'source.two-party-review']) {
      expect(req(source, id)).toMatchObject({
        state: 'unknown',
        needs: 'a token with Administration: read on acme/widget',
        evidence: [
          {
            check: 'Branch-Protection',
            kind: 'branchProtection',
            message: 'HTTP 403 from GET /repos/acme/widget/branches/main/protection',
          },
        ],
      });
    }
    expect(req(source, 'source.access-and-history')).toMatchObject({
      state: 'unknown',
      needs: 'a token with Administration: read on acme/widget',
    });
    expect(req(fw(forbidden, 'slsa-v0.1'), 'source.retained')).toMatchObject({
      state: 'unknown',
      needs: 'a token with Administration: read on acme/widget',
    });

    // Not lowered: the same levels as when nothing was asked at all…
    for (const id of ['slsa-v1.2-build', 'slsa-v1.2-source', 'slsa-v0.1'] as const) {
      expect(levelsOf(fw(forbidden, id))).toEqual(levelsOf(fw(absent, id)));
    }
    expect(levelsOf(source)).toEqual({ confirmed: 0, attainable: 4, next: 1, blocking: ['source.vsa'] });
    expect(fw(forbidden, 'slsa-v0.1').attainable).toBe(4);
    // …whereas an authoritative "unprotected" answer does lower it.
    expect(fw(unprotected, 'slsa-v1.2-source').attainable).toBe(1);
    expect(fw(unprotected, 'slsa-v0.1').attainable).toBe(2);
    expect(req(fw(unprotected, 'slsa-v1.2-source'), 'source.history')).toMatchObject({
      state: 'not_met',
      remediation: expect.stringContaining('Block force pushes'),
    });
  });
});

describe('roadmap snippets follow the platform', () => {
  const l1 = check('Source-Attestations', { evidence: [ev('sourceVsa', { verified: true, level: 1 }, 'Source VSA: SLSA_SOURCE_LEVEL_1')] });
  const open = check('Branch-Protection', {
    evidence: [
      ev('branchProtection', {
        branch: 'main',
        authoritative: true,
        forcePushBlocked: false,
        deletionBlocked: false,
        requiredApprovals: 0,
      }),
      ev('tagProtection', { pattern: 'v*', authoritative: true, updateBlocked: false, deletionBlocked: false }),
    ],
  });

  it('GitHub: branch and tag rulesets through gh api, ordered by impact', () => {
    const source = fw(evaluateSlsa([l1, open], githubApi()), 'slsa-v1.2-source');
    expect(levelsOf(source)).toEqual({
      confirmed: 1,
      attainable: 1,
      next: 2,
      blocking: ['source.access-and-history', 'source.safe-expunging', 'source.history', 'source.continuity', 'source.provenance'],
    });
    expect(steps(source)).toEqual([
      ['source.access-and-history', 'source.history'],
      ['source.continuity', 'source.provenance'],
      ['source.safe-expunging'],
    ]);
    const protect = source.roadmap[0];
    expect(protect.title).toBe('Protect the default branch and release tags');
    expect(protect.action).toContain('- `source.history` History (L2): **not met**');
    const [branch, tags] = protect.snippet!.code.split('EOF\ngh api').map((p, i) => (i ? `gh api${p}` : p));
    expect(branch).toContain('"rules": [\n    { "type": "deletion" },\n    { "type": "non_fast_forward" }\n  ]');
    expect(branch).not.toContain('pull_request'); // L2 does not need reviews yet
    expect(tags).toContain('"target": "tag"');
    expect(tags).toContain('"rules": [ { "type": "update" }, { "type": "deletion" } ]');
  });

  it('GitLab: the settings paths and glab calls', () => {
    const source = fw(evaluateSlsa([l1, open], gitlabApi()), 'slsa-v1.2-source');
    const protect = source.roadmap[0];
    expect(protect.action).toContain('Settings → Repository → Protected branches');
    expect(protect.snippet!.code).toContain(
      'glab api --method POST "projects/:id/protected_branches" -f name=main \\\n  -F push_access_level=0 -F merge_access_level=40 -F allow_force_push=false',
    );
    expect(protect.snippet!.code).toContain('"projects/:id/protected_tags"');
    expect(protect.snippet!.code).not.toContain('gh api');
    const build = fw(evaluateSlsa([], gitlabApi()), 'slsa-v1.2-build');
    expect(build.roadmap[0].snippet!.code).toContain('RUNNER_GENERATE_ARTIFACTS_METADATA: "true"');
    expect(build.roadmap[0].snippet!.code).toContain('cosign attest-blob --yes --type slsaprovenance');
    expect(build.roadmap[0].snippet!.code).toContain('aud: sigstore');
  });

  it('GitHub provenance: attest-build-provenance with the permissions it needs; slsa-github-generator for L3', () => {
    const build = fw(evaluateSlsa([], githubApi()), 'slsa-v1.2-build');
    const code = build.roadmap[0].snippet!.code;
    for (const line of [
      'contents: read',
      'id-token: write',
      'attestations: write',
      'uses: actions/attest-build-provenance@',
      "subject-path: 'dist/*'",
    ])
      expect(code).toContain(line);
    expect(code).not.toContain('GitLab');

    // Verified at L2 (attestations in a plain workflow): L3 is out of reach; the roadmap to it is the generator.
    const l2 = check('Provenance', {
      evidence: [
        ev('verifiedProvenance', {
          artifact: 'a',
          buildLevel: 2,
          builder: 'https://github.com/acme/widget/.github/workflows/release.yml@refs/tags/v1',
          runnerEnvironment: 'github-hosted',
          distributedVia: 'github-attestations',
        }),
        ev('provenanceConsistency', { releases: 3, consistent: true }),
      ],
    });
    const b2 = fw(evaluateSlsa([l2], githubApi()), 'slsa-v1.2-build');
    expect(levelsOf(b2)).toEqual({ confirmed: 2, attainable: 2, next: 3, blocking: ['build.provenance-unforgeable'] });
    expect(req(b2, 'build.isolated').state).toBe('met');
    expect(b2.roadmap[0].title).toBe('Generate unforgeable provenance from an isolated builder');
    expect(b2.roadmap[0].snippet!.code).toContain(
      'uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0',
    );
  });

  it("a check's own fix for this repository replaces the generic snippet", () => {
    const blocked = check('Provenance', {
      score: 2,
      evidence: [
        ev('provenanceGenerator', {
          tool: 'actions/attest-build-provenance',
          buildLevel: 2,
          platform: 'github',
          ready: false,
          file: '.github/workflows/release.yml',
        }),
      ],
      findings: [
        {
          rule: 'missingPermissions',
          severity: 'high',
          message: 'job `build` lacks `id-token: write`',
          location: { path: '.github/workflows/release.yml', line: 9, column: 5 },
          remediation: { text: 'add', patch: '    permissions:\n      contents: read\n      id-token: write\n      attestations: write' },
        },
      ],
    });
    const build = fw(evaluateSlsa([blocked], githubApi()), 'slsa-v1.2-build');
    expect(req(build, 'build.provenance-exists').state).toBe('not_met');
    expect(build.attainable).toBe(0);
    expect(build.roadmap[0].snippet).toEqual({
      language: 'yaml',
      code: '# .github/workflows/release.yml:9\n    permissions:\n      contents: read\n      id-token: write\n      attestations: write',
    });
  });
});
