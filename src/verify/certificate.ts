/**
 * The identity in a Fulcio signing certificate: OIDC issuer, subject alternative name (for CI, the
 * workflow that signed) and the CI extensions under OID 1.3.6.1.4.1.57264.1
 * (https://github.com/sigstore/fulcio/blob/main/docs/oid-info.md).
 *
 * `.1.1`–`.1.6` are the deprecated GitHub extensions whose value is the raw string; `.1.8` and later
 * are DER-encoded UTF8Strings. Both are read, the newer preferred.
 */
import { ASN1Obj, X509Certificate } from '@sigstore/core';
import { fail, ok, type Result } from './encoding.js';

export const OID = {
  issuerV1: '1.3.6.1.4.1.57264.1.1',
  githubWorkflowTrigger: '1.3.6.1.4.1.57264.1.2',
  githubWorkflowSha: '1.3.6.1.4.1.57264.1.3',
  githubWorkflowName: '1.3.6.1.4.1.57264.1.4',
  githubWorkflowRepository: '1.3.6.1.4.1.57264.1.5',
  githubWorkflowRef: '1.3.6.1.4.1.57264.1.6',
  issuer: '1.3.6.1.4.1.57264.1.8',
  buildSignerUri: '1.3.6.1.4.1.57264.1.9',
  buildSignerDigest: '1.3.6.1.4.1.57264.1.10',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sourceRepositoryUri: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  sourceRepositoryRef: '1.3.6.1.4.1.57264.1.14',
  sourceRepositoryIdentifier: '1.3.6.1.4.1.57264.1.15',
  sourceRepositoryOwnerUri: '1.3.6.1.4.1.57264.1.16',
  sourceRepositoryOwnerIdentifier: '1.3.6.1.4.1.57264.1.17',
  buildConfigUri: '1.3.6.1.4.1.57264.1.18',
  buildConfigDigest: '1.3.6.1.4.1.57264.1.19',
  buildTrigger: '1.3.6.1.4.1.57264.1.20',
  runInvocationUri: '1.3.6.1.4.1.57264.1.21',
  sourceRepositoryVisibility: '1.3.6.1.4.1.57264.1.22',
} as const;

export const GITHUB_ACTIONS_ISSUER = 'https://token.actions.githubusercontent.com';
export const GITLAB_ISSUER = 'https://gitlab.com';

export interface CertificateIdentity {
  /** OIDC issuer (`.1.8`, or the deprecated `.1.1`). */
  issuer: string | null;
  /** URI SAN (CI workflows) or email SAN (people). */
  subjectAlternativeName: string | null;
  buildSignerUri: string | null;
  buildSignerDigest: string | null;
  /** `github-hosted` / `self-hosted` (GitHub), `gitlab-hosted` / `self-hosted` (GitLab). */
  runnerEnvironment: string | null;
  sourceRepositoryUri: string | null;
  sourceRepositoryDigest: string | null;
  sourceRepositoryRef: string | null;
  sourceRepositoryIdentifier: string | null;
  sourceRepositoryOwnerUri: string | null;
  sourceRepositoryOwnerIdentifier: string | null;
  buildConfigUri: string | null;
  buildConfigDigest: string | null;
  buildTrigger: string | null;
  runInvocationUri: string | null;
  sourceRepositoryVisibility: string | null;
  /** Deprecated GitHub extensions (`.1.2`–`.1.6`), still the only ones in certificates before 2023. */
  github: {
    workflowTrigger: string | null;
    workflowSha: string | null;
    workflowName: string | null;
    /** `owner/repo` */
    workflowRepository: string | null;
    workflowRef: string | null;
  };
  notBefore: string;
  notAfter: string;
  /** The issuing CA's distinguished name, e.g. `O=sigstore.dev, CN=sigstore-intermediate`. */
  certificateIssuer: string;
  serialNumber: string;
}

const NAME_ATTRS: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

/** DER length octets. */
function derLength(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/**
 * An X.509 Name → `O=…, CN=…`. Takes the Name's content octets (what @sigstore/core's
 * `issuer` / `subject` return: the RDN sets without the outer SEQUENCE header).
 */
export function distinguishedName(content: Buffer): string {
  try {
    const name = ASN1Obj.parseBuffer(Buffer.concat([Buffer.from([0x30]), derLength(content.length), content]));
    const parts: string[] = [];
    for (const rdn of name.subs) {
      for (const atv of rdn.subs) {
        const oid = atv.subs[0]?.toOID();
        const value = atv.subs[1]?.value.toString('utf8') ?? '';
        parts.push(`${NAME_ATTRS[oid] ?? oid}=${value}`);
      }
    }
    return parts.join(', ');
  } catch {
    return '';
  }
}

function extString(cert: X509Certificate, oid: string, der: boolean): string | null {
  const ext = cert.extension(oid);
  if (!ext) return null;
  const raw = ext.value;
  if (der) {
    try {
      const inner = ASN1Obj.parseBuffer(Buffer.from(raw));
      // UTF8String (12), PrintableString (19), IA5String (22)
      if (inner.tag.isUniversal() && [12, 19, 22].includes(inner.tag.number)) return inner.value.toString('utf8');
    } catch {
      /* fall back to the raw bytes */
    }
  }
  return raw.toString('utf8');
}

/** Certificate (X509Certificate, DER or PEM) → identity. */
export function certificateIdentity(cert: X509Certificate | Uint8Array | string): Result<CertificateIdentity> {
  try {
    const c = cert instanceof X509Certificate ? cert : X509Certificate.parse(typeof cert === 'string' ? cert : Buffer.from(cert));
    const v2 = (oid: string) => extString(c, oid, true);
    const v1 = (oid: string) => extString(c, oid, false);
    let san: string | null = null;
    try {
      san = c.subjectAltName ?? null;
    } catch {
      san = null;
    }
    return ok({
      issuer: v2(OID.issuer) ?? v1(OID.issuerV1),
      subjectAlternativeName: san,
      buildSignerUri: v2(OID.buildSignerUri),
      buildSignerDigest: v2(OID.buildSignerDigest),
      runnerEnvironment: v2(OID.runnerEnvironment),
      sourceRepositoryUri: v2(OID.sourceRepositoryUri),
      sourceRepositoryDigest: v2(OID.sourceRepositoryDigest),
      sourceRepositoryRef: v2(OID.sourceRepositoryRef),
      sourceRepositoryIdentifier: v2(OID.sourceRepositoryIdentifier),
      sourceRepositoryOwnerUri: v2(OID.sourceRepositoryOwnerUri),
      sourceRepositoryOwnerIdentifier: v2(OID.sourceRepositoryOwnerIdentifier),
      buildConfigUri: v2(OID.buildConfigUri),
      buildConfigDigest: v2(OID.buildConfigDigest),
      buildTrigger: v2(OID.buildTrigger),
      runInvocationUri: v2(OID.runInvocationUri),
      sourceRepositoryVisibility: v2(OID.sourceRepositoryVisibility),
      github: {
        workflowTrigger: v1(OID.githubWorkflowTrigger),
        workflowSha: v1(OID.githubWorkflowSha),
        workflowName: v1(OID.githubWorkflowName),
        workflowRepository: v1(OID.githubWorkflowRepository),
        workflowRef: v1(OID.githubWorkflowRef),
      },
      notBefore: c.notBefore.toISOString(),
      notAfter: c.notAfter.toISOString(),
      certificateIssuer: distinguishedName(c.issuer),
      serialNumber: c.serialNumber.toString('hex'),
    });
  } catch (e) {
    return fail(`unreadable certificate: ${e instanceof Error ? e.message : String(e)}`);
  }
}
