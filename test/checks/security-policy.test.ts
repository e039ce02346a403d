import { describe, expect, it } from 'vitest';
import { chmodSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import check, { assessPolicy, collectPolicyHits } from '../../checks/security-policy.js';
import { createFactStore, evaluateCheck } from '../../src/engine.js';
import { known } from '../../src/facts/fact.js';
import { LocalSource } from '../../src/sources/local/index.js';
import { runCheckOnDir } from '../helpers/facts.js';
import { COMPAT_DIR, compatCases, useTempTrees } from '../helpers/shared.js';

const CASES = COMPAT_DIR;
const cases = compatCases(check.id);

const tree = useTempTrees();

const FULL = `# Security Policy

Report vulnerabilities to security@example.com or via https://example.com/security.
We acknowledge reports within 3 days and publish a disclosure within 90 days.
`;

describe('Security-Policy: Scorecard parity cases', () => {
  it('has the cases', () => expect(cases.length).toBe(8));
  it.each(cases.map((c) => [c.id, c] as const))('%s', async (_id, c) => {
    const r = await runCheckOnDir(check, join(CASES, c.dir));
    if (c.compare === 'score') expect(r.score).toBe(c.expected === -1 ? null : c.expected);
    else expect(r.findings.filter((f) => !c.rules || c.rules.includes(f.rule)).length).toBe(c.expected);
  });
});

describe("Security-Policy content probes (Scorecard's collectPolicyHits)", () => {
  it('finds URLs, emails and disclosure hints with their line and column', () => {
    expect(collectPolicyHits('see https://x.org/a?b=1 now\r\nmail a.b@ex.io\nvuln 12345 Disclosure\n')).toEqual([
      { kind: 'link', match: 'https://x.org/a?b=1', line: 1, column: 5 },
      { kind: 'text', match: '1', line: 1, column: 23 },
      { kind: 'email', match: 'a.b@ex.io', line: 2, column: 6 },
      { kind: 'text', match: 'vuln', line: 3, column: 1 },
      { kind: 'text', match: '2345', line: 3, column: 7 },
      { kind: 'text', match: 'Disclos', line: 3, column: 12 },
    ]);
  });

  it('scores links 6, text 3, disclosure 1', () => {
    expect(assessPolicy(Buffer.byteLength(FULL), FULL).score).toBe(10);
    // Only a link, and nothing else: no text beyond the link (size ≤ link length + 2).
    expect(assessPolicy(29, 'https://security.example.com\n').score).toBe(6);
    // Duplicate links count once, in the link length too.
    const dup = 'https://a.io\nhttps://a.io\n';
    expect(assessPolicy(dup.length, dup)).toMatchObject({ hasLinks: true, hasText: true });
    // One disclosure hint is not enough; two are.
    expect(assessPolicy(20, 'a vulnerability here').hasDisclosure).toBe(false);
    expect(assessPolicy(30, 'vulnerability disclosure here').hasDisclosure).toBe(true);
    // An empty or 1-byte file has no text.
    expect(assessPolicy(0, '').score).toBe(0);
    expect(assessPolicy(1, '\n').score).toBe(0);
  });
});

describe('Security-Policy', () => {
  it('scores 10 for a complete policy and reports no findings, only evidence', async () => {
    const r = await runCheckOnDir(check, tree({ 'SECURITY.md': FULL }));
    expect(r.score).toBe(10);
    expect(r.findings).toEqual([]);
    expect(r.evidence).toEqual([
      expect.objectContaining({ kind: 'securityPolicy', location: { path: 'SECURITY.md' } }),
      expect.objectContaining({
        kind: 'securityContactUrl',
        message: 'https://example.com/security.',
        location: { path: 'SECURITY.md', line: 3, column: 55 },
      }),
      expect.objectContaining({
        kind: 'securityContactEmail',
        message: 'security@example.com',
        location: { path: 'SECURITY.md', line: 3, column: 27 },
      }),
    ]);
  });

  it('no policy: 0 with a single finding', async () => {
    const r = await runCheckOnDir(check, tree({ 'README.md': '# x\n', 'src/SECURITY.md': FULL }));
    expect(r.score).toBe(0);
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'noSecurityPolicy', severity: 'medium' })]);
    expect(r.findings[0].location).toBeUndefined();
    // Offline, the organisation-wide policy (<owner>/.github) is unknown, not absent.
    expect(r.unknowns.map((u) => u.fact)).toContain('orgSecurityPolicy');
  });

  it('reports each missing part of a policy as a finding; the score follows from them', async () => {
    const r = await runCheckOnDir(check, tree({ '.github/SECURITY.md': 'Please be nice and tell us about problems.\n' }));
    expect(r.score).toBe(3);
    expect(r.findings.map((f) => [f.rule, f.location])).toEqual([
      ['noContactLink', { path: '.github/SECURITY.md' }],
      ['noDisclosureText', { path: '.github/SECURITY.md' }],
    ]);
  });

  it('recognises every Scorecard location and extension, case-insensitively', async () => {
    for (const p of ['security.markdown', 'Docs/Security.ADOC', '.github/security.rst', 'doc/security.rst', 'DOCS/SECURITY.MD']) {
      const r = await runCheckOnDir(check, tree({ [p]: FULL }));
      expect([p, r.score]).toEqual([p, 10]);
    }
    for (const p of ['doc/security.md', 'SECURITY.txt', 'SECURITY', '.gitlab/SECURITY.md', 'security/README.md']) {
      const r = await runCheckOnDir(check, tree({ [p]: FULL }));
      expect([p, r.score]).toEqual([p, 0]);
    }
  });

  it('judges the policy GitHub would show: .github/ before the root before docs/', async () => {
    const r = await runCheckOnDir(check, tree({ 'SECURITY.md': FULL, '.github/SECURITY.md': 'short\n', 'docs/SECURITY.md': FULL }));
    expect(r.score).toBe(3);
    expect(r.evidence[0]).toMatchObject({ location: { path: '.github/SECURITY.md' } });
  });

  it('judges a 50 MB policy on its head, without reading it whole', async () => {
    const big = Buffer.alloc(50 * 1024 * 1024, 'lorem ipsum\n');
    big.write(FULL);
    const r = await runCheckOnDir(check, tree({ 'SECURITY.md': big }));
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ kind: 'securityPolicy', location: { path: 'SECURITY.md' } });
    expect(r.findings).toEqual([
      expect.objectContaining({
        rule: 'fileNotAnalyzed',
        severity: 'info',
        location: { path: 'SECURITY.md', line: 1, column: 1 },
        message: expect.stringContaining('only the first 1048576 bytes of 52428800 were read'),
      }),
    ]);
  });

  it('never follows a symlinked policy; with nothing else readable the check is inconclusive', async () => {
    const outside = tree({ 'policy.md': FULL });
    const dir = tree({ 'README.md': 'x\n' });
    symlinkSync(join(outside, 'policy.md'), join(dir, 'SECURITY.md'));
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBeNull();
    expect(r.reason).toBe('security policy SECURITY.md could not be read');
    expect(r.findings).toEqual([
      expect.objectContaining({ rule: 'fileNotAnalyzed', location: { path: 'SECURITY.md', line: 1, column: 1 } }),
    ]);
    expect(r.unknowns).toEqual(
      expect.arrayContaining([expect.objectContaining({ fact: 'securityPolicies', reason: 'symbolic link, not followed' })]),
    );
  });

  it('a symlinked policy gives way to a readable one', async () => {
    const dir = tree({ 'docs/SECURITY.md': FULL });
    symlinkSync('docs/SECURITY.md', join(dir, 'SECURITY.md'));
    const r = await runCheckOnDir(check, dir);
    expect(r.score).toBe(10);
    expect(r.evidence[0]).toMatchObject({ location: { path: 'docs/SECURITY.md' } });
  });

  it('an unreadable policy makes the check inconclusive, never a crash', async () => {
    const dir = tree({ 'SECURITY.md': FULL });
    chmodSync(join(dir, 'SECURITY.md'), 0o000);
    const r = await runCheckOnDir(check, dir);
    // root reads through chmod 000, so the file is simply read there.
    if (process.getuid?.() === 0) expect(r.score).toBe(10);
    else {
      expect(r.score).toBeNull();
      expect(r.unknowns).toEqual(
        expect.arrayContaining([expect.objectContaining({ fact: 'securityPolicies', reason: expect.stringContaining('EACCES') })]),
      );
    }
  });

  it('binary junk in a policy is an issue, not a crash', async () => {
    const r = await runCheckOnDir(check, tree({ 'SECURITY.md': Buffer.from([0x00, 0x01, 0x02, 0xff]) }));
    expect(r.score).toBeNull();
    expect(r.reason).toContain('could not be read');
  });

  it('falls back to the organisation-wide policy (<owner>/.github) when a source provides it', async () => {
    const withOrg = (dir: string) => {
      const source = new LocalSource(dir);
      source.providers.orgSecurityPolicy = async () =>
        known({
          path: 'SECURITY.md',
          url: 'https://github.com/acme/.github/blob/HEAD/SECURITY.md',
          size: 27,
          text: 'Mail security@acme.org now\n',
          issues: [],
        });
      return evaluateCheck(check, createFactStore(source));
    };
    const r = await withOrg(tree({ 'README.md': 'x\n' }));
    expect(r.score).toBe(9);
    expect(r.reason).toBe('security policy file detected in https://github.com/acme/.github/blob/HEAD/SECURITY.md');
    expect(r.findings).toEqual([expect.objectContaining({ rule: 'noDisclosureText' })]);
    expect(r.findings[0].location).toBeUndefined();
    expect(r.unknowns).toEqual([]);
    // A policy in the repository itself wins over the organisation's.
    expect((await withOrg(tree({ 'SECURITY.md': FULL }))).score).toBe(10);
  });
});
