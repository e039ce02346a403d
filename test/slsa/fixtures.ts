/** Fixtures for the SLSA tests: targets, synthetic check results (incl. the future API checks) and real temp repositories. */
import type { CheckResult } from '../../src/engine.js';
import type { AssessmentTarget } from '../../src/assessment.js';
import type { Evidence, Finding, Risk, UnknownNote } from '../../src/check.js';
import { assess } from '../../src/assessment.js';
import { LocalSource } from '../../src/sources/local/index.js';
import { builtinChecks } from '../../checks/index.js';

/** The checks that need a platform API: these tests give them as synthetic results where they matter. */
const API_CHECKS = new Set([
  'Branch-Protection',
  'Code-Review',
  'CI-Tests',
  'Maintained',
  'Contributors',
  'Signed-Releases',
  'Webhooks',
  'CII-Best-Practices',
  'Vulnerabilities',
]);
const FILE_CHECKS = builtinChecks.filter((c) => !API_CHECKS.has(c.id));
import { tempTree } from '../helpers/facts.js';

export const SHA = 'b4ffde65f46336ab88eb53be808477a3936bae11';
export const COMMIT = '0123456789abcdef0123456789abcdef01234567';

export function target(over: Partial<AssessmentTarget> = {}): AssessmentTarget {
  return { platform: 'local', host: null, repo: null, commit: COMMIT, source: 'local', branch: 'main', ...over };
}

export const githubApi = (over: Partial<AssessmentTarget> = {}): AssessmentTarget =>
  target({
    platform: 'github',
    host: 'github.com',
    repo: 'acme/widget',
    source: 'github-api',
    url: 'https://github.com/acme/widget',
    ...over,
  });

export const gitlabApi = (over: Partial<AssessmentTarget> = {}): AssessmentTarget =>
  target({
    platform: 'gitlab',
    host: 'gitlab.com',
    repo: 'acme/tools/widget',
    source: 'gitlab-api',
    url: 'https://gitlab.com/acme/tools/widget',
    ...over,
  });

export function check(
  name: string,
  parts: {
    score?: number | null;
    evidence?: Evidence[];
    findings?: Finding[];
    unknowns?: UnknownNote[];
    reason?: string;
    risk?: Risk;
  } = {},
): CheckResult {
  return {
    name,
    score: parts.score === undefined ? 10 : parts.score,
    risk: parts.risk ?? 'high',
    reason: parts.reason ?? `${name} result`,
    description: name,
    findings: parts.findings ?? [],
    evidence: parts.evidence ?? [],
    unknowns: parts.unknowns ?? [],
    slsa: [],
    durationMs: 0,
  };
}

export const ev = (kind: string, values: Evidence['values'] = {}, message = kind, location?: Evidence['location']): Evidence => ({
  kind,
  message,
  values,
  ...(location ? { location } : {}),
});
export const fi = (rule: string, message = rule, location?: Finding['location'], patch?: string): Finding => ({
  rule,
  severity: 'high',
  message,
  ...(location ? { location } : {}),
  ...(patch ? { remediation: { text: 'fix', patch } } : {}),
});

// ── the future platform-API checks, as they will report ──

/** Branch-Protection read through the API: everything enforced. */
export const branchProtectionFull = (): CheckResult =>
  check('Branch-Protection', {
    evidence: [
      ev(
        'branchProtection',
        {
          branch: 'main',
          authoritative: true,
          forcePushBlocked: true,
          deletionBlocked: true,
          requiredApprovals: 1,
          requireLastPushApproval: true,
          dismissStaleReviews: true,
          requiredStatusChecks: 1,
          enforcedForAdmins: true,
          bypassActors: 0,
        },
        'main: ruleset blocks force pushes and deletion, requires 1 approval',
      ),
      ev(
        'tagProtection',
        { pattern: 'refs/tags/v*', authoritative: true, updateBlocked: true, deletionBlocked: true },
        'tags v*: update and deletion blocked',
      ),
      ev('forcePushActivity', { branch: 'main', forcePushes: 0, since: '2025-01-01T00:00:00Z' }, 'no force pushes to main'),
    ],
  });

/** Branch-Protection when the token could not read protection. */
export const branchProtectionForbidden = (): CheckResult =>
  check('Branch-Protection', {
    score: null,
    reason: 'branch protection could not be read',
    unknowns: [
      {
        fact: 'branchProtection',
        reason: 'HTTP 403 from GET /repos/acme/widget/branches/main/protection',
        needs: 'a token with Administration: read on acme/widget',
      },
    ],
  });

export const codeReviewAll = (): CheckResult =>
  check('Code-Review', {
    evidence: [ev('codeReview', { changesets: 30, reviewed: 30 }, '30/30 recent changes approved by a second person')],
  });
export const orgSettings2fa = (): CheckResult =>
  check('Org-Settings', { evidence: [ev('twoFactorRequired', { enforced: true, scope: 'organization' }, 'acme requires 2FA')] });

/** Provenance verified online: slsa-github-generator, Build L3, GitHub-hosted. */
export const verifiedProvenanceL3 = (over: Evidence['values'] = {}): CheckResult =>
  check('Provenance', {
    evidence: [
      ev(
        'verifiedProvenance',
        {
          artifact: 'widget-1.2.0.tar.gz',
          buildLevel: 3,
          builder: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
          issuer: 'https://token.actions.githubusercontent.com',
          runnerEnvironment: 'github-hosted',
          distributedVia: 'release-asset',
          entryPoint: '.github/workflows/release.yml',
          externalInputs: 0,
          dependenciesComplete: false,
          ...over,
        },
        'widget-1.2.0.tar.gz: provenance verified (slsa-github-generator, Build L3)',
      ),
      ev(
        'provenanceConsistency',
        { releases: 5, consistent: true, entryPoint: '.github/workflows/release.yml' },
        'last 5 releases built the same way',
      ),
    ],
  });

export const sourceAttestationsL4 = (): CheckResult =>
  check('Source-Attestations', {
    evidence: [
      ev(
        'sourceVsa',
        { verified: true, level: 4, verifier: 'https://github.com/slsa-framework/source-actions' },
        'Source VSA: SLSA_SOURCE_LEVEL_4',
      ),
      ev('sourceProvenance', { verified: true }, 'source provenance verified'),
    ],
  });

// ── real repositories ──

export const RELEASE_WORKFLOW = `name: release
on:
  push:
    tags: ['v*']
permissions: read-all
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      hashes: \${{ steps.hash.outputs.hashes }}
    steps:
      - uses: actions/checkout@${SHA} # v4
      - uses: actions/setup-go@${SHA} # v5
      - run: make dist
      - id: hash
        run: echo "hashes=$(sha256sum dist/* | base64 -w0)" >> "$GITHUB_OUTPUT"
  provenance:
    needs: [build]
    permissions:
      actions: read
      id-token: write
      contents: write
    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0
    with:
      base64-subjects: \${{ needs.build.outputs.hashes }}
      upload-assets: true
`;

/** Runs the built-in checks on a temporary git repository with these files. */
export async function assessFiles(files: Record<string, string>): Promise<{ checks: CheckResult[]; target: AssessmentTarget }> {
  const t = tempTree(files, { git: true });
  try {
    const a = await assess(new LocalSource(t.dir), { checks: FILE_CHECKS, now: new Date('2026-01-01T00:00:00Z') });
    return { checks: a.checks, target: a.target };
  } finally {
    t.cleanup();
  }
}
