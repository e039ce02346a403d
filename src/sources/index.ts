/** Target → source. Platform sources (and their clients) load only when a remote target is assessed. */
import type { Target } from '../target.js';
import type { Source } from './source.js';
import { LocalSource } from './local/index.js';
import type { RemoteSourceOptions } from './remote.js';

export async function createSource(target: Target, opts: Omit<RemoteSourceOptions, 'target'>): Promise<Source> {
  if (target.kind === 'local') return new LocalSource(target.path);
  if (target.platform === 'github') {
    const { createGitHubSource } = await import('./github/index.js');
    return createGitHubSource({ ...opts, target });
  }
  const { createGitLabSource } = await import('./gitlab/index.js');
  return createGitLabSource({ ...opts, target });
}
