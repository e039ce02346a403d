import { afterAll, describe, expect, it } from 'vitest';
import provenance from '../../checks/provenance.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';
import { evaluateCheck, type CheckResult } from '../../src/engine.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { TagInfo } from '../../src/facts/model.js';
import type { Release } from '../../src/facts/platform.js';
import { memorySource, storeOf } from '../fake-services/source.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

async function run(files: Record<string, string>): Promise<CheckResult> {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return runCheckOnDir(provenance, t.dir);
}

const at = (l?: { path: string; line?: number; column?: number }) => (l ? `${l.path}:${l.line}:${l.column}` : undefined);
const rules = (r: CheckResult) => r.findings.map((f) => [f.rule, f.severity, at(f.location)]);
const gens = (r: CheckResult) =>
  r.evidence
    .filter((e) => e.kind === 'provenanceGenerator')
    .map((e) => [e.values?.tool, e.values?.buildLevel, e.values?.certainty, e.values?.ready, at(e.location)]);

describe('Provenance on GitHub', () => {
  it('slsa-github-generator by tag is Build L3 and scores 10', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
permissions: read-all
jobs:
  build:
    runs-on: ubuntu-latest
    outputs:
      hashes: \${{ steps.hash.outputs.hashes }}
    steps:
      - uses: goreleaser/goreleaser-action@v6
        with:
          args: release --clean
      - id: hash
        run: echo "hashes=x" >> "$GITHUB_OUTPUT"
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
`,
    });
    expect(r.score).toBe(10);
    expect(r.reason).toBe('slsa-github-generator generates Build L3 provenance (1/1 publishing workflow(s) covered)');
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      {
        kind: 'provenanceGenerator',
        message: 'slsa-github-generator generates Build L3 provenance in job `provenance`',
        location: expect.objectContaining({ path: '.github/workflows/release.yml', line: 22, column: 11 }),
        values: {
          tool: 'slsa-github-generator',
          builder: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v2.1.0',
          buildLevel: 3,
          platform: 'github',
          certainty: 'configured',
          ready: true,
          file: '.github/workflows/release.yml',
          job: 'provenance',
          ref: 'v2.1.0',
          via: 'goreleaser',
        },
      },
    ]);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'attestations' })]);
  });

  it('slsa-github-generator pinned by SHA or missing permissions cannot run', async () => {
    const sha = 'f7dd8c54c2067bafc12ca7a55595d5ee9b75204a';
    const r = await run({
      '.github/workflows/release.yml': `on: release
jobs:
  provenance:
    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@${sha}
    with:
      base64-subjects: abc
`,
    });
    expect(r.score).toBe(2);
    expect(rules(r)).toEqual([
      ['missingPermissions', 'high', '.github/workflows/release.yml:3:3'],
      ['generatorRefNotTag', 'high', '.github/workflows/release.yml:4:11'],
    ]);
    expect(r.findings[0].message).toBe(
      'job `provenance` uses slsa-github-generator but its GITHUB_TOKEN lacks `id-token: write`, `actions: read`: provenance generation fails',
    );
    expect(r.findings[0].remediation).toEqual({
      text: 'Add the block below to job `provenance` (.github/workflows/release.yml:3).',
      patch: [
        '    permissions:',
        '      contents: read',
        '      id-token: write # mint the OIDC token Sigstore signs with',
        '      actions: read # read the workflow run (slsa-github-generator)',
      ].join('\n'),
    });
    expect(gens(r)).toEqual([['slsa-github-generator', 3, 'configured', false, '.github/workflows/release.yml:4:11']]);
    expect(r.findings[1].remediation?.patch).toBe(
      'uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0',
    );
  });

  it('actions/attest-build-provenance is L2; missing attestations: write gets the exact permissions block', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
permissions:
  contents: write
jobs:
  release:
    runs-on: ubuntu-latest
    permissions:
      contents: write
      id-token: write
    steps:
      - run: make dist && gh release create "$GITHUB_REF_NAME" dist/*
      - uses: actions/attest-build-provenance@v2
        with:
          subject-path: dist/*
`,
    });
    expect(r.score).toBe(2);
    expect(rules(r)).toEqual([['missingPermissions', 'high', '.github/workflows/release.yml:9:5']]);
    expect(r.findings[0].remediation).toEqual({
      text: 'Replace the `permissions:` of job `release` (.github/workflows/release.yml:9) with the block below.',
      // Existing scopes are kept as they are; only the added one is commented.
      patch: [
        '    permissions:',
        '      contents: write',
        '      id-token: write',
        '      attestations: write # store the attestation',
      ].join('\n'),
    });
  });

  it('attest in a reusable workflow is L3 and covers the workflow that calls it', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
jobs:
  build:
    permissions:
      id-token: write
      attestations: write
      contents: write
    uses: ./.github/workflows/build.yml
  publish:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: gh release upload "$GITHUB_REF_NAME" dist/*
`,
      '.github/workflows/build.yml': `on: workflow_call
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: make dist
      - uses: actions/attest@v2
        with:
          subject-path: dist/*
`,
    });
    expect(r.score).toBe(10);
    expect(gens(r)).toEqual([['actions/attest', 3, 'configured', true, '.github/workflows/build.yml:7:15']]);
    expect(r.findings).toEqual([]);
  });

  it('npm --provenance is L2; npm publish with only id-token: write is indicated; SBOM attestations are not provenance', async () => {
    const r = await run({
      '.github/workflows/npm.yml': `on: release
permissions:
  id-token: write
jobs:
  flag:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish --provenance --access public
  env:
    runs-on: ubuntu-latest
    env:
      NPM_CONFIG_PROVENANCE: "true"
    steps:
      - run: pnpm publish -r
  trusted:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
      - uses: actions/attest@v2
        with:
          subject-path: sbom.json
          predicate-type: https://cyclonedx.org/bom
          predicate-path: sbom.json
`,
    });
    expect(gens(r)).toEqual([
      ['npm', 2, 'configured', true, '.github/workflows/npm.yml:8:14'],
      ['npm', 2, 'configured', true, '.github/workflows/npm.yml:14:14'],
      ['npm', 2, 'indicated', true, '.github/workflows/npm.yml:18:14'],
    ]);
    expect(r.score).toBe(8);
  });

  it('PyPI: trusted publishing attests, a token does not', async () => {
    const r = await run({
      '.github/workflows/pypi.yml': `on: release
jobs:
  trusted:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
`,
      '.github/workflows/token.yml': `on: release
jobs:
  token:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@v1.8.14
        with:
          password: \${{ secrets.PYPI_TOKEN }}
`,
    });
    expect(gens(r)).toEqual([['pypi-attestations', 2, 'configured', true, '.github/workflows/pypi.yml:8:15']]);
    expect(r.score).toBe(4); // ⌊8 · 1/2⌋: token.yml publishes without provenance
    expect(rules(r)).toEqual([
      ['pypiTokenUpload', 'medium', '.github/workflows/token.yml:6:15'],
      ['publishWithoutProvenance', 'high', '.github/workflows/token.yml:6:15'],
    ]);
    expect(r.reason).toBe('pypi-attestations generates Build L2 provenance (1/2 publishing workflow(s) covered)');
  });

  it('cosign attest: keyless is L2, with a key L1; cosign sign is signing, not provenance', async () => {
    const r = await run({
      '.github/workflows/image.yml': `on: release
jobs:
  image:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      packages: write
    steps:
      - run: docker push ghcr.io/o/app:1
      - run: cosign sign --yes ghcr.io/o/app@sha256:abc
      - run: cosign attest --yes --type slsaprovenance --predicate p.json ghcr.io/o/app@sha256:abc
      - run: cosign attest --key env://COSIGN_KEY --type slsaprovenance1 --predicate p.json ghcr.io/o/app@sha256:abc
`,
    });
    expect(gens(r)).toEqual([
      ['cosign', 2, 'configured', true, '.github/workflows/image.yml:11:14'],
      ['cosign', 1, 'configured', true, '.github/workflows/image.yml:12:14'],
    ]);
    expect(r.evidence.filter((e) => e.kind === 'artifactSigning').map((e) => [e.values?.tool, e.values?.keyless, at(e.location)])).toEqual([
      ['cosign', true, '.github/workflows/image.yml:10:14'],
    ]);
    expect(r.score).toBe(8);
  });

  it('finds actions/attest inside a local composite action', async () => {
    const r = await run({
      '.github/workflows/ci.yml': `on: push
jobs:
  t:
    runs-on: ubuntu-latest
    permissions:
      id-token: write
      attestations: write
    steps:
      - uses: ./
`,
      'action.yml': `name: x
runs:
  using: composite
  steps:
    - uses: actions/attest@v4
      with:
        subject-path: a
`,
    });
    expect(r.score).toBe(8);
    expect(r.evidence[0].values).toMatchObject({ tool: 'actions/attest', via: 'action.yml', file: '.github/workflows/ci.yml', job: 't' });
    expect(at(r.evidence[0].location)).toBe('action.yml:5:13');
  });

  it("a caller granting attestations: write to another repository's reusable workflow is indicated", async () => {
    const r = await run({
      '.github/workflows/release.yml': `on: workflow_dispatch
jobs:
  release:
    permissions:
      id-token: write
      attestations: write
    uses: org/shared/.github/workflows/release.yaml@v1
`,
    });
    expect(gens(r)).toEqual([
      ['reusable workflow org/shared/.github/workflows/release.yaml', 3, 'indicated', true, '.github/workflows/release.yml:7:11'],
    ]);
    expect(r.score).toBe(5);
  });

  it('publishing without provenance: 0 with a finding at the publish step', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: goreleaser/goreleaser-action@v6
        with:
          args: release --clean
`,
    });
    expect(r.score).toBe(0);
    expect(r.reason).toBe('publishes without generating provenance');
    expect(rules(r)).toEqual([['publishWithoutProvenance', 'high', '.github/workflows/release.yml:8:15']]);
    expect(r.findings[0].remediation?.patch).toBe(
      "      - uses: actions/attest-build-provenance@v4\n        with:\n          subject-path: 'dist/*'",
    );
  });

  it('nothing at all: 0 with a release workflow to add', async () => {
    const r = await run({
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n',
    });
    expect(r.score).toBe(0);
    expect(r.reason).toBe('no provenance generation configured');
    expect(rules(r)).toEqual([['noProvenance', 'high', undefined]]); // the fix is a new workflow file: no invented location
    expect(r.findings[0].remediation?.patch).toContain('actions/attest-build-provenance@v4');
    expect(r.findings[0].remediation?.patch).toContain(
      'slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0',
    );
  });
});

describe('Provenance on GitLab', () => {
  it('ATTEST_BUILD_ARTIFACTS on a build-stage job is L3; on another stage it is a finding', async () => {
    const r = await run({
      '.gitlab-ci.yml': `build:
  stage: build
  variables:
    ATTEST_BUILD_ARTIFACTS: "true"
  script:
    - make dist
  artifacts:
    paths: [dist/]
package:
  stage: deploy
  variables:
    ATTEST_BUILD_ARTIFACTS: "true"
  script:
    - make package
`,
    });
    expect(gens(r)).toEqual([
      ['gitlab-attestation', 3, 'configured', true, '.gitlab-ci.yml:4:29'],
      ['gitlab-attestation', 3, 'configured', false, '.gitlab-ci.yml:12:29'],
    ]);
    expect(rules(r)).toEqual([['attestationStage', 'high', '.gitlab-ci.yml:12:29']]);
    expect(r.findings[0].remediation?.patch).toBe('  stage: build');
    expect(r.score).toBe(10);
  });

  it('keyless cosign needs an id token with aud sigstore (exact block); runner metadata is L1', async () => {
    const r = await run({
      '.gitlab-ci.yml': `variables:
  RUNNER_GENERATE_ARTIFACTS_METADATA: "true"
sign:
  image: alpine
  script:
    - cosign attest-blob --yes --type slsaprovenance1 --predicate p.json app.tgz
release:
  id_tokens:
    SIGSTORE_ID_TOKEN:
      aud: sigstore
  script:
    - npm publish --provenance
`,
    });
    expect(gens(r)).toEqual([
      ['gitlab-runner-metadata', 1, 'configured', true, '.gitlab-ci.yml:2:39'],
      ['cosign', 2, 'configured', false, '.gitlab-ci.yml:6:7'],
      ['npm', 2, 'configured', true, '.gitlab-ci.yml:12:7'],
    ]);
    expect(rules(r)).toEqual([['missingIdToken', 'high', '.gitlab-ci.yml:6:7']]);
    expect(r.findings[0].remediation?.patch).toBe('  id_tokens:\n    SIGSTORE_ID_TOKEN:\n      aud: sigstore');
    expect(r.score).toBe(8);
  });

  it('a provenance component counts as L2', async () => {
    const r = await run({
      '.gitlab-ci.yml': 'include:\n  - component: gitlab.com/gitlab-org/components/slsa/provenance@1.0.0\ntest:\n  script: [make]\n',
    });
    expect(gens(r)).toEqual([['component gitlab.com/gitlab-org/components/slsa/provenance', 2, 'configured', true, '.gitlab-ci.yml:2:5']]);
    expect(r.score).toBe(8);
  });

  it('nothing at all: 0 with the GitLab snippet', async () => {
    const r = await run({ '.gitlab-ci.yml': 'test:\n  script: [make test]\n' });
    expect(r.score).toBe(0);
    expect(rules(r)).toEqual([['noProvenance', 'high', '.gitlab-ci.yml:1:1']]);
    expect(r.findings[0].remediation?.patch).toContain('cosign attest-blob');
    expect(r.findings[0].remediation?.patch).toContain('aud: sigstore');
  });
});

describe('Provenance: noArtifacts, only on positive knowledge', () => {
  const CI = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n';
  const rel = (tag: string): Release => ({ tag, author: null, assets: [] });
  const tag = (name: string): TagInfo => ({ name, commit: 'c'.repeat(40), annotated: false, signature: null, verified: null });

  /** Provenance through the engine, with tags/releases answered from memory and their reads counted. */
  async function withPlatform(
    files: Record<string, string>,
    tags: Fact<TagInfo[]> | undefined,
    releases: Fact<Release[]> | undefined,
    platform: 'github' | 'gitlab' = 'github',
  ) {
    const reads: string[] = [];
    const providers = {
      ...(tags ? { tags: async () => (reads.push('tags'), tags) } : {}),
      ...(releases ? { releases: async () => (reads.push('releases'), releases) } : {}),
    };
    const r = await evaluateCheck(provenance, storeOf(memorySource(platform, files, {}, providers), { offline: true }));
    return { r, reads, nothing: r.evidence.filter((e) => e.kind === 'noArtifacts') };
  }

  it('no release, no tag and CI that neither publishes nor releases → noArtifacts, and the check does not apply (null)', async () => {
    const { r, reads, nothing } = await withPlatform({ '.github/workflows/ci.yml': CI }, known([]), known([]));
    expect(nothing).toEqual([
      {
        kind: 'noArtifacts',
        message: expect.stringContaining('it publishes no artifacts'),
        values: { releases: 0, tags: 0 },
      },
    ]);
    expect(reads.sort()).toEqual(['releases', 'tags']);
    // Nothing is published: not a 0 for missing provenance, but nothing to assess (like Packaging's null).
    expect(r.score).toBeNull();
    expect(r.reason).toBe('the project publishes no artifacts: provenance does not apply');
    expect(r.findings.map((f) => f.rule)).toEqual([]);
  });

  it('a tag, a release, or either one unknown → no noArtifacts', async () => {
    const files = { 'README.md': 'x\n' };
    expect((await withPlatform(files, known([tag('v1.0.0')]), known([]))).nothing).toEqual([]);
    expect((await withPlatform(files, known([]), known([rel('v1.0.0')]))).nothing).toEqual([]);
    expect((await withPlatform(files, unknown('HTTP 502'), known([]))).nothing).toEqual([]);
    // Not provided by the source (a local checkout has no releases): unknown, never "none".
    expect((await withPlatform(files, known([]), undefined)).nothing).toEqual([]);
  });

  it.each([
    ['a tag-triggered workflow', { '.github/workflows/r.yml': CI.replace('on: push', 'on:\n  push:\n    tags: [v*]') }],
    ['a release-triggered workflow', { '.github/workflows/r.yml': CI.replace('on: push', 'on:\n  release:\n    types: [published]') }],
    [
      'publishing, even for pull requests',
      { '.github/workflows/p.yml': CI.replace('on: push', 'on: pull_request').replace('make test', 'npm publish') },
    ],
    ['signing', { '.github/workflows/s.yml': CI.replace('make test', 'cosign sign-blob --yes dist/app.tgz') }],
    [
      'another repository’s reusable workflow',
      { '.github/workflows/x.yml': 'on: push\njobs:\n  x:\n    uses: acme/shared/.github/workflows/ci.yml@v1\n' },
    ],
    ['a provenance generator', { '.github/workflows/a.yml': CI.replace('- run: make test', '- uses: actions/attest-build-provenance@v2') }],
  ])('CI with %s: tags and releases are not even read', async (_, files) => {
    const { nothing, reads } = await withPlatform(files, known([]), known([]));
    expect(nothing).toEqual([]);
    expect(reads).toEqual([]);
  });

  it.each([
    ['a job for tags', 'build:\n  script: [make]\n  rules:\n    - if: $CI_COMMIT_TAG\n'],
    ['only: tags', 'build:\n  script: [make]\n  only: [tags]\n'],
    ['a remote include', 'include:\n  - remote: https://example.com/ci.yml\ntest:\n  script: [make test]\n'],
    ['a child pipeline', 'child:\n  trigger:\n    include: child.yml\n'],
  ])('GitLab with %s → no noArtifacts', async (_, ci) => {
    expect((await withPlatform({ '.gitlab-ci.yml': ci }, known([]), known([]), 'gitlab')).nothing).toEqual([]);
  });

  it('GitLab with test jobs only → noArtifacts', async () => {
    const { nothing } = await withPlatform({ '.gitlab-ci.yml': 'test:\n  script: [make test]\n' }, known([]), known([]), 'gitlab');
    expect(nothing.map((e) => e.values)).toEqual([{ releases: 0, tags: 0 }]);
  });
});
