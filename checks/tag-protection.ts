/**
 * Tag-Protection (ours) — can the release tags be moved or deleted?
 *
 * A release tag that can be re-pointed is a release that can be swapped under its users (the
 * tj-actions/changed-files compromise re-pointed every tag of the action). SLSA v1.2's Source track
 * asks for it from L2 ("protected named references"). Reads the platform's tag rules (`tagProtection`:
 * GitHub tag rulesets, GitLab protected tags) and the newest release tags.
 *
 * Scoring: per release tag looked at, 5 points when updating it is blocked and 5 when deleting it
 * is, by any enforced rule that covers it; the score is the mean, truncated. Without tags yet, the
 * rules are tested against the name a first release would take (`v1.0.0` or `1.0.0`, whichever is
 * better protected). Rules in evaluate/disabled mode do not count. Unreadable rules → null with
 * what would make them readable.
 *
 * ## Evidence (read by the SLSA tables)
 * - `tagProtection` {pattern, authoritative: true, updateBlocked, deletionBlocked, tags, bypassActors?}
 *   — one summary over the release tags looked at (a value is true only when it holds for all of
 *   them); `pattern` lists the covering rules' patterns, `(none)` when no rule covers them.
 */
import { defineCheck, inconclusive, type Evidence, type Finding, type Remediation, type UnknownNote } from '../src/check.js';
import type { Platform } from '../src/facts/model.js';
import type { TagProtection } from '../src/facts/platform.js';
import { covers, newestReleaseTags } from './lib/tags.js';

const RECENT = 10;
/** Names a first release would take, for a repository without tags yet. */
const FIRST_RELEASE = ['v1.0.0', '1.0.0'];

function remediation(platform: Platform | undefined, repo: string | undefined): Remediation {
  if (platform === 'gitlab') {
    const id = repo ? encodeURIComponent(repo) : ':id';
    return {
      text:
        'Protect the release tags: Settings → Repository → Protected tags, name `v*`, "Allowed to create": Maintainers. ' +
        'Protected tags cannot be updated or deleted with git push.',
      patch: `glab api --method POST "projects/${id}/protected_tags" -f name='v*' -f create_access_level=40`,
    };
  }
  const body = {
    name: 'release tags',
    target: 'tag',
    enforcement: 'active',
    conditions: { ref_name: { include: ['refs/tags/v*'], exclude: [] } },
    rules: [{ type: 'update' }, { type: 'deletion' }, { type: 'non_fast_forward' }],
  };
  return {
    text:
      'Add a tag ruleset that blocks updates and deletions of release tags (Settings → Rules → Rulesets → New tag ruleset, ' +
      'target `v*`, rules "Restrict updates" and "Restrict deletions"); keep the bypass list empty.',
    patch: `gh api --method POST repos/${repo ?? '{owner}/{repo}'}/rulesets --input - <<'EOF'\n${JSON.stringify(body, null, 2)}\nEOF`,
  };
}

interface TagState {
  tag: string;
  rules: TagProtection[];
  update: boolean;
  deletion: boolean;
}

function stateOf(tag: string, rules: readonly TagProtection[]): TagState {
  const covering = rules.filter((r) => covers(r, tag));
  const on = (k: 'updateBlocked' | 'deletionBlocked') => covering.some((r) => r[k].known && r[k].value);
  return { tag, rules: covering, update: on('updateBlocked'), deletion: on('deletionBlocked') };
}

