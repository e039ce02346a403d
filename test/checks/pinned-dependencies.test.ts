import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import check, { isActionPinned, isImagePinned, scoreGroups, weightedScore, type Dependency } from '../../checks/pinned-dependencies.js';
import type { CheckOutcome, Finding } from '../../src/check.js';
import type { FactTypes } from '../../src/facts/catalog.js';
import { known, unknown } from '../../src/facts/fact.js';
import { parseDockerfile } from '../../src/parsers/dockerfile.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';
import { COMPAT_DIR, CORPUS_DIR, compatCases, type CompatCase } from '../helpers/shared.js';

const CASES = COMPAT_DIR;
const CORPUS = CORPUS_DIR;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = '45b23dee08af5e43a7fea6c4cf9c25ccf269ee113168c19722f87876677c5cb2';

type Facts = Pick<FactTypes, 'workflows' | 'actions' | 'dockerfiles' | 'shellScripts' | 'gitlabCi'>;

/** Runs the check on facts built directly from the parsers (what Scorecard's tests do when they call one validator). */
function runOnFacts(partial: Partial<Facts>): { score: number | null; findings: Finding[] } {
  const f: Facts = { workflows: [], actions: [], dockerfiles: [], shellScripts: [], gitlabCi: null, ...partial };
  const out = check.run(
    {
      workflows: known(f.workflows),
      actions: known(f.actions),
      dockerfiles: known(f.dockerfiles),
      shellScripts: known(f.shellScripts),
      gitlabCi: known(f.gitlabCi),
    },
    { options: {} },
  );
  return { score: out.score, findings: out.findings ?? [] };
}

async function runOnTree(
  files: Record<string, string>,
): Promise<{ score: number | null; findings: Finding[]; reason: string; evidence: CheckOutcome['evidence'] }> {
  const t = tempTree(files);
  try {
    return await runCheckOnDir(check, t.dir);
  } finally {
    t.cleanup();
  }
}

function fixture(c: CompatCase, name: string): string {
  return readFileSync(join(CASES, c.dir, name), 'utf8');
}

/**
 * Cases whose Scorecard test calls one validator on one file, where running our whole check on the
 * case directory would not be the same experiment. Each says what Scorecard's test does and how we
 * reproduce it.
 */
const HARNESS: Record<string, (c: CompatCase) => Promise<{ score: number | null; findings: Finding[] }>> = {
  // TestDockerfileScriptDownload/invalid file sh: validateDockerfileInsecureDownloads("../testdata/script.sh", …)
  // is called directly; isDockerfile() rejects a shell script, so nothing is reported. A directory scan would
  // (rightly) analyse script.sh as a shell script instead, so we hand the file to the Dockerfile analysis
  // alone: parsed as a Dockerfile, offered as the only Dockerfile, no other facts.
  'Pinned-Dependencies/dockerfilescriptdownload-invalid-file-sh': async (c) =>
    runOnFacts({ dockerfiles: [parseDockerfile('script.sh', fixture(c, 'script.sh'))] }),
  // TestDockerfilePinning/invalid dockerfile sh: validateDockerfilesPinning("testdata/script-sh", …) is called
  // directly on a bash script (shebang). Our Dockerfile detector would never offer `script-sh`, so the file is
  // copied to a name it does offer (`Dockerfile-script-sh`); the shellScripts fact recognises its shebang and
  // the check's isDockerfile() gate turns it away, as Scorecard's does. Only containerImage findings count.
  'Pinned-Dependencies/dockerfilepinning-invalid-dockerfile-sh': async (c) =>
    runOnTree({ 'Dockerfile-script-sh': fixture(c, 'script-sh') }),
  // TestGithubWorkflowPinning/Non-yaml file: validateGitHubActionWorkflow("script.sh", …) → not a workflow path,
  // nothing analysed. The case directory holds only script.sh at the root, so a directory scan offers no
  // workflow either; the shell findings it produces for script.sh are not GitHubAction and are not counted.
};

