/**
 * A verification result (src/verify) → the build fields of an AttestationCheck, the same way for
 * every source. Type-only imports: the verification library stays loaded on first use.
 */
import type { AttestationCheck } from '../facts/platform.js';
import type { AttestationResult } from '../verify/index.js';

export type BuildFields = Pick<AttestationCheck, 'entryPoint' | 'buildType' | 'runnerEnvironment' | 'externalInputs'>;

/** Entry point, build type, runner environment and input count — each only when the document records it. */
export function buildFields(a: Pick<AttestationResult, 'evaluation'>): BuildFields {
  const { source, build } = a.evaluation;
  return {
    ...(source.workflowPath ? { entryPoint: source.workflowPath } : {}),
    ...(build.type ? { buildType: build.type } : {}),
    ...(build.runnerEnvironment ? { runnerEnvironment: build.runnerEnvironment } : {}),
    ...(build.externalInputs !== null ? { externalInputs: build.externalInputs } : {}),
  };
}
