/**
 * Org-Settings (ours) — does the owner require two-factor authentication of everyone with access?
 *
 * Every change then comes from a strongly authenticated account: SLSA v0.1's "Verified history"
 * (source L3). Reads `ownerSettings`: the GitHub organization's `requiresTwoFactorAuthentication`
 * (visible to organization owners only) or the GitLab group's `require_two_factor_authentication`.
 * A personal namespace has no such setting: inconclusive, never a failure.
 *
 * ## Evidence (read by the SLSA tables)
 * - `twoFactorRequired` {enforced, scope: 'organization' | 'group'} — when the setting was read.
 */
import { defineCheck, inconclusive } from '../src/check.js';

export default defineCheck({
  id: 'Org-Settings',
  risk: 'medium',
  description:
    "Determines whether the repository's owner (GitHub organization, GitLab group) requires two-factor authentication of everyone with access, " +
    'so every push and approval comes from a strongly authenticated account.',
  facts: ['ownerSettings'],
  slsa: ['slsa-v0.1/source.verified-history'],
  remediation: [
    'GitHub: Organization settings → Authentication security → "Require two-factor authentication for everyone in the organization".',
    'GitLab: Group settings → General → Permissions and group features → "All users in this group must set up two-factor authentication".',
  ],
  differsFromScorecard: 'No Scorecard check (legitify and OpenSSF Allstar look at the same organization setting).',
  run(facts) {
    const { ownerSettings } = facts;
    if (!ownerSettings.known) return inconclusive("the owner's settings could not be read", ['ownerSettings', ownerSettings]);
    const o = ownerSettings.value;
    const tfa = o.twoFactorRequired;
    const scope = o.kind === 'group' ? 'group' : 'organization';
    if (!tfa.known) {
      return {
        score: null,
        reason: `whether ${o.kind === 'user' ? 'the personal account' : `the ${scope}`} ${o.name} requires two-factor authentication is not visible`,
        unknowns: [{ fact: 'ownerSettings', reason: tfa.reason, ...(tfa.needs ? { needs: tfa.needs } : {}) }],
      };
    }
    const evidence = [
      {
        kind: 'twoFactorRequired',
        message: `the ${scope} ${o.name} ${tfa.value ? 'requires' : 'does not require'} two-factor authentication`,
        values: { enforced: tfa.value, scope },
      },
    ];
    if (tfa.value) return { score: 10, reason: `the ${scope} requires two-factor authentication`, evidence };
    return {
      score: 0,
      reason: `the ${scope} does not require two-factor authentication`,
      evidence,
      findings: [
        {
          rule: 'twoFactorNotRequired',
          severity: 'medium',
          message: `the ${scope} ${o.name} does not require two-factor authentication of its members`,
          remediation: {
            text:
              o.kind === 'group'
                ? 'Group settings → General → Permissions and group features → "All users in this group must set up two-factor authentication" (subgroups inherit it).'
                : 'Organization settings → Authentication security → "Require two-factor authentication for everyone in the organization" (members without 2FA are removed: warn them first).',
          },
        },
      ],
    };
  },
});
