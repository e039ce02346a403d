/** Options shared by the platform API sources. Tokens come from the environment only. */
import type { RemoteTarget } from '../target.js';

export interface RemoteSourceOptions {
  target: RemoteTarget;
  env: NodeJS.ProcessEnv;
  /** GitHub: REST base URL (GHES or a test server); default from GITHUB_API_URL or https://api.github.com. */
  githubApiUrl?: string;
  /** GitHub: GraphQL URL; default from GITHUB_GRAPHQL_URL or `${githubApiUrl}/graphql`. */
  githubGraphqlUrl?: string;
  /** GitLab: instance URL; default from GITLAB_URL, CI_SERVER_URL or https://gitlab.com. */
  gitlabUrl?: string;
  /** Directory for the ETag cache; undefined disables it. */
  cacheDir?: string;
  /** Per-request timeout. */
  timeoutMs?: number;
  /** Base URLs of public services (tests point them at loopback fakes). */
  bestPracticesUrl?: string;
  osvUrl?: string;
  /** Progress/notes (never contains the token). */
  log?: (line: string) => void;
}

export class SourceError extends Error {
  /** Exit code class: 'auth' (no access / private without token), 'not-found', 'network'. */
  constructor(
    readonly kind: 'auth' | 'not-found' | 'network' | 'unsupported',
    message: string,
  ) {
    super(message);
  }
}