/** Deliberate differences from Scorecard: our expected value, and why. */
const DEVIATIONS: Record<string, { ours: number; reason: string }> = {
  'Pinned-Dependencies/dockerfilepinningwithouthash-pinned-dockerfile-as-no-hash': {
    ours: 2,
    reason:
      'Scorecard reports `FROM base AS build` and `FROM build AS build2` again because the stage `base` is unpinned ' +
      '(4 findings). A reference to an earlier build stage pulls nothing: we judge the base image once, where it is ' +
      'declared (`python:3.7@sha256:v2` — not a real digest — and `python@sha256:v2`), so 2 (Scorecard #1572).',
  },
};

describe('Pinned-Dependencies: Scorecard compat cases', () => {
  const cases = compatCases('Pinned-Dependencies');

  it('has the cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(34);
  });

  for (const c of cases) {
    it(c.id, async () => {
      // Every other case: the case directory is the repository (Dockerfile-*, script-*, .github/workflows/*),
      // and our whole check runs on it. Where a note says Scorecard called a single validator, the findings of
      // the other sources are excluded by `rules` (e.g. a Dockerfile's RUN findings in a FROM-pinning case).
      const r = HARNESS[c.id] ? await HARNESS[c.id](c) : await runCheckOnDir(check, join(CASES, c.dir));
      const got = c.compare === 'score' ? r.score : r.findings.filter((f) => !c.rules || c.rules.includes(f.rule)).length;
      const want = DEVIATIONS[c.id]?.ours ?? c.expected;
      expect(got, `${c.id}: ${c.notes}`).toBe(want);
    });
  }

  it('vendor/ is what makes the vendor case 0: the same Dockerfile at the root reports its unpinned base', async () => {
    const text = readFileSync(
      join(CASES, 'Pinned-Dependencies__dockerfilepinning-non-pinned-dockerfile-but-in-vendor-ie-0-warns/vendor/Dockerfile-not-pinned-as'),
      'utf8',
    );
    const r = await runOnTree({ 'Dockerfile-not-pinned-as': text });
    // Scorecard: 2 (`python:3.7 as build` and `FROM build`); we do not count the stage reference (see DEVIATIONS).
    expect(r.findings.filter((f) => f.rule === 'containerImage').map((f) => f.location?.line)).toEqual([17]);
  });
});

