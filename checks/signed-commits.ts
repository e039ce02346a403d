/**
 * Signed-Commits (ours) — do the recent commits carry signatures that verify?
 *
 * Reads the `recentCommits` fact (about 30, newest first, with each commit's signature and
 * verification) and the `repository` fact, which says who verified: the platform (GitHub checks the
 * signature against the keys registered to the committer's account) or, for a local checkout, git
 * with the keys of the machine running the assessment.
 *
 * Scoring: ⌊10 · verified / determined⌋, where `determined` leaves out the commits whose status
 * cannot be known here:
 * - a signature the platform lists but did not verify (unknown key, unverified email) counts as
 *   unverified: the platform's answer is authoritative;
 * - a local signature git could not check (no key on this machine) is neither verified nor unverified:
 *   it is an unknown, and the result is null when every commit is in that case;
 * - a commit whose signature the source could not see (GitLab's commit list) is an unknown;
 * - a signature that fails verification is unverified and a high finding.
 * Evidence `commitVerification` {verified, total, verifier, unverifiable?} for the SLSA tables
 * (v0.1 "Verified history"); `total` counts every commit whose signature is visible, so
 * `verified === total` only when each one verified.
 */
import {
  defineCheck,
  inconclusive,
  proportionalScore,
  type Evidence,
  type Finding,
  type Remediation,
  type UnknownNote,
} from '../src/check.js';
import type { CommitInfo, RepositoryInfo } from '../src/facts/model.js';

type Status = 'verified' | 'unsigned' | 'unverified' | 'bad' | 'unverifiable' | 'hidden';

/** Who verified the signatures: the platform, or git with this machine's keys. */
interface Verifier {
  /** `github` / `gitlab` (the platform's API) or `git` (a local checkout); absent when the repository is unknown. */
  id?: 'github' | 'gitlab' | 'git';
  name: string;
  /** Whether a signature it did not verify is an answer (platform) or an unknown (no key here). */
  authoritative: boolean;
  /** Where the repository is hosted (a local checkout's origin remote), for the remediation text. */
  platform?: 'github' | 'gitlab';
}

/** Commits listed per finding before "and N more". */
const LISTED = 5;

function verifierOf(repo: RepositoryInfo | undefined): Verifier {
  // Without the repository we cannot tell whose "not verified" it is: an unknown, never a failure.
  if (!repo) return { name: 'the source', authoritative: false };
  const platform = repo.platform === 'github' || repo.platform === 'gitlab' ? repo.platform : undefined;
  if (repo.localPath !== undefined || !platform)
    return { id: 'git', name: 'git on this machine', authoritative: false, ...(platform ? { platform } : {}) };
  return { id: platform, name: platform === 'gitlab' ? 'GitLab' : 'GitHub', authoritative: true, platform };
}

function statusOf(c: CommitInfo, v: Verifier): Status {
  if (!c.signature) return c.signatureUnknown ? 'hidden' : 'unsigned';
  if (c.verified === true) return 'verified';
  if (c.verified === false) return 'bad';
  return v.authoritative ? 'unverified' : 'unverifiable';
}

const short = (sha: string): string => sha.slice(0, 7);

/** `abc1234, def5678 and 3 more`. */
function shaList(cs: readonly CommitInfo[]): string {
  const shown = cs.slice(0, LISTED).map((c) => `\`${short(c.sha)}\``);
  return cs.length > LISTED ? `${shown.join(', ')} and ${cs.length - LISTED} more` : shown.join(', ');
}

function signRemediation(v: Verifier): Remediation {
  const gitlab =
    'add the public key to your GitLab account (as a GPG or SSH signing key) and require signed commits with the push rule "Reject unsigned commits" (Premium)';
  const github =
    'add the public key to your GitHub account as a signing key and require signed commits on the default branch (ruleset rule "Require signed commits", or classic branch protection)';
  const platform = v.platform === 'gitlab' ? gitlab : v.platform === 'github' ? github : `${github}; on GitLab, ${gitlab}`;
  return {
    text: `Sign every commit: \`git config commit.gpgsign true\` with an SSH key (\`gpg.format ssh\`, \`user.signingkey\`), a PGP key, or keylessly with gitsign; then ${platform}.`,
    patch:
      'git config --global gpg.format ssh\ngit config --global user.signingkey ~/.ssh/id_ed25519.pub\ngit config --global commit.gpgsign true',
  };
}

function unverifiedRemediation(v: Verifier): Remediation {
  return {
    text:
      `${v.name} shows these signatures as unverified: the signing key is not registered to the committer's account, or the commit email is not a verified address of it. ` +
      `Add the public key as a signing key to the account (GitHub: Settings → SSH and GPG keys; GitLab: Preferences → GPG/SSH keys) and commit with a verified email.`,
  };
}

/** One finding per author and kind: the fix is each author's own git configuration. */
function byAuthor(cs: readonly CommitInfo[]): Map<string, CommitInfo[]> {
  const out = new Map<string, CommitInfo[]>();
  for (const c of cs) {
    const who = c.author ?? '(unknown author)';
    out.set(who, [...(out.get(who) ?? []), c]);
  }
  return out;
}

