/**
 * Rule sets shared by the three tables: the same evidence decides SLSA v0.1 "Provenance:
 * Authenticated" and v1.2 "Provenance is Authentic", "Build service" and "Hosted", and so on.
 * Each builder returns an Evaluator (first matching rule wins; see src/slsa/evidence.ts).
 *
 * Order inside a rule list, everywhere: n/a → met (cryptographic proof / authoritative API answer)
 * → not_met (authoritative evidence against) → indicated (configuration) → not_met that the
 * configuration itself makes certain (a generator that cannot run, a self-hosted release runner) →
 * unknown (what the checks could not see, with their `needs`) → fallback.
 */
import {
  all,
  any,
  bool,
  checkUnknown,
  evidence,
  evidenceItems,
  everyEvidence,
  finding,
  findingItems,
  maybe,
  needsFor,
  not,
  notVisible,
  num,
  rules,
  str,
  targetIs,
  union,
  type EvalContext,
  type Evaluator,
  type Matcher,
  type Rule,
  type Values,
} from '../evidence.js';

// ───────────────────────────── common pieces ─────────────────────────────

const level = (v: Values): number => num(v, 'buildLevel') ?? 0;
const HOSTED_ENV = new Set(['github-hosted', 'gitlab-hosted']);
const hostedEnv = (v: Values): boolean => HOSTED_ENV.has(str(v, 'runnerEnvironment') ?? '');
const selfHostedEnv = (v: Values): boolean => str(v, 'runnerEnvironment') === 'self-hosted';

export const provenanceNeeds = (ctx: EvalContext): string => needsFor('provenance', ctx.target);
export const branchNeeds = (ctx: EvalContext): string => needsFor('branchProtection', ctx.target);
const reviewNeeds = (ctx: EvalContext): string => `${needsFor('branchProtection', ctx.target)}; ${needsFor('reviews', ctx.target)}`;
export const sourceAttestationNeeds = (ctx: EvalContext): string => needsFor('sourceAttestations', ctx.target);

/** Build requirements concern artifacts: a project that publishes none has nothing to assess. */
export const NO_ARTIFACTS: Rule = {
  state: 'n/a',
  when: evidence('noArtifacts'),
  because: 'the project publishes no releases or packages: Build requirements apply to published artifacts',
};

/** Verified provenance whose builder is trusted (roots-of-trust table) for Build L`min` or more. */
export const verified = (min: number, pred: (v: Values) => boolean = () => true): Matcher =>
  evidence('verifiedProvenance', (v) => level(v) >= min && pred(v));

/** Provenance generation configured in CI that can run as written and reaches Build L`min`. */
const readyGenerator = (min: number): Matcher => evidence('provenanceGenerator', (v) => bool(v, 'ready') !== false && level(v) >= min);

/** What keeps a configured generator from running (each finding carries the exact fix). */
const GENERATOR_BLOCKERS = ['missingPermissions', 'generatorRefNotTag', 'attestationStage', 'missingIdToken'];

/** Generators are configured, but none can run as written at Build L`min` or more. */
const generatorsShortOf = (min: number): Matcher =>
  all(evidence('provenanceGenerator'), not(readyGenerator(min)), maybe(finding(GENERATOR_BLOCKERS)));

/** CI release jobs of any kind: hosted or not, publishing or generating provenance. */
export const RELEASE_CONFIG: Matcher = union(
  evidence('hostedBuild'),
  evidence('provenanceGenerator'),
  evidence('publishing'),
  finding(['selfHostedRelease', 'customRunnerRelease', 'thirdPartyRunnerRelease', 'runnerUndetermined']),
);

/** The CI files that define release builds. */
export function releaseFiles(ctx: EvalContext): Set<string> {
  const files = new Set<string>();
  for (const kind of ['hostedBuild', 'provenanceGenerator', 'publishing']) {
    for (const { e } of evidenceItems(ctx, kind)) {
      const f = str(e.values ?? {}, 'file') ?? e.location?.path;
      if (f) files.add(f);
    }
  }
  for (const { f } of findingItems(ctx, ['selfHostedRelease', 'customRunnerRelease', 'thirdPartyRunnerRelease', 'runnerUndetermined'])) {
    if (f.location?.path) files.add(f.location.path);
  }
  return files;
}

