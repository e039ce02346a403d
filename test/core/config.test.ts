import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { compileGlobs } from '../../src/util/glob.js';

describe('config', () => {
  it('accepts a full configuration', () => {
    const c = parseConfig(
      '.slsa-scorecard.yml',
      [
        'select: [Pinned-Dependencies, Binary-Artifacts]',
        'ignore: [vendor/]',
        'failUnder: 6.5',
        'checks:',
        '  Binary-Artifacts:',
        '    ignore: ["test/fixtures/**"]',
        '  Signed-Tags:',
        '    enabled: false',
        '    options: {recent: 5}',
      ].join('\n'),
    );
    expect(c.config).toEqual({
      select: ['Pinned-Dependencies', 'Binary-Artifacts'],
      ignore: ['vendor/'],
      failUnder: 6.5,
      checks: { 'Binary-Artifacts': { ignore: ['test/fixtures/**'] }, 'Signed-Tags': { enabled: false, options: { recent: 5 } } },
    });
    expect(c.where(['checks', 'Signed-Tags'])).toBe('.slsa-scorecard.yml:7:3');
  });

  it.each([
    ['unknown top-level key', 'selec: [x]\n', /\.slsa-scorecard\.yml:1:1: unknown key `selec`/],
    [
      'wrong type names file:line:col and key',
      'checks:\n  Binary-Artifacts:\n    ignore: test/**\n',
      /\.slsa-scorecard\.yml:3:5: `checks\.Binary-Artifacts\.ignore` must be array/,
    ],
    ['unknown per-check key', 'checks:\n  License:\n    ignroe: [x]\n', /\.slsa-scorecard\.yml:3:5: unknown key `checks\.License\.ignroe`/],
    ['out of range', 'failUnder: 11\n', /:1:1?\d*: `failUnder` must be <= 10/],
    ['invalid YAML', 'select: [a\n', /\.slsa-scorecard\.yml:\d+:\d+: invalid YAML/],
    ['duplicate keys', 'skip: [a]\nskip: [b]\n', /invalid YAML/],
  ])('%s', (_name, text, msg) => {
    expect(() => parseConfig('.slsa-scorecard.yml', text)).toThrow(ConfigError);
    expect(() => parseConfig('.slsa-scorecard.yml', text)).toThrow(msg);
  });

  it('an empty file is the defaults', () => {
    expect(parseConfig('x.yml', '').config).toEqual({});
  });
});

describe('globs', () => {
  it.each([
    ['vendor/', 'vendor/a/b.go', true],
    ['vendor/', 'src/vendor/a.go', false],
    ['testdata', 'a/testdata/x.bin', true],
    ['*.bin', 'deep/dir/x.bin', true],
    ['/root.bin', 'sub/root.bin', false],
    ['/root.bin', 'root.bin', true],
    ['test/fixtures/**', 'test/fixtures/a/b', true],
    ['test/fixtures/**', 'test/fixturesX/a', false],
    ['docs/*.md', 'docs/a/b.md', false],
    ['**/gen/*.js', 'a/b/gen/x.js', true],
  ])('%s matches %s: %s', (glob, path, expected) => {
    expect(compileGlobs([glob])(path)).toBe(expected);
  });
});
