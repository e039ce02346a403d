/**
 * What the SLSA tables read, and the small vocabulary they are written in.
 *
 * The tables (src/slsa/frameworks/*.ts) never look at facts: they read check results — evidence
 * (positive observations), findings (problems) and unknowns — and the assessment target. Evidence
 * kinds and finding rules are matched **whatever check emits them**, so a check can be renamed,
 * split or replaced by a third-party one without touching the tables. Check names are used only to
 * tell "the check ran but could not see" (its unknowns: reason + needs) from "nothing looked".
 *
 * ## Emitted today (offline, from the checks in checks/)
 * - `provenanceGenerator` (Provenance): values {tool, builder, buildLevel 1|2|3, platform, certainty
 *   'configured'|'indicated', ready (false when it cannot run as written), file, job, ref?, via?}.
 *   Blockers are findings `missingPermissions`, `generatorRefNotTag`, `attestationStage`, `missingIdToken`.
 * - `hostedBuild` (Hosted-Build): a release job on the provider's hosted runners {platform, runner,
 *   hosted, job, file, labels, why}. Findings: `selfHostedRelease`, `thirdPartyRunnerRelease`,
 *   `customRunnerRelease`, `runnerUndetermined`, `noReleaseJob`.
 * - `publishing` (Packaging): a CI job publishes {platform, tool, ecosystem, job, file, …}.
 * - `signedTag` (Signed-Tags): {tag, commit, signature, verification, verified?}.
 * - `pinnedDependencies` (Pinned-Dependencies) and its findings, whose rule is the dependency type
 *   (`GitHubAction`, `containerImage`, `downloadThenRun`, `pipCommand`, …; not `incompleteAnalysis`).
 * - `releaseInputs` (Hosted-Build): {file, job, inputs, names?} — GitHub release workflows'
 *   `workflow_dispatch` inputs (0 when none); not emitted for GitLab or `repository_dispatch`.
 * - `noArtifacts` (Provenance): {releases: 0, tags: 0} — no release, no tag, and CI that neither
 *   publishes, releases, signs nor generates provenance (needs the platform's releases: never offline).
 * - `commitVerification` (Signed-Commits): {verified, total, verifier 'github'|'gitlab'|'git',
 *   unverifiable?} — `total` counts every commit whose signature is visible; a local signature without
 *   a key is `unverifiable`, never verified.
 * - `provenanceConsistency` (Signed-Releases, from verified attestations): {releases, consistent,
 *   compared, builder?|builders?, buildType?|buildTypes?, entryPoint?|entryPoints?} — builder.id
 *   without its `@ref`, plus build type and entry point when every attestation compared records them;
 *   `compared` names what was (`builder,buildType,entryPoint`); the plural keys list the values seen.
 * - `verifiedProvenance` (Signed-Releases): the contract below, with entryPoint?, buildType?,
 *   runnerEnvironment? and externalInputs? as the attestations fact carries them (AttestationCheck).
 *
 * ## Expected from the platform-API checks (GitHub / GitLab sources) — the contract for their authors
 * Values are `string | number | boolean`; a value that could not be read is left out (never
 * defaulted to false/0). A check that could not see at all returns `score: null` with an unknown
 * `{fact, reason, needs}` — e.g. `{fact: 'branchProtection', reason: 'HTTP 403 from
 * /repos/o/r/branches/main/protection', needs: 'a token with Administration: read'}` — and the
 * requirement becomes `unknown` with that `needs`; it never becomes `not_met` for it.
 *
 * - **Branch-Protection** (GitHub rulesets `/rules/branches/{b}` + `/rulesets`, classic protection,
 *   GraphQL `refUpdateRule`; GitLab `protected_branches`, `protected_tags`, `approval_rules`):
 *   - `branchProtection` {branch, authoritative, forcePushBlocked?, deletionBlocked?,
 *     requiredApprovals?, requireLastPushApproval?, dismissStaleReviews?, codeOwnerReview?,
 *     requiredStatusChecks?, requireSignedCommits?, enforcedForAdmins?, bypassActors?}.
 *     `authoritative: true` when the answer states the enforced settings (rulesets, the admin-only
 *     protection endpoint, GraphQL refUpdateRule, GitLab protected branches); `false` when it only
 *     says the branch is protected (`protected: true`). Emit it also when nothing is enforced
 *     (forcePushBlocked: false, deletionBlocked: false, requiredApprovals: 0): an authoritative
 *     "unprotected" is what makes a requirement `not_met`.
 *   - `tagProtection` {pattern, authoritative, updateBlocked?, deletionBlocked?} for the release tags
 *     (a tag ruleset with `update` + `deletion`, or GitLab protected tags); with `updateBlocked:
 *     false, deletionBlocked: false` when tag rules were readable and none covers the release tags.
 *   - `forcePushActivity` {branch, forcePushes, since} (GitHub `/activity?activity_type=force_push`).
 * - **Code-Review**: `codeReview` {changesets, reviewed} — recent changes on the default branch and
 *   how many were approved by someone other than their author before merging.
 * - **Org-Settings** (owner-only): `twoFactorRequired` {enforced, scope: 'organization'|'group'}.
 * - **Signed-Commits**: `commitVerification` {verified, total} (platform-verified commit signatures).
 * - **Provenance** verification (online; attestations API, release assets, npm, PyPI, GitLab, OCI):
 *   - `verifiedProvenance` {artifact, buildLevel 1|2|3 (from the roots-of-trust table: signer
 *     identity + builder.id → maximum Build level), builder, signer?, issuer?, runnerEnvironment?
 *     ('github-hosted'|'gitlab-hosted'|'self-hosted': the certificate's, else the provenance's;
 *     self-hosted when either says so), distributedVia ('github-attestations'|'release-asset'|'npm'|
 *     'pypi'|'gitlab'|'oci'), entryPoint? (workflow / config path, or GitLab job), buildType?,
 *     externalInputs? (user-supplied inputs with a non-empty value — workflow_dispatch inputs; 0 when
 *     recorded empty or for a GitHub `push`/`create` run; left out when not recorded; `vars`, release
 *     bodies and GitLab CI variables not counted), dependenciesComplete?}
 *     — the signature, subject digest and identity all verified.
 *   - `provenanceFound` {artifact, distributedVia, signed, subjectMatches} — located and parsed, not
 *     (or not yet) verified.
 *   - `provenanceConsistency` {releases, consistent, compared, builder?, buildType?, entryPoint?} —
 *     same builder, build type and entry point across the last N releases (those recorded by all).
 *   - finding `provenanceMissing` — provenance was looked for where the project publishes and there
 *     is none for recent releases; finding `provenanceInvalid` — it exists but does not verify.
 * - **Signed-Releases**: `releaseProvenanceAsset` {release, asset} — `*.intoto.jsonl` by name only.
 * - **Releases**: `noArtifacts` {releases: 0, packages: 0} — the project publishes nothing (Build rows n/a).
 * - **Source-Attestations** (git notes written by slsa-framework/source-tool):
 *   `sourceVsa` {verified, level 0–4, verifier, revision?}; `sourceProvenance` {verified, revision?};
 *   `sourceTool` {via: 'workflow'|'git-notes'} (configured, nothing verified yet); findings
 *   `sourceVsaMissing`, `sourceProvenanceMissing` (notes readable, none for the revision).
 * - **Workflow inputs** (Hosted-Build/Provenance, when they learn it): `releaseInputs` {file, job,
 *   inputs} — the release workflow accepts user inputs (`workflow_dispatch.inputs`).
 * - **Reproducible-Builds**: `reproducibleBuild` {verified, rebuilder} (oss-rebuild, Reproducible Central).
 * - **Docs**: `expungingPolicy` {path} — a documented safe expunging process.
 */
