import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import check, { evalRuleIf, runsInMergeRequests } from '../../checks/dangerous-workflow.js';
import type { CheckResult } from '../../src/engine.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';
import { COMPAT_DIR, CORPUS_DIR, compatCases } from '../helpers/shared.js';

const COMPAT = COMPAT_DIR;
const CORPUS = CORPUS_DIR;

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));

function repo(files: Record<string, string>): string {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return t.dir;
}

const run = (files: Record<string, string>) => runCheckOnDir(check, repo(files));
const WF = '.github/workflows/ci.yml';
const wf = (text: string) => ({ [WF]: text });
const gl = (text: string) => ({ '.gitlab-ci.yml': text });
/** The check's own findings (the engine adds `fileNotAnalyzed` ones for parse issues). */
const own = (r: CheckResult) => r.findings.filter((f) => f.rule !== 'fileNotAnalyzed');

describe('Dangerous-Workflow: Scorecard parity cases', () => {
  const cases = compatCases('Dangerous-Workflow');

  it('has cases to run', () => expect(cases.length).toBeGreaterThan(8));

  for (const c of cases) {
    it(`${c.id} (${c.compare} = ${String(c.expected)})`, async () => {
      // The "no workflows" case is an empty repository, which has no directory in the case set.
      const dir = existsSync(join(COMPAT, c.dir)) ? join(COMPAT, c.dir) : repo({});
      const r = await runCheckOnDir(check, dir);
      if (c.compare === 'score') expect(r.score).toBe(c.expected === -1 ? null : c.expected);
      else if (c.compare === 'findings') {
        expect(r.findings.filter((f) => !c.rules || c.rules.includes(f.rule))).toHaveLength(c.expected as number);
      }
    });
  }
});