const NO_RELEASE_JOB: Rule = {
  state: 'unknown',
  when: finding('noReleaseJob'),
  because: 'release tags exist but no CI job builds them: how releases are built is not visible',
  needs: provenanceNeeds,
  step: 'release-provenance',
};

const NO_RELEASE_CONFIG = {
  state: 'unknown' as const,
  because:
    'no CI job that builds or publishes releases was found, and no published provenance was looked at: how releases are built is not visible',
  needs: provenanceNeeds,
  step: 'release-provenance',
};

// ───────────────────────────── provenance ─────────────────────────────

/**
 * Provenance at Build L`n`: exists (1), authentic / service-generated (2), unforgeable (3).
 * `distributed`: only provenance that reaches consumers counts (not the GitLab runner's job-artifact metadata).
 */
export function provenance(n: 1 | 2 | 3, opts: { distributed?: boolean } = {}): Evaluator {
  const generator = opts.distributed
    ? evidence('provenanceGenerator', (v) => bool(v, 'ready') !== false && level(v) >= n && str(v, 'tool') !== 'gitlab-runner-metadata')
    : readyGenerator(n);
  const list: Rule[] = [
    NO_ARTIFACTS,
    {
      state: 'met',
      when: verified(n),
      because:
        n === 1
          ? 'provenance for the published artifacts was fetched and verified'
          : `provenance for the published artifacts verifies and its builder is trusted for Build L${n} or more`,
    },
  ];
  if (n === 1) {
    list.push({
      state: 'met',
      when: evidence('provenanceFound', (v) => bool(v, 'subjectMatches') !== false),
      because: 'provenance for the published artifacts was found and names them by digest',
    });
  }
  list.push(
    { state: 'not_met', when: finding('provenanceInvalid'), because: 'the published provenance does not verify' },
    { state: 'not_met', when: finding('provenanceMissing'), because: 'no provenance was published for recent releases' },
  );
  if (n >= 2) {
    list.push(
      {
        state: 'not_met',
        when: everyEvidence('verifiedProvenance', (v) => level(v) < n),
        because: `the published provenance verifies, but its builder is trusted only below Build L${n}`,
      },
      {
        state: 'not_met',
        when: all(
          evidence('provenanceFound', (v) => bool(v, 'signed') === false),
          not(evidence('verifiedProvenance')),
        ),
        because: 'the published provenance is not signed',
      },
    );
  }
  list.push({
    state: 'indicated',
    when: generator,
    because:
      n === 1 ? 'CI generates provenance; it was not verified' : `CI generates provenance that can reach Build L${n}; it was not verified`,
    needs: provenanceNeeds,
  });
  if (n === 1) {
    list.push({
      state: 'indicated',
      when: evidence('releaseProvenanceAsset'),
      because: 'releases carry provenance files (not verified)',
      needs: provenanceNeeds,
    });
  }
  list.push(
    {
      state: 'not_met',
      when: generatorsShortOf(n),
      because:
        n === 1
          ? 'the provenance generation configured in CI cannot run as written'
          : `the provenance configured in CI cannot reach Build L${n} as written`,
      step: n === 3 ? 'provenance-l3' : 'release-provenance',
    },
    {
      state: 'unknown',
      when: all(finding('publishWithoutProvenance'), maybe(checkUnknown(['Provenance'], ['attestations']))),
      because: 'CI publishes without generating provenance; whether provenance is made elsewhere is not visible offline',
      needs: provenanceNeeds,
    },
    { state: 'unknown', when: checkUnknown(['Provenance', 'Signed-Releases']), needs: provenanceNeeds },
  );
  return rules(list, {
    state: 'unknown',
    because: 'no provenance generation was found in CI and no published provenance was looked at',
    needs: provenanceNeeds,
    step: 'release-provenance',
  });
}

