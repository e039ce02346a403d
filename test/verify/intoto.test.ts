/**
 * Parsing: every container shape, Statement v0.1 / v1, SLSA Provenance v0.2 / v1 into one shape,
 * repository URIs.
 */
import { describe, expect, it } from 'vitest';
import {
  countInputs,
  normalizeProvenance,
  normalizeRepo,
  parseAttestations,
  parseSourceUri,
  parseStatement,
  verifyDocument,
  type Statement,
} from '../../src/verify/index.js';
import { CONTAINER_BASED, GENERIC_DISPATCH, GENERIC_PUSH, NPM_DOC, sample, UNTRUSTED } from './samples.js';

const json = (name: string) => JSON.parse(sample(name).toString('utf8'));
const statement = (predicateType: string, predicate: unknown, type = 'https://in-toto.io/Statement/v1'): Statement => {
  const r = parseStatement(
    JSON.stringify({ _type: type, subject: [{ name: 'a', digest: { sha256: 'AB'.repeat(32) } }], predicateType, predicate }),
  );
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('containers', () => {
  it('recognises each sample’s format', () => {
    expect(parseAttestations(sample(GENERIC_PUSH)).format).toBe('dsse-envelope');
    expect(parseAttestations(sample(CONTAINER_BASED)).format).toBe('sigstore-bundle');
    expect(parseAttestations(sample(NPM_DOC)).format).toBe('npm-attestations');
  });

  it('reads several envelopes and bundles from one .intoto.jsonl, one per line', () => {
    const lines = [
      sample(GENERIC_PUSH).toString().trim(),
      '',
      sample(GENERIC_DISPATCH).toString().trim(),
      JSON.stringify(json(CONTAINER_BASED)),
      sample(UNTRUSTED).toString().trim(),
      '{"not":"an envelope"}',
    ].join('\r\n');
    const doc = parseAttestations(lines);
    expect(doc.format).toBe('intoto-jsonl');
    expect(doc.attestations.map((a) => [a.location, a.container, a.statement?.subjects[0].name ?? a.errors[0]])).toEqual([
      ['line 1', 'dsse-envelope', 'gha_generic-binary-linux-amd64-v14'],
      ['line 3', 'dsse-envelope', 'gha_generic-binary-linux-amd64-workflow_dispatch'],
      ['line 4', 'sigstore-bundle', 'gha_container-based-binary-linux-amd64-v14'],
      ['line 5', 'dsse-envelope', 'binary-linux-amd64'],
      ['line 6', 'dsse-envelope', 'neither a DSSE envelope nor a Sigstore bundle'],
    ]);
    const r = verifyDocument(lines, { expected: { repo: 'github.com/slsa-framework/example-package' } });
    expect(r.best).toMatchObject({ state: 'verified', buildLevel: 3 }); // the bundle line
    expect(r.attestations.map((a) => a.evaluation.state)).toEqual([
      'unverifiable',
      'unverifiable',
      'verified',
      'identity-mismatch',
      'unverifiable',
    ]);
  });

  it('reads a pretty-printed .sigstore.json and the v0.3 media types', () => {
    const b = json(CONTAINER_BASED);
    expect(parseAttestations(JSON.stringify(b, null, 2)).attestations[0].bundleVersion).toBe('0.1');
    for (const [mt, v] of [
      ['application/vnd.dev.sigstore.bundle+json;version=0.2', '0.2'],
      ['application/vnd.dev.sigstore.bundle+json;version=0.3', '0.3'],
      ['application/vnd.dev.sigstore.bundle.v0.3+json', '0.3'],
    ]) {
      expect(parseAttestations(JSON.stringify({ ...b, mediaType: mt })).attestations[0].bundleVersion).toBe(v);
    }
    const odd = parseAttestations(JSON.stringify({ ...b, mediaType: 'application/vnd.dev.sigstore.bundle+json;version=9.9' }))
      .attestations[0];
    expect(odd.errors[0]).toMatch(/unknown Sigstore bundle media type/);
  });

  it('reads a GitHub attestations API response, including entries that only link their bundle', () => {
    const npm = json(NPM_DOC);
    const response = {
      attestations: [
        { bundle: npm.attestations[1].bundle, repository_id: 495574555 },
        { bundle: null, bundle_url: 'https://example.invalid/bundle', repository_id: 495574555 },
      ],
    };
    const doc = parseAttestations(JSON.stringify(response));
    expect(doc.format).toBe('github-attestations');
    expect(doc.attestations[0]).toMatchObject({ repositoryId: '495574555', bundleVersion: '0.2', declaredPredicateType: null });
    expect(doc.attestations[0].statement?.predicateType).toBe('https://slsa.dev/provenance/v1');
    expect(doc.attestations[1]).toMatchObject({ bundleUrl: 'https://example.invalid/bundle', envelope: null });
    expect(doc.attestations[1].errors).toEqual(['the bundle is not included in the response; fetch bundle_url to verify it']);
    const r = verifyDocument(JSON.stringify(response), { expected: { repo: 'sigstore/sigstore-js' } });
    expect(r.attestations.map((a) => a.evaluation.state)).toEqual(['verified', 'unverifiable']);
    expect(r.best?.buildLevel).toBe(2);
  });

  it('flags an npm document whose listed predicateType differs from the signed one', () => {
    const npm = json(NPM_DOC);
    npm.attestations[0].predicateType = 'https://slsa.dev/provenance/v1';
    expect(parseAttestations(JSON.stringify(npm)).attestations[0].errors[0]).toMatch(
      /lists predicateType https:\/\/slsa.dev\/provenance\/v1 but the signed Statement has/,
    );
  });

  it('refuses a bundle that signs an artifact directly', () => {
    const b = json(CONTAINER_BASED);
    delete b.dsseEnvelope;
    b.messageSignature = { messageDigest: { algorithm: 'SHA2_256', digest: 'AAAA' }, signature: 'AAAA' };
    expect(parseAttestations(JSON.stringify(b)).attestations[0].errors).toEqual([
      'the bundle signs an artifact directly (messageSignature): it holds no in-toto attestation',
    ]);
  });

  it('reads a bare, unsigned Statement (GitLab runner artifacts-metadata.json): provenance exists, L1 at most', () => {
    const st = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'artifacts.zip', digest: { sha256: 'cd'.repeat(32) } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.0.0/PROVENANCE.md',
          externalParameters: { source: 'https://gitlab.com/g/p', entryPoint: 'build' },
        },
        runDetails: { builder: { id: 'https://gitlab.com/g/p/-/runners/1' } },
      },
    };
    const doc = parseAttestations(JSON.stringify(st, null, 2));
    expect(doc.format).toBe('intoto-statement');
    expect(doc.attestations[0]).toMatchObject({ container: 'in-toto-statement', provenance: { sourceRepo: 'gitlab.com/g/p' } });
    const r = verifyDocument(JSON.stringify(st), { expected: { repo: 'gitlab.com/g/p', digest: { sha256: 'cd'.repeat(32) } } });
    expect(r.attestations[0].signature).toMatchObject({
      state: 'unverifiable',
      reason: 'an unsigned in-toto Statement: there is no signature to verify',
    });
    expect(r.best).toMatchObject({ state: 'unverifiable', verified: false, buildLevel: 1, builder: { trusted: false, maxLevel: 1 } });
    expect(verifyDocument(JSON.stringify(st), { expected: { repo: 'gitlab.com/other/p' } }).best).toMatchObject({
      state: 'identity-mismatch',
      buildLevel: 0,
    });
  });

  it('refuses a non-in-toto payload type', () => {
    const env = json(GENERIC_PUSH);
    env.payloadType = 'text/plain';
    expect(parseAttestations(JSON.stringify(env)).attestations[0].errors[0]).toMatch(
      /payloadType "text\/plain" is not application\/vnd.in-toto\+json/,
    );
  });
});

