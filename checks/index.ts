/**
 * The built-in checks: the plugin registry. Each entry is a module whose default export is a
 * defineCheck(...) value — exactly what a third-party check module exports.
 */
import type { CheckDefinition } from '../src/check.js';
import binaryArtifacts from './binary-artifacts.js';
import dangerousWorkflow from './dangerous-workflow.js';
import dependencyUpdateTool from './dependency-update-tool.js';
import fuzzing from './fuzzing.js';
import hostedBuild from './hosted-build.js';
import license from './license.js';
import packaging from './packaging.js';
import pinnedDependencies from './pinned-dependencies.js';
import provenance from './provenance.js';
import sast from './sast.js';
import sbom from './sbom.js';
import securityPolicy from './security-policy.js';
import signedTags from './signed-tags.js';
import tagProtection from './tag-protection.js';
import orgSettings from './org-settings.js';
import signedCommits from './signed-commits.js';
import tokenPermissions from './token-permissions.js';
import branchProtection from './branch-protection.js';
import codeReview from './code-review.js';
import ciTests from './ci-tests.js';
import maintained from './maintained.js';
import contributors from './contributors.js';
import signedReleases from './signed-releases.js';
import webhooks from './webhooks.js';
import ciiBestPractices from './cii-best-practices.js';
import vulnerabilities from './vulnerabilities.js';

export const builtinChecks: readonly CheckDefinition[] = [
  binaryArtifacts,
  dangerousWorkflow,
  dependencyUpdateTool,
  fuzzing,
  license,
  packaging,
  pinnedDependencies,
  sast,
  sbom,
  securityPolicy,
  tokenPermissions,
  hostedBuild,
  provenance,
  signedTags,
  signedCommits,
  branchProtection,
  tagProtection,
  orgSettings,
  codeReview,
  ciTests,
  maintained,
  contributors,
  signedReleases,
  webhooks,
  ciiBestPractices,
  vulnerabilities,
] as CheckDefinition[];
