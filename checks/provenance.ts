/**
 * Provenance (ours) — is SLSA build provenance generated for what the project publishes?
 *
 * Reads CI configuration only: which provenance generators are wired in (slsa-github-generator,
 * GitHub artifact attestations, npm --provenance, PyPI trusted-publishing attestations, cosign,
 * GitLab's runner/attestation features), which SLSA Build level each can reach, and whether the job
 * grants what the generator needs (`id-token: write`, `attestations: write`, GitLab `id_tokens`).
 * Whether provenance was actually published and verifies needs the network (an unknown here).
 *
 * Scoring (documented in `differsFromScorecard`):
 * - each generator is worth 10 (Build L3 capable), 8 (L2), 5 (L1: unsigned or key-signed), 5 when only
 *   indicated (its switch lives outside the workflow), 2 when it cannot run as written (missing
 *   permission / id token, wrong ref or stage);
 * - the best generator sets the score, scaled by the share of publishing workflows (release channels)
 *   that generate provenance: ⌊best · covered / publishing⌋;
 * - nothing configured → 0; known to publish nothing at all (see `noArtifacts` below) → null: not applicable.
 *
 * Evidence `noArtifacts` {releases: 0, tags: 0} (Build requirements n/a) only on positive knowledge:
 * CI that neither publishes, releases, signs nor generates provenance, and no release and no tag
 * (both read and empty; read only in that case, see `readWhen`).
 */
import { defineCheck, inconclusive, type Evidence, type FactsOf, type Finding, type Remediation } from '../src/check.js';
import type { Location } from '../src/facts/model.js';
import type { ActionMeta, Job, Step, Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi, GitlabJob } from '../src/parsers/gitlab-ci.js';
import {
  actionName,
  actionRef,
  callersOf,
  commandIndex,
  grantOf,
  jobSteps,
  prOnly,
  PUBLISH_COMMANDS,
  publishSites,
  shellCommands,
  usesAction,
  type PublishSite,
  type ShellCommand,
} from './lib/ci.js';

type Level = 1 | 2 | 3;

interface Generator {
  platform: 'github' | 'gitlab';
  tool: string;
  builder: string;
  buildLevel: Level;
  /** `indicated`: the generator is probably on, but its switch lives outside the CI file. */
  certainty: 'configured' | 'indicated';
  loc: Location;
  file: string;
  job: string;
  ref?: string;
  via?: string;
  /** Why it cannot run as written (each is also a finding). */
  blockers: Finding[];
}

interface Scan {
  generators: Generator[];
  findings: Finding[];
  signing: Evidence[];
}

const SLSA_GENERATOR = /^slsa-framework\/slsa-github-generator\/\.github\/workflows\/([\w.-]+_slsa3\.ya?ml)$/i;
const RELEASE_TAG = /^v\d+\.\d+\.\d+(?:-[\w.]+)?$/;
const PROVENANCE_TYPE = /slsaprovenance|slsa\.dev\/provenance/i;
const LEVEL_SCORE: Record<Level, number> = { 3: 10, 2: 8, 1: 5 };
const INDICATED_SCORE = 5;
const BLOCKED_SCORE = 2;

const SNIPPET_VERSIONS = { attest: 'v4', generator: 'v2.1.0', checkout: 'v6' };

// ───────────────────────────── GitHub ─────────────────────────────

type Need = [scope: string, level: 'write' | 'read'];

/** Scans are read-only: memoized per workflow (and actions list), for `readWhen` and `run` alike. */
const githubScans = new WeakMap<Workflow, WeakMap<readonly ActionMeta[], Scan>>();
function githubScan(wf: Workflow, actions: readonly ActionMeta[]): Scan {
  let byActions = githubScans.get(wf);
  if (!byActions) githubScans.set(wf, (byActions = new WeakMap()));
  let scan = byActions.get(actions);
  if (!scan) byActions.set(actions, (scan = scanWorkflow(wf, actions)));
  return scan;
}

function scanWorkflow(wf: Workflow, actions: readonly ActionMeta[]): Scan {
  const scan: Scan = { generators: [], findings: [], signing: [] };
  const reusable = wf.triggers.some((t) => t.event === 'workflow_call');
  for (const job of wf.jobs) {
    const add = (g: Omit<Generator, 'platform' | 'file' | 'job' | 'blockers'>, needs: Need[]) => {
      const gen: Generator = { platform: 'github', file: wf.path, job: job.id, blockers: [], ...g };
      const missing = missingGrants(wf, job, needs, reusable);
      if (missing.length) gen.blockers.push(missingPermissionFinding(wf, job, gen.tool, missing));
      scan.generators.push(gen);
    };
    if (job.uses) reusableCall(wf, job, add, scan);
    const steps = jobSteps(job, actions);
    const hasCosign = steps.some(({ step }) => usesAction(step, 'sigstore/cosign-installer'));
    for (const { step, via } of steps) {
      const v = via ? { via } : {};
      if (step.uses) usesStep(wf, job, step, reusable, v, add, scan, hasCosign);
      if (step.run) for (const cmd of shellCommands(step.run)) runCommand(wf, job, step, cmd, v, add, scan);
    }
  }
  return scan;
}