describe('Dangerous-Workflow: GitHub script injection', () => {
  const TITLE_WF = [
    'on: issues', // 1
    'jobs:', // 2
    '  triage:', // 3
    '    runs-on: ubuntu-latest', // 4
    '    steps:', // 5
    '      - name: Check title', // 6
    '        run: |', // 7
    '          echo "start"', // 8
    '          title="${{ github.event.issue.title }}"', // 9
    '',
  ].join('\n');

  it('reports the `${{` inside a block run: script at its exact line:column, with an env-var patch', async () => {
    const r = await run(wf(TITLE_WF));
    expect(r.score).toBe(0);
    expect(r.findings).toHaveLength(1);
    const f = r.findings[0];
    expect(f).toMatchObject({ rule: 'scriptInjection', severity: 'critical', location: { path: WF, line: 9, column: 18 } });
    expect(f.snippet).toBe('${{ github.event.issue.title }}');
    expect(f.remediation?.patch).toBe(
      '# step "Check title" at line 6: pass untrusted values through env\n' +
        'env:\n  ISSUE_TITLE: ${{ github.event.issue.title }}\n' +
        'run: |\n  echo "start"\n  title="${ISSUE_TITLE}"\n',
    );
  });

  it('one-line run: single-quoted toJSON(github.event) → column past `run: `; patch closes the quotes', async () => {
    const r = await run(
      wf("on: pull_request_target\njobs:\n  log:\n    runs-on: x\n    steps:\n      - run: echo '${{ toJSON(github.event) }}' | jq\n"),
    );
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'scriptInjection', location: { path: WF, line: 6, column: 20 } })]);
    expect(r.findings[0].message).toContain('toJSON(github.event)');
    expect(r.findings[0].remediation?.patch).toContain('env:\n  GITHUB_EVENT_JSON: ${{ toJSON(github.event) }}\n');
    expect(r.findings[0].remediation?.patch).toContain('run: |\n  echo "${GITHUB_EVENT_JSON}" | jq\n');
  });

  it('unquoted head_ref is quoted in the patch; several hits in one step share one env block', async () => {
    const r = await run(
      wf(
        'on: pull_request\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: |\n          git push origin ${{ github.head_ref }}\n          echo "${{ github.event.pull_request.title }} ${{ github.head_ref }}"\n',
      ),
    );
    expect(r.findings.map((f) => [f.location?.line, f.location?.column])).toEqual([
      [7, 27],
      [8, 17],
      [8, 56],
    ]);
    expect(r.findings[0].remediation?.patch).toBe(
      '# step at line 6: pass untrusted values through env\nenv:\n  HEAD_REF: ${{ github.head_ref }}\n  PULL_REQUEST_TITLE: ${{ github.event.pull_request.title }}\n' +
        'run: |\n  git push origin "${HEAD_REF}"\n  echo "${PULL_REQUEST_TITLE} ${HEAD_REF}"\n',
    );
  });

  it('bracket syntax, odd casing and wildcard commit messages are recognised', async () => {
    const r = await run(
      wf(
        "on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo ${{ github.event['issue']['body'] }}\n      - run: echo ${{ GitHub.Event.Head_Commit.Message }}\n      - run: echo ${{ github.event.commits[0].author.name }}\n",
      ),
    );
    expect(r.findings.map((f) => f.location?.line)).toEqual([6, 7, 8]);
  });

  it('trusted contexts and the env-var pattern are not reported', async () => {
    const r = await run(
      wf(
        'on: pull_request_target\njobs:\n  a:\n    runs-on: x\n    steps:\n      - env:\n          TITLE: ${{ github.event.pull_request.title }}\n' +
          '        run: |\n          echo "$TITLE" ${{ github.event.pull_request.number }} ${{ github.sha }} ${{ secrets.TOKEN }}\n',
      ),
    );
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
  });

  it('`${{ env.X }}` where X holds an untrusted context is injection too; the fix reuses X', async () => {
    const r = await run(
      wf(
        'on: issue_comment\nenv:\n  BODY: ${{ github.event.comment.body }}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: echo "${{ env.BODY }}"\n',
      ),
    );
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'scriptInjection', location: { path: WF, line: 8, column: 20 } })]);
    expect(r.findings[0].message).toContain('env.BODY');
    expect(r.findings[0].remediation?.patch).toBe('# step at line 8: pass untrusted values through env\nrun: |\n  echo "${BODY}"\n');
  });

  it('an env name already used for something else gets a suffix', async () => {
    const r = await run(
      wf(
        'on: issues\njobs:\n  a:\n    runs-on: x\n    env:\n      ISSUE_TITLE: fixed\n    steps:\n      - run: echo ${{ github.event.issue.title }}\n',
      ),
    );
    expect(r.findings[0].remediation?.patch).toContain('ISSUE_TITLE_1: ${{ github.event.issue.title }}');
  });

  it('Windows jobs get a PowerShell reference in the patch', async () => {
    const r = await run(
      wf('on: issues\njobs:\n  a:\n    runs-on: windows-latest\n    steps:\n      - run: Write-Host "${{ github.event.issue.title }}"\n'),
    );
    expect(r.findings[0].remediation?.patch).toContain('Write-Host "$env:ISSUE_TITLE"');
  });

  it('actions/github-script `script:` inputs are scanned (JavaScript injection)', async () => {
    const r = await run(
      wf(
        "on: issue_comment\njobs:\n  a:\n    runs-on: x\n    steps:\n      - uses: actions/github-script@v7\n        with:\n          script: |\n            const body = '${{ github.event.comment.body }}'\n            console.log(body)\n",
      ),
    );
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'scriptInjection', location: expect.objectContaining({ path: WF, line: 8, column: 19 }) }),
    ]);
    expect(r.findings[0].message).toMatch(/JavaScript/);
    expect(r.findings[0].remediation?.patch).toContain('COMMENT_BODY: ${{ github.event.comment.body }}');
    expect(r.findings[0].remediation?.patch).toContain('const body = process.env.COMMENT_BODY');
  });

  it('composite actions (action.yml) are scanned too', async () => {
    const r = await run({
      'action.yml':
        'name: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: echo "${{ github.event.pull_request.body }}"\n',
    });
    expect(r.score).toBe(0);
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'scriptInjection', location: { path: 'action.yml', line: 6, column: 18 } }),
    ]);
  });
});

