/**
 * The real provenance samples (../shared/provenance-samples, from slsa-verifier's testdata) and the
 * outcome its README states for each, as data the verification tests run over.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PROVENANCE_DIR } from '../helpers/shared.js';

export { PROVENANCE_DIR };

export const GENERIC_PUSH = 'gha_generic_v1.10.0_binary-linux-amd64-push-v14.intoto.jsonl';
export const GENERIC_DISPATCH = 'gha_generic_v1.10.0_binary-linux-amd64-workflow_dispatch.intoto.jsonl';
export const CONTAINER_BASED = 'gha_container-based_v1.7.0_gha_container-based-binary-linux-amd64-v14.intoto.sigstore';
export const UNTRUSTED = 'binary-linux-amd64-untrusted-builder.intoto.jsonl';
export const NPM_TGZ = 'npm_gha_provenance-npm-test-cli-v1-prega.tgz';
export const NPM_DOC = 'npm_gha_provenance-npm-test-cli-v1-prega.tgz.json';
export const NPM_DOC_INVALID = 'npm_gha_provenance-npm-test-cli-v1-prega-invalidsigprov.tgz.json';

export const sample = (name: string): Buffer => readFileSync(join(PROVENANCE_DIR, name));
export const sampleNames = (): string[] => readdirSync(PROVENANCE_DIR).filter((n) => n !== 'README.md');

export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
export const sha512 = (b: Uint8Array): string => createHash('sha512').update(b).digest('hex');

export interface SampleExpectation {
  /** What the sample README says. */
  readme: string;
  /** null: the file is an artifact, not provenance. */
  expected: { repo: string; digest: Record<string, string> } | null;
  /** Per SLSA provenance attestation in the file. */
  state: 'verified' | 'signature-invalid' | 'unverifiable';
  buildLevel: 0 | 1 | 2 | 3;
  builderTrusted: boolean;
  builderMaxLevel: 0 | 1 | 2 | 3;
  sourceRef: string | null;
  builderId: string | null;
}

const GENERIC_BUILDER =
  'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.10.0';

/** Every file in the samples directory must be listed here (a test checks it). */
export const EXPECTATIONS: Record<string, SampleExpectation> = {
  [GENERIC_PUSH]: {
    readme: 'verifies; source repo slsa-framework/example-package; trusted builder → Build L3',
    expected: {
      repo: 'github.com/slsa-framework/example-package',
      digest: { sha256: '2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd' },
    },
    // The .jsonl holds the envelope and certificate but no Rekor entry: offline, the signing time
    // cannot be proven, so the signature is checked (it verifies) but the result is unverifiable.
    state: 'unverifiable',
    buildLevel: 1,
    builderTrusted: true,
    builderMaxLevel: 3,
    sourceRef: 'refs/tags/v14',
    builderId: GENERIC_BUILDER,
  },
  [GENERIC_DISPATCH]: {
    readme: 'verifies; built from refs/heads/main (a workflow_dispatch build, empty parameters), not a tag',
    expected: {
      repo: 'github.com/slsa-framework/example-package',
      digest: { sha256: '2892146b063a94cb4a4318c0e98d38af12dcf2b1e29237486b58463b59607bbd' },
    },
    state: 'unverifiable',
    buildLevel: 1,
    builderTrusted: true,
    builderMaxLevel: 3,
    sourceRef: 'refs/heads/main',
    builderId: GENERIC_BUILDER,
  },
  [CONTAINER_BASED]: {
    readme: 'verifies; trusted builder → Build L3',
    expected: {
      repo: 'github.com/slsa-framework/example-package',
      digest: { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
    },
    state: 'verified',
    buildLevel: 3,
    builderTrusted: true,
    builderMaxLevel: 3,
    sourceRef: 'refs/tags/v14',
    builderId:
      'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml@refs/tags/v1.7.0',
  },
  [UNTRUSTED]: {
    readme: 'source repo asraa/slsa-on-github-test; the builder is not a trusted slsa-github-generator: no L3 for it',
    expected: {
      repo: 'github.com/asraa/slsa-on-github-test',
      digest: { sha256: 'b01c4f22b92c57fe1c94ba99b568e8d704bbf544882784b5b8c765fc32e627c4' },
    },
    state: 'unverifiable',
    buildLevel: 1,
    builderTrusted: false,
    builderMaxLevel: 1,
    sourceRef: 'refs/heads/main',
    builderId: 'https://github.com/asraa/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/tags/v1.4.0',
  },
  [NPM_DOC]: {
    readme: 'verifies',
    expected: { repo: 'github.com/sigstore/sigstore-js', digest: { sha512: sha512(readFileSync(join(PROVENANCE_DIR, NPM_TGZ))) } },
    state: 'verified',
    buildLevel: 2,
    builderTrusted: true,
    builderMaxLevel: 2,
    sourceRef: 'refs/heads/main',
    builderId: 'https://github.com/actions/runner/github-hosted',
  },
  [NPM_DOC_INVALID]: {
    readme: 'provenance signature does not verify',
    expected: { repo: 'github.com/sigstore/sigstore-js', digest: { sha512: sha512(readFileSync(join(PROVENANCE_DIR, NPM_TGZ))) } },
    state: 'signature-invalid',
    buildLevel: 0,
    builderTrusted: false,
    builderMaxLevel: 0,
    sourceRef: 'refs/heads/main',
    builderId: 'https://github.com/actions/runner/github-hosted',
  },
  [NPM_TGZ]: {
    readme: 'the npm package itself (the artifact the two documents attest)',
    expected: null,
    state: 'unverifiable',
    buildLevel: 0,
    builderTrusted: false,
    builderMaxLevel: 0,
    sourceRef: null,
    builderId: null,
  },
};

/**
 * Flip one bit of one byte of a DSSE payload (inside the first subject digest, so the Statement still
 * parses) and re-encode it. Returns the offset changed.
 */
export function tamperPayload(envelope: { payload: string }): number {
  const bytes = Buffer.from(envelope.payload, 'base64');
  const digest = bytes.indexOf(Buffer.from('"digest":{"'));
  const i = bytes.indexOf(Buffer.from('":"'), digest + 11) + 5;
  bytes[i] ^= 0x01;
  envelope.payload = bytes.toString('base64');
  return i;
}