type Add = (g: Omit<Generator, 'platform' | 'file' | 'job' | 'blockers'>, needs: Need[]) => void;

function reusableCall(wf: Workflow, job: Job, add: Add, scan: Scan): void {
  const uses = job.uses!;
  const name = actionName(uses.value);
  const m = SLSA_GENERATOR.exec(name);
  if (m) {
    const ref = actionRef(uses.value) ?? '';
    const needs: Need[] = [
      ['id-token', 'write'],
      ['actions', 'read'],
    ];
    if (job.with['upload-assets']?.value === 'true') needs.push(['contents', 'write']);
    const before = scan.generators.length;
    add(
      {
        tool: 'slsa-github-generator',
        buildLevel: 3,
        certainty: 'configured',
        loc: uses.loc,
        ref,
        builder: `https://github.com/slsa-framework/slsa-github-generator/.github/workflows/${m[1]}@${RELEASE_TAG.test(ref) ? `refs/tags/${ref}` : ref}`,
        ...(viaGoreleaser(wf, job) ? { via: 'goreleaser' } : {}),
      },
      needs,
    );
    // The builders verify their own ref: only a release tag works (a SHA pin is the known exception to pinning).
    if (!RELEASE_TAG.test(ref)) scan.generators[before].blockers.push(generatorRefFinding(job, uses.loc, ref, m[1]));
    return;
  }
  // Granting `attestations: write` to another repository's reusable workflow only makes sense for it to attest.
  if (!name.startsWith('./') && grantOf(wf, job, 'attestations') === 'write') {
    add({ tool: `reusable workflow ${name}`, builder: name, buildLevel: 3, certainty: 'indicated', loc: uses.loc }, []);
  }
}

function viaGoreleaser(wf: Workflow, job: Job): boolean {
  return job.needs.some((n) =>
    wf.jobs
      .find((j) => j.id === n)
      ?.steps.some((s) => usesAction(s, 'goreleaser/goreleaser-action') || /\bgoreleaser\b/.test(s.run?.value ?? '')),
  );
}

function usesStep(
  wf: Workflow,
  job: Job,
  step: Step,
  reusable: boolean,
  v: { via?: string },
  add: Add,
  scan: Scan,
  hasCosign: boolean,
): void {
  const uses = step.uses!;
  const attestNeeds: Need[] = [
    ['id-token', 'write'],
    ['attestations', 'write'],
  ];
  const attestLevel: Level = reusable ? 3 : 2; // a reusable workflow's identity signs: GitHub's documented L3 path
  if (usesAction(step, 'actions/attest-build-provenance')) {
    add(
      { tool: 'actions/attest-build-provenance', builder: wf.path, buildLevel: attestLevel, certainty: 'configured', loc: uses.loc, ...v },
      attestNeeds,
    );
  } else if (usesAction(step, 'actions/attest')) {
    const type = step.with['predicate-type']?.value;
    // No predicate → build provenance (v2+); a custom predicate (SBOM, release…) is not provenance.
    if (type === undefined || type.includes('${{') || PROVENANCE_TYPE.test(type)) {
      add({ tool: 'actions/attest', builder: wf.path, buildLevel: attestLevel, certainty: 'configured', loc: uses.loc, ...v }, attestNeeds);
    }
  } else if (usesAction(step, 'JS-DevTools/npm-publish') && truthy(step.with.provenance?.value)) {
    add({ tool: 'npm', builder: NPM_GITHUB_BUILDER, buildLevel: 2, certainty: 'configured', loc: uses.loc, ...v }, [['id-token', 'write']]);
  } else if (usesAction(step, 'pypa/gh-action-pypi-publish')) {
    pypiPublish(wf, job, step, v, add, scan);
  } else if (usesAction(step, /^docker\/(?:build-push|bake)-action$/i) && truthy(step.with.provenance?.value)) {
    // BuildKit provenance is attached to the image unsigned: it exists (L1) but proves nothing more.
    add({ tool: 'buildkit', builder: 'https://github.com/docker/buildx', buildLevel: 1, certainty: 'configured', loc: uses.loc, ...v }, []);
  } else if (usesAction(step, 'goreleaser/goreleaser-action') && hasCosign) {
    scan.signing.push(signingEvidence('github', 'goreleaser+cosign', uses.loc, job.id, true));
  } else if (usesAction(step, /^(?:changesets\/action|cycjimmy\/semantic-release-action)$/i) && grantOf(wf, job, 'id-token') === 'write') {
    add({ tool: 'npm', builder: NPM_GITHUB_BUILDER, buildLevel: 2, certainty: 'indicated', loc: uses.loc, ...v }, []);
  }
}

const NPM_GITHUB_BUILDER = 'https://github.com/actions/runner/github-hosted';