import type { CheckResult } from '../engine.js';
import type { AssessmentTarget } from '../assessment.js';
import type { Evidence, Finding } from '../check.js';
import type { RequirementEvidence, RequirementState } from './types.js';

export type Values = NonNullable<Evidence['values']>;

export interface EvalContext {
  checks: readonly CheckResult[];
  target: AssessmentTarget;
}

/** A replacement text taken from a finding's remediation (the exact fix for this repository). */
export interface Patch {
  path?: string;
  line?: number;
  patch: string;
}

export interface Match {
  evidence: RequirementEvidence[];
  needs?: string;
  patches?: Patch[];
}

/** A condition over the check results: what matched (as evidence), or null. */
export type Matcher = (ctx: EvalContext) => Match | null;

/** The result of evaluating one requirement. `paths` names the rules that decided it (for tests and debugging). */
export interface Outcome {
  state: RequirementState;
  evidence: RequirementEvidence[];
  needs?: string;
  patches: Patch[];
  /** Step template to use instead of the requirement's own (e.g. "set up a release workflow" when there is none). */
  step?: string;
  paths: string[];
}

export type Evaluator = ((ctx: EvalContext) => Outcome) & { paths: readonly string[] };

export interface Rule {
  state: RequirementState;
  when: Matcher;
  /** Prepended to the evidence: why this evidence decides the state. */
  because?: string | ((ctx: EvalContext) => string);
  /** What would make it known / confirm it, when the match carries no `needs` of its own. */
  needs?: string | ((ctx: EvalContext) => string);
  step?: string;
}