describe('Dangerous-Workflow: GitHub untrusted checkout', () => {
  const prt = (steps: string, on = 'pull_request_target') => wf(`on: ${on}\njobs:\n  build:\n    runs-on: x\n    steps:\n${steps}`);

  it('reports the ref of a PR-head checkout at its value', async () => {
    const r = await run(
      prt('      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n'),
    );
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'untrustedCheckout',
        severity: 'critical',
        location: expect.objectContaining({ path: WF, line: 8, column: 16 }),
      }),
    ]);
    expect(r.findings[0].remediation?.patch).toBe('on:\n  pull_request:\n');
  });

  it('checking out the base, or the default ref, is fine', async () => {
    const r = await run(
      prt(
        '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.base.sha }}\n      - uses: actions/checkout@v4\n',
      ),
    );
    expect(r.findings).toEqual([]);
  });

  it('head_ref and refs/pull refs, and `gh pr checkout` in a script, count', async () => {
    const r = await run(
      prt(
        '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.head_ref }}\n' +
          '      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.number }}/merge\n' +
          '      - run: gh pr checkout ${{ github.event.number }}\n',
      ),
    );
    expect(r.findings.map((f) => [f.rule, f.location?.line, f.location?.column])).toEqual([
      ['untrustedCheckout', 8, 16],
      ['untrustedCheckout', 11, 16],
      ['untrustedCheckout', 12, 14],
    ]);
  });

  it('workflow_run checkouts of the triggering run count; the same ref under pull_request does not', async () => {
    const steps = '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.workflow_run.head_sha }}\n';
    expect(own(await run(prt(steps, 'workflow_run')))).toHaveLength(1);
    expect(
      own(
        await run(
          prt(
            '      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n',
            'pull_request',
          ),
        ),
      ),
    ).toEqual([]);
  });

  it('issue_comment workflows checking out refs/pull/<n>/head count', async () => {
    const r = await run(
      prt(
        '      - uses: actions/checkout@v4\n        with:\n          ref: refs/pull/${{ github.event.issue.number }}/head\n',
        'issue_comment',
      ),
    );
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'untrustedCheckout' })]);
  });
});

