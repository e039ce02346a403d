/**
 * What the token can see, and why it could not see something. GitLab answers 401/403/404 alike
 * for "no token", "role too low", "token scope too narrow" and "feature not in this tier"; the
 * source tells them apart from what it knows — the token's role on the project (the project's
 * `permissions`), the tier (CE instance, licence/plan, or a Premium endpoint that answered) — and
 * turns each denial into an Unknown that names what would unlock it. Never into `false`.
 */
import { unknown, type Unknown } from '../../facts/fact.js';
import type { GitLabHttpError } from './http.js';

export type Tier = 'free' | 'premium' | 'ultimate';
const TIER_RANK: Record<Tier, number> = { free: 0, premium: 1, ultimate: 2 };
export const TIER_NAME: Record<Tier, string> = { free: 'Free', premium: 'Premium', ultimate: 'Ultimate' };

/** GitLab access levels. */
export const ROLE = {
  none: 0,
  minimal: 5,
  guest: 10,
  planner: 15,
  reporter: 20,
  developer: 30,
  maintainer: 40,
  owner: 50,
  admin: 60,
} as const;

export function roleName(level: number): string {
  if (level >= 60) return 'Administrator';
  if (level >= 50) return 'Owner';
  if (level >= 40) return 'Maintainer';
  if (level >= 30) return 'Developer';
  if (level >= 20) return 'Reporter';
  if (level >= 15) return 'Planner';
  if (level >= 10) return 'Guest';
  if (level >= 5) return 'Minimal Access';
  return 'no membership';
}

/** What an endpoint asks of the caller (GitLab's documented requirements). */
export interface Requirement {
  /** Human name of what was being read, e.g. "push rules". */
  what: string;
  /** Minimum role; undefined when any reader of the project may call it. */
  role?: number;
  /** Minimum tier; undefined for Free. */
  tier?: Tier;
  /** The endpoint answers only authenticated callers. */
  auth?: boolean;
  /** Extra words for the role need (e.g. a version difference). */
  roleNote?: string;
  /** What unlocks it when it belongs to something other than the project (a group). */
  needs?: string;
}

export const REQUIRES = {
  protectedBranches: { what: 'protected branch settings', role: ROLE.developer, roleNote: 'Maintainer on older GitLab versions' },
  // GET /protected_tags checks read_protected_tags, which ProjectPolicy grants with manage_protected_tags: Maintainers.
  protectedTags: { what: 'protected tag settings', role: ROLE.maintainer, auth: true },
  // GET /groups/:id answers anyone who can read the group: public groups anonymously, private ones to members
  // of the group or of a project in it; require_two_factor_authentication is in every answer.
  group: { what: "the group's settings", role: undefined, needs: 'membership of the group (or of a project in it)' },
  branch: { what: 'the branch', role: undefined },
  approvals: { what: 'merge request approval settings', tier: 'premium', auth: true },
  approvalRules: { what: 'approval rules', tier: 'premium', auth: true },
  pushRule: { what: 'push rules', role: ROLE.maintainer, tier: 'premium', auth: true },
  hooks: { what: 'project webhooks', role: ROLE.maintainer, auth: true },
  jobTokenScope: { what: 'the CI/CD job token scope', role: ROLE.maintainer, auth: true },
  repository: { what: 'the repository', role: undefined },
  contributors: { what: 'repository contributors', role: undefined },
  tags: { what: 'tags', role: undefined },
  tagSignature: { what: 'tag signatures', role: undefined },
  mergeRequests: { what: 'merge requests', role: undefined },
  releases: { what: 'releases', role: undefined },
  pipelines: { what: 'pipelines', role: undefined },
  issues: { what: 'issues', role: undefined },
  members: { what: 'project members', role: undefined },
  metadata: { what: 'the instance version', auth: true },
  namespace: { what: "the namespace's plan", role: ROLE.owner, auth: true },
  license: { what: "the instance's licence", role: ROLE.admin, auth: true },
  attestations: { what: 'build attestations', tier: 'ultimate' },
} satisfies Record<string, Requirement>;

export type RequirementName = keyof typeof REQUIRES;

const CODE_READS = new Set<RequirementName>(['repository', 'contributors', 'tags', 'tagSignature', 'branch']);

/** The token's standing and the tier, as far as they are known; refined as answers arrive. */
export class Access {
  /** Highest access level on the project (project or group membership); 0 for a non-member. */
  role?: number;
  /** Exact tier, when something said. */
  private tierExact?: Tier;
  private tierMin: Tier = 'free';
  private tierMax?: Tier;
  readonly tierEvidence: string[] = [];

  constructor(
    readonly authenticated: boolean,
    /** 'job-token': CI_JOB_TOKEN, accepted only by a few endpoints. */
    readonly tokenKind?: 'private-token' | 'job-token',
    /** The project's visibility (private projects need Reporter to read code). */
    public visibility?: string,
  ) {}

  get tier(): Tier | undefined {
    if (this.tierExact) return this.tierExact;
    if (this.tierMax && this.tierMax === this.tierMin) return this.tierMin;
    return undefined;
  }

  get tierAtLeast(): Tier {
    return this.tierExact ?? this.tierMin;
  }

  setTier(t: Tier, evidence: string): void {
    this.tierExact = t;
    this.note(evidence);
  }

  atLeast(t: Tier, evidence: string): void {
    if (TIER_RANK[t] > TIER_RANK[this.tierMin]) this.tierMin = t;
    this.note(evidence);
  }

