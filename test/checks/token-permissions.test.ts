import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import check from '../../checks/token-permissions.js';
import { createFactStore, evaluateCheck } from '../../src/engine.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { CiTokenPolicy } from '../../src/facts/platform.js';
import { LocalSource } from '../../src/sources/local/index.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';
import { COMPAT_DIR, CORPUS_DIR, compatCases } from '../helpers/shared.js';

const COMPAT = COMPAT_DIR;
const CORPUS = CORPUS_DIR;

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

/** A temporary repository with the given files (removed after the tests). */
function repo(files: Record<string, string>): string {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return t.dir;
}

const run = (files: Record<string, string>) => runCheckOnDir(check, repo(files));
const wf = (text: string) => ({ '.github/workflows/ci.yml': text });

describe('Token-Permissions: Scorecard parity cases', () => {
  const cases = compatCases('Token-Permissions');

  it('has cases to run', () => expect(cases.length).toBeGreaterThan(10));

  for (const c of cases) {
    it(`${c.id} (${c.compare} = ${String(c.expected)})`, async () => {
      const dir = existsSync(join(COMPAT, c.dir)) ? join(COMPAT, c.dir) : repo({});
      const r = await runCheckOnDir(check, dir);
      if (c.compare === 'score') expect(r.score).toBe(c.expected === -1 ? null : c.expected);
      else if (c.compare === 'findings') {
        const n = r.findings.filter((f) => !c.rules || c.rules.includes(f.rule)).length;
        expect(n).toBe(c.expected);
      }
    });
  }
});

