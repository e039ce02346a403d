/** The GitHub source's pure parts: tarball reader, redaction, protection merging, endpoints. */
import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, test } from 'vitest';
import { readTar, readTarball, TarError } from '../../../src/sources/github/tarball.js';
import { Redactor } from '../../../src/sources/github/redact.js';
import { mergeProtection } from '../../../src/sources/github/protection.js';
import { githubEndpoints, tokenFrom } from '../../../src/sources/github/index.js';
import { known, unknown } from '../../../src/facts/fact.js';
import { makeTarball } from '../../fake-github/tar.js';
import { startFakeGitHub } from '../../fake-github/server.js';
import { rulesetsScenario, TOKENS } from '../../fake-github/scenarios.js';

describe('tarball', () => {
  test('reads files, symlinks, long names (pax and ustar prefix) and the commit; strips the top directory', () => {
    const long = `${'deep/'.repeat(30)}file.txt`;
    const medium = `${'d'.repeat(60)}/${'e'.repeat(60)}/x.yml`;
    const tgz = makeTarball('o-r-abc1234', 'a'.repeat(40), {
      'a.txt': 'hello',
      [long]: 'long',
      [medium]: 'medium',
      'bin/tool': Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]),
      link: { symlink: '../../etc/passwd' },
    });
    const t = readTarball(tgz);
    expect(t.commit).toBe('a'.repeat(40));
    expect([...t.entries.keys()].sort()).toEqual(['a.txt', 'bin/tool', 'link', long, medium].sort());
    expect(t.entries.get('a.txt')!.data.toString()).toBe('hello');
    expect(t.entries.get(long)!.data.toString()).toBe('long');
    expect(t.entries.get(medium)!.data.toString()).toBe('medium');
    expect(t.entries.get('link')).toMatchObject({ kind: 'symlink' });
    expect(t.entries.get('bin/tool')!.data[0]).toBe(0x7f);
  });

  test('hostile archives: unsafe paths skipped, corrupt or truncated archives and decompression bombs refused', () => {
    const tgz = makeTarball('o-r-1', 'b'.repeat(40), { 'ok.txt': 'x' });
    const tar = gunzipSync(tgz);
    // Rename ok.txt to ../escape by rewriting the header (and its checksum).
    const i = tar.indexOf('o-r-1/ok.txt');
    const h = Buffer.from(tar.subarray(i, i + 512));
    h.fill(0, 0, 100);
    h.write('o-r-1/../escape', 0);
    h.write('        ', 148);
    let sum = 0;
    for (const b of h) sum += b;
    h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148);
    const evil = Buffer.concat([tar.subarray(0, i), h, tar.subarray(i + 512)]);
    const t = readTar(evil);
    expect(t.entries.size).toBe(0);
    expect(t.issues[0]).toMatch(/unsafe path/);
    expect(() => readTar(Buffer.concat([tar.subarray(0, i), Buffer.alloc(512, 1)]))).toThrow(TarError);
    expect(() => readTarball(Buffer.from('not gzip'))).toThrow(/not a valid gzip/);
    const bomb = gzipSync(Buffer.alloc(4 * 1024 * 1024));
    expect(() => readTarball(bomb, 1024 * 1024)).toThrow(/larger than 1 MB/);
  });
});

test('the redactor removes the token in every form it may be echoed in', () => {
  const t = 'ghp_SECRET000000000000000000000000000000';
  const r = new Redactor([t, undefined, '']);
  const b64 = Buffer.from(t).toString('base64');
  expect(r.text(`Authorization: token ${t}; basic ${b64}; url ?access_token=${encodeURIComponent(t)}`)).toBe(
    'Authorization: token [REDACTED]; basic [REDACTED]; url ?access_token=[REDACTED]',
  );
  expect(r.error(new Error(`bad ${t}`))).toBe('bad [REDACTED]');
  expect(new Redactor([]).text('nothing')).toBe('nothing');
});