  atMost(t: Tier, evidence: string): void {
    if (!this.tierMax || TIER_RANK[t] < TIER_RANK[this.tierMax]) this.tierMax = t;
    this.note(evidence);
  }

  private note(evidence: string): void {
    if (!this.tierEvidence.includes(evidence)) this.tierEvidence.push(evidence);
  }

  /** True/false when known; undefined when the tier is not known well enough to say. */
  tierReaches(t: Tier): boolean | undefined {
    const exact = this.tier;
    if (exact) return TIER_RANK[exact] >= TIER_RANK[t];
    if (TIER_RANK[this.tierMin] >= TIER_RANK[t]) return true;
    if (this.tierMax && TIER_RANK[this.tierMax] < TIER_RANK[t]) return false;
    return undefined;
  }

  private roleShort(req: Requirement): boolean | undefined {
    if (req.role === undefined) return false;
    if (this.role === undefined) return undefined;
    return this.role < req.role;
  }

  /**
   * A denial (401/403/404) explained. Also learns from it: a caller with the role an endpoint asks
   * for who is still refused a tier-gated endpoint tells us the tier is lower.
   */
  explain(name: RequirementName, err: GitLabHttpError): Unknown {
    let req: Requirement = REQUIRES[name];
    // The code of a private project is for Reporters and up (Guests see issues, not the repository).
    if (CODE_READS.has(name) && this.visibility === 'private') req = { ...req, role: ROLE.reporter };
    const what = req.what;
    const code = err.status ? `HTTP ${err.status}` : err.kind;
    if (err.kind !== 'http' || ![401, 403, 404].includes(err.status)) return describeFailure(what, err);
    if (err.insufficientScope)
      return unknown(`${what}: the token lacks the read_api scope (${code})`, 'a GITLAB_TOKEN with the read_api scope');
    if (this.tokenKind === 'job-token' && (err.status === 401 || err.status === 403)) {
      return unknown(
        `${what}: CI_JOB_TOKEN is not accepted for this endpoint (${code})`,
        'a GITLAB_TOKEN with the read_api scope (the CI/CD job token cannot read this)',
      );
    }
    if (!this.authenticated) {
      return unknown(`${what}: not visible without authentication (${code})`, needsText(req, true, this));
    }
    if (err.status === 401)
      return unknown(`${what}: GitLab rejected the token (${code}: expired or revoked?)`, 'a valid GITLAB_TOKEN with the read_api scope');
    const roleShort = this.roleShort(req);
    let tierOk = req.tier ? this.tierReaches(req.tier) : true;
    if (req.tier && tierOk === undefined && roleShort === false) {
      // The role suffices, yet the endpoint refuses: the tier is below what it needs.
      this.atMost(lower(req.tier), `${what} refused (${code}) to a ${roleName(this.role ?? 0)}`);
      tierOk = false;
    }
    if (req.tier && tierOk === false && !roleShort) {
      const tier = this.tier;
      return unknown(
        `${what}: a GitLab ${TIER_NAME[req.tier]} feature${tier ? `, not available on GitLab ${TIER_NAME[tier]}` : ''} (${code})`,
        `GitLab ${TIER_NAME[req.tier]}`,
      );
    }
    if (roleShort && (tierOk !== false || !req.tier)) {
      return unknown(
        `${what}: needs the ${roleName(req.role!)} role; the token has ${roleName(this.role ?? 0)} (${code})`,
        `the ${roleName(req.role!)} role on the project${req.roleNote ? ` (${req.roleNote})` : ''}`,
      );
    }
    if (req.tier && tierOk === false && roleShort) {
      return unknown(
        `${what}: needs GitLab ${TIER_NAME[req.tier]} and the ${roleName(req.role!)} role (${code})`,
        `GitLab ${TIER_NAME[req.tier]} and the ${roleName(req.role!)} role`,
      );
    }
    return unknown(`${what}: refused (${code}${err.detail ? `: ${err.detail}` : ''})`, needsText(req, false, this));
  }
}

function lower(t: Tier): Tier {
  return t === 'ultimate' ? 'premium' : 'free';
}

function needsText(req: Requirement, anonymous: boolean, a: Access): string {
  const parts: string[] = [];
  if (anonymous) parts.push('a GITLAB_TOKEN with the read_api scope');
  if (req.role !== undefined) parts.push(`the ${roleName(req.role)} role on the project${req.roleNote ? ` (${req.roleNote})` : ''}`);
  else if (req.needs) parts.push(req.needs);
  else if (!anonymous && a.visibility === 'private') parts.push('membership of the project');
  if (req.tier && a.tierReaches(req.tier) !== true) parts.push(`GitLab ${TIER_NAME[req.tier]}`);
  return parts.join(' and ') || 'access to the project';
}

/** A failure that is not an access question: timeouts, 5xx after retries, rate limits. */
export function describeFailure(what: string, err: GitLabHttpError): Unknown {
  switch (err.kind) {
    case 'timeout':
      return unknown(`${what}: ${err.message}`);
    case 'rate-limit':
      return unknown(`${what}: ${err.message}`, 'a later run (GitLab rate limit)');
    case 'too-large':
      return unknown(`${what}: ${err.message}`);
    case 'network':
      return unknown(`${what}: ${err.message}`);
    default:
      return unknown(`${what}: ${err.message}`);
  }
}
