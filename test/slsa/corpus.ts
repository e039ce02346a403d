/**
 * A corpus of synthetic assessments — offline check results and the future platform-API ones — that
 * together drive every rule of every requirement table (tables.test.ts proves it).
 */
import type { CheckResult } from '../../src/engine.js';
import type { AssessmentTarget } from '../../src/assessment.js';
import {
  branchProtectionForbidden,
  branchProtectionFull,
  check,
  codeReviewAll,
  ev,
  fi,
  githubApi,
  gitlabApi,
  orgSettings2fa,
  sourceAttestationsL4,
  target,
  verifiedProvenanceL3,
} from './fixtures.js';

export interface Scenario {
  name: string;
  checks: CheckResult[];
  target: AssessmentTarget;
}

const REL = '.github/workflows/release.yml';
const at = (line: number) => ({ path: REL, line, column: 5 });

const hostedBuild = () =>
  check('Hosted-Build', {
    evidence: [
      ev(
        'hostedBuild',
        { platform: 'github', runner: 'github-hosted', hosted: true, job: 'build', file: REL },
        'release job `build` runs on GitHub-hosted runners',
        at(8),
      ),
    ],
  });
const generator = (values: Record<string, string | number | boolean> = {}, findings = [] as ReturnType<typeof fi>[]) =>
  check('Provenance', {
    evidence: [
      ev(
        'provenanceGenerator',
        {
          tool: 'actions/attest-build-provenance',
          builder: REL,
          buildLevel: 2,
          platform: 'github',
          certainty: 'configured',
          ready: true,
          file: REL,
          job: 'build',
          ...values,
        },
        'generates provenance',
        at(20),
      ),
    ],
    findings,
    unknowns: [{ fact: 'attestations', reason: 'not verified offline', needs: 'network access' }],
  });
const bp = (values: Record<string, string | number | boolean>) =>
  check('Branch-Protection', { evidence: [ev('branchProtection', { branch: 'main', ...values })] });
const tags = (values: Record<string, string | number | boolean>) =>
  check('Branch-Protection', { evidence: [ev('tagProtection', { pattern: 'v*', ...values })] });
const local = target();
const gh = githubApi();

