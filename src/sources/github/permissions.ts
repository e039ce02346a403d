/** What would unlock an Unknown: the fine-grained permission and the classic scope, in one phrase. */
export const NEEDS = {
  token:
    'a token in GITHUB_TOKEN or GH_TOKEN (GitHub serves GraphQL only to authenticated requests; no scope is needed for public repositories)',
  metadata: 'Metadata: read (fine-grained) or repo scope for private repositories (classic)',
  contents: 'Contents: read (fine-grained) or repo scope for private repositories (classic)',
  admin: 'Administration: read (fine-grained) or repo scope with admin role (classic)',
  pulls: 'Pull requests: read (fine-grained) or repo scope for private repositories (classic)',
  issues: 'Issues: read (fine-grained) or repo scope for private repositories (classic)',
  actions: 'Actions: read (fine-grained) or repo scope for private repositories (classic)',
  attestations: 'Attestations: read (fine-grained) or repo scope for private repositories (classic)',
  webhooks: 'Webhooks: read (fine-grained) or read:repo_hook scope with admin role (classic)',
  orgOwner:
    "an organization owner's token (classic: read:org scope; fine-grained: organization Administration: read): only owners see the organization's two-factor requirement",
  members: 'Members: read (fine-grained) or read:org scope (classic), for contributors whose organisation membership is private',
} as const;

/** The message for a private (or missing) repository without a token. */
export function privateWithoutToken(host: string, repo: string): string {
  return `${host}/${repo} was not found or is private: set GITHUB_TOKEN (fine-grained: Metadata: read, Contents: read; classic: repo)`;
}

export function notVisibleWithToken(host: string, repo: string): string {
  return (
    `${host}/${repo} was not found, or the token in GITHUB_TOKEN/GH_TOKEN cannot see it ` +
    '(fine-grained: grant this repository Metadata: read and Contents: read; classic: repo scope)'
  );
}
