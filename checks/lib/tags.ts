/** Release tags: which tags are releases, and which tag rules cover a tag name. */
import type { TagInfo } from '../../src/facts/model.js';
import type { TagProtection } from '../../src/facts/platform.js';
import { globToRegExp } from '../../src/util/glob.js';

/** `v1`, `1.2`, `v1.2.3-rc1`, `pkg/v1.2.3`, `name@1.2.3`, `release-1.2`. */
export const RELEASE_TAG = /(?:^|[/@_-])v?\d+(?:\.\d+)+|^v\d+$/i;

/** The newest `n` release-looking tags (all tags when none looks like a version), newest first: by tag date when every tag has one, else in the order the source gave. */
export function newestReleaseTags(tags: readonly TagInfo[], n: number): TagInfo[] {
  const releases = tags.filter((t) => RELEASE_TAG.test(t.name));
  const pool = releases.length > 0 ? [...releases] : [...tags];
  if (pool.every((t) => t.date && !Number.isNaN(Date.parse(t.date)))) {
    pool.sort((a, b) => Date.parse(b.date!) - Date.parse(a.date!));
  }
  return pool.slice(0, n);
}

/** Compiled patterns, shared across repositories (a portfolio sees the same few again and again); bounded. */
const cache = new Map<string, RegExp>();
const MAX_CACHED = 512;

function compiled(key: string, make: () => RegExp): RegExp {
  let re = cache.get(key);
  if (!re) {
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(key, (re = make()));
  }
  return re;
}

/** GitLab protected tag names: `*` is the only wildcard and matches anything. */
function gitlabPattern(p: string): RegExp {
  return new RegExp(
    `^${p
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
}

function matches(rule: TagProtection, pattern: string, tag: string): boolean {
  if (rule.source === 'github-ruleset') {
    if (pattern === '~ALL') return true;
    if (pattern.startsWith('~')) return false; // ~DEFAULT_BRANCH: not a tag
    // Ruleset ref patterns are fnmatch-style on the full ref: `*` within a segment, `**` across them.
    const full = pattern.startsWith('refs/') ? pattern : `refs/tags/${pattern}`;
    return compiled(`gh\0${full}`, () => globToRegExp(full)).test(`refs/tags/${tag}`);
  }
  return compiled(`gl\0${pattern}`, () => gitlabPattern(pattern)).test(tag);
}

/** Whether an enforced rule applies to this tag name (included and not excluded). */
export function covers(rule: TagProtection, tag: string): boolean {
  return rule.enforced && rule.include.some((p) => matches(rule, p, tag)) && !rule.exclude.some((p) => matches(rule, p, tag));
}