// ───────────────────────────── build platform ─────────────────────────────

const hostedVerified: Matcher = evidence('verifiedProvenance', (v) => hostedEnv(v) || (level(v) >= 2 && !selfHostedEnv(v)));
const NOT_HOSTED = ['selfHostedRelease', 'customRunnerRelease'];

/** v1.2 Build "Hosted" / v0.1 "Build service" (service: any CI service counts, even on self-hosted runners). */
export function hosted(opts: { anyService?: boolean } = {}): Evaluator {
  if (opts.anyService) {
    return rules(
      [
        NO_ARTIFACTS,
        { state: 'met', when: hostedVerified, because: 'verified provenance records a build service' },
        {
          state: 'indicated',
          when: RELEASE_CONFIG,
          because: 'releases are built by CI jobs (GitHub Actions / GitLab CI), not on a workstation',
        },
        NO_RELEASE_JOB,
        { state: 'unknown', when: checkUnknown(['Hosted-Build']), needs: provenanceNeeds },
      ],
      NO_RELEASE_CONFIG,
    );
  }
  return rules(
    [
      NO_ARTIFACTS,
      { state: 'met', when: hostedVerified, because: 'verified provenance records a hosted build platform' },
      {
        state: 'indicated',
        when: all(any(evidence('hostedBuild'), finding('thirdPartyRunnerRelease')), not(finding(NOT_HOSTED))),
        because: 'every release job runs on hosted runners (from the CI configuration)',
        needs: provenanceNeeds,
      },
      {
        state: 'unknown',
        when: union(finding(NOT_HOSTED), evidence('hostedBuild')),
        because:
          'release jobs run on self-hosted or custom runners: dedicated infrastructure counts as hosted, a workstation does not — not visible offline',
        needs: provenanceNeeds,
        step: 'hosted-runners',
      },
      {
        state: 'unknown',
        when: finding('runnerUndetermined'),
        because: 'where the release jobs run cannot be told statically',
        needs: provenanceNeeds,
      },
      NO_RELEASE_JOB,
      { state: 'unknown', when: checkUnknown(['Hosted-Build']), needs: provenanceNeeds },
    ],
    NO_RELEASE_CONFIG,
  );
}

/** v1.2 Build "Isolated" (v0.1 "Isolated" and "Ephemeral environment"). */
export function isolated(what: string): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'met',
        when: evidence('verifiedProvenance', (v) => (level(v) >= 3 || hostedEnv(v)) && !selfHostedEnv(v)),
        because: `verified provenance shows the build ran on a hosted builder that guarantees ${what}`,
      },
      {
        state: 'not_met',
        when: everyEvidence('verifiedProvenance', selfHostedEnv),
        because: 'verified provenance records a self-hosted runner',
      },
      {
        state: 'not_met',
        when: finding(['selfHostedRelease', 'thirdPartyRunnerRelease']),
        because: `release jobs run on runners the provider does not host: their provenance records \`self-hosted\`, so ${what} cannot be relied on and slsa-verifier rejects them for Build L3`,
        step: 'hosted-runners',
      },
      {
        state: 'indicated',
        when: all(evidence('hostedBuild'), not(finding(['customRunnerRelease', 'runnerUndetermined']))),
        because: `release jobs run on the provider's hosted runners, which provision a fresh VM for every job (${what} by design)`,
        needs: provenanceNeeds,
      },
      {
        state: 'unknown',
        when: finding(['customRunnerRelease', 'runnerUndetermined']),
        because: 'some release jobs run on runners whose isolation cannot be told from the configuration',
        needs: provenanceNeeds,
        step: 'hosted-runners',
      },
      NO_RELEASE_JOB,
      { state: 'unknown', when: checkUnknown(['Hosted-Build']), needs: provenanceNeeds },
    ],
    NO_RELEASE_CONFIG,
  );
}

