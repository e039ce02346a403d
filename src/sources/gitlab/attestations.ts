/**
 * Provenance for recent releases, found and verified offline (src/verify):
 * - release links that are provenance or Sigstore bundles (`*.intoto.jsonl`, `*.sigstore.json`,
 *   `*.sigstore`, `*provenance*.json`) on the newest release that has any — at most two downloads;
 * - GitLab's own attestations (`GET /projects/:id/attestations/:sha256`, Ultimate, experiment,
 *   GitLab 18.5+) — asked only when the CI configuration turns them on (ATTEST_BUILD_ARTIFACTS) and
 *   a digest to ask for is known (from the provenance subjects or a checksums release link).
 * Release-link downloads carry the token only when the link is on the instance itself.
 */
import { known, type Fact } from '../../facts/fact.js';
import type { AttestationCheck, Release } from '../../facts/platform.js';
import type { GitlabCi } from '../../parsers/gitlab-ci.js';
import { verifyDocument, type DocumentVerification } from '../../verify/index.js';
import { buildFields } from '../provenance.js';
import type { Diagnostic } from '../source.js';
import { GitLabHttpError, type GitLabHttp } from './http.js';

const PROVENANCE_ASSET = /(?:\.intoto\.jsonl?|\.sigstore(?:\.json)?|provenance[\w.-]*\.json|\.att\.json)$/i;
const BUNDLE_FIRST = /\.sigstore(?:\.json)?$/i;
const CHECKSUMS_ASSET = /(?:^|[._-])(?:sha256sums?|checksums?)(?:\.txt)?$|\.sha256$/i;
const MAX_DOWNLOADS = 2;
const MAX_ASSET_BYTES = 8 * 1024 * 1024;
const MAX_API_DIGESTS = 2;

export interface AttestationDeps {
  http: GitLabHttp;
  projectId: number;
  /** `gitlab.com/group/project` — what a signer identity must name. */
  repo: string;
  releases: Fact<Release[]>;
  gitlabCi: Fact<GitlabCi | null>;
  diagnostics: Diagnostic[];
}

export async function findAttestations(d: AttestationDeps): Promise<Fact<AttestationCheck[]>> {
  if (!d.releases.known) return d.releases;
  const out: AttestationCheck[] = [];
  const digests = new Map<string, { release: string; artifact: string }>();
  const withProvenance = d.releases.value.find((r) => r.assets.some((a) => PROVENANCE_ASSET.test(a.name) && a.url));
  if (withProvenance) {
    const assets = withProvenance.assets
      .filter((a) => PROVENANCE_ASSET.test(a.name) && a.url)
      .sort((a, b) => Number(BUNDLE_FIRST.test(b.name)) - Number(BUNDLE_FIRST.test(a.name)))
      .slice(0, MAX_DOWNLOADS);
    for (const asset of assets) {
      let bytes: Buffer;
      try {
        bytes = await d.http.download(asset.url!, MAX_ASSET_BYTES);
      } catch (err) {
        if (!(err instanceof GitLabHttpError)) throw err;
        d.diagnostics.push({ message: `release ${withProvenance.tag}: ${asset.name} could not be downloaded (${err.message})` });
        continue;
      }
      const v = verifyDocument(bytes, { expected: { repo: d.repo } });
      const checks = toChecks(v, { release: withProvenance.tag, asset: asset.name, source: 'release-asset' });
      for (const c of checks) {
        out.push(c);
        if (/^sha256:[0-9a-f]{64}$/.test(c.digest)) digests.set(c.digest.slice(7), { release: withProvenance.tag, artifact: c.artifact });
      }
      if (checks.length > 0 && BUNDLE_FIRST.test(asset.name)) break; // the bundle verified or not; the .intoto.jsonl adds nothing
    }
  }
  if (gitlabAttestsBuilds(d.gitlabCi)) {
    if (digests.size === 0) await digestsFromChecksums(d, digests);
    for (const [hex, of] of [...digests].slice(0, MAX_API_DIGESTS)) {
      out.push(...(await fromAttestationsApi(d, hex, of)));
    }
  }
  return known(out);
}

