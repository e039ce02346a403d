/**
 * SBOM: a software bill of materials lets consumers know what a release contains. Scorecard
 * (checks/raw/sbom.go, checks/evaluation/sbom.go): an SBOM file in the repository is worth 5, one
 * among the assets of the last releases 5 more. Release assets need the platform API.
 */
import { defineCheck, inconclusive, type Evidence, type UnknownNote } from '../src/check.js';
import type { Location } from '../src/facts/model.js';
import type { Workflow } from '../src/parsers/github-workflow.js';
import type { GitlabCi } from '../src/parsers/gitlab-ci.js';

/** Scorecard's reSBOMFile (unanchored at the end, dots unescaped inside the group — kept as is) and reRootFile. */
const SBOM_FILE = /.+\.(cdx.json|cdx.xml|spdx|spdx.json|spdx.xml|spdx.y[a?]ml|spdx.rdf|spdx.rdf.xm)/i;
const ROOT_FILE = /^[^.][^/]*$/;

// The cheap root-file test first: SBOM_FILE's leading `.+` backtracks on every path of a large tree.
export const isSbomFile = (path: string): boolean => ROOT_FILE.test(path) && SBOM_FILE.test(path);

/** Actions that produce an SBOM (or an SBOM attestation). */
const SBOM_ACTIONS: ReadonlyArray<[RegExp, string]> = [
  [/^anchore\/sbom-action@/i, 'syft (anchore/sbom-action)'],
  [/^actions\/attest-sbom@/i, 'actions/attest-sbom'],
  [/^cyclonedx\/gh-[\w-]*(?:sbom|bom)[\w-]*@/i, 'CycloneDX'],
  [/^advanced-security\/sbom-generator-action@/i, 'sbom-generator-action'],
  [/^microsoft\/sbom-action@/i, 'Microsoft sbom-tool'],
];
/** Commands that produce an SBOM, in `run:` steps and GitLab job scripts. */
const SBOM_COMMANDS: ReadonlyArray<[RegExp, string]> = [
  [/\bsyft\b[^\n]*\s(?:-o|--output)[\s=]+\S*(?:cyclonedx|spdx)/i, 'syft'],
  [/\bsyft\s+(?:scan|packages)\b/i, 'syft'],
  [/\bcdxgen\b/, 'cdxgen'],
  [/\bcyclonedx-(?:npm|py|gomod|bom|cli)\b|\bcyclonedx\s+(?:convert|merge|add)\b|@cyclonedx\/cyclonedx-npm|\bcyclonedx-py\b/i, 'CycloneDX'],
  [/\bcyclonedx(?:-maven-plugin|:makeAggregateBom|:makeBom)\b|\bcyclonedxBom\b/, 'CycloneDX'],
  [/\btrivy\b[^\n]*--format[\s=]+(?:cyclonedx|spdx(?:-json)?)\b/i, 'trivy'],
  [/\bsbom-tool\s+generate\b/i, 'Microsoft sbom-tool'],
  [/\bdocker\s+(?:buildx\s+)?build\b[^\n]*--sbom(?:=true)?\b/i, 'BuildKit SBOM'],
  [/\bbom\s+generate\b/, 'bom (kubernetes-sigs)'],
];

function sbomEvidence(tool: string, where: string, location: Location): Evidence {
  return { kind: 'sbomGeneration', message: `${tool} generates an SBOM in ${where}`, location, values: { tool } };
}

function fromWorkflows(workflows: Workflow[]): Evidence[] {
  const out: Evidence[] = [];
  for (const wf of workflows)
    for (const job of wf.jobs)
      for (const step of job.steps) {
        const uses = step.uses?.value ?? '';
        const action = SBOM_ACTIONS.find(([re]) => re.test(uses));
        if (action && step.uses) out.push(sbomEvidence(action[1], wf.path, step.uses.loc));
        if (/^docker\/build-push-action@/i.test(uses) && /^(?:true|generator=.+)$/i.test(step.with.sbom?.value ?? ''))
          out.push(sbomEvidence('BuildKit SBOM (docker/build-push-action)', wf.path, step.with.sbom.loc));
        if (/^aquasecurity\/trivy-action@/i.test(uses) && /^(?:cyclonedx|spdx|spdx-json)$/i.test(step.with.format?.value ?? ''))
          out.push(sbomEvidence('trivy', wf.path, step.with.format.loc));
        const cmd = step.run && SBOM_COMMANDS.find(([re]) => re.test(step.run!.value));
        if (cmd && step.run) out.push(sbomEvidence(cmd[1], wf.path, step.run.loc));
      }
  return out;
}

