import { describe, expect, it } from 'vitest';
import tagProtection from '../../checks/tag-protection.js';
import orgSettings from '../../checks/org-settings.js';
import { covers } from '../../checks/lib/tags.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { RepositoryInfo, TagInfo } from '../../src/facts/model.js';
import type { OwnerSettings, TagProtection } from '../../src/facts/platform.js';
import { evaluateSlsa } from '../../src/slsa/evaluate.js';
import type { CheckResult } from '../../src/engine.js';

const gh: RepositoryInfo = { platform: 'github', host: 'github.com', repo: 'acme/widget' };
const gl: RepositoryInfo = { platform: 'gitlab', host: 'gitlab.com', repo: 'acme/sub/widget' };

const ruleset = (over: Partial<TagProtection> = {}): TagProtection => ({
  source: 'github-ruleset',
  name: 'release tags',
  include: ['refs/tags/v*'],
  exclude: [],
  enforced: true,
  updateBlocked: known(true),
  deletionBlocked: known(true),
  creationRestricted: known(false),
  bypassActors: known(0),
  ...over,
});
const protectedTag = (name: string): TagProtection => ({
  source: 'gitlab-protected-tag',
  name,
  include: [name],
  exclude: [],
  enforced: true,
  updateBlocked: known(true),
  deletionBlocked: known(true),
  creationRestricted: known(true),
});
const tag = (name: string): TagInfo => ({ name, commit: 'a'.repeat(40), annotated: true, signature: null, verified: null });

const run = (rules: Fact<TagProtection[]>, tags: TagInfo[] = [tag('v1.2.0'), tag('v1.1.0')], repo = gh) =>
  tagProtection.run({ tagProtection: rules, tags: known(tags), repository: known(repo) }, { options: {} });

describe('tag patterns', () => {
  it('GitHub rulesets match the full ref, fnmatch-style; ~ALL matches every tag; excludes win', () => {
    expect(covers(ruleset(), 'v1.2.0')).toBe(true);
    expect(covers(ruleset(), '1.2.0')).toBe(false);
    expect(covers(ruleset({ include: ['refs/tags/*'] }), 'pkg/v1.0.0')).toBe(false); // * stays within a segment
    expect(covers(ruleset({ include: ['refs/tags/**'] }), 'pkg/v1.0.0')).toBe(true);
    expect(covers(ruleset({ include: ['~ALL'] }), 'anything')).toBe(true);
    expect(covers(ruleset({ include: ['~ALL'], exclude: ['refs/tags/nightly-*'] }), 'nightly-2026')).toBe(false);
    expect(covers(ruleset({ enforced: false }), 'v1.2.0')).toBe(false);
  });
  it('GitLab protected tag names: `*` matches anything, the rest literally', () => {
    expect(covers(protectedTag('v*'), 'v1.2.0')).toBe(true);
    expect(covers(protectedTag('v*'), 'pkg/v1')).toBe(false);
    expect(covers(protectedTag('*'), 'pkg/v1')).toBe(true);
    expect(covers(protectedTag('v1.2.0'), 'v1x2.0')).toBe(false); // "." is not a wildcard
  });
});

