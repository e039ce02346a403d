import { afterAll, describe, expect, it } from 'vitest';
import vulnerabilitiesCheck, { group } from '../../checks/vulnerabilities.js';
import { known, unknown } from '../../src/facts/fact.js';
import type { Vulnerability } from '../../src/facts/platform.js';
import { lockfilesIn } from '../../src/facts/providers/external.js';
import {
  parseCargoLock,
  parseComposerLock,
  parseGemfileLock,
  parseGoMod,
  parseGoSum,
  parsePackageLock,
  parsePnpmLock,
  parsePoetryLock,
  parseRequirements,
  parseYarnLock,
} from '../../src/facts/providers/osv/lockfiles.js';
import { parseOsvConfig } from '../../src/facts/providers/osv/osv-config.js';
import { startFakeServices, type FakeServices, type OsvRecord } from '../fake-services/server.js';
import { memorySource, storeOf } from '../fake-services/source.js';

const vuln = (id: string, aliases: string[], name = 'lodash', path = 'package-lock.json'): Vulnerability => ({
  id,
  aliases,
  package: { ecosystem: 'npm', name, version: '4.17.20' },
  path,
});

const runCheck = (f: Parameters<typeof vulnerabilitiesCheck.run>[0]['vulnerabilities']) =>
  vulnerabilitiesCheck.run({ vulnerabilities: f }, { options: {} });

describe('Vulnerabilities (check)', () => {
  it('10 minus the number of alias groups (probes/hasOSVVulnerabilities group.go), at least 0', () => {
    const vs = [
      vuln('GO-2021-0113', ['CVE-2021-38561', 'GHSA-ppp9-7jff-5vj2'], 'golang.org/x/text', 'go.mod'),
      vuln('GHSA-ppp9-7jff-5vj2', ['CVE-2021-38561'], 'golang.org/x/text', 'go.mod'),
      vuln('GHSA-35jh-r3h4-6jhm', ['CVE-2021-23337']),
      vuln('GHSA-35jh-r3h4-6jhm', ['CVE-2021-23337'], 'lodash', 'web/package-lock.json'),
      vuln('GHSA-29mw-wpgm-hmr9', ['CVE-2020-28500']),
    ];
    const groups = group(vs);
    expect(groups.map((g) => g.id)).toEqual(['GO-2021-0113', 'GHSA-35jh-r3h4-6jhm', 'GHSA-29mw-wpgm-hmr9']);
    const o = runCheck(known(vs));
    expect(o.score).toBe(7);
    expect(o.reason).toBe('3 existing vulnerabilities detected');
    expect(o.findings?.map((f) => [f.rule, f.location?.path])).toEqual([
      ['vulnerableDependency', 'go.mod'],
      ['vulnerableDependency', 'package-lock.json'],
      ['vulnerableDependency', 'package-lock.json'],
    ]);
    expect(o.findings?.[1].message).toContain('also locked in web/package-lock.json');
    expect(o.findings?.[1].remediation?.text).toContain('https://osv.dev/vulnerability/GHSA-35jh-r3h4-6jhm');
    expect(runCheck(known(Array.from({ length: 12 }, (_, i) => vuln(`GHSA-${i}`, [])))).score).toBe(0);
    expect(runCheck(known([])).score).toBe(10);
  });

  it('unknown → inconclusive, never 10', () => {
    const o = runCheck(
      unknown('osv.dev not consulted offline: a local run never uses the network', 'assess the repository on its platform'),
    );
    expect(o.score).toBeNull();
    expect(o.unknowns?.[0]).toMatchObject({ fact: 'vulnerabilities' });
  });
});

