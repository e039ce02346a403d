/**
 * GitHub Actions workflows and action metadata (action.yml), parsed into a small model whose every
 * value carries its file:line:col. Unknown or malformed parts are kept as ParseIssues.
 */
import type { Document } from 'yaml';
import type { Located, Location, ParseIssue } from '../facts/model.js';
import {
  entries,
  get,
  getEntry,
  isMap,
  isScalar,
  isSeq,
  items,
  locOf,
  parseYaml,
  scalarLineLocator,
  scalarString,
  stringList,
  toJS,
  type YamlFile,
  type YNode,
} from './yaml.js';

/** Token permissions as declared: absent, a shorthand (read-all/write-all/{}), or per scope. */
export type Permissions =
  | { declared: false }
  | {
      declared: true;
      loc: Location;
      /** 'read-all' | 'write-all' | 'none' (for `{}`) | 'scopes' | 'expression' */
      kind: 'read-all' | 'write-all' | 'none' | 'scopes' | 'expression';
      scopes: Record<string, Located<string>>;
    };

export interface RunScript {
  value: string;
  loc: Location;
  /** Maps a 0-based line/column inside `value` to the file position. */
  at(line: number, column: number): Location;
}

export interface Step {
  index: number;
  loc: Location;
  id?: string;
  name?: string;
  uses?: Located<string>;
  run?: RunScript;
  shell?: string;
  if?: string;
  with: Record<string, Located<string>>;
  env: Record<string, Located<string>>;
}

export interface Job {
  id: string;
  loc: Location;
  name?: string;
  runsOn: string[];
  runsOnLoc?: Location;
  /** Runner labels could not be resolved statically (matrix/expression). */
  runsOnDynamic: boolean;
  permissions: Permissions;
  /** Reusable workflow call: `uses: owner/repo/.github/workflows/x.yml@ref`. */
  uses?: Located<string>;
  with: Record<string, Located<string>>;
  secretsInherit: boolean;
  steps: Step[];
  container?: Located<string>;
  services: Array<Located<string>>;
  env: Record<string, Located<string>>;
  if?: string;
  environment?: string;
  defaultShell?: string;
  needs: string[];
}

export interface Trigger {
  event: string;
  loc: Location;
  /** The trigger's configuration (branches, types, inputs…), as plain data. */
  config: unknown;
}

export interface Workflow {
  path: string;
  name?: string;
  triggers: Trigger[];
  permissions: Permissions;
  env: Record<string, Located<string>>;
  defaultShell?: string;
  jobs: Job[];
  issues: ParseIssue[];
}

export function parseWorkflow(path: string, text: string): Workflow {
  const file = parseYaml(path, text);
  const wf: Workflow = { path, triggers: [], permissions: { declared: false }, env: {}, jobs: [], issues: [...file.issues] };
  const doc = file.docs.find((d) => d.contents !== null);
  if (!doc) {
    if (file.issues.length === 0) wf.issues.push({ message: 'workflow file is empty', loc: { path, line: 1, column: 1 } });
    return wf;
  }
  const root = doc.contents;
  if (!isMap(root)) {
    wf.issues.push({ message: 'workflow is not a YAML mapping', loc: locOf(file, root) });
    return wf;
  }
  const ctx: Ctx = { file, doc };
  wf.name = scalarString(doc, get(doc, root, 'name'));
  wf.triggers = parseTriggers(ctx, getEntry(doc, root, 'on') ?? getEntry(doc, root, 'true'));
  wf.permissions = parsePermissions(ctx, get(doc, root, 'permissions'), getEntry(doc, root, 'permissions')?.keyNode);
  wf.env = stringMap(ctx, get(doc, root, 'env'));
  wf.defaultShell = scalarString(doc, get(doc, get(doc, get(doc, root, 'defaults'), 'run'), 'shell'));
  const jobs = get(doc, root, 'jobs');
  if (jobs === undefined) wf.issues.push({ message: 'workflow has no `jobs:`', loc: locOf(file, root) });
  for (const e of entries(doc, jobs)) {
    if (!isMap(e.value)) {
      wf.issues.push({ message: `job \`${e.key}\` is not a mapping`, loc: locOf(file, e.keyNode) });
      continue;
    }
    wf.jobs.push(parseJob(ctx, e.key, e.keyNode, e.value));
  }
  return wf;
}

interface Ctx {
  file: YamlFile;
  doc: Document.Parsed;
}

function located(ctx: Ctx, node: YNode | undefined): Located<string> | undefined {
  const v = scalarString(ctx.doc, node);
  return v === undefined ? undefined : { value: v, loc: locOf(ctx.file, node) };
}

function stringMap(ctx: Ctx, node: YNode | undefined): Record<string, Located<string>> {
  const out: Record<string, Located<string>> = {};
  for (const e of entries(ctx.doc, node)) {
    const v = located(ctx, e.value);
    if (v) out[e.key] = v;
  }
  return out;
}

function parseTriggers(ctx: Ctx, entry: { keyNode: YNode; value: YNode | undefined } | undefined): Trigger[] {
  if (!entry) return [];
  const { doc, file } = ctx;
  const node = entry.value;
  if (isScalar(node)) {
    const ev = scalarString(doc, node);
    return ev ? [{ event: ev, loc: locOf(file, node), config: null }] : [];
  }
  if (isSeq(node)) return stringList(doc, node).map((s) => ({ event: s.value, loc: locOf(file, s.node), config: null }));
  return entries(doc, node).map((e) => ({ event: e.key, loc: locOf(file, e.keyNode), config: toJS(doc, e.value) ?? null }));
}