export default defineCheck({
  id: 'Signed-Commits',
  // Low: the platform already authenticates every push; a verified signature adds attribution of the
  // author that survives mirrors and a platform compromise — defence in depth, not a primary control.
  risk: 'low',
  description:
    'Determines whether the recent commits on the default branch carry signatures that verify (PGP, SSH or X.509/gitsign): by the platform ' +
    "against the keys registered to the committer's account, or, for a local checkout, by git with the keys available on this machine.",
  facts: ['recentCommits', 'repository'],
  slsa: ['slsa-v0.1/source.verified-history'],
  remediation: [
    'Sign commits: `git config commit.gpgsign true` with an SSH (`gpg.format ssh`), PGP or gitsign key, and register the key with your GitHub/GitLab account.',
    'Require signed commits on the default branch (GitHub ruleset "Require signed commits"; GitLab push rule "Reject unsigned commits").',
  ],
  differsFromScorecard:
    'No Scorecard check. Only verified signatures count: a signature the platform shows as unverified counts against the score, and one that ' +
    'fails verification is a high finding. A local signature without a key to check it is an unknown (not counted either way).',
  run(facts) {
    const { recentCommits, repository } = facts;
    if (!recentCommits.known) return inconclusive('recent commits could not be read', ['recentCommits', recentCommits]);
    const commits = recentCommits.value;
    if (commits.length === 0) return { score: null, reason: 'no commits' };
    const v = verifierOf(repository.known ? repository.value : undefined);
    const statuses = commits.map((c) => statusOf(c, v));
    const having = (s: Status) => commits.filter((_, i) => statuses[i] === s);
    const [verified, unsigned, unverified, bad, unverifiable, hidden] = (
      ['verified', 'unsigned', 'unverified', 'bad', 'unverifiable', 'hidden'] as const
    ).map(having);

    const unknowns: UnknownNote[] = [];
    if (hidden.length) {
      unknowns.push({
        fact: 'recentCommits',
        reason: `the signatures of ${hidden.length} recent commit(s) are not visible here: ${hidden[0].signatureUnknown}`,
        needs: "a local clone (slsa-scorecard ./checkout) with the signers' public keys, to read and check the commit signatures",
      });
    }
    if (unverifiable.length) {
      unknowns.push({
        fact: 'recentCommits',
        reason: `${unverifiable.length} signed commit(s) could not be verified: no key for them on this machine`,
        needs:
          "the signers' public keys (`gpg --import`, or an allowed-signers file in gpg.ssh.allowedSignersFile), or an assessment through the platform's API",
      });
    }
    const visible = commits.length - hidden.length;
    const determined = visible - unverifiable.length;
    if (determined === 0) {
      return {
        score: null,
        reason:
          hidden.length === commits.length
            ? 'the signatures of the recent commits are not visible here'
            : 'no key to verify the commit signatures with',
        unknowns,
      };
    }

    const findings: Finding[] = [];
    for (const c of bad) {
      findings.push({
        rule: 'badCommitSignature',
        severity: 'high',
        message: `the ${c.signature} signature on commit \`${short(c.sha)}\`${c.author ? ` by ${c.author}` : ''} does not verify (${v.name}): the commit was altered after signing, the signature is not for it, or the key was revoked`,
        remediation: {
          text: `Find out who pushed \`${short(c.sha)}\` and compare it with the author's copy; if it was tampered with, revert it and rotate the credentials that pushed it.`,
          patch: `git verify-commit --verbose ${c.sha}`,
        },
      });
    }
    for (const [who, cs] of byAuthor(unsigned)) {
      findings.push({
        rule: 'unsignedCommit',
        severity: 'low',
        message: `${cs.length} recent commit(s) by ${who} are not signed: ${shaList(cs)}`,
        remediation: signRemediation(v),
      });
    }
    for (const [who, cs] of byAuthor(unverified)) {
      findings.push({
        rule: 'unverifiedCommit',
        severity: 'low',
        message: `${cs.length} recent commit(s) by ${who} are signed, but ${v.name} does not verify the signature: ${shaList(cs)}`,
        remediation: unverifiedRemediation(v),
      });
    }

    const evidence: Evidence[] = [
      {
        kind: 'commitVerification',
        message:
          `${verified.length}/${visible} recent commit(s) carry signatures verified by ${v.name}` +
          (unverifiable.length ? ` (${unverifiable.length} more signed, with no key here to check them)` : ''),
        values: {
          verified: verified.length,
          total: visible,
          ...(v.id ? { verifier: v.id } : {}),
          ...(unverifiable.length ? { unverifiable: unverifiable.length } : {}),
        },
      },
    ];
    const notes = [
      unverifiable.length ? `${unverifiable.length} not verifiable here` : '',
      hidden.length ? `${hidden.length} with signatures not visible` : '',
    ].filter(Boolean);
    return {
      score: proportionalScore(verified.length, determined),
      reason: `${verified.length}/${determined} recent commit(s) have verified signatures${notes.length ? ` (${notes.join(', ')})` : ''}`,
      findings,
      evidence,
      unknowns,
    };
  },
});
