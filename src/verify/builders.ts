/**
 * Roots of trust: (signer identity, builder.id) → the highest SLSA Build level that signer can
 * vouch for (SLSA v1.2 verifying-artifacts, step 1: "look up the level, defaulting to L1").
 *
 * Each root is a small rule over the signing certificate's identity and the (signed) provenance:
 * - slsa-github-generator reusable workflows (`generator_*`, `builder_*`, `delegator_*` `_slsa3.yml`
 *   in slsa-framework/slsa-github-generator at a `refs/tags/vX.Y.Z` release, as slsa-verifier
 *   requires) → L3; builder.id must name the signing workflow (or, for the BYOB delegators, another
 *   workflow of the generator).
 * - GitHub artifact attestations (actions/attest, buildType actions.github.io/buildtypes/workflow/v1):
 *   signed by a reusable workflow (Build Signer URI ≠ Build Config URI) → L3, GitHub's documented path
 *   to Build L3; signed by the repository's own workflow → L2.
 * - npm provenance (npm CLI on a GitHub-hosted runner, builder.id
 *   https://github.com/actions/runner/github-hosted) → L2.
 * - GitLab CI (issuer https://gitlab.com) on a GitLab-hosted runner → L2: the pipeline's own identity
 *   signed the provenance. GitLab's control-plane "SLSA level 3" attestations (ATTEST_BUILD_ARTIFACTS,
 *   an experiment) would be L3, but their signer identity is not documented, so no root maps to L3
 *   yet; add one with `extraRoots` once it is.
 * Anything else that is signed — a fork or copy of the generator, a workflow signing its own
 * provenance with cosign, a person — is untrusted: L1 at most (provenance exists).
 * A self-hosted runner caps every root at L1 (Build L2 requires a hosted build platform).
 */
import { GITHUB_ACTIONS_ISSUER, GITLAB_ISSUER, type CertificateIdentity } from './certificate.js';
import { normalizeRepo, sameRepo, type Provenance } from './intoto.js';

export type BuildLevel = 0 | 1 | 2 | 3;

export interface BuilderVerdict {
  /** The builder as the provenance names it (falls back to the signer). */
  id: string | null;
  /** Which root matched (`slsa-github-generator`, `github-artifact-attestation`, …) or `untrusted`. */
  root: string;
  trusted: boolean;
  /** The highest Build level this signer/builder can vouch for. */
  maxLevel: BuildLevel;
  reason: string;
}

export interface RootOfTrust {
  id: string;
  description: string;
  /** A verdict when the rule applies to this signer + provenance, else null. */
  match(identity: CertificateIdentity, provenance: Provenance): Omit<BuilderVerdict, 'root'> | null;
}

export const GENERATOR_REPO = 'slsa-framework/slsa-github-generator';
const GENERATOR_WORKFLOW =
  /^https:\/\/github\.com\/slsa-framework\/slsa-github-generator\/\.github\/workflows\/((?:generator|builder|delegator)_[A-Za-z0-9_.-]+_slsa3\.yml)@(refs\/tags\/v\d+\.\d+\.\d+)$/;
const GENERATOR_LIKE =
  /^https:\/\/github\.com\/([^/]+\/[^/]+)\/\.github\/workflows\/((?:generator|builder|delegator)_[A-Za-z0-9_.-]+_slsa3\.yml)@(.+)$/;

export const GITHUB_ATTEST_BUILD_TYPE = 'https://actions.github.io/buildtypes/workflow/v1';
export const NPM_BUILD_TYPE = 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1';
export const GITHUB_HOSTED_BUILDER = 'https://github.com/actions/runner/github-hosted';
export const GITHUB_SELF_HOSTED_BUILDER = 'https://github.com/actions/runner/self-hosted';

/** The workflow that signed: Build Signer URI, else the URI SAN. */
export function signerUri(identity: CertificateIdentity): string | null {
  return identity.buildSignerUri ?? identity.subjectAlternativeName;
}

/** Build Config URI (`.1.18`) without its ref, e.g. `https://github.com/o/r/.github/workflows/x.yml`. */
function withoutRef(uri: string | null): string | null {
  if (!uri) return null;
  const at = uri.indexOf('@');
  return at >= 0 ? uri.slice(0, at) : uri;
}

