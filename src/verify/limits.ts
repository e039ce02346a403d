/**
 * Size limits for everything the verification library reads. Provenance comes from the repository
 * (release assets) or a registry, so it is hostile input: every limit is checked before the bytes
 * are decoded or parsed, and exceeding one is an error result, never an exception.
 *
 * Real documents are far smaller: an slsa-github-generator `.intoto.jsonl` line is 10–20 KB (a
 * `multiple.intoto.jsonl` for hundreds of files a few hundred KB), an npm attestations document
 * ~15 KB, a GitHub attestations API page of 30 bundles well under 1 MB.
 */
export interface Limits {
  /** Whole input document (a `.intoto.jsonl`, a bundle, an API response), in bytes. */
  documentBytes: number;
  /** One line of a `.intoto.jsonl`, in bytes. */
  lineBytes: number;
  /** A decoded DSSE payload (the in-toto Statement), in bytes. */
  payloadBytes: number;
  /** Attestations taken from one document; the rest are reported, not parsed. */
  attestations: number;
  /** Subjects taken from one Statement. */
  subjects: number;
  /** Digest entries per subject / resource descriptor. */
  digests: number;
  /** Materials / resolvedDependencies kept from one provenance. */
  materials: number;
  /** Any single string we keep (URIs, names, refs), in characters. */
  stringChars: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  documentBytes: 16 * 1024 * 1024,
  lineBytes: 8 * 1024 * 1024,
  payloadBytes: 8 * 1024 * 1024,
  attestations: 256,
  subjects: 10_000,
  digests: 16,
  materials: 1_000,
  stringChars: 8 * 1024,
});

export function withLimits(overrides?: Partial<Limits>): Limits {
  return { ...DEFAULT_LIMITS, ...(overrides ?? {}) };
}
