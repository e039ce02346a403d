/**
 * Facts are fetched lazily and memoized per run: a check that needs nothing from the network costs
 * nothing, and two checks asking for the same fact share one fetch. A provider that throws yields
 * an Unknown with the reason — a run never dies on one bad fact.
 */
import type { Source } from '../sources/source.js';
import type { FactName, FactTypes } from './catalog.js';
import { unknown, type Fact } from './fact.js';

export interface FactContext {
  readonly source: Source;
  get<K extends FactName>(name: K): Promise<Fact<FactTypes[K]>>;
  /** Paths ignored for the whole run (config `ignore:`), already applied to `files`. */
  readonly ignored: (path: string) => boolean;
  /** Run-wide options for providers that call public services (bestpractices.dev, osv.dev). */
  readonly options?: FactOptions;
}

/**
 * Options for the providers that call public services. Network calls happen only when a remote
 * target is assessed (the source is not `local`) and `offline` is not set.
 */
export interface FactOptions {
  /** Base URL of the OpenSSF Best Practices service (default https://www.bestpractices.dev). */
  bestPracticesUrl?: string;
  /** Base URL of the OSV API (default https://api.osv.dev). */
  osvUrl?: string;
  /** Never call a public service, even for a remote target. */
  offline?: boolean;
  /** Per-request timeout for those services (default 20 s). */
  timeoutMs?: number;
}

export type Provider<K extends FactName> = (ctx: FactContext) => Promise<Fact<FactTypes[K]>>;
export type ProviderMap = { [K in FactName]: Provider<K> };

export class FactStore implements FactContext {
  private readonly memo = new Map<FactName, Promise<Fact<unknown>>>();

  constructor(
    readonly source: Source,
    private readonly derived: Partial<ProviderMap>,
    readonly ignored: (path: string) => boolean = () => false,
    readonly options: FactOptions = {},
  ) {}

  get<K extends FactName>(name: K): Promise<Fact<FactTypes[K]>> {
    let p = this.memo.get(name);
    if (!p) {
      p = this.compute(name);
      this.memo.set(name, p);
    }
    return p as Promise<Fact<FactTypes[K]>>;
  }

  /** Names of the facts asked for so far (for statistics and tests of laziness). */
  requested(): FactName[] {
    return [...this.memo.keys()];
  }

  private async compute<K extends FactName>(name: K): Promise<Fact<FactTypes[K]>> {
    // The source's own answer wins (a platform API knows better than a derivation).
    const provider = (this.source.providers[name] ?? this.derived[name]) as Provider<K> | undefined;
    if (!provider) {
      return unknown(`not available from a ${this.source.platform} source`, needsFor(this.source.platform));
    }
    try {
      const fact = await provider(this);
      if (name === 'files' && fact.known) {
        // Config ignores apply once, here, so every derived fact sees the same tree.
        const files = (fact.value as FactTypes['files']).filter((f) => !this.ignored(f.path));
        return { known: true, value: files as FactTypes[K] };
      }
      return fact;
    } catch (err) {
      return unknown(`could not determine ${name}: ${(err as Error)?.message ?? String(err)}`);
    }
  }
}

function needsFor(platform: string): string | undefined {
  return platform === 'local' ? 'assess the repository on its platform (e.g. github.com/owner/repo) with a token' : undefined;
}
