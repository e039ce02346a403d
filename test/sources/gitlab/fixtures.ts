/**
 * Protected tags and group settings layered onto the shared GitLab scenarios
 * (test/fixtures/gitlab/scenarios.ts, which this work may not edit):
 * - `acme/widget`             `v*` protected, Maintainers create; group `acme` does not require 2FA;
 * - `bigcorp/platform`        `v*` created by no role but one user (the release bot), `nightly-*` by Developers;
 *                             group `bigcorp` requires 2FA;
 * - `oss-tools/release-tool`  `v*` created by Maintainers and a deploy key;
 * - `group/sub/project`       the top-level group `group` requires 2FA, the subgroup `group/sub` does not;
 * - `acme/legacy`, `bigcorp/secret-sauce`  no protected tags.
 */
import type { ProtectedTagFixture, Scenario } from '../../fake-gitlab/types.js';

export const PROTECTED_TAGS: Record<string, ProtectedTagFixture[]> = {
  'acme/widget': [{ name: 'v*', create_access_levels: [{ id: 1, access_level: 40, access_level_description: 'Maintainers' }] }],
  'bigcorp/platform': [
    {
      name: 'v*',
      create_access_levels: [
        { id: 21, access_level: 0, access_level_description: 'No one' },
        { id: 22, access_level: 40, access_level_description: 'renovate-bot', user_id: 104, group_id: null },
      ],
    },
    { name: 'nightly-*', create_access_levels: [{ id: 23, access_level: 30, access_level_description: 'Developers + Maintainers' }] },
  ],
  'oss-tools/release-tool': [
    {
      name: 'v*',
      create_access_levels: [
        { id: 51, access_level: 40, access_level_description: 'Maintainers' },
        { id: 52, access_level: 40, access_level_description: 'Deploy key', deploy_key_id: 1 },
      ],
    },
  ],
};

export const GROUP_SETTINGS: NonNullable<Scenario['groups']> = {
  bigcorp: { require_two_factor_authentication: true, two_factor_grace_period: 0 },
  group: { require_two_factor_authentication: true },
  'group/sub': { require_two_factor_authentication: false },
};

/** The scenario with the protected tags and group settings above. */
export function withTagsAndGroups(s: Scenario): Scenario {
  return {
    ...s,
    groups: { ...s.groups, ...GROUP_SETTINGS },
    projects: s.projects.map((p) => {
      const tags = PROTECTED_TAGS[p.project.path_with_namespace];
      return tags ? { ...p, protectedTags: tags } : p;
    }),
  };
}