describe('lockfile parsers', () => {
  it('package-lock.json v3 and v1', () => {
    const v3 = JSON.stringify({
      lockfileVersion: 3,
      packages: {
        '': { name: 'app', version: '1.0.0' },
        'node_modules/lodash': { version: '4.17.20' },
        'node_modules/a/node_modules/@scope/b': { version: '2.0.0-beta.1' },
        'node_modules/local': { link: true },
        'packages/x': { name: 'x', version: '0.1.0' },
        'node_modules/git-dep': { version: 'git+https://github.com/o/r.git#abc' },
      },
    });
    expect(parsePackageLock(v3).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'lodash@4.17.20',
      '@scope/b@2.0.0-beta.1',
      'x@0.1.0',
    ]);
    const v1 = JSON.stringify({ lockfileVersion: 1, dependencies: { a: { version: '1.0.0', dependencies: { b: { version: '2.0.0' } } } } });
    expect(parsePackageLock(v1).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['a@1.0.0', 'b@2.0.0']);
    expect(parsePackageLock('{').notes[0]).toMatch(/not valid JSON/);
  });

  it('yarn.lock v1 and Berry, pnpm-lock v5, v6 and v9', () => {
    const y1 = `# yarn lockfile v1\n\n"@babel/core@^7.0.0", "@babel/core@^7.1.0":\n  version "7.2.0"\n  resolved "https://x"\n\nlodash@^4.17.0:\n  version "4.17.20"\n`;
    expect(parseYarnLock(y1).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['@babel/core@7.2.0', 'lodash@4.17.20']);
    const berry = `__metadata:\n  version: 6\n\n"lodash@npm:^4.17.0":\n  version: 4.17.20\n  resolution: "lodash@npm:4.17.20"\n\n"app@workspace:.":\n  version: 0.0.0-use.local\n  resolution: "app@workspace:."\n`;
    expect(parseYarnLock(berry).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20']);
    const p5 = `lockfileVersion: 5.4\npackages:\n  /lodash/4.17.20:\n    resolution: {integrity: sha512-x}\n  /@babel/core/7.2.0_react@17.0.2:\n    resolution: {integrity: sha512-y}\n`;
    expect(parsePnpmLock(p5).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20', '@babel/core@7.2.0']);
    const p6 = `lockfileVersion: '6.0'\npackages:\n  /lodash@4.17.20:\n    resolution: {integrity: sha512-x}\n  /@babel/core@7.2.0(react@17.0.2):\n    resolution: {integrity: sha512-y}\n`;
    expect(parsePnpmLock(p6).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20', '@babel/core@7.2.0']);
    const p9 = `lockfileVersion: '9.0'\npackages:\n  lodash@4.17.20:\n    resolution: {integrity: sha512-x}\n  '@scope/x@1.0.0':\n    resolution: {integrity: sha512-y}\n`;
    expect(parsePnpmLock(p9).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['lodash@4.17.20', '@scope/x@1.0.0']);
  });

  it('go.mod, go.sum, Cargo.lock, poetry.lock, requirements.txt, Gemfile.lock, composer.lock', () => {
    const mod = `module example.com/m\n\ngo 1.21\n\nrequire (\n\tgolang.org/x/text v0.3.5 // indirect\n\tgithub.com/a/b v1.2.3+incompatible\n)\nrequire github.com/c/d v0.0.0-20210101000000-abcdef123456\n`;
    expect(parseGoMod(mod).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'golang.org/x/text@0.3.5',
      'github.com/a/b@1.2.3',
      'github.com/c/d@0.0.0-20210101000000-abcdef123456',
    ]);
    const sum = `golang.org/x/text v0.3.5 h1:abc=\ngolang.org/x/text v0.3.5/go.mod h1:def=\ngolang.org/x/text v0.3.0/go.mod h1:ghi=\n`;
    expect(parseGoSum(sum).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['golang.org/x/text@0.3.5']);
    const cargo = `version = 3\n\n[[package]]\nname = "app"\nversion = "0.1.0"\n\n[[package]]\nname = "smallvec"\nversion = "1.6.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\nchecksum = "abc"\n`;
    expect(parseCargoLock(cargo).packages).toEqual([{ ecosystem: 'crates.io', name: 'smallvec', version: '1.6.0' }]);
    const poetry = `[[package]]\nname = "jinja2"\nversion = "2.4.1"\n\n[[package]]\nname = "mylib"\nversion = "0.1.0"\n\n[package.source]\ntype = "git"\nurl = "https://x"\n`;
    expect(parsePoetryLock(poetry).packages).toEqual([{ ecosystem: 'PyPI', name: 'jinja2', version: '2.4.1' }]);
    const req = `# pinned\nJinja2==2.4.1 --hash=sha256:abc \\\n    --hash=sha256:def\nrequests[security]==2.19.0 ; python_version < "3.8"\nflask>=1.0\n-r other.txt\nDjango === 3.2.0\nfoo==1.*\n`;
    expect(parseRequirements(req).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'jinja2@2.4.1',
      'requests@2.19.0',
      'django@3.2.0',
    ]);
    const gem = `GEM\n  remote: https://rubygems.org/\n  specs:\n    nokogiri (1.13.10-x86_64-linux)\n      racc (~> 1.4)\n    rack (2.2.3)\n\nPLATFORMS\n  x86_64-linux\n`;
    expect(parseGemfileLock(gem).packages.map((p) => `${p.name}@${p.version}`)).toEqual(['nokogiri@1.13.10', 'rack@2.2.3']);
    const composer = JSON.stringify({
      packages: [{ name: 'guzzlehttp/guzzle', version: 'v7.4.0' }],
      'packages-dev': [
        { name: 'phpunit/phpunit', version: '9.5.10' },
        { name: 'x/y', version: 'dev-main' },
      ],
    });
    expect(parseComposerLock(composer).packages.map((p) => `${p.name}@${p.version}`)).toEqual([
      'guzzlehttp/guzzle@7.4.0',
      'phpunit/phpunit@9.5.10',
    ]);
  });

  it('osv-scanner.toml ignores, and which files are read', () => {
    const cfg = parseOsvConfig(
      'svc/osv-scanner.toml',
      `[[IgnoredVulns]]\nid = "GHSA-1"\nignoreUntil = 2099-01-01T00:00:00Z\nreason = "not reachable"\n\n[[PackageOverrides]]\nname = "x"\n`,
    );
    expect(cfg).toEqual({
      dir: 'svc',
      path: 'svc/osv-scanner.toml',
      ignored: [{ id: 'GHSA-1', ignoreUntil: '2099-01-01T00:00:00Z', reason: 'not reachable' }],
    });
    const f = (path: string) => ({ path, size: 1, kind: 'file' as const });
    expect(
      lockfilesIn([
        f('go.mod'),
        f('go.sum'),
        f('tools/go.sum'),
        f('node_modules/x/package-lock.json'),
        f('requirements-dev.txt'),
        f('README.md'),
      ]),
    ).toEqual(['go.mod', 'tools/go.sum', 'requirements-dev.txt']);
  });
});

