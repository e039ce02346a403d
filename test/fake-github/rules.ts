/** Rules-for-branch as GitHub computes it: rules of ACTIVE rulesets whose ref conditions match the branch. */
import type { RepoSpec } from './model.js';

function glob(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (ch === '*') re += '[^/]*';
    else if (ch === '?') re += '[^/]';
    else re += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

function matches(patterns: string[], ref: string, defaultBranch: string): boolean {
  return patterns.some((p) => p === '~ALL' || (p === '~DEFAULT_BRANCH' && ref === `refs/heads/${defaultBranch}`) || glob(p).test(ref));
}

export function rulesForBranch(r: RepoSpec, branch: string): Array<Record<string, unknown>> {
  const ref = `refs/heads/${branch}`;
  const out: Array<Record<string, unknown>> = [];
  for (const s of r.rulesets ?? []) {
    if (s.enforcement !== 'active' || (s.target ?? 'branch') !== 'branch') continue;
    if (!matches(s.include, ref, r.defaultBranch) || matches(s.exclude ?? [], ref, r.defaultBranch)) continue;
    for (const rule of s.rules) {
      out.push({
        type: rule.type,
        ...(rule.parameters ? { parameters: rule.parameters } : {}),
        ruleset_source_type: s.source?.type ?? 'Repository',
        ruleset_source: s.source?.name ?? `${r.owner}/${r.name}`,
        ruleset_id: s.id,
      });
    }
  }
  return out;
}