function parsePermissions(ctx: Ctx, node: YNode | undefined, keyNode: YNode | undefined): Permissions {
  if (keyNode === undefined) return { declared: false };
  const loc = locOf(ctx.file, keyNode);
  if (node === undefined || (isScalar(node) && (node.value === null || node.value === ''))) {
    // `permissions:` with nothing after it is `{}` to GitHub: no permissions.
    return { declared: true, loc, kind: 'none', scopes: {} };
  }
  if (isScalar(node)) {
    const v = String(node.value);
    const kind = v === 'read-all' || v === 'write-all' ? v : v.includes('${{') ? 'expression' : 'scopes';
    return { declared: true, loc, kind, scopes: {} };
  }
  const scopes = stringMap(ctx, node);
  return { declared: true, loc, kind: Object.keys(scopes).length === 0 ? 'none' : 'scopes', scopes };
}

function parseJob(ctx: Ctx, id: string, keyNode: YNode, node: YNode): Job {
  const { doc, file } = ctx;
  const runsOnNode = get(doc, node, 'runs-on');
  const runsOn = runsOnLabels(ctx, runsOnNode);
  const job: Job = {
    id,
    loc: locOf(file, keyNode),
    name: scalarString(doc, get(doc, node, 'name')),
    runsOn,
    runsOnLoc: runsOnNode ? locOf(file, runsOnNode) : undefined,
    runsOnDynamic: runsOnNode !== undefined && (runsOn.length === 0 || runsOn.some((l) => l.includes('${{'))),
    permissions: parsePermissions(ctx, get(doc, node, 'permissions'), getEntry(doc, node, 'permissions')?.keyNode),
    uses: located(ctx, get(doc, node, 'uses')),
    with: stringMap(ctx, get(doc, node, 'with')),
    secretsInherit: scalarString(doc, get(doc, node, 'secrets')) === 'inherit',
    steps: [],
    services: [],
    env: stringMap(ctx, get(doc, node, 'env')),
    if: scalarString(doc, get(doc, node, 'if')),
    environment: scalarString(doc, get(doc, node, 'environment')) ?? scalarString(doc, get(doc, get(doc, node, 'environment'), 'name')),
    defaultShell: scalarString(doc, get(doc, get(doc, get(doc, node, 'defaults'), 'run'), 'shell')),
    needs: stringList(doc, get(doc, node, 'needs')).map((s) => s.value),
  };
  const container = get(doc, node, 'container');
  job.container = located(ctx, isMap(container) ? get(doc, container, 'image') : container);
  for (const svc of entries(doc, get(doc, node, 'services'))) {
    const img = located(ctx, isMap(svc.value) ? get(doc, svc.value, 'image') : svc.value);
    if (img) job.services.push(img);
  }
  job.steps = items(doc, get(doc, node, 'steps')).map((s, i) => parseStep(ctx, s, i));
  return job;
}

function runsOnLabels(ctx: Ctx, node: YNode | undefined): string[] {
  const { doc } = ctx;
  if (node === undefined) return [];
  if (isMap(node)) {
    // `runs-on: {group: x, labels: [...]}`
    return [...stringList(doc, get(doc, node, 'labels')), ...stringList(doc, get(doc, node, 'group'))].map((s) => s.value);
  }
  return stringList(doc, node).map((s) => s.value);
}

export function parseStep(ctx: Ctx, node: YNode, index: number): Step {
  const { doc, file } = ctx;
  const step: Step = {
    index,
    loc: locOf(file, node),
    id: scalarString(doc, get(doc, node, 'id')),
    name: scalarString(doc, get(doc, node, 'name')),
    uses: located(ctx, get(doc, node, 'uses')),
    shell: scalarString(doc, get(doc, node, 'shell')),
    if: scalarString(doc, get(doc, node, 'if')),
    with: stringMap(ctx, get(doc, node, 'with')),
    env: stringMap(ctx, get(doc, node, 'env')),
  };
  const runNode = get(doc, node, 'run');
  const run = scalarString(doc, runNode);
  if (run !== undefined && runNode) {
    step.run = { value: run, loc: locOf(file, runNode), at: scalarLineLocator(file, runNode) };
  }
  return step;
}

/** Composite / Docker / JavaScript action metadata (action.yml). */
export interface ActionMeta {
  path: string;
  name?: string;
  using?: string;
  /** Docker actions: `runs.image` (a Dockerfile path or `docker://image`). */
  image?: Located<string>;
  steps: Step[];
  issues: ParseIssue[];
}

export function parseActionMeta(path: string, text: string): ActionMeta {
  const file = parseYaml(path, text);
  const meta: ActionMeta = { path, steps: [], issues: [...file.issues] };
  const doc = file.docs.find((d) => d.contents !== null);
  if (!doc || !isMap(doc.contents)) {
    if (meta.issues.length === 0) meta.issues.push({ message: 'action metadata is not a YAML mapping', loc: { path, line: 1, column: 1 } });
    return meta;
  }
  const ctx: Ctx = { file, doc };
  const root = doc.contents;
  meta.name = scalarString(doc, get(doc, root, 'name'));
  const runs = get(doc, root, 'runs');
  meta.using = scalarString(doc, get(doc, runs, 'using'));
  meta.image = located(ctx, get(doc, runs, 'image'));
  meta.steps = items(doc, get(doc, runs, 'steps')).map((s, i) => parseStep(ctx, s, i));
  return meta;
}

export const WORKFLOW_PATH = /^\.github\/workflows\/[^/]+\.ya?ml$/i;
export const ACTION_META_PATH = /(^|\/)action\.ya?ml$/i;