/** v0.1 "Scripted build" (entry point in verified provenance, or CI config). */
export function scripted(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'met',
        when: evidence('verifiedProvenance', (v) => Boolean(str(v, 'entryPoint'))),
        because: 'verified provenance names the build definition it ran',
      },
      {
        state: 'indicated',
        when: RELEASE_CONFIG,
        because: 'releases are built by CI jobs defined in the repository',
        needs: provenanceNeeds,
      },
      NO_RELEASE_JOB,
    ],
    NO_RELEASE_CONFIG,
  );
}

/** v0.1 "Build as code": the build definition lives in the repository and the service executes it. */
export function buildAsCode(): Evaluator {
  const entryInRepo: Matcher = (ctx) => {
    const files = releaseFiles(ctx);
    return evidence('verifiedProvenance', (v) => {
      const ep = str(v, 'entryPoint');
      return ep !== undefined && (files.has(ep) || files.has(ep.replace(/^\.\//, '')));
    })(ctx);
  };
  return rules(
    [
      NO_ARTIFACTS,
      { state: 'met', when: entryInRepo, because: 'verified provenance names a build definition kept in this repository' },
      {
        state: 'indicated',
        when: RELEASE_CONFIG,
        because: 'the release build is defined in CI configuration kept in the repository',
        needs: provenanceNeeds,
      },
      NO_RELEASE_JOB,
    ],
    NO_RELEASE_CONFIG,
  );
}

/** v1.2 Build "Choose an appropriate build platform". */
export function choosePlatform(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      { state: 'met', when: verified(1), because: 'the builder that signed the provenance is in the roots-of-trust table' },
      {
        state: 'indicated',
        when: RELEASE_CONFIG,
        because: 'releases build on GitHub Actions / GitLab CI, platforms that can reach Build L3',
        needs: provenanceNeeds,
      },
      NO_RELEASE_JOB,
    ],
    NO_RELEASE_CONFIG,
  );
}

/** v1.2 Build "Follow a consistent build process". */
export function consistentProcess(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'met',
        when: evidence('provenanceConsistency', (v) => bool(v, 'consistent') === true),
        because:
          'recent releases were built the same way: the same builder, and the same build type and entry point where their provenance records them',
      },
      {
        state: 'not_met',
        when: evidence('provenanceConsistency', (v) => bool(v, 'consistent') === false),
        because: 'recent releases were built in different ways (builder, build type or entry point changed)',
      },
      {
        state: 'indicated',
        when: RELEASE_CONFIG,
        because: 'releases are built by CI jobs defined in the repository: the same process each time',
        needs: provenanceNeeds,
      },
      NO_RELEASE_JOB,
    ],
    NO_RELEASE_CONFIG,
  );
}

/** v0.1 "Parameterless". */
export function parameterless(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'not_met',
        when: evidence('verifiedProvenance', (v) => (num(v, 'externalInputs') ?? 0) > 0),
        because: 'verified provenance records user-supplied build inputs',
      },
      {
        state: 'not_met',
        when: evidence('releaseInputs', (v) => (num(v, 'inputs') ?? 0) > 0),
        because: 'the release workflow accepts user-supplied inputs',
      },
      {
        state: 'met',
        when: everyEvidence('verifiedProvenance', (v) => num(v, 'externalInputs') === 0),
        because: 'verified provenance records no user-supplied build inputs',
      },
    ],
    {
      state: 'unknown',
      because:
        'whether the release build takes user parameters is recorded in its provenance (external parameters), which was not verified here',
      needs: provenanceNeeds,
    },
  );
}

const UNPINNED_IGNORED = new Set(['incompleteAnalysis', 'fileNotAnalyzed']);

/** Unpinned dependencies in the files that define release builds (slsa-github-generator must be referenced by tag: exempt). */
const unpinnedInRelease: Matcher = (ctx) => {
  const files = releaseFiles(ctx);
  return finding(
    (r) => !UNPINNED_IGNORED.has(r),
    (f) =>
      Boolean(f.location?.path && files.has(f.location.path)) &&
      !/slsa-framework\/slsa-github-generator\//i.test(`${f.message} ${f.snippet ?? ''}`),
  )({ ...ctx, checks: ctx.checks.filter((c) => c.name === 'Pinned-Dependencies') });
};

