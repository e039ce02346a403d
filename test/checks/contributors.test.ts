import { describe, expect, it } from 'vitest';
import contributors, { normalizeCompany } from '../../checks/contributors.js';
import { known, unknown, type Fact } from '../../src/facts/fact.js';
import type { Contributor } from '../../src/facts/platform.js';

const run = (c: Fact<Contributor[]>) => contributors.run({ contributors: c }, { options: {} });

describe('Contributors', () => {
  it("normalises companies as Scorecard's GitHub client does", () => {
    expect(normalizeCompany('@Google ')).toBe('google');
    expect(normalizeCompany('Acme, Inc.')).toBe('acme');
    expect(normalizeCompany('Widgets LLC')).toBe('widgets');
  });

  it('counts orgs and companies among contributors with ≥5 commits: n/3, 10 from 3', () => {
    const people: Contributor[] = [
      { login: 'a', commits: 50, company: '@google', organizations: ['kubernetes'] },
      { login: 'b', commits: 5, company: 'Google', organizations: [] },
      { login: 'c', commits: 4, company: 'Microsoft', organizations: ['dotnet'] },
    ];
    const o = run(known(people));
    expect(o.score).toBe(6); // google, kubernetes → ⌊10·2/3⌋
    expect(o.reason).toBe('project has 2 contributing companies or organizations');
    expect(o.findings?.map((f) => f.rule)).toEqual(['fewContributingOrganizations']);
    expect(o.evidence?.[0].values).toEqual({ organizations: 2, names: 'google,kubernetes' });
    people.push({ login: 'd', commits: 9, organizations: ['ossf'] });
    expect(run(known(people)).score).toBe(10);
    expect(run(known([])).score).toBe(0);
  });

  it('unknown → inconclusive', () => {
    expect(run(unknown('GitLab does not list organisations')).score).toBeNull();
  });
});
