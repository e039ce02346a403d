/**
 * One GraphQL request answers what REST would need dozens for: the instance version, the last 30
 * merged MRs with their approvers, merger and head pipeline (Code-Review, CI-Tests — REST needs one
 * approvals call per MR), releases with their links, recent and tag pipelines, recently updated
 * issues, the project's members (Maintained), and the two-factor requirement of the project's
 * group and its parents (a parent's binds its subgroups). Only fields that exist on GitLab CE are
 * asked, so the query validates on every tier.
 *
 * Each part is a section. The combined query runs once, on first demand. A section that comes back
 * with an error is marked failed; if the whole query is rejected (an older GitLab without a field,
 * the complexity limit) every section is retried alone, on demand; a section that still fails
 * falls back to REST in the source.
 */
import type { GitLabHttp, GraphqlError } from './http.js';
import { GitLabHttpError } from './http.js';

export type SectionName = 'metadata' | 'mergeRequests' | 'releases' | 'pipelines' | 'tagPipelines' | 'issues' | 'members' | 'group';

const USER = 'username bot';
const PIPELINE = 'iid status source ref sha createdAt';

/** Groups read up the path: the project's group and its parents (deeper nesting is rare; the rest is reported unread). */
export const GROUP_LEVELS = 4;
const groupChain = (levels: number): string =>
  levels <= 1 ? 'requireTwoFactorAuthentication' : `requireTwoFactorAuthentication parent { ${groupChain(levels - 1)} }`;

const SECTIONS: Record<SectionName, { root: 'query' | 'project'; text: string }> = {
  metadata: { root: 'query', text: 'metadata { version revision enterprise }' },
  mergeRequests: {
    root: 'project',
    text: `mergeRequests(state: merged, targetBranches: [$branch], sort: MERGED_AT_DESC, first: 30) {
      nodes { iid title webUrl mergedAt mergeCommitSha squashCommitSha diffHeadSha
        author { ${USER} } mergeUser { ${USER} }
        approvedBy { nodes { ${USER} } }
        labels { nodes { title } }
        headPipeline { status } }
    }`,
  },
  releases: {
    root: 'project',
    text: `releases(first: 10, sort: RELEASED_AT_DESC) {
      nodes { tagName name createdAt releasedAt upcomingRelease author { ${USER} } commit { sha }
        assets { links { nodes { name url linkType directAssetUrl } } } }
    }`,
  },
  pipelines: { root: 'project', text: `pipelines(first: 30) { nodes { ${PIPELINE} } }` },
  tagPipelines: { root: 'project', text: `tagPipelines: pipelines(scope: TAGS, first: 20) { nodes { ${PIPELINE} } }` },
  issues: {
    root: 'project',
    text: `issues(updatedAfter: $since, sort: UPDATED_DESC, first: 30) { nodes { createdAt updatedAt author { username } updatedBy { username } } }`,
  },
  members: {
    root: 'project',
    text: `projectMembers(relations: [DIRECT, INHERITED], first: 100) { nodes { accessLevel { integerValue } user { username } } }`,
  },
  // Plain fields, no connections: a few points of query complexity. Null for a personal namespace.
  group: { root: 'project', text: `group { ${groupChain(GROUP_LEVELS)} }` },
};

const FIELD_OF: Record<SectionName, string> = {
  metadata: 'metadata',
  mergeRequests: 'mergeRequests',
  releases: 'releases',
  pipelines: 'pipelines',
  tagPipelines: 'tagPipelines',
  issues: 'issues',
  members: 'projectMembers',
  group: 'group',
};

export const ALL_SECTIONS = Object.keys(SECTIONS) as SectionName[];

/** The query for some sections (exported for the fake server's tests and the docs). */
export function buildQuery(sections: readonly SectionName[]): string {
  const usesProject = sections.some((s) => SECTIONS[s].root === 'project');
  const text = sections
    .map((s) => SECTIONS[s])
    .filter((s) => s.root === 'query')
    .map((s) => s.text);
  const project = sections
    .map((s) => SECTIONS[s])
    .filter((s) => s.root === 'project')
    .map((s) => s.text);
  const vars = ['$fullPath: ID!'];
  const all = project.join('\n');
  if (all.includes('$branch')) vars.push('$branch: String!');
  if (all.includes('$since')) vars.push('$since: Time!');
  const body = [...text, ...(usesProject ? [`project(fullPath: $fullPath) {\n    ${project.join('\n    ')}\n  }`] : [])];
  const name = sections.length === ALL_SECTIONS.length ? 'SlsaScorecardProject' : `SlsaScorecard_${sections.join('_')}`;
  // $fullPath is declared even for the metadata-only query: unused variables are invalid, so use it there too.
  if (!usesProject) return `query ${name} {\n  ${body.join('\n  ')}\n}`;
  return `query ${name}(${vars.join(', ')}) {\n  ${body.join('\n  ')}\n}`;
}

export type SectionResult = { ok: true; value: unknown } | { ok: false; error: string; notFound?: boolean };

export interface GraphqlVars {
  fullPath: string;
  branch: string;
  since: string;
}

