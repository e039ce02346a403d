/** Library entry: assess a repository programmatically, or write a check. */
export { defineCheck, proportionalScore, inconclusive, RISK_WEIGHTS } from './check.js';
export type { CheckDefinition, CheckOutcome, Finding, Evidence, Risk, Severity, Remediation } from './check.js';
export { assess, SCHEMA_VERSION } from './assessment.js';
export type { Assessment, AssessOptions, AssessmentTarget } from './assessment.js';
export { aggregateScore, evaluateCheck, type CheckResult } from './engine.js';
export { known, unknown, type Fact, type Known, type Unknown } from './facts/fact.js';
export type { FactTypes, FactName } from './facts/catalog.js';
export { LocalSource } from './sources/local/index.js';
export type { Source } from './sources/source.js';
export { parseTarget, type Target } from './target.js';
export { builtinChecks } from '../checks/index.js';