describe('Dangerous-Workflow: GitLab merge-request pipelines', () => {
  it('evaluates rules:if in a merge-request context', () => {
    expect(evalRuleIf('$CI_PIPELINE_SOURCE == "merge_request_event"')).toBe(true);
    expect(evalRuleIf("$CI_PIPELINE_SOURCE == 'push'")).toBe(false);
    expect(evalRuleIf('$CI_MERGE_REQUEST_IID')).toBe(true);
    expect(evalRuleIf('$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH')).toBe(false);
    expect(evalRuleIf('$CI_COMMIT_TAG')).toBe(false);
    expect(evalRuleIf('$CI_PIPELINE_SOURCE =~ /^merge_request/')).toBe(true);
    expect(evalRuleIf('$CI_PIPELINE_SOURCE !~ /^merge_request/ || $DEPLOY == "1"')).toBeUndefined();
    expect(evalRuleIf('($CI_PIPELINE_SOURCE == "merge_request_event") && $CI_COMMIT_BRANCH')).toBe(false);
    expect(evalRuleIf('$GITLAB_USER_LOGIN == "bot" && $CI_PIPELINE_SOURCE == "merge_request_event"')).toBeUndefined();
    expect(evalRuleIf('$CI_COMMIT_REF_PROTECTED == "true"')).toBe(false);
    expect(evalRuleIf('this is not an expression')).toBeUndefined();
  });

  it('decides which jobs run in merge-request pipelines', () => {
    const job = (x: Partial<{ rules: unknown; only: unknown; except: unknown; when: string }>) => ({
      rules: undefined,
      only: undefined,
      except: undefined,
      when: undefined,
      ...x,
    });
    expect(runsInMergeRequests(job({}))).toBe(false); // default only: [branches, tags]
    expect(runsInMergeRequests(job({ only: ['merge_requests'] }))).toBe(true);
    expect(runsInMergeRequests(job({ only: { refs: ['merge_requests', 'main'] } }))).toBe(true);
    expect(runsInMergeRequests(job({ only: ['merge_requests'], except: ['merge_requests'] }))).toBe(false);
    expect(runsInMergeRequests(job({ except: ['tags'] }))).toBe(false);
    expect(runsInMergeRequests(job({ rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"' }] }))).toBe(true);
    expect(
      runsInMergeRequests(job({ rules: [{ if: '$CI_PIPELINE_SOURCE == "merge_request_event"', when: 'never' }, { when: 'always' }] })),
    ).toBe(false);
    expect(runsInMergeRequests(job({ rules: [{ if: '$CI_COMMIT_BRANCH == "main"' }] }))).toBe(false);
    expect(runsInMergeRequests(job({ rules: [{ changes: ['src/**'] }] }))).toBe(true); // no `if`: every pipeline
    expect(runsInMergeRequests(job({ rules: [{ if: '$DEPLOY' }] }))).toBe(false); // unknown: not assumed
    expect(runsInMergeRequests(job({ rules: [{ if: '$CI_MERGE_REQUEST_IID' }], when: 'never' }))).toBe(false);
  });

  it('`echo $CI_MERGE_REQUEST_TITLE` only expands the text — no finding, quoted or not', async () => {
    const r = await run(
      gl(
        'test:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n  script:\n    - echo $CI_MERGE_REQUEST_TITLE\n    - echo "$CI_MERGE_REQUEST_DESCRIPTION" > d.txt\n' +
          '    - git log -1 --format=%s | grep -q "$CI_COMMIT_TITLE"\n    - sh -c \'echo "$CI_COMMIT_MESSAGE"\'\n    - bash -c \'echo $1\' _ "$CI_MERGE_REQUEST_TITLE"\n',
      ),
    );
    expect(r.score).toBe(10);
    expect(own(r)).toEqual([]);
    expect(r.evidence).toEqual([expect.objectContaining({ kind: 'mergeRequestJobs' })]);
  });

  it('eval re-parses the text: critical in a merge-request job, at the `$`', async () => {
    const r = await run(gl('lint:\n  only: [merge_requests]\n  script:\n    - eval "echo $CI_MERGE_REQUEST_TITLE"\n'));
    expect(r.score).toBe(0);
    expect(own(r)).toEqual([
      expect.objectContaining({
        rule: 'gitlabScriptInjection',
        severity: 'critical',
        location: { path: '.gitlab-ci.yml', line: 4, column: 18 },
      }),
    ]);
    expect(r.findings[0].message).toMatch(/`eval`/);
  });

  it('second parses: sh -c "…", bash -ec, python -c, docker … sh -c, ssh, pipe into bash, $(eval …)', async () => {
    const r = await run(
      gl(
        [
          'release:', // 1
          '  script:', // 2
          '    - sh -c "echo $CI_COMMIT_MESSAGE"', // 3  $ at col 19
          '    - bash -ec "notify ${CI_COMMIT_TITLE}"', // 4  $ at col 24
          '    - python3 -c "print(\'$CI_COMMIT_DESCRIPTION\')"', // 5  $ at col 26
          '    - docker run --rm alpine sh -c "echo $CI_COMMIT_AUTHOR"', // 6  $ at col 42
          '    - ssh -i key deploy@host "echo $CI_COMMIT_TAG_MESSAGE"', // 7  $ at col 36
          '    - echo "$CI_COMMIT_MESSAGE" | bash', // 8  $ at col 13
          '    - X="$(eval "echo $CI_COMMIT_TITLE")"', // 9  $ at col 23
          '',
        ].join('\n'),
      ),
    );
    expect(own(r).map((f) => [f.severity, f.location?.line, f.location?.column])).toEqual([
      ['high', 3, 19],
      ['high', 4, 24],
      ['high', 5, 26],
      ['high', 6, 42],
      ['high', 7, 36],
      ['high', 8, 13],
      ['high', 9, 23],
    ]);
  });

  it('ref names are untrusted only in merge-request jobs', async () => {
    const script = '  script:\n    - ssh deploy@host "cd /srv && git checkout $CI_COMMIT_REF_NAME"\n';
    expect(own(await run(gl(`deploy:\n  rules:\n    - if: $CI_COMMIT_BRANCH == "main"\n${script}`)))).toEqual([]);
    const mr = await run(gl(`review:\n  rules:\n    - if: $CI_MERGE_REQUEST_IID\n${script}`));
    expect(own(mr)).toEqual([
      expect.objectContaining({
        rule: 'gitlabScriptInjection',
        severity: 'critical',
        location: expect.objectContaining({ line: 5, column: 48 }),
      }),
    ]);
  });

  it('copies are followed: `variables:` values and script assignments', async () => {
    const r = await run(
      gl(
        'job:\n  variables:\n    TITLE: $CI_MERGE_REQUEST_TITLE\n  script:\n    - eval "$TITLE"\n    - MSG="$CI_COMMIT_MESSAGE"\n    - bash -c "echo $MSG"\n    - MSG=safe\n    - bash -c "echo $MSG"\n',
      ),
    );
    expect(own(r).map((f) => f.location?.line)).toEqual([5, 7]);
    expect(r.findings[0].message).toMatch(/copied from \$CI_MERGE_REQUEST_TITLE/);
  });

  it('secrets and cloud id_tokens in merge-request jobs are findings; Sigstore-only tokens are not', async () => {
    const r = await run(
      gl(
        [
          'deploy-preview:', // 1
          '  rules:', // 2
          '    - if: $CI_PIPELINE_SOURCE == "merge_request_event"', // 3
          '  id_tokens:', // 4
          '    AWS_TOKEN:', // 5
          '      aud: https://sts.amazonaws.com', // 6
          '    SIGSTORE_ID_TOKEN:', // 7
          '      aud: sigstore', // 8
          '  secrets:', // 9
          '    DB_PASSWORD:', // 10
          '      vault: prod/db/password@ops', // 11
          '  script: [./deploy-preview.sh]', // 12
          'deploy:', // 13
          '  rules:', // 14
          '    - if: $CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH', // 15
          '  secrets:', // 16
          '    DB_PASSWORD:', // 17
          '      vault: prod/db/password@ops', // 18
          '  script: [./deploy.sh]', // 19
          '',
        ].join('\n'),
      ),
    );
    expect(own(r).map((f) => [f.rule, f.location?.line, f.location?.column])).toEqual([
      ['mrPipelineSecrets', 1, 1],
      ['mrPipelineIdToken', 5, 5],
    ]);
    expect(r.findings.find((f) => f.rule === 'mrPipelineSecrets')?.remediation?.patch).toContain('when: never');
  });

  it('workflow:rules that never create merge-request pipelines silence MR findings', async () => {
    const r = await run(
      gl(
        'workflow:\n  rules:\n    - if: $CI_PIPELINE_SOURCE == "merge_request_event"\n      when: never\n    - when: always\njob:\n  rules:\n    - when: always\n  secrets:\n    X:\n      vault: a/b@c\n  script: [echo]\n',
      ),
    );
    expect(own(r)).toEqual([]);
    expect(r.score).toBe(10);
  });

  it('a GitLab CI config with no readable jobs, and no workflows, is inconclusive', async () => {
    const r = await run(gl('include:\n  - local: missing.yml\n'));
    expect(r.score).toBeNull();
  });
});

describe('Dangerous-Workflow: robustness over the real-world corpus', () => {
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
      for (const f of r.findings) {
        expect(f.location?.path).toBeTruthy();
        expect(f.location?.line).toBeGreaterThanOrEqual(1);
        expect(f.location?.column).toBeGreaterThanOrEqual(1);
      }
    });
  }

  it('every workflow and GitLab file of the corpus, scanned alone, never throws', async () => {
    const files: Record<string, string> = {};
    const walk = (d: string, rel: string) => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
        else if (/\.ya?ml$/.test(e.name)) files[`${rel}${e.name}`] = readFileSync(join(d, e.name), 'utf8');
      }
    };
    walk(CORPUS, '');
    let n = 0;
    for (const [path, text] of Object.entries(files)) {
      const target = path.includes('/.github/workflows/') ? WF : path.endsWith('.gitlab-ci.yml') ? '.gitlab-ci.yml' : undefined;
      if (!target) continue;
      const r = await run({ [target]: text });
      expect(r.reason, path).not.toMatch(/internal error/);
      n++;
    }
    expect(n).toBeGreaterThan(150);
  }, 120_000);
});