/** v0.1 "Hermetic": indicated at most offline (pins); not_met when the release build pulls mutable references. */
export function hermetic(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'not_met',
        when: unpinnedInRelease,
        because:
          'the release build fetches dependencies by mutable reference (tag, branch, unpinned install): its inputs are not declared up front immutably',
      },
      {
        state: 'indicated',
        when: all(RELEASE_CONFIG, evidence('pinnedDependencies')),
        because: "the release build's dependencies are pinned by digest; whether it runs without network access is not observable",
        needs: "the build platform's attestation that the build ran without network access (e.g. a hermetic builder's provenance)",
      },
      {
        state: 'unknown',
        when: checkUnknown(['Pinned-Dependencies'], ['workflows', 'gitlabCi', 'actions', 'dockerfiles', 'shellScripts']),
        needs: provenanceNeeds,
      },
    ],
    {
      state: 'unknown',
      because: 'no release build was found whose dependencies could be checked; network isolation of the build is not observable',
      needs: provenanceNeeds,
      step: 'release-provenance',
    },
  );
}

export function reproducible(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'met',
        when: evidence('reproducibleBuild', (v) => bool(v, 'verified') === true),
        because: 'an independent rebuild produced the same artifacts (verified attestation)',
      },
      {
        state: 'not_met',
        when: evidence('reproducibleBuild', (v) => bool(v, 'verified') === false),
        because: 'an independent rebuild produced different artifacts',
      },
    ],
    {
      state: 'unknown',
      because:
        'reproducibility is shown by an independent rebuild attestation (google/oss-rebuild, Reproducible Central), which was not looked for',
      needs: 'a rebuild attestation for the released artifacts, fetched online (oss-rebuild covers npm, PyPI and crates.io)',
    },
  );
}

export function dependenciesComplete(): Evaluator {
  return rules(
    [
      NO_ARTIFACTS,
      {
        state: 'met',
        when: evidence('verifiedProvenance', (v) => bool(v, 'dependenciesComplete') === true),
        because: 'signed provenance declares its resolved dependencies complete',
      },
    ],
    {
      state: 'unknown',
      because:
        'whether the provenance lists every build dependency is only known from a builder that declares completeness; not observable from the repository',
      needs: 'verified provenance from a builder that records complete resolved dependencies (metadata.completeness.materials)',
    },
  );
}

/** Requirements on the platforms themselves: never observable from a repository. */
export function platformInternal(what: string): Evaluator {
  return rules([], {
    state: 'unknown',
    because: `${what} is internal to the build and source platforms: not observable from a repository`,
    needs: "the platforms' own security attestations (e.g. SOC 2 reports); not assessable by this tool",
  });
}

// ───────────────────────────── source ─────────────────────────────

const isHostedPlatform = (p: string): boolean => p === 'github' || p === 'gitlab';
const platformName = (p: string): string => (p === 'gitlab' ? 'GitLab' : 'GitHub');

/** Properties GitHub and GitLab have by design (repository and revision ids, diffs, identities). */
export function byDesign(property: string): Evaluator {
  return rules(
    [
      {
        state: 'met',
        when: targetIs(
          (t) => t.source !== 'local' && isHostedPlatform(t.platform),
          (t) => `${platformName(t.platform)} (read through its API) ${property}`,
        ),
      },
      {
        state: 'indicated',
        when: targetIs(
          (t) => t.source === 'local' && isHostedPlatform(t.platform),
          (t) =>
            `the origin remote is on ${t.host ?? platformName(t.platform)}, which ${property} — not confirmed through the platform's API`,
        ),
        needs: (ctx) => needsFor('platform', ctx.target),
      },
    ],
    {
      state: 'unknown',
      because: 'a local repository without a GitHub or GitLab remote: the source control system that hosts it is not known',
      needs: 'push it to GitHub or GitLab (or add the origin remote) and assess it there',
    },
  );
}

