/**
 * Security-Policy: a published policy tells reporters how to disclose a vulnerability privately.
 * Scorecard's probes and weights (checks/evaluation/security_policy.go): a contact link (URL or
 * email) 6, free text beyond the links 3, disclosure/vulnerability/timeline wording 1.
 */
import { defineCheck, inconclusive, unknownNotes, type Evidence, type Finding } from '../src/check.js';
import type { SecurityPolicyFile } from '../src/facts/providers/docs.js';

// Scorecard's collectPolicyHits patterns. Its digit pattern is `\b*[0-9]{1,4}\b`; `\b*` matches
// the empty string, so it is written without it here.
const URL_RE = /(http|https):\/\/[a-zA-Z0-9./?=_%:-]*/g;
const EMAIL_RE = /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,6}\b/g;
const TEXT_RE = /([0-9]{1,4}\b|(Disclos|Vuln))/gi;

type HitKind = 'link' | 'email' | 'text';
interface Hit {
  kind: HitKind;
  match: string;
  line: number;
  column: number;
}

/** Every URL, email and disclosure hint, line by line (bufio.ScanLines: `\n`, with a trailing `\r` dropped). */
export function collectPolicyHits(text: string): Hit[] {
  const hits: Hit[] = [];
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    for (const [kind, re] of [
      ['link', URL_RE],
      ['email', EMAIL_RE],
      ['text', TEXT_RE],
    ] as const)
      for (const m of line.matchAll(re)) hits.push({ kind, match: m[0], line: i + 1, column: (m.index ?? 0) + 1 });
  });
  return hits;
}

/** Scorecard's CountSecInfo with unique=true: hits of a kind with distinct matched text. */
function unique(hits: Hit[], kind: HitKind): Hit[] {
  const seen = new Set<string>();
  const out: Hit[] = [];
  for (const h of hits) {
    if (h.kind !== kind || seen.has(h.match)) continue;
    seen.add(h.match);
    out.push(h);
  }
  return out;
}

interface PolicyAssessment {
  links: Hit[];
  hasLinks: boolean;
  hasText: boolean;
  hasDisclosure: boolean;
  score: number;
}

/** The three content probes and their points, exactly as Scorecard scores them. */
export function assessPolicy(size: number, text: string): PolicyAssessment {
  const hits = collectPolicyHits(text);
  const links = [...unique(hits, 'link'), ...unique(hits, 'email')];
  const linkedLen = links.reduce((n, h) => n + h.match.length, 0);
  const hasLinks = links.length > 0;
  // An empty file counts as 1 byte (Scorecard leaves FileSize at its default offset of 1).
  const fileSize = Math.max(size, 1);
  const hasText = fileSize > 1 && fileSize > linkedLen + links.length * 2;
  const hasDisclosure = hits.filter((h) => h.kind === 'text').length > 1;
  return { links, hasLinks, hasText, hasDisclosure, score: (hasLinks ? 6 : 0) + (hasText ? 3 : 0) + (hasDisclosure ? 1 : 0) };
}

const CONTACT_REMEDIATION =
  'Say how to report a vulnerability privately: a security contact email or a URL (e.g. GitHub private vulnerability reporting or a bug bounty page).';

/** Where a policy is, as a finding location: none for the organisation-wide policy, which is in another repository. */
const locationOf = (policy: SecurityPolicyFile) => (policy.url ? undefined : { path: policy.path });

function contentFindings(policy: SecurityPolicyFile, a: PolicyAssessment): Finding[] {
  const location = locationOf(policy);
  const out: Finding[] = [];
  if (!a.hasLinks)
    out.push({
      rule: 'noContactLink',
      severity: 'medium',
      message: 'the security policy has no URL or email to report vulnerabilities to',
      location,
      remediation: { text: CONTACT_REMEDIATION },
    });
  if (!a.hasText)
    out.push({
      rule: 'noPolicyText',
      severity: 'medium',
      message: 'the security policy has no text beyond its links',
      location,
      remediation: { text: 'Describe the reporting process in prose: what to include, what to expect, supported versions.' },
    });
  if (!a.hasDisclosure)
    out.push({
      rule: 'noDisclosureText',
      severity: 'low',
      message: 'the security policy does not describe vulnerability disclosure or its timelines',
      location,
      remediation: {
        text: 'Describe the disclosure process: how vulnerabilities are handled and within how many days reporters hear back.',
      },
    });
  return out;
}

export default defineCheck({
  id: 'Security-Policy',
  risk: 'medium',
  description:
    'Checks for a security policy (SECURITY.md/.markdown/.adoc/.rst at the root, in .github/ or docs/, case-insensitive) ' +
    'and scores its content: a contact URL or email 6, text beyond the links 3, disclosure wording 1.',
  facts: ['securityPolicies', 'orgSecurityPolicy'],
  slsa: [],
  remediation: [
    'Add a SECURITY.md at the root of the repository (or in .github/ or docs/).',
    'Give a private reporting channel (email or URL), describe the process in prose, and state the disclosure timeline.',
  ],
  differsFromScorecard:
    "When several policy files exist, GitHub's precedence (.github/, root, docs/) picks the one judged; Scorecard takes " +
    'whichever its file listing yields first. The organisation-wide fallback (<owner>/.github) comes from the ' +
    'orgSecurityPolicy fact, unknown offline. A policy that cannot be read (permissions) makes the check inconclusive; ' +
    'symbolic links are never followed.',
  run(facts) {
    if (!facts.securityPolicies.known)
      return inconclusive('the repository files could not be listed', ['securityPolicies', facts.securityPolicies]);
    const repoPolicies = facts.securityPolicies.value;
    const org = facts.orgSecurityPolicy.known ? facts.orgSecurityPolicy.value : null;
    const candidates = repoPolicies.length > 0 ? repoPolicies : org ? [org] : [];
    if (candidates.length === 0) {
      return {
        score: 0,
        reason: 'security policy file not detected',
        findings: [
          {
            rule: 'noSecurityPolicy',
            severity: 'medium',
            message: 'no security policy file (SECURITY.md) found',
            remediation: { text: 'Add a SECURITY.md that tells reporters how to disclose a vulnerability privately.' },
          },
        ],
        // Only without a policy of its own does the owner's organisation-wide policy matter.
        unknowns: unknownNotes(['orgSecurityPolicy', facts.orgSecurityPolicy]),
      };
    }
    const policy = candidates.find((p) => p.text !== null);
    if (!policy) {
      const p = candidates[0];
      return inconclusive(`security policy ${p.path} could not be read`, [
        'securityPolicies',
        { known: false, reason: p.issues.map((i) => i.message).join('; ') || 'not read' },
      ]);
    }
    const a = assessPolicy(policy.size, policy.text!);
    const where = policy.url ?? policy.path;
    const location = locationOf(policy);
    const evidence: Evidence[] = [
      {
        kind: 'securityPolicy',
        message: `security policy found: ${where}`,
        location,
        values: { score: a.score, ...(policy.url ? { url: policy.url } : {}) },
      },
      ...a.links.map((h): Evidence => ({
        kind: h.kind === 'email' ? 'securityContactEmail' : 'securityContactUrl',
        message: h.match,
        location: location && { ...location, line: h.line, column: h.column },
      })),
    ];
    const reason = policy.url ? `security policy file detected in ${policy.url}` : 'security policy file detected';
    return { score: a.score, reason, findings: contentFindings(policy, a), evidence };
  },
});