describe('Token-Permissions: scoring', () => {
  it('no workflows → inconclusive', async () => {
    const r = await run({ 'README.md': '# x\n' });
    expect(r.score).toBeNull();
    expect(r.reason).toMatch(/no GitHub workflows/);
  });

  it('read-only top level → 10 with least-privilege evidence', async () => {
    const r = await run(wf('on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n'));
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      expect.objectContaining({
        kind: 'leastPrivilegeToken',
        location: expect.objectContaining({ path: '.github/workflows/ci.yml', line: 2, column: 1 }),
      }),
    ]);
  });

  it('undeclared top level with every job declaring → 9 (−0.5, truncated)', async () => {
    const r = await run(wf('on: push\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    steps: [{run: echo}]\n'));
    expect(r.score).toBe(9);
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'topLevelPermissionsUndeclared',
        severity: 'low',
        location: { path: '.github/workflows/ci.yml', line: 1, column: 1 },
      }),
    ]);
    expect(r.findings[0].remediation?.patch).toBe('permissions:\n  contents: read\n');
  });

  it('undeclared at both levels → 0, one high finding per workflow', async () => {
    const r = await run(
      wf('on: push\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n  b:\n    runs-on: x\n    steps: [{run: echo}]\n'),
    );
    expect(r.score).toBe(0);
    expect(r.findings).toHaveLength(1);
    expect(r.findings[0]).toMatchObject({ rule: 'topLevelPermissionsUndeclared', severity: 'high' });
    expect(r.findings[0].message).toMatch(/`a`, `b`/);
  });

  it('top-level contents: write → 0 at the scope value', async () => {
    const r = await run(wf('on: push\npermissions:\n  contents: write\njobs:\n  build:\n    runs-on: x\n    steps: [{run: echo}]\n'));
    expect(r.score).toBe(0);
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'topLevelWrite', severity: 'high', location: expect.objectContaining({ line: 3, column: 13 }) }),
    ]);
    expect(r.findings[0].remediation?.patch).toBe(
      'permissions:\n  contents: read\njobs:\n  build:\n    permissions:\n      contents: write\n',
    );
  });

  it('penalties add up across scopes and workflows: statuses + checks (−1) and deployments (−1) → 8', async () => {
    const r = await run({
      '.github/workflows/a.yml': 'on: push\npermissions:\n  statuses: write\n  checks: write\njobs: {}\n',
      '.github/workflows/b.yml': 'on: push\npermissions:\n  deployments: write\njobs: {}\n',
    });
    expect(r.score).toBe(8);
    expect(r.findings.map((f) => [f.rule, f.severity]).sort()).toEqual([
      ['topLevelWrite', 'low'],
      ['topLevelWrite', 'low'],
      ['topLevelWrite', 'medium'],
    ]);
  });

  it('unscored top-level writes (pull-requests, id-token) are info findings and keep 10', async () => {
    const r = await run(wf('on: push\npermissions:\n  pull-requests: write\n  id-token: write\njobs: {}\n'));
    expect(r.score).toBe(10);
    expect(r.findings.map((f) => f.severity)).toEqual(['info', 'info']);
  });

  it('write-all at the top: −0.5 when jobs declare read-only, 0 when a job inherits it', async () => {
    const declared = await run(
      wf('on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    permissions: read-all\n    steps: [{run: echo}]\n'),
    );
    expect(declared.score).toBe(9);
    expect(declared.findings).toEqual([
      expect.objectContaining({ rule: 'topLevelWriteAll', severity: 'low', location: expect.objectContaining({ line: 2, column: 1 }) }),
    ]);
    const inherited = await run(wf('on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps: [{run: echo}]\n'));
    expect(inherited.score).toBe(0);
    expect(inherited.findings[0]).toMatchObject({ rule: 'topLevelWriteAll', severity: 'high' });
  });

  it('write-all at the top and a job writing contents → 0; job-level write reported at its value', async () => {
    const r = await run(
      wf(
        'on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    permissions:\n      contents: write\n    steps: [{run: echo}]\n',
      ),
    );
    expect(r.score).toBe(0);
    expect(r.findings.map((f) => f.rule)).toEqual(['topLevelWriteAll', 'jobLevelWrite']);
    expect(r.findings[1].location).toMatchObject({ line: 7, column: 17 });
  });

  it('a release workflow justifies contents: write on the job (Scorecard ignores it) — even under write-all', async () => {
    const r = await run(
      wf(
        'on: push\npermissions: write-all\njobs:\n  rel:\n    runs-on: x\n    permissions:\n      contents: write\n    steps:\n' +
          '      - uses: actions/setup-go@v5\n      - uses: goreleaser/goreleaser-action@v6\n',
      ),
    );
    expect(r.findings.map((f) => f.rule)).toEqual(['topLevelWriteAll']);
    expect(r.score).toBe(9);
  });

  it('job-level write-all counts as a job write (deliberate difference)', async () => {
    const r = await run(
      wf('on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    permissions: write-all\n    steps: [{run: echo}]\n'),
    );
    expect(r.score).toBe(0);
    expect(r.findings.map((f) => [f.rule, f.location?.line, f.location?.column])).toEqual([
      ['topLevelWriteAll', 2, 1],
      ['jobLevelWriteAll', 6, 5],
    ]);
  });

  it('a permissions expression is reported as undeterminable without changing the score', async () => {
    const r = await run(wf("on: push\npermissions: ${{ fromJSON('{}') }}\njobs: {}\n"));
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'permissionsExpression', severity: 'info' })]);
  });

  it('comment-only and non-mapping workflow files are skipped like Scorecard skips them', async () => {
    const r = await run({ '.github/workflows/a.yml': '# nothing\n', '.github/workflows/b.yml': '- a\n- b\n' });
    expect(r.score).toBeNull();
  });
});

