/**
 * SLSA v1.2 Source track, L0–L4 (`releases/v1.2:spec/source-requirements.md`). Ids follow the
 * spec's anchors. A revision without a Source VSA is L0, so the L1+ confirmation needs one; a
 * verified Source VSA asserting SLSA_SOURCE_LEVEL_n meets every requirement up to L`n` for the
 * revision it names (the SCS vouches for them). Platform settings read through the API are
 * authoritative for the *current* state; continuity and provenance need source-tool's attestations.
 */
import { allOf, bool, evidence, num, preferring, type Evaluator } from '../evidence.js';
import type { FrameworkSpec } from '../model.js';
import {
  branchHistory,
  byDesign,
  continuity,
  gitRevision,
  immutableTags,
  protectedBranch,
  safeExpunging,
  sourceAttestation,
  technicalControls,
  twoPartyReview,
} from './shared.js';

/** A verified Source VSA at L`n` or above decides before anything else. */
function vsa(n: number, e: Evaluator): Evaluator {
  return preferring(
    {
      state: 'met',
      when: evidence('sourceVsa', (v) => bool(v, 'verified') === true && (num(v, 'level') ?? -1) >= n),
      because: `a verified Source VSA asserts SLSA_SOURCE_LEVEL_${n} or above for this revision`,
    },
    e,
  );
}

