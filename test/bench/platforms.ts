/**
 * Requests per repository for a full assessment through the platform APIs, against the loopback
 * fakes (test/fake-github, test/fake-gitlab): GitHub target ≤ 10, GitLab ≤ 15 (Scorecard ~70).
 */
import { benchGitHub } from '../fake-github/bench.js';
import { benchGitLab } from '../fake-gitlab/bench.js';

interface Fmt {
  table(head: string[], rows: string[][], align?: Array<'l' | 'r'>): string;
  mark(ok: boolean): string;
}

export async function benchPlatforms(f: Fmt): Promise<boolean[]> {
  console.log('\n■ Platform APIs  one full assessment per fake repository (all checks, --offline services)');
  const gh = await benchGitHub();
  const gl = await benchGitLab();
  const ghRows = gh.rows.map((r) => [`GitHub ${r.repo}`, r.token, String(r.total), String(r.graphql), String(r.rest)]);
  const glRows = gl.projects.map((p) => [
    `GitLab ${p.label}`,
    '',
    String(p.requests.total),
    String(p.requests.graphql),
    String(p.requests.rest),
  ]);
  console.log(f.table(['repository', 'token', 'requests', 'GraphQL', 'REST'], [...ghRows, ...glRows], ['l', 'l', 'r', 'r', 'r']));
  const ghOk = gh.requestsPerRepo <= 10;
  const glOk = gl.requestsPerProject <= 15;
  console.log(
    f.table(
      ['metric', 'value', 'target', ''],
      [
        ['GitHub requests per repo (read token, mean)', gh.requestsPerRepo.toFixed(1), '≤ 10', f.mark(ghOk)],
        ['  of which GraphQL / REST', `${gh.graphql.toFixed(1)} / ${gh.rest.toFixed(1)}`, '', ''],
        ['GitLab requests per project (median)', String(gl.requestsPerProject), '≤ 15', f.mark(glOk)],
        ['  max over the scenarios', String(gl.maxRequestsPerProject), '', ''],
        ['Scorecard, for comparison', `~${gh.scorecard}`, '', ''],
      ],
      ['l', 'r', 'r', 'l'],
    ),
  );
  return [ghOk, glOk];
}
