/**
 * The output directory's durable state.
 *
 * - Files are written atomically: to `DIR/.tmp/` (same file system), fsync'd, then renamed into
 *   place. A reader — or a resumed run after SIGKILL — sees the old file or the new one, never half.
 *   `.tmp/` is emptied when a run starts.
 * - `index.jsonl` is append-only: one JSON line per finished repository, appended (and fsync'd)
 *   only after that repository's assessment file is durable, so a line never points at a missing
 *   or partial file. Lines waiting together are written in one append and one fsync.
 * - Reading tolerates a torn last line (a kill in the middle of an append): it is ignored, and the
 *   writer cuts it off before appending, so the next line starts on a line of its own.
 */
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, truncate, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { isFinished, type IndexEntry } from './types.js';

export const INDEX_FILE = 'index.jsonl';
const TMP_DIR = '.tmp';

let tmpCounter = 0;

/** Writes `data` to `root/rel` atomically (temp file in root/.tmp, fsync, rename). */
export async function writeAtomic(root: string, rel: string, data: string | Buffer): Promise<void> {
  const final = join(root, rel);
  const tmp = join(root, TMP_DIR, `${process.pid}-${++tmpCounter}.tmp`);
  await mkdir(dirname(final), { recursive: true });
  const fh = await open(tmp, 'w', 0o644);
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, final);
}

/** Prepares DIR: creates it, empties DIR/.tmp (leftovers of a killed run). */
export async function prepareOutDir(root: string): Promise<void> {
  await mkdir(root, { recursive: true });
  await rm(join(root, TMP_DIR), { recursive: true, force: true });
  await mkdir(join(root, TMP_DIR), { recursive: true });
}

export async function removeTmpDir(root: string): Promise<void> {
  await rm(join(root, TMP_DIR), { recursive: true, force: true });
}

export interface IndexScan {
  /** Lines read (complete and parseable). */
  lines: number;
  /** Lines that could not be parsed (a torn last line included). */
  bad: number;
  /** The file ends without a newline: its last line is torn. */
  torn: boolean;
}

function parseLine(line: string): IndexEntry | undefined {
  if (!line.trim()) return undefined;
  try {
    const e = JSON.parse(line) as IndexEntry;
    if (!e || typeof e !== 'object' || e.v !== 1 || typeof e.key !== 'string' || (e.status !== 'ok' && e.status !== 'error'))
      return undefined;
    return e;
  } catch {
    return undefined;
  }
}

/**
 * Streams the index, calling `onEntry` for every complete line (in file order; a later line for the
 * same key supersedes an earlier one). Memory: one line at a time.
 */
export async function scanIndex(root: string, onEntry: (e: IndexEntry) => void): Promise<IndexScan> {
  const path = join(root, INDEX_FILE);
  let size: number;
  try {
    size = (await stat(path)).size;
  } catch {
    return { lines: 0, bad: 0, torn: false };
  }
  const torn = size > 0 && !(await endsWithNewline(path, size));
  const rl = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lines = 0;
  let bad = 0;
  let pending: string | undefined;
  for await (const line of rl) {
    // Hold each line back by one: the last one is complete only if the file ends with a newline.
    if (pending !== undefined) {
      const e = parseLine(pending);
      if (e) {
        lines++;
        onEntry(e);
      } else if (pending.trim()) bad++;
    }
    pending = line;
  }
  if (pending !== undefined) {
    const e = torn ? undefined : parseLine(pending);
    if (e) {
      lines++;
      onEntry(e);
    } else if (pending.trim()) bad++;
  }
  return { lines, bad, torn };
}

async function endsWithNewline(path: string, size: number): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(1);
    await fh.read(b, 0, 1, size - 1);
    return b[0] === 0x0a;
  } finally {
    await fh.close();
  }
}

/** The latest entry per key (for resume and the dashboard): small objects, one per repository. */
export async function readIndex(root: string): Promise<{ entries: Map<string, IndexEntry>; scan: IndexScan }> {
  const entries = new Map<string, IndexEntry>();
  const scan = await scanIndex(root, (e) => {
    entries.delete(e.key); // keep insertion order = order of the latest line
    entries.set(e.key, e);
  });
  return { entries, scan };
}

/** Keys of repositories a resumed run skips: finished (ok, or failed for good) and whose file is still there. */
export async function finishedKeys(root: string, entries: Map<string, IndexEntry>): Promise<Set<string>> {
  const done = new Set<string>();
  for (const e of entries.values()) {
    if (!isFinished(e)) continue;
    if (e.status === 'ok') {
      if (!e.file) continue;
      try {
        await stat(join(root, e.file));
      } catch {
        continue; // the assessment file went missing: assess again
      }
    }
    done.add(e.key);
  }
  return done;
}

/** Append-only writer with group commit: entries queued while a write is in flight go out together. */
export class IndexWriter {
  private queue: string[] = [];
  private flushing: Promise<void> = Promise.resolve();
  private waiters: Array<{ resolve: () => void; reject: (e: unknown) => void }> = [];

  private constructor(private readonly fh: FileHandle) {}

  /** Opens DIR/index.jsonl for appending; a torn last line is cut off first. */
  static async open(root: string): Promise<IndexWriter> {
    const path = join(root, INDEX_FILE);
    try {
      const { size } = await stat(path);
      if (size > 0 && !(await endsWithNewline(path, size))) {
        const fh = await open(path, 'r');
        let keep = 0;
        try {
          // Find the last newline, reading backwards in chunks.
          const chunk = Buffer.alloc(64 * 1024);
          for (let end = size; end > 0 && keep === 0;) {
            const start = Math.max(0, end - chunk.length);
            const { bytesRead } = await fh.read(chunk, 0, end - start, start);
            const i = chunk.subarray(0, bytesRead).lastIndexOf(0x0a);
            if (i >= 0) keep = start + i + 1;
            end = start;
          }
        } finally {
          await fh.close();
        }
        await truncate(path, keep);
      }
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
    return new IndexWriter(await open(path, 'a', 0o644));
  }

  /** Resolves once the line is on disk (fsync'd). */
  append(e: IndexEntry): Promise<void> {
    this.queue.push(`${JSON.stringify(e)}\n`);
    const done = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.flushing = this.flushing.then(() => this.flush());
    return done;
  }

  private async flush(): Promise<void> {
    if (this.queue.length === 0) return;
    const lines = this.queue.join('');
    const waiters = this.waiters;
    this.queue = [];
    this.waiters = [];
    try {
      await this.fh.write(lines);
      await this.fh.datasync();
      for (const w of waiters) w.resolve();
    } catch (err) {
      for (const w of waiters) w.reject(err);
    }
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.fh.close();
  }
}

/** Files under DIR/<sub> (recursive), relative to DIR, `/`-separated. */
export async function listFiles(root: string, sub: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (rel: string) => {
    let items;
    try {
      items = await readdir(join(root, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const it of items) {
      const r = `${rel}/${it.name}`;
      if (it.isDirectory()) await walk(r);
      else if (it.isFile()) out.push(r);
    }
  };
  await walk(sub);
  return out;
}
