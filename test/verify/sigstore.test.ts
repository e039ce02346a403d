/**
 * Offline Sigstore verification: tampering fails, expired certificates verify at the log's time,
 * missing material is `unverifiable` with the reason, unknown CAs / logs are not guessed at, a
 * caller-supplied Rekor entry completes an envelope, and nothing touches the network.
 */
import dns from 'node:dns';
import net from 'node:net';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pemToDer } from '../../src/verify/envelope.js';
import {
  certificateIdentity,
  createTrustMaterial,
  DEFAULT_LIMITS,
  parseAttestations,
  publicGoodTrustMaterial,
  SHIPPED_TRUST,
  verifyAttestation,
  verifyDocument,
} from '../../src/verify/index.js';
import { CONTAINER_BASED, EXPECTATIONS, GENERIC_DISPATCH, GENERIC_PUSH, NPM_DOC, sample, tamperPayload, UNTRUSTED } from './samples.js';

const json = (name: string) => JSON.parse(sample(name).toString('utf8'));
const only = (doc: string | Buffer) => {
  const p = parseAttestations(doc);
  expect(p.attestations).toHaveLength(1);
  return p.attestations[0];
};

describe('tampering', () => {
  it('one flipped payload byte fails every sample that carries a signature', () => {
    // .intoto.jsonl: the bare envelope
    for (const name of [GENERIC_PUSH, GENERIC_DISPATCH, UNTRUSTED]) {
      const env = json(name);
      tamperPayload(env);
      const att = only(JSON.stringify(env));
      expect(att.statement).not.toBeNull(); // still a readable Statement…
      const sig = verifyAttestation(att);
      expect(sig.state, name).toBe('signature-invalid'); // …whose signature no longer matches
      expect(sig.checks.signature).toBe('failed');
      const ev = verifyDocument(JSON.stringify(env), { expected: EXPECTATIONS[name].expected! });
      expect(ev.best).toMatchObject({ state: 'signature-invalid', verified: false, buildLevel: 0 });
    }
    // Sigstore bundle
    const bundle = json(CONTAINER_BASED);
    tamperPayload(bundle.dsseEnvelope);
    expect(verifyAttestation(only(JSON.stringify(bundle))).state).toBe('signature-invalid');
    // npm document: both attestations
    for (const i of [0, 1]) {
      const doc = json(NPM_DOC);
      tamperPayload(doc.attestations[i].bundle.dsseEnvelope);
      const r = verifyDocument(JSON.stringify(doc), { expected: { repo: 'github.com/sigstore/sigstore-js' } });
      expect(r.attestations[i].signature.state).toBe('signature-invalid');
      expect(r.attestations[1 - i].signature.state).toBe('verified');
    }
  });

  it('a flipped signature byte fails', () => {
    const env = json(GENERIC_PUSH);
    const sig = Buffer.from(env.signatures[0].sig, 'base64');
    sig[20] ^= 0x40;
    env.signatures[0].sig = sig.toString('base64');
    expect(verifyAttestation(only(JSON.stringify(env))).state).toBe('signature-invalid');
  });

  it('another envelope’s certificate does not fit', () => {
    const env = json(GENERIC_DISPATCH);
    env.signatures[0].cert = json(GENERIC_PUSH).signatures[0].cert;
    expect(verifyAttestation(only(JSON.stringify(env)))).toMatchObject({ state: 'signature-invalid', checks: { signature: 'failed' } });
  });

  it('base64 smuggling (a character Node would silently skip) is refused, not verified', () => {
    const env = json(GENERIC_PUSH);
    env.payload = env.payload.slice(0, 100) + '!' + env.payload.slice(100);
    const att = only(JSON.stringify(env));
    expect(att.envelope).toBeNull();
    expect(att.errors).toEqual(['DSSE payload is not base64']);
    expect(verifyAttestation(att).state).toBe('unverifiable');
    expect(verifyDocument(JSON.stringify(env), { expected: EXPECTATIONS[GENERIC_PUSH].expected! }).buildLevel).toBe(0);
  });

  it('an altered log entry fails (inclusion promise / body)', () => {
    const set = json(CONTAINER_BASED);
    const promise = Buffer.from(set.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp, 'base64');
    promise[promise.length - 3] ^= 0x01;
    set.verificationMaterial.tlogEntries[0].inclusionPromise.signedEntryTimestamp = promise.toString('base64');
    expect(verifyAttestation(only(JSON.stringify(set)))).toMatchObject({
      state: 'signature-invalid',
      checks: { transparencyLog: 'failed' },
    });

    const time = json(CONTAINER_BASED);
    time.verificationMaterial.tlogEntries[0].integratedTime = String(Number(time.verificationMaterial.tlogEntries[0].integratedTime) + 60);
    expect(verifyAttestation(only(JSON.stringify(time))).state).toBe('signature-invalid');

    // The log entry of another signature (the npm provenance's) in the container bundle.
    const other = json(CONTAINER_BASED);
    const npmEntry = json(NPM_DOC).attestations[1].bundle.verificationMaterial.tlogEntries[0];
    other.verificationMaterial.tlogEntries = [{ ...npmEntry, inclusionProof: undefined }];
    expect(verifyAttestation(only(JSON.stringify(other))).state).toBe('signature-invalid');
  });

  it('a bundle stripped of its log entry is unverifiable, not verified', () => {
    const b = json(CONTAINER_BASED);
    b.verificationMaterial.tlogEntries = [];
    const sig = verifyAttestation(only(JSON.stringify(b)));
    expect(sig.state).toBe('unverifiable');
    expect(sig.reason).toMatch(/The bundle lists no tlog entry/);
    expect(sig.checks).toMatchObject({ signature: 'passed', certificateChain: 'passed', transparencyLog: 'missing' });
  });
});

