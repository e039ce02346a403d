/**
 * SAST — does the project run static analysis in CI?
 *
 * Scorecard (checks/raw/sast.go, checks/evaluation/sast.go) has two parts: (a) check runs from
 * github-advanced-security, github-code-scanning, lgtm-com, sonarcloud or sonarqubecloud on the last
 * merged PRs (API), and (b) workflows using codeql-action/analyze, snyk/actions, pysa, qodana or
 * hadolint, plus Sonar configured in pom.xml. A non-CodeQL tool scores 10; CodeQL alone scores by the
 * share of merged PRs it analysed, at least ⌊(3·0 + 7·10)/10⌋ = 7.
 *
 * Offline only (b) is visible. Our rule: any non-CodeQL tool → 10; CodeQL → 10 when its workflow runs
 * on pull requests (the closest configuration-level stand-in for "on every merged PR"), else 7;
 * nothing → 0, with an unknown for what only the API shows (CodeQL default setup, SonarCloud app).
 */
import { defineCheck, inconclusive, type Evidence, type Finding } from '../src/check.js';
import type { Location } from '../src/facts/model.js';
import type { ActionMeta, Step, Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi, GitlabJob } from '../src/parsers/gitlab-ci.js';
import { actionName, callersOf, commandIndex, jobSteps, shellCommands, type ShellCommand } from './lib/ci.js';

interface Detection {
  tool: string;
  platform: 'github' | 'gitlab';
  loc: Location;
  file: string;
  /** Runs for pull/merge requests. */
  onPullRequests: boolean;
  /** Scorecard's own rules detect this. */
  scorecard: boolean;
  how: string;
}

interface ActionRule {
  /** Scorecard's regexes are case-sensitive on the action name; ours are not. */
  re: RegExp;
  tool: string;
  scorecard?: RegExp;
  when?: (s: Step) => boolean;
}

