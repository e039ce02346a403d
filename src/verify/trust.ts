/**
 * Trust material for offline verification: the Sigstore public-good trusted root (Fulcio CAs, Rekor
 * and CT log keys, timestamp authorities, each with its validity period) and npm's registry
 * attestation keys, both shipped in `./trusted-root/` (see its README for where they come from and
 * how to refresh them). Nothing here touches the network; there is no TUF client.
 */
import { PublicKey, TrustedRoot } from '@sigstore/protobuf-specs';
import { toTrustMaterial, type TrustMaterial } from '@sigstore/verify';
import { fail, isObject, ok, type Result } from './encoding.js';
import shippedRoot from './trusted-root/trusted_root.json' with { type: 'json' };
import shippedNpmKeys from './trusted-root/npm_keys.json' with { type: 'json' };

export type { TrustMaterial };

/** Where the shipped material comes from (also in trusted-root/README.md). */
export const SHIPPED_TRUST = Object.freeze({
  trustedRoot:
    'Sigstore public-good trusted_root.json (TUF repository https://tuf-repo-cdn.sigstore.dev), as embedded in @sigstore/tuf@4.0.2 seeds.json',
  trustedRootSha256: '6494e21ea73fa7ee769f85f57d5a3e6a08725eae1e38c755fc3517c9e6bc0b66',
  npmKeys: 'registry.npmjs.org keys.json (same TUF repository and seeds.json), npm:attestations keys',
});

/** A key that signs attestations directly (npm's publish attestations), as in npm's keys.json. */
export interface TrustedKey {
  keyId: string;
  keyUsage?: string;
  publicKey: { rawBytes: string; keyDetails: string; validFor?: { start?: string; end?: string } };
}

/** Trusted root JSON (`application/vnd.dev.sigstore.trustedroot+json`) + keys → trust material. */
export function createTrustMaterial(trustedRootJson: unknown, keys: readonly TrustedKey[] = []): Result<TrustMaterial> {
  try {
    if (!isObject(trustedRootJson)) return fail('trusted root is not a JSON object');
    const root = TrustedRoot.fromJSON(trustedRootJson);
    if (root.certificateAuthorities.length === 0 || root.tlogs.length === 0) {
      return fail('trusted root lists no certificate authority or no transparency log');
    }
    const byHint: Record<string, PublicKey> = {};
    for (const k of keys) byHint[k.keyId] = PublicKey.fromJSON(k.publicKey);
    return ok(toTrustMaterial(root, byHint));
  } catch (e) {
    return fail(`unusable trusted root: ${e instanceof Error ? e.message : String(e)}`);
  }
}

let publicGood: TrustMaterial | undefined;

/** The shipped public-good root + npm attestation keys (built once). */
export function publicGoodTrustMaterial(): TrustMaterial {
  if (!publicGood) {
    const keys = (shippedNpmKeys.keys as TrustedKey[]).filter((k) => k.keyUsage === 'npm:attestations');
    const tm = createTrustMaterial(shippedRoot, keys);
    if (!tm.ok) throw new Error(`shipped trusted root is broken: ${tm.error}`);
    publicGood = tm.value;
  }
  return publicGood;
}
