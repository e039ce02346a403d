/**
 * `ownerSettings` for GitLab: the namespace kind comes with the project; a group's two-factor
 * requirement, with its parents' (a parent's requirement binds its subgroups), comes with the one
 * GraphQL request a run makes anyway — REST `GET /groups/:id` only when GraphQL cannot answer. A
 * personal namespace, an unread parent or a refused group is an Unknown, never `false`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { known, unknown } from '../../../src/facts/fact.js';
import { groupTwoFactor } from '../../../src/sources/gitlab/map.js';
import { startFakeGitLab, type FakeGitLab } from '../../fake-gitlab/server.js';
import type { FakeProject, Scenario } from '../../fake-gitlab/types.js';
import { project } from '../../fixtures/gitlab/builders.js';
import { GITLAB_COM, TOKENS } from '../../fixtures/gitlab/scenarios.js';
import { withTagsAndGroups } from './fixtures.js';
import { factsOf, gitlabSource, val } from './helpers.js';

const SECRET_JOB_TOKEN = 'glcbt-64_secretjob-fixture-7yH3nB5vC1x';

const legacy = GITLAB_COM.projects.find((p) => p.project.path_with_namespace === 'acme/legacy')!;
const like = (id: number, path: string): FakeProject => ({ ...legacy, project: project({ id, path }) });
const personalProject = project({ id: 301, path: 'alice/dotfiles' });
const personal: FakeProject = {
  ...legacy,
  project: {
    ...personalProject,
    namespace: { ...personalProject.namespace, kind: 'user', name: 'Alice Example', path: 'alice', full_path: 'alice', parent_id: null },
  },
};

/** The shared scenario plus a personal project, subgroups with and without 2FA, and nesting deeper than is read. */
function scenario(extra: Partial<Scenario['instance']> = {}): Scenario {
  const s = withTagsAndGroups(GITLAB_COM);
  return {
    ...s,
    instance: { ...s.instance, ...extra },
    tokens: [...s.tokens, { token: SECRET_JOB_TOKEN, username: 'rita', roles: { 'bigcorp/secret-sauce': 30 }, job: true }],
    projects: [...s.projects, personal, like(302, 'x/y/proj'), like(303, 'a/b/c/d/e/proj'), like(304, 'm/n/o/p/q/proj')],
    // m/n is the fourth group up from m/n/o/p/q: the last one the source reads.
    groups: { ...s.groups, 'm/n': { require_two_factor_authentication: true } },
  };
}

let fake: FakeGitLab;
let noGraphql: FakeGitLab;

beforeAll(async () => {
  fake = await startFakeGitLab({ scenarios: scenario() });
  noGraphql = await startFakeGitLab({ scenarios: scenario({ graphqlDisabled: true }) });
});
afterAll(async () => {
  await fake.close();
  await noGraphql.close();
});

async function owner(f: FakeGitLab, target: string, token?: string, env?: NodeJS.ProcessEnv) {
  const src = await gitlabSource({ url: f.url, target, ...(token ? { token } : {}), ...(env ? { env } : {}) });
  const n = f.requests.length;
  const { ownerSettings } = await factsOf(src, ['ownerSettings']);
  return { settings: ownerSettings, total: src.requests.total, paths: f.requests.slice(n).map((r) => r.path) };
}

const BINDS = "(a parent group's requirement applies to its subgroups)";

