/**
 * Maintained: is the project actively maintained?
 *
 * A port of OpenSSF Scorecard's rule (checks/evaluation/maintained.go `Maintained`, with
 * lookBackDays 90 and activityPerWeek 1):
 * - archived → 0;
 * - created less than 90 days ago → 0 ("not enough maintenance history");
 * - otherwise ⌊10 · (commits in the last 90 days + issues with activity by an
 *   owner/member/collaborator in the last 90 days) / 12⌋, capped at 10 (12 = 90/7 weeks at one
 *   activity a week).
 *
 * Reads `repository` (archived, createdAt) and `activity` (counted by the source over the recent
 * commits and issues it fetched, as Scorecard does over its 30 commits and 30 issues).
 */
import { defineCheck, inconclusive, proportionalScore, type UnknownNote } from '../src/check.js';

const LOOK_BACK_DAYS = 90;
const ACTIVITY_PER_WEEK = 1;
const DAYS_IN_WEEK = 7;
/** Scorecard's integer target: 1 · 90 / 7 = 12. */
const TARGET = Math.trunc((ACTIVITY_PER_WEEK * LOOK_BACK_DAYS) / DAYS_IN_WEEK);
const DAY_MS = 24 * 60 * 60 * 1000;

export default defineCheck({
  id: 'Maintained',
  risk: 'high',
  description:
    'Determines whether the project is actively maintained: not archived, older than 90 days, and with at least one commit or ' +
    'maintainer issue activity a week over the last 90 days (12 for the full score).',
  facts: ['repository', 'activity'],
  slsa: [],
  remediation: [
    'Keep the project active: commit fixes and respond to issues (as an owner, member or collaborator) regularly.',
    'If the project is finished or unmaintained, say so in the README; if it is abandoned, archive it so users know.',
  ],
  differsFromScorecard:
    'None in scoring. A repository whose creation date is unknown is not treated as new (Scorecard compares a zero date, with the same effect).',
  run(facts) {
    const { repository, activity } = facts;
    const unknowns: UnknownNote[] = [];
    if (repository.known && repository.value.archived === true) {
      return {
        score: 0,
        reason: 'repo is marked as archived',
        findings: [
          {
            rule: 'archived',
            severity: 'high',
            message: 'the repository is archived: it receives no fixes, security ones included',
            remediation: { text: 'Use a maintained fork or alternative; if you maintain it, unarchive it.' },
          },
        ],
        evidence: [{ kind: 'maintenance', message: 'the repository is archived', values: { archived: true } }],
      };
    }
    if (!activity.known) return inconclusive('recent activity could not be read', ['activity', activity], ['repository', repository]);
    if (!repository.known)
      unknowns.push({
        fact: 'repository',
        reason: `whether the repository is archived is not known: ${repository.reason}`,
        ...(repository.needs ? { needs: repository.needs } : {}),
      });
    else if (repository.value.archived === undefined)
      unknowns.push({ fact: 'repository', reason: 'whether the repository is archived was not reported by the platform' });

    const createdAt = (repository.known ? repository.value.createdAt : undefined) ?? activity.value.createdAt;
    const created = createdAt ? Date.parse(createdAt) : NaN;
    if (!Number.isNaN(created) && created > Date.now() - LOOK_BACK_DAYS * DAY_MS) {
      const days = Math.trunc((Date.now() - created) / DAY_MS);
      return {
        score: 0,
        reason: `repo was created ${days} days ago, not enough maintenance history`,
        findings: [
          {
            rule: 'newRepository',
            severity: 'medium',
            message: `the repository was created in the last ${LOOK_BACK_DAYS} days (${createdAt}): review its contents carefully`,
          },
        ],
        evidence: [{ kind: 'maintenance', message: `created ${days} days ago`, values: { createdDaysAgo: days } }],
        unknowns,
      };
    }

    const commits = Math.max(0, activity.value.recentCommits);
    const issues = Math.max(0, activity.value.maintainerIssueActivity);
    const score = proportionalScore(commits + issues, TARGET);
    return {
      score,
      reason: `${commits} commit(s) and ${issues} issue activity found in the last ${LOOK_BACK_DAYS} days`,
      findings:
        score < 10
          ? [
              {
                rule: 'lowActivity',
                severity: 'low',
                message: `${commits + issues} activities in the last ${LOOK_BACK_DAYS} days (${TARGET} for the full score)`,
              },
            ]
          : [],
      evidence: [
        {
          kind: 'maintenance',
          message: `${commits} commits and ${issues} maintainer issue activities in ${LOOK_BACK_DAYS} days`,
          values: {
            commits,
            issueActivity: issues,
            ...(repository.known && repository.value.archived === false ? { archived: false } : {}),
          },
        },
      ],
      unknowns,
    };
  },
});
