import type { Source } from '../source.js';
import { SourceError, type RemoteSourceOptions } from '../remote.js';

export async function createGitHubSource(opts: RemoteSourceOptions): Promise<Source> {
  throw new SourceError('unsupported', `assessing ${opts.target.host}/${opts.target.repo} through the GitHub API is not available yet`);
}
