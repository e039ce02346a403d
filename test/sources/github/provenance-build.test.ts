/**
 * How the build ran, from real signed provenance served by the fake GitHub (slsa-framework/
 * example-package, releases scenario): the GitHub source carries the entry point, build type, runner
 * environment and input count of each verified document into the attestations fact, Signed-Releases
 * puts them in its `verifiedProvenance` evidence, and the SLSA tables read them.
 */
import { describe, expect, test } from 'vitest';
import { EMPTY_SHA256, GENERIC_SHA256, releasesScenario, TOKENS } from '../../fake-github/scenarios.js';
import { assessFully, sourceFor, value, withFake } from './helpers.js';

const CONTAINER_BUILD = {
  entryPoint: '.github/configs-docker/config-tag-v14.toml',
  buildType: 'https://slsa.dev/container-based-build/v0.1?draft',
  runnerEnvironment: 'github-hosted',
  externalInputs: 0,
};

describe('real provenance → attestations fact → verifiedProvenance → SLSA', () => {
  test('the build fields of both real samples reach the fact; the verified one reaches the evidence and the tables', async () => {
    await withFake({ scenarios: [releasesScenario()] }, async (fake) => {
      const { assessment, facts } = await assessFully(await sourceFor(fake, 'slsa-framework/example-package', TOKENS.read));
      const atts = value(facts.attestations);
      // The container-based builder's bundle from the attestations API (SLSA v1): its config file is the
      // entry point; only the certificate records the runner; a push started it, so there were no inputs.
      expect(atts.find((a) => a.digest === `sha256:${EMPTY_SHA256}`)).toMatchObject({ state: 'verified', ...CONTAINER_BUILD });
      // The generator's .intoto.jsonl (v0.2, unverifiable offline): the fields are read all the same.
      expect(atts.find((a) => a.digest === `sha256:${GENERIC_SHA256}`)).toMatchObject({
        state: 'unverifiable',
        entryPoint: '.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml',
        buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
        runnerEnvironment: 'github-hosted',
        externalInputs: 0,
      });

      const signed = assessment.checks.find((c) => c.name === 'Signed-Releases')!;
      const verified = signed.evidence.filter((e) => e.kind === 'verifiedProvenance');
      expect(verified.map((e) => e.values)).toEqual([expect.objectContaining({ release: 'v14', buildLevel: 3, ...CONTAINER_BUILD })]);

      const v01 = assessment.slsa!.frameworks.find((f) => f.id === 'slsa-v0.1')!;
      const parameterless = v01.requirements.find((r) => r.id === 'build.parameterless')!;
      expect(parameterless.state).toBe('met');
      expect(parameterless.evidence[0].message).toBe('verified provenance records no user-supplied build inputs');
      expect(v01.requirements.find((r) => r.id === 'build.scripted')?.state).toBe('met');
    });
  });
});
