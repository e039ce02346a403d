/**
 * GitLab CI configuration: `.gitlab-ci.yml` with its local `include:`s resolved (through a loader
 * the caller supplies — parsing does no I/O), `extends:`, `default:`, anchors/merge keys and
 * `!reference` tags. Every value keeps its file:line:col, in whichever included file it was written.
 */
import type { Document } from 'yaml';
import type { Located, Location, ParseIssue } from '../facts/model.js';
import type { RunScript } from './github-workflow.js';
import {
  deref,
  entries,
  get,
  isMap,
  isScalar,
  isSeq,
  locOf,
  parseYaml,
  scalarLineLocator,
  scalarString,
  stringList,
  toJS,
  type YamlFile,
  type YNode,
} from './yaml.js';
import { globToRegExp } from '../util/glob.js';

export type IncludeKind = 'local' | 'project' | 'remote' | 'template' | 'component' | 'unknown';

export interface Include {
  kind: IncludeKind;
  /** Path, URL, template name or component address as written. */
  value: string;
  project?: string;
  ref?: string;
  loc: Location;
  /** For local includes: whether the file was found and read. */
  resolved?: boolean;
}

export interface IdToken {
  name: string;
  aud: string[];
  loc: Location;
}

export interface ScriptLine extends RunScript {
  section: 'before_script' | 'script' | 'after_script';
}

export interface GitlabJob {
  name: string;
  loc: Location;
  stage?: string;
  image?: Located<string>;
  services: Array<Located<string>>;
  scripts: ScriptLine[];
  idTokens: IdToken[];
  /** Keys under artifacts:reports (cyclonedx, sast, dotenv, …). */
  reports: Array<Located<string>>;
  release?: Location;
  /** Names of CI/CD secrets used through `secrets:` (vault, gcp…). */
  secrets: string[];
  variables: Record<string, Located<string>>;
  rules: unknown;
  only: unknown;
  except: unknown;
  when?: string;
  environment?: string;
  extends: string[];
  trigger?: Located<string>;
  tags: string[];
}

export interface GitlabCi {
  path: string;
  files: string[];
  includes: Include[];
  jobs: GitlabJob[];
  workflowRules: unknown;
  variables: Record<string, Located<string>>;
  issues: ParseIssue[];
}

/** Reads a repository file (undefined when absent or unreadable); `list` expands include globs. */
export interface CiLoader {
  read(path: string): Promise<string | undefined>;
  list?(): string[];
}

const GLOBAL_KEYS = new Set([
  'default',
  'include',
  'stages',
  'variables',
  'workflow',
  'image',
  'services',
  'before_script',
  'after_script',
  'cache',
  'spec',
  'types',
]);
const MAX_INCLUDED_FILES = 150;

/** A node together with the file it came from, so positions stay right across includes. */
interface Ref {
  file: YamlFile;
  doc: Document.Parsed;
  node: YNode;
}

export async function parseGitlabCi(rootPath: string, rootText: string, loader: CiLoader): Promise<GitlabCi> {
  const ci: GitlabCi = { path: rootPath, files: [], includes: [], jobs: [], workflowRules: undefined, variables: {}, issues: [] };
  const defs = new Map<string, Ref>(); // every top-level key, from every file, later ones win
  const globals = new Map<string, Ref>();
  const queue: Array<{ path: string; text: string }> = [{ path: rootPath, text: rootText }];
  const seen = new Set<string>([rootPath]);

  while (queue.length > 0) {
    const { path, text } = queue.shift()!;
    ci.files.push(path);
    const file = parseYaml(path, text);
    ci.issues.push(...file.issues);
    const doc = pipelineDoc(file);
    if (!doc) continue;
    if (!isMap(doc.contents)) {
      ci.issues.push({ message: 'CI configuration is not a YAML mapping', loc: locOf(file, doc.contents) });
      continue;
    }
    for (const e of entries(doc, doc.contents)) {
      if (e.value === undefined) continue;
      const ref = { file, doc, node: e.value };
      if (e.key === 'include') {
        for (const inc of parseIncludes(file, doc, e.value)) {
          ci.includes.push(inc);
          if (inc.kind !== 'local') continue;
          const paths = expandLocal(inc.value, loader);
          inc.resolved = false;
          for (const p of paths) {
            if (seen.has(p)) {
              inc.resolved = true;
              continue;
            }
            if (seen.size >= MAX_INCLUDED_FILES) {
              ci.issues.push({ message: `more than ${MAX_INCLUDED_FILES} included files; the rest were not read`, loc: inc.loc });
              break;
            }
            seen.add(p);
            const t = await loader.read(p);
            if (t === undefined) continue;
            inc.resolved = true;
            queue.push({ path: p, text: t });
          }
          if (!inc.resolved) ci.issues.push({ message: `local include \`${inc.value}\` was not found in the repository`, loc: inc.loc });
        }
        continue;
      }
      if (GLOBAL_KEYS.has(e.key)) globals.set(e.key, ref);
      else defs.set(e.key, { ...ref, node: e.value });
      if (!GLOBAL_KEYS.has(e.key) && !isMap(e.value) && !e.key.startsWith('.')) {
        ci.issues.push({ message: `job \`${e.key}\` is not a mapping`, loc: locOf(file, e.keyNode) });
      }
    }
  }

  const wf = globals.get('workflow');
  ci.workflowRules = wf ? toJS(wf.doc, get(wf.doc, wf.node, 'rules')) : undefined;
  const vars = globals.get('variables');
  if (vars) ci.variables = locatedMap(vars, vars.node);

  // `default:` (and the deprecated top-level image/services/scripts) apply to every job.
  const defaults = new Map<string, Ref>();
  const dflt = globals.get('default');
  for (const key of ['image', 'services', 'before_script', 'after_script', 'id_tokens']) {
    const g = globals.get(key);
    if (g) defaults.set(key, g);
    if (dflt) {
      const n = get(dflt.doc, dflt.node, key);
      if (n) defaults.set(key, { ...dflt, node: n });
    }
  }

  for (const [name, ref] of defs) {
    if (name.startsWith('.') || !isMap(ref.node)) continue;
    ci.jobs.push(buildJob(name, ref, defs, defaults, ci.issues, globals.get('variables')));
  }
  return ci;
}

