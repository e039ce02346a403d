/** Fact names available at run time (for validating third-party checks' `facts`). */
import { SOURCE_FACT_NAMES } from './catalog.js';
import { derivedProviders } from './providers/index.js';

export function knownFactNames(): ReadonlySet<string> {
  return new Set<string>([...SOURCE_FACT_NAMES, ...Object.keys(derivedProviders)]);
}