const OSV: OsvRecord[] = [
  {
    id: 'GHSA-35jh-r3h4-6jhm',
    aliases: ['CVE-2021-23337'],
    summary: 'Command Injection in lodash',
    affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, versions: ['4.17.19', '4.17.20'] }],
  },
  {
    id: 'GHSA-29mw-wpgm-hmr9',
    aliases: ['CVE-2020-28500'],
    summary: 'Regular Expression Denial of Service (ReDoS) in lodash',
    affected: [{ package: { ecosystem: 'npm', name: 'lodash' }, versions: ['4.17.20'] }],
  },
  {
    id: 'GO-2021-0113',
    aliases: ['CVE-2021-38561', 'GHSA-ppp9-7jff-5vj2'],
    summary: 'Out-of-bounds read in golang.org/x/text/language',
    affected: [{ package: { ecosystem: 'Go', name: 'golang.org/x/text' }, versions: ['0.3.5'] }],
  },
  {
    id: 'GHSA-ppp9-7jff-5vj2',
    aliases: ['CVE-2021-38561'],
    affected: [{ package: { ecosystem: 'Go', name: 'golang.org/x/text' }, versions: ['0.3.5'] }],
  },
  {
    id: 'RUSTSEC-2021-0003',
    aliases: ['CVE-2021-25900', 'GHSA-43w2-9j62-hq99'],
    summary: 'Buffer overflow in SmallVec::insert_many',
    affected: [{ package: { ecosystem: 'crates.io', name: 'smallvec' }, versions: ['1.6.0'] }],
  },
  {
    id: 'GHSA-462w-v97r-4m45',
    aliases: ['CVE-2019-10906'],
    summary: 'Jinja2 sandbox escape via string formatting',
    affected: [{ package: { ecosystem: 'PyPI', name: 'jinja2' }, versions: ['2.4.1'] }],
  },
];

const REPO_FILES: Record<string, string> = {
  'package-lock.json': JSON.stringify({
    lockfileVersion: 3,
    packages: {
      '': { name: 'app' },
      'node_modules/lodash': { version: '4.17.20' },
      'node_modules/left-pad': { version: '1.3.0' },
      'node_modules/a/node_modules/lodash': { version: '4.17.21' },
    },
  }),
  'svc/go.mod': 'module example.com/svc\n\ngo 1.16\n\nrequire golang.org/x/text v0.3.5\n',
  'svc/go.sum': 'golang.org/x/text v0.3.0 h1:x=\n',
  'Cargo.lock': '[[package]]\nname = "smallvec"\nversion = "1.6.0"\nsource = "registry+https://github.com/rust-lang/crates.io-index"\n',
  'requirements.txt': 'jinja2==2.4.1\n',
  'node_modules/old/package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { 'node_modules/lodash': { version: '4.17.19' } } }),
  'osv-scanner.toml': '[[IgnoredVulns]]\nid = "CVE-2021-25900"\nreason = "insert_many is not used"\n',
  'README.md': '# app\n',
};

