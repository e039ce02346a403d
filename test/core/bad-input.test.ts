/**
 * Hostile and broken input: every case yields a finding or a diagnostic, never a crash or hang,
 * and the rest of the assessment still completes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { assess, type Assessment } from '../../src/assessment.js';
import { LocalSource } from '../../src/sources/local/index.js';
import { builtinChecks } from '../../checks/index.js';
import { gitEnv, tempTree } from '../helpers/facts.js';

const GOOD_WF = 'on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n';

function aliasBomb(): string {
  const l = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 10; i++) {
    const p = String.fromCharCode(96 + i);
    l.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${p}`).join(',')}]`);
  }
  l.push('on: push', 'jobs:', '  j:', '    runs-on: *j', '    steps:', '      - run: echo *j');
  return l.join('\n');
}

describe('bad input in a git checkout', () => {
  let dir: string;
  let cleanup: () => void;
  let a: Assessment;
  const asRoot = process.getuid?.() === 0;

  beforeAll(async () => {
    const t = tempTree({
      '.github/workflows/good.yml': GOOD_WF,
      '.github/workflows/malformed.yml': 'on: [push\njobs:\n  a: {runs-on: x\n',
      '.github/workflows/bomb.yml': aliasBomb(),
      '.github/workflows/junk.yml': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 1, 2, 3, 0xff, 0xfe, 0, 0]),
      '.github/workflows/badutf8.yml': Buffer.concat([
        Buffer.from('on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo '),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from('\n'),
      ]),
      '.github/workflows/secret.yml': GOOD_WF,
      Dockerfile: 'FROM\nRUN \\',
      '.gitlab-ci.yml': 'include: [{local: ../../../etc/passwd}]\njob:\n  script: !!binary AAAA\n',
      'weird name\twith tab & <script>.txt': 'x',
      'ünïcödé/файл.sh': '#!/bin/sh\ncurl https://x | sh\n',
    });
    dir = t.dir;
    cleanup = t.cleanup;
    // A 50 MB "workflow" and a 50 MB data file.
    const big = Buffer.alloc(50 * 1024 * 1024, 0x61);
    writeFileSync(join(dir, '.github/workflows/huge.yml'), big);
    writeFileSync(join(dir, 'big.dat'), big);
    // Symlinks leaving the repository: never followed.
    symlinkSync('/etc/passwd', join(dir, '.github/workflows/link.yml'));
    symlinkSync('/etc/passwd', join(dir, 'SECURITY.md'));
    symlinkSync('/etc', join(dir, 'etc-dir'));
    mkdirSync(join(dir, 'sub'));
    const g = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe', env: gitEnv() });
    g('init', '-q', '-b', 'main');
    g('add', '-A');
    g('commit', '-q', '-m', 'bad input');
    chmodSync(join(dir, '.github/workflows/secret.yml'), 0o000);
    const started = Date.now();
    a = await assess(new LocalSource(dir), { checks: [...builtinChecks] });
    expect(Date.now() - started).toBeLessThan(20_000);
  }, 60_000);
  afterAll(() => {
    chmodSync(join(dir, '.github/workflows/secret.yml'), 0o644);
    cleanup();
  });

  const diag = (re: RegExp) => a.diagnostics.filter((d) => re.test(`${d.path ?? ''} ${d.message}`));

  it('every check still produces a result', () => {
    expect(a.checks.map((c) => c.name).sort()).toEqual(builtinChecks.map((c) => c.id).sort());
    for (const c of a.checks) expect(c.reason, c.name).not.toMatch(/internal error/);
  });

  it('malformed YAML is reported with its position', () => {
    expect(diag(/malformed\.yml:\d+:\d+ invalid YAML/).length).toBeGreaterThan(0);
    const tp = a.checks.find((c) => c.name === 'Token-Permissions')!;
    expect(tp.findings.some((f) => f.rule === 'fileNotAnalyzed' && f.location?.path === '.github/workflows/malformed.yml')).toBe(true);
  });

  it('binary junk named .yml, invalid UTF-8 and a 50 MB file are reported, not parsed', () => {
    expect(diag(/junk\.yml.*binary content/)).toHaveLength(1);
    expect(diag(/badutf8\.yml:6:\d+ not valid UTF-8/)).toHaveLength(1);
    expect(diag(/huge\.yml.*50 MB, over the 1 MB read limit/)).toHaveLength(1);
  });

  it('the alias bomb is parsed within bounds (no hang, no crash)', () => {
    const pd = a.checks.find((c) => c.name === 'Pinned-Dependencies')!;
    expect(pd.score === null || typeof pd.score === 'number').toBe(true);
  });

  it('symlinks out of the repository are never followed', () => {
    expect(diag(/link\.yml.*symbolic link \(not followed\)/)).toHaveLength(1);
    const json = JSON.stringify(a);
    expect(json).not.toContain('root:x:0:0'); // /etc/passwd content never read
    const sp = a.checks.find((c) => c.name === 'Security-Policy')!;
    expect(sp.score === null || sp.score === 0).toBe(true);
  });

  it('an include path leaving the repository is refused', () => {
    expect(diag(/local include `\.\.\/\.\.\/\.\.\/etc\/passwd` was not found/)).toHaveLength(1);
  });

  it.skipIf(asRoot)('an unreadable file is reported', () => {
    expect(diag(/secret\.yml.*cannot read: EACCES/)).toHaveLength(1);
  });

  it('strange names survive into the output', () => {
    const json = JSON.stringify(a);
    expect(json).toContain('ünïcödé/файл.sh');
  });
});

describe('a directory that is not a git repository', () => {
  it('is walked; git-only facts are unknown with the reason', async () => {
    const t = tempTree({
      '.github/workflows/ci.yml': GOOD_WF,
      LICENSE: 'MIT License\n\nPermission is hereby granted, free of charge, to any person obtaining a copy',
    });
    try {
      const a = await assess(new LocalSource(t.dir), { checks: [...builtinChecks] });
      expect(a.target.commit).toBeNull();
      const tags = a.checks.find((c) => c.name === 'Signed-Tags')!;
      expect(tags.score).toBeNull();
      expect(tags.unknowns.concat(a.unknowns as never[]).some((u) => /not a git repository/.test(u.reason))).toBe(true);
      expect(a.checks.find((c) => c.name === 'License')!.score).toBe(10);
    } finally {
      t.cleanup();
    }
  });
});
