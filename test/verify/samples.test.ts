/**
 * Every file in ../shared/provenance-samples, verified offline end to end (parse → Sigstore →
 * policy) with the outcome its README states — or, where the file lacks the material to finish
 * verification offline, `unverifiable` with the precise reason.
 */
import { describe, expect, it } from 'vitest';
import { verifyDocument } from '../../src/verify/index.js';
import { EXPECTATIONS, NPM_DOC, NPM_DOC_INVALID, sample, sampleNames } from './samples.js';

describe('provenance samples', () => {
  it('has an expectation for every file in the samples directory', () => {
    expect(sampleNames().sort()).toEqual(Object.keys(EXPECTATIONS).sort());
  });

  for (const [name, exp] of Object.entries(EXPECTATIONS)) {
    if (!exp.expected) continue;
    it(`${name}: ${exp.readme}`, () => {
      const r = verifyDocument(sample(name), { expected: exp.expected! });
      expect(r.errors).toEqual([]);
      const provenance = r.attestations.filter((a) => a.provenance);
      expect(provenance).toHaveLength(1);
      const [a] = provenance;
      expect(a.evaluation.state).toBe(exp.state);
      expect(a.evaluation.verified).toBe(exp.state === 'verified');
      expect(a.evaluation.buildLevel).toBe(exp.buildLevel);
      expect(a.provenance?.builderId).toBe(exp.builderId);
      expect(r.buildLevel).toBe(exp.buildLevel);
      if (exp.state !== 'signature-invalid') {
        expect(a.evaluation.builder.trusted).toBe(exp.builderTrusted);
        expect(a.evaluation.builder.maxLevel).toBe(exp.builderMaxLevel);
        expect(a.evaluation.source.ref).toBe(exp.sourceRef);
        expect(a.evaluation.subject).not.toBeNull();
      }
    });
  }

  it('the npm package itself is not an attestation document', () => {
    const r = verifyDocument(sample('npm_gha_provenance-npm-test-cli-v1-prega.tgz'), {
      expected: { repo: 'github.com/sigstore/sigstore-js' },
    });
    expect(r.attestations).toEqual([]);
    expect(r.errors[0]).toMatch(/not UTF-8|not JSON/);
    expect(r.best).toBeNull();
  });

  it('generator .intoto.jsonl: signature and certificate chain verify; only the Rekor entry is missing', () => {
    for (const name of [
      'gha_generic_v1.10.0_binary-linux-amd64-push-v14.intoto.jsonl',
      'binary-linux-amd64-untrusted-builder.intoto.jsonl',
    ]) {
      const [a] = verifyDocument(sample(name), { expected: { repo: 'x/y' } }).attestations;
      expect(a.signature.state).toBe('unverifiable');
      expect(a.signature.checks).toEqual({
        signature: 'passed',
        certificateChain: 'passed',
        transparencyLog: 'missing',
        timestamp: 'missing',
      });
      expect(a.signature.reason).toMatch(/no transparency-log entry or signed timestamp/);
      expect(a.signature.reason).toMatch(/Rekor entry is not in the file/);
      expect(a.signature.signedAt).toBeNull();
    }
  });

  it('workflow_dispatch build: from a branch, with empty parameters', () => {
    const r = verifyDocument(sample('gha_generic_v1.10.0_binary-linux-amd64-workflow_dispatch.intoto.jsonl'), {
      expected: { repo: 'slsa-framework/example-package' },
    });
    const e = r.best!;
    expect(e.source).toMatchObject({
      repo: 'github.com/slsa-framework/example-package',
      ref: 'refs/heads/main',
      refKind: 'branch',
      trigger: 'workflow_dispatch',
      inputs: {},
      workflowPath: '.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml',
      digest: { sha1: 'd37a7f740ee7404914456f24dcd90e865a0509e8' },
    });
    expect(e.warnings).toContain('no artifact digest given: the subject was not checked against the artifact');
  });

  it('container-based bundle v0.1: verified with the log integrated time although the certificate expired long ago', () => {
    const r = verifyDocument(sample('gha_container-based_v1.7.0_gha_container-based-binary-linux-amd64-v14.intoto.sigstore'), {
      expected: {
        repo: 'https://github.com/slsa-framework/example-package',
        digest: { sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      },
    });
    const [a] = r.attestations;
    expect(a.signature).toMatchObject({ state: 'verified', signedAt: '2023-06-07T14:44:42.000Z' });
    expect(a.signature.timestamps).toEqual([{ source: 'transparency-log', time: '2023-06-07T14:44:42.000Z' }]);
    expect(a.signature.identity?.notAfter).toBe('2023-06-07T14:54:41.000Z');
    expect(a.evaluation.builder.reason).toMatch(/trusted SLSA generator workflow builder_container-based_slsa3\.yml@refs\/tags\/v1\.7\.0/);
    expect(a.evaluation.signer?.runnerEnvironment).toBe('github-hosted');
  });

  it('npm document: the publish attestation verifies with npm’s key, the provenance with Fulcio + Rekor → L2', () => {
    const r = verifyDocument(sample(NPM_DOC), { expected: { repo: 'github.com/sigstore/sigstore-js' } });
    expect(r.format).toBe('npm-attestations');
    const [publish, provenance] = r.attestations;
    expect(publish.predicateType).toBe('https://github.com/npm/attestation/tree/main/specs/publish/v0.1');
    expect(publish.signature).toMatchObject({
      state: 'verified',
      signer: 'public-key',
      keyHint: 'SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA',
    });
    expect(publish.evaluation.buildLevel).toBe(0); // not provenance
    expect(provenance.signature).toMatchObject({ state: 'verified', signer: 'certificate', signedAt: '2024-05-16T17:12:03.000Z' });
    expect(provenance.evaluation.builder.reason).toMatch(/npm provenance .* GitHub-hosted runner/);
    expect(r.best?.buildLevel).toBe(2);
  });

  it('npm document with the provenance payload altered: the provenance fails, the publish attestation still verifies', () => {
    const r = verifyDocument(sample(NPM_DOC_INVALID), { expected: { repo: 'github.com/sigstore/sigstore-js' } });
    const [publish, provenance] = r.attestations;
    expect(publish.signature.state).toBe('verified');
    expect(provenance.signature.state).toBe('signature-invalid');
    expect(provenance.signature.checks.signature).toBe('failed');
    expect(provenance.evaluation).toMatchObject({ state: 'signature-invalid', verified: false, buildLevel: 0 });
    expect(r.buildLevel).toBe(0);
  });
});
