/**
 * Roadmap step templates: what to do, concretely, for each kind of unmet requirement — GitHub and
 * GitLab variants, copy-pasteable. Requirements name a template by key; requirements sharing a key
 * (e.g. provenance exists / authentic / distributed) become one step in the roadmap.
 *
 * Texts here are ours (static, or built from sanitized target fields): nothing the repository
 * controls is interpolated into the Markdown.
 */
import type { AssessmentTarget } from '../assessment.js';
import { evidenceItems, safeRepo, str, type EvalContext } from './evidence.js';

export type SnippetPlatform = 'github' | 'gitlab' | 'both';

export interface StepContext {
  platform: SnippetPlatform;
  target: AssessmentTarget;
  /** Requirement ids this step covers. */
  covers: ReadonlySet<string>;
  eval: EvalContext;
}

export interface Snippet {
  language: string;
  code: string;
}

export interface StepText {
  title: string;
  action: (s: StepContext) => string;
  snippet?: (s: StepContext) => Snippet | undefined;
}

export interface StepTemplate extends StepText {
  key: string;
  /** false: nothing the maintainer can change (platform requirements) — such steps come last at their level. */
  actionable?: boolean;
  /** When everything the step covers is only `indicated`: how to confirm it (turn it into `met`). */
  confirm: StepText;
}

/** Which platform's snippets to show: the target's, else the one the CI configuration is written for, else both. */
export function snippetPlatform(ctx: EvalContext): SnippetPlatform {
  if (ctx.target.platform === 'github' || ctx.target.platform === 'gitlab') return ctx.target.platform;
  const seen = new Set<string>();
  for (const kind of ['provenanceGenerator', 'hostedBuild', 'publishing']) {
    for (const { e } of evidenceItems(ctx, kind)) {
      const p = str(e.values ?? {}, 'platform');
      if (p === 'github' || p === 'gitlab') seen.add(p);
    }
  }
  return seen.size === 1 ? ([...seen][0] as SnippetPlatform) : 'both';
}

const pick = (s: StepContext, github: string, gitlab: string): string =>
  s.platform === 'github' ? github : s.platform === 'gitlab' ? gitlab : `**GitHub:** ${github}\n\n**GitLab:** ${gitlab}`;

function pickSnippet(s: StepContext, language: string, github: string, gitlab: string): Snippet {
  if (s.platform === 'github') return { language, code: github };
  if (s.platform === 'gitlab') return { language, code: gitlab };
  return { language, code: `# ── GitHub ──\n${github}\n\n# ── GitLab ──\n${gitlab}` };
}

const repoOf = (t: AssessmentTarget, fallback: string): string => safeRepo(t) ?? fallback;
const branchOf = (t: AssessmentTarget): string => (t.branch && /^[\w./-]+$/.test(t.branch) && !t.branch.includes('..') ? t.branch : 'main');
const assessCmd = (s: StepContext): string => {
  const host = s.target.host && /^[\w.-]+$/.test(s.target.host) ? s.target.host : s.platform === 'gitlab' ? 'gitlab.com' : 'github.com';
  return `npx slsa-scorecard ${host}/${repoOf(s.target, s.platform === 'gitlab' ? 'GROUP/PROJECT' : 'OWNER/REPO')}`;
};
const tokenEnv = (s: StepContext): string =>
  s.platform === 'gitlab' ? 'GITLAB_TOKEN' : s.platform === 'github' ? 'GITHUB_TOKEN' : 'GITHUB_TOKEN (or GITLAB_TOKEN)';

// ───────────────────────────── snippets ─────────────────────────────

export const VERSIONS = { checkout: 'v5', attest: 'v3', generator: 'v2.1.0' } as const;

export const GITHUB_ATTEST_WORKFLOW = `# .github/workflows/release.yml — build every release in CI and attest its provenance
name: release
on:
  push:
    tags: ['v*']          # releases come only from tags: no user-supplied parameters
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest          # GitHub-hosted: a fresh, isolated VM for every job
    permissions:
      contents: read                # check out the code
      id-token: write               # OIDC token for the Sigstore signing certificate
      attestations: write           # store the attestation (GitHub attestations API)
    steps:
      - uses: actions/checkout@${VERSIONS.checkout}   # pin by commit SHA (Pinned-Dependencies)
        with:
          persist-credentials: false
      - run: make dist                # your build, scripted in the repository
      - uses: actions/attest-build-provenance@${VERSIONS.attest}   # pin by commit SHA
        with:
          subject-path: 'dist/*'
      # publish dist/* as you do today (gh release upload, npm publish --provenance, …)`;

