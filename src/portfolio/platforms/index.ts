/** The platform adapter for a (platform, host), loaded only when a portfolio run needs it. */
import type { RemotePlatform } from '../../target.js';
import type { PortfolioPlatform } from '../types.js';
import type { PlatformOptions } from './common.js';

export async function platformFor(platform: RemotePlatform, host: string, o: PlatformOptions): Promise<PortfolioPlatform> {
  if (platform === 'github') {
    const { GitHubPlatform } = await import('./github.js');
    return new GitHubPlatform(host, o);
  }
  const { GitLabPlatform } = await import('./gitlab.js');
  return new GitLabPlatform(host, o);
}

export { EnumerationError, type PlatformOptions } from './common.js';
