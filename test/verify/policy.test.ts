/**
 * Policy: subject and repository binding, and the roots-of-trust table (signer identity +
 * builder.id → Build level). Real samples where they exist; synthetic certificate identities for the
 * builders no sample covers (actions/attest, reusable workflows, GitLab, self-hosted runners).
 */
import { describe, expect, it } from 'vitest';
import {
  classifyBuilder,
  evaluateProvenance,
  normalizeProvenance,
  parseAttestations,
  parseStatement,
  verifyAttestation,
  verifyDocument,
  type CertificateIdentity,
  type RootOfTrust,
  type SignatureVerification,
  type Statement,
} from '../../src/verify/index.js';
import { CONTAINER_BASED, EXPECTATIONS, GENERIC_DISPATCH, GENERIC_PUSH, NPM_DOC, sample } from './samples.js';

function identity(over: Partial<CertificateIdentity>): CertificateIdentity {
  return {
    issuer: 'https://token.actions.githubusercontent.com',
    subjectAlternativeName: null,
    buildSignerUri: null,
    buildSignerDigest: null,
    runnerEnvironment: 'github-hosted',
    sourceRepositoryUri: 'https://github.com/o/r',
    sourceRepositoryDigest: 'a'.repeat(40),
    sourceRepositoryRef: 'refs/tags/v1.0.0',
    sourceRepositoryIdentifier: '1',
    sourceRepositoryOwnerUri: 'https://github.com/o',
    sourceRepositoryOwnerIdentifier: '2',
    buildConfigUri: null,
    buildConfigDigest: null,
    buildTrigger: 'push',
    runInvocationUri: null,
    sourceRepositoryVisibility: 'public',
    github: { workflowTrigger: null, workflowSha: null, workflowName: null, workflowRepository: null, workflowRef: null },
    notBefore: '2025-01-01T00:00:00.000Z',
    notAfter: '2025-01-01T00:10:00.000Z',
    certificateIssuer: 'O=sigstore.dev, CN=sigstore-intermediate',
    serialNumber: '01',
    ...over,
  };
}

function signature(id: CertificateIdentity | null, state: SignatureVerification['state'] = 'verified'): SignatureVerification {
  return {
    state,
    reason: state === 'verified' ? 'ok' : 'missing material',
    signer: id ? 'certificate' : 'public-key',
    identity: id,
    keyHint: null,
    signedAt: '2025-01-01T00:00:01.000Z',
    timestamps: [],
    checks: { signature: 'passed', certificateChain: 'passed', transparencyLog: 'passed', timestamp: 'passed' },
    sigstoreError: null,
  };
}

const SHA = 'ab'.repeat(32);

function attestProvenance(opts: {
  builderId: string;
  repo?: string;
  path?: string;
  ref?: string;
  runner?: string;
  event?: string;
  inputs?: Record<string, unknown>;
}): Statement {
  const r = parseStatement(
    JSON.stringify({
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'app.tar.gz', digest: { sha256: SHA } }],
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: {
          buildType: 'https://actions.github.io/buildtypes/workflow/v1',
          externalParameters: {
            workflow: {
              ref: opts.ref ?? 'refs/tags/v1.0.0',
              repository: `https://github.com/${opts.repo ?? 'o/r'}`,
              path: opts.path ?? '.github/workflows/release.yml',
            },
            ...(opts.inputs ? { inputs: opts.inputs } : {}),
          },
          internalParameters: { github: { event_name: opts.event ?? 'push', runner_environment: opts.runner ?? 'github-hosted' } },
          resolvedDependencies: [
            { uri: `git+https://github.com/${opts.repo ?? 'o/r'}@refs/tags/v1.0.0`, digest: { gitCommit: 'a'.repeat(40) } },
          ],
        },
        runDetails: { builder: { id: opts.builderId } },
      },
    }),
  );
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

const OWN = 'https://github.com/o/r/.github/workflows/release.yml@refs/tags/v1.0.0';
const REUSABLE = 'https://github.com/org/build-workflows/.github/workflows/build.yml@refs/tags/v2.0.0';

