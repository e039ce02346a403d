import { afterEach, describe, expect, it } from 'vitest';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import check from '../../checks/fuzzing.js';
import { runCheckOnDir, storeFor, tempTree } from '../helpers/facts.js';

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

const GO_FUZZ = 'package x\n\nimport "testing"\n\nfunc FuzzParse(f *testing.F) {\n\tf.Fuzz(func(t *testing.T, b []byte) {})\n}\n';

describe('Fuzzing', () => {
  it('nothing found: 0 with the single "no fuzzing" finding, and OSS-Fuzz unknown', async () => {
    const r = await runCheckOnDir(check, tree({ 'main.go': 'package main\n', 'x_test.go': 'package main\nfunc TestX(t *testing.T) {}\n' }));
    expect(r.score).toBe(0);
    expect(r.reason).toBe('project is not fuzzed');
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'noFuzzing',
        severity: 'medium',
        remediation: expect.objectContaining({ text: expect.stringContaining('ClusterFuzzLite') }),
      }),
    ]);
    expect(r.unknowns).toEqual([
      {
        fact: 'ossFuzzProjects',
        reason: 'OSS-Fuzz project list not consulted offline',
        needs: 'network access to the OSS-Fuzz project list',
      },
    ]);
  });

  it('a Go native fuzz test: 10, evidence at the function line; OSS-Fuzz still unknown', async () => {
    const r = await runCheckOnDir(check, tree({ 'parse/parse_test.go': GO_FUZZ }));
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      {
        kind: 'fuzzer',
        message: 'GoBuiltInFuzzer: func FuzzParse(f *testing.F)',
        location: { path: 'parse/parse_test.go', line: 5 },
        values: { tool: 'GoBuiltInFuzzer' },
      },
    ]);
    expect(r.unknowns.map((u) => u.fact)).toEqual(['ossFuzzProjects']);
  });

  it("a Go fuzz function outside a _test.go file does not count (Scorecard's *_test.go)", async () => {
    expect((await runCheckOnDir(check, tree({ 'parse/fuzz.go': GO_FUZZ }))).score).toBe(0);
  });

  it.each([
    ['fuzz/fuzz_targets/parse.rs', '#![no_main]\nuse libfuzzer_sys::fuzz_target;\n', 'RustCargoFuzzer', 2],
    [
      'fuzz/parse_fuzzer.cc',
      '#include <cstdint>\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n',
      'CppLibFuzzer',
      2,
    ],
    ['fuzz/parse.c', 'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }\n', 'CLibFuzzer', 1],
    ['Fuzz/main.swift', '@_cdecl("LLVMFuzzerTestOneInput")\n', 'SwiftLibFuzzer', 1],
    ['fuzz/fuzz_parse.py', 'import sys\nimport atheris\n', 'PythonAtherisFuzzer', 2],
    ['src/test/java/FuzzTest.java', 'import com.code_intelligence.jazzer.api.FuzzedDataProvider;\n', 'JavaJazzerFuzzer', 1],
    ['test/prop.test.ts', "import fc from 'fast-check';\n", 'TypeScriptPropertyBasedTesting', 1],
    ['test/prop.test.mjs', "const fc = require('@fast-check/vitest');\n", 'JavaScriptPropertyBasedTesting', 1],
    ['test/Spec.hs', 'module Spec where\nimport qualified Test.QuickCheck as QC\n', 'HaskellPropertyBasedTesting', 2],
    ['test/prop_x.erl', '-module(prop_x).\n-include_lib("proper/include/proper.hrl").\n', 'ErlangPropertyBasedTesting', 2],
    ['test/x_test.exs', 'defmodule XTest do\n  use ExUnitProperties\nend\n', 'ElixirPropertyBasedTesting', 2],
    ['test/x_test.gleam', 'import qcheck\n', 'GleamPropertyBasedTesting', 1],
  ])('%s → %s', async (path, text, tool, line) => {
    const r = await runCheckOnDir(check, tree({ [path]: text }));
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ kind: 'fuzzer', location: { path, line }, values: { tool } });
  });

  it('ClusterFuzzLite: a .clusterfuzzlite/Dockerfile with a command (comments alone do not count)', async () => {
    const yes = await runCheckOnDir(check, tree({ '.clusterfuzzlite/Dockerfile': '# build\nFROM gcr.io/oss-fuzz-base/base-builder\n' }));
    expect(yes.score).toBe(10);
    expect(yes.evidence).toEqual([
      {
        kind: 'fuzzer',
        message: 'ClusterFuzzLite integration found',
        location: { path: '.clusterfuzzlite/Dockerfile' },
        values: { tool: 'ClusterFuzzLite' },
      },
    ]);
    expect((await runCheckOnDir(check, tree({ '.clusterfuzzlite/Dockerfile': '# nothing yet\n\n' }))).score).toBe(0);
  });

  it('a CIFuzz workflow shows OSS-Fuzz membership (no unknown left)', async () => {
    const wf =
      'on: [pull_request]\njobs:\n  fuzz:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: google/oss-fuzz/infra/cifuzz/actions/build_fuzzers@master\n        with:\n          oss-fuzz-project-name: x\n';
    const r = await runCheckOnDir(check, tree({ '.github/workflows/cifuzz.yml': wf }));
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ values: { tool: 'OSSFuzz' }, location: { path: '.github/workflows/cifuzz.yml', line: 6 } });
    expect(r.unknowns).toEqual([]);
  });

  it('skips testdata/ fixtures, and never follows symlinks', async () => {
    const outside = tree({ 'f_test.go': GO_FUZZ });
    const dir = tree({ 'testdata/fuzz_test.go': GO_FUZZ, 'pkg/testdata/x_test.go': GO_FUZZ });
    symlinkSync(join(outside, 'f_test.go'), join(dir, 'link_test.go'));
    expect((await runCheckOnDir(check, dir)).score).toBe(0);
  });

  it('reads only the head of a huge source file', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, '// filler\n');
    const late = Buffer.from('\nextern "C" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { return 0; }\n');
    const r = await runCheckOnDir(check, tree({ 'gen/huge.cc': Buffer.concat([big, late]) }));
    expect(r.score).toBe(0); // the harness sits beyond the 256 KB head
  });

  it('scans 50,000 files quickly, reading only candidate files', async () => {
    const dir = tree({});
    for (let d = 0; d < 100; d++) {
      mkdirSync(join(dir, `pkg${d}`));
      for (let i = 0; i < 500; i++) {
        const ext = ['go', 'ts', 'c', 'md', 'json'][i % 5];
        writeFileSync(join(dir, `pkg${d}`, `f${i}.${ext}`), `// file ${i}\nexport const x${i} = ${i};\n`);
      }
    }
    writeFileSync(join(dir, 'pkg7', 'parse_test.go'), GO_FUZZ);
    const store = storeFor(dir);
    const files = await store.get('files');
    expect(files.known && files.value.length).toBe(50_001);
    const started = performance.now();
    const fuzz = await store.get('fuzzHarnesses');
    const ms = performance.now() - started;
    expect(fuzz).toEqual({
      known: true,
      value: [{ tool: 'GoBuiltInFuzzer', path: 'pkg7/parse_test.go', line: 5, snippet: 'func FuzzParse(f *testing.F)' }],
    });
    expect(ms).toBeLessThan(15_000);
  }, 60_000);
});