/** A git commit id is a digest of the revision. */
export function gitRevision(): Evaluator {
  return rules(
    [
      {
        state: 'met',
        when: targetIs(
          (t) => Boolean(t.commit),
          (t) => `git history read directly: revision ${t.commit} is a content-addressed commit id with its parents, author and timestamp`,
        ),
      },
    ],
    {
      state: 'unknown',
      because: 'the assessed directory is not a git checkout: its version control is not visible',
      needs: 'assess a git checkout of the repository, or the repository on its platform',
    },
  );
}

const bp = (pred: (v: Values) => boolean): Matcher => evidence('branchProtection', pred);
const auth = (v: Values): boolean => bool(v, 'authoritative') === true;
const anyControl = (v: Values): boolean =>
  bool(v, 'forcePushBlocked') === true ||
  bool(v, 'deletionBlocked') === true ||
  (num(v, 'requiredApprovals') ?? 0) > 0 ||
  (num(v, 'requiredStatusChecks') ?? 0) > 0;
const BP_UNKNOWN: Rule = { state: 'unknown', when: checkUnknown(['Branch-Protection']), needs: branchNeeds };

/** The default branch only moves forward (and, with `deletion`, cannot be deleted). */
export function branchHistory(opts: { deletion: boolean }): Evaluator {
  const ok = (v: Values) => bool(v, 'forcePushBlocked') === true && (!opts.deletion || bool(v, 'deletionBlocked') === true);
  const bad = (v: Values) => bool(v, 'forcePushBlocked') === false || (opts.deletion && bool(v, 'deletionBlocked') === false);
  const what = opts.deletion ? 'force pushes and deletion' : 'force pushes';
  return rules(
    [
      { state: 'met', when: bp((v) => auth(v) && ok(v)), because: `the default branch blocks ${what} (platform API)` },
      { state: 'not_met', when: bp((v) => auth(v) && bad(v)), because: `the default branch allows ${what} (platform API)` },
      {
        state: 'indicated',
        when: bp(() => true),
        because: `the default branch is protected (which blocks ${what} unless allowed), but its rules could not be read in full`,
        needs: branchNeeds,
      },
      BP_UNKNOWN,
    ],
    { state: 'unknown', because: notVisible('Branch protection'), needs: branchNeeds },
  );
}

/** Release tags cannot be moved or deleted. */
export function immutableTags(): Evaluator {
  const tp = (pred: (v: Values) => boolean): Matcher => evidence('tagProtection', pred);
  return rules(
    [
      {
        state: 'met',
        when: tp((v) => auth(v) && bool(v, 'updateBlocked') === true && bool(v, 'deletionBlocked') === true),
        because: 'release tags cannot be moved or deleted (platform API)',
      },
      {
        state: 'not_met',
        when: tp((v) => auth(v) && (bool(v, 'updateBlocked') === false || bool(v, 'deletionBlocked') === false)),
        because: 'release tags can be moved or deleted (platform API)',
      },
      {
        state: 'indicated',
        when: tp(() => true),
        because: 'release tags are protected, but the rules could not be read in full',
        needs: branchNeeds,
      },
      BP_UNKNOWN,
    ],
    { state: 'unknown', because: notVisible('Tag protection'), needs: branchNeeds },
  );
}

/** Some technical control is enforced on the default branch. */
export function protectedBranch(): Evaluator {
  return rules(
    [
      {
        state: 'met',
        when: bp((v) => auth(v) && anyControl(v)),
        because: 'the default branch is protected by enforced rules (platform API)',
      },
      { state: 'not_met', when: bp((v) => auth(v) && !anyControl(v)), because: 'no rule protects the default branch (platform API)' },
      {
        state: 'indicated',
        when: bp(() => true),
        because: 'the default branch is protected; its rules could not be read',
        needs: branchNeeds,
      },
      BP_UNKNOWN,
    ],
    { state: 'unknown', because: notVisible('Branch protection'), needs: branchNeeds },
  );
}

