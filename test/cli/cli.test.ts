/**
 * The CLI end to end on real git repositories made here: exact findings with line numbers, the
 * JSON contract (validated against the schema kept in the repo), third-party checks in every
 * output, configuration errors, colour, and exit codes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { main, type Io } from '../../src/cli/main.js';
import { FORMAT_NAMES } from '../../src/report/index.js';
import schema from '../../src/schema/assessment.schema.json' with { type: 'json' };
import type { Assessment } from '../../src/assessment.js';
import { gitEnv, tempTree } from '../helpers/facts.js';

const ROOT = join(import.meta.dirname, '..', '..');

function capture(env: NodeJS.ProcessEnv = {}, cwd = process.cwd(), tty = false) {
  let out = '';
  let err = '';
  const stream = (sink: (s: string) => void) =>
    Object.assign(
      new Writable({
        write(chunk, _enc, cb) {
          sink(String(chunk));
          cb();
        },
      }),
      { isTTY: tty },
    );
  const io: Io = { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), env, cwd };
  return { io, out: () => out, err: () => err };
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd?: string, tty = false) {
  const c = capture(env, cwd, tty);
  const code = await main(args, c.io);
  return { code, stdout: c.out(), stderr: c.err() };
}

const WORKFLOW = `name: CI
on:
  push:
  pull_request:
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@1e60f620b9541d16bece96c5465dc8ee9832be0b # v4.0.3
      - name: install
        run: |
          npm ci
          curl -sSL https://example.com/install.sh | bash
`;

const PLUGIN = `export default {
  id: 'Has-Codeowners',
  risk: 'low',
  description: 'A CODEOWNERS file names who reviews what.',
  facts: ['files'],
  remediation: ['Add .github/CODEOWNERS.'],
  run({ files }) {
    if (!files.known) return { score: null, reason: files.reason };
    const found = files.value.some((f) => /(^|\\/)CODEOWNERS$/.test(f.path));
    return found ? { score: 10, reason: 'CODEOWNERS present' }
      : { score: 0, reason: 'no CODEOWNERS file <b>here</b>', findings: [{ rule: 'noCodeowners', severity: 'low', message: 'no CODEOWNERS file' }] };
  },
};
`;

describe('slsa-scorecard on a real git repository', () => {
  let dir: string;
  let cleanup: () => void;
  let head: string;
  const hasSshKeygen = spawnSync('ssh-keygen', ['-?']).error === undefined;

  beforeAll(() => {
    const t = tempTree({
      '.github/workflows/ci.yml': WORKFLOW,
      Dockerfile: `FROM node:20 AS build\nRUN npm ci\nFROM alpine@sha256:${'a'.repeat(64)}\nCOPY --from=build /app /app\n`,
      'tools/helper.exe': Buffer.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0, 4, 0]),
      LICENSE:
        'MIT License\n\nCopyright (c) 2026 Acme\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the "Software"), to deal\nin the Software without restriction',
    });
    dir = t.dir;
    cleanup = t.cleanup;
    const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: gitEnv() }).toString().trim();
    g('init', '-q', '-b', 'main');
    g('add', '-A');
    g('commit', '-q', '-m', 'first');
    g('tag', 'v0.1.0'); // lightweight
    g('commit', '-q', '--allow-empty', '-m', 'second');
    g('tag', '-a', 'v0.2.0', '-m', 'v0.2.0'); // annotated, unsigned
    if (hasSshKeygen) {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, '.git', 'signing-key')]);
      g('-c', 'gpg.format=ssh', '-c', `user.signingkey=${join(dir, '.git', 'signing-key.pub')}`, 'tag', '-s', 'v1.0.0', '-m', 'v1.0.0');
    }
    g('remote', 'add', 'origin', 'git@github.com:acme/widget.git');
    head = g('rev-parse', 'HEAD');
  });
  afterAll(() => cleanup());

  it('--format json follows the schema, records the platform repo from origin, and has exact findings', async () => {
    const out = join(dir, '.git', 'report.json');
    const r = await run([dir, '--format', 'json', '-o', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const a = JSON.parse(readFileSync(out, 'utf8')) as Assessment;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const valid = ajv.validate(schema, a);
    expect(ajv.errors ?? [], JSON.stringify(ajv.errors)).toEqual([]);
    expect(valid).toBe(true);

    expect(a.schemaVersion).toBe('1.0.0');
    expect(a.tool.name).toBe('slsa-scorecard');
    expect(a.target).toMatchObject({
      platform: 'github',
      host: 'github.com',
      repo: 'acme/widget',
      commit: head,
      source: 'local',
      branch: 'main',
    });
    expect(a.requests.total).toBe(0);

    const check = (name: string) => a.checks.find((c) => c.name === name)!;
    const pinned = check('Pinned-Dependencies');
    const loc = (rule: string) => pinned.findings.filter((f) => f.rule === rule).map((f) => f.location);
    expect(loc('GitHubAction')).toEqual([expect.objectContaining({ path: '.github/workflows/ci.yml', line: 9, column: 15 })]);
    expect(loc('downloadThenRun')).toEqual([expect.objectContaining({ path: '.github/workflows/ci.yml', line: 14, column: 11 })]);
    expect(loc('containerImage')).toEqual([expect.objectContaining({ path: 'Dockerfile', line: 1, column: 1 })]);
    expect(pinned.findings.filter((f) => f.severity !== 'info')).toHaveLength(3);

    const bin = check('Binary-Artifacts');
    expect(bin.score).toBe(9);
    expect(bin.findings.map((f) => f.location?.path)).toEqual(['tools/helper.exe']);

    expect(check('License').score).toBe(10);

    const tags = check('Signed-Tags');
    const byRule = Object.fromEntries(tags.findings.map((f) => [f.rule, f.message]));
    expect(byRule.lightweightTag).toMatch(/v0\.1\.0/);
    expect(byRule.unsignedTag).toMatch(/v0\.2\.0/);
    if (hasSshKeygen) expect(tags.evidence.some((e) => /v1\.0\.0/.test(e.message))).toBe(true);

    // Aggregate reproducible from the checks with Scorecard's weights.
    const w = { critical: 10, high: 7.5, medium: 5, low: 2.5 } as const;
    const scored = a.checks.filter((c) => c.score !== null);
    const expected = scored.reduce((s, c) => s + w[c.risk] * c.score!, 0) / scored.reduce((s, c) => s + w[c.risk], 0);
    expect(a.score).toBe(Math.round(expected * 10) / 10);
  });

  it('a third-party check module runs through the same interface and appears in every output', async () => {
    const plugin = join(dir, '.git', 'my-check.mjs');
    writeFileSync(plugin, PLUGIN);
    const outputs = FORMAT_NAMES.flatMap((f) => ['--format', f, '-o', join(dir, '.git', `out.${f}`)]);
    const r = await run([dir, '--check-module', plugin, ...outputs]);
    expect(r.code, r.stderr).toBe(0);
    for (const f of FORMAT_NAMES) {
      const text = readFileSync(join(dir, '.git', `out.${f}`), 'utf8');
      // Badges carry the score and SLSA levels, not check names.
      if (f === 'badge' || f === 'shields') expect(text, f).toContain('slsa-scorecard');
      else expect(text, f).toContain('Has-Codeowners');
    }
    const a = JSON.parse(readFileSync(join(dir, '.git', 'out.json'), 'utf8')) as Assessment;
    expect(a.checks.find((c) => c.name === 'Has-Codeowners')).toMatchObject({
      score: 0,
      risk: 'low',
      module: plugin,
      findings: [{ rule: 'noCodeowners' }],
    });
  });

  it('the config file selects checks, ignores paths per check, and loads modules', async () => {
    writeFileSync(join(dir, '.git', 'my-check.mjs'), PLUGIN);
    const cfg = join(dir, '.git', 'cfg.yml');
    writeFileSync(
      cfg,
      'select: [Binary-Artifacts, Has-Codeowners]\nmodules: [./my-check.mjs]\nchecks:\n  Binary-Artifacts:\n    ignore: [tools/]\n',
    );
    const r = await run([dir, '--config', cfg, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(r.stdout) as Assessment;
    expect(a.checks.map((c) => c.name)).toEqual(['Binary-Artifacts', 'Has-Codeowners']);
    expect(a.checks[0]).toMatchObject({ score: 10, findings: [] });
  });

  it('an invalid config names the file, line and key; exit 2', async () => {
    const cfg = join(dir, '.git', 'bad.yml');
    writeFileSync(cfg, 'checks:\n  Binary-Artifacts:\n    ignore: tools/\n');
    const r = await run([dir, '--config', cfg]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${cfg}:3:5: \`checks.Binary-Artifacts.ignore\` must be array`);
    writeFileSync(cfg, 'skip: [No-Such-Check]\n');
    const r2 = await run([dir, '--config', cfg]);
    expect(r2.code).toBe(2);
    expect(r2.stderr).toMatch(new RegExp(`${cfg.replace(/[.]/g, '\\.')}:1:8: unknown check "No-Such-Check"`));
  });

  it('exit codes: --fail-under, usage errors, missing targets', async () => {
    expect((await run([dir, '--fail-under', '9.9', '--format', 'json'])).code).toBe(3);
    expect((await run([dir, '--fail-under', '0', '--format', 'json'])).code).toBe(0);
    expect((await run([dir, '--no-such-flag'])).code).toBe(2);
    expect((await run([dir, '--fail-under', 'ten'])).code).toBe(2);
    expect((await run([dir, '--format', 'pdf'])).code).toBe(2);
    expect((await run([dir, '--check', 'Nope'])).code).toBe(2);
    const missing = await run([join(dir, 'does-not-exist')]);
    expect(missing.code).toBe(4);
    expect(missing.stderr).toMatch(/no such directory/);
    const remote = await run(['octo/widget']);
    expect(remote.code).toBe(4);
  });

  it('colour only on a terminal, never with NO_COLOR', async () => {
    const args = [dir, '--check', 'Binary-Artifacts'];
    expect((await run(args, {}, undefined, true)).stdout).toContain('\u001b[');
    expect((await run(args, { NO_COLOR: '1' }, undefined, true)).stdout).not.toContain('\u001b[');
    expect((await run(args, {}, undefined, false)).stdout).not.toContain('\u001b[');
    expect((await run([...args, '--no-color'], {}, undefined, true)).stdout).not.toContain('\u001b[');
  });

  it('the table shows the score, each check, and findings with file:line:col', async () => {
    const r = await run([dir]);
    expect(r.stdout).toMatch(/Aggregate score: \d+(\.\d)? \/ 10/);
    expect(r.stdout).toContain('.github/workflows/ci.yml:9:15');
    expect(r.stdout).toContain('Pinned-Dependencies');
  });
});

describe('the installed command', () => {
  const bin = join(ROOT, 'bin', 'slsa-scorecard.js');
  const built = existsSync(join(ROOT, 'dist', 'src', 'cli', 'main.js'));

  it.skipIf(!built && !process.env.CI)('--version, --help and list-checks work from bin/', () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(execFileSync('node', [bin, '--version']).toString().trim()).toBe(pkg.version);
    expect(execFileSync('node', [bin, '--help']).toString()).toContain('Exit codes:');
    expect(execFileSync('node', [bin, 'list-checks']).toString()).toContain('Pinned-Dependencies');
  });
});
