import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseActionMeta, parseWorkflow } from '../../src/parsers/github-workflow.js';
import { CORPUS_DIR } from '../helpers/shared.js';

const WF = `name: CI
on:
  push:
    branches: [main]
  pull_request_target:
permissions:
  contents: read
jobs:
  build:
    runs-on: ubuntu-latest
    permissions: write-all
    container: node:20
    services:
      db:
        image: postgres:16
    steps:
      - uses: actions/checkout@v4
      - name: Run
        run: |
          echo start
            curl -sSL https://x.example/install.sh | sh
        shell: bash
  call:
    uses: org/repo/.github/workflows/release.yml@v1
    secrets: inherit
`;

describe('parseWorkflow', () => {
  const wf = parseWorkflow('.github/workflows/ci.yml', WF);

  it('reads triggers, permissions and jobs with positions', () => {
    expect(wf.issues).toEqual([]);
    expect(wf.triggers.map((t) => [t.event, t.loc.line])).toEqual([
      ['push', 3],
      ['pull_request_target', 5],
    ]);
    expect(wf.triggers[0].config).toEqual({ branches: ['main'] });
    expect(wf.permissions).toMatchObject({
      declared: true,
      kind: 'scopes',
      scopes: { contents: { value: 'read', loc: { line: 7, column: 13 } } },
    });
    const build = wf.jobs[0];
    expect(build).toMatchObject({ id: 'build', runsOn: ['ubuntu-latest'], runsOnDynamic: false });
    expect(build.permissions).toMatchObject({ declared: true, kind: 'write-all', loc: { line: 11 } });
    expect(build.container).toMatchObject({ value: 'node:20', loc: { line: 12, column: 16 } });
    expect(build.services.map((s) => s.value)).toEqual(['postgres:16']);
    expect(build.steps[0].uses).toMatchObject({ value: 'actions/checkout@v4', loc: { line: 17, column: 15 } });
    expect(wf.jobs[1]).toMatchObject({ id: 'call', secretsInherit: true, uses: { value: 'org/repo/.github/workflows/release.yml@v1' } });
  });

  it('maps positions inside a run: block back to the file', () => {
    const run = wf.jobs[0].steps[1].run!;
    expect(run.value.split('\n')[1]).toBe('  curl -sSL https://x.example/install.sh | sh');
    // value line 1, column 2 is `curl` on file line 21 (block indentation 10 + 2 deeper).
    expect(run.at(1, 2)).toEqual({ path: '.github/workflows/ci.yml', line: 21, column: 13 });
    expect(run.at(0, 0)).toMatchObject({ line: 20, column: 11 });
  });

  it('quoted one-line run scripts map columns past the quote', () => {
    const w = parseWorkflow('w.yml', 'on: push\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: "curl x | sh"\n');
    expect(w.jobs[0].steps[0].run!.at(0, 0)).toMatchObject({ line: 6, column: 15 });
  });

  it('on: as a list, string, and YAML-1.1-style', () => {
    expect(parseWorkflow('a.yml', 'on: [push, pull_request]\njobs: {}').triggers.map((t) => t.event)).toEqual(['push', 'pull_request']);
    expect(parseWorkflow('a.yml', 'on: workflow_run\njobs: {}').triggers.map((t) => t.event)).toEqual(['workflow_run']);
  });

  it('permissions: {} and empty are "none"; undeclared is undeclared', () => {
    expect(parseWorkflow('a.yml', 'on: push\npermissions: {}\njobs: {}').permissions).toMatchObject({ kind: 'none' });
    expect(parseWorkflow('a.yml', 'on: push\npermissions:\njobs: {}').permissions).toMatchObject({ kind: 'none' });
    expect(parseWorkflow('a.yml', 'on: push\njobs: {}').permissions).toEqual({ declared: false });
  });

  it('matrix runs-on is dynamic', () => {
    const w = parseWorkflow('a.yml', 'on: push\njobs:\n  a:\n    runs-on: ${{ matrix.os }}\n    steps: []\n');
    expect(w.jobs[0].runsOnDynamic).toBe(true);
  });

  it('malformed YAML, non-mappings and alias bombs become issues, never throws', () => {
    expect(parseWorkflow('a.yml', 'on: [push\njobs:').issues[0].message).toMatch(/invalid YAML/);
    expect(parseWorkflow('a.yml', '- just\n- a list').issues[0].message).toMatch(/not a YAML mapping/);
    expect(parseWorkflow('a.yml', '').issues[0].message).toMatch(/empty/);
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 12; i++)
      bomb.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)},*${String.fromCharCode(96 + i)}]`,
      );
    bomb.push('on: push', 'jobs:', '  j:', '    runs-on: *l', '    steps: []');
    const t0 = Date.now();
    const w = parseWorkflow('bomb.yml', bomb.join('\n'));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(w.jobs.length).toBe(1);
  });

  it('merge-key bombs stay bounded', () => {
    const lines = ['x0: &x0 {k: v}'];
    for (let i = 1; i < 30; i++) lines.push(`x${i}: &x${i}\n  <<: [*x${i - 1}, *x${i - 1}]`);
    lines.push('on: push', 'jobs:', '  j:', '    <<: *x29', '    runs-on: ubuntu-latest');
    const t0 = Date.now();
    const w = parseWorkflow('merge.yml', lines.join('\n'));
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(w.jobs[0].runsOn).toEqual(['ubuntu-latest']);
  });
});

describe('parseActionMeta', () => {
  it('composite action steps and docker images', () => {
    const a = parseActionMeta(
      'x/action.yml',
      'name: x\nruns:\n  using: composite\n  steps:\n    - uses: actions/setup-node@v4\n    - run: npm install\n      shell: bash\n',
    );
    expect(a.using).toBe('composite');
    expect(a.steps.map((s) => s.uses?.value ?? s.run?.value)).toEqual(['actions/setup-node@v4', 'npm install']);
    const d = parseActionMeta('action.yaml', "runs:\n  using: docker\n  image: 'docker://alpine:3'\n");
    expect(d.image).toMatchObject({ value: 'docker://alpine:3', loc: { line: 3, column: 10 } });
  });
});

describe('real-world corpus', () => {
  const root = CORPUS_DIR;
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.github\/workflows\/[^/]+\.ya?ml$/.test(p)) files.push(p);
    }
  };
  walk(root);

  it('every workflow parses with jobs, and every location is valid', () => {
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const wf = parseWorkflow(f, readFileSync(f, 'utf8'));
      expect(wf.issues, f).toEqual([]);
      expect(wf.jobs.length, f).toBeGreaterThan(0);
      for (const j of wf.jobs)
        for (const s of j.steps) {
          for (const l of [s.loc, s.uses?.loc, s.run?.loc]) if (l) expect(l.line, f).toBeGreaterThanOrEqual(1);
        }
    }
  });
});