describe('Tag-Protection', () => {
  it('release tags that cannot be moved or deleted → 10, with authoritative evidence', () => {
    const o = run(known([ruleset()]));
    expect(o.score).toBe(10);
    expect(o.reason).toBe('2/2 release tag(s) cannot be moved or deleted');
    expect(o.evidence).toEqual([
      expect.objectContaining({
        kind: 'tagProtection',
        values: {
          pattern: 'refs/tags/v*',
          authoritative: true,
          updateBlocked: true,
          deletionBlocked: true,
          tags: 'v1.2.0, v1.1.0',
          bypassActors: 0,
        },
      }),
    ]);
  });

  it('deletion blocked but updates allowed → 5 per tag, a finding per tag with the ruleset fix', () => {
    const o = run(known([ruleset({ updateBlocked: known(false) })]));
    expect(o.score).toBe(5);
    expect(o.findings?.map((f) => [f.rule, f.message])).toEqual([
      ['tagPartlyProtected', 'release tag `v1.2.0` can be moved (covered by "release tags")'],
      ['tagPartlyProtected', 'release tag `v1.1.0` can be moved (covered by "release tags")'],
    ]);
    expect(o.findings?.[0].remediation?.patch).toContain('gh api --method POST repos/acme/widget/rulesets');
    expect(o.evidence?.[0].values).toMatchObject({ updateBlocked: false, deletionBlocked: true });
  });

  it('no rule → 0 and `(none)` evidence; rules in evaluate mode do not count but are reported', () => {
    const o = run(known([ruleset({ enforced: false })]));
    expect(o.score).toBe(0);
    expect(o.findings?.map((f) => f.rule)).toEqual(['tagNotProtected', 'tagNotProtected', 'tagRuleNotEnforced']);
    expect(o.evidence?.[0].values).toMatchObject({ pattern: '(none)', authoritative: true, updateBlocked: false, deletionBlocked: false });
  });

  it('rules combine per tag (one blocks updates, another deletion); uncovered tags count 0', () => {
    const o = run(
      known([
        ruleset({ name: 'no moves', deletionBlocked: known(false) }),
        ruleset({ name: 'no deletes', updateBlocked: known(false), include: ['~ALL'] }),
      ]),
      [tag('v2.0.0'), tag('release-1.0')],
    );
    // v2.0.0: both rules → 10; release-1.0: only ~ALL (deletion) → 5; mean 7.5 → 7.
    expect(o.score).toBe(7);
  });

  it('GitLab protected tags; the fix is a GitLab API call', () => {
    expect(run(known([protectedTag('v*')]), [tag('v1.0.0')], gl).score).toBe(10);
    const o = run(known([]), [tag('v1.0.0')], gl);
    expect(o.score).toBe(0);
    expect(o.findings?.[0].remediation?.patch).toContain('projects/acme%2Fsub%2Fwidget/protected_tags');
  });

  it('no tags yet: the rules are tested against a first release name', () => {
    expect(run(known([ruleset()]), []).reason).toBe('future release tags cannot be moved or deleted');
    expect(run(known([]), []).findings?.map((f) => f.message)).toEqual([
      'a first release tag such as `v1.0.0` could be moved or deleted: no tag rule covers it',
    ]);
  });

  it('unreadable rules → null with what would unlock them; hidden bypass actors are an unknown, not a failure', () => {
    const o = run(unknown('tag rulesets are read through GraphQL', 'a token'));
    expect(o.score).toBeNull();
    expect(o.unknowns).toEqual([{ fact: 'tagProtection', reason: 'tag rulesets are read through GraphQL', needs: 'a token' }]);
    const hidden = run(known([ruleset({ bypassActors: unknown('only editors see it', 'Administration: read') })]));
    expect(hidden.score).toBe(10);
    expect(hidden.unknowns).toEqual([
      { fact: 'tagProtection', reason: 'who may bypass the tag rules is not visible to this token', needs: 'Administration: read' },
    ]);
    expect(hidden.evidence?.[0].values).not.toHaveProperty('bypassActors');
  });
});

describe('Org-Settings', () => {
  const org = (o: Partial<OwnerSettings>) =>
    orgSettings.run(
      { ownerSettings: known({ kind: 'organization', name: 'acme', twoFactorRequired: known(true), ...o }) },
      { options: {} },
    );
  it('2FA required → 10 with evidence; not required → 0 with a finding; hidden → null with the needs', () => {
    expect(org({}).score).toBe(10);
    expect(org({}).evidence?.[0]).toMatchObject({ kind: 'twoFactorRequired', values: { enforced: true, scope: 'organization' } });
    const off = org({ kind: 'group', twoFactorRequired: known(false) });
    expect([off.score, off.findings?.[0].rule]).toEqual([0, 'twoFactorNotRequired']);
    expect(off.findings?.[0].remediation?.text).toMatch(/Group settings/);
    const hidden = org({ twoFactorRequired: unknown('only owners see it', 'an owner token') });
    expect(hidden.score).toBeNull();
    expect(hidden.unknowns).toEqual([{ fact: 'ownerSettings', reason: 'only owners see it', needs: 'an owner token' }]);
  });
});

describe('into the SLSA tables', () => {
  const result = (name: string, o: ReturnType<typeof run>): CheckResult => ({
    name,
    score: o.score,
    risk: 'medium',
    reason: o.reason,
    description: '',
    findings: o.findings ?? [],
    evidence: o.evidence ?? [],
    unknowns: o.unknowns ?? [],
    slsa: [],
    durationMs: 0,
  });
  const source = (o: ReturnType<typeof run>) =>
    evaluateSlsa([result('Tag-Protection', o)], {
      platform: 'github',
      host: 'github.com',
      repo: 'acme/widget',
      commit: null,
      source: 'github-api',
    })
      .frameworks.find((f) => f.id === 'slsa-v1.2-source')!
      .requirements.find((r) => r.id === 'source.protected-refs')!;

  it('protected release tags make the tag half of "protected refs" hold; unprotected ones fail it', () => {
    const met = source(run(known([ruleset()])));
    expect(met.evidence.some((e) => e.check === 'Tag-Protection')).toBe(true);
    expect(met.state).not.toBe('not_met');
    expect(source(run(known([]))).state).toBe('not_met');
  });
});