const SAST_ACTIONS: readonly ActionRule[] = [
  { re: /^github\/codeql-action\/analyze$/i, tool: 'CodeQL', scorecard: /^github\/codeql-action\/analyze$/ },
  { re: /^snyk\/actions\//i, tool: 'Snyk', scorecard: /^snyk\/actions\/.*/ },
  { re: /^facebook\/pysa-action$/i, tool: 'Pysa', scorecard: /^facebook\/pysa-action$/ },
  { re: /^jetbrains\/qodana-action$/i, tool: 'Qodana', scorecard: /^JetBrains\/qodana-action$/ },
  { re: /^hadolint\/hadolint-action$/i, tool: 'Hadolint', scorecard: /^hadolint\/hadolint-action$/ },
  // Beyond Scorecard:
  { re: /^sonarsource\/(?:sonarcloud-github-action|sonarqube-scan-action)$/i, tool: 'Sonar' },
  { re: /^(?:returntocorp|semgrep)\/semgrep-action$/i, tool: 'Semgrep' },
  { re: /^pycqa\/bandit-action$/i, tool: 'Bandit' },
  { re: /^securego\/gosec$/i, tool: 'gosec' },
  { re: /^aquasecurity\/trivy-action$/i, tool: 'Trivy (config scan)', when: (s) => s.with['scan-type']?.value === 'config' },
  { re: /^zizmorcore\/zizmor-action$/i, tool: 'zizmor' },
];

/** SAST commands in `run:` steps and GitLab scripts (beyond Scorecard, which reads only `uses:`). */
const SAST_COMMANDS: ReadonlyArray<{ tool: string; match(t: readonly string[]): boolean }> = [
  {
    tool: 'Semgrep',
    match: (t) => {
      const i = commandIndex(t, ['semgrep']);
      return i >= 0 && ['ci', 'scan', '--config'].some((w) => t.slice(i + 1).some((x) => x === w || x.startsWith('--config=')));
    },
  },
  {
    tool: 'Bandit',
    match: (t) => {
      const i = commandIndex(t, ['bandit']);
      return i >= 0 && t.length > i + 1;
    },
  },
  {
    tool: 'gosec',
    match: (t) => {
      const i = commandIndex(t, ['gosec']);
      return i >= 0 && t.length > i + 1;
    },
  },
  { tool: 'Brakeman', match: (t) => commandIndex(t, ['brakeman']) >= 0 },
  {
    tool: 'Trivy (config scan)',
    match: (t) => {
      const i = commandIndex(t, ['trivy']);
      return i >= 0 && (t[i + 1] === 'config' || t.some((x) => /^--scanners[= ]?.*misconfig/.test(x)) || t.includes('misconfig'));
    },
  },
  { tool: 'zizmor', match: (t) => commandIndex(t, ['zizmor']) >= 0 },
  {
    tool: 'Sonar',
    match: (t) =>
      commandIndex(t, ['sonar-scanner']) >= 0 ||
      t.some((x) => /^(?:org\.sonarsource\.scanner\.maven:sonar-maven-plugin:[\w.-]*:)?sonar:sonar$/.test(x)) ||
      (commandIndex(t, ['gradle', 'gradlew']) >= 0 && t.some((x) => x === 'sonar' || x === 'sonarqube')),
  },
  {
    tool: 'CodeQL',
    match: (t) => {
      const i = commandIndex(t, ['codeql']);
      return i >= 0 && t[i + 1] === 'database' && t[i + 2] === 'analyze';
    },
  },
  {
    tool: 'Hadolint',
    match: (t) => {
      const i = commandIndex(t, ['hadolint']);
      return i >= 0 && t.length > i + 1;
    },
  },
];

const PR_EVENTS = new Set(['pull_request', 'pull_request_target', 'merge_group']);

function commandTool(cmd: ShellCommand): string | undefined {
  return SAST_COMMANDS.find((r) => r.match(cmd.tokens))?.tool;
}

/** Runs for pull requests itself, or (a reusable workflow) is called by a workflow that does. */
function runsOnPullRequests(wf: Workflow, wfs: readonly Workflow[]): boolean {
  const own = (w: Workflow) => w.triggers.some((t) => PR_EVENTS.has(t.event));
  return own(wf) || (wf.triggers.some((t) => t.event === 'workflow_call') && callersOf(wfs, wf.path).some(own));
}

function githubDetections(wf: Workflow, wfs: readonly Workflow[], actions: readonly ActionMeta[]): Detection[] {
  const onPullRequests = runsOnPullRequests(wf, wfs);
  const out: Detection[] = [];
  for (const job of wf.jobs) {
    for (const { step } of jobSteps(job, actions)) {
      if (step.uses) {
        const name = actionName(step.uses.value);
        const rule = SAST_ACTIONS.find((r) => r.re.test(name) && (!r.when || r.when(step)));
        if (rule) {
          out.push({
            tool: rule.tool,
            platform: 'github',
            loc: step.uses.loc,
            file: wf.path,
            onPullRequests,
            scorecard: !!rule.scorecard?.test(name),
            how: `uses ${name}`,
          });
        }
      }
      if (step.run) {
        for (const cmd of shellCommands(step.run)) {
          const tool = commandTool(cmd);
          if (tool)
            out.push({
              tool,
              platform: 'github',
              loc: cmd.loc,
              file: wf.path,
              onPullRequests,
              scorecard: false,
              how: `runs \`${cmd.text.slice(0, 80)}\``,
            });
        }
      }
    }
  }
  return out;
}

/** GitLab's SAST templates (Auto DevOps includes SAST too) and the SAST CI/CD component. */
const SAST_TEMPLATE = /^(?:Security|Jobs)\/SAST(?:-IaC)?(?:\.latest)?\.gitlab-ci\.yml$|^Auto-DevOps\.gitlab-ci\.yml$/;
const SAST_COMPONENT = /\/components\/sast\/|\/sast\/sast@|(?:^|\/)sast@/i;

function gitlabDetections(ci: GitlabCi): Detection[] {
  const out: Detection[] = [];
  // SAST_DISABLED turns the template's jobs off.
  const disabled = /^(?:true|1|yes)$/i.test(ci.variables.SAST_DISABLED?.value ?? '');
  for (const inc of ci.includes) {
    const template = inc.kind === 'template' && SAST_TEMPLATE.test(inc.value);
    const component = inc.kind === 'component' && SAST_COMPONENT.test(inc.value);
    if ((template || component) && !disabled) {
      out.push({
        tool: 'GitLab SAST',
        platform: 'gitlab',
        loc: inc.loc,
        file: inc.loc.path,
        onPullRequests: true,
        scorecard: false,
        how: `includes ${inc.kind} ${inc.value}`,
      });
    }
  }
  for (const job of ci.jobs) {
    const base = { platform: 'gitlab' as const, file: job.loc.path, onPullRequests: runsForMergeRequests(job, ci), scorecard: false };
    const report = job.reports.find((r) => r.value === 'sast');
    if (report)
      out.push({ ...base, tool: `SAST report (job ${job.name})`, loc: report.loc, how: `job \`${job.name}\` uploads a SAST report` });
    for (const line of job.scripts) {
      for (const cmd of shellCommands(line)) {
        const tool = commandTool(cmd);
        if (tool) out.push({ ...base, tool, loc: cmd.loc, how: `job \`${job.name}\` runs \`${cmd.text.slice(0, 80)}\`` });
      }
    }
  }
  return out;
}

/** Conservative: a job runs for merge requests unless its rules/only say it only runs elsewhere. */
function runsForMergeRequests(job: GitlabJob, ci: GitlabCi): boolean {
  const text = JSON.stringify([job.rules ?? null, job.only ?? null, ci.workflowRules ?? null]);
  if (/merge_request/.test(text)) return true;
  return job.rules === undefined && job.only === undefined;
}

function noSastFinding(gitlab: boolean): Finding {
  if (gitlab) {
    return {
      rule: 'noSastTool',
      severity: 'medium',
      message: 'no SAST tool runs in the CI pipeline',
      location: { path: '.gitlab-ci.yml', line: 1, column: 1 },
      remediation: {
        text: "Include GitLab's SAST template (it runs in merge request pipelines).",
        patch: 'include:\n  - template: Jobs/SAST.gitlab-ci.yml',
      },
    };
  }
  return {
    rule: 'noSastTool',
    severity: 'medium',
    message: 'no SAST tool runs in a GitHub Actions workflow',
    // No location: the fix is a new file (named in the remediation), and a finding must point at a real one.
    remediation: {
      text: 'Run CodeQL (or another SAST tool such as Semgrep) on every pull request, e.g. in a new .github/workflows/codeql.yml. Alternatively enable CodeQL default setup in the repository settings (not visible offline).',
      patch: CODEQL_WORKFLOW,
    },
  };
}

const CODEQL_WORKFLOW = `name: CodeQL
on:
  pull_request:
  push:
    branches: [main]
permissions: {}
jobs:
  analyze:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      security-events: write
    steps:
      - uses: actions/checkout@v6
      - uses: github/codeql-action/init@v4
      - uses: github/codeql-action/autobuild@v4
      - uses: github/codeql-action/analyze@v4`;

export default defineCheck({
  id: 'SAST',
  risk: 'medium',
  description:
    'Determines whether the project runs static application security testing (SAST) in CI: CodeQL, Snyk, Pysa, Qodana, Hadolint, Sonar, ' +
    "Semgrep, Bandit, gosec, Brakeman, Trivy config scans, zizmor, or GitLab's SAST template/component.",
  facts: ['workflows', 'gitlabCi', 'actions'],
  slsa: [],
  remediation: [
    "Run a SAST tool on every pull request: CodeQL (github/codeql-action), Semgrep, or the language's analyzer (Bandit, gosec, Brakeman…).",
    'GitLab: include `Jobs/SAST.gitlab-ci.yml` (or the SAST CI/CD component).',
  ],
  differsFromScorecard:
    'Scorecard also counts SAST check runs (code scanning, SonarCloud) on the last merged PRs, which needs the API: offline that part is an unknown, ' +
    "and CodeQL scores 10 when its workflow runs on pull requests (7 otherwise, Scorecard's floor for CodeQL). Also recognised: Semgrep, Bandit, gosec, " +
    'Brakeman, Trivy config scans, zizmor and Sonar scanners in workflows and `run:` commands, actions in local composite actions, and GitLab SAST ' +
    '(templates, component, `artifacts:reports:sast`). Sonar via pom.xml `<sonar.host.url>` is not read (no file-content fact).',
  run(facts) {
    const { workflows, gitlabCi, actions } = facts;
    if (!workflows.known && !gitlabCi.known)
      return inconclusive('CI configuration could not be read', ['workflows', workflows], ['gitlabCi', gitlabCi]);
    const wfs = workflows.known ? workflows.value : [];
    const ci = gitlabCi.known ? gitlabCi.value : null;
    const found = [
      ...wfs.flatMap((wf) => githubDetections(wf, wfs, actions.known ? actions.value : [])),
      ...(ci ? gitlabDetections(ci) : []),
    ];
    const unknowns = [
      {
        fact: 'checkRuns',
        reason: 'SAST check runs on merged pull requests (CodeQL default setup, SonarCloud and other apps) need the API',
        needs: 'GitHub checks API (checks: read) on recent merged pull requests',
      },
    ];
    const evidence: Evidence[] = found.map((d) => ({
      kind: 'sastTool',
      message: `${d.tool}: ${d.how} in ${d.file}`,
      location: d.loc,
      values: { tool: d.tool, platform: d.platform, file: d.file, onPullRequests: d.onPullRequests, scorecardRecognized: d.scorecard },
    }));
    if (found.length === 0) {
      return { score: 0, reason: 'no SAST tool detected', findings: [noSastFinding(ci !== null && wfs.length === 0)], unknowns };
    }
    const other = found.find((d) => d.tool !== 'CodeQL');
    if (other) return { score: 10, reason: `SAST tool detected: ${other.tool}`, evidence, unknowns };
    const onPr = found.some((d) => d.onPullRequests);
    return {
      score: onPr ? 10 : 7,
      reason: onPr ? 'SAST tool detected: CodeQL (runs on pull requests)' : 'SAST tool detected: CodeQL, but not on pull requests',
      evidence,
      findings: onPr
        ? []
        : [
            {
              rule: 'sastNotOnPullRequests',
              severity: 'low',
              message: `CodeQL runs in ${found[0].file} but not on pull requests, so changes are not analysed before they merge`,
              location: found[0].loc,
              remediation: { text: `Add \`pull_request:\` to the \`on:\` triggers of ${found[0].file}.`, patch: 'on:\n  pull_request:' },
            },
          ],
      unknowns,
    };
  },
});
