/**
 * Reports from the command line: several `-o FILE` outputs (format from the extension) rendered
 * from one assessment in one run, the README snippet for badges, and `--template DIR`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { Writable } from 'node:stream';
import { main, type Io } from '../../src/cli/main.js';
import { gitEnv, tempTree } from '../helpers/facts.js';
import { checkXml } from './xml.js';

async function run(args: string[], cwd: string) {
  let out = '';
  let err = '';
  const stream = (sink: (s: string) => void) =>
    new Writable({
      write(chunk, _e, cb) {
        sink(String(chunk));
        cb();
      },
    });
  const io: Io = { stdout: stream((s) => (out += s)), stderr: stream((s) => (err += s)), env: {}, cwd };
  const code = await main(args, io);
  return { code, stdout: out, stderr: err };
}

describe('report outputs from the CLI', () => {
  let dir: string;
  let cleanup: () => void;
  let head: string;

  beforeAll(() => {
    const t = tempTree({
      '.github/workflows/ci.yml':
        'on: push\npermissions: read-all\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n',
      'README.md': '# x\n',
    });
    dir = t.dir;
    cleanup = t.cleanup;
    const g = (...a: string[]) => execFileSync('git', a, { cwd: dir, stdio: 'pipe', env: gitEnv() }).toString().trim();
    g('init', '-q', '-b', 'main');
    g('remote', 'add', 'origin', 'git@github.com:acme/widget.git');
    g('add', '-A');
    g('commit', '-q', '-m', 'x');
    head = g('rev-parse', 'HEAD');
  });
  afterAll(() => cleanup?.());

  it('one run writes md, html, sarif, badge, shields and json, each format from its extension', async () => {
    const out = join(dir, 'out');
    const files = ['r.md', 'r.html', 'r.sarif.json', 'badge.svg', 'b.shields.json', 'r.json'];
    const r = await run(['.', ...files.flatMap((f) => ['-o', join('out', f)])], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    const read = (f: string) => readFileSync(join(out, f), 'utf8');
    const json = JSON.parse(read('r.json'));
    expect(read('r.md')).toMatch(/^# slsa-scorecard report: acme\/widget\n/);
    expect(read('r.md')).toContain(`https://github.com/acme/widget/blob/${head}/.github/workflows/ci.yml#L7`);
    expect(read('r.html')).toMatch(/^<!doctype html>/);
    const sarif = JSON.parse(read('r.sarif.json'));
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].versionControlProvenance[0]).toMatchObject({ repositoryUri: 'https://github.com/acme/widget', revisionId: head });
    checkXml(read('badge.svg'));
    expect(JSON.parse(read('b.shields.json'))).toMatchObject({ schemaVersion: 1, label: 'slsa-scorecard' });
    // All from the one assessment.
    expect(read('r.md')).toContain(`Score ${json.score} / 10`);
    expect(JSON.parse(read('b.shields.json')).message.startsWith(String(json.score))).toBe(true);
    // Written atomically: no temporary files left behind.
    expect(readdirSync(out).sort()).toEqual([...files].sort());
    // README snippets for both badges, with the raw URL of the committed file.
    expect(r.stderr).toContain('  ![slsa-scorecard](out/badge.svg)');
    expect(r.stderr).toContain(
      `  ![slsa-scorecard](https://img.shields.io/endpoint?url=${encodeURIComponent('https://raw.githubusercontent.com/acme/widget/main/out/b.shields.json')})`,
    );
  });

  it('--quiet prints no snippet; a badge on stdout gets a placeholder path', async () => {
    expect((await run(['.', '-o', 'q.svg', '-q'], dir)).stderr).toBe('');
    const r = await run(['.', '--format', 'shields'], dir);
    expect(JSON.parse(r.stdout).schemaVersion).toBe(1);
    expect(r.stderr).toContain('https://img.shields.io/endpoint?url=<URL-encoded public URL of the JSON file>');
  });

  it('--template DIR overrides templates by file name; {{x}} stays escaped in the user template', async () => {
    const tpl = join(dir, '.git', 'tpl');
    mkdirSync(join(tpl, 'partials'), { recursive: true });
    writeFileSync(
      join(tpl, 'report.md.hbs'),
      'Custom {{title}} {{score.text}} {{#each checks}}[{{name}}]{{/each}} {{> md-target}}\n{{tool.name}}: {{target.commitShort}} <{{oneLine "a*b"}}>\n',
    );
    writeFileSync(join(tpl, 'partials', 'styles.html.hbs'), 'body { color: rebeccapurple; }');
    const r = await run(['.', '--template', tpl, '-o', 'c.md', '-o', 'c.html'], dir);
    expect(r.code, r.stderr).toBe(0);
    const md = readFileSync(join(dir, 'c.md'), 'utf8');
    expect(md).toMatch(/^Custom acme\/widget \S+ \[Binary-Artifacts\]/);
    expect(md).toContain('Repository [acme/widget](https://github.com/acme/widget)');
    expect(md).toContain('<a\\*b>');
    const html = readFileSync(join(dir, 'c.html'), 'utf8');
    expect(html).toContain('body { color: rebeccapurple; }');
    expect(html).toContain('class="ladder"');
  });

  it('--template errors are usage errors with a clear message', async () => {
    let r = await run(['.', '--template', 'nope', '-o', 'x.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('slsa-scorecard: --template nope: no such directory\n');
    r = await run(['.', '--template', 'README.md', '-o', 'x.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--template README.md: not a directory');
    const empty = join(dir, '.git', 'empty-tpl');
    mkdirSync(empty, { recursive: true });
    r = await run(['.', '--template', empty, '-o', 'x.md'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('holds none of report.md.hbs, report.html.hbs or partials/');
    const broken = join(dir, '.git', 'broken-tpl');
    mkdirSync(broken, { recursive: true });
    writeFileSync(join(broken, 'report.md.hbs'), '{{#each checks}}unclosed');
    r = await run(['.', '--template', broken, '-o', 'x.md', '-o', 'x.json'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^slsa-scorecard: --template .*broken-tpl: Parse error/);
    // Nothing was written: every output renders before any is written.
    expect(existsSync(join(dir, 'x.json'))).toBe(false);
  });
});