function pypiPublish(wf: Workflow, job: Job, step: Step, v: { via?: string }, add: Add, scan: Scan): void {
  const uses = step.uses!;
  const token = step.with.password?.value;
  if (token !== undefined && token.trim() !== '') {
    scan.findings.push({
      rule: 'pypiTokenUpload',
      severity: 'medium',
      message: `job \`${job.id}\` uploads to PyPI with an API token: only trusted publishing attaches PEP 740 attestations`,
      location: uses.loc,
      remediation: {
        text: `Configure a trusted publisher for this workflow on PyPI, remove the \`password:\` input and grant \`id-token: write\` to job \`${job.id}\`.`,
        patch: permissionsBlock(wf, job, [['id-token', 'write']]),
      },
    });
    return;
  }
  if (falsey(step.with.attestations?.value)) return;
  const minor = /^v?1\.(\d+)(?:\.|$)/.exec(actionRef(uses.value) ?? '')?.[1];
  if (minor !== undefined && Number(minor) < 11 && !truthy(step.with.attestations?.value)) {
    scan.findings.push({
      rule: 'pypiPublishOutdated',
      severity: 'low',
      message: `pypa/gh-action-pypi-publish ${actionRef(uses.value)} predates v1.11, which attaches attestations by default`,
      location: uses.loc,
      remediation: { text: 'Upgrade to pypa/gh-action-pypi-publish v1.11 or later (or `release/v1`).' },
    });
    return;
  }
  add(
    {
      tool: 'pypi-attestations',
      builder: 'https://docs.pypi.org/attestations/publish/v1',
      buildLevel: 2,
      certainty: 'configured',
      loc: uses.loc,
      ...v,
    },
    [['id-token', 'write']],
  );
}

function runCommand(wf: Workflow, job: Job, step: Step, cmd: ShellCommand, v: { via?: string }, add: Add, scan: Scan): void {
  const t = cmd.tokens;
  if (isNpmPublish(t)) {
    const env = { ...wf.env, ...job.env, ...step.env };
    if (npmProvenance(t, (k) => env[k]?.value)) {
      add({ tool: 'npm', builder: NPM_GITHUB_BUILDER, buildLevel: 2, certainty: 'configured', loc: cmd.loc, ...v }, [
        ['id-token', 'write'],
      ]);
    } else if (grantOf(wf, job, 'id-token') === 'write') {
      // npm trusted publishing and `publishConfig.provenance` both attach provenance; neither is visible here.
      add({ tool: 'npm', builder: NPM_GITHUB_BUILDER, buildLevel: 2, certainty: 'indicated', loc: cmd.loc, ...v }, []);
    }
    return;
  }
  const c = cosign(t);
  if (c?.kind === 'attest') {
    add(
      {
        tool: 'cosign',
        builder: 'https://github.com/sigstore/cosign',
        buildLevel: c.keyless ? 2 : 1,
        certainty: 'configured',
        loc: cmd.loc,
        ...v,
      },
      c.keyless ? [['id-token', 'write']] : [],
    );
  } else if (c?.kind === 'sign') {
    scan.signing.push(signingEvidence('github', 'cosign', cmd.loc, job.id, c.keyless));
  }
}

function isNpmPublish(t: readonly string[]): boolean {
  return PUBLISH_COMMANDS.some((r) => (r.ecosystem === 'npm' || r.tool === 'semantic-release') && r.match(t, () => undefined));
}

function npmProvenance(t: readonly string[], env: (k: string) => string | undefined): boolean {
  if (t.some((x) => x === '--provenance' || x === '--provenance=true')) return true;
  if (t.some((x) => x === '--provenance=false')) return false;
  const inline = t.find((x) => /^npm_config_provenance=/i.test(x));
  const value = inline ? inline.split('=')[1] : (env('NPM_CONFIG_PROVENANCE') ?? env('npm_config_provenance'));
  return truthy(value);
}

/** `cosign attest[-blob] --type slsaprovenance…` makes provenance; `cosign sign[-blob]` only signs. */
function cosign(t: readonly string[]): { kind: 'attest' | 'sign'; keyless: boolean } | undefined {
  const i = commandIndex(t, ['cosign']);
  if (i < 0) return undefined;
  const sub = t[i + 1];
  const keyless = !t.some((x) => x === '--key' || x.startsWith('--key='));
  if (sub === 'attest' || sub === 'attest-blob') {
    const typeIdx = t.findIndex((x) => x === '--type' || x.startsWith('--type='));
    const type = typeIdx < 0 ? '' : t[typeIdx].startsWith('--type=') ? t[typeIdx].slice(7) : (t[typeIdx + 1] ?? '');
    return PROVENANCE_TYPE.test(type) ? { kind: 'attest', keyless } : undefined;
  }
  if (sub === 'sign' || sub === 'sign-blob') return { kind: 'sign', keyless };
  return undefined;
}

/** Scopes the job's token lacks. Reusable workflows with no declaration inherit the caller's: not judged here. */
function missingGrants(
  wf: Workflow,
  job: Job,
  needs: Need[],
  reusable: boolean,
): Array<{ scope: string; need: 'write' | 'read'; has: string }> {
  if (reusable && !job.permissions.declared && !wf.permissions.declared) return [];
  const out: Array<{ scope: string; need: 'write' | 'read'; has: string }> = [];
  for (const [scope, need] of needs) {
    const g = grantOf(wf, job, scope);
    if (g === 'expression' || g === 'write' || (need === 'read' && g === 'read')) continue;
    // `default`: id-token is never granted by default; the others depend on a repository setting (read-only since 2023).
    out.push({ scope, need, has: g === 'default' ? 'not declared' : g });
  }
  return out;
}

