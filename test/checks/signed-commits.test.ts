import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import signedCommits from '../../checks/signed-commits.js';
import { builtinChecks } from '../../checks/index.js';
import type { CheckOutcome } from '../../src/check.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { CommitInfo, RepositoryInfo } from '../../src/facts/model.js';
import { gitEnv, runCheckOnDir, tempTree } from '../helpers/facts.js';
import { hasSshKeygen, isolateGitConfig, sshKey } from '../helpers/signing.js';

const GITHUB: RepositoryInfo = { platform: 'github', host: 'github.com', repo: 'acme/widget' };
const GITLAB: RepositoryInfo = { platform: 'gitlab', host: 'gitlab.com', repo: 'acme/widget' };
const LOCAL: RepositoryInfo = { platform: 'github', host: 'github.com', repo: 'acme/widget', localPath: '/src/widget', isGit: true };

let n = 0;
const commit = (over: Partial<CommitInfo> = {}): CommitInfo => ({
  sha: `${(++n).toString(16).padStart(7, '0')}${'f'.repeat(33)}`,
  author: 'alice',
  signature: null,
  verified: null,
  ...over,
});
const verified = (author = 'alice') => commit({ author, signature: 'ssh', verified: true });
const unsigned = (author = 'alice') => commit({ author });

const run = (commits: Fact<CommitInfo[]>, repo: Fact<RepositoryInfo> = known(GITHUB)): CheckOutcome =>
  signedCommits.run({ recentCommits: commits, repository: repo }, { options: {} });