export interface Fallback {
  state: RequirementState;
  because: string | ((ctx: EvalContext) => string);
  needs?: string | ((ctx: EvalContext) => string);
  step?: string;
}

const text = (v: string | ((ctx: EvalContext) => string) | undefined, ctx: EvalContext): string | undefined =>
  typeof v === 'function' ? v(ctx) : v;

function decide(r: Rule, m: Match, ctx: EvalContext, path: string): Outcome {
  const why = text(r.because, ctx);
  const needs = m.needs ?? text(r.needs, ctx);
  return {
    state: r.state,
    evidence: [...(why ? [{ message: why }] : []), ...m.evidence],
    ...(needs ? { needs } : {}),
    patches: m.patches ?? [],
    ...(r.step ? { step: r.step } : {}),
    paths: [path],
  };
}

/** First rule that matches decides; the fallback otherwise. */
export function rules(list: Rule[], otherwise: Fallback): Evaluator {
  const paths = [...list.map((r, i) => `${i}:${r.state}`), `fallback:${otherwise.state}`];
  const fn = (ctx: EvalContext): Outcome => {
    for (const [i, r] of list.entries()) {
      const m = r.when(ctx);
      if (m) return decide(r, m, ctx, paths[i]);
    }
    const needs = text(otherwise.needs, ctx);
    return {
      state: otherwise.state,
      evidence: [{ message: text(otherwise.because, ctx)! }],
      ...(needs ? { needs } : {}),
      patches: [],
      ...(otherwise.step ? { step: otherwise.step } : {}),
      paths: [paths[paths.length - 1]],
    };
  };
  return Object.assign(fn, { paths });
}

/** `first` decides when it matches (e.g. a verified attestation covering the requirement); `e` otherwise. */
export function preferring(first: Rule, e: Evaluator): Evaluator {
  const label = `first:${first.state}`;
  const paths = [label, ...e.paths];
  const fn = (ctx: EvalContext): Outcome => {
    const m = first.when(ctx);
    return m ? decide(first, m, ctx, label) : e(ctx);
  };
  return Object.assign(fn, { paths });
}

/**
 * A requirement made of parts (e.g. branch history AND immutable tags): not_met if any part is,
 * else unknown if any part is, else met when all are met (or n/a), else indicated.
 */
export function allOf(parts: Record<string, Evaluator>): Evaluator {
  const entries = Object.entries(parts);
  const paths = entries.flatMap(([label, e]) => e.paths.map((p) => `${label}/${p}`));
  const fn = (ctx: EvalContext): Outcome => {
    const outs = entries.map(([label, e]) => [label, e(ctx)] as const);
    const states = outs.map(([, o]) => o.state);
    const state: RequirementState = states.includes('not_met')
      ? 'not_met'
      : states.includes('unknown')
        ? 'unknown'
        : states.every((s) => s === 'n/a')
          ? 'n/a'
          : states.every((s) => s === 'met' || s === 'n/a')
            ? 'met'
            : 'indicated';
    const needs = [...new Set(outs.filter(([, o]) => o.state === 'unknown' && o.needs).map(([, o]) => o.needs!))].join('; ');
    const deciding = outs.filter(([, o]) => o.state === state);
    return {
      state,
      evidence: outs.flatMap(([label, o]) => o.evidence.map((e) => ({ ...e, message: `${label}: ${e.message}` }))),
      ...(needs ? { needs } : {}),
      patches: deciding.flatMap(([, o]) => o.patches),
      ...(deciding.find(([, o]) => o.step)?.[1].step ? { step: deciding.find(([, o]) => o.step)![1].step } : {}),
      paths: outs.flatMap(([label, o]) => o.paths.map((p) => `${label}/${p}`)),
    };
  };
  return Object.assign(fn, { paths });
}

// ───────────────────────────── matchers ─────────────────────────────

function fromEvidence(c: CheckResult, e: Evidence): RequirementEvidence {
  return { check: c.name, kind: e.kind, message: e.message, ...(e.location ? { location: e.location } : {}) };
}

function fromFinding(c: CheckResult, f: Finding): RequirementEvidence {
  return { check: c.name, kind: f.rule, message: f.message, ...(f.location ? { location: f.location } : {}) };
}

const some = (evidence: RequirementEvidence[], extra: Partial<Match> = {}): Match | null =>
  evidence.length ? { evidence, ...extra } : null;