/** ATTEST_BUILD_ARTIFACTS (GitLab's SLSA L3 attestations) set anywhere in the CI file. */
function gitlabAttestsBuilds(ci: Fact<GitlabCi | null>): boolean {
  if (!ci.known || !ci.value) return false;
  const on = (v?: { value: string }) => v !== undefined && /^(?:true|1|yes)$/i.test(v.value.trim());
  return on(ci.value.variables.ATTEST_BUILD_ARTIFACTS) || ci.value.jobs.some((j) => on(j.variables.ATTEST_BUILD_ARTIFACTS));
}

async function digestsFromChecksums(d: AttestationDeps, digests: Map<string, { release: string; artifact: string }>): Promise<void> {
  if (!d.releases.known) return;
  for (const r of d.releases.value) {
    const sums = r.assets.find((a) => CHECKSUMS_ASSET.test(a.name) && a.url);
    if (!sums) continue;
    try {
      const text = (await d.http.download(sums.url!, 1024 * 1024)).toString('utf8');
      for (const line of text.split('\n')) {
        const m = /^([0-9a-f]{64})\s+\*?(.+)$/i.exec(line.trim());
        if (m && digests.size < MAX_API_DIGESTS) digests.set(m[1].toLowerCase(), { release: r.tag, artifact: m[2].trim() });
      }
    } catch (err) {
      if (!(err instanceof GitLabHttpError)) throw err;
      d.diagnostics.push({ message: `release ${r.tag}: ${sums.name} could not be downloaded (${err.message})` });
    }
    return;
  }
}

async function fromAttestationsApi(
  d: AttestationDeps,
  hex: string,
  of: { release: string; artifact: string },
): Promise<AttestationCheck[]> {
  let list: Array<{ iid?: number; status?: string; predicate_type?: string; download_url?: string }>;
  try {
    const r = await d.http.api<typeof list>(`projects/${d.projectId}/attestations/${hex}`);
    list = Array.isArray(r.body) ? r.body : [];
  } catch (err) {
    if (!(err instanceof GitLabHttpError)) throw err;
    if (err.status !== 404) d.diagnostics.push({ message: `GitLab attestations API: ${err.message}` });
    return [];
  }
  const out: AttestationCheck[] = [];
  for (const a of list.filter((x) => x.status === undefined || x.status === 'success').slice(0, 1)) {
    const url =
      a.download_url ?? (a.iid !== undefined ? `${d.http.apiBase}projects/${d.projectId}/attestations/${a.iid}/download` : undefined);
    if (!url) continue;
    try {
      const bytes = await d.http.download(url, MAX_ASSET_BYTES);
      const v = verifyDocument(bytes, { expected: { repo: d.repo, digest: { sha256: hex } } });
      out.push(...toChecks(v, { release: of.release, asset: of.artifact, source: 'gitlab-attestations-api', digest: hex }));
    } catch (err) {
      if (!(err instanceof GitLabHttpError)) throw err;
      d.diagnostics.push({ message: `GitLab attestation ${a.iid ?? ''} for ${of.artifact}: ${err.message}` });
    }
  }
  return out;
}

function toChecks(v: DocumentVerification, where: { release: string; asset: string; source: string; digest?: string }): AttestationCheck[] {
  const out: AttestationCheck[] = [];
  for (const a of v.attestations) {
    if (!a.provenance) continue;
    const e = a.evaluation;
    const subject = e.subject ?? a.subjects[0];
    const hex = where.digest ?? subject?.digest?.sha256;
    out.push({
      release: where.release,
      artifact: subject?.name || where.asset,
      digest: hex ? `sha256:${hex}` : '',
      source: where.source,
      ...(a.predicateType ? { predicateType: a.predicateType } : {}),
      state: e.state,
      buildLevel: e.buildLevel,
      ...(e.builder?.id
        ? { builder: { id: e.builder.id, trusted: e.builder.trusted, ...(e.builder.reason ? { reason: e.builder.reason } : {}) } }
        : {}),
      ...(e.source?.repo ? { sourceRepo: e.source.repo } : {}),
      ...(e.source?.ref ? { sourceRef: e.source.ref } : {}),
      ...buildFields(a),
      errors: [...new Set([...a.errors, ...e.errors, ...(a.signature.reason && e.state !== 'verified' ? [a.signature.reason] : [])])],
    });
  }
  return out;
}