function missingPermissionFinding(
  wf: Workflow,
  job: Job,
  tool: string,
  missing: Array<{ scope: string; need: 'write' | 'read'; has: string }>,
): Finding {
  const list = missing.map((m) => `\`${m.scope}: ${m.need}\``).join(', ');
  const where = job.permissions.declared ? job.permissions.loc : job.loc;
  return {
    rule: 'missingPermissions',
    severity: 'high',
    message: `job \`${job.id}\` uses ${tool} but its GITHUB_TOKEN lacks ${list}: provenance generation fails`,
    location: where,
    remediation: permissionsRemediation(
      wf,
      job,
      missing.map((m) => [m.scope, m.need]),
    ),
  };
}

/** The job's complete `permissions:` block with the needed scopes added (exact text to paste). */
function permissionsBlock(wf: Workflow, job: Job, needs: Need[]): string {
  const p = job.permissions.declared ? job.permissions : wf.permissions;
  const scopes = new Map<string, string>();
  if (p.declared && p.kind === 'scopes') for (const [k, v] of Object.entries(p.scopes)) scopes.set(k, v.value);
  if (p.declared && p.kind === 'read-all') scopes.set('contents', 'read');
  if (!scopes.has('contents')) scopes.set('contents', 'read'); // job-level permissions drop the default contents access
  for (const [scope, need] of needs) if (scopes.get(scope) !== 'write') scopes.set(scope, need);
  const indent = ' '.repeat(Math.max(0, (job.permissions.declared ? (job.permissions.loc.column ?? 1) : (job.loc.column ?? 1) + 2) - 1));
  const why: Record<string, string> = {
    'id-token': 'mint the OIDC token Sigstore signs with',
    attestations: 'store the attestation',
    actions: 'read the workflow run (slsa-github-generator)',
    contents: job.with['upload-assets']?.value === 'true' ? 'upload release assets' : '',
  };
  const lines = [...scopes].map(([k, v]) => {
    const added = needs.some(([s]) => s === k) && why[k];
    return `${indent}  ${k}: ${v}${added ? ` # ${why[k]}` : ''}`;
  });
  return [`${indent}permissions:`, ...lines].join('\n');
}

function permissionsRemediation(wf: Workflow, job: Job, needs: Need[]): Remediation {
  const at = `${wf.path}:${(job.permissions.declared ? job.permissions.loc : job.loc).line}`;
  const text = job.permissions.declared
    ? `Replace the \`permissions:\` of job \`${job.id}\` (${at}) with the block below.`
    : `Add the block below to job \`${job.id}\` (${at})${wf.permissions.declared ? '; job-level permissions replace the workflow-level ones for this job, so those are repeated' : ''}.`;
  return { text, patch: permissionsBlock(wf, job, needs) };
}

function generatorRefFinding(job: Job, loc: Location, ref: string, file: string): Finding {
  return {
    rule: 'generatorRefNotTag',
    severity: 'high',
    message: `job \`${job.id}\` calls slsa-github-generator at \`${ref || '(no ref)'}\`: the builders and slsa-verifier accept only a release tag (vX.Y.Z), not a branch or SHA`,
    location: loc,
    remediation: {
      text: 'Reference slsa-github-generator by its release tag. This is the one action that must not be pinned by SHA: the builder verifies its own tag.',
      patch: `uses: slsa-framework/slsa-github-generator/.github/workflows/${file}@${SNIPPET_VERSIONS.generator}`,
    },
  };
}

// ───────────────────────────── GitLab ─────────────────────────────

const SIGSTORE_AUD = 'sigstore';
const GITLAB_COMPONENT = /(?:^|\/)(?:slsa|provenance|attest)[\w-]*(?:\/|@|$)/i;

const gitlabScans = new WeakMap<GitlabCi, Scan>();
function gitlabScan(ci: GitlabCi): Scan {
  let scan = gitlabScans.get(ci);
  if (!scan) gitlabScans.set(ci, (scan = scanPipeline(ci)));
  return scan;
}

