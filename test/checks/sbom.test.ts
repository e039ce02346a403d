import { afterEach, describe, expect, it } from 'vitest';
import check, { isSbomFile } from '../../checks/sbom.js';
import { runCheckOnDir, tempTree } from '../helpers/facts.js';

let cleanups: Array<() => void> = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
});
function tree(files: Record<string, string | Buffer>) {
  const t = tempTree(files);
  cleanups.push(t.cleanup);
  return t.dir;
}

const workflow = (steps: string) => `on: {release: {types: [published]}}
jobs:
  sbom:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
${steps}`;

describe("SBOM file names (Scorecard's reSBOMFile + reRootFile)", () => {
  it.each([
    'bom.cdx.json',
    'sbom.cdx.xml',
    'app.spdx',
    'app.spdx.json',
    'app.SPDX.YAML',
    'app.spdx.yml',
    'app.spdx.rdf',
    'app.spdx.rdf.xml',
  ])('%s is an SBOM', (p) => expect(isSbomFile(p)).toBe(true));
  it.each(['sbom/app.spdx.json', '.hidden.cdx.json', 'sbom.json', 'cdx.json', 'README.md'])('%s is not', (p) =>
    expect(isSbomFile(p)).toBe(false),
  );
});

describe('SBOM', () => {
  it('nothing: 0 with one finding, and the release half is unknown', async () => {
    const r = await runCheckOnDir(check, tree({ 'README.md': '# x\n' }));
    expect(r.score).toBe(0);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'noSBOM', severity: 'medium' })]);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'releases' })]);
  });

  it('an SBOM file in the repository: 5 (release assets unknown offline)', async () => {
    const r = await runCheckOnDir(check, tree({ 'sbom.spdx.json': '{}' }));
    expect(r.score).toBe(5);
    expect(r.reason).toBe('SBOM file found in project');
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      { kind: 'sbomFile', message: 'SBOM file in the repository: sbom.spdx.json', location: { path: 'sbom.spdx.json' } },
    ]);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'releases' })]);
  });

  it('a workflow that generates an SBOM: 5, with the step as evidence', async () => {
    const r = await runCheckOnDir(
      check,
      tree({ '.github/workflows/release.yml': workflow('      - uses: anchore/sbom-action@v0\n      - uses: actions/attest-sbom@v2\n') }),
    );
    expect(r.score).toBe(5);
    expect(r.reason).toBe('SBOM generated in CI');
    expect(r.evidence).toEqual([
      expect.objectContaining({
        kind: 'sbomGeneration',
        values: { tool: 'syft (anchore/sbom-action)' },
        location: expect.objectContaining({ path: '.github/workflows/release.yml', line: 7 }),
      }),
      expect.objectContaining({
        kind: 'sbomGeneration',
        values: { tool: 'actions/attest-sbom' },
        location: expect.objectContaining({ line: 8 }),
      }),
    ]);
  });

  it.each([
    ['      - run: syft dir:. -o spdx-json=sbom.spdx.json\n', 'syft'],
    ['      - run: npx @cyclonedx/cyclonedx-npm --output-file bom.json\n', 'CycloneDX'],
    ['      - run: trivy fs --format cyclonedx --output bom.json .\n', 'trivy'],
    ['      - uses: docker/build-push-action@v6\n        with:\n          sbom: true\n', 'BuildKit SBOM (docker/build-push-action)'],
    ['      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          format: spdx-json\n', 'trivy'],
  ])('%#: %s → %s', async (steps, tool) => {
    const r = await runCheckOnDir(check, tree({ '.github/workflows/release.yml': workflow(steps) }));
    expect(r.score).toBe(5);
    expect(r.evidence[0]).toMatchObject({ values: { tool } });
  });

  it('a build-push step without sbom, or trivy scanning for vulnerabilities, is not an SBOM', async () => {
    const steps =
      '      - uses: docker/build-push-action@v6\n      - uses: aquasecurity/trivy-action@0.28.0\n        with:\n          format: sarif\n      - run: make test\n';
    const r = await runCheckOnDir(check, tree({ '.github/workflows/ci.yml': workflow(steps) }));
    expect(r.score).toBe(0);
  });

  it('a GitLab job with artifacts:reports:cyclonedx', async () => {
    const ci = 'sbom:\n  script:\n    - cdxgen -o gl-sbom.cdx.json\n  artifacts:\n    reports:\n      cyclonedx: gl-sbom.cdx.json\n';
    const r = await runCheckOnDir(check, tree({ '.gitlab-ci.yml': ci }));
    expect(r.score).toBe(5);
    expect(r.evidence).toEqual([
      expect.objectContaining({
        values: { tool: 'artifacts:reports:cyclonedx (job sbom)' },
        location: expect.objectContaining({ path: '.gitlab-ci.yml', line: 6 }),
      }),
      expect.objectContaining({
        values: { tool: 'cdxgen (job sbom)' },
        location: expect.objectContaining({ path: '.gitlab-ci.yml', line: 3 }),
      }),
    ]);
  });
});
