/** Library entry: assess a repository (local or through its platform API) or a portfolio programmatically, or write a check. */
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
export { createSource } from './sources/index.js';
export type { RemoteSourceOptions } from './sources/remote.js';
export { SourceError } from './sources/remote.js';
/** Portfolio audits (an org, a group or a list): the runner behind `slsa-scorecard portfolio`. */
export { runPortfolio, type PortfolioOptions, type PortfolioResult } from './portfolio/runner.js';
export type { PortfolioSpec } from './portfolio/types.js';