describe('SLSA provenance, normalized', () => {
  it('v0.2 from slsa-github-generator (generic, push of a tag)', () => {
    expect(parseAttestations(sample(GENERIC_PUSH)).attestations[0].provenance).toEqual({
      predicateType: 'https://slsa.dev/provenance/v0.2',
      version: 'v0.2',
      builderId: 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.10.0',
      buildType: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
      sourceUri: 'git+https://github.com/slsa-framework/example-package@refs/tags/v14',
      sourceRepo: 'github.com/slsa-framework/example-package',
      sourceRef: 'refs/tags/v14',
      sourceDigest: { sha1: 'd37a7f740ee7404914456f24dcd90e865a0509e8' },
      workflowPath: '.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml',
      trigger: 'push',
      inputs: {},
      runnerEnvironment: null,
      invocationId: '8373486918-1',
      materials: [
        {
          uri: 'git+https://github.com/slsa-framework/example-package@refs/tags/v14',
          digest: { sha1: 'd37a7f740ee7404914456f24dcd90e865a0509e8' },
        },
      ],
    });
  });

  it('v1 from the container-based builder', () => {
    expect(parseAttestations(sample(CONTAINER_BASED)).attestations[0].provenance).toMatchObject({
      version: 'v1',
      builderId:
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_container-based_slsa3.yml@refs/tags/v1.7.0',
      buildType: 'https://slsa.dev/container-based-build/v0.1?draft',
      sourceRepo: 'github.com/slsa-framework/example-package',
      sourceRef: 'refs/tags/v14',
      sourceDigest: { sha1: '62cb1f1e485829bafe8bbec8b9900c0cb7624fe7' },
      workflowPath: '.github/configs-docker/config-tag-v14.toml',
      trigger: 'push',
      materials: [
        { uri: 'git+https://github.com/slsa-framework/example-package@refs/tags/v14' },
        { uri: 'git+https://github.com/slsa-framework/slsa-github-generator@refs/tags/v1.7.0' },
      ],
    });
  });

  it('v1 from the npm CLI (GitHub Actions workflow build type)', () => {
    expect(parseAttestations(sample(NPM_DOC)).attestations[1].provenance).toMatchObject({
      version: 'v1',
      builderId: 'https://github.com/actions/runner/github-hosted',
      buildType: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      sourceRepo: 'github.com/sigstore/sigstore-js',
      sourceRef: 'refs/heads/main',
      sourceDigest: { gitCommit: '46e7056ff9912ebfee5298d94024895a9fea76c0' },
      workflowPath: '.github/workflows/release.yml',
      trigger: 'push',
      invocationId: 'https://github.com/sigstore/sigstore-js/actions/runs/9116405766/attempts/1',
    });
  });

  it('v1 from actions/attest-build-provenance', () => {
    const p = normalizeProvenance(
      statement('https://slsa.dev/provenance/v1', {
        buildDefinition: {
          buildType: 'https://actions.github.io/buildtypes/workflow/v1',
          externalParameters: {
            workflow: { ref: 'refs/tags/v1.2.3', repository: 'https://github.com/Owner/Repo', path: '.github/workflows/release.yml' },
          },
          internalParameters: { github: { event_name: 'release', runner_environment: 'github-hosted' } },
          resolvedDependencies: [{ uri: 'git+https://github.com/Owner/Repo@refs/tags/v1.2.3', digest: { gitCommit: 'ABCDEF0123' } }],
        },
        runDetails: { builder: { id: 'https://github.com/Owner/Repo/.github/workflows/release.yml@refs/tags/v1.2.3' } },
      }),
    );
    expect(p).toMatchObject({
      sourceRepo: 'github.com/Owner/Repo',
      sourceRef: 'refs/tags/v1.2.3',
      sourceDigest: { gitCommit: 'abcdef0123' },
      trigger: 'release',
      runnerEnvironment: 'github-hosted',
      inputs: null,
    });
  });

  it('v1 from the GitLab runner', () => {
    const p = normalizeProvenance(
      statement('https://slsa.dev/provenance/v1', {
        buildDefinition: {
          buildType: 'https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.0.0/PROVENANCE.md',
          externalParameters: { source: 'https://gitlab.com/group/sub/project', entryPoint: 'build-job', variables: {} },
          resolvedDependencies: [{ uri: 'https://gitlab.com/group/sub/project', digest: { sha256: 'ff'.repeat(20) } }],
        },
        runDetails: { builder: { id: 'https://gitlab.com/group/sub/project/-/runners/12345' } },
      }),
    );
    expect(p).toMatchObject({
      sourceRepo: 'gitlab.com/group/sub/project',
      workflowPath: 'build-job',
      sourceDigest: { sha256: 'ff'.repeat(20) },
    });
  });

  it('user inputs: recorded (even as an empty event payload field) or not; only non-empty values count', () => {
    // The container-based builder records the whole event payload: a dispatch without inputs has `inputs: null`.
    const container = parseAttestations(sample(CONTAINER_BASED)).attestations[0].statement!;
    const withPayload = (payload: unknown) => {
      const p = structuredClone(container.predicate) as { buildDefinition: { internalParameters: Record<string, unknown> } };
      p.buildDefinition.internalParameters.GITHUB_EVENT_PAYLOAD = payload;
      return normalizeProvenance({ ...container, predicate: p })!.inputs;
    };
    expect(parseAttestations(sample(CONTAINER_BASED)).attestations[0].provenance?.inputs).toBeNull(); // a push: no `inputs` key
    expect(withPayload({ inputs: null, ref: 'refs/heads/main' })).toEqual({});
    expect(withPayload({ inputs: { version: '1.2.3', dry_run: '' } })).toEqual({ version: '1.2.3', dry_run: '' });
    expect(countInputs(null)).toBeNull();
    expect(countInputs({})).toBe(0);
    expect(countInputs({ version: '1.2.3', dry_run: false, notes: '', extra: null })).toBe(2);
  });

  it('other predicates are not provenance; Statement v0.1 and v1 both read', () => {
    expect(normalizeProvenance(statement('https://spdx.dev/Document', {}))).toBeNull();
    expect(normalizeProvenance(statement('https://slsa.dev/provenance/v1', 'not an object'))).toBeNull();
    expect(statement('x', {}, 'https://in-toto.io/Statement/v0.1').type).toBe('https://in-toto.io/Statement/v0.1');
    expect(parseStatement('{"_type":"https://in-toto.io/Statement/v2","subject":[],"predicateType":"x"}')).toMatchObject({ ok: false });
  });
});