describe('Token-Permissions: GitLab', () => {
  it('GitLab-only repository → null: the job-token scope is a project setting read through the API', async () => {
    const r = await run({
      '.gitlab-ci.yml': 'build:\n  script:\n    - echo hi\n    - git push https://gitlab-ci-token:${CI_JOB_TOKEN}@gitlab.com/g/p.git\n',
    });
    expect(r.score).toBeNull();
    expect(r.reason).toMatch(/job-token scope/);
    expect(r.reason).toMatch(/API/);
    expect(r.unknowns).toEqual([
      expect.objectContaining({ fact: 'ciTokenPolicy', needs: expect.stringMatching(/assess the repository on its platform/) }),
    ]);
    expect(r.evidence).toEqual([expect.objectContaining({ kind: 'jobTokenUse', location: expect.objectContaining({ line: 4 }) })]);
  });

  it('GitHub workflows and GitLab CI: scored from the workflows, GitLab noted as unknown', async () => {
    const r = await run({ ...wf('on: push\npermissions: {}\njobs: {}\n'), '.gitlab-ci.yml': 'a:\n  script: [echo]\n' });
    expect(r.score).toBe(10);
    expect(r.unknowns.map((u) => u.fact)).toContain('ciTokenPolicy');
  });

  describe('with the GitLab API (the job-token allowlist)', () => {
    const CI = { '.gitlab-ci.yml': 'build:\n  script: [make]\n' };
    /** A checkout whose source also answers ciTokenPolicy, as the GitLab source does; counts the calls. */
    const withPolicy = (files: Record<string, string>, policy: Fact<CiTokenPolicy>) => {
      const src = new LocalSource(repo(files));
      const calls = { n: 0 };
      (src.providers as Record<string, unknown>).ciTokenPolicy = async () => {
        calls.n++;
        return policy;
      };
      return { run: () => evaluateCheck(check, createFactStore(src)), calls };
    };

    it('allowlist on → 10 with evidence; off → 0 with a finding and the settings path', async () => {
      const on = await withPolicy(CI, known({ jobTokenScopeLimited: known(true) })).run();
      expect([on.score, on.evidence.map((e) => e.kind)]).toEqual([10, ['jobTokenScope']]);
      const off = await withPolicy(CI, known({ jobTokenScopeLimited: known(false) })).run();
      expect(off.score).toBe(0);
      expect(off.findings.map((f) => f.rule)).toEqual(['jobTokenScopeOpen']);
      expect(off.findings[0].remediation?.text).toMatch(/Limit access to this project/);
    });

    it('a token below Maintainer: null, with the reason and role the source gave', async () => {
      const r = await withPolicy(CI, known({ jobTokenScopeLimited: unknown('403 Forbidden', 'the Maintainer role') })).run();
      expect(r.score).toBeNull();
      expect(r.unknowns).toEqual([
        { fact: 'ciTokenPolicy', reason: 'the CI/CD job token scope: 403 Forbidden', needs: 'the Maintainer role' },
      ]);
    });

    it('GitHub-only repositories never ask for it; mixed ones report it beside the GitHub score', async () => {
      const gh = withPolicy(wf('on: push\npermissions: {}\njobs: {}\n'), known({ jobTokenScopeLimited: known(false) }));
      expect((await gh.run()).score).toBe(10);
      expect(gh.calls.n).toBe(0);
      const mixed = await withPolicy(
        { ...wf('on: push\npermissions: {}\njobs: {}\n'), ...CI },
        known({ jobTokenScopeLimited: known(false) }),
      ).run();
      expect(mixed.score).toBe(10);
      expect(mixed.findings.map((f) => f.rule)).toEqual(['jobTokenScopeOpen']);
    });
  });
});

describe('Token-Permissions: robustness over the real-world corpus', () => {
  const repos = readdirSync(CORPUS, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== 'gitlab')
    .map((d) => join(CORPUS, d.name))
    .concat(
      readdirSync(join(CORPUS, 'gitlab'), { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => join(CORPUS, 'gitlab', d.name)),
    );

  it('finds repositories to scan', () => expect(repos.length).toBeGreaterThan(20));

  for (const dir of repos) {
    it(`processes ${dir.slice(CORPUS.length + 1)}`, async () => {
      const r = await runCheckOnDir(check, dir);
      expect(r.reason).not.toMatch(/internal error/);
      if (r.score !== null) expect(r.score).toBeGreaterThanOrEqual(0);
      for (const f of r.findings) {
        expect(f.location?.path).toBeTruthy();
        expect(f.location?.line).toBeGreaterThanOrEqual(1);
        expect(f.location?.column).toBeGreaterThanOrEqual(1);
        // The engine reports parse issues as `fileNotAnalyzed`; the check's own findings carry a fix.
        if (f.rule !== 'fileNotAnalyzed') expect(f.remediation?.text).toBeTruthy();
      }
    });
  }
});
