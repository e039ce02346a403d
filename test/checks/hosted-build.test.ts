import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import hostedBuild from '../../checks/hosted-build.js';
import { gitEnv, runCheckOnDir, tempTree } from '../helpers/facts.js';
import type { CheckResult } from '../../src/engine.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

async function run(files: Record<string, string>, git: string[][] = []): Promise<CheckResult> {
  const t = tempTree(files, { git: git.length > 0 });
  cleanups.push(t.cleanup);
  for (const args of git) execFileSync('git', args, { cwd: t.dir, stdio: 'pipe', env: gitEnv() });
  return runCheckOnDir(hostedBuild, t.dir);
}

const at = (l?: { path: string; line?: number; column?: number }) => (l ? `${l.path}:${l.line}:${l.column}` : undefined);
const rules = (r: CheckResult) => r.findings.map((f) => [f.rule, f.severity, at(f.location)]);

describe('Hosted-Build on GitHub', () => {
  it('release jobs on GitHub-hosted runners score 10, with evidence at runs-on', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
jobs:
  test:
    runs-on: ubuntu-24.04
    steps:
      - run: make test
  publish:
    needs: test
    runs-on: [macos-14]
    steps:
      - run: gh release create "$GITHUB_REF_NAME" dist/*
`,
    });
    expect(r.score).toBe(10);
    expect(r.reason).toBe('all 2 release job(s) run on hosted runners');
    expect(r.findings).toEqual([]);
    expect(r.evidence.map((e) => [e.kind, e.values?.job, e.values?.runner, e.values?.why, at(e.location)])).toEqual([
      ['hostedBuild', 'test', 'github-hosted', 'runs on push:tags', '.github/workflows/release.yml:6:14'],
      ['hostedBuild', 'publish', 'github-hosted', 'publishes with gh release', '.github/workflows/release.yml:11:14'],
      // Tag-triggered only: the release workflow takes no user inputs (located at its trigger).
      ['releaseInputs', 'test,publish', undefined, undefined, '.github/workflows/release.yml:2:3'],
    ]);
    expect(r.evidence[2].values).toEqual({ file: '.github/workflows/release.yml', job: 'test,publish', inputs: 0 });
  });

  it('self-hosted, custom-labelled and third-party release runners are findings and cost their share', async () => {
    const r = await run({
      '.github/workflows/publish.yml': `on:
  release:
    types: [published]
  workflow_dispatch:
jobs:
  hosted:
    runs-on: windows-latest
    steps:
      - run: dotnet nuget push out/*.nupkg
  own:
    runs-on: [self-hosted, linux]
    steps:
      - run: docker push ghcr.io/o/r
  labelled:
    runs-on: [linux, gpu]
    steps:
      - run: cargo publish
  vendor:
    runs-on: buildjet-4vcpu-ubuntu-2204
    steps:
      - run: npm publish
`,
    });
    expect(r.score).toBe(2); // ⌊10·1/4⌋
    expect(r.reason).toBe('1/4 release job(s) run on hosted runners');
    expect(rules(r)).toEqual([
      ['selfHostedRelease', 'high', '.github/workflows/publish.yml:11:14'],
      ['customRunnerRelease', 'medium', '.github/workflows/publish.yml:15:14'],
      ['thirdPartyRunnerRelease', 'medium', '.github/workflows/publish.yml:19:14'],
    ]);
    expect(r.findings[0].message).toBe(
      'release job `own` (publishes with docker push) runs on a self-hosted runner (runs-on: self-hosted, linux)',
    );
    expect(r.findings[0].remediation?.patch).toBe('runs-on: ubuntu-latest');
  });

  it('resolves local reusable workflows and trusts the SLSA builders; dynamic labels are not counted', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
jobs:
  build:
    uses: ./.github/workflows/build.yml
  provenance:
    permissions:
      id-token: write
      actions: read
    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@v2.1.0
  matrix:
    strategy:
      matrix:
        os: [ubuntu-latest, macos-latest]
    runs-on: \${{ matrix.os }}
    steps:
      - run: make
`,
      '.github/workflows/build.yml': `on: workflow_call
jobs:
  b:
    runs-on: [self-hosted]
    steps:
      - run: make dist
`,
    });
    expect(r.score).toBe(5); // build → self-hosted (through build.yml), provenance → hosted; matrix not counted
    expect(rules(r)).toEqual([
      ['selfHostedRelease', 'high', '.github/workflows/release.yml:6:11'],
      ['runnerUndetermined', 'info', '.github/workflows/release.yml:16:14'],
    ]);
    expect(r.evidence.filter((e) => e.kind === 'hostedBuild').map((e) => e.values?.job)).toEqual(['provenance']);
    expect(r.evidence.filter((e) => e.kind === 'releaseInputs').map((e) => [e.values?.file, e.values?.job, e.values?.inputs])).toEqual([
      ['.github/workflows/release.yml', 'build,provenance,matrix', 0],
    ]);
  });

  it('ignores PR-only workflows; no release job is inconclusive', async () => {
    const r = await run({
      '.github/workflows/pr.yml': 'on: pull_request\njobs:\n  p:\n    runs-on: self-hosted\n    steps:\n      - run: docker push x/y\n',
    });
    expect(r.score).toBeNull();
    expect(r.reason).toBe("can't tell offline how releases are built: no CI job builds or publishes them");
    expect(r.findings).toEqual([]);
  });

  it('says releases are probably hand-built when tags exist but no CI job releases', async () => {
    const r = await run(
      { '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n' },
      [['tag', 'v1.0.0']],
    );
    expect(r.score).toBeNull();
    expect(rules(r)).toEqual([['noReleaseJob', 'medium', undefined]]); // the fix is a new workflow file: no invented location
    expect(r.findings[0].message).toBe(
      '1 tag(s) (newest `v1.0.0`) but no CI job builds or publishes releases: they are probably built by hand',
    );
  });
});

describe('Hosted-Build on GitLab', () => {
  const ci = `stages: [build, release]
build:
  stage: build
  rules:
    - if: $CI_COMMIT_TAG =~ /^v/
  script:
    - make dist
saas:
  stage: release
  tags: [saas-linux-medium-amd64]
  script:
    - twine upload dist/*
own:
  stage: release
  tags: [my-company-runner]
  script:
    - docker push registry.example.com/app
untested:
  stage: build
  rules:
    - if: $CI_COMMIT_TAG == null
  script:
    - make test
`;

  it('on gitlab.com, untagged and saas-* jobs are hosted, custom tags are self-hosted', async () => {
    const r = await run({ '.gitlab-ci.yml': ci }, [['remote', 'add', 'origin', 'https://gitlab.com/group/project.git']]);
    expect(r.score).toBe(6); // ⌊10·2/3⌋
    expect(r.evidence.map((e) => [e.values?.job, e.values?.runner, e.values?.labels, e.values?.why, at(e.location)])).toEqual([
      ['build', 'gitlab-saas', '(untagged)', 'runs only for tags', '.gitlab-ci.yml:2:1'],
      ['saas', 'gitlab-saas', 'saas-linux-medium-amd64', 'publishes with twine upload', '.gitlab-ci.yml:8:1'],
    ]);
    expect(rules(r)).toEqual([['selfHostedRelease', 'high', '.gitlab-ci.yml:13:1']]);
    expect(r.findings[0].remediation?.patch).toBeUndefined();
  });

  it('on a self-managed instance untagged jobs are not counted', async () => {
    const r = await run({ '.gitlab-ci.yml': ci }, [['remote', 'add', 'origin', 'https://gitlab.gnome.org/GNOME/app.git']]);
    expect(r.score).toBe(5); // saas hosted, own self-hosted; build undetermined
    expect(rules(r)).toEqual([
      ['runnerUndetermined', 'info', '.gitlab-ci.yml:2:1'],
      ['selfHostedRelease', 'high', '.gitlab-ci.yml:13:1'],
    ]);
    expect(r.findings[0].message).toContain('shared runners of gitlab.gnome.org');
  });
});

describe('Hosted-Build: release workflow inputs (releaseInputs)', () => {
  const inputs = (r: CheckResult) =>
    r.evidence
      .filter((e) => e.kind === 'releaseInputs')
      .map((e) => [e.values?.file, e.values?.job, e.values?.inputs, e.values?.names, at(e.location)]);

  it('counts workflow_dispatch inputs of the release workflow, at the trigger', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
  workflow_dispatch:
    inputs:
      version:
        required: true
      dry-run:
        type: boolean
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
`,
      // Not a release workflow: its inputs are not the release build's.
      '.github/workflows/ci.yml':
        'on:\n  workflow_dispatch:\n    inputs:\n      x: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n',
    });
    expect(inputs(r)).toEqual([['.github/workflows/release.yml', 'publish', 2, 'version,dry-run', '.github/workflows/release.yml:4:3']]);
    expect(r.evidence.find((e) => e.kind === 'releaseInputs')?.message).toBe(
      'release workflow .github/workflows/release.yml (job publish) accepts 2 user input(s) on workflow_dispatch: version, dry-run',
    );
    expect(r.score).toBe(10); // evidence only: the score is unchanged
  });

  it('workflow_dispatch without inputs is 0; a reusable release workflow carries its callers’ inputs', async () => {
    const r = await run({
      '.github/workflows/manual.yml': `on:
  workflow_dispatch:
    inputs:
      ref:
        type: string
jobs:
  release:
    uses: ./.github/workflows/publish.yml
`,
      '.github/workflows/publish.yml': `on: workflow_call
jobs:
  pypi:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
`,
      '.github/workflows/nightly.yml': `on:
  workflow_dispatch:
jobs:
  docker:
    runs-on: ubuntu-latest
    steps:
      - run: docker push ghcr.io/acme/widget:nightly
`,
    });
    expect(inputs(r)).toEqual([
      ['.github/workflows/nightly.yml', 'docker', 0, undefined, '.github/workflows/nightly.yml:2:3'],
      ['.github/workflows/publish.yml', 'pypi', 0, undefined, '.github/workflows/publish.yml:1:5'],
      ['.github/workflows/manual.yml', 'release', 1, 'ref', '.github/workflows/manual.yml:2:3'],
    ]);
  });

  it('repository_dispatch payloads cannot be counted: no releaseInputs for that workflow; GitLab pipelines get none', async () => {
    const gh = await run({
      '.github/workflows/release.yml':
        'on:\n  repository_dispatch:\n    types: [release]\njobs:\n  p:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm publish\n',
    });
    expect(gh.evidence.map((e) => e.kind)).toEqual(['hostedBuild']);
    const gl = await run({
      '.gitlab-ci.yml': 'publish:\n  script:\n    - npm publish\n  rules:\n    - if: $CI_COMMIT_TAG\n',
    });
    expect(gl.evidence.filter((e) => e.kind === 'releaseInputs')).toEqual([]);
  });
});
