/**
 * Tags and recent commits with their signatures, from git objects. Presence comes from the objects
 * themselves; verification runs `git verify-tag` / `%G?` and is `null` (not false) when no key is
 * available to check with — an unverifiable signature is unknown, not bad.
 */
import { known, unknown, type Fact } from '../../facts/fact.js';
import type { CommitInfo, SignatureKind, TagInfo } from '../../facts/model.js';
import { git } from './git.js';

/** Verification runs git per tag: bound the work on repositories with thousands of tags. */
const MAX_VERIFIED_TAGS = 30;
const RECENT_COMMITS = 30;

export function signatureKind(block: string): SignatureKind | null {
  if (block.includes('-----BEGIN PGP SIGNATURE-----')) return 'pgp';
  if (block.includes('-----BEGIN SSH SIGNATURE-----')) return 'ssh';
  if (block.includes('-----BEGIN SIGNED MESSAGE-----') || block.includes('-----BEGIN PKCS7-----')) return 'x509';
  return null;
}

export async function readTags(root: string): Promise<Fact<TagInfo[]>> {
  const fmt = [
    '%(refname:strip=2)',
    '%(objecttype)',
    '%(objectname)',
    '%(*objectname)',
    '%(creatordate:iso-strict)',
    '%(contents:signature)',
  ].join('%00');
  const r = await git(root, ['for-each-ref', '--sort=-creatordate', `--format=${fmt}%01`, 'refs/tags']);
  if (!r.ok) return unknown(`git for-each-ref failed: ${r.stderr.trim()}`);
  const tags: TagInfo[] = [];
  for (const rec of r.stdout.split('\x01')) {
    const f = rec.replace(/^\n/, '').split('\0');
    if (f.length < 6 || !f[0]) continue;
    const annotated = f[1] === 'tag';
    tags.push({
      name: f[0],
      commit: annotated ? f[3] : f[2],
      annotated,
      signature: annotated ? signatureKind(f[5]) : null,
      verified: null,
      date: f[4] || undefined,
    });
  }
  const signed = tags.filter((t) => t.signature).slice(0, MAX_VERIFIED_TAGS);
  await pool(signed, 4, async (t) => {
    const v = await git(root, ['verify-tag', '--raw', `refs/tags/${t.name}`], { timeoutMs: 20_000 });
    const res = interpretVerify(v.ok, v.stderr);
    t.verified = res.verified;
    t.verifyDetail = res.detail;
  });
  for (const t of tags.filter((x) => x.signature && x.verifyDetail === undefined)) {
    t.verifyDetail = `not verified: only the newest ${MAX_VERIFIED_TAGS} signed tags are checked`;
  }
  return known(tags);
}

/** What `git verify-*` said: verified, bad, or could not check (no key / no tool). */
export function interpretVerify(ok: boolean, stderr: string): { verified: boolean | null; detail: string } {
  if (ok) return { verified: true, detail: 'signature verified' };
  // gpg says BADSIG; ssh-keygen says "Signature verification failed: incorrect signature".
  if (/BADSIG|bad signature|incorrect signature/i.test(stderr)) return { verified: false, detail: 'signature does not verify' };
  if (
    /NO_PUBKEY|No public key|allowedSignersFile|cannot run|not found|No such file|ERRSIG|no signature found|Could not verify/i.test(stderr)
  ) {
    return { verified: null, detail: 'no key available to verify the signature' };
  }
  return { verified: null, detail: `could not verify: ${stderr.trim().split('\n')[0] || 'unknown error'}` };
}

export async function readRecentCommits(root: string): Promise<Fact<CommitInfo[]>> {
  const r = await git(root, ['log', `-n${RECENT_COMMITS}`, '--pretty=raw', '--no-color']);
  if (!r.ok) {
    if (/does not have any commits|bad default revision|unknown revision/i.test(r.stderr)) return known([]);
    return unknown(`git log failed: ${r.stderr.trim()}`);
  }
  const commits: CommitInfo[] = [];
  let cur: CommitInfo | undefined;
  let inSig = false;
  let sig = '';
  for (const line of r.stdout.split('\n')) {
    if (line.startsWith('commit ')) {
      cur = { sha: line.slice(7).trim().split(' ')[0], signature: null, verified: null };
      commits.push(cur);
      inSig = false;
    } else if (!cur) continue;
    else if (line.startsWith('gpgsig ') || line.startsWith('gpgsig-sha256 ')) {
      inSig = true;
      sig = line;
    } else if (inSig && line.startsWith(' ')) sig += `\n${line}`;
    else {
      if (inSig) cur.signature = signatureKind(sig);
      inSig = false;
      const a = /^author (.*) <([^>]*)> (\d+) ([+-]\d{4})$/.exec(line);
      if (a) {
        cur.author = a[2] || a[1];
        cur.date = new Date(Number(a[3]) * 1000).toISOString();
      }
    }
  }
  if (commits.some((c) => c.signature)) {
    // %G? asks gpg/ssh-keygen: G good, X/Y good but expired, B/R bad, E cannot check, N none. U is a
    // good signature by a key nobody vouched for (gpg: untrusted key; ssh: not in allowed signers):
    // anyone can make one, so it is not "verified" — unknown, like a missing key.
    const v = await git(root, ['log', `-n${RECENT_COMMITS}`, '--format=%H %G?'], { timeoutMs: 30_000 });
    const status = new Map(v.stdout.split('\n').map((l) => l.split(' ') as [string, string]));
    for (const c of commits) {
      if (!c.signature) continue;
      const s = status.get(c.sha);
      c.verified = s === 'G' || s === 'X' || s === 'Y' ? true : s === 'B' || s === 'R' ? false : null;
    }
  }
  return known(commits);
}

async function pool<T>(items: T[], n: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (i < items.length) await fn(items[i++]);
    }),
  );
}
