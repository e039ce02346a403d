/**
 * Fuzzing signals in the tree, by Scorecard's file rules (checks/raw/fuzzing.go): a
 * ClusterFuzzLite build, and per-language fuzz harnesses or property-based tests found by a
 * line pattern. Only files with a candidate extension are read, only their head, and only files
 * whose bytes contain the pattern's keyword are decoded and matched line by line — so a
 * 50,000-file tree costs one bounded read per source file.
 */
import { known, type Fact } from '../fact.js';
import type { FileEntry } from '../model.js';
import type { FactContext } from '../store.js';
import { pool } from './files.js';

export interface FuzzSignal {
  /** Scorecard's fuzzer name, e.g. `GoBuiltInFuzzer`, `ClusterFuzzLite`, `CLibFuzzer`. */
  tool: string;
  path: string;
  /** 1-based line of the match (absent for whole-file signals). */
  line?: number;
  /** The matched text. */
  snippet?: string;
}

interface FuzzSpec {
  tool: string;
  /** Which files the spec applies to. */
  file: RegExp;
  /** Cheap byte-level prefilter: the file is matched only when it contains one of these. */
  keywords: string[];
  /** Scorecard's funcPattern, applied to each line. */
  line: RegExp;
}

const FAST_CHECK =
  /(from\s+['"](fast-check|@fast-check\/(ava|jest|vitest))['"]|require\(\s*['"](fast-check|@fast-check\/(ava|jest|vitest))['"]\s*\))/;
const LIBFUZZER = /LLVMFuzzerTestOneInput/;

/**
 * Scorecard's languageFuzzSpecs, plus the sibling extensions its `*.js`/`*.ts`/`*.cc` globs miss
 * (.mjs, .tsx, .cxx…), Jazzer's JUnit @FuzzTest, and Erlang/Elixir/Gleam property testing.
 */
export const FUZZ_SPECS: readonly FuzzSpec[] = [
  { tool: 'GoBuiltInFuzzer', file: /_test\.go$/i, keywords: ['testing.F'], line: /func\s+Fuzz\w+\s*\(\w+\s+\*testing.F\)/ },
  {
    tool: 'HaskellPropertyBasedTesting',
    file: /\.l?hs$/i,
    keywords: ['Test.'],
    line: /import\s+(qualified\s+)?Test\.((Hspec|Tasty)\.)?(QuickCheck|Hedgehog|Validity|SmallCheck)/,
  },
  { tool: 'JavaScriptPropertyBasedTesting', file: /\.(?:js|mjs|cjs|jsx)$/i, keywords: ['fast-check'], line: FAST_CHECK },
  { tool: 'TypeScriptPropertyBasedTesting', file: /\.(?:ts|mts|cts|tsx)$/i, keywords: ['fast-check'], line: FAST_CHECK },
  { tool: 'PythonAtherisFuzzer', file: /\.py$/i, keywords: ['atheris'], line: /import atheris/ },
  { tool: 'CLibFuzzer', file: /\.c$/i, keywords: ['LLVMFuzzerTestOneInput'], line: LIBFUZZER },
  { tool: 'CppLibFuzzer', file: /\.(?:cc|cpp|cxx)$/i, keywords: ['LLVMFuzzerTestOneInput'], line: LIBFUZZER },
  { tool: 'SwiftLibFuzzer', file: /\.swift$/i, keywords: ['LLVMFuzzerTestOneInput'], line: LIBFUZZER },
  { tool: 'RustCargoFuzzer', file: /\.rs$/i, keywords: ['libfuzzer_sys'], line: /libfuzzer_sys/ },
  {
    tool: 'JavaJazzerFuzzer',
    file: /\.java$/i,
    keywords: ['com.code_intelligence.jazzer'],
    line: /com.code_intelligence.jazzer.api.FuzzedDataProvider;|com\.code_intelligence\.jazzer\.junit\.FuzzTest/,
  },
  {
    tool: 'ErlangPropertyBasedTesting',
    file: /\.[eh]rl$/i,
    keywords: ['include_lib'],
    line: /-include_lib\(\s*"(proper|eqc|triq)\/include\/(proper|eqc|triq)\.hrl"\s*\)/,
  },
  {
    tool: 'ElixirPropertyBasedTesting',
    file: /\.exs?$/i,
    keywords: ['ExUnitProperties', 'PropCheck'],
    line: /\buse\s+(ExUnitProperties|PropCheck)\b/,
  },
  { tool: 'GleamPropertyBasedTesting', file: /\.gleam$/i, keywords: ['qcheck'], line: /^\s*import\s+qcheck\b/ },
];

export const CLUSTERFUZZLITE_PATH = '.clusterfuzzlite/Dockerfile';
/** Fuzz harnesses declare themselves near the top; a generated 40 MB source file is not read whole. */
export const FUZZ_HEAD_BYTES = 256 * 1024;
const MAX_SIGNALS = 500;

/** Scorecard skips test fixtures (fileparser.isTestdataFile) — but not src/test/, where Jazzer tests live. */
export function isTestdataPath(path: string): boolean {
  return path.startsWith('testdata/') || path.includes('/testdata/');
}

export async function fuzzHarnesses(ctx: FactContext): Promise<Fact<FuzzSignal[]>> {
  const files = await ctx.get('files');
  if (!files.known) return files;
  const candidates: Array<{ f: FileEntry; spec: FuzzSpec }> = [];
  const out: FuzzSignal[] = [];
  for (const f of files.value) {
    if (f.kind !== 'file' || isTestdataPath(f.path)) continue;
    if (f.path === CLUSTERFUZZLITE_PATH) {
      if (await hasCommand(ctx, f.path)) out.push({ tool: 'ClusterFuzzLite', path: f.path });
      continue;
    }
    const spec = FUZZ_SPECS.find((s) => s.file.test(f.path));
    if (spec) candidates.push({ f, spec });
  }
  const found = await pool(candidates, 32, ({ f, spec }) => scanFile(ctx, f.path, spec));
  for (const signals of found) out.push(...signals);
  return known(out.slice(0, MAX_SIGNALS));
}

async function scanFile(ctx: FactContext, path: string, spec: FuzzSpec): Promise<FuzzSignal[]> {
  const r = await ctx.source.readFile(path, { maxBytes: FUZZ_HEAD_BYTES, head: true });
  if (!r.ok || !spec.keywords.some((k) => r.data.includes(k))) return [];
  const out: FuzzSignal[] = [];
  const lines = r.data.toString('utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const m = spec.line.exec(lines[i]);
    if (m) out.push({ tool: spec.tool, path, line: i + 1, snippet: m[0] });
  }
  return out;
}

/** Scorecard's CheckFileContainsCommands: some line that is neither blank nor a `#` comment. */
async function hasCommand(ctx: FactContext, path: string): Promise<boolean> {
  const r = await ctx.source.readFile(path, { maxBytes: FUZZ_HEAD_BYTES, head: true });
  if (!r.ok) return false;
  return r.data
    .toString('utf8')
    .split('\n')
    .some((l) => l.trim() !== '' && !l.trim().startsWith('#'));
}
