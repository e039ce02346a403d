/**
 * Lockfile and manifest readers for the OSV query: each turns one file's text into the exact
 * package versions it pins, in OSV's ecosystem names. Pure functions over text — bad input yields
 * fewer packages (and a note), never an exception. Only pinned versions are returned: a range in a
 * manifest says nothing about what is installed, so it is not queried.
 *
 * Formats: package-lock.json (v1 `dependencies`, v2/v3 `packages`), npm-shrinkwrap.json,
 * yarn.lock (v1 and Berry), pnpm-lock.yaml (v5–v9 keys), go.mod (go.sum when there is no go.mod
 * beside it), Cargo.lock, requirements*.txt (`name==version` lines), poetry.lock, Gemfile.lock,
 * composer.lock.
 */
import { parse as parseYamlValue } from 'yaml';

export type Ecosystem = 'npm' | 'Go' | 'crates.io' | 'PyPI' | 'RubyGems' | 'Packagist';

export interface LockedPackage {
  ecosystem: Ecosystem;
  name: string;
  version: string;
}

export interface LockfileResult {
  packages: LockedPackage[];
  /** Why the file was (partly) not understood. */
  notes: string[];
}

type Parser = (text: string) => LockfileResult;

/** Which parser reads a file, by its base name; undefined when it is not a lockfile we read. */
export function lockfileParser(path: string): { kind: string; parse: Parser } | undefined {
  const base = path.slice(path.lastIndexOf('/') + 1);
  switch (base) {
    case 'package-lock.json':
    case 'npm-shrinkwrap.json':
      return { kind: base, parse: parsePackageLock };
    case 'yarn.lock':
      return { kind: base, parse: parseYarnLock };
    case 'pnpm-lock.yaml':
      return { kind: base, parse: parsePnpmLock };
    case 'go.mod':
      return { kind: base, parse: parseGoMod };
    case 'go.sum':
      return { kind: base, parse: parseGoSum };
    case 'Cargo.lock':
      return { kind: base, parse: parseCargoLock };
    case 'poetry.lock':
      return { kind: base, parse: parsePoetryLock };
    case 'Gemfile.lock':
    case 'gems.locked':
      return { kind: base, parse: parseGemfileLock };
    case 'composer.lock':
      return { kind: base, parse: parseComposerLock };
  }
  if (/^requirements(?:[-_.][\w.-]+)?\.txt$/i.test(base)) return { kind: 'requirements.txt', parse: parseRequirements };
  return undefined;
}

/** Same ecosystem, name and version once. */
export function dedupe(pkgs: LockedPackage[]): LockedPackage[] {
  const seen = new Set<string>();
  const out: LockedPackage[] = [];
  for (const p of pkgs) {
    const k = `${p.ecosystem}\0${p.name}\0${p.version}`;
    if (seen.has(k)) continue;
    seen.add(k);
    out.push(p);
  }
  return out;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A concrete version (not a range, URL, path, git ref or workspace link). */
const PLAIN_VERSION = /^v?\d+(?:\.[\w-]+)*(?:[-+][\w.+-]*)?$/;

function jsonOf(text: string, what: string): { value?: unknown; notes: string[] } {
  try {
    return { value: JSON.parse(text), notes: [] };
  } catch (err) {
    return { notes: [`${what} is not valid JSON: ${(err as Error).message}`] };
  }
}

// ───────────────────────────── npm ─────────────────────────────

export function parsePackageLock(text: string): LockfileResult {
  const { value, notes } = jsonOf(text, 'package-lock.json');
  if (!isObject(value)) return { packages: [], notes: notes.length ? notes : ['package-lock.json is not a JSON object'] };
  const packages: LockedPackage[] = [];
  if (isObject(value.packages)) {
    // lockfileVersion 2 and 3: "node_modules/a/node_modules/@s/b": { version, link?, resolved? }.
    for (const [key, entry] of Object.entries(value.packages)) {
      if (!key || !isObject(entry) || entry.link === true) continue;
      const i = key.lastIndexOf('node_modules/');
      const name = typeof entry.name === 'string' && i < 0 ? entry.name : i >= 0 ? key.slice(i + 'node_modules/'.length) : '';
      const version = entry.version;
      if (name && typeof version === 'string' && PLAIN_VERSION.test(version)) packages.push({ ecosystem: 'npm', name, version });
    }
  } else if (isObject(value.dependencies)) {
    // lockfileVersion 1: nested "dependencies".
    const walk = (deps: Record<string, unknown>, depth: number) => {
      if (depth > 64) return;
      for (const [name, entry] of Object.entries(deps)) {
        if (!isObject(entry)) continue;
        if (typeof entry.version === 'string' && PLAIN_VERSION.test(entry.version))
          packages.push({ ecosystem: 'npm', name, version: entry.version });
        if (isObject(entry.dependencies)) walk(entry.dependencies, depth + 1);
      }
    };
    walk(value.dependencies, 0);
  }
  return { packages: dedupe(packages), notes };
}

/** `@scope/name@range` or `name@range` → name (the part before the last `@` that is not the first character). */
function specName(spec: string): string {
  const s = spec.trim().replace(/^"|"$/g, '');
  const at = s.indexOf('@', 1);
  return at < 0 ? s : s.slice(0, at);
}

export function parseYarnLock(text: string): LockfileResult {
  if (/^__metadata:/m.test(text)) return parseYarnBerry(text);
  const packages: LockedPackage[] = [];
  let names: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    if (!raw.trim() || raw.startsWith('#')) continue;
    if (!/^\s/.test(raw)) {
      // Header: `"a@^1", a@^1.2:` — every spec names the same package.
      names = [...new Set(raw.replace(/:\s*$/, '').split(',').map(specName).filter(Boolean))];
      continue;
    }
    const m = /^\s+version:?\s+"?([^"\s]+)"?\s*$/.exec(raw);
    if (m && names.length) {
      for (const name of names) if (PLAIN_VERSION.test(m[1])) packages.push({ ecosystem: 'npm', name, version: m[1] });
      names = [];
    }
  }
  return { packages: dedupe(packages), notes: [] };
}

