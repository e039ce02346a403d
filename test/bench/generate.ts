/**
 * Generates (once) the large benchmark checkout: a git repository of 50,000 files with a realistic
 * mix of sources, CI configuration, Dockerfiles, scripts, binaries and documents, plus history and
 * tags. It is cached under os.tmpdir()/slsa-scorecard-bench-v<GENERATOR_VERSION>/ and reused; bump
 * GENERATOR_VERSION whenever the output changes.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  binaryFile,
  COMPOSITE_ACTION,
  DEPENDABOT,
  dockerfile,
  GITLAB_FILES,
  LICENSE,
  README,
  SECURITY_MD,
  shellScript,
  sourceFile,
  syntheticWorkflow,
  type Lang,
} from './content.js';
import { Rng } from './random.js';

export const GENERATOR_VERSION = 2;
export const TOTAL_FILES = 50_000;
export const WORKFLOWS = 200;
const MAX_CORPUS_WORKFLOWS = 100;
export const DOCKERFILES = 30;
const SCRIPTS = 40;

export interface Manifest {
  generatorVersion: number;
  files: number;
  bytes: number;
  workflows: number;
  corpusWorkflows: number;
  dockerfiles: number;
  shellScripts: number;
  binaries: number;
  gitlabCiFiles: number;
  commits: number;
  tags: { lightweight: number; annotated: number };
  generatedMs: number;
}

export interface LargeRepo {
  dir: string;
  manifest: Manifest;
  /** True when an earlier run's repository was reused. */
  cached: boolean;
}

export const GIT_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'b',
  GIT_AUTHOR_EMAIL: 'b@x',
  GIT_COMMITTER_NAME: 'b',
  GIT_COMMITTER_EMAIL: 'b@x',
};

export function benchRoot(): string {
  return join(tmpdir(), `slsa-scorecard-bench-v${GENERATOR_VERSION}`);
}

export async function ensureLargeRepo(opts: { corpusDir?: string; log?: (s: string) => void } = {}): Promise<LargeRepo> {
  const base = benchRoot();
  const dir = join(base, 'repo');
  const manifestPath = join(base, 'manifest.json');
  if (existsSync(manifestPath) && existsSync(join(dir, '.git'))) {
    return { dir, manifest: JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest, cached: true };
  }
  opts.log?.(`generating a ${TOTAL_FILES.toLocaleString('en')}-file repository in ${dir} (once; cached afterwards)…`);
  const started = performance.now();
  rmSync(base, { recursive: true, force: true });
  // Repositories of earlier generator versions are dead weight (~300 MB each).
  for (const d of readdirSync(tmpdir())) {
    if (/^slsa-scorecard-bench-v\d+$/.test(d) && d !== `slsa-scorecard-bench-v${GENERATOR_VERSION}`)
      rmSync(join(tmpdir(), d), { recursive: true, force: true });
  }
  const work = join(base, `repo.tmp-${process.pid}`);
  mkdirSync(work, { recursive: true });
  git(work, ['init', '-q', '-b', 'main']);
  // The files go straight into a pack through `git fast-import` (no 50,000 loose objects), then
  // `git reset --hard` writes the work tree and a fresh index in one pass: several times faster
  // than writing files with fs and `git add -A`.
  const imp = new FastImport(work);
  const manifest = writeTree(imp.tree(), opts.corpusDir);
  const history = imp.history();
  await imp.done();
  git(work, ['-c', 'checkout.workers=0', 'reset', '-q', '--hard', 'main']);
  renameSync(work, dir);
  manifest.commits = history.commits;
  manifest.tags = history.tags;
  manifest.generatedMs = Math.round(performance.now() - started);
  writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
  return { dir, manifest, cached: false };
}

