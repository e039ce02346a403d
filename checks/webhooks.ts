/**
 * Webhooks: do the repository's webhooks authenticate their deliveries with a secret?
 *
 * A port of OpenSSF Scorecard's rule (probes/webhooksUseSecrets, checks/evaluation/webhooks.go
 * `Webhooks`): no webhook → 10; otherwise ⌊10 · hooks with a secret / hooks⌋. Listing hooks needs
 * an admin (GitHub) or Maintainer (GitLab) token: without one the fact is unknown and the check
 * inconclusive. A hook whose secret cannot be seen is left out of the count and reported as unknown,
 * never counted as having no secret.
 */
import { defineCheck, inconclusive, proportionalScore, type Finding, type UnknownNote } from '../src/check.js';
import type { Platform } from '../src/facts/model.js';
import type { Webhook } from '../src/facts/platform.js';

const safeRepo = (r: string | undefined): string | undefined =>
  r && /^[\w.-]+(?:\/[\w.-]+)+$/.test(r) && !r.includes('..') ? r : undefined;

function remediation(h: Webhook, platform: Platform, repo: string | undefined) {
  if (platform === 'gitlab') {
    const project = encodeURIComponent(safeRepo(repo) ?? 'GROUP/PROJECT');
    return {
      text: `Settings → Webhooks: edit the hook to ${h.host} and set a "Secret token"; have the receiver check the X-Gitlab-Token header.`,
      patch: `glab api -X PUT "projects/${project}/hooks/${encodeURIComponent(h.id)}" -f url=RECEIVER-URL -f token="$(openssl rand -hex 32)"`,
    };
  }
  return {
    text: `Settings → Webhooks: edit the hook to ${h.host} and set a secret; have the receiver verify the X-Hub-Signature-256 header.`,
    patch: `gh api -X PATCH repos/${safeRepo(repo) ?? 'OWNER/REPO'}/hooks/${encodeURIComponent(h.id)} -f "config[secret]=$(openssl rand -hex 32)"`,
  };
}

export default defineCheck({
  id: 'Webhooks',
  risk: 'critical',
  description:
    "Determines whether the repository's webhooks are configured with a secret, so the receiver can authenticate deliveries. " +
    'No webhook scores 10; otherwise the share of webhooks with a secret.',
  facts: ['webhooks', 'repository'],
  slsa: [],
  remediation: [
    'Set a secret on every webhook and verify the signature (GitHub X-Hub-Signature-256, GitLab X-Gitlab-Token) in the receiver.',
    'Remove webhooks that are no longer used.',
  ],
  differsFromScorecard:
    'GitLab hooks are judged by their secret token (Scorecard maps SSL verification to "has secret"). A hook whose secret cannot be read ' +
    'is left out instead of counted as unprotected; disabled SSL verification is reported (not scored).',
  run(facts) {
    const { webhooks, repository } = facts;
    if (!webhooks.known) return inconclusive('webhooks could not be listed', ['webhooks', webhooks]);
    const hooks = webhooks.value;
    const platform: Platform = repository.known ? repository.value.platform : 'github';
    const repo = repository.known ? repository.value.repo : undefined;
    if (hooks.length === 0)
      return {
        score: 10,
        reason: 'project does not have webhook',
        evidence: [{ kind: 'webhooks', message: 'no webhooks', values: { hooks: 0, withSecret: 0 } }],
      };

    const findings: Finding[] = [];
    const unknowns: UnknownNote[] = [];
    let judged = 0;
    let withSecret = 0;
    for (const h of hooks) {
      if (!h.sslVerification) {
        findings.push({
          rule: 'webhookSslVerificationDisabled',
          severity: 'info',
          message: `webhook ${h.id} to ${h.host} does not verify the receiver's TLS certificate`,
          remediation: { text: 'Enable SSL verification on the webhook.' },
        });
      }
      if (!h.hasSecret.known) {
        unknowns.push({
          fact: 'webhooks',
          reason: `whether webhook ${h.id} to ${h.host} has a secret: ${h.hasSecret.reason}`,
          ...(h.hasSecret.needs ? { needs: h.hasSecret.needs } : {}),
        });
        continue;
      }
      judged++;
      if (h.hasSecret.value) {
        withSecret++;
        continue;
      }
      findings.push({
        rule: 'webhookWithoutSecret',
        severity: 'high',
        message: `webhook ${h.id} to ${h.host}${h.active ? '' : ' (inactive)'} has no secret configured: anyone can forge its deliveries`,
        remediation: remediation(h, platform, repo),
      });
    }
    if (judged === 0) return { score: null, reason: 'whether the webhooks have secrets could not be read', findings, unknowns };
    const score = proportionalScore(withSecret, judged);
    return {
      score,
      reason:
        withSecret === judged
          ? `All ${judged} of the projects webhooks are configured with a secret`
          : withSecret === 0
            ? 'no hook(s) have a secret configured'
            : `${judged - withSecret} out of the projects ${judged} webhooks are configured without a secret`,
      findings,
      evidence: [{ kind: 'webhooks', message: `${withSecret} of ${judged} webhooks have a secret`, values: { hooks: judged, withSecret } }],
      unknowns,
    };
  },
});
