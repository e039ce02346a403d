/**
 * SLSA v1.2 Build track, L0–L3 (`releases/v1.2:spec/build-requirements.md`; identical in v1.0 and v1.1).
 * Ids follow the spec's anchors. A level is a property of an artifact, proved by provenance verified
 * against a roots-of-trust table (verifying-artifacts.md): verified provenance from a builder trusted
 * for L`n` meets the L`n` requirements; the CI configuration only indicates them.
 */
import type { FrameworkSpec } from '../model.js';
import { choosePlatform, consistentProcess, hosted, isolated, provenance } from './shared.js';

export const v12Build: FrameworkSpec = {
  id: 'slsa-v1.2-build',
  name: 'SLSA v1.2 Build track',
  source: 'https://slsa.dev/spec/v1.2/build-requirements',
  levels: [0, 1, 2, 3],
  levelNames: { 0: 'No guarantees', 1: 'Provenance exists', 2: 'Hosted build platform', 3: 'Hardened builds' },
  requirements: [
    {
      id: 'build.choose-platform',
      name: 'Choose an appropriate build platform',
      category: 'Producer',
      levels: [1, 2, 3],
      summary: 'The producer builds on a platform capable of the Build level it wants.',
      how: 'met: verified provenance from a builder in the roots-of-trust table; indicated: releases built by GitHub Actions / GitLab CI jobs.',
      evaluate: choosePlatform(),
      remediation:
        'Build releases on a platform that can reach the level you want — GitHub Actions or GitLab CI with their provenance generators reach Build L3.',
      step: 'release-provenance',
    },
    {
      id: 'build.consistent-process',
      name: 'Follow a consistent build process',
      category: 'Producer',
      levels: [1, 2, 3],
      summary: 'Every release is built the same way, so verifiers can form expectations (same builder, build type, entry point).',
      how: 'met/not_met: provenance of recent releases compared (online); indicated: releases built by CI jobs defined in the repository.',
      evaluate: consistentProcess(),
      remediation:
        'Build every release with the same CI workflow (one entry point, triggered by the release tag) rather than by hand or ad hoc.',
      step: 'release-provenance',
    },
    {
      id: 'build.distribute-provenance',
      name: 'Distribute provenance',
      category: 'Producer',
      levels: [1, 2, 3],
      summary: 'Consumers can fetch the provenance of what they download (release assets, attestations API, package registry).',
      how: 'met: provenance found where the project publishes (online); not_met: none published for recent releases; indicated: a generator that publishes it (GitHub attestations, release assets, npm/PyPI) is configured.',
      evaluate: provenance(1, { distributed: true }),
      remediation:
        'Publish provenance where consumers get the artifacts: GitHub artifact attestations, `*.intoto.jsonl` release assets, npm `--provenance`, PyPI attestations.',
      step: 'release-provenance',
    },
    {
      id: 'build.provenance-exists',
      name: 'Provenance generation: Exists',
      category: 'Build platform',
      levels: [1, 2, 3],
      summary: 'The build generates provenance identifying the output by digest and describing how it was produced.',
      how: 'met: provenance found for the published artifacts (online); not_met: none published, or the configured generator cannot run; indicated: a generator is configured in CI.',
      evaluate: provenance(1),
      remediation:
        'Generate SLSA provenance for every release artifact in CI (actions/attest-build-provenance, slsa-github-generator, npm --provenance, GitLab runner provenance).',
      step: 'release-provenance',
    },
    {
      id: 'build.provenance-authentic',
      name: 'Provenance generation: Authentic',
      category: 'Build platform',
      levels: [2, 3],
      summary: 'Provenance is signed by the build platform (control plane), so consumers can check it was not tampered with.',
      how: 'met: signature and identity verify, builder trusted for L2+ (online); not_met: invalid, unsigned, or only L1 generators configured; indicated: an L2+ generator is configured.',
      evaluate: provenance(2),
      remediation:
        'Sign provenance with the platform identity: GitHub artifact attestations (OIDC + Sigstore) or keyless cosign with GitLab id_tokens — not unsigned metadata or a key stored in secrets.',
      step: 'release-provenance',
    },
    {
      id: 'build.provenance-unforgeable',
      name: 'Provenance generation: Unforgeable',
      category: 'Build platform',
      levels: [3],
      summary:
        'Provenance cannot be forged by the build steps: the signing secret is out of their reach and every field comes from the control plane.',
      how: 'met: verified provenance from a builder trusted for L3 (slsa-github-generator, reusable-workflow attestations, GitLab L3 attestation); not_met: only lower levels verified or configured; indicated: an L3 generator is configured.',
      evaluate: provenance(3),
      remediation:
        'Generate provenance in an isolated builder: slsa-github-generator, or actions/attest-build-provenance inside a reusable workflow; on GitLab, ATTEST_BUILD_ARTIFACTS.',
      step: 'provenance-l3',
    },
    {
      id: 'build.hosted',
      name: 'Isolation strength: Hosted',
      category: 'Build platform',
      levels: [2, 3],
      summary: 'All build steps run on a hosted build platform, not on a workstation.',
      how: 'met: verified provenance records a hosted platform / runner environment; indicated: release jobs on hosted runners in CI config; unknown: self-hosted or custom runners (could be dedicated infrastructure).',
      evaluate: hosted(),
      remediation:
        'Run release builds on GitHub-hosted runners or GitLab.com hosted runners (or dedicated build infrastructure), never on a developer machine.',
      step: 'hosted-runners',
    },
    {
      id: 'build.isolated',
      name: 'Isolation strength: Isolated',
      category: 'Build platform',
      levels: [3],
      summary:
        'Builds run in isolated, ephemeral environments: no access to platform secrets, no influence between builds, no cache poisoning.',
      how: 'met: verified provenance from an L3 builder or a hosted runner environment; not_met: release jobs on self-hosted/third-party runners (provenance says self-hosted); indicated: hosted runners in CI config.',
      evaluate: isolated('isolated, ephemeral builds'),
      remediation:
        "Build releases on the provider's hosted runners (a fresh VM per job) and keep caches out of release jobs; self-hosted runners cannot be verified as isolated.",
      step: 'hosted-runners',
    },
  ],
};