function git(cwd: string, args: string[]): void {
  execFileSync('git', ['-c', 'user.name=b', '-c', 'user.email=b@x', '-c', 'gc.auto=0', ...args], {
    cwd,
    env: GIT_ENV,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
}

// ---------------------------------------------------------------------------------------------

export interface TreeSink {
  files: number;
  bytes: number;
  write(path: string, data: string | Buffer, mode?: number): void;
  symlink(path: string, target: string): void;
}

const DAY = 86_400;
const EPOCH = 1_704_164_645; // 2024-01-02T03:04:05Z

/** Streams commits, files and tags into `git fast-import`. */
class FastImport {
  private readonly child: ChildProcess;
  private readonly exited: Promise<{ code: number | null; stderr: string }>;
  private mark = 0;

  constructor(dir: string) {
    this.child = spawn('git', ['-c', 'pack.compression=1', 'fast-import', '--quiet', '--done'], {
      cwd: dir,
      env: GIT_ENV,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    this.child.stderr!.on('data', (d: Buffer) => (stderr += d));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve({ code, stderr })));
  }

  private out(s: string | Buffer): void {
    this.child.stdin!.write(s);
  }

  private commit(message: string, time: number): number {
    const m = ++this.mark;
    this.out(
      `commit refs/heads/main\nmark :${m}\nauthor b <b@x> ${time} +0000\ncommitter b <b@x> ${time} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`,
    );
    if (m > 1) this.out(`from :${m - 1}\n`);
    return m;
  }

  private file(path: string, data: string | Buffer, mode: string): number {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    this.out(`M ${mode} inline ${path}\ndata ${buf.length}\n`);
    this.out(buf);
    this.out('\n');
    return buf.length;
  }

  /** The first commit: the whole tree. */
  tree(): TreeSink {
    this.commit('Import large monorepo', EPOCH);
    const sink: TreeSink = {
      files: 0,
      bytes: 0,
      write: (path, data, mode) => {
        sink.bytes += this.file(path, data, mode !== undefined && mode & 0o111 ? '100755' : '100644');
        sink.files++;
      },
      symlink: (path, target) => {
        this.file(path, target, '120000');
        sink.files++;
      },
    };
    return sink;
  }

  /** A short history of releases on top: alternating annotated and lightweight tags. */
  history(): { commits: number; tags: Manifest['tags'] } {
    const tags = { lightweight: 0, annotated: 0 };
    let commits = 1;
    for (let i = 1; i <= 12; i++) {
      const time = EPOCH + i * 9 * DAY;
      const m = this.commit(`Release v1.${i}.0`, time);
      this.file(
        'CHANGELOG.md',
        `# Changelog\n\n${Array.from({ length: i }, (_, k) => `## v1.${i - k - 1}.0\n- changes\n`).join('\n')}`,
        '100644',
      );
      commits++;
      if (i % 2 === 0) {
        const msg = `Release v1.${i}.0\n`;
        this.out(`tag v1.${i}.0\nfrom :${m}\ntagger b <b@x> ${time} +0000\ndata ${msg.length}\n${msg}`);
        tags.annotated++;
      } else {
        this.out(`reset refs/tags/v1.${i}.0\nfrom :${m}\n\n`);
        tags.lightweight++;
      }
    }
    return { commits, tags };
  }

  async done(): Promise<void> {
    this.out('done\n');
    this.child.stdin!.end();
    const r = await this.exited;
    if (r.code !== 0) throw new Error(`git fast-import failed (exit ${r.code}): ${r.stderr.trim()}`);
  }
}

function corpusWorkflows(corpusDir: string | undefined): Array<{ name: string; text: string }> {
  if (!corpusDir || !existsSync(corpusDir)) return [];
  const out: Array<{ name: string; text: string }> = [];
  for (const repo of readdirSync(corpusDir).sort()) {
    const wf = join(corpusDir, repo, '.github', 'workflows');
    if (!existsSync(wf)) continue;
    for (const f of readdirSync(wf).sort()) {
      if (/\.ya?ml$/.test(f)) out.push({ name: `${repo}-${f}`, text: readFileSync(join(wf, f), 'utf8') });
    }
  }
  // An even spread over the corpus rather than its alphabetical head.
  const step = Math.max(1, out.length / MAX_CORPUS_WORKFLOWS);
  const picked: typeof out = [];
  for (let i = 0; i < out.length && picked.length < MAX_CORPUS_WORKFLOWS; i += step) picked.push(out[Math.floor(i)]);
  return picked;
}

function sizeOf(rng: Rng): number {
  // Mostly small files, a long tail of larger ones (mean ≈ 1.7 KB).
  const r = rng.next();
  return Math.round(150 + r * r * r * 6000);
}

function writeTree(t: TreeSink, corpusDir: string | undefined): Manifest {
  // Documents and metadata.
  t.write('LICENSE', LICENSE);
  t.write('SECURITY.md', SECURITY_MD);
  t.write('README.md', README);
  t.write('CHANGELOG.md', '# Changelog\n');
  t.write('.github/dependabot.yml', DEPENDABOT);
  t.write('.github/CODEOWNERS', '* @example/maintainers\n');
  t.write('.github/actions/setup-env/action.yml', COMPOSITE_ACTION);
  t.write('.gitignore', '/node_modules/\n/dist/\n*.o\n');
  t.write('go.work', 'go 1.22\n\nuse ./services/api\n');
  t.write('package.json', JSON.stringify({ name: 'large-monorepo', private: true, workspaces: ['web/packages/*'] }, null, 2));
  t.symlink('docs/LICENSE', '../LICENSE');

  // Workflows: real corpus workflows (numbered) and synthetic ones.
  const wfRng = new Rng(0xc1);
  const corpus = corpusWorkflows(corpusDir);
  corpus.forEach((c, i) => t.write(`.github/workflows/c${String(i).padStart(3, '0')}-${c.name}`, c.text));
  for (let i = corpus.length; i < WORKFLOWS; i++) {
    t.write(
      `.github/workflows/w${String(i).padStart(3, '0')}-${wfRng.pick(['ci', 'release', 'lint', 'nightly', 'docker', 'codeql'])}.yml`,
      syntheticWorkflow(wfRng, i),
    );
  }

  // GitLab CI with local includes.
  for (const [p, text] of Object.entries(GITLAB_FILES)) t.write(p, text);

  // Dockerfiles.
  const dRng = new Rng(0xd0c);
  const dockerPaths = ['Dockerfile', '.clusterfuzzlite/Dockerfile', 'docker/dev.dockerfile', 'web/Containerfile'];
  for (let i = 0; dockerPaths.length < DOCKERFILES; i++)
    dockerPaths.push(i % 3 === 2 ? `services/svc${i}/Dockerfile.debug` : `services/svc${i}/Dockerfile`);
  for (const p of dockerPaths) t.write(p, dockerfile(dRng));

  // Shell scripts (by extension, and by shebang only).
  const sRng = new Rng(0x5411);
  for (let i = 0; i < SCRIPTS; i++) {
    const p =
      i % 4 === 3
        ? `tools/bin/run-${sRng.pick(['lint', 'test', 'release', 'bench'])}-${i}`
        : `scripts/${i < 10 ? 'ci/' : ''}${sRng.ident()}-${i}.sh`;
    t.write(p, shellScript(sRng), 0o755);
  }

  // Binaries (and a couple of images, which are not binaries to Scorecard).
  const bRng = new Rng(0xb1);
  const bins: Array<[string, Parameters<typeof binaryFile>[1], number]> = [
    ['tools/prebuilt/linux-amd64/protoc-gen-x', 'elf', 96 * 1024],
    ['tools/prebuilt/darwin-arm64/protoc-gen-x', 'macho', 80 * 1024],
    ['tools/prebuilt/windows/protoc-gen-x.exe', 'pe', 72 * 1024],
    ['java/sdk/lib/legacy-client.jar', 'jar', 40 * 1024],
    ['java/sdk/build/classes/Client.class', 'class', 6 * 1024],
    ['web/packages/wasm/dist/core.wasm', 'wasm', 32 * 1024],
    ['python/tools/__pycache__/helpers.cpython-312.pyc', 'pyc', 4 * 1024],
    ['native/testdata/crash-1.bin', 'elf', 2 * 1024],
  ];
  for (const [p, kind, size] of bins) t.write(p, binaryFile(bRng, kind, size));
  t.write('docs/images/architecture.png', binaryFile(bRng, 'png', 48 * 1024));
  t.write('web/packages/app/public/logo.png', binaryFile(bRng, 'png', 12 * 1024));

  // Fuzz harnesses and property tests Scorecard's Fuzzing check looks for.
  t.write(
    'services/api/internal/parser/parser_fuzz_test.go',
    'package parser\n\nimport "testing"\n\nfunc FuzzParse(f *testing.F) {\n\tf.Add("x")\n\tf.Fuzz(func(t *testing.T, s string) { _, _ = Parse(s) })\n}\n',
  );
  t.write(
    'python/fuzz/fuzz_decode.py',
    'import sys\nimport atheris\n\nwith atheris.instrument_imports():\n    import decoder\n\n\ndef TestOneInput(data):\n    decoder.decode(data)\n\n\natheris.Setup(sys.argv, TestOneInput)\natheris.Fuzz()\n',
  );
  t.write(
    'web/packages/core/test/roundtrip.property.test.ts',
    "import fc from 'fast-check';\nimport { encode, decode } from '../src/codec.js';\n\nfc.assert(fc.property(fc.string(), (s) => decode(encode(s)) === s));\n",
  );

  // A few large generated files (a bundled vendor file over the 1 MB read limit included).
  const gRng = new Rng(0x9e);
  t.write('web/packages/app/vendor/bundle.min.js', sourceFile(gRng, 'js', 'Bundle', 1_400_000));
  t.write('services/api/gen/api.pb.go', sourceFile(gRng, 'go', 'Api', 400_000));
  t.write('native/third_party/sqlite/sqlite3.c', sourceFile(gRng, 'c', 'Sqlite3', 600_000));

  // Source files fill the rest, in nested directories of 8–30 files.
  const areas: Array<{ weight: number; langs: Lang[]; dir: (r: Rng, n: number) => string }> = [
    {
      weight: 40,
      langs: ['ts', 'ts', 'ts', 'js', 'js'],
      dir: (r, n) =>
        `web/packages/${r.pick(['app', 'core', 'ui', 'sdk', 'cli', 'server'])}${n % 13}/src/${r.pick(['components', 'lib', 'api', 'hooks', 'utils', 'models'])}/${r.pick(['a', 'b', 'c', 'd'])}${n % 7}`,
    },
    {
      weight: 20,
      langs: ['go'],
      dir: (r, n) =>
        `services/${r.pick(['api', 'auth', 'billing', 'gateway', 'indexer', 'scheduler'])}${n % 9}/internal/${r.pick(['store', 'handler', 'service', 'worker'])}${n % 5}`,
    },
    {
      weight: 15,
      langs: ['py'],
      dir: (r, n) =>
        `python/${r.pick(['pipeline', 'analytics', 'tooling'])}${n % 6}/${r.pick(['core', 'io', 'cli', 'models'])}/${r.pick(['v1', 'v2', 'impl'])}${n % 4}`,
    },
    {
      weight: 10,
      langs: ['c', 'c', 'h'],
      dir: (r, n) =>
        `native/${r.pick(['codec', 'crypto', 'net', 'compress'])}${n % 4}/${r.pick(['src', 'include', 'tests'])}/${r.pick(['x86', 'arm', 'generic'])}${n % 3}`,
    },
    {
      weight: 10,
      langs: ['java'],
      dir: (r, n) =>
        `java/${r.pick(['sdk', 'server', 'plugins'])}/src/${r.pick(['main', 'test'])}/java/org/example/${r.pick(['core', 'net', 'auth', 'util'])}${n % 8}`,
    },
  ];
  const total = areas.reduce((s, a) => s + a.weight, 0);
  const srcRng = new Rng(0x50c);
  let dirN = 0;
  const other = ['md', 'json', 'yaml', 'txt'] as const;
  while (t.files < TOTAL_FILES) {
    let w = srcRng.next() * total;
    const area = areas.find((a) => (w -= a.weight) < 0) ?? areas[0];
    const d = `${area.dir(srcRng, dirN)}/m${dirN++}`;
    const n = Math.min(srcRng.int(8, 30), TOTAL_FILES - t.files);
    for (let i = 0; i < n; i++) {
      if (srcRng.chance(0.04)) {
        const ext = srcRng.pick(other);
        const text =
          ext === 'json'
            ? JSON.stringify({ name: srcRng.ident(), values: Array.from({ length: srcRng.int(1, 40) }, (_, k) => k) }, null, 2)
            : ext === 'yaml'
              ? `name: ${srcRng.ident()}\nreplicas: ${srcRng.int(1, 9)}\nimage: example/app:1.${srcRng.int(0, 20)}\n`
              : `# ${srcRng.ident()}\n\n${'Lorem ipsum dolor sit amet. '.repeat(srcRng.int(2, 60))}\n`;
        t.write(`${d}/${srcRng.ident()}-${i}.${ext}`, text);
        continue;
      }
      const lang = srcRng.pick(area.langs);
      const name = srcRng.ident().replace(/^./, (c) => c.toUpperCase());
      const file =
        lang === 'java'
          ? `${name}${i}.java`
          : lang === 'go' && i % 4 === 3
            ? `${name.toLowerCase()}${i}_test.go`
            : `${name.toLowerCase()}${i}.${lang}`;
      t.write(`${d}/${file}`, sourceFile(srcRng, lang, name, sizeOf(srcRng)));
    }
  }

  return {
    generatorVersion: GENERATOR_VERSION,
    files: t.files,
    bytes: t.bytes,
    workflows: WORKFLOWS,
    corpusWorkflows: corpus.length,
    dockerfiles: dockerPaths.length,
    shellScripts: SCRIPTS,
    binaries: bins.length,
    gitlabCiFiles: Object.keys(GITLAB_FILES).length,
    commits: 0,
    tags: { lightweight: 0, annotated: 0 },
    generatedMs: 0,
  };
}
