import type { Source } from '../source.js';
import { SourceError, type RemoteSourceOptions } from '../remote.js';

export async function createGitLabSource(opts: RemoteSourceOptions): Promise<Source> {
  throw new SourceError('unsupported', `assessing ${opts.target.host}/${opts.target.repo} through the GitLab API is not available yet`);
}