describe('subject and repository binding', () => {
  const container = () => parseAttestations(sample(CONTAINER_BASED)).attestations[0];

  it('a subject digest mismatch is subject-mismatch, L0, even for a verified trusted builder', () => {
    const att = container();
    const e = evaluateProvenance({
      statement: att.statement,
      signature: verifyAttestation(att),
      expected: { repo: 'github.com/slsa-framework/example-package', digest: { sha256: 'ff'.repeat(32) } },
    });
    expect(e).toMatchObject({ state: 'subject-mismatch', verified: false, buildLevel: 0 });
    expect(e.errors).toEqual(["no subject has the artifact's sha256 digest (1 subject checked)"]);
  });

  it('a digest of an algorithm no subject has cannot match', () => {
    const att = container();
    const e = evaluateProvenance({
      statement: att.statement,
      signature: verifyAttestation(att),
      expected: { repo: 'slsa-framework/example-package', digest: { sha512: 'ff'.repeat(64) } },
    });
    expect(e.state).toBe('subject-mismatch');
    expect(e.errors).toEqual(['no subject has a sha512 digest to compare with']);
  });

  it('digests compare case-insensitively', () => {
    const att = container();
    const e = evaluateProvenance({
      statement: att.statement,
      signature: verifyAttestation(att),
      expected: {
        repo: 'slsa-framework/example-package',
        digest: { SHA256: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' },
      },
    });
    expect(e).toMatchObject({ state: 'verified', buildLevel: 3, subject: { name: 'gha_container-based-binary-linux-amd64-v14' } });
  });

  it('another repository is identity-mismatch, L0 — verified or not', () => {
    const att = container();
    const e = evaluateProvenance({
      statement: att.statement,
      signature: verifyAttestation(att),
      expected: { repo: 'github.com/evil/fork' },
    });
    expect(e).toMatchObject({ state: 'identity-mismatch', buildLevel: 0 });
    expect(e.errors).toEqual([
      'the signing certificate was issued to a build of github.com/slsa-framework/example-package, not github.com/evil/fork',
      'the provenance names github.com/slsa-framework/example-package as its source, not github.com/evil/fork',
    ]);
    const jsonl = verifyDocument(sample(GENERIC_PUSH), {
      expected: { repo: 'github.com/evil/fork', digest: EXPECTATIONS[GENERIC_PUSH].expected!.digest },
    });
    expect(jsonl.best).toMatchObject({ state: 'identity-mismatch', buildLevel: 0 });
  });

  it('repository names compare case-insensitively, in any spelling', () => {
    for (const repo of [
      'SLSA-Framework/Example-Package',
      'https://github.com/slsa-framework/example-package.git',
      'git+https://github.com/slsa-framework/example-package',
    ]) {
      expect(verifyDocument(sample(CONTAINER_BASED), { expected: { repo } }).best?.state).toBe('verified');
    }
  });

  it('an expected repository that is not one is identity-mismatch', () => {
    expect(verifyDocument(sample(CONTAINER_BASED), { expected: { repo: 'not a repo' } }).best?.state).toBe('identity-mismatch');
  });

  it('the certificate’s repository must agree with the provenance’s', () => {
    const st = attestProvenance({ builderId: OWN, repo: 'o/r' });
    const e = evaluateProvenance({
      statement: st,
      signature: signature(identity({ buildSignerUri: OWN, buildConfigUri: OWN, sourceRepositoryUri: 'https://github.com/other/repo' })),
      expected: { repo: 'o/r' },
    });
    expect(e.state).toBe('identity-mismatch');
    expect(e.errors).toEqual(['the signing certificate was issued to a build of github.com/other/repo, not github.com/o/r']);
  });

  it('a signature-invalid attestation is L0 whatever else is true', () => {
    const e = evaluateProvenance({
      statement: attestProvenance({ builderId: REUSABLE }),
      signature: signature(identity({ buildSignerUri: REUSABLE, buildConfigUri: OWN }), 'signature-invalid'),
      expected: { repo: 'o/r' },
    });
    expect(e).toMatchObject({ state: 'signature-invalid', buildLevel: 0, verified: false });
  });
});

describe('roots of trust', () => {
  const level = (id: CertificateIdentity, st: Statement, state: SignatureVerification['state'] = 'verified') =>
    evaluateProvenance({ statement: st, signature: signature(id, state), expected: { repo: 'github.com/o/r', digest: { sha256: SHA } } });

  it('actions/attest from the repository’s own workflow → L2', () => {
    const e = level(identity({ buildSignerUri: OWN, buildConfigUri: OWN }), attestProvenance({ builderId: OWN }));
    expect(e).toMatchObject({
      state: 'verified',
      buildLevel: 2,
      builder: { trusted: true, root: 'github-artifact-attestation', maxLevel: 2 },
    });
  });

  it('actions/attest from a reusable workflow (signer ≠ build config) → L3', () => {
    const e = level(identity({ buildSignerUri: REUSABLE, buildConfigUri: OWN }), attestProvenance({ builderId: REUSABLE }));
    expect(e).toMatchObject({ state: 'verified', buildLevel: 3, builder: { trusted: true, maxLevel: 3 } });
    expect(e.builder.reason).toMatch(/reusable workflow .*build-workflows.* isolated from the calling workflow/);
  });

  it('actions/attest whose builder.id is not the signer → untrusted L1', () => {
    const e = level(identity({ buildSignerUri: OWN, buildConfigUri: OWN }), attestProvenance({ builderId: REUSABLE }));
    expect(e).toMatchObject({ buildLevel: 1, builder: { trusted: false, maxLevel: 1 } });
  });

  it('a self-hosted runner caps any builder at L1', () => {
    const e = level(
      identity({ buildSignerUri: REUSABLE, buildConfigUri: OWN, runnerEnvironment: 'self-hosted' }),
      attestProvenance({ builderId: REUSABLE }),
    );
    expect(e).toMatchObject({ buildLevel: 1, builder: { trusted: false } });
    expect(e.builder.reason).toMatch(/self-hosted runner/);
  });

  it('unverifiable provenance is L1 at most, keeping what the builder could vouch for', () => {
    const e = level(identity({ buildSignerUri: REUSABLE, buildConfigUri: OWN }), attestProvenance({ builderId: REUSABLE }), 'unverifiable');
    expect(e).toMatchObject({ state: 'unverifiable', verified: false, buildLevel: 1, builder: { trusted: true, maxLevel: 3 } });
    expect(e.errors).toEqual(['missing material']);
  });

  const generatorProvenance = (builderId: string): Statement => {
    const att = parseAttestations(sample(GENERIC_PUSH)).attestations[0];
    return { ...att.statement!, predicate: { ...(att.statement!.predicate as object), builder: { id: builderId } } };
  };
  const GEN = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml';

  it('slsa-github-generator only at a vX.Y.Z release tag', () => {
    const id = (ref: string) =>
      classifyBuilder(identity({ buildSignerUri: `${GEN}@${ref}` }), normalizeProvenance(generatorProvenance(`${GEN}@${ref}`))!);
    expect(id('refs/tags/v2.1.0')).toMatchObject({ trusted: true, maxLevel: 3, root: 'slsa-github-generator' });
    expect(id('refs/heads/main')).toMatchObject({ trusted: false, maxLevel: 1 });
    expect(id('refs/heads/main').reason).toMatch(/not a vX\.Y\.Z release tag/);
    expect(id('refs/tags/v2.1.0-rc.0')).toMatchObject({ trusted: false, maxLevel: 1 });
    expect(id('refs/tags/v2')).toMatchObject({ trusted: false, maxLevel: 1 });
  });

  it('slsa-github-generator: builder.id must be the signing workflow (the BYOB delegator may sign for another generator workflow)', () => {
    const signer = `${GEN}@refs/tags/v2.1.0`;
    const other = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_go_slsa3.yml@refs/tags/v2.1.0';
    expect(classifyBuilder(identity({ buildSignerUri: signer }), normalizeProvenance(generatorProvenance(other))!)).toMatchObject({
      trusted: false,
      maxLevel: 1,
    });
    const delegator =
      'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/delegator_generic_slsa3.yml@refs/tags/v2.1.0';
    const maven = 'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/builder_maven_slsa3.yml@refs/tags/v2.1.0';
    expect(classifyBuilder(identity({ buildSignerUri: delegator }), normalizeProvenance(generatorProvenance(maven))!)).toMatchObject({
      trusted: true,
      maxLevel: 3,
    });
    expect(classifyBuilder(identity({ buildSignerUri: delegator }), normalizeProvenance(generatorProvenance(OWN))!)).toMatchObject({
      trusted: false,
    });
  });

  it('a fork of the generator is untrusted (the README’s asraa/slsa-github-generator sample)', () => {
    const e = verifyDocument(sample('binary-linux-amd64-untrusted-builder.intoto.jsonl'), {
      expected: EXPECTATIONS['binary-linux-amd64-untrusted-builder.intoto.jsonl'].expected!,
    });
    expect(e.best?.builder).toMatchObject({ trusted: false, maxLevel: 1, root: 'untrusted' });
    expect(e.best?.builder.reason).toBe(
      "signed by asraa/slsa-github-generator's copy of the slsa-github-generator workflow builder_go_slsa3.yml; only slsa-framework/slsa-github-generator is trusted",
    );
    // Even were its signature fully verified, the level would stay at 1.
    const att = parseAttestations(sample('binary-linux-amd64-untrusted-builder.intoto.jsonl')).attestations[0];
    const sig = { ...verifyAttestation(att), state: 'verified' as const };
    expect(
      evaluateProvenance({ statement: att.statement, signature: sig, expected: { repo: 'asraa/slsa-on-github-test' } }).buildLevel,
    ).toBe(1);
  });

  it('npm provenance: github-hosted → L2, self-hosted → L1, a workflow other than the certificate’s → L1', () => {
    const npm = parseAttestations(sample(NPM_DOC)).attestations[1];
    const real = verifyAttestation(npm);
    expect(classifyBuilder(real.identity, npm.provenance!)).toMatchObject({ trusted: true, maxLevel: 2, root: 'npm-provenance' });
    const selfHosted = { ...npm.provenance!, builderId: 'https://github.com/actions/runner/self-hosted' };
    expect(classifyBuilder(real.identity, selfHosted)).toMatchObject({ trusted: false, maxLevel: 1 });
    const otherWorkflow = { ...npm.provenance!, workflowPath: '.github/workflows/other.yml' };
    expect(classifyBuilder(real.identity, otherWorkflow).reason).toMatch(/is not the workflow in the certificate/);
  });

  it('GitLab: pipeline identity on a GitLab-hosted runner → L2, self-hosted → L1', () => {
    const gitlabSt = parseStatement(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v1',
        subject: [{ name: 'artifacts.zip', digest: { sha256: SHA } }],
        predicateType: 'https://slsa.dev/provenance/v1',
        predicate: {
          buildDefinition: {
            buildType: 'https://gitlab.com/gitlab-org/gitlab-runner/-/blob/v17.0.0/PROVENANCE.md',
            externalParameters: { source: 'https://gitlab.com/g/p', entryPoint: 'build' },
          },
          runDetails: { builder: { id: 'https://gitlab.com/g/p/-/runners/1' } },
        },
      }),
    );
    if (!gitlabSt.ok) throw new Error(gitlabSt.error);
    const gl = (runner: string) =>
      identity({
        issuer: 'https://gitlab.com',
        subjectAlternativeName: 'https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main',
        buildSignerUri: 'https://gitlab.com/g/p//.gitlab-ci.yml@refs/heads/main',
        sourceRepositoryUri: 'https://gitlab.com/g/p',
        runnerEnvironment: runner,
      });
    const ev = (runner: string) =>
      evaluateProvenance({ statement: gitlabSt.value, signature: signature(gl(runner)), expected: { repo: 'gitlab.com/g/p' } });
    expect(ev('gitlab-hosted')).toMatchObject({
      state: 'verified',
      buildLevel: 2,
      builder: { trusted: true, root: 'gitlab-ci' },
      source: { repo: 'gitlab.com/g/p' },
    });
    expect(ev('self-hosted')).toMatchObject({ state: 'verified', buildLevel: 1, builder: { trusted: false } });
    // An extra root (e.g. GitLab's control-plane L3 signer, once documented) lifts the level.
    const l3: RootOfTrust = {
      id: 'gitlab-l3',
      description: 'test',
      match: (id) => (id.issuer === 'https://gitlab.com' ? { id: 'x', trusted: true, maxLevel: 3, reason: 'test root' } : null),
    };
    expect(
      evaluateProvenance({
        statement: gitlabSt.value,
        signature: signature(gl('gitlab-hosted')),
        expected: { repo: 'gitlab.com/g/p' },
        roots: [l3],
      }).buildLevel,
    ).toBe(3);
  });

  it('a person’s signature (email identity) is untrusted: L1', () => {
    const st = attestProvenance({ builderId: OWN });
    const e = evaluateProvenance({
      statement: st,
      signature: signature(
        identity({
          issuer: 'https://accounts.google.com',
          subjectAlternativeName: 'someone@example.com',
          sourceRepositoryUri: null,
          runnerEnvironment: null,
        }),
      ),
      expected: { repo: 'o/r' },
    });
    expect(e).toMatchObject({ state: 'verified', buildLevel: 1, builder: { trusted: false } });
    expect(e.builder.reason).toMatch(/not a known build platform/);
    expect(e.warnings).toContain('the source repository comes from the provenance only; the signer identity does not name it');
  });

  it('a key-signed Statement that is not provenance has no Build level', () => {
    const publish = parseAttestations(sample(NPM_DOC)).attestations[0];
    const e = evaluateProvenance({
      statement: publish.statement,
      signature: verifyAttestation(publish),
      expected: { repo: 'sigstore/sigstore-js' },
    });
    expect(e).toMatchObject({ state: 'unverifiable', buildLevel: 0 });
    expect(e.errors[0]).toMatch(/not SLSA provenance/);
  });
});

