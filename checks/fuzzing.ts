/**
 * Fuzzing: fuzzing finds memory-safety and logic bugs that tests miss. Scorecard
 * (checks/raw/fuzzing.go): OSS-Fuzz membership, a ClusterFuzzLite set-up, or a fuzz harness /
 * property-based test in the project's languages. Any of these → 10, none → 0.
 */
import { defineCheck, inconclusive, type Evidence, type UnknownNote } from '../src/check.js';
import type { FuzzSignal } from '../src/facts/providers/fuzzing.js';
import type { Workflow } from '../src/parsers/github-workflow.js';

/** CIFuzz runs only for projects integrated into OSS-Fuzz; ClusterFuzzLite's actions run a project's own fuzzers. */
const FUZZ_ACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/^google\/oss-fuzz\/infra\/cifuzz\/actions\/(?:build|run)_fuzzers@/i, 'OSSFuzz'],
  [/^google\/clusterfuzzlite\/actions\/(?:build|run)_fuzzers@/i, 'ClusterFuzzLite'],
];

function fromWorkflows(workflows: Workflow[]): Evidence[] {
  const out: Evidence[] = [];
  for (const wf of workflows)
    for (const job of wf.jobs)
      for (const step of job.steps) {
        const hit = step.uses && FUZZ_ACTIONS.find(([re]) => re.test(step.uses!.value));
        if (hit && step.uses)
          out.push({
            kind: 'fuzzer',
            message: `${hit[1]} runs in ${wf.path} (${step.uses.value})`,
            location: step.uses.loc,
            values: { tool: hit[1] },
          });
      }
  return out;
}

function fromSignal(s: FuzzSignal): Evidence {
  return {
    kind: 'fuzzer',
    message: s.snippet ? `${s.tool}: ${s.snippet}` : `${s.tool} integration found`,
    location: { path: s.path, ...(s.line ? { line: s.line } : {}) },
    values: { tool: s.tool },
  };
}

const OSS_FUZZ_UNKNOWN: UnknownNote = {
  fact: 'ossFuzzProjects',
  reason: 'OSS-Fuzz project list not consulted offline',
  needs: 'network access to the OSS-Fuzz project list',
};

export default defineCheck({
  id: 'Fuzzing',
  risk: 'medium',
  description:
    'Checks that the project is fuzzed: a ClusterFuzzLite set-up, OSS-Fuzz via CIFuzz, Go native fuzz tests, ' +
    'libFuzzer harnesses (C, C++, Swift), cargo-fuzz, Atheris, Jazzer, or property-based tests (fast-check, ' +
    'QuickCheck/Hedgehog, PropEr, StreamData, qcheck). 10 when found, else 0.',
  facts: ['fuzzHarnesses', 'workflows'],
  slsa: [],
  remediation: [
    'Integrate the project into OSS-Fuzz, or set up ClusterFuzzLite to fuzz in CI.',
    "Write fuzz targets in the project's language (Go `func FuzzX(f *testing.F)`, libFuzzer, cargo-fuzz, Atheris, Jazzer) or property-based tests.",
  ],
  differsFromScorecard:
    'OSS-Fuzz membership is not looked up offline (reported unknown) but a workflow running CIFuzz shows it. Every ' +
    "language's harnesses count, not only the languages GitHub ranks as prominent; .mjs/.cjs/.jsx/.tsx/.cxx files, " +
    'Jazzer JUnit @FuzzTest and src/test/ (where Jazzer tests live; Scorecard skips it) are searched too. Only the ' +
    'first 256 KB of each source file are read.',
  run(facts) {
    if (!facts.fuzzHarnesses.known)
      return inconclusive('the repository files could not be scanned', ['fuzzHarnesses', facts.fuzzHarnesses]);
    const evidence = [...facts.fuzzHarnesses.value.map(fromSignal), ...(facts.workflows.known ? fromWorkflows(facts.workflows.value) : [])];
    const viaCiFuzz = evidence.some((e) => e.values?.tool === 'OSSFuzz');
    const unknowns = viaCiFuzz ? [] : [OSS_FUZZ_UNKNOWN];
    if (evidence.length > 0) {
      const tools = [...new Set(evidence.map((e) => String(e.values?.tool)))];
      return { score: 10, reason: `project is fuzzed with ${tools.join(', ')}`, evidence, unknowns };
    }
    return {
      score: 0,
      reason: 'project is not fuzzed',
      findings: [
        {
          rule: 'noFuzzing',
          severity: 'medium',
          message: 'no fuzzing found (no ClusterFuzzLite, OSS-Fuzz/CIFuzz workflow, fuzz harness or property-based test)',
          remediation: {
            text: 'Add fuzz targets for code that parses untrusted input and run them continuously with OSS-Fuzz or ClusterFuzzLite (https://google.github.io/clusterfuzzlite/).',
          },
        },
      ],
      unknowns,
    };
  },
});