const slsaGithubGenerator: RootOfTrust = {
  id: 'slsa-github-generator',
  description: 'slsa-framework/slsa-github-generator reusable workflows at a vX.Y.Z release tag (Build L3)',
  match(identity, provenance) {
    if (identity.issuer !== GITHUB_ACTIONS_ISSUER) return null;
    const signer = signerUri(identity);
    const m = signer ? GENERATOR_WORKFLOW.exec(signer) : null;
    if (!m) return null;
    const delegator = m[1].startsWith('delegator_');
    const builderOk = delegator ? !!provenance.builderId && GENERATOR_WORKFLOW.test(provenance.builderId) : provenance.builderId === signer;
    if (!builderOk) {
      return {
        id: provenance.builderId,
        trusted: false,
        maxLevel: 1,
        reason: `builder.id ${JSON.stringify(provenance.builderId)} does not match the signing workflow ${signer}`,
      };
    }
    return {
      id: provenance.builderId,
      trusted: true,
      maxLevel: 3,
      reason: `signed by the trusted SLSA generator workflow ${m[1]}@${m[2]}`,
    };
  },
};

const githubArtifactAttestation: RootOfTrust = {
  id: 'github-artifact-attestation',
  description: 'GitHub artifact attestations (actions/attest): reusable-workflow signer → L3, own workflow → L2',
  match(identity, provenance) {
    if (identity.issuer !== GITHUB_ACTIONS_ISSUER || provenance.buildType !== GITHUB_ATTEST_BUILD_TYPE) return null;
    const signer = signerUri(identity);
    if (!signer || provenance.builderId !== signer) {
      return {
        id: provenance.builderId,
        trusted: false,
        maxLevel: 1,
        reason: `builder.id ${JSON.stringify(provenance.builderId)} does not match the certificate's signing workflow ${JSON.stringify(signer)}`,
      };
    }
    const config = identity.buildConfigUri;
    if (config && withoutRef(config) !== withoutRef(signer)) {
      return {
        id: provenance.builderId,
        trusted: true,
        maxLevel: 3,
        reason: `GitHub artifact attestation signed by the reusable workflow ${signer}, isolated from the calling workflow ${config}`,
      };
    }
    return {
      id: provenance.builderId,
      trusted: true,
      maxLevel: 2,
      reason: `GitHub artifact attestation signed by the repository's own workflow ${signer} (a reusable signing workflow would reach L3)`,
    };
  },
};

const npmGithubHosted: RootOfTrust = {
  id: 'npm-provenance',
  description: 'npm provenance from a GitHub-hosted runner (Build L2)',
  match(identity, provenance) {
    if (identity.issuer !== GITHUB_ACTIONS_ISSUER) return null;
    if (provenance.builderId !== GITHUB_HOSTED_BUILDER && provenance.builderId !== GITHUB_SELF_HOSTED_BUILDER) return null;
    if (provenance.builderId === GITHUB_SELF_HOSTED_BUILDER) {
      return {
        id: provenance.builderId,
        trusted: false,
        maxLevel: 1,
        reason: 'built on a self-hosted GitHub Actions runner (not a hosted build platform)',
      };
    }
    // The provenance's workflow must be the one the certificate names (provenance_forgeable in slsa-verifier).
    const config = identity.buildConfigUri ?? signerUri(identity);
    const repo = provenance.sourceRepo;
    const claimed = repo && provenance.workflowPath ? `https://${repo}/${provenance.workflowPath}` : null;
    if (claimed && config && withoutRef(config)?.toLowerCase() !== claimed.toLowerCase()) {
      return {
        id: provenance.builderId,
        trusted: false,
        maxLevel: 1,
        reason: `the provenance's workflow ${claimed} is not the workflow in the certificate (${config})`,
      };
    }
    return {
      id: provenance.builderId,
      trusted: true,
      maxLevel: 2,
      reason: `npm provenance signed by ${signerUri(identity)} on a GitHub-hosted runner`,
    };
  },
};

