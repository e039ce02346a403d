/**
 * Progress on stderr. A terminal gets one line, redrawn at most ten times a second: done/total,
 * errors, rate, ETA and the rate-limit budget left. Anything else (CI logs, files) gets plain
 * lines: one per finished repository and one summary every 30 s. Repository names are printed
 * through `oneLine` (control characters replaced), so a hostile name cannot move the cursor.
 */
import { oneLine } from '../report/escape.js';
import type { IndexEntry, RateBudget } from './types.js';

export interface ProgressOptions {
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  quiet?: boolean;
  now?: () => number;
}

export class Progress {
  private total = 0;
  private done = 0;
  private errors = 0;
  private skipped = 0;
  private started: number;
  private lastDraw = 0;
  private lastSummary: number;
  private drawn = false;
  private active = false;
  private budgets: () => RateBudget[] = () => [];
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(private readonly o: ProgressOptions) {
    this.tty = !!o.stream.isTTY;
    this.now = o.now ?? Date.now;
    this.started = this.now();
    this.lastSummary = this.started;
  }

  setBudgets(fn: () => RateBudget[]): void {
    this.budgets = fn;
  }

  start(total: number, skipped: number): void {
    this.total = total;
    this.skipped = skipped;
    this.done = skipped;
    this.active = true;
    this.started = this.now();
    this.lastSummary = this.started;
    this.draw(true);
  }

  /** A note (rate-limit pauses, enumeration): its own line, above the progress line. */
  log(line: string): void {
    if (this.o.quiet) return;
    this.clear();
    this.o.stream.write(`${oneLine(line)}\n`);
    this.draw(true);
  }

  finished(e: IndexEntry): void {
    this.done++;
    if (e.status === 'error') this.errors++;
    if (this.o.quiet) return;
    if (!this.tty) {
      const what =
        e.status === 'ok'
          ? `score ${e.score === null || e.score === undefined ? '?' : e.score}${levelsText(e)}`
          : `error: ${oneLine(e.reason ?? 'unknown', 200)}`;
      this.o.stream.write(`[${this.done}/${this.total}] ${oneLine(`${e.host}/${e.repo}`, 200)} ${what}\n`);
      if (this.now() - this.lastSummary >= 30_000) {
        this.lastSummary = this.now();
        this.o.stream.write(`${this.line()}\n`);
      }
      return;
    }
    this.draw(false);
  }

  private line(): string {
    const elapsed = Math.max(1, this.now() - this.started);
    const thisRun = this.done - this.skipped;
    const rate = (thisRun / elapsed) * 60_000;
    const left = this.total - this.done;
    const eta = thisRun > 0 ? (left / thisRun) * elapsed : NaN;
    const parts = [
      `${this.done}/${this.total} repositories`,
      ...(this.errors ? [`${this.errors} unknown`] : []),
      ...(this.skipped ? [`${this.skipped} done before`] : []),
      `${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/min`,
      `ETA ${Number.isFinite(eta) ? duration(eta) : '—'}`,
    ];
    const b = this.budgets();
    if (b.length) parts.push(`rate limit ${b.map((x) => `${x.resource} ${x.remaining}/${x.limit}`).join(', ')}`);
    return parts.join(' · ');
  }

  private draw(force: boolean): void {
    if (this.o.quiet || !this.tty || !this.active) return;
    const t = this.now();
    if (!force && t - this.lastDraw < 100 && this.done < this.total) return;
    this.lastDraw = t;
    const cols = this.o.stream.columns ?? 100;
    const text = this.line();
    this.o.stream.write(`\r${text.length > cols - 1 ? `${text.slice(0, cols - 2)}…` : text}\x1b[K`);
    this.drawn = true;
  }

  private clear(): void {
    if (this.tty && this.drawn) this.o.stream.write('\r\x1b[K');
  }

  end(): void {
    if (this.o.quiet) return;
    if (this.tty) {
      this.draw(true);
      this.o.stream.write('\n');
    } else this.o.stream.write(`${this.line()}\n`);
  }
}

function levelsText(e: IndexEntry): string {
  const b = e.levels?.['slsa-v1.2-build'];
  const s = e.levels?.['slsa-v1.2-source'];
  const parts = [b ? `Build L${b.confirmed}` : '', s ? `Source L${s.confirmed}` : ''].filter(Boolean);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