/** Every evidence item of `kind` (from any check) whose values satisfy `pred`. */
export function evidenceItems(
  ctx: EvalContext,
  kind: string,
  pred: (v: Values) => boolean = () => true,
): Array<{ check: CheckResult; e: Evidence }> {
  const out: Array<{ check: CheckResult; e: Evidence }> = [];
  for (const c of ctx.checks) for (const e of c.evidence ?? []) if (e.kind === kind && pred(e.values ?? {})) out.push({ check: c, e });
  return out;
}

export function findingItems(
  ctx: EvalContext,
  rule: string | readonly string[] | ((r: string) => boolean),
  pred: (f: Finding, c: CheckResult) => boolean = () => true,
): Array<{ check: CheckResult; f: Finding }> {
  const test = typeof rule === 'function' ? rule : typeof rule === 'string' ? (r: string) => r === rule : (r: string) => rule.includes(r);
  const out: Array<{ check: CheckResult; f: Finding }> = [];
  for (const c of ctx.checks) for (const f of c.findings ?? []) if (test(f.rule) && pred(f, c)) out.push({ check: c, f });
  return out;
}

/** Evidence of `kind` whose values satisfy `pred`. */
export function evidence(kind: string, pred?: (v: Values, ctx: EvalContext) => boolean): Matcher {
  return (ctx) => some(evidenceItems(ctx, kind, pred ? (v) => pred(v, ctx) : undefined).map(({ check, e }) => fromEvidence(check, e)));
}

/** Evidence of `kind` exists, and every item satisfies `pred`. */
export function everyEvidence(kind: string, pred: (v: Values) => boolean): Matcher {
  return (ctx) => {
    const all = evidenceItems(ctx, kind);
    return all.length && all.every(({ e }) => pred(e.values ?? {})) ? some(all.map(({ check, e }) => fromEvidence(check, e))) : null;
  };
}

/** Findings with the given rule(s); their remediation patches travel with them. */
export function finding(
  rule: string | readonly string[] | ((r: string) => boolean),
  pred?: (f: Finding, ctx: EvalContext) => boolean,
): Matcher {
  return (ctx) => {
    const items = findingItems(ctx, rule, pred ? (f) => pred(f, ctx) : undefined);
    const patches = items
      .filter(({ f }) => f.remediation?.patch)
      .map(({ f }) => ({
        ...(f.location?.path ? { path: f.location.path } : {}),
        ...(f.location?.line ? { line: f.location.line } : {}),
        patch: f.remediation!.patch!,
      }));
    return some(
      items.map(({ check, f }) => fromFinding(check, f)),
      patches.length ? { patches } : {},
    );
  };
}

/** All matchers match (evidence concatenated). */
export function all(...ms: Matcher[]): Matcher {
  return (ctx) => {
    const out: Match = { evidence: [], patches: [] };
    for (const m of ms) {
      const r = m(ctx);
      if (!r) return null;
      out.evidence.push(...r.evidence);
      out.patches!.push(...(r.patches ?? []));
      if (r.needs) out.needs = r.needs;
    }
    return out;
  };
}

/** The first matcher that matches. */
export function any(...ms: Matcher[]): Matcher {
  return (ctx) => {
    for (const m of ms) {
      const r = m(ctx);
      if (r) return r;
    }
    return null;
  };
}

/** Every matcher that matches contributes (evidence concatenated); null when none does. */
export function union(...ms: Matcher[]): Matcher {
  return (ctx) => {
    const rs = ms.map((m) => m(ctx)).filter((r): r is Match => r !== null);
    if (!rs.length) return null;
    const needs = rs.find((r) => r.needs)?.needs;
    return { evidence: dedupe(rs.flatMap((r) => r.evidence)), patches: rs.flatMap((r) => r.patches ?? []), ...(needs ? { needs } : {}) };
  };
}

/** `m`'s evidence when it matches; always matches. */
export function maybe(m: Matcher): Matcher {
  return (ctx) => m(ctx) ?? { evidence: [] };
}