const gitlabHosted: RootOfTrust = {
  id: 'gitlab-ci',
  description: 'GitLab CI pipeline identity on a GitLab-hosted runner (Build L2)',
  match(identity, provenance) {
    if (identity.issuer !== GITLAB_ISSUER) return null;
    const certRepo = normalizeRepo(identity.sourceRepositoryUri);
    if (certRepo && provenance.sourceRepo && !sameRepo(certRepo, provenance.sourceRepo)) {
      return {
        id: provenance.builderId,
        trusted: false,
        maxLevel: 1,
        reason: `the provenance's source ${provenance.sourceRepo} is not the pipeline's project ${certRepo}`,
      };
    }
    if (identity.runnerEnvironment !== 'gitlab-hosted') {
      return {
        id: provenance.builderId,
        trusted: false,
        maxLevel: 1,
        reason: `signed by the GitLab pipeline of ${certRepo ?? 'an unknown project'} on a ${identity.runnerEnvironment ?? 'runner of unknown kind'} (not GitLab-hosted)`,
      };
    }
    return {
      id: provenance.builderId,
      trusted: true,
      maxLevel: 2,
      reason: `signed by the GitLab pipeline identity ${signerUri(identity)} on a GitLab-hosted runner`,
    };
  },
};

export const DEFAULT_ROOTS: readonly RootOfTrust[] = Object.freeze([
  slsaGithubGenerator,
  githubArtifactAttestation,
  npmGithubHosted,
  gitlabHosted,
]);

function untrustedReason(identity: CertificateIdentity | null, provenance: Provenance): string {
  if (!identity) return 'signed with a key, not by a build platform identity';
  const signer = signerUri(identity);
  const like = signer ? GENERATOR_LIKE.exec(signer) : null;
  if (like && like[1].toLowerCase() !== GENERATOR_REPO) {
    return `signed by ${like[1]}'s copy of the slsa-github-generator workflow ${like[2]}; only ${GENERATOR_REPO} is trusted`;
  }
  if (like) return `signed by ${GENERATOR_REPO}'s ${like[2]} at ${like[3]}, not a vX.Y.Z release tag`;
  if (identity.issuer !== GITHUB_ACTIONS_ISSUER && identity.issuer !== GITLAB_ISSUER) {
    return `signed by ${JSON.stringify(signer)} (issuer ${JSON.stringify(identity.issuer)}), not a known build platform`;
  }
  return `signed by ${JSON.stringify(signer)}, which is not a trusted builder (builder.id ${JSON.stringify(provenance.builderId)})`;
}

/** Which root of trust (if any) vouches for this signer + provenance, and up to which level. */
export function classifyBuilder(
  identity: CertificateIdentity | null,
  provenance: Provenance,
  roots: readonly RootOfTrust[] = DEFAULT_ROOTS,
): BuilderVerdict {
  let verdict: BuilderVerdict | null = null;
  if (identity) {
    for (const root of roots) {
      const v = root.match(identity, provenance);
      if (v) {
        verdict = { ...v, root: v.trusted ? root.id : 'untrusted' };
        break;
      }
    }
  }
  verdict ??= {
    id: provenance.builderId ?? (identity ? signerUri(identity) : null),
    root: 'untrusted',
    trusted: false,
    maxLevel: 1,
    reason: untrustedReason(identity, provenance),
  };
  const selfHosted = identity?.runnerEnvironment === 'self-hosted' || provenance.runnerEnvironment === 'self-hosted';
  if (selfHosted && verdict.maxLevel > 1) {
    verdict = {
      ...verdict,
      trusted: false,
      root: 'untrusted',
      maxLevel: 1,
      reason: `${verdict.reason}, but on a self-hosted runner (not a hosted build platform)`,
    };
  }
  return verdict;
}

/** `refs/tags/x` → tag, `refs/heads/x` → branch. */
export function refKind(ref: string | null): 'tag' | 'branch' | 'other' | null {
  if (!ref) return null;
  if (ref.startsWith('refs/tags/')) return 'tag';
  if (ref.startsWith('refs/heads/')) return 'branch';
  return 'other';
}
