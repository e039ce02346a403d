/**
 * `tagProtection` from GitLab's protected tags: read only when asked (one request), mapped to the
 * neutral shape, `[]` when the list was readable and empty, and an Unknown naming what would unlock
 * it when the token cannot read it (Maintainers only) — never `[]`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { known, unknown } from '../../../src/facts/fact.js';
import { tagProtection } from '../../../src/sources/gitlab/map.js';
import { startFakeGitLab, type FakeGitLab } from '../../fake-gitlab/server.js';
import { GITLAB_COM, TOKENS, withToken } from '../../fixtures/gitlab/scenarios.js';
import { withTagsAndGroups } from './fixtures.js';
import { factsOf, gitlabSource, val } from './helpers.js';

const DEVELOPER_TOKEN = 'glpat-developer-Hn4tR8vB2xM6qK0wE3sZ';

let fake: FakeGitLab;

beforeAll(async () => {
  fake = await startFakeGitLab({ scenarios: withToken(withTagsAndGroups(GITLAB_COM), DEVELOPER_TOKEN, { 'acme/widget': 30 }) });
});
afterAll(async () => {
  await fake.close();
});

const since = () => {
  const n = fake.requests.length;
  return () => fake.requests.slice(n);
};

describe('tagProtection', () => {
  it('costs one request, only when asked; branch protection does not read protected tags', async () => {
    const mine = since();
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/widget', token: TOKENS.maintainer });
    const { tagProtection: tp } = await factsOf(src, ['tagProtection']);
    expect(val(tp)).toEqual([
      {
        source: 'gitlab-protected-tag',
        name: 'v*',
        include: ['v*'],
        exclude: [],
        enforced: true,
        updateBlocked: known(true),
        deletionBlocked: known(true),
        creationRestricted: known(true),
      },
    ]);
    expect(src.requests.total).toBe(2);
    expect(mine().map((r) => [r.path, r.query])).toEqual([
      ['/api/v4/projects/acme%2Fwidget', '?license=true'],
      ['/api/v4/projects/201/protected_tags', '?per_page=100'],
    ]);

    const other = since();
    const src2 = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/widget', token: TOKENS.maintainer });
    await factsOf(src2, ['branchProtection']);
    expect(other().some((r) => r.path.endsWith('/protected_tags'))).toBe(false);
  });

  it('no protected tags: known [] (the list was readable), not unknown', async () => {
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/legacy', token: TOKENS.maintainer });
    expect((await factsOf(src, ['tagProtection'])).tagProtection).toEqual(known([]));
  });

  it('a token that cannot read them: Unknown with what unlocks it, for each kind of refusal', async () => {
    const ask = async (target: string, token?: string, env?: NodeJS.ProcessEnv) =>
      (
        await factsOf(await gitlabSource({ url: fake.url, target, ...(token ? { token } : {}), ...(env ? { env } : {}) }), [
          'tagProtection',
        ])
      ).tagProtection;
    const maintainer = 'the Maintainer role on the project';
    // Developers can push tags but not read the protection rules.
    expect(await ask('gitlab.com/acme/widget', DEVELOPER_TOKEN)).toEqual(
      unknown('protected tag settings: needs the Maintainer role; the token has Developer (HTTP 403)', maintainer),
    );
    expect(await ask('gitlab.com/bigcorp/secret-sauce', TOKENS.reporter)).toEqual(
      unknown('protected tag settings: needs the Maintainer role; the token has Reporter (HTTP 403)', maintainer),
    );
    expect(await ask('gitlab.com/acme/widget')).toEqual(
      unknown(
        'protected tag settings: not visible without authentication (HTTP 401)',
        'a GITLAB_TOKEN with the read_api scope and the Maintainer role on the project',
      ),
    );
    expect(await ask('gitlab.com/acme/widget', undefined, { CI_JOB_TOKEN: TOKENS.jobToken, CI_SERVER_URL: fake.url })).toEqual(
      unknown(
        'protected tag settings: CI_JOB_TOKEN is not accepted for this endpoint (HTTP 401)',
        'a GITLAB_TOKEN with the read_api scope (the CI/CD job token cannot read this)',
      ),
    );
  });

  it('a server that keeps failing: Unknown with the error, never []', async () => {
    fake.faults.push({ path: '/protected_tags', status: 503, times: 4 });
    const src = await gitlabSource({ url: fake.url, target: 'gitlab.com/acme/widget', token: TOKENS.maintainer });
    const { tagProtection: tp } = await factsOf(src, ['tagProtection']);
    expect(tp.known).toBe(false);
    expect(!tp.known && tp.reason).toMatch(/^protected tag settings: .*503/);
    expect(src.requests.retries).toBe(3);
  });
});

describe('tagProtection mapping', () => {
  const level = (access_level: number, extra: Record<string, unknown> = {}) => ({
    id: 1,
    access_level,
    access_level_description: '',
    ...extra,
  });

  it('creation is restricted unless a role entry still lets Developers create matching tags', () => {
    const restricted = (levels: Array<ReturnType<typeof level>>) =>
      tagProtection({ name: 'v*', create_access_levels: levels as never }).creationRestricted;
    expect(restricted([level(30)])).toEqual(known(false)); // "Developers + Maintainers": what unprotected tags allow
    expect(restricted([level(40)])).toEqual(known(true)); // Maintainers
    expect(restricted([level(0)])).toEqual(known(true)); // No one
    expect(restricted([level(60)])).toEqual(known(true)); // Administrators (self-managed)
    expect(restricted([])).toEqual(known(true)); // no entry matches anyone
    // A user, group or deploy key entry names someone in particular, whatever its access_level says.
    expect(restricted([level(30, { user_id: 7 })])).toEqual(known(true));
    expect(restricted([level(30, { group_id: 9 })])).toEqual(known(true));
    expect(restricted([level(30, { deploy_key_id: 3 })])).toEqual(known(true));
    expect(restricted([level(40), level(30)])).toEqual(known(false));
  });

  it('an answer without create_access_levels: creation Unknown; moving and deleting still blocked', () => {
    const t = tagProtection({ name: 'release-*' });
    expect(t.creationRestricted).toEqual(
      unknown('protected tag release-*: GitLab did not list who may create matching tags (create_access_levels)'),
    );
    expect([t.updateBlocked, t.deletionBlocked, t.enforced]).toEqual([known(true), known(true), true]);
  });
});