export const GITHUB_GENERATOR_WORKFLOW = `# .github/workflows/release.yml — SLSA Build L3 provenance with slsa-github-generator
name: release
on:
  push:
    tags: ['v*']
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
    outputs:
      hashes: \${{ steps.hash.outputs.hashes }}
    steps:
      - uses: actions/checkout@${VERSIONS.checkout}   # pin by commit SHA
        with:
          persist-credentials: false
      - run: make dist                # your build
      - id: hash
        run: echo "hashes=$(cd dist && sha256sum -- * | base64 -w0)" >> "$GITHUB_OUTPUT"
  provenance:
    needs: [build]
    permissions:
      actions: read         # read the workflow run
      id-token: write       # sign with Sigstore, in the generator's isolated reusable workflow
      contents: write       # upload <artifact>.intoto.jsonl to the release
    # Referenced by tag, never by SHA: the builder verifies its own ref (slsa-verifier rejects anything else).
    uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@${VERSIONS.generator}
    with:
      base64-subjects: \${{ needs.build.outputs.hashes }}
      upload-assets: true
# Alternative: keep actions/attest-build-provenance but move the build + attest job into a reusable
# workflow (on: workflow_call) that release.yml calls — its identity, not the caller's, signs (GitHub's L3 path).`;

export const GITLAB_PROVENANCE = `# .gitlab-ci.yml — build releases in CI with provenance
build:
  stage: build                       # GitLab attests jobs of the build stage
  image: alpine:3.20                 # pin by digest (@sha256:…)
  rules:
    - if: $CI_COMMIT_TAG             # releases come only from tags
  variables:
    RUNNER_GENERATE_ARTIFACTS_METADATA: "true"   # the runner writes SLSA provenance (unsigned: Build L1)
    ATTEST_BUILD_ARTIFACTS: "true"               # GitLab.com Ultimate (experiment): signed provenance, Build L3
  script:
    - make dist                      # your build, scripted in the repository
  artifacts:
    paths: [dist/]

sign-provenance:                     # Build L2 without Ultimate: sign the runner's provenance keylessly
  stage: deploy
  needs: [build]
  image: alpine:3.20
  rules:
    - if: $CI_COMMIT_TAG
  id_tokens:
    SIGSTORE_ID_TOKEN:               # OIDC token for the Sigstore signing certificate
      aud: sigstore
  script:
    - apk add --no-cache cosign jq
    - jq .predicate artifacts-metadata.json > predicate.json
    - for f in dist/*; do cosign attest-blob --yes --type slsaprovenance --predicate predicate.json --bundle "$f.sigstore.json" "$f"; done
  artifacts:
    paths: [dist/]`;

function githubBranchRuleset(s: StepContext, opts: { review: boolean; statusChecks: boolean; signatures: boolean }): string {
  const rules = ['    { "type": "deletion" }', '    { "type": "non_fast_forward" }'];
  if (opts.review) {
    rules.push(`    { "type": "pull_request", "parameters": {
        "required_approving_review_count": 1,
        "dismiss_stale_reviews_on_push": true,
        "require_last_push_approval": true,
        "require_code_owner_review": false,
        "required_review_thread_resolution": false } }`);
  }
  if (opts.statusChecks) {
    rules.push(`    { "type": "required_status_checks", "parameters": {
        "strict_required_status_checks_policy": false,
        "required_status_checks": [ { "context": "ci" } ] } }`);
  }
  if (opts.signatures) rules.push('    { "type": "required_signatures" }');
  return `gh api -X POST repos/${repoOf(s.target, '{owner}/{repo}')}/rulesets --input - <<'EOF'
{
  "name": "slsa-source: protect the default branch",
  "target": "branch",
  "enforcement": "active",
  "conditions": { "ref_name": { "include": ["~DEFAULT_BRANCH"], "exclude": [] } },
  "bypass_actors": [],
  "rules": [
${rules.join(',\n')}
  ]
}
EOF`;
}