describe('repository URIs', () => {
  it.each([
    ['git+https://github.com/slsa-framework/example-package@refs/tags/v14', 'github.com/slsa-framework/example-package'],
    ['https://github.com/sigstore/sigstore-js', 'github.com/sigstore/sigstore-js'],
    ['https://GitHub.com/Owner/Repo.git/', 'github.com/Owner/Repo'],
    ['github.com/o/r', 'github.com/o/r'],
    ['https://gitlab.com/group/sub/project', 'gitlab.com/group/sub/project'],
    ['https://user@github.example.com:8443/o/r', 'github.example.com:8443/o/r'],
    ['https://github.com/o/r/tree/main', null],
    ['https://github.com/o', null],
    ['file:///etc/passwd', null],
    ['https://github.com/o/../r', null],
    ['', null],
  ])('%s → %s', (uri, want) => {
    expect(normalizeRepo(uri)).toBe(want);
  });

  it('owner/repo only with a default host', () => {
    expect(normalizeRepo('o/r')).toBeNull();
    expect(normalizeRepo('o/r', 'github.com')).toBe('github.com/o/r');
  });

  it('source URIs whose ref contains @', () => {
    expect(parseSourceUri('git+https://github.com/o/r@refs/tags/pkg@1.2.3')).toEqual({
      repo: 'github.com/o/r',
      ref: 'refs/tags/pkg@1.2.3',
    });
    expect(parseSourceUri('https://github.com/o/r')).toEqual({ repo: 'github.com/o/r', ref: null });
  });
});