describe('Signed-Commits (facts)', () => {
  it('is registered as a built-in check, ours, low risk, feeding v0.1 Verified history', () => {
    expect(builtinChecks).toContain(signedCommits);
    expect(signedCommits.risk).toBe('low');
    expect(signedCommits.differsFromScorecard).toMatch(/^No Scorecard check/);
    expect(signedCommits.slsa).toEqual(['slsa-v0.1/source.verified-history']);
  });

  it('GitHub: ⌊10 · verified / all⌋; unsigned, unverified and bad signatures are findings; commitVerification evidence', () => {
    const bad = commit({ author: 'mallory', signature: 'pgp', verified: false });
    const bob = commit({ author: 'bob', signature: 'pgp', verified: null }); // GitHub: "Unverified" (e.g. unknown key)
    const carol = unsigned('carol');
    const o = run(known([verified(), verified('bob'), carol, bob, bad]));
    expect(o.score).toBe(4); // ⌊10·2/5⌋
    expect(o.reason).toBe('2/5 recent commit(s) have verified signatures');
    expect(o.findings?.map((f) => [f.rule, f.severity, f.message])).toEqual([
      [
        'badCommitSignature',
        'high',
        `the pgp signature on commit \`${bad.sha.slice(0, 7)}\` by mallory does not verify (GitHub): the commit was altered after signing, the signature is not for it, or the key was revoked`,
      ],
      ['unsignedCommit', 'low', `1 recent commit(s) by carol are not signed: \`${carol.sha.slice(0, 7)}\``],
      [
        'unverifiedCommit',
        'low',
        `1 recent commit(s) by bob are signed, but GitHub does not verify the signature: \`${bob.sha.slice(0, 7)}\``,
      ],
    ]);
    expect(o.findings?.[0].remediation?.patch).toBe(`git verify-commit --verbose ${bad.sha}`);
    expect(o.findings?.[1].remediation?.text).toContain('git config commit.gpgsign true');
    expect(o.findings?.[1].remediation?.text).toContain('Require signed commits');
    expect(o.findings?.[1].remediation?.patch).toContain('gpg.format ssh');
    expect(o.findings?.[2].remediation?.text).toContain('signing key');
    expect(o.evidence).toEqual([
      {
        kind: 'commitVerification',
        message: '2/5 recent commit(s) carry signatures verified by GitHub',
        values: { verified: 2, total: 5, verifier: 'github' },
      },
    ]);
    expect(o.unknowns).toEqual([]);
  });

  it('every commit verified → 10 and verified === total', () => {
    const o = run(known([verified(), verified('bob'), verified('web-flow')]));
    expect(o.score).toBe(10);
    expect(o.findings).toEqual([]);
    expect(o.evidence?.[0].values).toEqual({ verified: 3, total: 3, verifier: 'github' });
  });

  it('one finding per author, listing five commits and the rest as a count', () => {
    const cs = Array.from({ length: 7 }, () => unsigned('alice'));
    const o = run(known([...cs, verified('bob')]));
    expect(o.score).toBe(1); // ⌊10·1/8⌋
    expect(o.findings).toHaveLength(1);
    expect(o.findings?.[0].message).toBe(
      `7 recent commit(s) by alice are not signed: ${cs
        .slice(0, 5)
        .map((c) => `\`${c.sha.slice(0, 7)}\``)
        .join(', ')} and 2 more`,
    );
  });

  it('GitLab lists commits without signatures: null with the unknown, and no evidence', () => {
    const hidden = 'GitLab lists commits without their signatures (one request per commit would be needed)';
    const o = run(known([unsigned(), unsigned()].map((c) => ({ ...c, signatureUnknown: hidden }))), known(GITLAB));
    expect(o.score).toBeNull();
    expect(o.reason).toBe('the signatures of the recent commits are not visible here');
    expect(o.evidence ?? []).toEqual([]);
    expect(o.unknowns).toEqual([
      {
        fact: 'recentCommits',
        reason: `the signatures of 2 recent commit(s) are not visible here: ${hidden}`,
        needs: expect.stringContaining('a local clone'),
      },
    ]);
  });

  it('local checkout: a signature without a key here is unknown, not verified and not unverified', () => {
    const noKey = () => commit({ signature: 'ssh', verified: null });
    const all = run(known([noKey(), noKey()]), known(LOCAL));
    expect(all.score).toBeNull();
    expect(all.reason).toBe('no key to verify the commit signatures with');
    expect(all.evidence ?? []).toEqual([]);
    expect(all.unknowns).toEqual([
      {
        fact: 'recentCommits',
        reason: '2 signed commit(s) could not be verified: no key for them on this machine',
        needs: expect.any(String),
      },
    ]);

    // Unsigned commits are unsigned whatever the keys: they are scored; the unverifiable ones are left out of the score.
    const mixed = run(known([noKey(), unsigned(), noKey(), verified()]), known(LOCAL));
    expect(mixed.score).toBe(5); // ⌊10·1/2⌋ over the unsigned and the verified commit
    expect(mixed.reason).toBe('1/2 recent commit(s) have verified signatures (2 not verifiable here)');
    expect(mixed.findings?.map((f) => f.rule)).toEqual(['unsignedCommit']);
    // total counts every visible commit, so verified === total never claims the unverifiable ones.
    expect(mixed.evidence?.[0].values).toEqual({ verified: 1, total: 4, verifier: 'git', unverifiable: 2 });
    expect(mixed.evidence?.[0].message).toBe(
      '1/4 recent commit(s) carry signatures verified by git on this machine (2 more signed, with no key here to check them)',
    );

    // The same commits read through GitHub's API: GitHub's "not verified" is an answer.
    const api = run(known([commit({ signature: 'ssh', verified: null }), verified()]), known(GITHUB));
    expect(api.score).toBe(5);
    expect(api.findings?.map((f) => f.rule)).toEqual(['unverifiedCommit']);
  });

  it('unreadable commits → inconclusive with the reason; no commits → null', () => {
    const o = run(unknown('HTTP 403 from GET /repos/acme/widget/commits', 'a token with Contents: read'));
    expect(o.score).toBeNull();
    expect(o.unknowns).toEqual([
      { fact: 'recentCommits', reason: 'HTTP 403 from GET /repos/acme/widget/commits', needs: 'a token with Contents: read' },
    ]);
    expect(run(known([])).score).toBeNull();
    expect(run(known([])).reason).toBe('no commits');
  });

  it('without the repository fact, a signature nobody verified is an unknown and no verifier is claimed', () => {
    const o = run(known([commit({ signature: 'pgp', verified: null }), verified()]), unknown('repository not read'));
    expect(o.score).toBe(10);
    expect(o.findings).toEqual([]);
    expect(o.evidence?.[0].values).toEqual({ verified: 1, total: 2, unverifiable: 1 });
  });
});

// ── real git repositories (the local source: `git log` + `%G?`) ──

if (!hasSshKeygen) console.warn('Signed-Commits: ssh-keygen is not installed, so the signed-commit tests are skipped');

const cleanups: Array<() => void> = [];
afterAll(() => cleanups.forEach((c) => c()));
isolateGitConfig();

describe.skipIf(!hasSshKeygen)('Signed-Commits on real git repositories', () => {
  function setup() {
    const key = sshKey(cleanups);
    const t = tempTree({ 'README.md': 'x\n' }, { git: true }); // one unsigned commit
    cleanups.push(t.cleanup);
    const git = (...args: string[]) => execFileSync('git', args, { cwd: t.dir, stdio: 'pipe', env: gitEnv(), encoding: 'utf8' }).trim();
    git('-c', 'gpg.format=ssh', '-c', `user.signingkey=${key.pub}`, 'commit', '-q', '-S', '--allow-empty', '-m', 'signed');
    return { dir: t.dir, git, allowed: key.allowed };
  }

  it('without the signer’s key: the signed commit is an unknown, the unsigned one scores 0', async () => {
    const r = setup();
    const res = await runCheckOnDir(signedCommits, r.dir);
    expect(res.score).toBe(0);
    expect(res.reason).toBe('0/1 recent commit(s) have verified signatures (1 not verifiable here)');
    expect(res.findings.map((f) => [f.rule, f.message])).toEqual([
      ['unsignedCommit', `1 recent commit(s) by test@example.com are not signed: \`${r.git('rev-parse', '--short=7', 'HEAD~1')}\``],
    ]);
    expect(res.evidence.map((e) => e.values)).toEqual([{ verified: 0, total: 2, verifier: 'git', unverifiable: 1 }]);
    expect(res.unknowns.map((u) => u.fact)).toEqual(['recentCommits']);
  });

  it('with the allowed signers configured, git verifies it', async () => {
    const r = setup();
    r.git('config', 'gpg.ssh.allowedSignersFile', r.allowed);
    const res = await runCheckOnDir(signedCommits, r.dir);
    expect(res.score).toBe(5); // ⌊10·1/2⌋
    expect(res.evidence.map((e) => e.values)).toEqual([{ verified: 1, total: 2, verifier: 'git' }]);
    expect(res.unknowns).toEqual([]);
  });

  it('a good signature by a key the allowed signers do not list (%G? U) is not verified', async () => {
    const r = setup();
    const other = sshKey(cleanups, 'other'); // its allowed-signers file lists the other key
    r.git('config', 'gpg.ssh.allowedSignersFile', other.allowed);
    expect(r.git('log', '-1', '--format=%G?')).toBe('U');
    const res = await runCheckOnDir(signedCommits, r.dir);
    expect(res.evidence.map((e) => e.values)).toEqual([{ verified: 0, total: 2, verifier: 'git', unverifiable: 1 }]);
  });
});