describe('Pinned-Dependencies: GitHub Actions', () => {
  const WF = [
    'on: push', //                                                          1
    'jobs:', //                                                             2
    '  build:', //                                                          3
    '    runs-on: ubuntu-latest', //                                        4
    '    steps:', //                                                        5
    '      - uses: actions/checkout@v4', //                                 6
    `      - uses: actions/setup-node@${SHA} # v4.2.0`, //                  7
    '      - uses: ./.github/actions/local', //                             8
    '      - uses: docker://alpine:3.19', //                                9
    `      - uses: docker://alpine@sha256:${DIGEST}`, //                     10
    '      - uses: someone/tool@main', //                                   11
    '      - name: install', //                                             12
    '        run: |', //                                                    13
    '          echo start', //                                              14
    '          curl -fsSL https://example.com/install.sh | sh', //          15
    '',
  ].join('\n');

  it('reports unpinned actions with their exact position, and only those', async () => {
    const r = await runOnTree({ '.github/workflows/ci.yml': WF });
    const actions = r.findings.filter((f) => f.rule === 'GitHubAction');
    expect(actions.map((f) => [f.location?.line, f.location?.column, f.snippet])).toEqual([
      [6, 15, 'actions/checkout@v4'],
      [9, 15, 'docker://alpine:3.19'],
      [11, 15, 'someone/tool@main'],
    ]);
    expect(actions.every((f) => f.severity === 'medium' && f.location?.path === '.github/workflows/ci.yml')).toBe(true);
    expect(actions[0].message).toContain('GitHub-owned');
    expect(actions[2].message).toContain('third-party');
    // No SHA can be produced offline: the remediation says how to pin and names the tools.
    expect(actions[0].remediation?.text).toMatch(/actions\/checkout@<40-hex commit SHA> # v4/);
    expect(actions[0].remediation?.text).toMatch(/pinact.*ratchet.*frizbee/);
    expect(actions[1].remediation?.text).toContain('docker://alpine:3.19@sha256:<digest>');
  });

  it('a SHA-pinned action with a version comment is pinned; a local action is not a dependency', async () => {
    const r = await runOnTree({ '.github/workflows/ci.yml': WF });
    expect(r.findings.some((f) => f.snippet?.includes('setup-node'))).toBe(false);
    expect(r.findings.some((f) => f.snippet?.includes('./.github'))).toBe(false);
    expect(r.evidence).toContainEqual(
      expect.objectContaining({
        kind: 'pinnedDependencies',
        values: expect.objectContaining({ type: 'GitHub-owned GitHubAction', pinned: 1, total: 2 }),
      }),
    );
    expect(r.evidence).toContainEqual(
      expect.objectContaining({
        kind: 'pinnedDependencies',
        values: expect.objectContaining({ type: 'third-party GitHubAction', pinned: 1, total: 3 }),
      }),
    );
    expect(r.evidence).toContainEqual(
      expect.objectContaining({ kind: 'notCounted', values: { what: 'local actions/workflows (./…)', count: 1 } }),
    );
  });

  it('a `curl | sh` inside `run: |` is located at `curl`', async () => {
    const r = await runOnTree({ '.github/workflows/ci.yml': WF });
    const d = r.findings.filter((f) => f.rule === 'downloadThenRun');
    expect(d).toHaveLength(1);
    expect(d[0].location).toMatchObject({ path: '.github/workflows/ci.yml', line: 15, column: 11 });
    expect(d[0].snippet).toBe('curl -fsSL https://example.com/install.sh | sh');
  });

  it('scores with Scorecard weights: GitHub-owned 2, third-party 8, other types 10', async () => {
    const r = await runOnTree({ '.github/workflows/ci.yml': WF });
    // Σpinned·w = 1·2 + 1·8 + 0·10 = 10; Σtotal·w = 2·2 + 3·8 + 1·10 = 38; ⌊100/38⌋ = 2.
    expect(r.score).toBe(2);
  });

  it('docker:// actions are pinned only by sha256 digest; commit SHAs of 40+ hex chars pin actions', () => {
    expect(isActionPinned(`docker://alpine@sha256:${DIGEST}`)).toBe(true);
    expect(isActionPinned('docker://alpine:3.19')).toBe(false);
    expect(isActionPinned(`o/r@${SHA}`)).toBe(true);
    expect(isActionPinned('o/r@v1.2.3')).toBe(false);
    expect(isActionPinned(`o/r@${SHA.slice(0, 12)}`)).toBe(false);
  });

  it('reads reusable workflows, job containers and services, and composite actions', async () => {
    const r = await runOnTree({
      '.github/workflows/ci.yml': [
        'on: push',
        'jobs:',
        '  call:',
        '    uses: org/shared/.github/workflows/build.yml@v2',
        '  local:',
        '    uses: ./.github/workflows/local.yml',
        '  test:',
        '    runs-on: ubuntu-latest',
        '    container: node:20',
        '    services:',
        '      db:',
        `        image: postgres:16@sha256:${DIGEST}`,
        '      cache:',
        '        image: ${{ matrix.cache }}',
        '    steps:',
        '      - run: echo hi',
        '',
      ].join('\n'),
      'action.yml': [
        'name: x',
        'runs:',
        '  using: composite',
        '  steps:',
        '    - uses: actions/cache@v4',
        '    - run: pip install requests',
        '      shell: bash',
        '    - run: iwr https://x | iex',
        '      shell: pwsh',
        '',
      ].join('\n'),
    });
    const got = r.findings
      .filter((f) => f.severity === 'medium')
      .map((f) => [f.rule, f.location?.path, f.location?.line, f.location?.column]);
    expect(got).toEqual([
      ['GitHubAction', '.github/workflows/ci.yml', 4, 11],
      ['containerImage', '.github/workflows/ci.yml', 9, 16],
      ['GitHubAction', 'action.yml', 5, 13],
      ['pipCommand', 'action.yml', 6, 12],
    ]);
  });

  it('does not analyse PowerShell steps (explicit, or the Windows runner default)', async () => {
    const r = await runOnTree({
      '.github/workflows/win.yml': [
        'on: push',
        'jobs:',
        '  win:',
        '    runs-on: windows-latest',
        '    steps:',
        '      - run: curl -s https://x | sh',
        '      - run: curl -s https://x | sh',
        '        shell: bash',
        '',
      ].join('\n'),
    });
    expect(r.findings.filter((f) => f.rule === 'downloadThenRun').map((f) => f.location?.line)).toEqual([7]);
  });
});

describe('Pinned-Dependencies: Dockerfiles', () => {
  it('resolves `FROM ${BASE}` through the ARG default (Scorecard #3684)', async () => {
    const pinned = await runOnTree({ Dockerfile: `ARG BASE=node:20@sha256:${DIGEST}\nFROM \${BASE}\nRUN npm ci\n` });
    expect(pinned.findings).toEqual([]);
    expect(pinned.score).toBe(10);
    const unpinned = await runOnTree({ Dockerfile: 'ARG BASE=node:20\nFROM ${BASE}\n' });
    expect(unpinned.findings.map((f) => [f.rule, f.location?.line, f.location?.column, f.snippet])).toEqual([
      ['containerImage', 2, 1, 'FROM ${BASE}'],
    ]);
    expect(unpinned.findings[0].message).toContain('node:20');
    expect(unpinned.findings[0].remediation?.text).toContain('node:20@sha256:<digest>');
  });

  it('multi-stage: `FROM build` is not a dependency, the base image is judged once', async () => {
    const r = await runOnTree({
      Dockerfile: [
        'FROM golang:1.22 AS build',
        'RUN go build ./...',
        'FROM build AS test',
        `FROM gcr.io/distroless/static@sha256:${DIGEST}`,
        'COPY --from=build /out /',
        '',
      ].join('\n'),
    });
    expect(r.findings.map((f) => [f.rule, f.location?.line, f.location?.column])).toEqual([['containerImage', 1, 1]]);
    expect(r.score).toBe(5);
    expect(r.evidence).toContainEqual(
      expect.objectContaining({ kind: 'notCounted', values: { what: 'FROM references to earlier build stages', count: 1 } }),
    );
  });

  it('locates RUN findings after flags and across `\\` continuations', async () => {
    const r = await runOnTree({
      Dockerfile: [
        `FROM alpine@sha256:${DIGEST}`,
        'RUN --mount=type=cache,target=/root/.cache curl -sSL https://x.example/a.sh | sh',
        'RUN apt-get update && \\',
        '    curl -fsSL https://x.example/b.sh \\',
        '    | bash',
        'RUN ["/bin/sh", "-c", "curl -s https://x.example/c.sh | sh"]',
        '',
      ].join('\n'),
    });
    expect(r.findings.map((f) => [f.rule, f.location?.line, f.location?.column])).toEqual([
      ['downloadThenRun', 2, 44],
      ['downloadThenRun', 4, 5],
      ['downloadThenRun', 6, 1],
    ]);
  });

  it('skips vendor/, third_party/ and testdata/ like Scorecard', async () => {
    const r = await runOnTree({
      'vendor/x/Dockerfile': 'FROM a:1\n',
      'third_party/Dockerfile': 'FROM b:1\n',
      'testdata/Dockerfile': 'FROM c:1\n',
    });
    expect(r.findings).toEqual([]);
    expect(r.score).toBeNull();
  });

  it('digest rules follow Scorecard (`@sha256:${DIGEST}` from a variable counts as pinned)', () => {
    expect(isImagePinned(`python:3.7@sha256:${DIGEST}`)).toBe(true);
    expect(isImagePinned('python@sha256:${HASH}')).toBe(true);
    expect(isImagePinned('python:3.7@sha256:v2')).toBe(false);
    expect(isImagePinned('python:3.7')).toBe(false);
  });
});

describe('Pinned-Dependencies: GitLab CI', () => {
  const CI = [
    'include:', //                                                                            1
    '  - project: group/ci-templates', //                                                     2
    '    file: /templates/build.yml', //                                                      3
    '  - project: group/ci-templates', //                                                     4
    `    ref: ${SHA}`, //                                                                     5
    '    file: /templates/test.yml', //                                                       6
    '  - remote: https://example.com/ci/common.yml', //                                       7
    '  - template: Auto-DevOps.gitlab-ci.yml', //                                             8
    '  - component: $CI_SERVER_FQDN/group/components/lint@1.2.3', //                          9
    `  - component: $CI_SERVER_FQDN/group/components/scan@${SHA}`, //                         10
    `  - remote: https://gitlab.com/group/p/-/raw/${SHA}/ci.yml`, //                          11
    '', //                                                                                    12
    'default:', //                                                                            13
    '  image: node:20', //                                                                    14
    '', //                                                                                    15
    'build:', //                                                                              16
    '  services:', //                                                                         17
    `    - postgres:16@sha256:${DIGEST}`, //                                                  18
    '  script:', //                                                                           19
    '    - npm ci', //                                                                        20
    '    - curl -s https://x.example/i.sh | bash', //                                         21
    'test:', //                                                                               22
    '  script:', //                                                                           23
    '    - npm test', //                                                                      24
    '',
  ].join('\n');

  it('includes: project without ref, remote and component @1.2.3 are unpinned; SHA refs pin; templates are not counted', async () => {
    const r = await runOnTree({ '.gitlab-ci.yml': CI });
    const inc = r.findings.filter((f) => f.rule === 'gitlabInclude');
    expect(inc.map((f) => [f.location?.line, f.location?.column])).toEqual([
      [2, 5],
      [7, 5],
      [9, 5],
    ]);
    expect(inc[0].message).toContain('no ref');
    expect(inc[2].remediation?.text).toContain('@<40-hex commit SHA>');
    expect(r.evidence).toContainEqual(
      expect.objectContaining({
        kind: 'pinnedDependencies',
        values: expect.objectContaining({ type: 'gitlabInclude', pinned: 3, total: 6 }),
      }),
    );
    expect(r.evidence).toContainEqual(
      expect.objectContaining({ kind: 'notCounted', values: { what: 'GitLab CI templates (include: template)', count: 1 } }),
    );
  });

  it('images without a digest are unpinned, counted once even when `default:` reaches every job', async () => {
    const r = await runOnTree({ '.gitlab-ci.yml': CI });
    const img = r.findings.filter((f) => f.rule === 'containerImage');
    expect(img.map((f) => [f.location?.line, f.location?.column, f.snippet])).toEqual([[14, 10, 'node:20']]);
    expect(img[0].remediation?.text).toContain('node:20@sha256:<digest>');
  });

  it('analyses `script:` lines as shell', async () => {
    const r = await runOnTree({ '.gitlab-ci.yml': CI });
    expect(r.findings.filter((f) => f.rule === 'downloadThenRun').map((f) => [f.location?.line, f.location?.column])).toEqual([[21, 7]]);
  });
});

describe('Pinned-Dependencies: scoring', () => {
  const dep = (type: Dependency['type'], pinned: boolean, githubOwned?: boolean): Dependency => ({
    type,
    pinned,
    name: 'x',
    location: { path: 'f', line: 1, column: 1 },
    snippet: 'x',
    ...(githubOwned !== undefined ? { githubOwned } : {}),
  });

  it('no dependencies at all is inconclusive', async () => {
    expect(weightedScore(scoreGroups([]))).toBeNull();
    const r = await runOnTree({ 'README.md': 'hi\n' });
    expect(r.score).toBeNull();
    expect(r.reason).toBe('no dependencies found');
  });

  it('is inconclusive, with the reasons, only when no source could be read', () => {
    const u = unknown('API error 502 after 3 retries');
    const none = check.run({ workflows: u, actions: u, dockerfiles: u, shellScripts: u, gitlabCi: u }, { options: {} });
    expect(none.score).toBeNull();
    expect(none.unknowns?.map((x) => x.fact)).toEqual(['workflows', 'actions', 'dockerfiles', 'shellScripts', 'gitlabCi']);
    const some = check.run(
      {
        workflows: u,
        actions: known([]),
        dockerfiles: known([parseDockerfile('Dockerfile', 'FROM alpine:3\n')]),
        shellScripts: known([]),
        gitlabCi: u,
      },
      { options: {} },
    );
    expect(some.score).toBe(0);
  });

  it('GitHub-owned and third-party actions weigh 2 and 8 only when both are present', () => {
    const both = scoreGroups([
      ...Array(8).fill(dep('GitHubAction', true, true)),
      ...Array(2).fill(dep('GitHubAction', false, true)),
      ...Array(2).fill(dep('GitHubAction', true, false)),
      ...Array(8).fill(dep('GitHubAction', false, false)),
    ]);
    expect(both.map((g) => [g.label, g.pinned, g.total, g.weight])).toEqual([
      ['GitHub-owned GitHubAction', 8, 10, 2],
      ['third-party GitHubAction', 2, 10, 8],
    ]);
    expect(weightedScore(both)).toBe(3); // Scorecard's "partial result with 2 groups and odd weights"
    const ownedOnly = scoreGroups([dep('GitHubAction', false, true), dep('GitHubAction', true, true)]);
    expect(ownedOnly.map((g) => g.weight)).toEqual([10]);
    expect(weightedScore(ownedOnly)).toBe(5);
  });

  it('every other type is its own group of weight 10', () => {
    const g = scoreGroups([dep('containerImage', true), dep('pipCommand', false), dep('pipCommand', false), dep('gitlabInclude', true)]);
    expect(g.map((x) => [x.label, x.pinned, x.total, x.weight])).toEqual([
      ['containerImage', 1, 1, 10],
      ['pipCommand', 0, 2, 10],
      ['gitlabInclude', 1, 1, 10],
    ]);
    expect(weightedScore(g)).toBe(5);
  });
});

describe('Pinned-Dependencies: robustness over the real-world corpus', () => {
  const repos = readdirSync(CORPUS).filter((d) => statSync(join(CORPUS, d)).isDirectory());
  const roots = repos.flatMap((d) =>
    d === 'gitlab'
      ? readdirSync(join(CORPUS, d))
          .filter((x) => statSync(join(CORPUS, d, x)).isDirectory())
          .map((x) => join(d, x))
      : [d],
  );

  it('covers the corpus', () => {
    expect(roots.length).toBeGreaterThan(30);
  });

  for (const root of roots) {
    it(root, async () => {
      const r = await runCheckOnDir(check, join(CORPUS, root));
      expect(r.reason).not.toMatch(/internal error/);
      for (const f of r.findings) {
        expect(f.location?.path, JSON.stringify(f)).toBeTruthy();
        expect(f.location?.line ?? 0, JSON.stringify(f)).toBeGreaterThanOrEqual(1);
        expect(f.location?.column ?? 0, JSON.stringify(f)).toBeGreaterThanOrEqual(1);
      }
    });
  }
});
