import { afterAll, describe, expect, it } from 'vitest';
import sast from '../../checks/sast.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';
import type { CheckResult } from '../../src/engine.js';

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

async function run(files: Record<string, string>): Promise<CheckResult> {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return runCheckOnDir(sast, t.dir);
}

const tools = (r: CheckResult) =>
  r.evidence.map((e) => [
    e.values?.tool,
    `${e.location?.path}:${e.location?.line}:${e.location?.column}`,
    e.values?.onPullRequests,
    e.values?.scorecardRecognized,
  ]);

const codeql = (on: string) => `name: CodeQL
on:
${on}
jobs:
  analyze:
    runs-on: ubuntu-latest
    permissions:
      security-events: write
    steps:
      - uses: actions/checkout@v4
      - uses: github/codeql-action/init@v3
      - uses: github/codeql-action/analyze@v3
`;

describe('SAST on GitHub workflows', () => {
  it('CodeQL on pull requests scores 10', async () => {
    const r = await run({ '.github/workflows/codeql.yml': codeql('  pull_request:\n  push:\n    branches: [main]') });
    expect(r.score).toBe(10);
    expect(r.reason).toBe('SAST tool detected: CodeQL (runs on pull requests)');
    expect(tools(r)).toEqual([['CodeQL', '.github/workflows/codeql.yml:14:15', true, true]]);
    expect(r.findings).toEqual([]);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'checkRuns' })]);
  });

  it("CodeQL only on a schedule scores Scorecard's CodeQL floor of 7", async () => {
    const r = await run({ '.github/workflows/codeql.yml': codeql("  schedule:\n    - cron: '0 3 * * 1'") });
    expect(r.score).toBe(7);
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'sastNotOnPullRequests',
        severity: 'low',
        location: expect.objectContaining({ path: '.github/workflows/codeql.yml', line: 13, column: 15 }),
      }),
    ]);
  });

  it('any other tool scores 10, including ones Scorecard does not know', async () => {
    const r = await run({
      '.github/workflows/lint.yml': `on: [push]
jobs:
  semgrep:
    runs-on: ubuntu-latest
    container: semgrep/semgrep
    steps:
      - uses: actions/checkout@v4
      - run: semgrep ci --sarif > semgrep.sarif
  iac:
    runs-on: ubuntu-latest
    steps:
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          scan-type: config
      - uses: aquasecurity/trivy-action@0.28.0
        with:
          scan-type: fs
  py:
    runs-on: ubuntu-latest
    steps:
      - run: |
          pip install bandit
          bandit -r src -f sarif -o bandit.sarif
      - uses: zizmorcore/zizmor-action@v0.2.0
  snyk:
    runs-on: ubuntu-latest
    steps:
      - uses: snyk/actions/node@master
`,
    });
    expect(r.score).toBe(10);
    expect(r.reason).toBe('SAST tool detected: Semgrep');
    expect(tools(r)).toEqual([
      ['Semgrep', '.github/workflows/lint.yml:8:14', false, false],
      ['Trivy (config scan)', '.github/workflows/lint.yml:12:15', false, false],
      ['Bandit', '.github/workflows/lint.yml:23:11', false, false],
      ['zizmor', '.github/workflows/lint.yml:24:15', false, false],
      ['Snyk', '.github/workflows/lint.yml:28:15', false, true],
    ]);
  });

  it('CodeQL in a reusable workflow runs on pull requests when a PR workflow calls it', async () => {
    const r = await run({
      '.github/workflows/ci.yml': 'on: pull_request\njobs:\n  codeql:\n    uses: ./.github/workflows/codeql.yml\n',
      '.github/workflows/codeql.yml': codeql('  workflow_call:'),
    });
    expect(r.score).toBe(10);
    expect(tools(r)).toEqual([['CodeQL', '.github/workflows/codeql.yml:12:15', true, true]]);
  });

  it('finds tools in local composite actions', async () => {
    const r = await run({
      '.github/workflows/ci.yml':
        'on: pull_request\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ./.github/actions/lint\n',
      '.github/actions/lint/action.yml': 'name: lint\nruns:\n  using: composite\n  steps:\n    - uses: hadolint/hadolint-action@v3.1.0\n',
    });
    expect(r.score).toBe(10);
    expect(tools(r)).toEqual([['Hadolint', '.github/actions/lint/action.yml:5:13', true, true]]);
  });

  it('nothing found scores 0 with a CodeQL workflow to add and an unknown for the API-only part', async () => {
    const r = await run({
      '.github/workflows/ci.yml': 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: make test\n',
    });
    expect(r.score).toBe(0);
    expect(r.reason).toBe('no SAST tool detected');
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({
      rule: 'noSastTool',
      severity: 'medium',
    });
    // The fix is a new file: no location is invented for it; the remediation names the file.
    expect(r.findings[0].location).toBeUndefined();
    expect(r.findings[0].remediation?.text).toContain('.github/workflows/codeql.yml');
    expect(r.findings[0].remediation?.patch).toContain('github/codeql-action/analyze@');
    expect(r.unknowns.map((u) => u.fact)).toEqual(['checkRuns']);
  });
});

describe('SAST on GitLab CI', () => {
  it('the SAST template counts', async () => {
    const r = await run({ '.gitlab-ci.yml': 'include:\n  - template: Jobs/SAST.gitlab-ci.yml\ntest:\n  script: [make test]\n' });
    expect(r.score).toBe(10);
    expect(tools(r)).toEqual([['GitLab SAST', '.gitlab-ci.yml:2:5', true, false]]);
  });

  it('SAST_DISABLED turns the template off', async () => {
    const r = await run({
      '.gitlab-ci.yml':
        'variables:\n  SAST_DISABLED: "true"\ninclude:\n  - template: Security/SAST.gitlab-ci.yml\ntest:\n  script: [make test]\n',
    });
    expect(r.score).toBe(0);
    expect(r.findings[0]).toMatchObject({ rule: 'noSastTool', location: { path: '.gitlab-ci.yml', line: 1, column: 1 } });
    expect(r.findings[0].remediation?.patch).toBe('include:\n  - template: Jobs/SAST.gitlab-ci.yml');
  });

  it('a component, a sast report and scanner commands count', async () => {
    const r = await run({
      '.gitlab-ci.yml': `include:
  - component: $CI_SERVER_FQDN/components/sast/sast@2.0.0
gosec:
  image: securego/gosec
  script:
    - gosec -fmt sarif ./...
  artifacts:
    reports:
      sast: gl-sast-report.json
`,
    });
    expect(tools(r)).toEqual([
      ['GitLab SAST', '.gitlab-ci.yml:2:5', true, false],
      ['SAST report (job gosec)', '.gitlab-ci.yml:9:7', true, false],
      ['gosec', '.gitlab-ci.yml:6:7', true, false],
    ]);
  });
});
