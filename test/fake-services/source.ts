/** A platform source answering from memory (files and repository), for provider tests against the loopback fakes. */
import { known } from '../../src/facts/fact.js';
import type { Platform, RepositoryInfo } from '../../src/facts/model.js';
import { derivedProviders } from '../../src/facts/providers/index.js';
import { FactStore, type FactOptions, type ProviderMap } from '../../src/facts/store.js';
import { emptyRequestStats, type FileRead, type Source } from '../../src/sources/source.js';

export function memorySource(
  platform: Platform,
  files: Record<string, string>,
  repo: Partial<RepositoryInfo> = {},
  providers: Partial<ProviderMap> = {},
): Source {
  const info: RepositoryInfo = {
    platform: platform === 'local' ? 'github' : platform,
    host: 'github.com',
    repo: 'acme/widget',
    url: 'https://github.com/acme/widget',
    ...repo,
  };
  return {
    platform,
    providers: {
      repository: async () => known(info),
      files: async () =>
        known(Object.entries(files).map(([path, text]) => ({ path, size: Buffer.byteLength(text), kind: 'file' as const }))),
      ...providers,
    },
    async readFile(path, opts = {}): Promise<FileRead> {
      const text = files[path];
      if (text === undefined) return { ok: false, reason: 'no such file', kind: 'not-found' };
      const data = Buffer.from(text);
      if (opts.maxBytes !== undefined && data.length > opts.maxBytes) return { ok: false, reason: 'too large', kind: 'too-large' };
      return { ok: true, data, size: data.length };
    },
    requests: emptyRequestStats(),
    diagnostics: [],
  };
}

export function storeOf(source: Source, options: FactOptions): FactStore {
  return new FactStore(source, derivedProviders, () => false, options);
}