function scanPipeline(ci: GitlabCi): Scan {
  const scan: Scan = { generators: [], findings: [], signing: [] };
  for (const inc of ci.includes) {
    if (inc.kind === 'component' && GITLAB_COMPONENT.test(inc.value.replace(/@[^@]*$/, '@'))) {
      scan.generators.push({
        platform: 'gitlab',
        tool: `component ${inc.value.replace(/@.*$/, '')}`,
        builder: inc.value,
        buildLevel: 2,
        certainty: 'configured',
        loc: inc.loc,
        file: inc.loc.path,
        job: '(component)',
        ...(inc.ref ? { ref: inc.ref } : {}),
        blockers: [],
      });
    }
  }
  const globalVar = (name: string) => ci.variables[name];
  let globalMetadata = false;
  for (const job of ci.jobs) {
    const gen = (g: Omit<Generator, 'platform' | 'file' | 'job' | 'blockers'>): Generator => {
      const out: Generator = { platform: 'gitlab', file: job.loc.path, job: job.name, blockers: [], ...g };
      scan.generators.push(out);
      return out;
    };
    for (const name of ['ATTEST_BUILD_ARTIFACTS', 'ATTEST_CONTAINER_IMAGES']) {
      const v = job.variables[name];
      if (!v || !truthy(v.value)) continue;
      const fromGlobal = globalVar(name) !== undefined && sameLoc(globalVar(name)!.loc, v.loc);
      if (job.stage === 'build') {
        gen({
          tool: 'gitlab-attestation',
          builder: 'https://gitlab.com (SLSA L3 attestation, experiment)',
          buildLevel: 3,
          certainty: 'configured',
          loc: v.loc,
        });
      } else if (!fromGlobal) {
        gen({
          tool: 'gitlab-attestation',
          builder: 'https://gitlab.com (SLSA L3 attestation, experiment)',
          buildLevel: 3,
          certainty: 'configured',
          loc: v.loc,
        }).blockers.push({
          rule: 'attestationStage',
          severity: 'high',
          message: `job \`${job.name}\` sets ${name} but runs in stage \`${job.stage ?? 'test'}\`: GitLab only attests jobs of the \`build\` stage`,
          location: v.loc,
          remediation: { text: `Move job \`${job.name}\` to the \`build\` stage.`, patch: `${jobIndent(job)}stage: build` },
        });
      }
    }
    const meta = job.variables.RUNNER_GENERATE_ARTIFACTS_METADATA;
    if (meta && truthy(meta.value)) {
      const fromGlobal =
        globalVar('RUNNER_GENERATE_ARTIFACTS_METADATA') !== undefined &&
        sameLoc(globalVar('RUNNER_GENERATE_ARTIFACTS_METADATA')!.loc, meta.loc);
      if (!fromGlobal || !globalMetadata) {
        globalMetadata ||= fromGlobal;
        // The runner writes artifacts-metadata.json unsigned: provenance exists (L1), nothing vouches for it.
        const g = gen({
          tool: 'gitlab-runner-metadata',
          builder: 'https://gitlab.com/gitlab-org/gitlab-runner',
          buildLevel: 1,
          certainty: 'configured',
          loc: meta.loc,
        });
        if (fromGlobal) g.job = '(all jobs)';
      }
    }
    for (const line of job.scripts) {
      for (const cmd of shellCommands(line)) gitlabCommand(job, cmd, gen, scan);
    }
  }
  return scan;
}

function gitlabCommand(
  job: GitlabJob,
  cmd: ShellCommand,
  gen: (g: Omit<Generator, 'platform' | 'file' | 'job' | 'blockers'>) => Generator,
  scan: Scan,
): void {
  const t = cmd.tokens;
  const needsToken = (g: Generator) => {
    if (!job.idTokens.some((tk) => tk.aud.includes(SIGSTORE_AUD))) g.blockers.push(missingIdTokenFinding(job, g.tool, cmd.loc));
  };
  if (isNpmPublish(t) && npmProvenance(t, (k) => job.variables[k]?.value)) {
    needsToken(
      gen({ tool: 'npm', builder: 'https://gitlab.com/gitlab-org/gitlab-runner', buildLevel: 2, certainty: 'configured', loc: cmd.loc }),
    );
    return;
  }
  const c = cosign(t);
  if (c?.kind === 'attest') {
    const g = gen({
      tool: 'cosign',
      builder: 'https://github.com/sigstore/cosign',
      buildLevel: c.keyless ? 2 : 1,
      certainty: 'configured',
      loc: cmd.loc,
    });
    if (c.keyless) needsToken(g);
  } else if (c?.kind === 'sign') {
    scan.signing.push(signingEvidence('gitlab', 'cosign', cmd.loc, job.name, c.keyless));
  }
}

function missingIdTokenFinding(job: GitlabJob, tool: string, loc: Location): Finding {
  return {
    rule: 'missingIdToken',
    severity: 'high',
    message: `job \`${job.name}\` signs with ${tool} (Sigstore keyless) but requests no ID token with \`aud: sigstore\`: signing fails`,
    location: loc,
    remediation: {
      text: `Add the block below to job \`${job.name}\` (${job.loc.path}:${job.loc.line}); cosign and npm read the token from SIGSTORE_ID_TOKEN.`,
      patch: idTokensBlock(job),
    },
  };
}

function idTokensBlock(job: GitlabJob): string {
  const i = jobIndent(job);
  return [`${i}id_tokens:`, `${i}  SIGSTORE_ID_TOKEN:`, `${i}    aud: sigstore`].join('\n');
}

function jobIndent(job: GitlabJob): string {
  return ' '.repeat(Math.max(0, (job.loc.column ?? 1) + 1));
}

function sameLoc(a: Location, b: Location): boolean {
  return a.path === b.path && a.line === b.line && a.column === b.column;
}

// ───────────────────────────── nothing published ─────────────────────────────

