import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import check from '../../checks/dependency-update-tool.js';
import { gitEnv, runCheckOnDir } from '../helpers/facts.js';
import { COMPAT_DIR, compatCases, useTempTrees } from '../helpers/shared.js';

const CASES = COMPAT_DIR;
const cases = compatCases(check.id);

const tree = useTempTrees();

/** Adds a commit by the given author to a git tree. */
function commitAs(dir: string, email: string) {
  writeFileSync(join(dir, 'bump.txt'), email);
  const env = { ...gitEnv(), GIT_AUTHOR_NAME: 'bot', GIT_AUTHOR_EMAIL: email };
  execFileSync('git', ['add', '-A'], { cwd: dir, env });
  execFileSync('git', ['commit', '-q', '-m', 'bump'], { cwd: dir, env });
}

describe('Dependency-Update-Tool: Scorecard parity cases', () => {
  it('has the cases', () => expect(cases.length).toBe(9));
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCheckOnDir(check, join(CASES, c.dir));
    if (c.compare === 'score') expect(r.score).toBe(c.expected === -1 ? null : c.expected);
    else expect(r.findings.filter((f) => !c.rules || c.rules.includes(f.rule)).length).toBe(c.expected);
  });
});

describe('Dependency-Update-Tool', () => {
  it('no tool: 0 with a single finding', async () => {
    const r = await runCheckOnDir(check, tree({ 'README.md': '# x\n', 'docs/renovate.json': '{}' }, true));
    expect(r.score).toBe(0);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'noDependencyUpdateTool', severity: 'high' })]);
    expect(r.findings[0].location).toBeUndefined();
  });

  it('a config file: 10, with the file as evidence and no findings', async () => {
    const r = await runCheckOnDir(check, tree({ '.github/Dependabot.YML': 'version: 2\n' }));
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      {
        kind: 'dependencyUpdateTool',
        message: 'Dependabot configuration: .github/Dependabot.YML',
        location: { path: '.github/Dependabot.YML' },
        values: { tool: 'Dependabot' },
      },
    ]);
  });

  it.each([
    '.renovaterc',
    '.renovaterc.json5',
    '.gitea/renovate.json',
    '.pyup.yml',
    '.github/.scala-steward.conf',
    '.gitlab/dependabot.yml',
  ])('%s is a dependency update tool configuration', async (p) => expect((await runCheckOnDir(check, tree({ [p]: '{}' }))).score).toBe(10));

  it('Renovate run from a GitHub workflow', async () => {
    const wf =
      'on: {schedule: [{cron: "0 0 * * *"}]}\njobs:\n  renovate:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: renovatebot/github-action@v40.1.0\n';
    const r = await runCheckOnDir(check, tree({ '.github/workflows/renovate.yml': wf }));
    expect(r.score).toBe(10);
    expect(r.evidence).toEqual([
      expect.objectContaining({
        values: { tool: 'Renovate' },
        location: expect.objectContaining({ path: '.github/workflows/renovate.yml', line: 6 }),
      }),
    ]);
  });

  it('Renovate run from the GitLab renovate-runner template', async () => {
    const ci = 'include:\n  - project: renovate-bot/renovate-runner\n    file: /templates/renovate.gitlab-ci.yml\n';
    const r = await runCheckOnDir(check, tree({ '.gitlab-ci.yml': ci }));
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ values: { tool: 'Renovate' }, location: { path: '.gitlab-ci.yml', line: 2 } });
  });

  it('falls back to recent commits authored by dependabot[bot]', async () => {
    const dir = tree({ 'go.mod': 'module x\n' }, true);
    commitAs(dir, '49699333+dependabot[bot]@users.noreply.github.com');
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ kind: 'dependencyUpdateTool', values: { tool: 'Dependabot' } });
  });

  it('…and by renovate[bot]; other bots do not count', async () => {
    const renovate = tree({ 'a.txt': 'a' }, true);
    commitAs(renovate, '29139614+renovate[bot]@users.noreply.github.com');
    expect((await runCheckOnDir(check, renovate)).score).toBe(10);
    const other = tree({ 'a.txt': 'a' }, true);
    commitAs(other, '41898282+github-actions[bot]@users.noreply.github.com');
    expect((await runCheckOnDir(check, other)).score).toBe(0);
  });

  it('without git history the commit fallback is unknown, and says so', async () => {
    const r = await runCheckOnDir(check, tree({ 'a.txt': 'a' }));
    expect(r.score).toBe(0);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'recentCommits', reason: 'not a git repository' })]);
  });
});