/** GitLab's `spec: inputs:` header is its own YAML document, before `---` and the pipeline. */
function pipelineDoc(file: YamlFile): Document.Parsed | undefined {
  const docs = file.docs.filter((d) => d.contents !== null);
  if (docs.length > 1 && isMap(docs[0].contents) && get(docs[0], docs[0].contents, 'spec') !== undefined) return docs[1];
  return docs[0];
}

function parseIncludes(file: YamlFile, doc: Document.Parsed, node: YNode): Include[] {
  const list = isSeq(node) ? node.items.map((i) => deref(doc, i)) : [node];
  const out: Include[] = [];
  for (const item of list) {
    if (item === undefined) continue;
    const loc = locOf(file, item);
    if (isScalar(item)) {
      const v = scalarString(doc, item) ?? '';
      out.push({ kind: /^https?:\/\//i.test(v) ? 'remote' : 'local', value: v, loc });
      continue;
    }
    const s = (k: string) => scalarString(doc, get(doc, item, k));
    if (s('local') !== undefined) out.push({ kind: 'local', value: s('local')!, loc });
    else if (s('remote') !== undefined) out.push({ kind: 'remote', value: s('remote')!, loc });
    else if (s('template') !== undefined) out.push({ kind: 'template', value: s('template')!, loc });
    else if (s('component') !== undefined) {
      const v = s('component')!;
      const at = v.lastIndexOf('@');
      out.push({ kind: 'component', value: v, ref: at > 0 ? v.slice(at + 1) : undefined, loc });
    } else if (s('project') !== undefined) {
      const files = stringList(doc, get(doc, item, 'file')).map((f) => f.value);
      out.push({ kind: 'project', value: files.join(', '), project: s('project'), ref: s('ref'), loc });
    } else out.push({ kind: 'unknown', value: JSON.stringify(toJS(doc, item)), loc });
  }
  return out;
}

function expandLocal(value: string, loader: CiLoader): string[] {
  const path = value.replace(/^\/+/, '');
  if (!/[*?]/.test(path)) return [path];
  const re = globToRegExp(path);
  return (loader.list?.() ?? []).filter((p) => re.test(p)).sort();
}

/** Effective value of a job key: the job's own, else from its `extends` chain (last wins), else the default. */
function resolveKey(
  name: string,
  key: string,
  defs: Map<string, Ref>,
  defaults: Map<string, Ref>,
  seen = new Set<string>(),
): Ref | undefined {
  const own = defs.get(name);
  if (!own || seen.has(name) || seen.size > 20) return undefined;
  seen.add(name);
  const n = get(own.doc, own.node, key);
  if (n !== undefined) return { ...own, node: n };
  const parents = stringList(own.doc, get(own.doc, own.node, 'extends')).map((p) => p.value);
  for (const p of parents.reverse()) {
    const r = resolveKey(p, key, defs, new Map(), seen);
    if (r) return r;
  }
  return defaults.get(key);
}

function buildJob(
  name: string,
  ref: Ref,
  defs: Map<string, Ref>,
  defaults: Map<string, Ref>,
  issues: ParseIssue[],
  globalVars: Ref | undefined,
): GitlabJob {
  const key = (k: string) => resolveKey(name, k, defs, defaults);
  const str = (k: string) => {
    const r = key(k);
    return r ? scalarString(r.doc, r.node) : undefined;
  };
  const keyEntry = entries(ref.doc, ref.doc.contents).find((e) => e.key === name);
  const job: GitlabJob = {
    name,
    loc: locOf(ref.file, keyEntry?.keyNode ?? ref.node),
    stage: str('stage'),
    services: [],
    scripts: [],
    idTokens: [],
    reports: [],
    secrets: [],
    variables: {},
    rules: js(key('rules')),
    only: js(key('only')),
    except: js(key('except')),
    when: str('when'),
    environment:
      str('environment') ??
      (key('environment')
        ? scalarString(key('environment')!.doc, get(key('environment')!.doc, key('environment')!.node, 'name'))
        : undefined),
    extends: stringList(ref.doc, get(ref.doc, ref.node, 'extends')).map((p) => p.value),
    tags: (() => {
      const r = key('tags');
      return r ? stringList(r.doc, r.node).map((t) => t.value) : [];
    })(),
  };
  for (const p of job.extends) {
    if (!defs.has(p))
      issues.push({
        message: `job \`${name}\` extends \`${p}\`, which is not defined in the files read (it may come from a non-local include)`,
        loc: job.loc,
      });
  }
  const img = key('image');
  if (img) job.image = imageOf(img, img.node);
  const svcs = key('services');
  if (svcs) {
    for (const s of isSeq(svcs.node) ? svcs.node.items : []) {
      const i = imageOf(svcs, deref(svcs.doc, s));
      if (i) job.services.push(i);
    }
  }
  for (const section of ['before_script', 'script', 'after_script'] as const) {
    const r = key(section);
    if (r) job.scripts.push(...scriptLines(r, r.node, section, defs, 0));
  }
  const tokens = key('id_tokens');
  if (tokens) {
    for (const e of entries(tokens.doc, tokens.node)) {
      job.idTokens.push({
        name: e.key,
        aud: stringList(tokens.doc, get(tokens.doc, e.value, 'aud')).map((a) => a.value),
        loc: locOf(tokens.file, e.keyNode),
      });
    }
  }
  const artifacts = key('artifacts');
  if (artifacts) {
    for (const e of entries(artifacts.doc, get(artifacts.doc, artifacts.node, 'reports'))) {
      job.reports.push({ value: e.key, loc: locOf(artifacts.file, e.keyNode) });
    }
  }
  const release = key('release');
  if (release) job.release = locOf(release.file, release.node);
  const secrets = key('secrets');
  if (secrets) job.secrets = entries(secrets.doc, secrets.node).map((e) => e.key);
  const trigger = key('trigger');
  if (trigger) {
    const v = scalarString(trigger.doc, trigger.node) ?? scalarString(trigger.doc, get(trigger.doc, trigger.node, 'project'));
    if (v) job.trigger = { value: v, loc: locOf(trigger.file, trigger.node) };
  }
  // Variables merge: global, then the extends chain, then the job's own.
  if (globalVars) Object.assign(job.variables, locatedMap(globalVars, globalVars.node));
  const chain = [...job.extends.map((p) => defs.get(p)).filter((r): r is Ref => r !== undefined), ref];
  for (const r of chain) {
    const v = get(r.doc, r.node, 'variables');
    if (v) Object.assign(job.variables, locatedMap(r, v));
  }
  return job;
}

function js(r: Ref | undefined): unknown {
  return r ? toJS(r.doc, r.node) : undefined;
}

function locatedMap(ref: Ref, node: YNode): Record<string, Located<string>> {
  const out: Record<string, Located<string>> = {};
  for (const e of entries(ref.doc, node)) {
    const n = isMap(e.value) ? get(ref.doc, e.value, 'value') : e.value;
    const v = scalarString(ref.doc, n);
    if (v !== undefined) out[e.key] = { value: v, loc: locOf(ref.file, n) };
  }
  return out;
}

function imageOf(ref: Ref, node: YNode | undefined): Located<string> | undefined {
  const n = isMap(node) ? get(ref.doc, node, 'name') : node;
  const v = scalarString(ref.doc, n);
  return v === undefined ? undefined : { value: v, loc: locOf(ref.file, n) };
}

/** Script entries, flattening nested lists and following `!reference [.job, key]`. */
function scriptLines(
  ref: Ref,
  node: YNode,
  section: ScriptLine['section'],
  defs: Map<string, Ref>,
  depth: number,
  budget = { left: 10_000 }, // alias bombs in script lists must not explode
): ScriptLine[] {
  if (depth > 10 || --budget.left < 0) return [];
  const n = deref(ref.doc, node);
  if (n === undefined) return [];
  if (isSeq(n) && n.tag === '!reference') {
    const path = stringList(ref.doc, n).map((p) => p.value);
    let target: Ref | undefined = defs.get(path[0]);
    for (const k of path.slice(1)) {
      if (!target) break;
      const next = get(target.doc, target.node, k);
      target = next ? { ...target, node: next } : undefined;
    }
    return target ? scriptLines(target, target.node, section, defs, depth + 1, budget) : [];
  }
  if (isSeq(n)) return n.items.flatMap((i) => scriptLines(ref, i as YNode, section, defs, depth + 1, budget));
  const value = scalarString(ref.doc, n);
  if (value === undefined) return [];
  return [{ value, section, loc: locOf(ref.file, n), at: scalarLineLocator(ref.file, n) }];
}

export const GITLAB_CI_PATH = '.gitlab-ci.yml';