/** Whether the CI configuration shows any way to release: publishing, tag/release triggers, or jobs not visible here. */
function releasePath(wfs: readonly Workflow[], ci: GitlabCi | null, acts: readonly ActionMeta[]): boolean {
  if (publishSites(wfs, ci, acts).length > 0) return true;
  const tagPush = (config: unknown) => config !== null && typeof config === 'object' && ('tags' in config || 'tags-ignore' in config);
  for (const wf of wfs) {
    if (wf.triggers.some((t) => t.event === 'release' || t.event === 'registry_package' || (t.event === 'push' && tagPush(t.config))))
      return true;
    // Another repository's reusable workflow may release: its jobs are not visible here.
    if (!prOnly(wf) && wf.jobs.some((j) => j.uses && !j.uses.value.startsWith('./'))) return true;
  }
  if (!ci) return false;
  // Remote/template/component includes and child pipelines hold jobs that are not visible here (the parser
  // records `trigger:` only for a project; a job without a script is a child pipeline, or not understood).
  if (ci.includes.some((i) => i.kind !== 'local' || i.resolved === false)) return true;
  if (ci.jobs.some((j) => j.trigger || j.scripts.length === 0)) return true;
  return /CI_COMMIT_TAG|"tags"/.test(JSON.stringify([ci.workflowRules ?? null, ...ci.jobs.map((j) => [j.only ?? null, j.rules ?? null])]));
}

/**
 * Whether `run` looks at tags and releases (for `noArtifacts`): only when the CI configuration is
 * known and shows no release path, no publishing and no provenance generation.
 */
function mayPublishNothing(facts: FactsOf<'workflows' | 'actions' | 'gitlabCi'>): boolean {
  const { workflows, actions, gitlabCi } = facts;
  if (!workflows?.known || !actions?.known || !gitlabCi?.known) return false;
  const scans = [...workflows.value.map((wf) => githubScan(wf, actions.value)), ...(gitlabCi.value ? [gitlabScan(gitlabCi.value)] : [])];
  if (scans.some((sc) => sc.generators.length > 0 || sc.signing.length > 0)) return false;
  return !releasePath(workflows.value, gitlabCi.value, actions.value);
}

/**
 * `noArtifacts` only on positive knowledge: no release and no tag (both read and empty), and CI that
 * neither publishes, nor releases, nor generates provenance. A package published by hand from a
 * workstation, without a tag or a release, would not show.
 */
function noArtifactsEvidence(facts: FactsOf<'workflows' | 'actions' | 'gitlabCi' | 'tags' | 'releases'>): Evidence | undefined {
  const { tags, releases } = facts;
  if (!mayPublishNothing(facts) || !tags?.known || !releases?.known) return undefined;
  if (tags.value.length > 0 || releases.value.length > 0) return undefined;
  return {
    kind: 'noArtifacts',
    message:
      'the project has no releases and no tags, and no CI job publishes, releases or generates provenance: it publishes no artifacts ' +
      '(a package published by hand, without a tag or release, would not show)',
    values: { releases: 0, tags: 0 },
  };
}

// ───────────────────────────── scoring ─────────────────────────────

function truthy(v: string | undefined): boolean {
  return v !== undefined && /^(?:true|1|yes|mode=(?:min|max)|\$\{\{.*\}\})$/i.test(v.trim());
}

function falsey(v: string | undefined): boolean {
  return v !== undefined && /^(?:false|0|no)$/i.test(v.trim());
}

function signingEvidence(platform: 'github' | 'gitlab', tool: string, loc: Location, job: string, keyless: boolean): Evidence {
  return {
    kind: 'artifactSigning',
    message: `job \`${job}\` signs artifacts with ${tool}${keyless ? ' (keyless)' : ' (key)'}`,
    location: loc,
    values: { platform, tool, job, keyless },
  };
}

function generatorScore(g: Generator): number {
  if (g.blockers.length) return BLOCKED_SCORE;
  return g.certainty === 'configured' ? LEVEL_SCORE[g.buildLevel] : Math.min(INDICATED_SCORE, LEVEL_SCORE[g.buildLevel]);
}

function dedupe(gens: Generator[]): Generator[] {
  const seen = new Map<string, Generator>();
  for (const g of gens) {
    const key = `${g.file}\0${g.job}\0${g.tool}\0${g.certainty}\0${g.buildLevel}`;
    const prev = seen.get(key);
    if (!prev || generatorScore(g) > generatorScore(prev)) seen.set(key, g);
  }
  return [...seen.values()];
}

function unprovenancedFinding(site: PublishSite, others: number): Finding {
  const remediation = site.platform === 'gitlab' ? gitlabRemediation(site) : githubRemediation(site);
  return {
    rule: 'publishWithoutProvenance',
    severity: 'high',
    message: `job \`${site.job}\` publishes with ${site.tool} but ${site.platform === 'gitlab' ? 'the pipeline' : `workflow ${site.file}`} generates no provenance${others ? ` (and ${others} more publish step(s) there)` : ''}`,
    location: site.loc,
    remediation,
  };
}