function githubTagRuleset(s: StepContext): string {
  return `gh api -X POST repos/${repoOf(s.target, '{owner}/{repo}')}/rulesets --input - <<'EOF'
{
  "name": "slsa-source: immutable release tags",
  "target": "tag",
  "enforcement": "active",
  "conditions": { "ref_name": { "include": ["refs/tags/v*"], "exclude": [] } },
  "bypass_actors": [],
  "rules": [ { "type": "update" }, { "type": "deletion" } ]
}
EOF`;
}

function gitlabProtection(s: StepContext, opts: { review: boolean; tags: boolean }): string {
  const lines = [
    '# Settings → Repository → Protected branches (or through the API):',
    `glab api --method POST "projects/:id/protected_branches" -f name=${branchOf(s.target)} \\`,
    '  -F push_access_level=0 -F merge_access_level=40 -F allow_force_push=false',
  ];
  if (opts.tags) {
    lines.push(
      '# Settings → Repository → Protected tags:',
      `glab api --method POST "projects/:id/protected_tags" -f name='v*' -F create_access_level=40`,
    );
  }
  if (opts.review) {
    lines.push(
      '# Settings → Merge requests → Merge request approvals (approval rules need GitLab Premium):',
      'glab api --method POST "projects/:id/approval_rules" -f name=two-party-review -F approvals_required=1',
      'glab api --method POST "projects/:id/approvals" -F reset_approvals_on_push=true \\',
      '  -F merge_requests_author_approval=false -F merge_requests_disable_committers_approval=true',
    );
  }
  return lines.join('\n');
}

// ───────────────────────────── templates ─────────────────────────────

const reassess = (s: StepContext): Snippet => ({ language: 'shell', code: `${tokenEnv(s).split(' ')[0]}=… ${assessCmd(s)}` });

const verifyProvenance = (s: StepContext): Snippet => {
  const repo = repoOf(s.target, s.platform === 'gitlab' ? 'GROUP/PROJECT' : 'OWNER/REPO');
  const generator = evidenceItems(s.eval, 'provenanceGenerator').some(({ e }) => str(e.values ?? {}, 'tool') === 'slsa-github-generator');
  const github = [
    '# After the next release, verify what your users download:',
    generator
      ? `slsa-verifier verify-artifact dist/ARTIFACT --provenance-path ARTIFACT.intoto.jsonl --source-uri github.com/${repo} --source-tag vX.Y.Z`
      : `gh attestation verify dist/ARTIFACT --repo ${repo}`,
    '# then assess online, so the verified provenance counts:',
    assessCmd(s),
  ].join('\n');
  const gitlab = [
    '# After the next release, verify the signed provenance (bundle from the sign-provenance job):',
    `cosign verify-blob-attestation --bundle dist/ARTIFACT.sigstore.json --type slsaprovenance \\`,
    `  --certificate-identity-regexp '^https://gitlab.com/${repo}//' --certificate-oidc-issuer https://gitlab.com dist/ARTIFACT`,
    '# then assess online, so the verified provenance counts:',
    assessCmd(s),
  ].join('\n');
  return pickSnippet(s, 'shell', github, gitlab);
};