describe('how the build ran (evaluation.build)', () => {
  const best = (name: string) => verifyDocument(sample(name), { expected: EXPECTATIONS[name].expected! }).best!;

  it('real samples: the build type, the certificate’s runner environment, and no user inputs', () => {
    const container = best(CONTAINER_BASED);
    expect(container.build).toEqual({
      type: 'https://slsa.dev/container-based-build/v0.1?draft',
      runnerEnvironment: 'github-hosted', // only the certificate (.1.11) records it
      externalInputs: 0, // nothing recorded, but the certificate says a push started it
    });
    expect(container.source.workflowPath).toBe('.github/configs-docker/config-tag-v14.toml');
    expect(best(NPM_DOC).build).toEqual({
      type: 'https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1',
      runnerEnvironment: 'github-hosted',
      externalInputs: 0,
    });
    // A workflow_dispatch run that records empty parameters (and `inputs: null` in its event payload).
    expect(best(GENERIC_DISPATCH).build).toEqual({
      type: 'https://github.com/slsa-framework/slsa-github-generator/generic@v1',
      runnerEnvironment: 'github-hosted',
      externalInputs: 0,
    });
  });

  const evaluate = (st: Statement, over: Partial<CertificateIdentity> = {}) =>
    evaluateProvenance({
      statement: st,
      signature: signature(identity({ buildSignerUri: OWN, buildConfigUri: OWN, ...over })),
      expected: { repo: 'o/r' },
    }).build;

  it('counts recorded inputs that have a value; an unrecorded dispatch or release stays unknown', () => {
    const dispatch = { buildTrigger: 'workflow_dispatch' };
    expect(
      evaluate(
        attestProvenance({ builderId: OWN, event: 'workflow_dispatch', inputs: { version: '1.2.3', notes: '', x: null } }),
        dispatch,
      ),
    ).toMatchObject({ type: 'https://actions.github.io/buildtypes/workflow/v1', externalInputs: 1 });
    // actions/attest never records inputs: a dispatch run may have had some.
    expect(evaluate(attestProvenance({ builderId: OWN, event: 'workflow_dispatch' }), dispatch).externalInputs).toBeNull();
    expect(evaluate(attestProvenance({ builderId: OWN, event: 'release' }), { buildTrigger: 'release' }).externalInputs).toBeNull();
    expect(evaluate(attestProvenance({ builderId: OWN })).externalInputs).toBe(0);
    // The certificate's trigger wins over the provenance's (which the workflow itself may have written).
    expect(evaluate(attestProvenance({ builderId: OWN }), dispatch).externalInputs).toBeNull();
    // Only GitHub Actions events are known to carry no inputs (a GitLab push can set CI variables).
    const gitlab = { issuer: 'https://gitlab.com', runnerEnvironment: 'gitlab-hosted' };
    expect(evaluate(attestProvenance({ builderId: OWN }), gitlab)).toMatchObject({
      runnerEnvironment: 'gitlab-hosted',
      externalInputs: null,
    });
  });

  it('self-hosted when the certificate or the provenance says so; the provenance’s when the certificate is silent', () => {
    expect(evaluate(attestProvenance({ builderId: OWN, runner: 'self-hosted' })).runnerEnvironment).toBe('self-hosted');
    expect(evaluate(attestProvenance({ builderId: OWN }), { runnerEnvironment: 'self-hosted' }).runnerEnvironment).toBe('self-hosted');
    expect(evaluate(attestProvenance({ builderId: OWN }), { runnerEnvironment: null }).runnerEnvironment).toBe('github-hosted');
  });
});
