/**
 * The token never leaves this module's callers: every string that came from the network (error
 * bodies can echo request headers) or is built from an error passes through a Redactor first.
 */
export class Redactor {
  private readonly secrets: string[];

  constructor(secrets: Array<string | undefined>) {
    const set = new Set<string>();
    for (const s of secrets) {
      if (!s || s.length < 4) continue;
      set.add(s);
      set.add(encodeURIComponent(s));
      set.add(Buffer.from(s).toString('base64'));
      set.add(Buffer.from(`x-access-token:${s}`).toString('base64'));
    }
    // Longest first, so a secret that contains another is replaced whole.
    this.secrets = [...set].sort((a, b) => b.length - a.length);
  }

  /** The text with every secret replaced by [REDACTED]. */
  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
    return out;
  }

  /** Whether the text contains a secret (used to skip caching such a body). */
  contains(s: string): boolean {
    return this.secrets.some((secret) => s.includes(secret));
  }

  /** A message for an error of any kind, redacted. */
  error(err: unknown): string {
    const msg = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
    return this.text(msg ?? 'unknown error');
  }
}