describe('signing time', () => {
  it('expired certificates verify at the log’s integrated time, offline', () => {
    const sig = verifyAttestation(only(sample(CONTAINER_BASED)));
    expect(sig.state).toBe('verified');
    expect(new Date(sig.identity!.notAfter).getTime()).toBeLessThan(Date.now()); // long expired
    expect(sig.signedAt! >= sig.identity!.notBefore && sig.signedAt! <= sig.identity!.notAfter).toBe(true);
  });

  it('verifies the same whatever the clock says', () => {
    vi.useFakeTimers({ now: new Date('2040-01-01T00:00:00Z') });
    try {
      expect(verifyAttestation(only(sample(CONTAINER_BASED))).state).toBe('verified');
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('caller-supplied Rekor entries', () => {
  /** The container bundle's own log entry, in the shape the Rekor API returns it. */
  function rekorApiEntry(): Record<string, unknown> {
    const t = json(CONTAINER_BASED).verificationMaterial.tlogEntries[0];
    return {
      '24296fb24b8ad77a0123456789abcdef': {
        body: t.canonicalizedBody,
        integratedTime: Number(t.integratedTime),
        logID: Buffer.from(t.logId.keyId, 'base64').toString('hex'),
        logIndex: Number(t.logIndex),
        verification: { signedEntryTimestamp: t.inclusionPromise.signedEntryTimestamp },
      },
    };
  }
  /** The container bundle as slsa-github-generator v1 would ship it: envelope + `cert` only. */
  function envelopeOnly(): string {
    const b = json(CONTAINER_BASED);
    const der = Buffer.from(b.verificationMaterial.x509CertificateChain.certificates[0].rawBytes, 'base64');
    const pem = `-----BEGIN CERTIFICATE-----\n${der.toString('base64').replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`;
    const env = b.dsseEnvelope;
    return JSON.stringify({
      payloadType: env.payloadType,
      payload: env.payload,
      signatures: [{ keyid: '', sig: env.signatures[0].sig, cert: pem }],
    });
  }

  it('without the entry: unverifiable, with the precise reason', () => {
    const sig = verifyAttestation(only(envelopeOnly()));
    expect(sig.state).toBe('unverifiable');
    expect(sig.reason).toMatch(/fetch it from Rekor and pass it as tlogEntries/);
  });

  it('with the entry (Rekor API JSON): verified offline', () => {
    const sig = verifyAttestation(only(envelopeOnly()), { tlogEntries: rekorApiEntry() });
    expect(sig).toMatchObject({ state: 'verified', signedAt: '2023-06-07T14:44:42.000Z' });
    const r = verifyDocument(envelopeOnly(), { expected: EXPECTATIONS[CONTAINER_BASED].expected!, tlogEntries: [rekorApiEntry()] });
    expect(r.best).toMatchObject({ state: 'verified', buildLevel: 3 });
  });

  it('an entry for another envelope is not used', () => {
    const sig = verifyAttestation(only(sample(GENERIC_PUSH)), { tlogEntries: rekorApiEntry() });
    expect(sig.state).toBe('unverifiable');
    expect(sig.reason).toMatch(/None of the 1 supplied Rekor entries is for this envelope/);
  });

  it('garbage entries are reported, not thrown', () => {
    const sig = verifyAttestation(only(envelopeOnly()), { tlogEntries: { x: { body: 'bm90IGpzb24=', logID: 'zz' } } });
    expect(sig.state).toBe('unverifiable');
    expect(sig.reason).toMatch(/supplied Rekor entries are unusable/);
  });
});

describe('trust material', () => {
  const root = JSON.parse(readFileSync(new URL('../../src/verify/trusted-root/trusted_root.json', import.meta.url), 'utf8'));

  it('the shipped root is the file its README names', () => {
    const bytes = readFileSync(new URL('../../src/verify/trusted-root/trusted_root.json', import.meta.url));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(SHIPPED_TRUST.trustedRootSha256);
    const tm = publicGoodTrustMaterial();
    expect(tm.tlogs.map((t) => t.baseURL)).toContain('https://rekor.sigstore.dev');
    expect(tm.certificateAuthorities.length).toBeGreaterThanOrEqual(2);
    expect(tm.publicKey('SHA256:jl3bwswu80PjjokCgh0o2w5c2U4LhQAE57gj9cz1kzA').validFor(new Date('2024-05-16T00:00:00Z'))).toBe(true);
  });

  it('a CA the root does not hold: unverifiable, naming the CA', () => {
    const withoutCurrentCa = { ...root, certificateAuthorities: root.certificateAuthorities.slice(0, 1) };
    const tm = createTrustMaterial(withoutCurrentCa);
    expect(tm.ok).toBe(true);
    const sig = verifyAttestation(only(sample(CONTAINER_BASED)), { trustMaterial: tm.ok ? tm.value : undefined });
    expect(sig.state).toBe('unverifiable');
    expect(sig.reason).toBe('the certificate was issued by O=sigstore.dev, CN=sigstore-intermediate, which is not in the trusted root');
  });

  it('a log the root does not hold: unverifiable, naming the log', () => {
    const tm = createTrustMaterial({ ...root, tlogs: root.tlogs.slice(1) });
    const sig = verifyAttestation(only(sample(CONTAINER_BASED)), { trustMaterial: tm.ok ? tm.value : undefined });
    expect(sig.state).toBe('unverifiable');
    expect(sig.reason).toMatch(/transparency log wNI9atQGlz\+VWfO6LRygH4QUfY\/8W4RFwiT5i5WRgB0= is not in the trusted root/);
  });

  it('a broken trusted root is an error result', () => {
    expect(createTrustMaterial('nope')).toEqual({ ok: false, error: 'trusted root is not a JSON object' });
    expect(createTrustMaterial({ mediaType: 'x' }).ok).toBe(false);
  });
});

describe('certificate identity', () => {
  const certOf = (name: string) => {
    const der = pemToDer(json(name).signatures[0].cert, DEFAULT_LIMITS);
    if (!der.ok) throw new Error(der.error);
    return der.value;
  };

  it('reads the GitHub OIDC extensions of a 2024 certificate', () => {
    const id = certificateIdentity(certOf(GENERIC_DISPATCH));
    expect(id.ok && id.value).toMatchObject({
      issuer: 'https://token.actions.githubusercontent.com',
      subjectAlternativeName:
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.10.0',
      buildSignerUri:
        'https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_generic_slsa3.yml@refs/tags/v1.10.0',
      buildSignerDigest: 'c747fe7769adf3656dc7d588b161cb614d7abfee',
      runnerEnvironment: 'github-hosted',
      sourceRepositoryUri: 'https://github.com/slsa-framework/example-package',
      sourceRepositoryDigest: 'd37a7f740ee7404914456f24dcd90e865a0509e8',
      sourceRepositoryRef: 'refs/heads/main',
      sourceRepositoryIdentifier: '486325809',
      sourceRepositoryOwnerUri: 'https://github.com/slsa-framework',
      buildConfigUri:
        'https://github.com/slsa-framework/example-package/.github/workflows/verifier-e2e.all.workflow_dispatch.main.all.slsa3.yml@refs/heads/main',
      buildTrigger: 'workflow_dispatch',
      runInvocationUri: 'https://github.com/slsa-framework/example-package/actions/runs/8373482618/attempts/1',
      sourceRepositoryVisibility: 'public',
      github: {
        workflowRepository: 'slsa-framework/example-package',
        workflowRef: 'refs/heads/main',
        workflowTrigger: 'workflow_dispatch',
      },
      certificateIssuer: 'O=sigstore.dev, CN=sigstore-intermediate',
    });
  });

  it('reads the deprecated extensions of a 2023 certificate', () => {
    const id = certificateIdentity(certOf(UNTRUSTED));
    expect(id.ok && id.value).toMatchObject({
      issuer: 'https://token.actions.githubusercontent.com',
      sourceRepositoryUri: null,
      runnerEnvironment: null,
      github: {
        workflowRepository: 'asraa/slsa-on-github-test',
        workflowRef: 'refs/heads/main',
        workflowSha: 'd674cb41a5d97a117426ef18c6881b3185f4e33a',
      },
    });
  });

  it('garbage is an error result', () => {
    expect(certificateIdentity(Buffer.from('not a certificate')).ok).toBe(false);
    expect(certificateIdentity('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----').ok).toBe(false);
  });
});

describe('no network', () => {
  const attempts: string[] = [];
  const saved = { connect: net.Socket.prototype.connect, lookup: dns.lookup, fetch: globalThis.fetch, env: { ...process.env } };
  beforeEach(() => {
    attempts.length = 0;
    net.Socket.prototype.connect = function (...args: unknown[]) {
      attempts.push(`connect ${JSON.stringify(args[0])}`);
      throw new Error('network is forbidden in verification');
    } as typeof net.Socket.prototype.connect;
    (dns as { lookup: unknown }).lookup = (host: string) => {
      attempts.push(`dns ${host}`);
      throw new Error('DNS is forbidden in verification');
    };
    globalThis.fetch = (async (url: unknown) => {
      attempts.push(`fetch ${String(url)}`);
      throw new Error('fetch is forbidden in verification');
    }) as typeof fetch;
    process.env.HTTPS_PROXY = process.env.HTTP_PROXY = 'http://127.0.0.1:9';
  });
  afterEach(() => {
    net.Socket.prototype.connect = saved.connect;
    (dns as { lookup: unknown }).lookup = saved.lookup;
    globalThis.fetch = saved.fetch;
    process.env = saved.env;
  });

  it('the trap is live (a connection, lookup or fetch would be seen)', async () => {
    await expect(fetch('https://rekor.sigstore.dev/api/v1/log')).rejects.toThrow(/forbidden/);
    expect(() => net.connect(443, 'tuf-repo-cdn.sigstore.dev')).toThrow(/forbidden/);
    expect(attempts).toHaveLength(2);
  });

  it('verifies every sample without a single connection, lookup or fetch', () => {
    for (const [name, exp] of Object.entries(EXPECTATIONS)) {
      if (!exp.expected) continue;
      const r = verifyDocument(sample(name), { expected: exp.expected });
      expect(r.best?.state, name).toBe(exp.state);
    }
    expect(attempts).toEqual([]);
  });
});