function fromGitlabCi(ci: GitlabCi | null): Evidence[] {
  const out: Evidence[] = [];
  for (const job of ci?.jobs ?? []) {
    const report = job.reports.find((r) => r.value === 'cyclonedx');
    if (report) out.push(sbomEvidence(`artifacts:reports:cyclonedx (job ${job.name})`, ci!.path, report.loc));
    for (const s of job.scripts) {
      const cmd = SBOM_COMMANDS.find(([re]) => re.test(s.value));
      if (cmd) out.push(sbomEvidence(`${cmd[1]} (job ${job.name})`, s.loc.path, s.loc));
    }
  }
  return out;
}

/** Scorecard looks at the assets of the last 5 releases. */
const RELEASE_LOOK_BACK = 5;

const RELEASES_UNKNOWN: UnknownNote = {
  fact: 'releases',
  reason: "SBOMs among release assets (5 of Scorecard's 10 points) were not looked at",
  needs: 'assess the repository on its platform with a token',
};

export default defineCheck({
  id: 'SBOM',
  risk: 'medium',
  description:
    'Checks that the project publishes a software bill of materials: an SBOM file (*.cdx.json, *.spdx.json, …) at the ' +
    'top of the repository or a CI job that generates one counts 5; an SBOM among release assets counts 5 more.',
  facts: ['files', 'workflows', 'gitlabCi', 'releases'],
  slsa: [],
  remediation: [
    'Generate an SBOM in the release pipeline (syft/anchore/sbom-action, cdxgen, CycloneDX tools, GitLab artifacts:reports:cyclonedx).',
    'Attach it to each release (and attest it, e.g. actions/attest-sbom).',
  ],
  differsFromScorecard:
    'A CI job that generates an SBOM (anchore/sbom-action, actions/attest-sbom, CycloneDX tools, syft, cdxgen, trivy, ' +
    'BuildKit --sbom, GitLab artifacts:reports:cyclonedx) earns the "SBOM in project" 5 points like a committed SBOM ' +
    'file; Scorecard only sees committed files and release assets. Release assets are not read offline: at most 5 ' +
    'without them, and the release half is reported unknown.',
  run(facts) {
    if (!facts.files.known) return inconclusive('the repository files could not be listed', ['files', facts.files]);
    const files: Evidence[] = facts.files.value
      .filter((f) => isSbomFile(f.path))
      .map((f) => ({ kind: 'sbomFile', message: `SBOM file in the repository: ${f.path}`, location: { path: f.path } }));
    const ci = [
      ...(facts.workflows.known ? fromWorkflows(facts.workflows.value) : []),
      ...(facts.gitlabCi.known ? fromGitlabCi(facts.gitlabCi.value) : []),
    ];
    const evidence = [...files, ...ci];
    // With the platform API: an SBOM among the assets of the last releases is Scorecard's 10.
    if (facts.releases.known) {
      const released: Evidence[] = facts.releases.value
        .filter((r) => !r.draft)
        .slice(0, RELEASE_LOOK_BACK)
        .flatMap((r) =>
          r.assets
            .filter((a) => isSbomFile(a.name))
            .map((a) => ({
              kind: 'sbomReleaseAsset',
              message: `release ${r.tag} publishes the SBOM ${a.name}`,
              values: { release: r.tag, asset: a.name },
            })),
        );
      if (released.length > 0) return { score: 10, reason: 'SBOM found in release artifacts', evidence: [...evidence, ...released] };
      if (evidence.length > 0)
        return { score: 5, reason: files.length > 0 ? 'SBOM file found in project' : 'SBOM generated in CI', evidence };
      return {
        score: 0,
        reason: 'SBOM file not detected',
        findings: [
          {
            rule: 'noSBOM',
            severity: 'medium',
            message: 'no SBOM in the repository, in CI, or among the assets of the last releases',
            remediation: { text: 'Generate an SBOM (CycloneDX or SPDX) in the release pipeline and publish it with each release.' },
          },
        ],
      };
    }
    if (evidence.length === 0) {
      return {
        score: 0,
        reason: 'SBOM file not detected',
        findings: [
          {
            rule: 'noSBOM',
            severity: 'medium',
            message: 'no SBOM in the repository and no CI job that generates one',
            remediation: { text: 'Generate an SBOM (CycloneDX or SPDX) in the release pipeline and publish it with each release.' },
          },
        ],
        unknowns: [RELEASES_UNKNOWN],
      };
    }
    const reason = files.length > 0 ? 'SBOM file found in project' : 'SBOM generated in CI';
    return { score: 5, reason, evidence, unknowns: [RELEASES_UNKNOWN] };
  },
});
