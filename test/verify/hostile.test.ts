/**
 * Hostile input: random bytes, truncated JSON, a 20 MB line, wrong types, deep nesting, mutated
 * samples. Every entry point returns errors; none throws, hangs or reports a pass.
 */
import { describe, expect, it } from 'vitest';
import {
  certificateIdentity,
  evaluateProvenance,
  parseAttestations,
  parseStatement,
  rekorEntryToTlogEntry,
  rekorResponseToTlogEntries,
  verifyAttestation,
  verifyDocument,
  type RawAttestation,
} from '../../src/verify/index.js';
import { EXPECTATIONS, GENERIC_PUSH, NPM_DOC, sample, sampleNames } from './samples.js';

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const expected = { repo: 'github.com/slsa-framework/example-package' };

describe('hostile input', () => {
  it('random bytes', () => {
    const rand = rng(1);
    for (const size of [0, 1, 7, 64, 1000, 65_536]) {
      const bytes = new Uint8Array(size).map(() => Math.floor(rand() * 256));
      const r = verifyDocument(bytes, { expected });
      expect(r.attestations).toEqual([]);
      expect(r.errors.length).toBe(1);
      expect(r.buildLevel).toBe(0);
    }
    // Random bytes that start like JSON.
    const r = verifyDocument(Buffer.concat([Buffer.from('{"attestations":[{"bundle":'), Buffer.alloc(500, 0xff)]), { expected });
    expect(r.errors[0]).toMatch(/not UTF-8/);
  });

  it('truncated JSON, at every 97th byte of every sample', () => {
    for (const name of sampleNames().filter((n) => EXPECTATIONS[n].expected)) {
      const full = sample(name);
      for (let cut = 0; cut < full.length - 2; cut += 97) {
        const r = verifyDocument(full.subarray(0, cut), { expected: EXPECTATIONS[name].expected! });
        expect(
          r.attestations.every((a) => a.evaluation.state !== 'verified'),
          `${name} cut at ${cut}`,
        ).toBe(true);
        expect(r.buildLevel).toBe(0);
      }
    }
  });

  it('a 20 MB line', () => {
    const line = '{"payloadType":"application/vnd.in-toto+json","payload":"' + 'A'.repeat(20 * 1024 * 1024) + '","signatures":[]}';
    const started = Date.now();
    const r = verifyDocument(line, { expected });
    expect(r.errors).toEqual(['document is larger than the 16.0 MiB limit']);
    // In a document under the limit, one over-long line is refused on its own; the others are read.
    const doc = sample(GENERIC_PUSH).toString().trim() + '\n' + line.slice(0, 3 * 1024 * 1024) + '\n';
    const p = parseAttestations(doc, { limits: { lineBytes: 1024 * 1024 } });
    expect(p.attestations.map((a) => a.errors[0] ?? 'ok')).toEqual(['ok', 'line 2 is 3.0 MiB, over the 1.0 MiB limit']);
    const bytes = verifyDocument(Buffer.from(line), { expected });
    expect(bytes.errors[0]).toMatch(/over the 16.0 MiB limit/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a payload over the payload limit', () => {
    const env = {
      payloadType: 'application/vnd.in-toto+json',
      payload: Buffer.alloc(2048, 'x').toString('base64'),
      signatures: [{ sig: 'AAAA' }],
    };
    const p = parseAttestations(JSON.stringify(env), { limits: { payloadBytes: 1024 } });
    expect(p.attestations[0].errors).toEqual(['DSSE payload decodes to more than the 1.0 KiB limit']);
  });

  it('deep nesting and odd JSON values', () => {
    const deep = '{"a":' + '['.repeat(200_000) + ']'.repeat(200_000) + '}';
    expect(verifyDocument(deep, { expected }).errors[0]).toMatch(/unrecognised document/);
    for (const doc of [
      'null',
      '[]',
      '"str"',
      '42',
      '{}',
      '{"attestations":[]}',
      '{"attestations":[null,1,"x",{}]}',
      '{"payloadType":1,"payload":{},"signatures":"x"}',
    ]) {
      const r = verifyDocument(doc, { expected });
      expect(r.buildLevel, doc).toBe(0);
      expect(r.errors.length + r.attestations.reduce((n, a) => n + a.errors.length, 0), doc).toBeGreaterThan(0);
    }
  });

  it('wrong types inside a well-formed envelope', () => {
    const mk = (statement: unknown) =>
      JSON.stringify({
        payloadType: 'application/vnd.in-toto+json',
        payload: Buffer.from(JSON.stringify(statement)).toString('base64'),
        signatures: [{ sig: 'AAAA' }],
      });
    const cases: [unknown, RegExp][] = [
      [[], /not a JSON object/],
      [{ _type: 'https://in-toto.io/Statement/v1' }, /no predicateType/],
      [{ _type: 'https://in-toto.io/Statement/v1', predicateType: 'x', subject: 'nope' }, /no subject list/],
      [{ _type: 'https://in-toto.io/Statement/v1', predicateType: 'x', subject: new Array(10_001).fill({}) }, /10001 subjects/],
      [{ _type: { toString: 1 }, predicateType: 'x', subject: [] }, /not an in-toto Statement/],
    ];
    for (const [st, err] of cases) {
      const [a] = parseAttestations(mk(st)).attestations;
      expect(a.errors.join('; ')).toMatch(err);
    }
    // Predicates full of the wrong types still normalize (to nulls), without throwing.
    const weird = {
      _type: 'https://in-toto.io/Statement/v0.1',
      predicateType: 'https://slsa.dev/provenance/v0.2',
      subject: [{ name: 5, digest: { sha256: 7, __proto__: 'x', constructor: 'y' } }, null, 'x'],
      predicate: { builder: 'x', invocation: { configSource: { uri: 42, digest: [] }, parameters: 'p' }, materials: { a: 1 } },
    };
    const [a] = parseAttestations(mk(weird)).attestations;
    expect(a.statement?.subjects).toEqual([{ name: null, digest: {} }]);
    expect(a.provenance).toMatchObject({ builderId: null, sourceRepo: null, materials: [], inputs: null });
    expect(({} as Record<string, unknown>).x).toBeUndefined(); // nothing polluted
    const v1weird = {
      ...weird,
      predicateType: 'https://slsa.dev/provenance/v1',
      predicate: {
        buildDefinition: { externalParameters: { workflow: 3, source: { uri: [] } }, resolvedDependencies: 'x' },
        runDetails: [],
      },
    };
    expect(parseAttestations(mk(v1weird)).attestations[0].provenance).toMatchObject({ version: 'v1', builderId: null, sourceRepo: null });
  });

  it('mutated samples: no throw, and a changed payload never verifies', () => {
    const rand = rng(7);
    for (const name of [GENERIC_PUSH, 'gha_container-based_v1.7.0_gha_container-based-binary-linux-amd64-v14.intoto.sigstore', NPM_DOC]) {
      const full = sample(name);
      const text = full.toString('utf8');
      const payloadStart = text.indexOf('"payload":"') + 11;
      const payloadEnd = text.indexOf('"', payloadStart);
      for (let i = 0; i < 25; i++) {
        const copy = Buffer.from(full);
        const at = payloadStart + Math.floor(rand() * (payloadEnd - payloadStart - 4));
        copy[at] = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'.charCodeAt(Math.floor(rand() * 64));
        const changed = !copy.equals(full);
        const r = verifyDocument(copy, { expected: EXPECTATIONS[name].expected! });
        // The first payload in each of these files is the first attestation's.
        if (changed) expect(r.attestations[0]?.signature.state, `${name} @${at}`).not.toBe('verified');
      }
      // Anywhere in the file: never throws.
      for (let i = 0; i < 25; i++) {
        const copy = Buffer.from(full);
        copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
        expect(() => verifyDocument(copy, { expected: EXPECTATIONS[name].expected! })).not.toThrow();
      }
    }
  });

  it('every exported function survives nonsense arguments', () => {
    const junk: unknown[] = [undefined, null, 0, '', 'x', [], {}, { envelope: { signatures: [] } }, Buffer.alloc(3)];
    for (const j of junk) {
      expect(() => parseAttestations(j as string)).not.toThrow();
      expect(() => parseStatement(j as string)).not.toThrow();
      expect(() => certificateIdentity(j as string)).not.toThrow();
      expect(() => rekorEntryToTlogEntry(j)).not.toThrow();
      expect(() => rekorResponseToTlogEntries(j)).not.toThrow();
      expect(() => verifyAttestation(j as RawAttestation)).not.toThrow();
      expect(() => verifyDocument(j as string, { expected })).not.toThrow();
      expect(() => evaluateProvenance(j as never)).not.toThrow();
      expect(() => evaluateProvenance({ statement: j as never, signature: j as never, expected: j as never })).not.toThrow();
    }
    expect(verifyAttestation(null as unknown as RawAttestation).state).toBe('unverifiable');
    // A signature result of the wrong shape never counts as verified.
    const att = parseAttestations(sample(GENERIC_PUSH)).attestations[0];
    for (const sig of [{}, { state: 'VERIFIED' }, { state: 'verified ' }, { state: undefined, identity: null }]) {
      const e = evaluateProvenance({
        statement: att.statement,
        signature: sig as never,
        expected: { repo: 'slsa-framework/example-package' },
      });
      expect(e.verified).toBe(false);
      expect(e.buildLevel).toBeLessThanOrEqual(1);
    }
  });
});