function parseYarnBerry(text: string): LockfileResult {
  let doc: unknown;
  try {
    doc = parseYamlValue(text, { maxAliasCount: 100 });
  } catch (err) {
    return { packages: [], notes: [`yarn.lock is not valid YAML: ${(err as Error).message}`] };
  }
  const packages: LockedPackage[] = [];
  if (isObject(doc)) {
    for (const [key, entry] of Object.entries(doc)) {
      if (key === '__metadata' || !isObject(entry)) continue;
      const version = String(entry.version ?? '');
      const resolution = String(entry.resolution ?? key);
      // Workspaces, links, patches and git/file sources are not registry packages.
      if (/@(?:workspace|link|portal|file|patch|git|https?):/.test(resolution) || !PLAIN_VERSION.test(version)) continue;
      for (const spec of key.split(',')) {
        const name = specName(spec.trim());
        if (name) packages.push({ ecosystem: 'npm', name, version });
      }
    }
  }
  return { packages: dedupe(packages), notes: [] };
}

export function parsePnpmLock(text: string): LockfileResult {
  let doc: unknown;
  try {
    doc = parseYamlValue(text, { maxAliasCount: 100 });
  } catch (err) {
    return { packages: [], notes: [`pnpm-lock.yaml is not valid YAML: ${(err as Error).message}`] };
  }
  const packages: LockedPackage[] = [];
  const pkgs = isObject(doc) ? doc.packages : undefined;
  // v5 keys are `/name/1.2.3_peer@1.0.0`, v6 `/name@1.2.3(peer@1.0.0)`, v9 `name@1.2.3(peer@1.0.0)`.
  const lockVersion = isObject(doc) ? Number.parseFloat(String(doc.lockfileVersion ?? '')) : NaN;
  const v5 = Number.isFinite(lockVersion) && lockVersion < 6;
  if (isObject(pkgs)) {
    for (const [rawKey, entry] of Object.entries(pkgs)) {
      const key = rawKey.replace(/^\//, '').replace(/\(.*$/, '');
      let name = '';
      let version = '';
      if (v5) {
        const parts = key.split('/');
        const scoped = key.startsWith('@');
        name = scoped ? `${parts[0]}/${parts[1] ?? ''}` : parts[0];
        version = (parts[scoped ? 2 : 1] ?? '').replace(/_.*$/, '');
      } else {
        const at = key.indexOf('@', 1);
        if (at > 0) {
          name = key.slice(0, at);
          version = key.slice(at + 1);
        }
      }
      if (isObject(entry) && typeof entry.name === 'string') name = entry.name;
      if (isObject(entry) && typeof entry.version === 'string') version = entry.version;
      if (name && PLAIN_VERSION.test(version)) packages.push({ ecosystem: 'npm', name, version });
    }
  }
  return { packages: dedupe(packages), notes: [] };
}

// ───────────────────────────── Go ─────────────────────────────

/** OSV's Go versions have no `v`; `+incompatible` is dropped as osv-scanner does. */
const goVersion = (v: string): string => v.replace(/^v/, '').replace(/\+incompatible$/, '');

export function parseGoMod(text: string): LockfileResult {
  const packages: LockedPackage[] = [];
  let inRequire = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/\/\/.*$/, '').trim();
    if (!line) continue;
    if (inRequire) {
      if (line === ')') {
        inRequire = false;
        continue;
      }
      const m = /^(\S+)\s+(v\S+)$/.exec(line);
      if (m) packages.push({ ecosystem: 'Go', name: m[1], version: goVersion(m[2]) });
      continue;
    }
    if (/^require\s*\($/.test(line)) {
      inRequire = true;
      continue;
    }
    const one = /^require\s+(\S+)\s+(v\S+)$/.exec(line);
    if (one) packages.push({ ecosystem: 'Go', name: one[1], version: goVersion(one[2]) });
  }
  return { packages: dedupe(packages), notes: [] };
}

