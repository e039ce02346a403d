/**
 * Dependency-Update-Tool: a bot that proposes dependency updates keeps known-vulnerable versions
 * from lingering. Scorecard (checks/raw/dependency_update_tool.go): a Dependabot, Renovate,
 * PyUp or Scala Steward configuration file, else commits authored by dependabot[bot]. 10 or 0.
 */
import { defineCheck, inconclusive, unknownNotes, type Evidence } from '../src/check.js';
import type { CommitInfo, FileEntry } from '../src/facts/model.js';
import type { Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi } from '../src/parsers/gitlab-ci.js';

interface Tool {
  name: string;
  paths: readonly string[];
}

/** Configuration files by tool (compared case-insensitively, as Scorecard does). */
const CONFIG_FILES: readonly Tool[] = [
  { name: 'Dependabot', paths: ['.github/dependabot.yml', '.github/dependabot.yaml'] },
  {
    // https://docs.renovatebot.com/configuration-options/
    name: 'Renovate',
    paths: [
      'renovate.json',
      'renovate.json5',
      '.github/renovate.json',
      '.github/renovate.json5',
      '.gitlab/renovate.json',
      '.gitlab/renovate.json5',
      '.gitea/renovate.json',
      '.gitea/renovate.json5',
      '.forgejo/renovate.json',
      '.forgejo/renovate.json5',
      '.renovaterc',
      '.renovaterc.json',
      '.renovaterc.json5',
    ],
  },
  { name: 'PyUp', paths: ['.pyup.yml'] },
  {
    name: 'Scala Steward',
    paths: [
      '.scala-steward.conf',
      'scala-steward.conf',
      '.github/.scala-steward.conf',
      '.github/scala-steward.conf',
      '.config/.scala-steward.conf',
      '.config/scala-steward.conf',
    ],
  },
  // dependabot-gitlab (gitlab.com/dependabot-gitlab/dependabot) reads .gitlab/dependabot.yml.
  { name: 'dependabot-gitlab', paths: ['.gitlab/dependabot.yml', '.gitlab/dependabot.yaml'] },
];
const TOOL_BY_PATH = new Map(CONFIG_FILES.flatMap((t) => t.paths.map((p) => [p, t.name] as const)));

/** Bot identities as commit authors: GitHub noreply emails (with the bot account id) or logins, and Renovate's default git author. */
const BOT_AUTHORS: ReadonlyArray<[RegExp, string]> = [
  [/^(?:49699333\+)?dependabot\[bot\](?:@users\.noreply\.github\.com)?$/i, 'Dependabot'],
  [/^(?:29139614\+)?renovate\[bot\](?:@users\.noreply\.github\.com)?$|^bot@renovateapp\.com$/i, 'Renovate'],
];

/** Running Renovate from CI: the renovatebot GitHub Action, or the GitLab renovate-runner template. */
const RENOVATE_ACTION = /^renovatebot\/github-action@/i;
const RENOVATE_RUNNER_PROJECT = /^renovate-bot\/renovate-runner$/i;

function configFiles(files: FileEntry[]): Evidence[] {
  const out: Evidence[] = [];
  for (const f of files) {
    const tool = TOOL_BY_PATH.get(f.path.toLowerCase());
    if (tool)
      out.push({ kind: 'dependencyUpdateTool', message: `${tool} configuration: ${f.path}`, location: { path: f.path }, values: { tool } });
  }
  return out;
}

function ciRunners(workflows: Workflow[], gitlabCi: GitlabCi | null): Evidence[] {
  const out: Evidence[] = [];
  for (const wf of workflows)
    for (const job of wf.jobs)
      for (const step of job.steps)
        if (step.uses && RENOVATE_ACTION.test(step.uses.value))
          out.push({
            kind: 'dependencyUpdateTool',
            message: `Renovate runs in ${wf.path} (${step.uses.value})`,
            location: step.uses.loc,
            values: { tool: 'Renovate' },
          });
  for (const inc of gitlabCi?.includes ?? [])
    if (inc.project && RENOVATE_RUNNER_PROJECT.test(inc.project))
      out.push({
        kind: 'dependencyUpdateTool',
        message: `Renovate runs from ${inc.project} (included in the GitLab CI configuration)`,
        location: inc.loc,
        values: { tool: 'Renovate' },
      });
  return out;
}

function botCommits(commits: CommitInfo[]): Evidence[] {
  for (const c of commits)
    for (const [re, tool] of BOT_AUTHORS)
      if (c.author && re.test(c.author))
        return [
          { kind: 'dependencyUpdateTool', message: `${tool} authored commit ${c.sha.slice(0, 12)}`, values: { tool, commit: c.sha } },
        ];
  return [];
}

export default defineCheck({
  id: 'Dependency-Update-Tool',
  risk: 'high',
  description:
    'Checks that a dependency update tool is configured: Dependabot, Renovate, PyUp or Scala Steward configuration ' +
    'files, Renovate run from CI, or recent commits authored by the Dependabot or Renovate bots. 10 when found, else 0.',
  facts: ['files', 'workflows', 'gitlabCi', 'recentCommits'],
  slsa: [],
  remediation: [
    "Configure Dependabot (.github/dependabot.yml) or Renovate (renovate.json) for the repository's ecosystems.",
    'On GitLab, run Renovate with renovate-bot/renovate-runner or use dependabot-gitlab (.gitlab/dependabot.yml).',
  ],
  differsFromScorecard:
    'Also recognised: Renovate config under .gitea/ and .forgejo/ and .renovaterc.json5, dependabot-gitlab ' +
    '(.gitlab/dependabot.yml), Renovate run from a workflow (renovatebot/github-action) or from the GitLab ' +
    'renovate-runner CI template, and Renovate-authored commits. Scorecard searches the whole history for ' +
    'dependabot[bot] commits through the API; offline only the recent commits are looked at.',
  run(facts) {
    if (!facts.files.known) return inconclusive('the repository files could not be listed', ['files', facts.files]);
    let evidence = configFiles(facts.files.value);
    if (evidence.length === 0)
      evidence = ciRunners(facts.workflows.known ? facts.workflows.value : [], facts.gitlabCi.known ? facts.gitlabCi.value : null);
    if (evidence.length === 0 && facts.recentCommits.known) evidence = botCommits(facts.recentCommits.value);
    if (evidence.length > 0) {
      const tools = [...new Set(evidence.map((e) => String(e.values?.tool)))];
      return { score: 10, reason: `update tool detected: ${tools.join(', ')}`, evidence };
    }
    return {
      score: 0,
      reason: 'no update tool detected',
      findings: [
        {
          rule: 'noDependencyUpdateTool',
          severity: 'high',
          message: 'no dependency update tool configured (Dependabot, Renovate, …)',
          remediation: {
            text: 'Add .github/dependabot.yml (GitHub) or renovate.json (any platform) so outdated and vulnerable dependencies get update requests.',
          },
        },
      ],
      // Bot commits could still show a tool; without the history that fallback is unknown.
      unknowns: unknownNotes(['recentCommits', facts.recentCommits]),
    };
  },
});