export const CORPUS: Scenario[] = [
  // ── nothing / not a checkout ──
  { name: 'empty, not a git checkout', checks: [], target: target({ commit: null }) },
  { name: 'empty git checkout', checks: [], target: local },
  {
    name: 'local checkout with a GitHub remote',
    checks: [],
    target: target({ platform: 'github', host: 'github.com', repo: 'acme/widget' }),
  },
  { name: 'publishes nothing', checks: [check('Releases', { evidence: [ev('noArtifacts', { releases: 0, packages: 0 })] })], target: gh },

  // ── build: verified online ──
  {
    name: 'verified L3 provenance, hosted release job, full branch protection, reviews, 2FA, Source VSA',
    checks: [
      hostedBuild(),
      verifiedProvenanceL3({ dependenciesComplete: true }),
      branchProtectionFull(),
      codeReviewAll(),
      orgSettings2fa(),
      sourceAttestationsL4(),
      check('Reproducible-Builds', { evidence: [ev('reproducibleBuild', { verified: true, rebuilder: 'oss-rebuild' })] }),
    ],
    target: gh,
  },
  {
    name: 'provenance found, unsigned',
    checks: [
      check('Provenance', {
        evidence: [ev('provenanceFound', { artifact: 'a', distributedVia: 'release-asset', signed: false, subjectMatches: true })],
      }),
    ],
    target: gh,
  },
  {
    name: 'provenance invalid',
    checks: [check('Provenance', { findings: [fi('provenanceInvalid', 'signature does not verify')] })],
    target: gh,
  },
  {
    name: 'provenance missing',
    checks: [check('Provenance', { findings: [fi('provenanceMissing', 'no provenance for v1.2.0')] })],
    target: gh,
  },
  {
    name: 'verified L1 provenance (key-signed)',
    checks: [check('Provenance', { evidence: [ev('verifiedProvenance', { buildLevel: 1, builder: 'x' })] })],
    target: gh,
  },
  {
    name: 'verified provenance from a self-hosted runner, with inputs, inconsistent, not reproducible',
    checks: [
      check('Provenance', {
        evidence: [
          ev('verifiedProvenance', { buildLevel: 2, builder: 'x', runnerEnvironment: 'self-hosted', externalInputs: 2 }),
          ev('provenanceConsistency', { releases: 3, consistent: false }),
        ],
      }),
      check('Reproducible-Builds', { evidence: [ev('reproducibleBuild', { verified: false, rebuilder: 'oss-rebuild' })] }),
    ],
    target: gh,
  },
  {
    name: 'release workflow takes inputs',
    checks: [hostedBuild(), check('Hosted-Build', { evidence: [ev('releaseInputs', { file: REL, job: 'build', inputs: 1 })] })],
    target: local,
  },

  // ── build: configuration only ──
  {
    name: 'attest in CI, hosted, pinned',
    checks: [
      hostedBuild(),
      generator(),
      check('Pinned-Dependencies', { evidence: [ev('pinnedDependencies', { type: 'GitHubAction', pinned: 3, total: 3 })] }),
    ],
    target: local,
  },
  {
    name: 'slsa-github-generator in CI',
    checks: [hostedBuild(), generator({ tool: 'slsa-github-generator', buildLevel: 3, job: 'provenance' })],
    target: local,
  },
  {
    name: 'provenance asset on releases',
    checks: [check('Signed-Releases', { evidence: [ev('releaseProvenanceAsset', { release: 'v1', asset: 'a.intoto.jsonl' })] })],
    target: gh,
  },
  {
    name: 'generator that cannot run, unpinned release workflow',
    checks: [
      hostedBuild(),
      generator({ ready: false }, [
        fi('missingPermissions', 'job `build` lacks id-token: write', at(10), '    permissions:\n      id-token: write'),
      ]),
      check('Pinned-Dependencies', { findings: [fi('GitHubAction', 'third-party GitHubAction not pinned by hash: foo/bar@v1', at(14))] }),
    ],
    target: local,
  },
  {
    name: 'publishes without provenance',
    checks: [
      check('Provenance', {
        score: 0,
        findings: [fi('publishWithoutProvenance', 'npm publish without provenance', at(30))],
        unknowns: [{ fact: 'attestations', reason: 'not verified offline', needs: 'network access' }],
      }),
    ],
    target: local,
  },
  {
    name: 'provenance check inconclusive',
    checks: [
      check('Provenance', {
        score: null,
        reason: 'CI configuration could not be read',
        unknowns: [{ fact: 'workflows', reason: 'unreadable' }],
      }),
    ],
    target: local,
  },
  {
    name: 'self-hosted release runner',
    checks: [
      check('Hosted-Build', {
        score: 0,
        findings: [fi('selfHostedRelease', 'release job runs on self-hosted', at(8), 'runs-on: ubuntu-latest')],
      }),
    ],
    target: local,
  },
  {
    name: 'custom runner labels',
    checks: [check('Hosted-Build', { score: 0, findings: [fi('customRunnerRelease', 'release job runs on custom labels', at(8))] })],
    target: local,
  },
  {
    name: 'runner undetermined',
    checks: [check('Hosted-Build', { score: null, findings: [fi('runnerUndetermined', 'runs-on is an expression', at(8))] })],
    target: local,
  },
  {
    name: 'tags but no release job',
    checks: [check('Hosted-Build', { score: null, findings: [fi('noReleaseJob', '3 tags, no release job')] })],
    target: local,
  },
  {
    name: 'hosted-build inconclusive',
    checks: [
      check('Hosted-Build', {
        score: null,
        reason: 'CI configuration could not be read',
        unknowns: [{ fact: 'workflows', reason: 'unreadable' }],
      }),
      check('Pinned-Dependencies', { score: null, unknowns: [{ fact: 'workflows', reason: 'unreadable' }] }),
    ],
    target: local,
  },

  // ── source: platform API answers ──
  {
    name: 'branch unprotected (authoritative)',
    checks: [
      bp({ authoritative: true, forcePushBlocked: false, deletionBlocked: false, requiredApprovals: 0, requiredStatusChecks: 0 }),
      tags({ authoritative: true, updateBlocked: false, deletionBlocked: false }),
    ],
    target: gh,
  },
  { name: 'branch protected, rules unreadable', checks: [bp({ authoritative: false }), tags({ authoritative: false })], target: gh },
  {
    name: 'review required, stale approvals kept',
    checks: [
      bp({
        authoritative: true,
        forcePushBlocked: true,
        deletionBlocked: true,
        requiredApprovals: 1,
        requireLastPushApproval: false,
        dismissStaleReviews: false,
      }),
    ],
    target: gh,
  },
  {
    name: 'review required, admins bypass; force pushes recorded',
    checks: [
      bp({
        authoritative: true,
        forcePushBlocked: true,
        deletionBlocked: true,
        requiredApprovals: 1,
        requireLastPushApproval: true,
        enforcedForAdmins: false,
      }),
      check('Branch-Protection', { evidence: [ev('forcePushActivity', { branch: 'main', forcePushes: 2, since: '2025-01-01' })] }),
    ],
    target: gh,
  },
  {
    name: 'branch fully protected, reviews enforced, no Source VSA',
    checks: [
      branchProtectionFull(),
      codeReviewAll(),
      check('Source-Attestations', {
        evidence: [ev('sourceVsa', { verified: true, level: 1 }), ev('sourceProvenance', { verified: true })],
      }),
    ],
    target: gh,
  },
  {
    name: 'token cannot read branch protection',
    checks: [
      branchProtectionForbidden(),
      check('Org-Settings', { score: null, unknowns: [{ fact: 'twoFactor', reason: '403', needs: 'owner token' }] }),
    ],
    target: gh,
  },
  {
    name: 'GitLab: token cannot read settings',
    checks: [
      branchProtectionForbidden(),
      check('Org-Settings', { score: null, unknowns: [{ fact: 'twoFactor', reason: '403', needs: 'group owner token' }] }),
    ],
    target: gitlabApi(),
  },
  {
    name: 'reviews observed, not enforced-known',
    checks: [codeReviewAll(), check('Signed-Commits', { evidence: [ev('commitVerification', { verified: 30, total: 30 })] })],
    target: gh,
  },
  {
    name: 'unreviewed changes observed',
    checks: [check('Code-Review', { score: 3, evidence: [ev('codeReview', { changesets: 30, reviewed: 9 })] })],
    target: gh,
  },
  {
    name: 'code review unreadable',
    checks: [check('Code-Review', { score: null, unknowns: [{ fact: 'reviews', reason: 'HTTP 403', needs: 'Pull requests: read' }] })],
    target: gh,
  },
  {
    name: 'source-tool configured; expunging documented',
    checks: [
      check('Source-Attestations', { evidence: [ev('sourceTool', { via: 'workflow' })] }),
      check('Docs', { evidence: [ev('expungingPolicy', { path: 'GOVERNANCE.md' })] }),
    ],
    target: gh,
  },
  {
    name: 'source attestations missing',
    checks: [check('Source-Attestations', { score: 0, findings: [fi('sourceVsaMissing'), fi('sourceProvenanceMissing')] })],
    target: gh,
  },
  {
    name: 'source attestations unreadable',
    checks: [
      check('Source-Attestations', {
        score: null,
        unknowns: [{ fact: 'gitNotes', reason: 'refs/notes/* not fetched', needs: 'git fetch origin refs/notes/*' }],
      }),
    ],
    target: gh,
  },
  {
    name: 'verified signed tags, local',
    checks: [check('Signed-Tags', { evidence: [ev('signedTag', { tag: 'v1.0.0', verification: 'verified', verified: true })] })],
    target: local,
  },
];
