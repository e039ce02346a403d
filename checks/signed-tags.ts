/**
 * Signed-Tags (ours) — are recent release tags signed?
 *
 * A signed tag binds a release name to a commit under a maintainer's key (PGP, SSH or X.509/gitsign),
 * so a re-pointed or forged tag shows. Reads the `tags` fact (from git, newest first) and looks at the
 * newest `recent` release-looking tags (all tags when none looks like a version).
 *
 * Scoring: ⌊10 · signed / looked-at⌋. A signature git could not check (no key for it) counts as
 * signed, with evidence saying it is unverified: offline there is rarely a keyring, and absence of a
 * key is not evidence of forgery. A signature that fails verification does not count and is a
 * critical finding. Lightweight tags cannot carry a signature at all. No tags → null.
 */
import { defineCheck, inconclusive, proportionalScore, type Evidence, type Finding, type Remediation } from '../src/check.js';
import type { TagInfo } from '../src/facts/model.js';
import { newestReleaseTags } from './lib/tags.js';

const DEFAULT_RECENT = 10;
const MAX_RECENT = 100;
function recentOption(options: Record<string, unknown>): number {
  const n = options.recent;
  return typeof n === 'number' && Number.isFinite(n) ? Math.min(MAX_RECENT, Math.max(1, Math.trunc(n))) : DEFAULT_RECENT;
}

function signRemediation(t: TagInfo): Remediation {
  return {
    text:
      `Sign release tags: \`git tag -s <version> -m <version>\` with a PGP or SSH key (\`git config gpg.format ssh\`, \`user.signingkey\`), ` +
      'or keylessly with gitsign (`git config gpg.format x509 && git config gpg.x509.program gitsign`). ' +
      `To sign \`${t.name}\` after the fact, re-create it on the same commit and push it with --force (consumers still get the same commit). ` +
      'Protect tags with a tag ruleset (GitHub: restrict creations, updates and deletions; GitLab: protected tags) so they cannot be re-pointed.',
    patch: `git tag --force --sign ${shellQuote(t.name)} -m ${shellQuote(t.name)} ${t.commit}\ngit push --force origin ${shellQuote(`refs/tags/${t.name}`)}`,
  };
}

/** Tag names come from the repository: quote them for the shell snippet. */
function shellQuote(s: string): string {
  return /^[\w./@+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function assess(t: TagInfo): { signed: boolean; finding?: Finding; evidence?: Evidence } {
  if (!t.annotated) {
    return {
      signed: false,
      finding: {
        rule: 'lightweightTag',
        severity: 'high',
        message: `tag \`${t.name}\` is a lightweight tag: it has no tag object, so it cannot be signed`,
        remediation: signRemediation(t),
      },
    };
  }
  if (!t.signature) {
    return {
      signed: false,
      finding: {
        rule: 'unsignedTag',
        severity: 'high',
        message: `tag \`${t.name}\` is annotated but not signed`,
        remediation: signRemediation(t),
      },
    };
  }
  if (t.verified === false) {
    return {
      signed: false,
      finding: {
        rule: 'badTagSignature',
        severity: 'critical',
        message: `the ${t.signature} signature on tag \`${t.name}\` does not verify: the tag was altered after signing, or the signature is not for it`,
        remediation: {
          text: `Find out who created \`${t.name}\` and from what; if the commit is right, re-create the tag with a valid signature, otherwise delete it and tell your users.`,
          patch: `git verify-tag --verbose ${shellQuote(t.name)}`,
        },
      },
    };
  }
  const verification = t.verified === true ? 'verified' : 'unverifiable';
  return {
    signed: true,
    evidence: {
      kind: 'signedTag',
      message: `tag \`${t.name}\` carries a ${t.signature} signature${t.verified === true ? ' that verifies' : ` (not verified: ${t.verifyDetail ?? 'no key to check it with'})`}`,
      // `verified` is present only when a verification succeeded; `verification` says which case this is.
      values: { tag: t.name, commit: t.commit, signature: t.signature, verification, ...(t.verified === true ? { verified: true } : {}) },
    },
  };
}

export default defineCheck({
  id: 'Signed-Tags',
  risk: 'high',
  description:
    'Determines whether the newest release tags are signed (PGP, SSH or X.509/gitsign) and whether the signatures verify, so a release name ' +
    "is bound to its commit by a maintainer's key.",
  facts: ['tags'],
  slsa: [],
  optionsSchema: {
    type: 'object',
    properties: {
      recent: {
        type: 'integer',
        minimum: 1,
        maximum: MAX_RECENT,
        default: DEFAULT_RECENT,
        description: 'How many of the newest release tags to look at.',
      },
    },
    additionalProperties: false,
  },
  remediation: [
    'Sign release tags: `git tag -s vX.Y.Z -m vX.Y.Z` (PGP or SSH key), or keylessly with gitsign.',
    'Publish the signing keys (GitHub/GitLab account keys, or an allowed-signers file in the repository) so anyone can verify the tags.',
    'Protect release tags with tag rulesets / protected tags so they cannot be moved or deleted.',
  ],
  differsFromScorecard:
    'No Scorecard check (Signed-Releases looks at release assets, not tags). A signature that cannot be verified for lack of a key counts as signed ' +
    '(reported as unverified evidence); one that fails verification counts as unsigned and is a critical finding.',
  run(facts, ctx) {
    const { tags } = facts;
    if (!tags.known) return inconclusive('tags could not be read', ['tags', tags]);
    if (tags.value.length === 0) return { score: null, reason: 'no tags' };
    const newest = newestReleaseTags(tags.value, recentOption(ctx.options));
    // An annotated tag whose signature the platform does not show (GitLab shows X.509 only) is unknown, not unsigned.
    const hidden = newest.filter((t) => t.annotated && !t.signature && t.signatureUnknown);
    const recent = newest.filter((t) => !hidden.includes(t));
    const unknowns = hidden.length
      ? [
          {
            fact: 'tags',
            reason: `${hidden.length} annotated tag(s): ${hidden[0].signatureUnknown}`,
            needs: 'a local clone (slsa-scorecard ./checkout) to read the tag objects',
          },
        ]
      : [];
    if (recent.length === 0) return { score: null, reason: 'the signatures of the recent tags are not visible here', unknowns };
    const results = recent.map(assess);
    const signed = results.filter((r) => r.signed).length;
    const verified = recent.filter((t, i) => results[i].signed && t.verified === true).length;
    const findings = results.flatMap((r) => (r.finding ? [r.finding] : []));
    const evidence = results.flatMap((r) => (r.evidence ? [r.evidence] : []));
    const detail = signed > 0 ? ` (${verified} verified, ${signed - verified} without a key to verify)` : '';
    return {
      score: proportionalScore(signed, recent.length),
      reason: `${signed}/${recent.length} recent release tag(s) signed${detail}`,
      findings,
      evidence,
      unknowns,
    };
  },
});