export const STEPS: Record<string, StepTemplate> = {
  'release-provenance': {
    key: 'release-provenance',
    title: 'Build releases in CI from the repository and publish their provenance',
    action: (s) =>
      "Build every release with one CI workflow kept in the repository, triggered by the release tag, on the provider's hosted runners, " +
      'and generate signed provenance for each artifact — this meets Build L1 and L2 (and SLSA v0.1 L1–L2) in one change. ' +
      pick(
        s,
        'Use `actions/attest-build-provenance` with `permissions: id-token: write, attestations: write, contents: read`; consumers verify with `gh attestation verify`.',
        'Let the runner write provenance (`RUNNER_GENERATE_ARTIFACTS_METADATA`) and sign it with Sigstore keyless signing (`id_tokens` + `cosign attest-blob`), or on GitLab.com Ultimate set `ATTEST_BUILD_ARTIFACTS`.',
      ),
    snippet: (s) => pickSnippet(s, 'yaml', GITHUB_ATTEST_WORKFLOW, GITLAB_PROVENANCE),
    confirm: {
      title: 'Confirm the release provenance by verifying it',
      action: () =>
        'CI is configured to build releases and generate provenance, but configuration is not proof: publish a release, verify its provenance ' +
        'the way your users would, and assess the repository online so the verified attestation is counted.',
      snippet: verifyProvenance,
    },
  },
  'provenance-l3': {
    key: 'provenance-l3',
    title: 'Generate unforgeable provenance from an isolated builder',
    action: (s) =>
      'Build L3 needs provenance that the build steps cannot forge: signed by a trusted builder whose signing identity user steps never reach. ' +
      pick(
        s,
        "Generate it with `slsa-framework/slsa-github-generator` (referenced by release tag), or run `actions/attest-build-provenance` inside a reusable workflow so the reusable workflow's identity signs.",
        'On GitLab.com Ultimate set `ATTEST_BUILD_ARTIFACTS: "true"` on a `build`-stage job: GitLab signs the provenance in its control plane (experiment). Keyless `cosign` from the job itself stays at L2.',
      ),
    snippet: (s) => pickSnippet(s, 'yaml', GITHUB_GENERATOR_WORKFLOW, GITLAB_PROVENANCE),
    confirm: {
      title: 'Confirm Build L3 by verifying the provenance against its builder',
      action: () =>
        "An L3-capable generator is configured. Verify the next release's provenance against the trusted builder identity and assess online so it counts.",
      snippet: verifyProvenance,
    },
  },
  'hosted-runners': {
    key: 'hosted-runners',
    title: "Run release builds on the provider's hosted runners",
    action: (s) =>
      'Release builds must run on a hosted build platform, in a fresh isolated environment for every build. ' +
      pick(
        s,
        'Use GitHub-hosted runners (`runs-on: ubuntu-latest`, `windows-latest`, `macos-latest`) for every job that builds or publishes a release; provenance from self-hosted runners records `self-hosted`, which slsa-verifier rejects for L3.',
        'On GitLab.com run release jobs on the hosted runners (untagged, or `saas-linux-*` tags); on a self-managed instance use autoscaled runners that provision one VM per job.',
      ),
    snippet: (s) => pickSnippet(s, 'yaml', 'jobs:\n  build:\n    runs-on: ubuntu-latest', 'build:\n  tags: [saas-linux-small-amd64]'),
    confirm: {
      title: 'Confirm the hosted build from verified provenance',
      action: () =>
        'Release jobs are configured for hosted runners. The signed provenance records where the build ran (the runner environment in the Sigstore certificate): verify it and assess online.',
      snippet: verifyProvenance,
    },
  },
  parameterless: {
    key: 'parameterless',
    title: 'Make the release build parameterless',
    action: () =>
      'The release build must depend only on the source revision and the build entry point: trigger it by pushing a tag, and remove `workflow_dispatch` inputs (and other user-supplied parameters) from the release workflow.',
    snippet: () => ({
      language: 'yaml',
      code: "on:\n  push:\n    tags: ['v*']     # no workflow_dispatch inputs: the output depends only on the tagged source",
    }),
    confirm: {
      title: 'Confirm the build takes no parameters',
      action: () => "Verified provenance records the build's external parameters: check that it lists no user inputs, and assess online.",
      snippet: verifyProvenance,
    },
  },
  hermetic: {
    key: 'hermetic',
    title: 'Declare every dependency of the release build by digest',
    action: () =>
      'A hermetic build declares all its inputs up front with immutable references and runs without network access. Pin every action, ' +
      'container image and downloaded tool of the release workflow by digest (see the Pinned-Dependencies findings), install packages from lockfiles ' +
      'with hashes, and fetch dependencies before the build step runs offline.',
    snippet: () => ({
      language: 'shell',
      code: '# pin every `uses:` of the release workflow to a commit SHA (keeps the tag as a comment):\nratchet pin .github/workflows/release.yml\n# install from lockfiles with hashes, e.g.:\nnpm ci --ignore-scripts\npip install --require-hashes -r requirements.txt',
    }),
    confirm: {
      title: 'Confirm the build is hermetic',
      action: () =>
        "The release build's dependencies are pinned; hermeticity also needs the build to run without network access, which only the build platform can attest. Build in a network-isolated step or sandbox (e.g. Bazel, Nix, `docker build --network=none`).",
    },
  },
  reproducible: {
    key: 'reproducible',
    title: 'Make the build reproducible and have it rebuilt independently',
    action: () =>
      'Rebuilding the same revision must produce bit-for-bit identical artifacts: fix timestamps (`SOURCE_DATE_EPOCH`), strip paths (e.g. Go `-trimpath`), ' +
      'sort archive entries — then ask an independent rebuilder (google/oss-rebuild for npm, PyPI and crates.io; Reproducible Central for Maven) to attest it.',
    snippet: () => ({
      language: 'shell',
      code: 'export SOURCE_DATE_EPOCH="$(git log -1 --format=%ct)"\nmake dist\nsha256sum dist/*   # must equal the published digests',
    }),
    confirm: {
      title: 'Confirm reproducibility with a rebuild attestation',
      action: () => 'Fetch and verify a rebuild attestation for the released artifacts.',
    },
  },
  'dependencies-complete': {
    key: 'dependencies-complete',
    title: 'Record every build dependency in the provenance',
    action: () =>
      'The provenance must list every dependency the build could use (resolvedDependencies, with digests). This needs a builder that resolves all inputs itself — a hermetic build system (Bazel, Nix) whose provenance states completeness.',
    confirm: {
      title: 'Confirm dependency completeness',
      action: () => 'Verify that the signed provenance declares its dependencies complete.',
    },
  },
  'platform-assurance': {
    key: 'platform-assurance',
    actionable: false,
    title: "Rely on the platforms' own security attestations",
    action: (s) =>
      'These requirements concern the build and source platforms themselves (their security, physical and remote access, superusers): nothing in the repository can show them. ' +
      pick(
        s,
        "Keep GitHub's compliance reports (SOC 2 Type II, ISO 27001, available to customers) as the evidence.",
        "Keep GitLab's compliance reports (SOC 2 Type II, ISO 27001; or your own for a self-managed instance) as the evidence.",
      ),
    confirm: { title: 'Platform assurance', action: () => 'Nothing to confirm from the repository.' },
  },
  'hosted-scs': {
    key: 'hosted-scs',
    title: 'Host the repository on a source control system that can reach the target level',
    action: () =>
      'Keep the source on GitHub or GitLab (or a self-managed instance): they identify repositories and revisions, show human-readable diffs and authenticate every actor.',
    snippet: (s) => ({
      language: 'shell',
      code: `git remote add origin https://${s.platform === 'gitlab' ? 'gitlab.com/GROUP/PROJECT' : 'github.com/OWNER/REPO'}.git\ngit push -u origin ${branchOf(s.target)}`,
    }),
    confirm: {
      title: 'Confirm the hosting platform through its API',
      action: () =>
        'The origin remote points at a hosting platform; assess the repository there so its identity and settings are read from the platform.',
      snippet: reassess,
    },
  },
  'source-tool': {
    key: 'source-tool',
    title: 'Publish Source VSAs and source provenance for every revision',
    action: (s) =>
      'GitHub and GitLab do not issue Source Verification Summary Attestations themselves: a revision without one is Source L0. ' +
      pick(
        s,
        '`slsa-framework/source-tool` sets up the branch/tag rulesets and a workflow that, on every push, records which controls were enforced (and since when: continuity) in signed source provenance and a Source VSA stored in git notes.',
        'No Source-track tooling exists for GitLab yet: `slsa-framework/source-tool` supports GitHub only. Keep protected branches and tags enforced so the history is ready when it does.',
      ),
    snippet: (s) =>
      s.platform === 'gitlab'
        ? undefined
        : {
            language: 'shell',
            code: `# https://github.com/slsa-framework/source-tool/releases/latest
sourcetool auth login
sourcetool setup repo ${repoOf(s.target, 'OWNER/REPO')}     # opens a PR with the workflow and creates the rulesets
sourcetool policy create ${repoOf(s.target, 'OWNER/REPO')}  # declares the level the repository claims
sourcetool status ${repoOf(s.target, 'OWNER/REPO')}`,
          },
    confirm: {
      title: 'Confirm the Source VSAs by verifying them',
      action: () =>
        "Source attestations are configured: fetch the git notes (`git fetch origin 'refs/notes/*:refs/notes/*'`) and assess online so the signed VSAs are verified.",
      snippet: reassess,
    },
  },
  'protect-branch': {
    key: 'protect-branch',
    title: 'Protect the default branch and release tags',
    action: (s) =>
      'Block force pushes and deletion of the default branch (history only moves forward and is retained) and make release tags immutable. ' +
      pick(
        s,
        'Create a branch ruleset (non_fast_forward + deletion) and a tag ruleset (update + deletion) with no bypass actors — Settings → Rules → Rulesets, or the `gh api` calls below.',
        'Settings → Repository → Protected branches: protect the default branch, "Allowed to force push" off; Settings → Repository → Protected tags: protect `v*`.',
      ),
    snippet: (s) => {
      const tags = s.covers.has('source.access-and-history') || s.covers.has('source.protected-refs');
      return pickSnippet(
        s,
        'shell',
        [githubBranchRuleset(s, { review: false, statusChecks: false, signatures: false }), ...(tags ? [githubTagRuleset(s)] : [])].join(
          '\n',
        ),
        gitlabProtection(s, { review: false, tags }),
      );
    },
    confirm: {
      title: 'Confirm branch and tag protection through the API',
      action: (s) =>
        `Protection appears to be in place, but its rules could not be read in full. Assess through the API with a token that can read them (${tokenEnv(s)}).`,
      snippet: reassess,
    },
  },
  'require-review': {
    key: 'require-review',
    title: "Require a second person's approval for every change",
    action: (s) =>
      'Every change to the default branch must be approved by a trusted person other than its author, and approvals must apply to the final revision. ' +
      pick(
        s,
        'Add a `pull_request` rule to the default-branch ruleset: 1 required approval, `require_last_push_approval` and `dismiss_stale_reviews_on_push`, with no bypass actors (a bot such as Dependabot may be a trusted-robot exception).',
        'Settings → Merge requests → Merge request approvals: an approval rule with 1 required approval; prevent approval by the author and by committers; remove approvals when commits are added. Protect the branch so changes only arrive through merge requests.',
      ),
    snippet: (s) =>
      pickSnippet(
        s,
        'shell',
        githubBranchRuleset(s, { review: true, statusChecks: false, signatures: false }),
        gitlabProtection(s, { review: true, tags: false }),
      ),
    confirm: {
      title: 'Confirm review enforcement through the API',
      action: (s) =>
        `Changes appear to be reviewed, but the rule that enforces it (and who may bypass it) could not be read. Assess through the API with a token that can read branch protection (${tokenEnv(s)}).`,
      snippet: reassess,
    },
  },
  'strong-auth': {
    key: 'strong-auth',
    title: 'Require strong authentication for everyone who can change the source',
    action: (s) =>
      pick(
        s,
        'Organization → Settings → Authentication security → "Require two-factor authentication for everyone in the organization". Optionally require signed commits (ruleset rule `required_signatures`) so each commit names a verified identity.',
        'Group → Settings → General → Permissions and group features → "All users in this group must set up two-factor authentication".',
      ),
    snippet: (s) =>
      pickSnippet(
        s,
        'shell',
        githubBranchRuleset(s, { review: false, statusChecks: false, signatures: true }),
        'glab api --method PUT "groups/GROUP" -F require_two_factor_authentication=true -F two_factor_grace_period=48',
      ),
    confirm: {
      title: 'Confirm two-factor enforcement',
      action: () =>
        "Whether two-factor authentication is enforced is an organization setting only owners can read: assess with an owner's token.",
      snippet: reassess,
    },
  },
  'expunging-policy': {
    key: 'expunging-policy',
    title: 'Document a safe expunging process',
    action: () =>
      'Write down when content may be removed from the repository history (legal or privacy requests only), who must approve it (an administrator plus another trusted person) and how removals are logged — e.g. in SECURITY.md or GOVERNANCE.md.',
    snippet: () => ({
      language: 'markdown',
      code: "## Removing content from the repository history\n\nHistory is rewritten only to meet legal or privacy obligations. A maintainer with admin rights and a second maintainer\nmust both approve; every removal is recorded (date, reason, affected refs) in the project's security log.",
    }),
    confirm: {
      title: 'Safe expunging process',
      action: () => 'A documented process exists; only a Source VSA from the source control system can vouch that it is followed.',
    },
  },
};
