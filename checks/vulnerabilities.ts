/**
 * Vulnerabilities: do the dependency versions pinned in the repository have known vulnerabilities?
 *
 * A port of OpenSSF Scorecard's rule (probes/hasOSVVulnerabilities: impl.go and group.go,
 * checks/evaluation/vulnerabilities.go): the OSV advisories affecting the locked versions are
 * grouped — two ids are one vulnerability when they are equal or one names the other (or a shared
 * alias) — and the score is 10 minus the number of groups, at least 0. Each group is represented
 * by its most specific id (osv-scanner's order: DSA, CVE, others, GHSA). Ignores in
 * `osv-scanner.toml` are honoured (by the provider).
 *
 * The `vulnerabilities` fact comes from osv.dev (src/facts/providers/external.ts) and is looked up
 * only when the repository is assessed on its platform: a local run is inconclusive, never 10.
 */
import { defineCheck, inconclusive, type Finding } from '../src/check.js';
import type { Vulnerability } from '../src/facts/platform.js';

interface Group {
  id: string;
  ids: string[];
  aliases: string[];
  members: Vulnerability[];
}

function intersect(a: Vulnerability, b: Vulnerability): boolean {
  if (a.id && a.id === b.id) return true;
  if (a.aliases.some((x) => b.aliases.includes(x))) return true;
  return a.aliases.includes(b.id) || b.aliases.includes(a.id);
}

const prefixOrder = (id: string): number => {
  const p = id.split('-')[0];
  return p === 'DSA' ? 3 : p === 'CVE' ? 2 : p === 'GHSA' ? 0 : 1;
};

/** osv-scanner's identifier order: a more specific id first. */
export function idSort(a: string, b: string): number {
  const d = prefixOrder(b) - prefixOrder(a);
  return d !== 0 ? d : a < b ? -1 : a > b ? 1 : 0;
}

/** Scorecard's group(): union-find over intersecting vulnerabilities. */
export function group(vulns: Vulnerability[]): Group[] {
  const parent = vulns.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  for (let i = 0; i < vulns.length; i++)
    for (let j = i + 1; j < vulns.length; j++)
      if (intersect(vulns[i], vulns[j])) {
        const l = root(i);
        const r = root(j);
        parent[Math.max(l, r)] = Math.min(l, r);
      }
  const byRoot = new Map<number, Vulnerability[]>();
  vulns.forEach((v, i) => {
    const r = root(i);
    const list = byRoot.get(r) ?? [];
    list.push(v);
    byRoot.set(r, list);
  });
  return [...byRoot.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, members]) => {
      const ids = [...new Set(members.map((m) => m.id))].sort(idSort);
      const aliases = [...new Set([...members.flatMap((m) => m.aliases), ...ids])].sort();
      return { id: ids[0], ids, aliases, members };
    });
}

function findingFor(g: Group): Finding {
  const first = g.members[0];
  const packages = [...new Set(g.members.map((m) => `${m.package.ecosystem} ${m.package.name}@${m.package.version}`))];
  const paths = [...new Set(g.members.map((m) => m.path))];
  const others = g.aliases.filter((a) => a !== g.id);
  const summary = g.members.find((m) => m.summary)?.summary;
  return {
    rule: 'vulnerableDependency',
    severity: 'high',
    message:
      `${g.id}${others.length ? ` (${others.join(', ')})` : ''} affects ${packages.join(', ')}${summary ? `: ${summary}` : ''}` +
      (paths.length > 1 ? ` — also locked in ${paths.slice(1).join(', ')}` : ''),
    location: { path: first.path },
    remediation: {
      text:
        `Upgrade ${[...new Set(g.members.map((m) => m.package.name))].join(', ')} to a version fixed for ${g.id} (https://osv.dev/vulnerability/${g.id}) and update ${paths.join(', ')}. ` +
        'If the vulnerable code is not reachable, record that in osv-scanner.toml ([[IgnoredVulns]] with id, ignoreUntil and reason).',
    },
  };
}

export default defineCheck({
  id: 'Vulnerabilities',
  risk: 'high',
  description:
    'Determines whether the dependency versions locked in the repository (package-lock.json, yarn.lock, pnpm-lock.yaml, go.mod, Cargo.lock, ' +
    'requirements.txt, poetry.lock, Gemfile.lock, composer.lock) have known vulnerabilities in OSV: 10 minus one per vulnerability (aliases grouped).',
  facts: ['vulnerabilities'],
  slsa: [],
  remediation: [
    'Upgrade the affected dependencies to fixed versions and commit the updated lockfiles.',
    'Use a dependency update tool (Dependabot, Renovate) so fixes arrive quickly.',
    'Record vulnerabilities that do not affect the project in osv-scanner.toml with a reason and an expiry.',
  ],
  differsFromScorecard:
    'Lockfiles are read and queried against the OSV API directly (Scorecard runs osv-scanner): the formats listed are read, Maven/Gradle/NuGet ' +
    'manifests and the commit query are not. An osv-scanner.toml also applies to lockfiles in sub-directories (osv-scanner reads it only beside ' +
    'the lockfile, Scorecard #4530). Not run on a local checkout (no network): inconclusive there.',
  run(facts) {
    const { vulnerabilities } = facts;
    if (!vulnerabilities.known) return inconclusive('known vulnerabilities could not be looked up', ['vulnerabilities', vulnerabilities]);
    const groups = group(vulnerabilities.value);
    const score = Math.max(0, 10 - groups.length);
    return {
      score,
      reason: groups.length === 0 ? 'no vulnerabilities detected' : `${groups.length} existing vulnerabilities detected`,
      findings: groups.map(findingFor),
      evidence: [
        {
          kind: 'vulnerabilityScan',
          message: `${groups.length} known vulnerabilities in locked dependencies (OSV)`,
          values: { vulnerabilities: groups.length },
        },
      ],
    };
  },
});
