/**
 * License: without a license nobody may legally use the code. Scorecard's scoring
 * (checks/evaluation/license.go, probes hasLicenseFile + hasFSFOrOSIApprovedLicense): 9 for a
 * license file, 1 more when the license is FSF-free or OSI-approved.
 */
import { defineCheck, inconclusive, type Evidence, type Finding } from '../src/check.js';

export default defineCheck({
  id: 'License',
  risk: 'low',
  description:
    'Checks for a license file at the top level (LICENSE, LICENCE, COPYING, COPYRIGHT, PATENTS, UNLICENSE, ' +
    'MIT-LICENSE, LICENSE-MIT… with any documentation extension) or in a LICENSES/ directory: 9 points, ' +
    'plus 1 when the license is FSF-free or OSI-approved.',
  facts: ['licenseFiles'],
  slsa: [],
  remediation: [
    'Add a LICENSE file with the full text of an OSI-approved or FSF-free license at the top of the repository.',
    'Use the license text unchanged (or an SPDX-License-Identifier line) so tools can recognise it.',
  ],
  differsFromScorecard:
    'The license is recognised from the file itself — an SPDX-License-Identifier line, the text of common licenses, ' +
    "or an SPDX id in the file name (LICENSES/Apache-2.0.txt, LICENSE-MIT) — so a local run can score 10 as GitHub's " +
    "license API lets Scorecard do online (Scorecard's local mode scores 9 at most). Names with configuration or " +
    'source-code extensions (license.yaml, license.go) are not license files.',
  run(facts) {
    if (!facts.licenseFiles.known) return inconclusive('the repository files could not be listed', ['licenseFiles', facts.licenseFiles]);
    const files = facts.licenseFiles.value;
    if (files.length === 0) {
      return {
        score: 0,
        reason: 'license file not detected',
        findings: [
          {
            rule: 'noLicenseFile',
            severity: 'low',
            message: 'no license file found',
            remediation: { text: 'Add a LICENSE file with an OSI-approved or FSF-free license at the top of the repository.' },
          },
        ],
      };
    }
    const evidence: Evidence[] = files.map((f) => ({
      kind: 'licenseFile',
      message: f.spdxId ? `${f.path}: ${f.spdxId}${f.approved ? ' (FSF/OSI)' : ''}` : `${f.path}: license not recognised`,
      location: { path: f.path },
      values: { approved: f.approved, ...(f.spdxId ? { spdxId: f.spdxId } : {}), ...(f.detectedBy ? { detectedBy: f.detectedBy } : {}) },
    }));
    const approved = files.find((f) => f.approved);
    if (approved) return { score: 10, reason: `license file detected: ${approved.spdxId} (FSF or OSI recognized)`, evidence };
    const main = files[0];
    const finding: Finding = {
      rule: 'licenseNotApproved',
      severity: 'low',
      message: main.spdxId
        ? `${main.spdxId} is not an FSF-free or OSI-approved license`
        : `the license in ${main.path} is not recognised as an FSF-free or OSI-approved license`,
      location: { path: main.path },
      remediation: { text: 'Use an OSI-approved or FSF-free license, with its unmodified text or an SPDX-License-Identifier line.' },
    };
    return { score: 9, reason: 'license file detected', findings: [finding], evidence };
  },
});
