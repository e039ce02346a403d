/**
 * Contributors: do people from several organisations contribute, so that no single company can
 * quietly take the project over?
 *
 * A port of OpenSSF Scorecard's rule (probes/contributorsFromOrgOrCompany/impl.go,
 * checks/evaluation/contributors.go): among contributors with at least 5 commits, count the distinct
 * organisations they belong to and the companies they name (normalised as Scorecard's GitHub client
 * does: lower-cased, "inc.", "llc" and commas removed, a leading "@" and surrounding spaces trimmed).
 * Score ⌊10 · n / 3⌋, 10 from 3 on.
 */
import { defineCheck, inconclusive, proportionalScore } from '../src/check.js';

const MIN_CONTRIBUTIONS = 5;
const FOR_TOP_SCORE = 3;

/** Scorecard's company normalisation (clients/githubrepo contributors). */
export function normalizeCompany(company: string): string {
  return company.toLowerCase().replaceAll('inc.', '').replaceAll('llc', '').replaceAll(',', '').replace(/^@+/, '').trim();
}

export default defineCheck({
  id: 'Contributors',
  risk: 'low',
  description:
    'Determines whether the project has contributors from several organisations or companies (among contributors with at least 5 commits); 3 or more give the full score.',
  facts: ['contributors'],
  slsa: [],
  remediation: ['Encourage and welcome contributions from people in other organisations, and give them maintainer roles.'],
  differsFromScorecard:
    'None in scoring. GitLab contributors count too when the source can report their organisations (Scorecard supports GitHub only).',
  run(facts) {
    const { contributors } = facts;
    if (!contributors.known) return inconclusive('contributors could not be read', ['contributors', contributors]);
    const entities = new Set<string>();
    for (const c of contributors.value) {
      if (c.commits < MIN_CONTRIBUTIONS) continue;
      for (const org of c.organizations) if (org) entities.add(org);
      if (c.company) {
        const company = normalizeCompany(c.company);
        if (company) entities.add(company);
      }
    }
    const names = [...entities].sort();
    const n = names.length;
    return {
      score: n > FOR_TOP_SCORE ? 10 : proportionalScore(n, FOR_TOP_SCORE),
      reason: `project has ${n} contributing companies or organizations`,
      findings:
        n < FOR_TOP_SCORE
          ? [
              {
                rule: 'fewContributingOrganizations',
                severity: 'low',
                message: `contributors with ${MIN_CONTRIBUTIONS}+ commits come from ${n} organisation(s)/companies${n ? `: ${names.join(', ')}` : ''} (${FOR_TOP_SCORE} for the full score)`,
              },
            ]
          : [],
      evidence: [
        {
          kind: 'contributorOrganizations',
          message: n ? `contributions from: ${names.join(', ')}` : 'no contributing organisation found',
          values: { organizations: n, names: names.join(',') },
        },
      ],
    };
  },
});
