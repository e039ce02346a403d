import { describe, expect, it } from 'vitest';
import webhooks from '../../checks/webhooks.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { RepositoryInfo } from '../../src/facts/model.js';
import type { Webhook } from '../../src/facts/platform.js';

const hook = (id: string, secret: Webhook['hasSecret'], over: Partial<Webhook> = {}): Webhook => ({
  id,
  host: 'hooks.example.com',
  active: true,
  hasSecret: secret,
  sslVerification: true,
  events: ['push'],
  ...over,
});
const gh: RepositoryInfo = { platform: 'github', host: 'github.com', repo: 'acme/widget' };
const gl: RepositoryInfo = { platform: 'gitlab', host: 'gitlab.com', repo: 'acme/widget' };
const run = (w: Fact<Webhook[]>, r: RepositoryInfo = gh) => webhooks.run({ webhooks: w, repository: known(r) }, { options: {} });

describe('Webhooks', () => {
  it('no hooks → 10', () => {
    expect(run(known([])).score).toBe(10);
  });

  it('share of hooks with a secret (Scorecard: with-secret / total)', () => {
    const o = run(known([hook('1', known(true)), hook('2', known(false)), hook('3', known(true))]));
    expect(o.score).toBe(6);
    expect(o.reason).toBe('1 out of the projects 3 webhooks are configured without a secret');
    expect(o.findings?.map((f) => f.rule)).toEqual(['webhookWithoutSecret']);
    expect(o.findings?.[0].remediation?.patch).toContain('gh api -X PATCH repos/acme/widget/hooks/2');
    expect(run(known([hook('1', known(false))]), gl).findings?.[0].remediation?.text).toContain('Secret token');
  });

  it('a secret that cannot be read is left out, not counted as missing', () => {
    const o = run(known([hook('1', known(true)), hook('2', unknown('token cannot read hook config', 'admin:repo_hook'))]));
    expect(o.score).toBe(10);
    expect(o.unknowns).toEqual([
      {
        fact: 'webhooks',
        reason: 'whether webhook 2 to hooks.example.com has a secret: token cannot read hook config',
        needs: 'admin:repo_hook',
      },
    ]);
    expect(run(known([hook('2', unknown('hidden'))])).score).toBeNull();
  });

  it('unknown hooks → inconclusive with needs; disabled SSL verification is reported, not scored', () => {
    const o = run(unknown('HTTP 404 from GET /repos/acme/widget/hooks', 'Webhooks: read (admin)'));
    expect(o.score).toBeNull();
    expect(o.unknowns).toEqual([
      { fact: 'webhooks', reason: 'HTTP 404 from GET /repos/acme/widget/hooks', needs: 'Webhooks: read (admin)' },
    ]);
    const ssl = run(known([hook('1', known(true), { sslVerification: false })]));
    expect(ssl.score).toBe(10);
    expect(ssl.findings?.map((f) => [f.rule, f.severity])).toEqual([['webhookSslVerificationDisabled', 'info']]);
  });
});
