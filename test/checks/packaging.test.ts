import { afterAll, describe, expect, it } from 'vitest';
import packaging from '../../checks/packaging.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';
import type { CheckResult } from '../../src/engine.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

async function run(files: Record<string, string>): Promise<CheckResult> {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return runCheckOnDir(packaging, t.dir);
}

const sites = (r: CheckResult) =>
  r.evidence.map((e) => [
    e.values?.tool,
    e.values?.job,
    `${e.location?.path}:${e.location?.line}:${e.location?.column}`,
    e.values?.scorecardPattern,
  ]);

describe('Packaging on GitHub workflows', () => {
  it('finds npm publish in a run step, at the command', async () => {
    const r = await run({
      '.github/workflows/release.yml': `name: release
on:
  release:
    types: [published]
jobs:
  publish:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          registry-url: https://registry.npmjs.org
      - run: npm ci && npm publish --access public
`,
    });
    expect(r.score).toBe(10);
    expect(r.reason).toBe('publishing workflow found (a successful run needs the API to confirm)');
    expect(sites(r)).toEqual([['npm publish', 'publish', '.github/workflows/release.yml:13:24', true]]);
    expect(r.evidence[0]).toMatchObject({ kind: 'publishing', values: { platform: 'github', ecosystem: 'npm', oidc: false } });
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'workflowRuns' })]);
    expect(r.findings).toEqual([]);
  });

  it('sees what Scorecard misses and says so with scorecardPattern', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on:
  push:
    tags: ['v*']
permissions:
  contents: write
  id-token: write
jobs:
  npm:
    runs-on: ubuntu-latest
    steps:
      - run: npm publish
  gh:
    runs-on: ubuntu-latest
    steps:
      - run: |
          make dist
          gh release create "$GITHUB_REF_NAME" dist/*
  pypi:
    runs-on: ubuntu-latest
    steps:
      - uses: pypa/gh-action-pypi-publish@release/v1
  twine:
    runs-on: ubuntu-latest
    steps:
      - run: python -m twine upload dist/*
  hex:
    runs-on: ubuntu-latest
    steps:
      - run: mix hex.publish --yes
`,
    });
    expect(r.score).toBe(10);
    expect(sites(r)).toEqual([
      ['npm publish', 'npm', '.github/workflows/release.yml:11:14', false], // no setup-node with registry-url: Scorecard misses it
      ['gh release', 'gh', '.github/workflows/release.yml:17:11', false],
      ['pypa/gh-action-pypi-publish', 'pypi', '.github/workflows/release.yml:21:15', true],
      ['twine upload', 'twine', '.github/workflows/release.yml:25:14', false],
      ['mix hex.publish', 'hex', '.github/workflows/release.yml:29:14', false],
    ]);
    const pypi = r.evidence.find((e) => e.values?.job === 'pypi');
    expect(pypi?.values).toMatchObject({ oidc: true, trustedPublishing: true });
  });

  it('joins continuation lines and reports the first line of the command', async () => {
    const r = await run({
      '.github/workflows/image.yml': `on: push
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - run: |
          echo building
          docker buildx build \\
            --platform linux/amd64 \\
            --push -t ghcr.io/o/r .
`,
    });
    expect(sites(r)).toEqual([['docker push', 'image', '.github/workflows/image.yml:8:11', true]]);
  });

  it('does not count dry runs, npm scripts, build-only images or local ko registries', async () => {
    const r = await run({
      '.github/workflows/ci.yml': `on: push
jobs:
  test:
    runs-on: ubuntu-latest
    env:
      KO_DOCKER_REPO: kind.local
    steps:
      - run: npm publish --dry-run
      - run: npm run publish-docs
      - run: cargo publish --dry-run
      - run: goreleaser release --snapshot --clean
      - run: ko build ./cmd/app
      - run: ./gradlew publishToMavenLocal
      - uses: docker/build-push-action@v6
        with:
          tags: app:test
      - uses: docker/build-push-action@v6
        with:
          push: false
      # a comment that says npm publish
      - run: |
          # npm publish
          echo done
`,
    });
    expect(r.score).toBeNull();
    expect(r.reason).toBe('no publishing workflow detected');
    expect(r.evidence).toEqual([]);
  });

  it('counts docker/build-push-action only when it pushes', async () => {
    const r = await run({
      '.github/workflows/image.yml': `on:
  push:
    branches: [main]
jobs:
  image:
    runs-on: ubuntu-latest
    steps:
      - uses: docker/build-push-action@v6
        with:
          push: \${{ github.event_name != 'pull_request' }}
`,
    });
    expect(sites(r)).toEqual([['docker/build-push-action', 'image', '.github/workflows/image.yml:8:15', true]]);
  });

  it('looks into local composite actions', async () => {
    const r = await run({
      '.github/workflows/release.yml': `on: release
jobs:
  release:
    runs-on: ubuntu-latest
    steps:
      - uses: ./.github/actions/publish
`,
      '.github/actions/publish/action.yml': `name: publish
runs:
  using: composite
  steps:
    - run: cargo publish --locked
      shell: bash
`,
    });
    // Scorecard does not read composite actions.
    expect(sites(r)).toEqual([['cargo publish', 'release', '.github/actions/publish/action.yml:5:12', false]]);
  });
});

describe('Packaging on GitLab CI', () => {
  it("finds release: jobs and publish commands, marking Scorecard's four substrings", async () => {
    const r = await run({
      '.gitlab-ci.yml': `stages: [build, release]
pypi:
  stage: release
  image: python:3.12
  script:
    - pip install build twine
    - python -m build
    - twine upload dist/*
release:
  stage: release
  image: registry.gitlab.com/gitlab-org/release-cli:latest
  rules:
    - if: $CI_COMMIT_TAG
  script:
    - echo releasing
  release:
    tag_name: $CI_COMMIT_TAG
    description: release
generic:
  stage: release
  script:
    - 'curl --header "JOB-TOKEN: $CI_JOB_TOKEN" --upload-file app.tar.gz "$CI_API_V4_URL/projects/$CI_PROJECT_ID/packages/generic/app/1.0/app.tar.gz"'
`,
    });
    expect(r.score).toBe(10);
    expect(sites(r)).toEqual([
      ['twine upload', 'pypi', '.gitlab-ci.yml:8:7', true],
      ['release keyword', 'release', '.gitlab-ci.yml:17:5', false],
      ['generic package upload', 'generic', '.gitlab-ci.yml:22:8', false],
    ]);
    expect(r.evidence.every((e) => e.values?.platform === 'gitlab')).toBe(true);
  });

  it('is inconclusive without any publishing job', async () => {
    const r = await run({ '.gitlab-ci.yml': 'test:\n  script:\n    - make test\n' });
    expect(r.score).toBeNull();
    expect(r.findings).toEqual([]);
  });
});