export function parseGoSum(text: string): LockfileResult {
  const packages: LockedPackage[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const m = /^(\S+)\s+(v[^\s/]+)(\/go\.mod)?\s+h1:/.exec(raw.trim());
    if (m && !m[3]) packages.push({ ecosystem: 'Go', name: m[1], version: goVersion(m[2]) });
  }
  return { packages: dedupe(packages), notes: [] };
}

// ───────────────────────────── TOML lockfiles (Cargo, Poetry) ─────────────────────────────

/** The `[[package]]` tables of a machine-written TOML lockfile: top-level `key = "string"` pairs only. */
function tomlPackages(text: string): Array<Record<string, string>> {
  const out: Array<Record<string, string>> = [];
  let cur: Record<string, string> | undefined;
  let sub = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) {
      if (line === '[[package]]') {
        cur = {};
        out.push(cur);
        sub = false;
      } else if (cur && /^\[package\./.test(line)) {
        // `[package.source]` (poetry): a sub-table of the current package.
        sub = true;
        const t = /^\[package\.(\w+)\]$/.exec(line);
        if (t) cur[`${t[1]}.`] = 'table';
      } else {
        cur = undefined;
      }
      continue;
    }
    const m = /^([\w.-]+)\s*=\s*"((?:[^"\\]|\\.)*)"/.exec(line);
    if (cur && m) cur[sub ? `source.${m[1]}` : m[1]] = m[2];
  }
  return out;
}

export function parseCargoLock(text: string): LockfileResult {
  const packages: LockedPackage[] = [];
  for (const p of tomlPackages(text)) {
    // Workspace members have no `source`; git sources are not crates.io versions.
    if (!p.name || !p.version || !p.source?.startsWith('registry+')) continue;
    packages.push({ ecosystem: 'crates.io', name: p.name, version: p.version });
  }
  return { packages: dedupe(packages), notes: [] };
}

export function parsePoetryLock(text: string): LockfileResult {
  const packages: LockedPackage[] = [];
  for (const p of tomlPackages(text)) {
    if (!p.name || !p.version) continue;
    if (p['source.type'] && !['legacy', 'pypi'].includes(p['source.type'])) continue; // git, directory, file, url
    packages.push({ ecosystem: 'PyPI', name: p.name, version: p.version });
  }
  return { packages: dedupe(packages), notes: [] };
}

// ───────────────────────────── Python requirements ─────────────────────────────

export function parseRequirements(text: string): LockfileResult {
  const packages: LockedPackage[] = [];
  // Continuation lines (`\` at the end) join the next line.
  for (const raw of text.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (!line || line.startsWith('-')) continue;
    const m = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,]+)\s*(?:;.*|--hash\S*.*|\s.*)?$/.exec(line);
    if (!m || m[2].includes('*')) continue;
    packages.push({ ecosystem: 'PyPI', name: m[1].toLowerCase().replace(/[-_.]+/g, '-'), version: m[2] });
  }
  return { packages: dedupe(packages), notes: [] };
}

// ───────────────────────────── Ruby ─────────────────────────────

export function parseGemfileLock(text: string): LockfileResult {
  const packages: LockedPackage[] = [];
  let section = '';
  let inSpecs = false;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\S/.test(raw)) {
      section = raw.trim();
      inSpecs = false;
      continue;
    }
    if (section !== 'GEM') continue;
    if (/^ {2}specs:\s*$/.test(raw)) {
      inSpecs = true;
      continue;
    }
    if (!inSpecs) continue;
    // Exactly four spaces: a locked gem (six are its dependencies' ranges).
    const m = /^ {4}([^\s(]+) \(([^)]+)\)\s*$/.exec(raw);
    if (!m) continue;
    const version = m[2].replace(/-(?:x86|x64|arm|aarch64|universal|java|mingw|mswin|darwin|linux|ruby)[\w.-]*$/, '');
    if (PLAIN_VERSION.test(version)) packages.push({ ecosystem: 'RubyGems', name: m[1], version });
  }
  return { packages: dedupe(packages), notes: [] };
}

// ───────────────────────────── PHP ─────────────────────────────

export function parseComposerLock(text: string): LockfileResult {
  const { value, notes } = jsonOf(text, 'composer.lock');
  if (!isObject(value)) return { packages: [], notes: notes.length ? notes : ['composer.lock is not a JSON object'] };
  const packages: LockedPackage[] = [];
  for (const list of [value.packages, value['packages-dev']]) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (!isObject(p) || typeof p.name !== 'string' || typeof p.version !== 'string') continue;
      const version = p.version.replace(/^v/, '');
      if (PLAIN_VERSION.test(version)) packages.push({ ecosystem: 'Packagist', name: p.name, version });
    }
  }
  return { packages: dedupe(packages), notes };
}