/** Runs the combined query once; sections are answered from it, or re-asked alone when it failed. */
export class GraphqlBatch {
  private combined?: Promise<Map<SectionName, SectionResult> | { rejected: string } | { failed: string }>;
  private readonly single = new Map<SectionName, Promise<SectionResult>>();

  constructor(
    private readonly http: GitLabHttp,
    private readonly vars: () => Promise<GraphqlVars>,
  ) {}

  async section(name: SectionName): Promise<SectionResult> {
    this.combined ??= this.run(ALL_SECTIONS).then(
      (r) => r,
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        // Rejected as a document (a field this GitLab lacks, complexity): each part may still pass alone.
        // Failed as a request (HTTP error, timeout): asking again part by part would only fail again.
        return err instanceof GitLabHttpError && err.status === 200 ? { rejected: message } : { failed: message };
      },
    );
    const all = await this.combined;
    if (all instanceof Map) {
      const r = all.get(name);
      if (r) return r;
    } else if ('failed' in all) {
      return { ok: false, error: all.failed };
    }
    let p = this.single.get(name);
    if (!p) {
      p = this.run([name]).then(
        (m) => m.get(name) ?? { ok: false, error: 'no answer' },
        (err: unknown) => ({ ok: false, error: err instanceof Error ? err.message : String(err) }),
      );
      this.single.set(name, p);
    }
    return p;
  }

  /** A map of section → result; throws when the request failed or the query was rejected as a whole. */
  private async run(sections: SectionName[]): Promise<Map<SectionName, SectionResult>> {
    const v = await this.vars();
    const usesProject = sections.some((s) => SECTIONS[s].root === 'project');
    const query = buildQuery(sections);
    const all = query.includes('$since') ? v : { fullPath: v.fullPath, ...(query.includes('$branch') ? { branch: v.branch } : {}) };
    const { data, errors } = await this.http.graphql<Record<string, unknown>>(query, usesProject ? all : {});
    if (!data)
      throw new GitLabHttpError(200, 'http', `GraphQL query rejected: ${errors.map((e) => e.message).join('; ') || 'no data'}`, 'graphql');
    const out = new Map<SectionName, SectionResult>();
    const project = data.project as Record<string, unknown> | null | undefined;
    for (const s of sections) {
      const err = errorFor(errors, s);
      if (err) {
        out.set(s, { ok: false, error: err.message });
        continue;
      }
      if (SECTIONS[s].root === 'query') {
        const value = data[FIELD_OF[s]];
        out.set(s, value === null || value === undefined ? { ok: false, error: 'no answer (needs authentication?)' } : { ok: true, value });
      } else if (!project) {
        out.set(s, {
          ok: false,
          error: 'the project is not visible to GraphQL (private, and the token is not accepted there?)',
          notFound: true,
        });
      } else {
        const value = project[FIELD_OF[s]];
        out.set(s, value === null || value === undefined ? { ok: false, error: 'no answer' } : { ok: true, value });
      }
    }
    return out;
  }
}

function errorFor(errors: GraphqlError[], s: SectionName): GraphqlError | undefined {
  const field = FIELD_OF[s];
  return errors.find((e) => Array.isArray(e.path) && (e.path[0] === field || (e.path[0] === 'project' && e.path[1] === field)));
}

// ── Shapes of the answers (what the query selects) ──

export interface GqlUser {
  username: string;
  bot?: boolean;
}

export interface GqlMergeRequest {
  iid: string;
  title?: string;
  webUrl?: string;
  mergedAt?: string | null;
  mergeCommitSha?: string | null;
  squashCommitSha?: string | null;
  diffHeadSha?: string | null;
  author?: GqlUser | null;
  mergeUser?: GqlUser | null;
  approvedBy?: { nodes: GqlUser[] } | null;
  labels?: { nodes: Array<{ title: string }> } | null;
  headPipeline?: { status: string } | null;
}

export interface GqlRelease {
  tagName: string;
  name?: string | null;
  createdAt?: string | null;
  releasedAt?: string | null;
  upcomingRelease?: boolean | null;
  author?: GqlUser | null;
  commit?: { sha: string } | null;
  assets?: {
    links?: { nodes: Array<{ name: string; url: string; linkType?: string | null; directAssetUrl?: string | null }> } | null;
  } | null;
}

export interface GqlPipeline {
  iid: string;
  status: string;
  source?: string | null;
  ref?: string | null;
  sha?: string | null;
  createdAt?: string | null;
}

export interface GqlIssue {
  createdAt: string;
  updatedAt: string;
  author?: { username: string } | null;
  updatedBy?: { username: string } | null;
}

export interface GqlMember {
  accessLevel?: { integerValue: number } | null;
  user?: { username: string } | null;
}

/** A group and its parent chain as read: `parent` null when GitLab answered none (top level, or not visible), absent when not asked. */
export interface GqlGroup {
  requireTwoFactorAuthentication?: boolean | null;
  parent?: GqlGroup | null;
}

export interface GqlMetadata {
  version: string;
  revision?: string;
  enterprise?: boolean;
}

export const nodes = <T>(c: unknown): T[] => {
  const n = (c as { nodes?: unknown } | null | undefined)?.nodes;
  return Array.isArray(n) ? (n.filter((x) => x !== null) as T[]) : [];
};
