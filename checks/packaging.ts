/**
 * Packaging — does the project publish its releases from CI?
 *
 * Scorecard (checks/fileparser/github_workflow.go `IsPackagingWorkflow`, checks/raw/gitlab/packaging.go)
 * matches publish commands in workflows and then asks the API for a successful run of that workflow.
 * Offline we can only see the configuration: a publishing job scores 10 and the run is left as an
 * unknown; nothing found is inconclusive (null), as Scorecard's −1.
 */
import { defineCheck, inconclusive, type Evidence } from '../src/check.js';
import type { FactTypes } from '../src/facts/catalog.js';
import type { Fact } from '../src/facts/fact.js';
import { publishSites } from './lib/ci.js';

function sitesOf(
  workflows: Fact<FactTypes['workflows']>,
  gitlabCi: Fact<FactTypes['gitlabCi']>,
  actions: Fact<FactTypes['actions']>,
): ReturnType<typeof publishSites> {
  return publishSites(workflows.known ? workflows.value : [], gitlabCi.known ? gitlabCi.value : null, actions.known ? actions.value : []);
}

export default defineCheck({
  id: 'Packaging',
  risk: 'medium',
  description:
    'Determines whether the project publishes packages or releases from CI (GitHub Actions workflows or GitLab CI jobs), ' +
    'where the build is scripted and reproducible instead of run by hand.',
  facts: ['workflows', 'gitlabCi', 'actions', 'workflowRuns'],
  // Runs confirm a publishing job: without one they are not looked at.
  readWhen: { workflowRuns: (f) => sitesOf(f.workflows, f.gitlabCi, f.actions).length > 0 },
  slsa: [],
  remediation: [
    "Publish from CI: add a workflow (or GitLab job) that builds and publishes on release or tag push, using the ecosystem's publishing action or command.",
    'Prefer trusted publishing (OIDC) over long-lived registry tokens where the registry supports it (PyPI, npm, RubyGems, crates.io).',
  ],
  differsFromScorecard:
    "Offline, a detected publishing job scores 10 without Scorecard's API check that the workflow had a successful run (reported as an unknown). " +
    'More publishers are recognised: `gh release`, GitHub release actions, hex, `twine upload`/`poetry`/`uv publish` on GitHub, PyPI trusted publishing, ' +
    'sbt, helm, crane/skopeo/oras, kaniko, GitLab `release:` jobs, release-cli/glab, generic-package uploads. ' +
    'npm/maven/gradle/goreleaser no longer require the setup-node/setup-java/setup-go step Scorecard insists on, ko needs only one of its setup actions ' +
    '(Scorecard requires both), and docker/build-push-action counts only with `push:` set. Commands are matched per shell command, not by `npm.*publish` over a line.',
  run(facts) {
    const { workflows, gitlabCi, actions } = facts;
    if (!workflows.known && !gitlabCi.known) {
      return inconclusive('CI configuration could not be read', ['workflows', workflows], ['gitlabCi', gitlabCi]);
    }
    const sites = sitesOf(workflows, gitlabCi, actions);
    if (sites.length === 0) return { score: null, reason: 'no publishing workflow detected' };
    // With the CI API: a successful run of a publishing GitHub workflow confirms it (Scorecard's ListSuccessfulWorkflowRuns).
    const runs = facts.workflowRuns.known ? facts.workflowRuns.value : undefined;
    const ran = (file: string) => runs?.some((r) => r.workflow === file && r.conclusion === 'success') === true;
    const confirmed = runs ? sites.filter((s) => s.platform === 'github' && ran(s.file)) : [];
    const evidence: Evidence[] = sites.map((s) => ({
      kind: 'publishing',
      message: `job \`${s.job}\` publishes with ${s.tool}`,
      location: s.loc,
      values: {
        platform: s.platform,
        tool: s.tool,
        ecosystem: s.ecosystem,
        job: s.job,
        file: s.file,
        scorecardPattern: s.scorecard,
        oidc: s.oidc,
        ...(s.trustedPublishing !== undefined ? { trustedPublishing: s.trustedPublishing } : {}),
        ...(runs ? { runConfirmed: confirmed.includes(s) } : {}),
      },
    }));
    if (confirmed.length > 0) {
      return {
        score: 10,
        reason: `publishing workflow found, and it ran successfully (${[...new Set(confirmed.map((s) => s.file))].join(', ')})`,
        evidence,
      };
    }
    if (runs) {
      return {
        score: 10,
        reason: 'publishing workflow found (no successful run among the recent CI runs)',
        evidence,
        unknowns: [
          {
            fact: 'workflowRuns',
            reason: `none of the ${runs.length} recent CI runs is a successful run of a publishing workflow; an older run may exist`,
          },
        ],
      };
    }
    return {
      score: 10,
      reason: 'publishing workflow found (a successful run needs the API to confirm)',
      evidence,
      unknowns: [
        {
          fact: 'workflowRuns',
          reason: 'whether the publishing workflow or pipeline ever ran successfully needs the CI API',
          needs: 'GitHub Actions runs (actions: read) or GitLab pipelines (read_api)',
        },
      ],
    };
  },
});