export const v12Source: FrameworkSpec = {
  id: 'slsa-v1.2-source',
  name: 'SLSA v1.2 Source track',
  source: 'https://slsa.dev/spec/v1.2/source-requirements',
  levels: [0, 1, 2, 3, 4],
  levelNames: {
    0: 'No guarantees',
    1: 'Version controlled',
    2: 'History & Provenance',
    3: 'Continuous technical controls',
    4: 'Two-party review',
  },
  requirements: [
    {
      id: 'source.choose-scs',
      name: 'Choose an appropriate Source Control System',
      category: 'Organization',
      levels: [1, 2, 3, 4],
      summary: 'The source lives in an SCS capable of the level the organization wants.',
      how: 'met: hosted on GitHub/GitLab (read through the API); indicated: the origin remote is there (local checkout); unknown: no known remote.',
      evaluate: vsa(1, byDesign('provides repository and revision ids, diffs, authenticated identities and branch/tag rules')),
      remediation:
        'Host the repository on GitHub or GitLab (or a self-managed instance) so repositories, revisions and actors are identified by the platform.',
      step: 'hosted-scs',
    },
    {
      id: 'source.repository-ids',
      name: 'Repositories are uniquely identifiable',
      category: 'Source Control System',
      levels: [1, 2, 3, 4],
      summary: 'The repository has a stable, unique locator (a URI).',
      how: 'met by design on GitHub/GitLab (through the API); indicated from the origin remote.',
      evaluate: vsa(1, byDesign('identifies the repository by a stable URL')),
      remediation: 'Host the repository on a platform that gives it a stable URL.',
      step: 'hosted-scs',
    },
    {
      id: 'source.revision-ids',
      name: 'Revisions are immutable and uniquely identifiable',
      category: 'Source Control System',
      levels: [1, 2, 3, 4],
      summary: 'Each revision has an id that is a digest of its content (a git commit id).',
      how: 'met: the assessed revision is a git commit (content-addressed id).',
      evaluate: vsa(1, gitRevision()),
      remediation: 'Keep the source in git (or another VCS whose revision ids are content digests).',
      step: 'hosted-scs',
    },
    {
      id: 'source.human-readable-diff',
      name: 'Human readable changes',
      category: 'Source Control System',
      levels: [1, 2, 3, 4],
      summary: 'The SCS shows the changes between revisions in a human-readable form.',
      how: 'met by design on GitHub/GitLab (through the API); indicated from the origin remote.',
      evaluate: vsa(1, byDesign('shows the diff of every change and pull/merge request')),
      remediation: 'Host the repository on a platform that displays diffs for every change and review.',
      step: 'hosted-scs',
    },
    {
      id: 'source.vsa',
      name: 'Source Verification Summary Attestations',
      category: 'Source Control System',
      levels: [1, 2, 3, 4],
      summary: "The SCS issues a Source VSA stating each revision's level; without one the revision is Source L0.",
      how: 'met: a verified Source VSA in git notes (online); not_met: notes readable and none for the revision; indicated: source-tool configured; unknown otherwise.',
      evaluate: sourceAttestation('sourceVsa'),
      remediation:
        'Publish Source VSAs for every revision with slsa-framework/source-tool (GitHub): neither GitHub nor GitLab issue them natively.',
      step: 'source-tool',
    },
    {
      id: 'source.access-and-history',
      name: 'Configure the SCS to control access and enforce history',
      category: 'Organization',
      levels: [2, 3, 4],
      summary: 'Sensitive operations are restricted; the branch history is reliable; tags cannot be moved or deleted.',
      how: 'met: the platform API shows force-push and deletion blocked on the default branch AND release tags immutable; not_met: either allowed; unknown without the API.',
      evaluate: vsa(2, allOf({ 'default branch': branchHistory({ deletion: true }), 'release tags': immutableTags() })),
      remediation:
        'Block force pushes and deletion on the default branch and make release tags immutable (GitHub rulesets; GitLab protected branches and tags).',
      step: 'protect-branch',
    },
    {
      id: 'source.safe-expunging',
      name: 'Safe Expunging Process',
      category: 'Organization',
      levels: [2, 3, 4],
      summary: 'Content is removed from history only for legal or privacy reasons, under a documented, approved and logged process.',
      how: 'not observable from outside: met only through a Source VSA at L2+; indicated by a documented process.',
      evaluate: vsa(2, safeExpunging()),
      remediation:
        'Document when and how history may be expunged (legal/privacy only, two approvers, logged), e.g. in SECURITY.md or GOVERNANCE.md.',
      step: 'expunging-policy',
    },
    {
      id: 'source.history',
      name: 'History',
      category: 'Source Control System',
      levels: [2, 3, 4],
      summary: 'A branch only moves to descendants of its current revision (no `git push --force`), and every ref update is recorded.',
      how: 'met/not_met: force pushes blocked or allowed on the default branch (platform API); indicated: protected, rules unreadable; unknown without the API.',
      evaluate: vsa(2, branchHistory({ deletion: false })),
      remediation: 'Block force pushes on the default branch (ruleset `non_fast_forward`; GitLab "Allowed to force push" off).',
      step: 'protect-branch',
    },
    {
      id: 'source.continuity',
      name: 'Continuity',
      category: 'Source Control System',
      levels: [2, 3, 4],
      summary: 'Each claimed control is tracked from a start revision, and a lapse restarts it.',
      how: 'met: Source VSA at L2+; not_met: force pushes allowed now; indicated: blocked now (since when needs source provenance); unknown: force pushes recorded.',
      evaluate: vsa(2, continuity()),
      remediation:
        'Keep the controls on without interruption and record them per revision (slsa-framework/source-tool), so continuity can be shown.',
      step: 'source-tool',
    },
    {
      id: 'source.identity-management',
      name: 'Identity Management',
      category: 'Source Control System',
      levels: [2, 3, 4],
      summary: 'Actors are identified and authenticated, and the organization decides who may do what.',
      how: 'met by design on GitHub/GitLab (accounts, roles; through the API); indicated from the origin remote.',
      evaluate: vsa(2, byDesign('authenticates every push and approval with platform accounts and roles')),
      remediation: 'Host the repository where every push and approval is made by an authenticated account with an assigned role.',
      step: 'hosted-scs',
    },
    {
      id: 'source.provenance',
      name: 'Source Provenance',
      category: 'Source Control System',
      levels: [2, 3, 4],
      summary: 'Contemporaneous, tamper-resistant attestations say how each revision came to be on the protected branch.',
      how: 'met: verified source provenance (or a Source VSA at L2+); not_met: none for the revision; indicated: source-tool configured.',
      evaluate: vsa(2, sourceAttestation('sourceProvenance')),
      remediation: 'Generate source provenance on every push with slsa-framework/source-tool (stored in git notes).',
      step: 'source-tool',
    },
    {
      id: 'source.technical-controls',
      name: 'Continuous technical controls',
      category: 'Organization',
      levels: [3, 4],
      summary: 'The organization enforces technical controls continuously, documents them, and shows evidence in source provenance.',
      how: 'met: Source VSA at L3+; not_met: nothing enforced on the default branch (API); indicated: controls enforced now (continuity unproven).',
      evaluate: vsa(3, technicalControls()),
      remediation:
        'Enforce the controls you claim (rulesets: required reviews, required status checks, no force push) continuously and record them with slsa-framework/source-tool.',
      step: 'source-tool',
    },
    {
      id: 'source.protected-refs',
      name: 'Protected Named References',
      category: 'Source Control System',
      levels: [3, 4],
      summary: 'The branches and tags the organization designates are protected by technical controls.',
      how: 'met: the API shows rules enforced on the default branch AND release tags; not_met: none; unknown without the API.',
      evaluate: vsa(3, allOf({ 'default branch': protectedBranch(), 'release tags': immutableTags() })),
      remediation: 'Protect the default branch and the release tags with rulesets (GitHub) or protected branches and tags (GitLab).',
      step: 'protect-branch',
    },
    {
      id: 'source.two-party-review',
      name: 'Two-party review',
      category: 'Source Control System',
      levels: [4],
      summary: 'Every change to a protected branch is approved by two trusted persons (uploader + reviewer), on its final revision.',
      how: 'met: the API shows ≥1 required approval, re-approval after new pushes and no bypass; not_met: no required approval, or stale approvals kept; indicated: bypassable, or reviews observed but not enforced.',
      evaluate: vsa(4, twoPartyReview({ history: false })),
      remediation:
        'Require one approving review by someone other than the last pusher, dismiss stale approvals on push, and allow no bypass (GitHub ruleset `pull_request`; GitLab approval rules).',
      step: 'require-review',
    },
  ],
};