function githubRemediation(site: PublishSite): Remediation {
  if (site.ecosystem === 'npm' && site.tool !== 'semantic-release') {
    return {
      text: `Publish with provenance: add \`--provenance\` (or set NPM_CONFIG_PROVENANCE: "true") and grant \`id-token: write\` to job \`${site.job}\`. With npm trusted publishing configured, provenance is attached automatically.`,
      patch: 'npm publish --provenance --access public',
    };
  }
  if (site.ecosystem === 'pypi') {
    return {
      text: `Use PyPI trusted publishing with pypa/gh-action-pypi-publish (v1.11+ attaches PEP 740 attestations): configure the publisher on PyPI and grant \`id-token: write\` to job \`${site.job}\`.`,
      patch: '      - uses: pypa/gh-action-pypi-publish@release/v1',
    };
  }
  return {
    text: `Attest what job \`${site.job}\` publishes: add this step after the build and grant \`id-token: write\` and \`attestations: write\` to the job (Build L2; call it from a reusable workflow for L3).`,
    patch: ATTEST_STEP,
  };
}

function gitlabRemediation(site: PublishSite): Remediation {
  return {
    text: `Sign provenance for what job \`${site.job}\` publishes with Sigstore keyless signing (Build L2), or on GitLab.com Ultimate set ATTEST_BUILD_ARTIFACTS: "true" on a \`build\`-stage job (Build L3, experiment).`,
    patch: GITLAB_SNIPPET,
  };
}

const ATTEST_STEP = [
  `      - uses: actions/attest-build-provenance@${SNIPPET_VERSIONS.attest}`,
  '        with:',
  "          subject-path: 'dist/*'",
].join('\n');

const GITHUB_SNIPPET = `# .github/workflows/release.yml — Build L2 with GitHub artifact attestations
on:
  push:
    tags: ['v*']
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    permissions:
      contents: read
      id-token: write      # Sigstore signing identity
      attestations: write  # store the attestation
    steps:
      - uses: actions/checkout@${SNIPPET_VERSIONS.checkout}
      - run: make dist     # your build
${ATTEST_STEP}
# Build L3: move the job into a reusable workflow, or hash the artifacts and call
#   uses: slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@${SNIPPET_VERSIONS.generator}
#   (permissions: actions: read, id-token: write, contents: write; referenced by tag, never by SHA)`;

const GITLAB_SNIPPET = `build:
  stage: build
  image: alpine:3
  id_tokens:
    SIGSTORE_ID_TOKEN:
      aud: sigstore
  variables:
    RUNNER_GENERATE_ARTIFACTS_METADATA: "true"   # runner writes SLSA provenance (unsigned)
  script:
    - make dist
    - apk add cosign jq
    - jq .predicate artifacts-metadata.json > predicate.json
    - cosign attest-blob --yes --type slsaprovenance1 --predicate predicate.json --bundle dist.sigstore.json dist/app.tar.gz
  artifacts:
    paths: [dist/, dist.sigstore.json]`;