/** v1.2 "Continuous technical controls": only source provenance shows continuity; settings indicate it. */
export function technicalControls(): Evaluator {
  return rules(
    [
      {
        state: 'not_met',
        when: bp((v) => auth(v) && !anyControl(v)),
        because: 'no technical control is enforced on the default branch (platform API)',
      },
      {
        state: 'indicated',
        when: bp((v) => anyControl(v)),
        because:
          'controls are enforced on the default branch now; that they were enforced continuously, and what they mean, needs source provenance',
        needs: sourceAttestationNeeds,
      },
      {
        state: 'indicated',
        when: evidence('sourceTool'),
        because: 'slsa-framework/source-tool is set up; its attestations were not verified',
        needs: sourceAttestationNeeds,
      },
      BP_UNKNOWN,
    ],
    { state: 'unknown', because: notVisible('Branch protection'), needs: branchNeeds },
  );
}

/** v1.2 "Continuity". */
export function continuity(): Evaluator {
  return rules(
    [
      {
        state: 'not_met',
        when: bp((v) => auth(v) && bool(v, 'forcePushBlocked') === false),
        because: 'force pushes are allowed on the default branch: no control whose continuity could be established',
      },
      {
        state: 'unknown',
        when: evidence('forcePushActivity', (v) => (num(v, 'forcePushes') ?? 0) > 0),
        because:
          'force pushes to the default branch were recorded: continuity lapsed then, and whether it was re-established needs source provenance',
        needs: sourceAttestationNeeds,
      },
      {
        state: 'indicated',
        when: bp((v) => auth(v) && bool(v, 'forcePushBlocked') === true),
        because: 'force pushes are blocked now; since when (the start of continuity) needs the ruleset history or source provenance',
        needs: sourceAttestationNeeds,
      },
      BP_UNKNOWN,
    ],
    { state: 'unknown', because: notVisible('Branch protection and its history'), needs: branchNeeds },
  );
}

/** Two-party review: enforced by the platform (v1.2 onboarding semantics) — or, `history: true`, also observed on every recent change (v0.1). */
export function twoPartyReview(opts: { history: boolean }): Evaluator {
  const enforced = (v: Values) =>
    auth(v) &&
    (num(v, 'requiredApprovals') ?? 0) >= 1 &&
    (bool(v, 'requireLastPushApproval') === true || bool(v, 'dismissStaleReviews') === true) &&
    bool(v, 'enforcedForAdmins') !== false &&
    (num(v, 'bypassActors') ?? 0) === 0;
  const unreviewed = evidence('codeReview', (v) => (num(v, 'reviewed') ?? 0) < (num(v, 'changesets') ?? 0));
  const list: Rule[] = [];
  if (opts.history) {
    list.push({
      state: 'not_met',
      when: unreviewed,
      because: 'recent changes on the default branch were merged without approval by a second person',
    });
  }
  list.push(
    {
      state: 'met',
      when: bp(enforced),
      because:
        'the default branch requires an approval by someone other than the last pusher, re-approval after new commits, and nobody may bypass it (platform API)',
    },
    {
      state: 'not_met',
      when: bp((v) => auth(v) && num(v, 'requiredApprovals') === 0),
      because: 'the default branch does not require an approving review (platform API)',
    },
    {
      state: 'not_met',
      when: bp(
        (v) =>
          auth(v) &&
          (num(v, 'requiredApprovals') ?? 0) >= 1 &&
          bool(v, 'requireLastPushApproval') === false &&
          bool(v, 'dismissStaleReviews') === false,
      ),
      because: 'reviews are required, but commits pushed after the approval are not reviewed again (final revision approved)',
    },
    {
      state: 'indicated',
      when: bp((v) => (num(v, 'requiredApprovals') ?? 0) >= 1 || !auth(v)),
      because: 'a review is required, but administrators or bypass actors can merge without it, or the rules could not be read in full',
      needs: branchNeeds,
    },
    {
      state: 'indicated',
      when: evidence('codeReview', (v) => (num(v, 'changesets') ?? 0) > 0 && num(v, 'reviewed') === num(v, 'changesets')),
      because: 'every recent change was approved by someone other than its author, but whether a rule enforces it is not known',
      needs: branchNeeds,
    },
  );
  if (!opts.history) {
    list.push({
      state: 'unknown',
      when: unreviewed,
      because: 'recent changes were merged without review; whether review is enforced now is not visible',
      needs: branchNeeds,
    });
  }
  list.push({ state: 'unknown', when: checkUnknown(['Branch-Protection', 'Code-Review']), needs: reviewNeeds });
  return rules(list, { state: 'unknown', because: notVisible('Review enforcement'), needs: reviewNeeds });
}

