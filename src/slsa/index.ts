/** SLSA: requirement tables (data) and the evaluator that maps check results onto them. */
export { evaluateSlsa, evaluateFramework, evaluateRequirement, levels } from './evaluate.js';
export { FRAMEWORKS } from './frameworks/index.js';
export { STEPS } from './steps.js';
export type { FrameworkSpec, RequirementSpec } from './model.js';
export type * from './types.js';