describe('ownerSettings from the GraphQL request', () => {
  it('a group that requires 2FA: known true, at no cost beyond the GraphQL request other facts share', async () => {
    const r = await owner(fake, 'gitlab.com/bigcorp/platform', TOKENS.maintainer);
    expect(r.settings).toEqual(known({ kind: 'group', name: 'bigcorp', twoFactorRequired: known(true) }));
    expect(r.paths).toEqual(['/api/graphql']);
    expect(r.total).toBe(2); // the project, then the batch
    // Asked together with a GraphQL-backed fact: still one GraphQL request.
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/bigcorp/platform', token: TOKENS.maintainer });
    await factsOf(src, ['ownerSettings', 'mergedChanges', 'releases']);
    expect(src.requests).toMatchObject({ total: 2, graphql: 1 });
  });

  it('a group that does not: known false', async () => {
    expect((await owner(fake, 'gitlab.com/acme/widget', TOKENS.maintainer)).settings).toEqual(
      known({ kind: 'group', name: 'acme', twoFactorRequired: known(false) }),
    );
  });

  it('a subgroup: a parent group’s requirement applies; false only when no group up the path requires it', async () => {
    // group/sub does not require 2FA; its parent `group` does. Anonymous: both groups are public.
    expect((await owner(fake, 'gitlab.com/group/sub/project')).settings).toEqual(
      known({ kind: 'group', name: 'group/sub', twoFactorRequired: known(true) }),
    );
    expect((await owner(fake, 'gitlab.com/x/y/proj')).settings).toEqual(
      known({ kind: 'group', name: 'x/y', twoFactorRequired: known(false) }),
    );
  });

  it('nesting deeper than the four groups read: Unknown naming the unread parent, unless a group read requires 2FA', async () => {
    expect((await owner(fake, 'gitlab.com/a/b/c/d/e/proj')).settings).toEqual(
      known({
        kind: 'group',
        name: 'a/b/c/d/e',
        twoFactorRequired: unknown(
          `two-factor requirement: a/b/c/d/e does not require two-factor authentication, but the parent group a was not read ${BINDS}`,
        ),
      }),
    );
    expect((await owner(fake, 'gitlab.com/m/n/o/p/q/proj')).settings).toEqual(
      known({ kind: 'group', name: 'm/n/o/p/q', twoFactorRequired: known(true) }),
    );
  });

  it('a personal namespace: kind user, the requirement Unknown with why, and no request beyond the project', async () => {
    const r = await owner(fake, 'gitlab.com/alice/dotfiles', TOKENS.maintainer);
    expect(r.settings).toEqual(
      known({
        kind: 'user',
        name: 'alice',
        twoFactorRequired: unknown(
          'a personal namespace has no two-factor requirement of its own; an instance-wide requirement (an administrator setting) is not visible through the API',
        ),
      }),
    );
    expect(r.total).toBe(1);
    expect(r.paths).toEqual([]);
  });
});

describe('ownerSettings without GraphQL (REST GET /groups/:id)', () => {
  it('reads the group itself in one request; a subgroup that does not require 2FA says its parents were not read', async () => {
    const platform = await owner(noGraphql, 'gitlab.com/bigcorp/platform', TOKENS.maintainer);
    expect(platform.settings).toEqual(known({ kind: 'group', name: 'bigcorp', twoFactorRequired: known(true) }));
    expect(platform.paths).toEqual(['/api/graphql', '/api/v4/groups/1202']);
    expect(noGraphql.requests.find((x) => x.path === '/api/v4/groups/1202')?.query).toBe('?with_projects=false');

    expect((await owner(noGraphql, 'gitlab.com/acme/widget', TOKENS.maintainer)).settings).toEqual(
      known({ kind: 'group', name: 'acme', twoFactorRequired: known(false) }),
    );
    expect((await owner(noGraphql, 'gitlab.com/group/sub/project')).settings).toEqual(
      known({
        kind: 'group',
        name: 'group/sub',
        twoFactorRequired: unknown(
          `two-factor requirement: group/sub does not require two-factor authentication, but the parent group group was not read ${BINDS}`,
        ),
      }),
    );
  });

  it('a group the credential may not read: Unknown with what unlocks it (a CI job token on a private project)', async () => {
    // GraphQL runs anonymously with a job token and cannot see the private project; REST refuses the job token.
    const r = await owner(fake, 'gitlab.com/bigcorp/secret-sauce', undefined, { CI_JOB_TOKEN: SECRET_JOB_TOKEN, CI_SERVER_URL: fake.url });
    expect(val(r.settings)).toEqual({
      kind: 'group',
      name: 'bigcorp',
      twoFactorRequired: unknown(
        "the group's settings: CI_JOB_TOKEN is not accepted for this endpoint (HTTP 401)",
        'a GITLAB_TOKEN with the read_api scope (the CI/CD job token cannot read this)',
      ),
    });
    expect(r.paths).toEqual(['/api/graphql', '/api/v4/groups/1203']);
  });
});

describe('groupTwoFactor', () => {
  it('a parent GitLab did not show (not visible to the token): Unknown naming the group whose membership would show it', () => {
    expect(groupTwoFactor({ requireTwoFactorAuthentication: false, parent: null }, 'corp/team')).toEqual(
      unknown(
        `two-factor requirement: corp/team does not require two-factor authentication, but the parent group corp is not visible to this token ${BINDS}`,
        'membership of corp (or of a project in it)',
      ),
    );
    // Any group up the path that requires it settles it, whatever else is unknown.
    expect(groupTwoFactor({ requireTwoFactorAuthentication: null, parent: { requireTwoFactorAuthentication: true } }, 'a/b/c')).toEqual(
      known(true),
    );
  });

  it('a group whose answer lacks the setting: Unknown, not false', () => {
    expect(groupTwoFactor({ requireTwoFactorAuthentication: null, parent: null }, 'corp')).toEqual(
      unknown('two-factor requirement: GitLab did not say whether corp requires it'),
    );
  });
});
