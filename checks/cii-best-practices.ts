/**
 * CII-Best-Practices: has the project earned an OpenSSF Best Practices badge (bestpractices.dev)?
 *
 * A port of OpenSSF Scorecard's rule (checks/evaluation/cii_best_practices.go): gold 10, silver 7,
 * passing 5, in progress 2, no project 0. The badge is looked up on bestpractices.dev by repository
 * URL (src/facts/providers/external.ts) only when the repository is assessed on its platform; a
 * local run, an offline run or a service fault leaves the check inconclusive.
 */
import { defineCheck, inconclusive } from '../src/check.js';
import type { BestPractices } from '../src/facts/platform.js';

const SCORES: Record<NonNullable<BestPractices['level']>, number> = { gold: 10, silver: 7, passing: 5, in_progress: 2 };

export default defineCheck({
  id: 'CII-Best-Practices',
  risk: 'low',
  description:
    'Determines whether the project has earned an OpenSSF Best Practices badge at bestpractices.dev: gold 10, silver 7, passing 5, in progress 2, none 0.',
  facts: ['bestPractices'],
  slsa: [],
  remediation: [
    'Register the project at https://www.bestpractices.dev, answer the criteria, and work towards the passing, silver and gold levels.',
  ],
  differsFromScorecard:
    'None in scoring. When several projects match the URL, the one registered for this repository is used (Scorecard takes the first).',
  run(facts) {
    const { bestPractices } = facts;
    if (!bestPractices.known)
      return inconclusive('the OpenSSF Best Practices badge could not be looked up', ['bestPractices', bestPractices]);
    const { level, projectId, url } = bestPractices.value;
    if (level === null) {
      return {
        score: 0,
        reason: 'no effort to earn an OpenSSF best practices badge detected',
        findings: [
          {
            rule: 'noBestPracticesBadge',
            severity: 'low',
            message: 'the project is not registered at bestpractices.dev',
            remediation: {
              text: 'Register the project at https://www.bestpractices.dev/en/projects/new and complete the passing criteria.',
            },
          },
        ],
      };
    }
    const label = level === 'in_progress' ? 'in progress' : level;
    return {
      score: SCORES[level],
      reason: `badge detected: ${label}`,
      findings:
        level !== 'gold'
          ? [
              {
                rule: 'bestPracticesBadgeBelowGold',
                severity: 'info',
                message: `OpenSSF Best Practices badge level: ${label}${url ? ` (${url})` : ''}`,
              },
            ]
          : [],
      evidence: [
        {
          kind: 'bestPracticesBadge',
          message: `OpenSSF Best Practices badge: ${label}${url ? ` (${url})` : ''}`,
          values: { level, ...(projectId !== undefined ? { projectId } : {}), ...(url ? { url } : {}) },
        },
      ],
    };
  },
});