/** Same message at the same place, once. */
export function dedupe(ev: RequirementEvidence[]): RequirementEvidence[] {
  const seen = new Set<string>();
  return ev.filter((e) => {
    const key = `${e.check ?? ''}\0${e.kind ?? ''}\0${e.message}\0${e.location?.path ?? ''}:${e.location?.line ?? ''}:${e.location?.column ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Matches (with no evidence of its own) when `m` does not. */
export function not(m: Matcher): Matcher {
  return (ctx) => (m(ctx) ? null : { evidence: [] });
}

/** A condition on the target, with the evidence message it yields. */
export function targetIs(pred: (t: AssessmentTarget) => boolean, message: (t: AssessmentTarget) => string): Matcher {
  return (ctx) => (pred(ctx.target) ? { evidence: [{ kind: 'target', message: message(ctx.target) }] } : null);
}

/**
 * One of the named checks ran and could not conclude (score null) or reported unknowns about what
 * decides this requirement: its reason and needs become the requirement's. `facts` restricts which
 * unknowns count (all, and an inconclusive result without unknowns, when omitted).
 */
export function checkUnknown(checkNames: readonly string[], facts?: readonly string[]): Matcher {
  return (ctx) => {
    const ev: RequirementEvidence[] = [];
    const needs: string[] = [];
    for (const c of ctx.checks) {
      if (!checkNames.includes(c.name)) continue;
      const us = (c.unknowns ?? []).filter((u) => !facts || facts.includes(u.fact));
      for (const u of us) {
        ev.push({ check: c.name, kind: u.fact, message: u.reason });
        if (u.needs) needs.push(u.needs);
      }
      if (!facts && us.length === 0 && c.score === null) ev.push({ check: c.name, message: c.reason });
    }
    return ev.length ? { evidence: ev, ...(needs.length ? { needs: [...new Set(needs)].join('; ') } : {}) } : null;
  };
}

// ───────────────────────────── values ─────────────────────────────

export const num = (v: Values, k: string): number | undefined => (typeof v[k] === 'number' ? (v[k] as number) : undefined);
export const bool = (v: Values, k: string): boolean | undefined => (typeof v[k] === 'boolean' ? (v[k] as boolean) : undefined);
export const str = (v: Values, k: string): string | undefined => (typeof v[k] === 'string' ? (v[k] as string) : undefined);

// ───────────────────────────── what would make it known ─────────────────────────────

/** `owner/repo` or `group/sub/project` when it is safe to paste into a command; null otherwise. */
export function safeRepo(t: AssessmentTarget): string | null {
  return t.repo && /^[\w.-]+(?:\/[\w.-]+)+$/.test(t.repo) && !t.repo.includes('..') ? t.repo : null;
}

function assessCommand(t: AssessmentTarget): string {
  const repo = safeRepo(t);
  const host = t.host && /^[\w.-]+$/.test(t.host) ? t.host : t.platform === 'gitlab' ? 'gitlab.com' : 'github.com';
  return `\`slsa-scorecard ${repo ? `${host}/${repo}` : t.platform === 'gitlab' ? 'gitlab.com/GROUP/PROJECT' : 'github.com/OWNER/REPO'}\``;
}

export type NeedsTopic = 'platform' | 'branchProtection' | 'reviews' | 'provenance' | 'sourceAttestations' | 'twoFactor';

/** What would make a platform-held fact known, for this target. */
export function needsFor(topic: NeedsTopic, t: AssessmentTarget): string {
  const gl = t.platform === 'gitlab';
  const run = `assess through the ${gl ? 'GitLab' : t.platform === 'github' ? 'GitHub' : 'GitHub/GitLab'} API (${assessCommand(t)})`;
  switch (topic) {
    case 'platform':
      return run;
    case 'branchProtection':
      return gl
        ? `${run} with a token of a project Maintainer (read_api) that can read protected branches and tags`
        : t.platform === 'github'
          ? `${run} with a token that can read branch protection and rulesets (Administration: read; the rules of a public repository's branches are readable with any token)`
          : `${run} with a token that can read branch protection (GitHub: Administration: read; GitLab: a Maintainer's read_api token)`;
    case 'reviews':
      return gl
        ? `${run} with a read_api token to read merge request approvals (approval rules need GitLab Premium)`
        : `${run} with a token that can read pull requests and their reviews (Pull requests: read)`;
    case 'provenance':
      return gl
        ? `${run} with network access to fetch and verify provenance (GitLab attestations API on Ultimate, release assets, package registries)`
        : `${run} with network access to fetch and verify provenance (GitHub attestations API, release assets, npm/PyPI registries, OCI registries)`;
    case 'sourceAttestations':
      return `${run} with network access to read and verify the Source VSAs and source provenance that slsa-framework/source-tool stores in git notes (refs/notes/*)`;
    case 'twoFactor':
      return gl
        ? `${run} with a group Owner's token to read whether the group requires two-factor authentication`
        : `${run} with an organization owner's token (Administration: read on the organization) to read whether two-factor authentication is required`;
  }
}

/** Where a platform fact cannot come from in this run. */
export function notVisible(what: string): (ctx: EvalContext) => string {
  return (ctx) =>
    ctx.target.source === 'local'
      ? `${what} is a setting of the hosting platform: it cannot be seen in a local checkout`
      : `${what} was not assessed: no check in this run reads it`;
}
