import { describe, expect, it } from 'vitest';
import { symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import check from '../../checks/binary-artifacts.js';
import { evaluateCheck } from '../../src/engine.js';
import { runCheckOnDir, storeFor } from '../helpers/facts.js';
import { COMPAT_DIR, compatCases, useTempTrees } from '../helpers/shared.js';

const CASES = COMPAT_DIR;
const cases = compatCases(check.id);

const ELF = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(120)]);
const PE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
const JAR = Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x0a, 0x00, 0x00, 0x08]), Buffer.alloc(64)]);

const wrapperWorkflow = (uses: string) => `name: gradle
on: [push, pull_request]
jobs:
  validate:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: ${uses}
`;

const tree = useTempTrees();

describe('Binary-Artifacts: Scorecard parity cases', () => {
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCheckOnDir(check, join(CASES, c.dir));
    if (c.compare === 'score') expect(r.score).toBe(c.expected === -1 ? null : c.expected);
    else expect(r.findings.filter((f) => !c.rules || c.rules.includes(f.rule)).length).toBe(c.expected);
  });
});

describe('Binary-Artifacts', () => {
  it('reports one finding per binary, by path only', async () => {
    const dir = tree({ 'bin/tool': ELF, 'win/setup.exe': PE, 'README.md': '# hi\n' });
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBe(8);
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'binaryArtifact',
        severity: 'high',
        location: { path: 'bin/tool' },
        message: 'binary artifact (elf) in the repository',
      }),
      expect.objectContaining({
        rule: 'binaryArtifact',
        location: { path: 'win/setup.exe' },
        message: 'binary artifact (exe) in the repository',
      }),
    ]);
  });

  it('scores 10 minus the number of binaries, never below 0', async () => {
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 12; i++) files[`out/b${i}.so`] = ELF;
    const r = await runCheckOnDir(check, tree(files));
    expect(r.findings).toHaveLength(12);
    expect(r.score).toBe(0);
  });

  it("skips test fixtures under testdata/ and src/test/ (Scorecard's isTestdataFile)", async () => {
    const dir = tree({
      'testdata/a.exe': PE,
      'pkg/testdata/b': ELF,
      'src/test/resources/c.class': Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34]),
      'mod/src/test/d.so': ELF,
      'src/main/e.so': ELF,
    });
    const r = await runCheckOnDir(check, dir);
    expect(r.findings.map((f) => f.location?.path)).toEqual(['src/main/e.so']);
    expect(r.score).toBe(9);
  });

  it('text with a binary extension is not a binary', async () => {
    const r = await runCheckOnDir(check, tree({ 'notes.exe': 'just text\n', 'lib.so': 'INPUT(-lfoo)\n' }));
    expect(r.findings).toEqual([]);
    expect(r.score).toBe(10);
  });

  it('exempts gradle-wrapper.jar validated by a workflow, and says the run result was not checked', async () => {
    const dir = tree({
      'gradle/wrapper/gradle-wrapper.jar': JAR,
      '.github/workflows/gradle.yml': wrapperWorkflow('gradle/actions/wrapper-validation@v4'),
    });
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      expect.objectContaining({
        kind: 'gradleWrapperValidated',
        location: { path: '.github/workflows/gradle.yml', line: 8 },
        values: { jar: 'gradle/wrapper/gradle-wrapper.jar' },
      }),
    ]);
    expect(r.unknowns).toEqual([expect.objectContaining({ fact: 'workflowRuns' })]);
  });

  it('accepts the older action at v1+ and SHA pins, not v0 or a branch', async () => {
    const sha = 'f9c9c575b8b21b6485636a91ffecd10e558c62f6';
    for (const [uses, exempt] of [
      ['gradle/wrapper-validation-action@v1', true],
      ['gradle/wrapper-validation-action@v1.0.5', true],
      [`gradle/actions/wrapper-validation@${sha}`, true],
      ['gradle/wrapper-validation-action@v0.9', false],
      ['gradle/wrapper-validation-action@main', false],
      ['someone/wrapper-validation-action@v3', false],
    ] as const) {
      const dir = tree({ 'gradle/wrapper/gradle-wrapper.jar': JAR, '.github/workflows/v.yml': wrapperWorkflow(uses) });
      const r = await runCheckOnDir(check, dir);
      expect([uses, r.score]).toEqual([uses, exempt ? 10 : 9]);
    }
  });

  it('a validation workflow exempts only gradle-wrapper.jar, not other jars', async () => {
    const dir = tree({
      'gradle/wrapper/gradle-wrapper.jar': JAR,
      'libs/other.jar': JAR,
      '.github/workflows/gradle.yml': wrapperWorkflow('gradle/actions/wrapper-validation@v3'),
    });
    const r = await runCheckOnDir(check, dir);
    expect(r.findings.map((f) => f.location?.path)).toEqual(['libs/other.jar']);
    expect(r.score).toBe(9);
  });

  it('finds a 50 MB binary from its head, without reading it whole', async () => {
    const dir = tree({ 'big/huge.bin': ELF });
    truncateSync(join(dir, 'big/huge.bin'), 50 * 1024 * 1024);
    const started = performance.now();
    const r = await runCheckOnDir(check, dir);
    expect(r.findings.map((f) => f.location?.path)).toEqual(['big/huge.bin']);
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('never follows a symlink to a binary outside the tree', async () => {
    const outside = tree({ 'evil.exe': PE });
    const dir = tree({ 'README.md': 'x\n' });
    symlinkSync(join(outside, 'evil.exe'), join(dir, 'tool.exe'));
    const r = await runCheckOnDir(check, dir);
    expect(r.findings).toEqual([]);
    expect(r.score).toBe(10);
  });

  it('per-check path ignores from the configuration remove fixtures', async () => {
    const dir = tree({ 'fixtures/a.exe': PE, 'fixtures/deep/b.so': ELF, 'dist/c.so': ELF });
    const r = await evaluateCheck(check, storeFor(dir), { ignore: ['fixtures/'] });
    expect(r.findings.map((f) => f.location?.path)).toEqual(['dist/c.so']);
    expect(r.score).toBe(9);
  });

  it('works on a git checkout too (files from git ls-files)', async () => {
    const dir = tree({ 'a.dll': PE, '.gitignore': 'ignored.so\n' }, true);
    writeFileSync(join(dir, 'ignored.so'), ELF); // untracked: not part of the repository
    const r = await runCheckOnDir(check, dir);
    expect(r.findings.map((f) => f.location?.path)).toEqual(['a.dll']);
  });
});
