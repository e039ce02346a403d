/**
 * gitbeaker's REST resources, wired to the source's HTTP layer (its `requesterFn`): gitbeaker
 * builds the endpoints and follows pagination; our requester authenticates, counts, retries and
 * times out. No token is handed to gitbeaker itself. This module is loaded only for GitLab
 * targets (src/sources/index.ts imports ./gitlab/index.js dynamically).
 */
import {
  Branches,
  Commits,
  Issues,
  License,
  MergeRequestApprovals,
  MergeRequests,
  Metadata,
  Namespaces,
  Pipelines,
  ProjectHooks,
  ProjectJobTokenScopes,
  ProjectMembers,
  ProjectPushRules,
  ProjectReleases,
  Projects,
  ProtectedBranches,
  ProtectedTags,
  Repositories,
  Tags,
} from '@gitbeaker/rest';
import type { GitLabHttp } from './http.js';

export function gitbeaker(http: GitLabHttp) {
  const host = http.apiBase.replace(/\/api\/v4\/$/, '');
  // queryTimeout 0: no gitbeaker-level signal; the requester times each request out itself.
  const o = { host, requesterFn: http.requesterFn(), queryTimeout: 0 } as unknown as ConstructorParameters<typeof Projects>[0];
  return {
    projects: new Projects(o),
    commits: new Commits(o),
    tags: new Tags(o),
    branches: new Branches(o),
    protectedBranches: new ProtectedBranches(o),
    protectedTags: new ProtectedTags(o),
    approvals: new MergeRequestApprovals(o),
    pushRules: new ProjectPushRules(o),
    hooks: new ProjectHooks(o),
    jobTokenScopes: new ProjectJobTokenScopes(o),
    repositories: new Repositories(o),
    releases: new ProjectReleases(o),
    pipelines: new Pipelines(o),
    mergeRequests: new MergeRequests(o),
    namespaces: new Namespaces(o),
    license: new License(o),
    metadata: new Metadata(o),
    issues: new Issues(o),
    members: new ProjectMembers(o),
  };
}

export type Gitbeaker = ReturnType<typeof gitbeaker>;
