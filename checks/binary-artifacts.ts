/**
 * Binary-Artifacts: executables and compiled code checked into the repository cannot be reviewed
 * and may not match their claimed source. Scorecard's rules (checks/raw/binary_artifact.go): a
 * file is binary by its magic number, or by a binary extension on non-text content; test
 * fixtures are skipped; a Gradle wrapper jar is exempt when a workflow validates it.
 */
import { defineCheck, inconclusive, type Evidence, type Finding, type UnknownNote } from '../src/check.js';
import type { BinaryFile } from '../src/facts/model.js';
import type { Workflow } from '../src/parsers/github-workflow.js';

const GRADLE_WRAPPER = 'gradle-wrapper.jar';
/** gradle/wrapper-validation-action and its successor in gradle/actions, at v1 or later or a commit SHA. */
const GRADLE_VALIDATION = /^gradle\/(?:wrapper-validation-action|actions\/wrapper-validation)@v?(\S+)$/i;

/** Scorecard's fileparser.isTestdataFile: test fixtures are not shipped artifacts. */
export function isTestdataFile(path: string): boolean {
  return path.startsWith('testdata/') || path.includes('/testdata/') || path.startsWith('src/test/') || path.includes('/src/test/');
}

const baseName = (p: string) => p.slice(p.lastIndexOf('/') + 1);

/** Semver major ≥ 1 (Scorecard's `>= 1.0.0`), or a full commit SHA (which Scorecard cannot parse and skips). */
function acceptableRef(ref: string): boolean {
  if (/^[0-9a-f]{40}$/i.test(ref)) return true;
  const major = /^(\d+)(?:\.\d+){0,2}(?:[-+].*)?$/.exec(ref);
  return major !== null && Number(major[1]) >= 1;
}

/** The workflow step that validates Gradle wrappers, if any. */
function gradleValidation(workflows: Workflow[]): { path: string; line?: number; uses: string } | undefined {
  for (const wf of workflows)
    for (const job of wf.jobs)
      for (const step of job.steps) {
        const m = step.uses && GRADLE_VALIDATION.exec(step.uses.value);
        if (m && acceptableRef(m[1])) return { path: wf.path, line: step.uses!.loc.line, uses: step.uses!.value };
      }
  return undefined;
}

function finding(b: BinaryFile): Finding {
  return {
    rule: 'binaryArtifact',
    severity: 'high',
    message: `binary artifact (${b.type}) in the repository`,
    location: { path: b.path },
    remediation: {
      text: 'Remove the binary and build it from source in CI; if it is a test fixture, move it under testdata/ or ignore its path for this check in the config.',
    },
  };
}

export default defineCheck({
  id: 'Binary-Artifacts',
  risk: 'high',
  description:
    'Checks that the repository contains no executable or compiled artifacts (ELF, Mach-O, PE, wasm, class/jar, pyc, …), ' +
    'which cannot be reviewed. Score: 10 minus one per binary.',
  facts: ['binaries', 'workflows', 'workflowRuns', 'commit'],
  // Runs matter only for a gradle-wrapper.jar that a workflow validates.
  readWhen: {
    workflowRuns: (f) =>
      f.binaries.known &&
      f.workflows.known &&
      f.binaries.value.some((b) => !isTestdataFile(b.path) && baseName(b.path) === GRADLE_WRAPPER) &&
      !!gradleValidation(f.workflows.value),
  },
  slsa: [],
  remediation: [
    'Remove generated executable artifacts from the repository and build them from source.',
    'Keep test fixtures under a testdata/ directory, or ignore their paths for this check in the configuration.',
    'For gradle-wrapper.jar, validate it with gradle/actions/wrapper-validation in a workflow.',
  ],
  differsFromScorecard:
    'A gradle-wrapper.jar is exempt when a workflow uses gradle/actions/wrapper-validation (or the older ' +
    'gradle/wrapper-validation-action) at v1+ or pinned to a commit SHA; Scorecard also requires a successful run of ' +
    'that workflow on the assessed commit, which cannot be seen offline (reported as unknown), and ignores SHA-pinned ' +
    'uses (their version does not parse). Per-check path ignores in the configuration remove fixtures Scorecard would count.',
  run(facts) {
    if (!facts.binaries.known) return inconclusive('the repository files could not be scanned', ['binaries', facts.binaries]);
    const binaries = facts.binaries.value.filter((b) => !isTestdataFile(b.path));
    const evidence: Evidence[] = [];
    const unknowns: UnknownNote[] = [];
    let counted = binaries;
    if (binaries.some((b) => baseName(b.path) === GRADLE_WRAPPER) && facts.workflows.known) {
      const v = gradleValidation(facts.workflows.value);
      if (v) {
        // With the CI API: Scorecard's condition, a successful run of that workflow on the assessed commit.
        const head = facts.commit.known ? facts.commit.value : undefined;
        const atHead =
          facts.workflowRuns.known && head ? facts.workflowRuns.value.filter((r) => r.workflow === v.path && r.headSha === head) : [];
        const succeeded = atHead.some((r) => r.conclusion === 'success');
        const failed = !succeeded && atHead.some((r) => r.conclusion === 'failure');
        if (!failed) counted = binaries.filter((b) => baseName(b.path) !== GRADLE_WRAPPER);
        for (const b of binaries.filter((x) => baseName(x.path) === GRADLE_WRAPPER))
          evidence.push({
            kind: 'gradleWrapperValidated',
            message: `${b.path} is validated by ${v.uses}${succeeded ? ', which succeeded on the assessed commit' : failed ? ', which FAILED on the assessed commit' : ''}`,
            location: { path: v.path, line: v.line },
            values: { jar: b.path, ...(succeeded || failed ? { runSucceeded: succeeded } : {}) },
          });
        if (!succeeded && !failed)
          unknowns.push({
            fact: 'workflowRuns',
            reason: `whether ${v.path} succeeded on the assessed commit was not checked (Scorecard requires a successful run)`,
            needs: 'assess the repository on GitHub with a token',
          });
      }
    }
    const findings = counted.map(finding);
    const score = Math.max(0, 10 - findings.length);
    const reason =
      findings.length === 0
        ? 'no binaries found in the repository'
        : `${findings.length} binary artifact${findings.length === 1 ? '' : 's'} found in the repository`;
    return { score, reason, findings, evidence, unknowns };
  },
});
