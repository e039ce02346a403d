import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import signedTags from '../../checks/signed-tags.js';
import { gitEnv, runCheckOnDir, tempTree } from '../helpers/facts.js';
import { hasSshKeygen, isolateGitConfig, sshKey } from '../helpers/signing.js';

if (!hasSshKeygen) console.warn('Signed-Tags: ssh-keygen is not installed, so the signed-tag tests are skipped');

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
isolateGitConfig();

function repo() {
  const t = tempTree({ 'README.md': 'x\n' }, { git: true });
  cleanups.push(t.cleanup);
  let day = 1;
  const git = (args: string[], input?: string) =>
    execFileSync('git', args, {
      cwd: t.dir,
      input,
      encoding: 'utf8',
      stdio: ['pipe', 'pipe', 'pipe'],
      // Distinct, increasing dates so "newest first" is well defined.
      env: {
        ...gitEnv(),
        GIT_COMMITTER_DATE: `2024-01-${String(day).padStart(2, '0')}T12:00:00Z`,
        GIT_AUTHOR_DATE: `2024-01-${String(day).padStart(2, '0')}T12:00:00Z`,
      },
    }).trim();
  const next = () => {
    day++;
    git(['commit', '-q', '--allow-empty', '-m', `c${day}`]);
  };
  git(['commit', '-q', '--amend', '--no-edit', '--allow-empty', '--date', '2024-01-01T12:00:00Z']);
  return { dir: t.dir, git, next };
}

describe.skipIf(!hasSshKeygen)('Signed-Tags on real git repositories', () => {
  const key = hasSshKeygen ? sshKey(cleanups) : { pub: '', allowed: '' };

  /** v0.1.0 lightweight, v0.2.0 annotated, v0.3.0 and v0.4.0 SSH-signed, plus a non-release tag. */
  function mixed() {
    const r = repo();
    const sign = (name: string) => r.git(['-c', 'gpg.format=ssh', '-c', `user.signingkey=${key.pub}`, 'tag', '-s', name, '-m', name]);
    r.git(['tag', 'v0.1.0']);
    r.next();
    r.git(['tag', '-a', 'v0.2.0', '-m', 'v0.2.0']);
    r.next();
    sign('v0.3.0');
    r.next();
    sign('v0.4.0');
    r.next();
    r.git(['tag', 'nightly']);
    return { ...r, sign };
  }

  it('scores the share of signed release tags; unverifiable signatures count, with evidence saying so', async () => {
    const r = mixed();
    const res = await runCheckOnDir(signedTags, r.dir);
    expect(res.score).toBe(5); // ⌊10·2/4⌋
    expect(res.reason).toBe('2/4 recent release tag(s) signed (0 verified, 2 without a key to verify)');
    expect(res.findings.map((f) => [f.rule, f.severity, f.message])).toEqual([
      ['unsignedTag', 'high', 'tag `v0.2.0` is annotated but not signed'],
      ['lightweightTag', 'high', 'tag `v0.1.0` is a lightweight tag: it has no tag object, so it cannot be signed'],
    ]);
    expect(res.findings[0].remediation?.text).toContain('git tag -s');
    expect(res.findings[0].remediation?.text).toContain('gitsign');
    expect(res.findings[0].remediation?.text).toContain('ruleset');
    expect(res.findings[1].remediation?.patch).toBe(
      `git tag --force --sign v0.1.0 -m v0.1.0 ${r.git(['rev-parse', 'v0.1.0^{commit}'])}\ngit push --force origin refs/tags/v0.1.0`,
    );
    expect(res.evidence.map((e) => [e.kind, e.values?.tag, e.values?.signature, e.values?.verification, e.values?.verified])).toEqual([
      ['signedTag', 'v0.4.0', 'ssh', 'unverifiable', undefined],
      ['signedTag', 'v0.3.0', 'ssh', 'unverifiable', undefined],
    ]);
  });

  it('verified signatures carry verified: true once the allowed signers are configured', async () => {
    const r = mixed();
    r.git(['config', 'gpg.ssh.allowedSignersFile', key.allowed]);
    const res = await runCheckOnDir(signedTags, r.dir);
    expect(res.score).toBe(5);
    expect(res.reason).toBe('2/4 recent release tag(s) signed (2 verified, 0 without a key to verify)');
    expect(res.evidence.map((e) => [e.values?.tag, e.values?.verification, e.values?.verified])).toEqual([
      ['v0.4.0', 'verified', true],
      ['v0.3.0', 'verified', true],
    ]);
  });

  it('a signature that does not verify is a critical finding and does not count', async () => {
    const r = mixed();
    r.git(['config', 'gpg.ssh.allowedSignersFile', key.allowed]);
    // v0.3.0's tag object with v0.4.0's signature: a forged tag.
    const a = r.git(['cat-file', 'tag', 'v0.3.0']);
    const b = r.git(['cat-file', 'tag', 'v0.4.0']);
    const marker = '-----BEGIN SSH SIGNATURE-----';
    const forged = r.git(['mktag'], `${a.slice(0, a.indexOf(marker))}${b.slice(b.indexOf(marker))}\n`);
    r.git(['update-ref', 'refs/tags/v0.3.0', forged]);
    const res = await runCheckOnDir(signedTags, r.dir);
    expect(res.score).toBe(2); // only v0.4.0 of 4
    expect(res.findings.map((f) => [f.rule, f.severity])).toEqual([
      ['badTagSignature', 'critical'],
      ['unsignedTag', 'high'],
      ['lightweightTag', 'high'],
    ]);
    expect(res.findings[0].message).toBe(
      'the ssh signature on tag `v0.3.0` does not verify: the tag was altered after signing, or the signature is not for it',
    );
    expect(res.evidence.map((e) => e.values?.tag)).toEqual(['v0.4.0']);
  });

  it('looks at the newest `recent` release tags only', async () => {
    const r = mixed();
    const res = await runCheckOnDir(signedTags, r.dir, { recent: 2 });
    expect(res.score).toBe(10);
    expect(res.reason).toBe('2/2 recent release tag(s) signed (0 verified, 2 without a key to verify)');
    expect(res.findings).toEqual([]);
  });
});

describe('Signed-Tags without signatures to look at', () => {
  it('no tags: inconclusive', async () => {
    const t = tempTree({ 'a.txt': 'a' }, { git: true });
    cleanups.push(t.cleanup);
    const res = await runCheckOnDir(signedTags, t.dir);
    expect(res.score).toBeNull();
    expect(res.reason).toBe('no tags');
  });

  it('not a git repository: inconclusive with the unknown', async () => {
    const t = tempTree({ 'a.txt': 'a' });
    cleanups.push(t.cleanup);
    const res = await runCheckOnDir(signedTags, t.dir);
    expect(res.score).toBeNull();
    expect(res.unknowns).toEqual([expect.objectContaining({ fact: 'tags', reason: 'not a git repository' })]);
  });

  it('when no tag looks like a version, all tags are release tags', async () => {
    const t = tempTree({ 'a.txt': 'a' }, { git: true });
    cleanups.push(t.cleanup);
    execFileSync('git', ['tag', 'stable'], { cwd: t.dir, env: gitEnv() });
    const res = await runCheckOnDir(signedTags, t.dir);
    expect(res.score).toBe(0);
    expect(res.findings.map((f) => f.rule)).toEqual(['lightweightTag']);
  });
});