describe('vulnerabilities provider (loopback osv.dev)', () => {
  const servers: FakeServices[] = [];
  afterAll(async () => Promise.all(servers.map((s) => s.close())));
  const start = async (...args: Parameters<typeof startFakeServices>) => {
    const s = await startFakeServices(...args);
    servers.push(s);
    return s;
  };

  it('queries the locked versions in one batch, fetches aliases, honours osv-scanner.toml, and counts the requests', async () => {
    const fake = await start({ vulns: OSV });
    const source = memorySource('github', REPO_FILES);
    const f = await storeOf(source, { osvUrl: fake.url }).get('vulnerabilities');
    expect(f.known).toBe(true);
    if (!f.known) return;
    expect(f.value.map((v) => `${v.path} ${v.package.name}@${v.package.version} ${v.id}`)).toEqual([
      'package-lock.json lodash@4.17.20 GHSA-29mw-wpgm-hmr9',
      'package-lock.json lodash@4.17.20 GHSA-35jh-r3h4-6jhm',
      'requirements.txt jinja2@2.4.1 GHSA-462w-v97r-4m45',
      'svc/go.mod golang.org/x/text@0.3.5 GHSA-ppp9-7jff-5vj2',
      'svc/go.mod golang.org/x/text@0.3.5 GO-2021-0113',
    ]);
    expect(f.value.find((v) => v.id === 'GO-2021-0113')).toMatchObject({
      aliases: ['CVE-2021-38561', 'GHSA-ppp9-7jff-5vj2'],
      summary: 'Out-of-bounds read in golang.org/x/text/language',
    });
    const batches = fake.requests.filter((r) => r.path === '/v1/querybatch');
    expect(batches).toHaveLength(1);
    expect((batches[0].body as { queries: unknown[] }).queries).toEqual(
      expect.arrayContaining([
        { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.20' },
        { package: { name: 'lodash', ecosystem: 'npm' }, version: '4.17.21' },
        { package: { name: 'golang.org/x/text', ecosystem: 'Go' }, version: '0.3.5' },
        { package: { name: 'smallvec', ecosystem: 'crates.io' }, version: '1.6.0' },
        { package: { name: 'jinja2', ecosystem: 'PyPI' }, version: '2.4.1' },
      ]),
    );
    expect((batches[0].body as { queries: unknown[] }).queries).toHaveLength(6);
    expect(fake.requests.filter((r) => r.path.startsWith('/v1/vulns/'))).toHaveLength(6);
    expect(source.requests).toMatchObject({ total: 7, rest: 7, retries: 0 });

    const o = runCheck(f);
    expect(o.score).toBe(6); // 2 lodash + 1 jinja2 + 1 x/text (GO and GHSA grouped); smallvec ignored
  });

  it('splits batches at 1000 queries and follows next_page_token', async () => {
    const packages: Record<string, { version: string }> = { '': { version: '1.0.0' } };
    for (let i = 0; i < 1500; i++) packages[`node_modules/p${i}`] = { version: '1.0.0' };
    packages['node_modules/lodash'] = { version: '4.17.20' };
    const fake = await start({ vulns: OSV, pageSize: 1 });
    const source = memorySource('github', { 'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages }) });
    const f = await storeOf(source, { osvUrl: fake.url }).get('vulnerabilities');
    expect(f.known && f.value.map((v) => v.id)).toEqual(['GHSA-29mw-wpgm-hmr9', 'GHSA-35jh-r3h4-6jhm']);
    const batches = fake.requests
      .filter((r) => r.path === '/v1/querybatch')
      .map((r) => (r.body as { queries: Array<{ page_token?: string }> }).queries);
    expect(batches.map((q) => q.length)).toEqual([1000, 501, 1]);
    expect(batches[2][0].page_token).toBeTruthy();
  });

  it('no lockfile → no request, no vulnerability; a failing OSV → unknown; a local run → unknown without a request', async () => {
    const fake = await start({ vulns: OSV, faults: [{ match: /querybatch/, times: 10, status: 500 }] });
    const none = memorySource('gitlab', { 'README.md': 'x' });
    expect(await storeOf(none, { osvUrl: fake.url }).get('vulnerabilities')).toEqual(known([]));
    expect(none.requests.total).toBe(0);

    const failing = await storeOf(memorySource('github', REPO_FILES), { osvUrl: fake.url }).get('vulnerabilities');
    expect(failing).toMatchObject({ known: false, reason: 'osv.dev query failed: osv.dev answered HTTP 500 after 3 attempts' });

    const before = fake.requests.length;
    const local = await storeOf(memorySource('local', REPO_FILES), { osvUrl: fake.url }).get('vulnerabilities');
    expect(local).toMatchObject({ known: false, reason: 'osv.dev not consulted offline: a local run never uses the network' });
    expect(fake.requests.length).toBe(before);
    expect(runCheck(local).score).toBeNull();
  });

  it('a 429 with Retry-After is waited out', async () => {
    const fake = await start({ vulns: OSV, faults: [{ match: /querybatch/, times: 1, status: 429, retryAfter: '0' }] });
    const source = memorySource('github', { 'requirements.txt': 'jinja2==2.4.1\n' });
    const f = await storeOf(source, { osvUrl: fake.url }).get('vulnerabilities');
    expect(f.known && f.value.map((v) => v.id)).toEqual(['GHSA-462w-v97r-4m45']);
    expect(source.requests).toMatchObject({ total: 3, retries: 1 });
  });
});