describe('protection merging', () => {
  const none = { branch: 'main', isDefault: true, rules: known([]), classic: known(null), refUpdateRule: known(null), rulesets: known([]) };

  test('nothing protects the branch: every setting known and open', () => {
    const p = mergeProtection(none);
    expect(p.protected).toEqual(known(false));
    expect(p.allowForcePush).toEqual(known(true));
    expect(p.requiredApprovals).toEqual(known(0));
    expect(p.enforceAdmins).toEqual(known(false));
    expect(p.sources).toEqual([]);
  });

  test('a ruleset with bypass actors does not enforce for admins; one whose bypass list is hidden is unknown', () => {
    const rules = known([{ type: 'pull_request', ruleset_id: 5, parameters: { required_approving_review_count: 1 } }]);
    const rs = (bypass: { totalCount: number } | null) =>
      known([
        {
          databaseId: 5,
          name: 'r',
          enforcement: 'ACTIVE' as const,
          target: 'BRANCH' as const,
          source: { __typename: 'Repository' },
          conditions: { refName: null },
          bypassActors: bypass,
        },
      ]);
    expect(mergeProtection({ ...none, rules, rulesets: rs({ totalCount: 2 }) }).enforceAdmins).toEqual(known(false));
    expect(mergeProtection({ ...none, rules, rulesets: rs({ totalCount: 0 }) }).enforceAdmins).toEqual(known(true));
    expect(mergeProtection({ ...none, rules, rulesets: rs(null) }).enforceAdmins).toMatchObject({
      known: false,
      needs: expect.stringContaining('Administration'),
    });
  });

  test('rules-for-branch failing makes its settings unknown, but what classic protection shows stays known', () => {
    const p = mergeProtection({
      ...none,
      rules: unknown('timed out after 30 s'),
      refUpdateRule: known({
        allowsDeletions: false,
        allowsForcePushes: false,
        requiredApprovingReviewCount: 2,
        requiredStatusCheckContexts: [],
        requiresCodeOwnerReviews: false,
        requiresLinearHistory: false,
        requiresSignatures: false,
      }),
      classic: unknown('hidden', 'admin'),
    });
    expect(p.allowForcePush).toEqual(known(false)); // classic blocks it, whatever the rules say
    expect(p.requiredApprovals).toEqual(known(2)); // a lower bound
    expect(p.requireSignedCommits).toMatchObject({ known: false, reason: 'timed out after 30 s' });
  });
});

test('endpoints: github.com, GHES (api/v3 → api/graphql), explicit URL, GitHub Actions variables; tokens from GITHUB_TOKEN or GH_TOKEN', () => {
  expect(githubEndpoints({ env: {}, host: 'github.com' })).toEqual({
    apiUrl: 'https://api.github.com',
    graphqlUrl: 'https://api.github.com/graphql',
  });
  expect(githubEndpoints({ env: {}, host: 'ghe.example.com' })).toEqual({
    apiUrl: 'https://ghe.example.com/api/v3',
    graphqlUrl: 'https://ghe.example.com/api/graphql',
  });
  expect(
    githubEndpoints({
      env: { GITHUB_API_URL: 'https://ghe.corp/api/v3', GITHUB_GRAPHQL_URL: 'https://ghe.corp/api/graphql' },
      host: 'ghe.corp',
    }),
  ).toEqual({
    apiUrl: 'https://ghe.corp/api/v3',
    graphqlUrl: 'https://ghe.corp/api/graphql',
  });
  expect(
    githubEndpoints({ env: { GITHUB_GRAPHQL_URL: 'https://elsewhere/graphql' }, githubApiUrl: 'http://127.0.0.1:9/', host: 'github.com' }),
  ).toEqual({
    apiUrl: 'http://127.0.0.1:9',
    graphqlUrl: 'http://127.0.0.1:9/graphql',
  });
  expect(tokenFrom({ GH_TOKEN: ' t2 ' })).toBe('t2');
  expect(tokenFrom({ GITHUB_TOKEN: 't1', GH_TOKEN: 't2' })).toBe('t1');
  expect(tokenFrom({ GITHUB_TOKEN: '' })).toBeUndefined();
});

test('the fake paginates with Link headers and sends rate-limit headers and ETags like GitHub', async () => {
  const fake = await startFakeGitHub({ scenarios: [rulesetsScenario()] });
  try {
    const headers = { authorization: `token ${TOKENS.read}` };
    const r = await fetch(`${fake.url}/repos/acme/widget/commits?per_page=5&page=2`, { headers });
    expect(((await r.json()) as unknown[]).length).toBe(5);
    expect(r.headers.get('link')).toMatch(/page=3>; rel="next", <.*page=3>; rel="last", <.*page=1>; rel="first", <.*page=1>; rel="prev"/);
    expect(r.headers.get('x-ratelimit-limit')).toBe('5000');
    const etag = r.headers.get('etag')!;
    const again = await fetch(`${fake.url}/repos/acme/widget/commits?per_page=5&page=2`, {
      headers: { ...headers, 'if-none-match': etag },
    });
    expect(again.status).toBe(304);
    const anon = await fetch(`${fake.url}/graphql`, { method: 'POST', body: JSON.stringify({ query: '{ viewer { login } }' }) });
    expect(anon.status).toBe(401);
    expect(await anon.json()).toMatchObject({ message: 'This endpoint requires you to be authenticated.' });
  } finally {
    await fake.close();
  }
});