export default defineCheck({
  id: 'Provenance',
  risk: 'high',
  description:
    'Determines whether CI generates SLSA build provenance for what the project publishes (slsa-github-generator, GitHub artifact attestations, ' +
    'npm --provenance, PyPI trusted-publishing attestations, cosign attest, GitLab runner provenance and attestations), at which Build level, ' +
    'and whether the jobs grant what signing needs.',
  facts: ['workflows', 'actions', 'gitlabCi', 'tags', 'releases'],
  // Tags and releases decide only `noArtifacts`: read them only when CI shows nothing that releases.
  readWhen: { tags: mayPublishNothing, releases: mayPublishNothing },
  slsa: [],
  remediation: [
    'GitHub: add actions/attest-build-provenance (Build L2; L3 from a reusable workflow) or slsa-github-generator (Build L3) to the release workflow, with `id-token: write` (and `attestations: write`).',
    'npm: publish with `--provenance` (or trusted publishing); PyPI: publish with trusted publishing via pypa/gh-action-pypi-publish v1.11+.',
    'GitLab: sign provenance with Sigstore keyless (`id_tokens` with `aud: sigstore` + `cosign attest-blob`), or set ATTEST_BUILD_ARTIFACTS on GitLab.com Ultimate.',
    'slsa-github-generator must be referenced by release tag (@vX.Y.Z), not by SHA.',
  ],
  differsFromScorecard:
    'No Scorecard equivalent (Signed-Releases only looks for *.intoto.jsonl release assets). Scored from CI configuration: 10 for a Build L3 capable ' +
    'generator, 8 for L2, 5 for L1 (unsigned or key-signed) or an indicated one, 2 when it cannot run as written; scaled by the share of publishing ' +
    'workflows that generate provenance; null (not applicable) when the platform shows no release and no tag and CI releases nothing. ' +
    'Whether provenance was published and verifies needs the network and is reported as an unknown.',
  run(facts) {
    const { workflows, actions, gitlabCi } = facts;
    if (!workflows.known && !gitlabCi.known)
      return inconclusive('CI configuration could not be read', ['workflows', workflows], ['gitlabCi', gitlabCi]);
    const wfs = workflows.known ? workflows.value : [];
    const ci = gitlabCi.known ? gitlabCi.value : null;
    const acts = actions.known ? actions.value : [];
    // Provenance made only for pull requests is a test, not release provenance.
    const scans = [...wfs.filter((wf) => !prOnly(wf)).map((wf) => githubScan(wf, acts)), ...(ci ? [gitlabScan(ci)] : [])];
    const generators = dedupe(scans.flatMap((s) => s.generators));
    const findings = [...scans.flatMap((s) => s.findings), ...generators.flatMap((g) => g.blockers)];
    const evidence: Evidence[] = [
      ...generators.map((g): Evidence => ({
        kind: 'provenanceGenerator',
        message: `${g.tool} ${g.certainty === 'indicated' ? 'probably generates' : 'generates'} Build L${g.buildLevel} provenance in job \`${g.job}\`${g.blockers.length ? ' (cannot run as written)' : ''}`,
        location: g.loc,
        values: {
          tool: g.tool,
          builder: g.builder,
          buildLevel: g.buildLevel,
          platform: g.platform,
          certainty: g.certainty,
          ready: g.blockers.length === 0,
          file: g.file,
          job: g.job,
          ...(g.ref !== undefined ? { ref: g.ref } : {}),
          ...(g.via ? { via: g.via } : {}),
        },
      })),
      ...scans.flatMap((s) => s.signing),
    ];
    const unknowns = [
      {
        fact: 'attestations',
        reason:
          'whether provenance was actually published for recent releases, and whether it verifies, needs the attestations API, registries or release assets',
        needs: 'network access (GitHub attestations API, npm/PyPI registries, release assets)',
      },
    ];

    // Release channels: publishing workflows (GitHub) or the pipeline (GitLab). A reusable workflow feeds the
    // workflows that call it; PR-only workflows and reusable workflows nothing here calls are no channel.
    const byPath = new Map(wfs.map((w) => [w.path, w]));
    const channelsOf = (x: { platform: 'github' | 'gitlab'; file: string }): string[] => {
      if (x.platform === 'gitlab') return ['gitlab pipeline'];
      const wf = byPath.get(x.file);
      if (!wf || prOnly(wf)) return [];
      if (wf.triggers.length > 0 && wf.triggers.every((t) => t.event === 'workflow_call')) {
        return callersOf(wfs, wf.path)
          .filter((c) => !prOnly(c))
          .map((c) => c.path);
      }
      return [x.file];
    };
    const channels = new Map<string, PublishSite[]>();
    for (const s of publishSites(wfs, ci, acts)) for (const ch of channelsOf(s)) channels.set(ch, [...(channels.get(ch) ?? []), s]);
    // A blocked generator still covers its channel: its own score (2) and finding carry the penalty.
    const covering = (ch: string) => generators.some((g) => channelsOf(g).includes(ch));
    const uncovered = [...channels].filter(([ch]) => !covering(ch));
    for (const [, list] of uncovered) findings.push(unprovenancedFinding(list[0], list.length - 1));

    if (generators.length === 0) {
      // Known to publish nothing (no release, no tag, no release path in CI): provenance does not apply yet.
      const nothing = noArtifactsEvidence(facts);
      if (nothing) {
        evidence.push(nothing);
        return { score: null, reason: 'the project publishes no artifacts: provenance does not apply', findings, evidence, unknowns };
      }
      if (channels.size === 0) findings.push(noProvenanceFinding(ci !== null && wfs.length === 0));
      return {
        score: 0,
        reason: channels.size ? 'publishes without generating provenance' : 'no provenance generation configured',
        findings,
        evidence,
        unknowns,
      };
    }
    const best = Math.max(...generators.map(generatorScore));
    const top = generators.find((g) => generatorScore(g) === best)!;
    const covered = channels.size - uncovered.length;
    const score = channels.size ? Math.trunc((best * covered) / channels.size) : best;
    const what = top.blockers.length
      ? `${top.tool} is configured but cannot run as written`
      : `${top.tool} ${top.certainty === 'indicated' ? 'probably generates' : 'generates'} Build L${top.buildLevel} provenance`;
    const share = channels.size ? ` (${covered}/${channels.size} publishing workflow(s) covered)` : '';
    return { score, reason: `${what}${share}`, findings, evidence, unknowns };
  },
});

function noProvenanceFinding(gitlab: boolean): Finding {
  return {
    rule: 'noProvenance',
    severity: 'high',
    message: 'no CI job generates build provenance',
    // GitLab: the CI file exists (that is how we know it is GitLab); GitHub: the fix is a new workflow file.
    ...(gitlab ? { location: { path: '.gitlab-ci.yml', line: 1, column: 1 } } : {}),
    remediation: gitlab
      ? {
          text: 'Generate and sign provenance in the job that builds the release (Build L2); on GitLab.com Ultimate, ATTEST_BUILD_ARTIFACTS: "true" on a build-stage job gives Build L3 (experiment).',
          patch: GITLAB_SNIPPET,
        }
      : {
          text: 'Build releases in a workflow that attests them (Build L2) or uses slsa-github-generator (Build L3), e.g. in a new .github/workflows/release.yml.',
          patch: GITHUB_SNIPPET,
        },
  };
}