/** Source VSA / source provenance (slsa-framework/source-tool, git notes). */
export function sourceAttestation(kind: 'sourceVsa' | 'sourceProvenance'): Evaluator {
  const what = kind === 'sourceVsa' ? 'Source VSA' : 'source provenance';
  return rules(
    [
      { state: 'met', when: evidence(kind, (v) => bool(v, 'verified') === true), because: `a verified ${what} exists for this revision` },
      {
        state: 'not_met',
        when: finding(kind === 'sourceVsa' ? 'sourceVsaMissing' : 'sourceProvenanceMissing'),
        because: `no ${what} was published for this revision`,
      },
      {
        state: 'indicated',
        when: any(evidence(kind), evidence('sourceTool')),
        because: `${what} is set up (slsa-framework/source-tool) but was not verified`,
        needs: sourceAttestationNeeds,
      },
      { state: 'unknown', when: checkUnknown(['Source-Attestations']), needs: sourceAttestationNeeds },
    ],
    {
      state: 'unknown',
      because: `GitHub and GitLab do not issue ${what} themselves (slsa-framework/source-tool writes it to git notes); nothing in this run looked for it`,
      needs: sourceAttestationNeeds,
    },
  );
}

export function safeExpunging(): Evaluator {
  return rules(
    [
      {
        state: 'indicated',
        when: evidence('expungingPolicy'),
        because: 'a safe expunging process is documented; whether it is followed is not observable',
        needs: sourceAttestationNeeds,
      },
    ],
    {
      state: 'unknown',
      because: 'whether content is only ever expunged under a documented process is not observable from outside the organization',
      needs: 'a documented safe expunging process, and a Source VSA at L2 or above from the source control system',
    },
  );
}

/** v0.1 "Verified history": strongly authenticated actors (2FA) for every change. */
export function verifiedHistory(): Evaluator {
  return rules(
    [
      {
        state: 'met',
        when: evidence('twoFactorRequired', (v) => bool(v, 'enforced') === true),
        because:
          'everyone with access must use two-factor authentication: every change has a strongly authenticated uploader (platform API)',
      },
      {
        state: 'indicated',
        when: evidence('commitVerification', (v) => (num(v, 'total') ?? 0) > 0 && num(v, 'verified') === num(v, 'total')),
        because: 'recent commits carry signatures the platform verified',
        needs: (ctx) => needsFor('twoFactor', ctx.target),
      },
      {
        state: 'indicated',
        when: evidence('signedTag', (v) => bool(v, 'verified') === true),
        because: 'release tags are signed by keys that verify — that covers the tags, not every change',
        needs: (ctx) => needsFor('twoFactor', ctx.target),
      },
      {
        state: 'indicated',
        when: targetIs(
          (t) => t.host === 'github.com',
          () =>
            'github.com requires two-factor authentication of everyone who contributes code (platform policy); not verified for this repository',
        ),
        needs: (ctx) => needsFor('twoFactor', ctx.target),
      },
      // Only the 2FA setting can settle this requirement: Signed-Commits' unknowns (keys, GitLab) are not what it needs.
      { state: 'unknown', when: checkUnknown(['Org-Settings']), needs: (ctx) => needsFor('twoFactor', ctx.target) },
    ],
    {
      state: 'unknown',
      because: 'whether every change has a strongly authenticated actor is an organization setting: not visible here',
      needs: (ctx) => needsFor('twoFactor', ctx.target),
    },
  );
}
