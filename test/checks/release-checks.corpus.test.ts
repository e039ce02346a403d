/**
 * The five release checks over the real-world corpus (GitHub workflows and GitLab pipelines): they never
 * throw, every finding and evidence points at a file position, and Provenance finds the generators these
 * projects are known to use.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import hostedBuild from '../../checks/hosted-build.js';
import packaging from '../../checks/packaging.js';
import provenance from '../../checks/provenance.js';
import sast from '../../checks/sast.js';
import signedTags from '../../checks/signed-tags.js';
import type { CheckResult } from '../../src/engine.js';
import { runCheckOnDir } from '../helpers/facts.js';
import { CORPUS_DIR } from '../helpers/shared.js';

const ROOT = CORPUS_DIR;
const repos = existsSync(ROOT)
  ? [
      ...readdirSync(ROOT).filter((d) => d.includes('__')),
      ...readdirSync(join(ROOT, 'gitlab'))
        .filter((d) => d.includes('__'))
        .map((d) => `gitlab/${d}`),
    ]
  : [];

const results = new Map<string, Map<string, CheckResult>>();
async function resultsFor(repo: string): Promise<Map<string, CheckResult>> {
  let m = results.get(repo);
  if (!m) {
    m = new Map();
    for (const c of [sast, packaging, hostedBuild, provenance, signedTags]) m.set(c.id, await runCheckOnDir(c, join(ROOT, repo)));
    results.set(repo, m);
  }
  return m;
}

describe.skipIf(repos.length === 0)('release checks over the corpus', () => {
  it('has both GitHub and GitLab repositories', () => {
    expect(repos.filter((r) => r.startsWith('gitlab/')).length).toBeGreaterThan(10);
    expect(repos.filter((r) => !r.startsWith('gitlab/')).length).toBeGreaterThan(20);
  });

  it.each(repos)('%s: no crash; scores in range; findings and evidence located', async (repo) => {
    for (const [id, r] of await resultsFor(repo)) {
      expect(r.reason, `${id}`).not.toMatch(/internal error/);
      if (r.score !== null) {
        expect(r.score, id).toBeGreaterThanOrEqual(0);
        expect(r.score, id).toBeLessThanOrEqual(10);
      }
      for (const f of r.findings) {
        const where = `${id} ${f.rule}: ${f.message}`;
        // Only "add a new file" findings have no location (none is invented for a file that does not exist).
        if (!f.location) {
          expect(['noSastTool', 'noProvenance', 'noReleaseJob'], where).toContain(f.rule);
          continue;
        }
        expect(f.location?.path, where).toBeTruthy();
        expect(f.location?.line, where).toBeGreaterThanOrEqual(1);
        expect(f.location?.column, where).toBeGreaterThanOrEqual(1);
        expect(f.message, where).not.toBe('');
      }
      for (const e of r.evidence) {
        expect(e.location?.line, `${id} ${e.kind}`).toBeGreaterThanOrEqual(1);
        expect(e.location?.column, `${id} ${e.kind}`).toBeGreaterThanOrEqual(1);
      }
    }
    // The corpus folders are not git repositories: tags are an unknown, never "no tags".
    const tags = (await resultsFor(repo)).get('Signed-Tags')!;
    expect(tags.score).toBeNull();
    expect(tags.unknowns.map((u) => u.fact)).toEqual(['tags']);
  });

  it('Provenance detects the generators these projects use', async () => {
    const detected: Record<string, string[]> = {};
    for (const repo of repos) {
      const r = (await resultsFor(repo)).get('Provenance')!;
      const tools = r.evidence
        .filter((e) => e.kind === 'provenanceGenerator')
        .map(
          (e) =>
            `${e.values?.tool} L${e.values?.buildLevel}${e.values?.certainty === 'indicated' ? ' (indicated)' : ''}${e.values?.ready ? '' : ' (cannot run)'}`,
        );
      if (tools.length) detected[repo] = [...new Set(tools)].sort();
    }
    expect(detected).toEqual({
      'Legit-Labs__legitify': ['slsa-github-generator L3'],
      actions__attest: ['actions/attest L3'], // prober.yml is a reusable workflow
      'actions__attest-build-provenance': ['actions/attest L2'], // `uses: ./` → action.yml → actions/attest
      actions__toolkit: ['npm L2'], // npm publish --provenance
      octokit__fixtures: ['npm L2 (indicated)'], // semantic-release with id-token: write
      'octokit__graphql-schema': ['npm L2 (indicated)'],
      octokit__openapi: ['npm L2 (indicated)'],
      'octokit__plugin-rest-endpoint-methods.js': ['npm L2 (indicated)'],
      'octokit__plugin-retry.js': ['npm L2 (indicated)'],
      'octokit__plugin-throttling.js': ['npm L2 (indicated)'],
      'octokit__request.js': ['npm L2 (indicated)'],
      'ossf__pvtr-github-repo-scanner': [
        'reusable workflow github-community-projects/ospo-reusable-workflows/.github/workflows/release.yaml L3 (indicated)',
      ],
      sethvargo__ratchet: ['actions/attest-build-provenance L2'],
      'sigstore__protobuf-specs': ['actions/attest-build-provenance L2', 'npm L2', 'pypi-attestations L2'],
      // The generator's own repository calls its builders at @main (its e2e set-up), which users cannot.
      'slsa-framework__slsa-github-generator': ['cosign L2', 'slsa-github-generator L3 (cannot run)'],
      stacklok__frizbee: ['slsa-github-generator L3'],
      'suzuki-shunsuke__pinact': ['reusable workflow suzuki-shunsuke/go-release-workflow/.github/workflows/release.yaml L3 (indicated)'],
      // No GitLab project in the corpus generates provenance (none uses id_tokens for Sigstore or ATTEST_BUILD_ARTIFACTS).
    });
  });

  it('Provenance scores and the coverage of publishing workflows', async () => {
    const score = async (repo: string) => (await resultsFor(repo)).get('Provenance')!.score;
    expect(await score('stacklok__frizbee')).toBe(10);
    expect(await score('sethvargo__ratchet')).toBe(8);
    expect(await score('octokit__request.js')).toBe(5);
    // container (attest), python (PyPI attestations), typescript (npm) covered; java (gradle), ruby (gem) and
    // rust (crates.io, which has no provenance) not: ⌊8·3/6⌋.
    expect(await score('sigstore__protobuf-specs')).toBe(4);
    const pb = (await resultsFor('sigstore__protobuf-specs')).get('Provenance')!;
    expect(pb.findings.map((f) => [f.rule, f.location?.path])).toEqual([
      ['publishWithoutProvenance', '.github/workflows/java-release.yml'],
      ['publishWithoutProvenance', '.github/workflows/ruby-release.yml'],
      ['publishWithoutProvenance', '.github/workflows/rust-release.yml'],
    ]);
    expect(await score('gitlab/gitlabhq__cli')).toBe(0);
  });

  it('SAST, Packaging and Hosted-Build on known cases', async () => {
    const get = async (repo: string, id: string) => (await resultsFor(repo)).get(id)!;
    expect((await get('ossf__allstar', 'SAST')).evidence.map((e) => e.values?.tool)).toEqual(['CodeQL', 'zizmor']);
    expect((await get('gitlab/wireshark__wireshark', 'SAST')).score).toBe(10); // include: template: Security/SAST.gitlab-ci.yml
    expect((await get('gitlab/gitlabhq__cli', 'SAST')).score).toBe(10); // Jobs/SAST.gitlab-ci.yml
    expect((await get('gitlab/GNOME__glib', 'SAST')).score).toBe(0);
    const release = await get('gitlab/gitlabhq__gitlab-runner', 'Packaging');
    expect(release.evidence.map((e) => [e.values?.tool, e.location?.path, e.location?.line])).toEqual([
      ['release keyword', '.gitlab/ci/release.gitlab-ci.yml', 299],
    ]);
    expect((await get('in-toto__attestation', 'Packaging')).score).toBeNull();
    // GitLab.com SaaS runner tags are hosted; untagged jobs are undetermined without knowing the host.
    const cli = await get('gitlab/gitlabhq__cli', 'Hosted-Build');
    expect(cli.score).toBe(10);
    expect(cli.evidence.map((e) => [e.values?.job, e.values?.labels])).toEqual([['release', 'saas-linux-2xlarge-amd64']]);
    expect(cli.findings.every((f) => f.rule === 'runnerUndetermined' && f.severity === 'info')).toBe(true);
    expect((await get('suzuki-shunsuke__pinact', 'Hosted-Build')).findings.map((f) => f.rule)).toEqual(['runnerUndetermined']);
  });
});
