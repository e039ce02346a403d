/** Platform-neutral derivations: every source gets these unless it answers the fact itself. */
import type { ProviderMap } from '../store.js';
import { actions, dockerfiles, gitlabCi, workflows } from './ci.js';
import { binaries, shellScripts } from './content.js';
import { licenseFiles, securityPolicies } from './docs.js';
import { bestPractices, vulnerabilities } from './external.js';
import { fuzzHarnesses } from './fuzzing.js';

export const derivedProviders: Partial<ProviderMap> = {
  workflows,
  actions,
  dockerfiles,
  gitlabCi,
  binaries,
  shellScripts,
  securityPolicies,
  licenseFiles,
  fuzzHarnesses,
  bestPractices,
  vulnerabilities,
};
