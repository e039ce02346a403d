/** CI and build configuration facts, parsed once per run from the repository files. */
import { known, type Fact } from '../fact.js';
import type { FactContext } from '../store.js';
import {
  ACTION_META_PATH,
  parseActionMeta,
  parseWorkflow,
  WORKFLOW_PATH,
  type ActionMeta,
  type Workflow,
} from '../../parsers/github-workflow.js';
import { DOCKERFILE_PATH, parseDockerfile, type Dockerfile } from '../../parsers/dockerfile.js';
import { GITLAB_CI_PATH, parseGitlabCi, type GitlabCi } from '../../parsers/gitlab-ci.js';
import { isTextFile, pool, readText } from './files.js';

async function parsedFiles<T extends { issues: unknown[] }>(
  ctx: FactContext,
  match: (path: string) => boolean,
  parse: (path: string, text: string) => T,
  empty: (path: string) => T,
): Promise<Fact<T[]>> {
  const files = await ctx.get('files');
  if (!files.known) return files;
  const paths = files.value.filter((f) => match(f.path)).map((f) => f.path);
  return known(
    await pool(paths, 16, async (path) => {
      const t = await readText(ctx, path);
      if (!isTextFile(t)) {
        const e = empty(path);
        (e.issues as unknown[]).push(t.issue);
        return e;
      }
      const parsed = parse(path, t.text);
      (parsed.issues as unknown[]).unshift(...t.issues);
      return parsed;
    }),
  );
}

export const workflows = (ctx: FactContext): Promise<Fact<Workflow[]>> =>
  parsedFiles(
    ctx,
    (p) => WORKFLOW_PATH.test(p),
    parseWorkflow,
    (path) => ({
      path,
      triggers: [],
      permissions: { declared: false },
      env: {},
      jobs: [],
      issues: [],
    }),
  );

export const actions = (ctx: FactContext): Promise<Fact<ActionMeta[]>> =>
  parsedFiles(
    ctx,
    (p) => ACTION_META_PATH.test(p) && !p.startsWith('.github/workflows/'),
    parseActionMeta,
    (path) => ({
      path,
      steps: [],
      issues: [],
    }),
  );

export const dockerfiles = (ctx: FactContext): Promise<Fact<Dockerfile[]>> =>
  parsedFiles(
    ctx,
    (p) => DOCKERFILE_PATH.test(p),
    parseDockerfile,
    (path) => ({ path, froms: [], runs: [], issues: [] }),
  );

export async function gitlabCi(ctx: FactContext): Promise<Fact<GitlabCi | null>> {
  const files = await ctx.get('files');
  if (!files.known) return files;
  const repo = await ctx.get('repository');
  const rootPath = (repo.known && repo.value.ciConfigPath) || GITLAB_CI_PATH;
  const paths = new Set(files.value.map((f) => f.path));
  if (!paths.has(rootPath)) return known(null);
  const root = await readText(ctx, rootPath);
  if (!isTextFile(root)) {
    return known({
      path: rootPath,
      files: [rootPath],
      includes: [],
      jobs: [],
      workflowRules: undefined,
      variables: {},
      issues: [root.issue],
    });
  }
  const ci = await parseGitlabCi(rootPath, root.text, {
    read: async (p) => {
      if (!paths.has(p)) return undefined;
      const t = await readText(ctx, p);
      return isTextFile(t) ? t.text : undefined;
    },
    list: () => [...paths],
  });
  ci.issues.unshift(...root.issues);
  return known(ci);
}
