/**
 * `osv-scanner.toml`: the ignores osv-scanner (and so Scorecard) honours. Only `[[IgnoredVulns]]`
 * with `id` and an optional `ignoreUntil` are read — that is what projects use to accept a finding.
 * A config applies to the lockfiles in its directory and below (osv-scanner looks only beside the
 * lockfile; looking up the tree as well saves monorepos one copy per manifest, Scorecard issue #4530).
 */

export interface IgnoredVuln {
  id: string;
  /** ISO date/time after which the ignore no longer applies. */
  ignoreUntil?: string;
  reason?: string;
}

export interface OsvConfig {
  /** Directory of the config ('' for the repository root). */
  dir: string;
  path: string;
  ignored: IgnoredVuln[];
}

/** Reads the ignores of one osv-scanner.toml; unknown tables and keys are skipped. */
export function parseOsvConfig(path: string, text: string): OsvConfig {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
  const ignored: IgnoredVuln[] = [];
  let cur: IgnoredVuln | undefined;
  let inIgnored = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\s+#.*$/, '').trim();
    if (!line || line.startsWith('#')) continue;
    if (line.startsWith('[')) {
      inIgnored = line === '[[IgnoredVulns]]';
      cur = inIgnored ? { id: '' } : undefined;
      if (cur) ignored.push(cur);
      continue;
    }
    if (!inIgnored || !cur) continue;
    const m = /^(\w+)\s*=\s*(.+)$/.exec(line);
    if (!m) continue;
    const value = unquote(m[2].trim());
    if (m[1] === 'id') cur.id = value;
    else if (m[1] === 'ignoreUntil') cur.ignoreUntil = value;
    else if (m[1] === 'reason') cur.reason = value;
  }
  return { dir, path, ignored: ignored.filter((i) => i.id) };
}

function unquote(v: string): string {
  const m = /^"((?:[^"\\]|\\.)*)"|^'([^']*)'/.exec(v);
  return m ? (m[1] ?? m[2] ?? '') : v;
}

/** The configs that apply to a lockfile: those in its directory or an ancestor, nearest first. */
export function configsFor(lockfile: string, configs: OsvConfig[]): OsvConfig[] {
  const dir = lockfile.includes('/') ? lockfile.slice(0, lockfile.lastIndexOf('/')) : '';
  return configs.filter((c) => c.dir === '' || dir === c.dir || dir.startsWith(`${c.dir}/`)).sort((a, b) => b.dir.length - a.dir.length);
}

/** The ignore entry matching any of these ids that is still in force at `now`. */
export function ignoreFor(ids: string[], configs: OsvConfig[], now: Date): { config: OsvConfig; entry: IgnoredVuln } | undefined {
  for (const config of configs) {
    for (const entry of config.ignored) {
      if (!ids.includes(entry.id)) continue;
      if (entry.ignoreUntil) {
        const until = Date.parse(entry.ignoreUntil);
        if (!Number.isNaN(until) && until < now.getTime()) continue;
      }
      return { config, entry };
    }
  }
  return undefined;
}