export default defineCheck({
  id: 'Tag-Protection',
  risk: 'medium',
  description:
    'Determines whether the release tags are protected against being moved or deleted (GitHub tag rulesets, GitLab protected tags), ' +
    'so a published release name always means the same commit.',
  facts: ['tagProtection', 'tags', 'repository'],
  slsa: ['slsa-v1.2-source/source.access-and-history', 'slsa-v1.2-source/source.protected-refs'],
  remediation: [
    'GitHub: add a tag ruleset targeting the release tags (e.g. `v*`) with "Restrict updates" and "Restrict deletions", and no bypass actors.',
    'GitLab: protect the release tags (Settings → Repository → Protected tags), allowed to create: Maintainers.',
  ],
  differsFromScorecard: 'No Scorecard check: Branch-Protection looks at branches only.',
  run(facts) {
    const { tagProtection, tags, repository } = facts;
    if (!tagProtection.known) return inconclusive('the tag rules could not be read', ['tagProtection', tagProtection]);
    const repo = repository.known ? repository.value : undefined;
    const fix = remediation(repo?.platform, repo?.repo);
    const released = tags.known ? newestReleaseTags(tags.value, RECENT).map((t) => t.name) : [];
    // Without tags, a first release would take ONE of the usual names: the best-protected one counts.
    const points = (s: TagState) => (s.update ? 5 : 0) + (s.deletion ? 5 : 0);
    const states =
      released.length > 0
        ? released.map((n) => stateOf(n, tagProtection.value))
        : [FIRST_RELEASE.map((n) => stateOf(n, tagProtection.value)).reduce((a, b) => (points(b) > points(a) ? b : a))];
    const findings: Finding[] = [];
    for (const s of states) {
      if (s.update && s.deletion) continue;
      const what = !s.update && !s.deletion ? 'moved or deleted' : !s.update ? 'moved' : 'deleted';
      findings.push({
        rule: s.rules.length === 0 ? 'tagNotProtected' : 'tagPartlyProtected',
        severity: 'medium',
        message:
          released.length > 0
            ? `release tag \`${s.tag}\` can be ${what}${s.rules.length ? ` (covered by ${s.rules.map((r) => `"${r.name}"`).join(', ')})` : ': no tag rule covers it'}`
            : `a first release tag such as \`${s.tag}\` could be ${what}${s.rules.length ? '' : ': no tag rule covers it'}`,
        remediation: fix,
      });
    }
    for (const r of tagProtection.value.filter((x) => !x.enforced))
      findings.push({
        rule: 'tagRuleNotEnforced',
        severity: 'info',
        message: `tag rule "${r.name}" (${r.include.join(', ')}) is not enforced (evaluate or disabled mode)`,
      });
    const covering = [...new Set(states.flatMap((s) => s.rules))];
    const bypass = covering.map((r) => r.bypassActors).filter((b) => b !== undefined);
    const bypassKnown = bypass.length > 0 && bypass.every((b) => b.known);
    const bypassCount = bypassKnown ? bypass.reduce((n, b) => n + (b.known ? b.value : 0), 0) : undefined;
    if (bypassCount)
      findings.push({
        rule: 'tagRuleBypass',
        severity: 'low',
        message: `${bypassCount} actor(s) may bypass the rules protecting the release tags`,
      });
    const update = states.every((s) => s.update);
    const deletion = states.every((s) => s.deletion);
    const evidence: Evidence[] = [
      {
        kind: 'tagProtection',
        message: covering.length
          ? `release tags covered by ${covering.map((r) => `"${r.name}" (${r.include.join(', ')})`).join(', ')}: updates ${update ? 'blocked' : 'allowed'}, deletion ${deletion ? 'blocked' : 'allowed'}`
          : 'no enforced tag rule covers the release tags',
        values: {
          pattern: covering.length ? [...new Set(covering.flatMap((r) => r.include))].join(', ') : '(none)',
          authoritative: true,
          updateBlocked: update,
          deletionBlocked: deletion,
          tags: states.map((s) => s.tag).join(', '),
          ...(bypassCount !== undefined ? { bypassActors: bypassCount } : {}),
        },
      },
    ];
    const score = Math.trunc(states.reduce((n, s) => n + points(s), 0) / states.length);
    const subject =
      released.length > 0
        ? `${states.filter((s) => s.update && s.deletion).length}/${states.length} release tag(s)`
        : 'future release tags';
    const reason =
      update && deletion
        ? `${subject} cannot be moved or deleted`
        : `${subject} protected against both moving and deletion${covering.length ? '' : ' (no tag rule)'}`;
    const hidden = bypassKnown ? undefined : bypass.find((b) => !b.known);
    const unknowns: UnknownNote[] = hidden
      ? [
          {
            fact: 'tagProtection',
            reason: 'who may bypass the tag rules is not visible to this token',
            ...(hidden.needs ? { needs: hidden.needs } : {}),
          },
        ]
      : [];
    return { score, reason, findings, evidence, unknowns };
  },
});
