/**
 * Shell-script analysis for Pinned-Dependencies: what OpenSSF Scorecard reports for shell code
 * (checks/raw/shell_download_validate.go) — download-then-run and unpinned go/pip/npm/choco/nuget
 * installs — on our own parser (./shell/parser.ts) instead of mvdan.cc/sh. The rules themselves
 * are ported in ./shell/rules.ts.
 *
 * Deliberate differences from Scorecard (each documented where it is implemented):
 * - a download checked against a digest before it runs (`echo "<sha256>  f" | sha256sum -c`,
 *   `sha256sum -c <<< …`, a checksum file written from literal text) is not reported (#3401);
 * - curl's own `-o FILE` / `-O` downloads are tracked like wget's `-O` (Scorecard only sees `> FILE`);
 * - npm installs whose every package is a git dependency fixed to a full commit count as pinned;
 *   msbuild's `-t:restore` / `-p:RestoreLockedMode=true` spellings are recognised too;
 * - `shell: bash -e {0}` style shells and `#! /bin/sh` / `#!/usr/bin/env -S bash` shebangs are
 *   recognised; CRLF line ends are tolerated;
 * - `sh -c` strings are re-parsed at most 4 levels deep, statements nest at most 100 levels.
 * Never throws.
 */
import type { CallExpr, Command, Stmt, Word, WordPart } from './shell/ast.js';
import { parseShell, ShellParseError } from './shell/parser.js';
import {
  classifyPackageInstall,
  executedFileKeys,
  extractInterpreterAndCommand,
  fileKey,
  getOutputFile,
  hasUnpinnedURLs,
  isBinaryName,
  isDownloadUtility,
  isInterpreter,
  isProgram,
  isShellInterpreterOrCommand,
  programName,
  SUPPORTED_SHELLS,
  type PackageInstall,
} from './shell/rules.js';

export type ShellDependencyType = 'downloadThenRun' | 'goCommand' | 'chocoCommand' | 'npmCommand' | 'pipCommand' | 'nugetCommand';

export interface ShellIssue {
  type: ShellDependencyType;
  /** 0-based line and column (UTF-16 code units) within the script text given. */
  line: number;
  column: number;
  endLine: number;
  /** The offending command text (one line, trimmed, max ~200 chars). */
  snippet: string;
  message: string;
  remediation: string;
}

export interface ShellAnalysis {
  issues: ShellIssue[];
  /** Processing errors (parse errors, unsupported shells); analysis never throws. */
  errors: string[];
}

/**
 * Files downloaded by earlier scripts of the same unit — Scorecard's "tainted files", shared by all
 * RUN instructions of a Dockerfile and all `run:` steps of a workflow job. Create one with
 * {@link createShellContext} and pass it to every {@link analyzeShell} call of the unit.
 */
export interface ShellContext {
  /** fileKey(name) → the names as written (Scorecard keys its map by the name as written). */
  readonly downloads: Map<string, Set<string>>;
  /** Checksum files written from literal text (`echo "<sha>  f" > f.sha256`): key → files listed. */
  readonly checksumFiles: Map<string, string[]>;
}

export interface ShellOptions {
  /** 'bash' (default), 'sh', 'mksh', a path or a GitHub `shell:` template; others are not analysed. */
  shell?: string;
  /** Download state shared with the other scripts of the same Dockerfile / workflow job. */
  context?: ShellContext;
}

export function createShellContext(): ShellContext {
  return { downloads: new Map(), checksumFiles: new Map() };
}

/** Re-parse depth for `sh -c "…"` strings inside `sh -c "…"` strings. */
const MAX_NESTED_SCRIPTS = 4;
const MAX_SNIPPET = 200;

export function analyzeShell(script: string, opts?: ShellOptions): ShellAnalysis {
  const result: ShellAnalysis = { issues: [], errors: [] };
  try {
    if (typeof script !== 'string') {
      result.errors.push('script is not a string');
      return result;
    }
    const unsupported = unsupportedShell(opts?.shell);
    if (unsupported) {
      result.errors.push(unsupported);
      return result;
    }
    const analyzer = new Analyzer(script, opts?.context ?? createShellContext(), result);
    analyzer.analyze({ text: script, base: 0, lo: 0, hi: script.length, nesting: 0 });
    result.issues.sort((a, b) => a.line - b.line || a.column - b.column);
  } catch (e) {
    // Defensive: a bug must cost one file's analysis, never the run.
    result.errors.push(`internal error analysing shell script: ${e instanceof Error ? e.message : String(e)}`);
  }
  return result;
}

/** Scorecard analyses sh, bash and mksh (what mvdan.cc/sh parses); everything else is skipped. */
function unsupportedShell(shell: string | undefined): string | undefined {
  if (shell === undefined || shell.trim() === '') return undefined;
  // GitHub `shell: bash -e {0}`: the program is the first word.
  const program = shell.trim().split(/\s+/)[0];
  if (SUPPORTED_SHELLS.some((s) => isBinaryName(s, program))) return undefined;
  return `shell ${JSON.stringify(shell)} is not analysed (only sh, bash and mksh scripts are)`;
}

/**
 * True when Scorecard would analyse the file as a shell script: a shebang naming sh, bash or mksh
 * decides when present; otherwise a `.sh`, `.bash` or `.mksh` extension (Scorecard's
 * isSupportedShellScriptFile — ksh, dash and zsh scripts are not analysed).
 */
export function isShellScript(path: string, content: string): boolean {
  try {
    const hasExtension = SUPPORTED_SHELLS.some((s) => path.endsWith('.' + s));
    const nl = content.indexOf('\n');
    let first = nl < 0 ? content : content.slice(0, nl);
    if (first.endsWith('\r')) first = first.slice(0, -1);
    if (content === '' || !first.startsWith('#!')) return hasExtension;
    return shebangNames(first.slice(2)).some((name) => SUPPORTED_SHELLS.some((s) => isBinaryName(s, name)));
  } catch {
    return false;
  }
}

/** Candidate interpreter names of a shebang: `/bin/bash`, `env bash`, `/usr/bin/env -S bash -e`. */
function shebangNames(line: string): string[] {
  const parts = line.trim().split(/[ \t]+/);
  if (parts.length === 0) return [];
  if (!isBinaryName('env', parts[0])) return [parts[0]];
  const rest = parts.slice(1).filter((p) => !p.startsWith('-') && !p.includes('='));
  return rest.length > 0 ? [rest[0]] : [];
}

// ── the walk ───────────────────────────────────────────────────────────────────────────────

/** A text being analysed: the script itself or a `-c` string inside it (mapped back by `base`). */
interface Frame {
  text: string;
  /** Offset in the root script of text[0]. */
  base: number;
  /** Root offsets an inner position is clamped to (the quoted word it came from). */
  lo: number;
  hi: number;
  nesting: number;
}

class Analyzer {
  private readonly lineStarts: number[];
  /** Reverts context changes of a text whose parse fails later on. */
  private readonly undo: Array<() => void> = [];

  constructor(
    root: string,
    private readonly ctx: ShellContext,
    private readonly out: ShellAnalysis,
  ) {
    this.lineStarts = [0];
    for (let i = root.indexOf('\n'); i >= 0; i = root.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  /**
   * Parses and walks one text statement by statement. A syntax error anywhere means Scorecard
   * skips the whole text, so everything this text did (findings, nested errors, recorded
   * downloads) is rolled back and only the parse error remains.
   */
  analyze(frame: Frame): void {
    const issues = this.out.issues.length;
    const errors = this.out.errors.length;
    const undo = this.undo.length;
    try {
      parseShell(frame.text, (stmt) => this.stmt(frame, stmt));
    } catch (e) {
      if (!(e instanceof ShellParseError)) throw e;
      this.out.issues.length = issues;
      this.out.errors.length = errors;
      while (this.undo.length > undo) this.undo.pop()?.();
      const { line, column } = this.position(this.rootOffset(frame, e.offset));
      this.out.errors.push(`shell parse error at line ${line + 1}, column ${column + 1}: ${e.message}`);
    }
  }

  private stmts(f: Frame, stmts: Stmt[]): void {
    for (const s of stmts) this.stmt(f, s);
  }

  /** mvdan's Walk order: the statement, its command, then its redirects. */
  private stmt(f: Frame, s: Stmt): void {
    const argv = s.cmd?.kind === 'call' ? extractCommand(s.cmd) : undefined;
    if (argv) this.recordDownload(f, s, argv);
    this.recordVerification(s, argv);
    if (s.cmd) this.command(f, s.cmd, argv ?? []);
    for (const r of s.redirs) {
      this.word(f, r.word);
      if (r.hdoc) this.word(f, r.hdoc);
    }
  }

  private command(f: Frame, c: Command, argv: string[]): void {
    switch (c.kind) {
      case 'call':
        this.call(f, c, argv);
        for (const a of c.assigns) {
          if (a.value) this.word(f, a.value);
          for (const w of a.array ?? []) this.word(f, w);
        }
        for (const w of c.args) this.word(f, w);
        return;
      case 'pipeline':
        this.fetchPipeExecute(f, c.stmts, c.ops);
        this.stmts(f, c.stmts);
        return;
      case 'andor':
        this.stmts(f, c.stmts);
        return;
      case 'compound':
        for (const child of c.children) {
          if (child.t === 'stmt') this.stmt(f, child);
          else if (child.t === 'word') this.word(f, child);
          else {
            if (child.value) this.word(f, child.value);
            for (const w of child.array ?? []) this.word(f, w);
          }
        }
        return;
    }
  }

  private word(f: Frame, w: Word): void {
    for (const p of w.parts) this.part(f, p);
  }

  private part(f: Frame, p: WordPart): void {
    if (p.kind === 'dbl') for (const q of p.parts) this.part(f, q);
    else if (p.kind === 'cmdsubst' || p.kind === 'procsubst') this.stmts(f, p.stmts);
  }

  // ── Scorecard's collectors ───────────────────────────────────────────────────────────────

  /** The checks Scorecard runs on a CallExpr node, in its order. */
  private call(f: Frame, c: CallExpr, cmd: string[]): void {
    this.interpreterCommand(f, c, cmd);
    this.executeFiles(f, c, cmd);
    this.fetchProcSubsExecute(f, c, cmd);
    const install = classifyPackageInstall(cmd);
    if (install && !install.pinned) this.report(f, c, install.type, packageMessage(install), packageRemediation(install, cmd));
  }

  /** `sh -c "…"`: analyse the string as a script (shells only, as Scorecard). */
  private interpreterCommand(f: Frame, c: CallExpr, cmd: string[]): void {
    const interpreter = extractInterpreterAndCommand(cmd);
    if (interpreter === undefined || !isShellInterpreterOrCommand(interpreter)) return;
    const arg = firstQuotedArg(c);
    if (arg === undefined) return;
    if (f.nesting >= MAX_NESTED_SCRIPTS) {
      this.out.errors.push(`nested ${interpreter} -c scripts deeper than ${MAX_NESTED_SCRIPTS} levels were not analysed`);
      return;
    }
    const lo = this.rootOffset(f, arg.start);
    const hi = this.rootOffset(f, arg.end);
    this.analyze({ text: arg.value, base: this.rootOffset(f, arg.contentStart), lo, hi, nesting: f.nesting + 1 });
  }

  /** `curl … | bash` (the first pair of a pipeline, as mvdan's left-associative tree gives it). */
  private fetchPipeExecute(f: Frame, stmts: Stmt[], ops: string[]): void {
    if (ops[0] !== '|') return;
    const left = stmts[0].cmd;
    const right = stmts[1].cmd;
    if (left?.kind !== 'call' || right?.kind !== 'call') return;
    const l = extractCommand(left);
    if (!isDownloadUtility(l) || !hasUnpinnedURLs(l) || !isInterpreter(extractCommand(right))) return;
    this.report(
      f,
      { start: left.start, end: right.end },
      'downloadThenRun',
      (s) => `download piped into an interpreter without verification: \`${s}\``,
      REMEDIATION.pipe,
    );
  }

  /** `bash <(curl …)`. */
  private fetchProcSubsExecute(f: Frame, c: CallExpr, cmd: string[]): void {
    if (!isInterpreter(cmd) || c.args.length < 2) return;
    const parts = c.args[1].parts;
    if (parts.length !== 1 || parts[0].kind !== 'procsubst' || parts[0].op !== '<(') return;
    const first = parts[0].stmts[0]?.cmd;
    if (first?.kind !== 'call') return;
    const fetch = extractCommand(first);
    if (!isDownloadUtility(fetch) || !hasUnpinnedURLs(fetch)) return;
    this.report(f, c, 'downloadThenRun', (s) => `downloaded script executed through process substitution: \`${s}\``, REMEDIATION.pipe);
  }

  /** Running a file downloaded earlier: `./file` or `bash file` (one finding per matching download). */
  private executeFiles(f: Frame, c: CallExpr, cmd: string[]): void {
    if (this.ctx.downloads.size === 0) return;
    for (const key of new Set(executedFileKeys(cmd))) {
      for (const name of this.ctx.downloads.get(key) ?? []) {
        this.report(f, c, 'downloadThenRun', (s) => `runs ${name}, downloaded earlier without verification: \`${s}\``, REMEDIATION.file);
      }
    }
  }

  /** Remembers what a download statement writes to (`curl … > f`, `wget -O f`, …). */
  private recordDownload(f: Frame, s: Stmt, cmd: string[]): void {
    if (!isDownloadUtility(cmd) || !hasUnpinnedURLs(cmd)) return;
    const redirect = s.redirs.find((r) => r.op === '>' && r.word.parts.length === 1 && r.word.parts[0].kind === 'lit');
    let file: string | undefined;
    if (redirect) {
      const p = redirect.word.parts[0];
      file = p.kind === 'lit' ? p.value : undefined;
    } else {
      const o = getOutputFile(cmd, true);
      if (o.error) this.out.errors.push(`${o.error} (at line ${this.position(this.rootOffset(f, s.start)).line + 1})`);
      file = o.file;
    }
    if (file !== undefined) this.addDownload(file);
  }

  private addDownload(file: string): void {
    const key = fileKey(file);
    const names = this.ctx.downloads.get(key);
    if (names === undefined) {
      this.ctx.downloads.set(key, new Set([file]));
      this.undo.push(() => this.ctx.downloads.delete(key));
    } else if (!names.has(file)) {
      names.add(file);
      this.undo.push(() => names.delete(file));
    }
  }

  /**
   * Improvement over Scorecard (#3401): a checksum check of a downloaded file against a digest
   * written in the script (`echo "<sha256>  f" | sha256sum -c`, `sha256sum -c <<< "…"`, or a
   * checksum file written that way) clears it, so running it afterwards is not reported.
   */
  private recordVerification(s: Stmt, argv: string[] | undefined): void {
    const cmd = s.cmd;
    if (cmd?.kind === 'call' && argv) {
      if (isChecksumCheck(argv)) {
        for (const r of s.redirs) {
          if (r.op === '<<<') this.clearVerified(checksumListing(r.word));
          else if (r.hdoc && (r.op === '<<' || r.op === '<<-')) this.clearVerified(checksumListing(r.hdoc));
        }
        for (const a of argv.slice(1)) this.clearVerified(this.ctx.checksumFiles.get(fileKey(a)) ?? []);
        return;
      }
      const target = s.redirs.find((r) => r.op === '>' || r.op === '>>');
      if (target && isEcho(argv)) {
        const listed = checksumListing(...cmd.args.slice(1));
        const name = wordText(target.word);
        if (listed.length > 0 && name) this.setChecksumFile(name, listed);
      }
      return;
    }
    if (cmd?.kind !== 'pipeline') return;
    const last = cmd.stmts[cmd.stmts.length - 1].cmd;
    const first = cmd.stmts[0].cmd;
    if (last?.kind !== 'call' || first?.kind !== 'call') return;
    if (!isChecksumCheck(extractCommand(last)) || !isEcho(extractCommand(first))) return;
    this.clearVerified(checksumListing(...first.args.slice(1)));
  }

  private clearVerified(files: string[]): void {
    if (files.length === 0 || this.ctx.downloads.size === 0) return;
    for (const file of files) {
      // Names recorded with quotes (`wget -O "f"`) are cleared too.
      for (const key of [fileKey(file), fileKey(`"${file}"`), fileKey(`'${file}'`)]) {
        const names = this.ctx.downloads.get(key);
        if (names === undefined) continue;
        this.ctx.downloads.delete(key);
        this.undo.push(() => this.ctx.downloads.set(key, names));
      }
    }
  }

  private setChecksumFile(name: string, listed: string[]): void {
    const key = fileKey(name);
    const previous = this.ctx.checksumFiles.get(key);
    this.ctx.checksumFiles.set(key, listed);
    this.undo.push(() => (previous ? this.ctx.checksumFiles.set(key, previous) : this.ctx.checksumFiles.delete(key)));
  }

  // ── findings ─────────────────────────────────────────────────────────────────────────────

  private report(
    f: Frame,
    span: { start: number; end: number },
    type: ShellDependencyType,
    message: (snippet: string) => string,
    remediation: string,
  ): void {
    const start = this.rootOffset(f, span.start);
    const end = this.rootOffset(f, Math.max(span.start, span.end - 1));
    const { line, column } = this.position(start);
    // Bounded slice: one huge command may be reported many times.
    const snippet = oneLine(f.text.slice(span.start, Math.min(span.end, span.start + 4 * MAX_SNIPPET)));
    this.out.issues.push({ type, line, column, endLine: this.position(end).line, snippet, message: message(snippet), remediation });
  }

  private rootOffset(f: Frame, offset: number): number {
    return Math.min(Math.max(f.base + offset, f.lo), Math.max(f.lo, f.hi));
  }

  private position(offset: number): { line: number; column: number } {
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, column: offset - starts[lo] };
  }
}

// ── words as Scorecard sees them ───────────────────────────────────────────────────────────

/**
 * Scorecard's extractCommand: one string per single-part argument — a literal as written (`sudo`
 * dropped), `'x'` for single quotes, `"x"` for a double-quoted literal; other words are skipped.
 */
function extractCommand(c: CallExpr): string[] {
  const out: string[] = [];
  for (const w of c.args) {
    if (w.parts.length !== 1) continue;
    const p = w.parts[0];
    if (p.kind === 'lit') {
      if (p.value.toLowerCase() !== 'sudo') out.push(p.value);
    } else if (p.kind === 'sgl') {
      out.push(`'${p.value}'`);
    } else if (p.kind === 'dbl' && p.parts.length === 1 && p.parts[0].kind === 'lit') {
      out.push(`"${p.parts[0].value}"`);
    }
  }
  return out;
}

interface QuotedArg {
  value: string;
  start: number;
  end: number;
  contentStart: number;
}

/** Scorecard's extractInterpreterCommandFromArgs: the first quoted literal argument. */
function firstQuotedArg(c: CallExpr): QuotedArg | undefined {
  for (const w of c.args) {
    if (w.parts.length !== 1) continue;
    const p = w.parts[0];
    if (p.kind === 'sgl') {
      const contentStart = p.end - 1 - p.value.length;
      return { value: p.value, start: p.start, end: p.end, contentStart };
    }
    if (p.kind === 'dbl' && p.parts.length === 1 && p.parts[0].kind === 'lit') {
      return { value: p.parts[0].value, start: p.start, end: p.end, contentStart: p.parts[0].start };
    }
  }
  return undefined;
}

/**
 * The literal text of a word with parameter expansions shown as `$` and command substitutions as
 * `` ` `` (a digest computed on the spot, `$(sha256sum f)`, proves nothing), or undefined when empty.
 */
function wordText(w: Word): string | undefined {
  let s = '';
  const add = (p: WordPart): void => {
    if (p.kind === 'lit' || p.kind === 'sgl') s += p.value;
    else if (p.kind === 'dbl') p.parts.forEach(add);
    else if (p.kind === 'param') s += '$';
    else s += '`';
  };
  w.parts.forEach(add);
  return s === '' ? undefined : s;
}

// ── checksum verification (improvement, see recordVerification) ────────────────────────────

const CHECKSUM_TOOLS = new Set(['sha224sum', 'sha256sum', 'sha384sum', 'sha512sum', 'b2sum']);
const SHASUM_STRONG = new Set(['224', '256', '384', '512', '512224', '512256']);

/** `sha256sum -c …`, `shasum -a 256 --check …` (SHA-1/MD5 do not count). */
function isChecksumCheck(cmd: string[]): boolean {
  if (cmd.length < 2) return false;
  const tool = CHECKSUM_TOOLS.has(programName(cmd)) || (isProgram(cmd, 'shasum') && isStrongShasum(cmd));
  return tool && cmd.slice(1).some((a) => a === '--check' || /^-[A-Za-z]*c[A-Za-z]*$/.test(a));
}

function isStrongShasum(cmd: string[]): boolean {
  const a = cmd.findIndex((x) => x === '-a' || x === '--algorithm');
  return a > 0 && SHASUM_STRONG.has(cmd[a + 1] ?? '');
}

function isEcho(cmd: string[]): boolean {
  return isProgram(cmd, 'echo', 'printf');
}

/**
 * The files a checksum listing names, when it also carries a digest (a literal of SHA-224 length
 * or more, or an expansion such as `${SHA256}`): `<digest>  <file>` / `<digest> *<file>`.
 */
function checksumListing(...words: Word[]): string[] {
  const tokens = words
    .map(wordText)
    .filter((t): t is string => t !== undefined)
    .join(' ')
    .replace(/\\n/g, ' ')
    .split(/\s+/)
    .filter((t) => t !== '');
  const isDigest = (t: string): boolean => /^[0-9a-fA-F]{56,}$/.test(t) || t === '$';
  if (!tokens.some(isDigest)) return [];
  return tokens
    .filter((t) => !isDigest(t) && !t.startsWith('-') && !t.startsWith('%') && !t.includes('`'))
    .map((t) => (t.startsWith('*') ? t.slice(1) : t));
}

// ── messages ───────────────────────────────────────────────────────────────────────────────

const REMEDIATION = {
  pipe:
    'Do not pipe a download into an interpreter. Download the script to a file from an immutable URL ' +
    '(e.g. raw.githubusercontent.com/<owner>/<repo>/<commit-sha>/<path>), verify it before running it ' +
    '(`echo "<sha256>  install.sh" | sha256sum -c -`), or install the tool through a package manager with pinned versions.',
  file:
    'Verify the downloaded file before executing it: check it against a digest kept in the repository ' +
    '(`echo "<sha256>  <file>" | sha256sum -c -`), or download it from an immutable, commit-pinned URL.',
} as const;

function packageMessage(p: PackageInstall): (snippet: string) => string {
  return (s) => `unpinned ${p.detail}: \`${s}\``;
}

function packageRemediation(p: PackageInstall, cmd: string[]): string {
  switch (p.type) {
    case 'goCommand': {
      const latest = cmd.some((a) => /@(latest|upgrade|patch|master|main)$/.test(a));
      return (
        (latest ? 'Replace the moving version (@latest, a branch…) with a release: ' : 'Pin the module to a full version: ') +
        '`go install example.com/tool@v1.2.3` (or a commit hash); without -insecure, go verifies it against the checksum database.'
      );
    }
    case 'pipCommand':
      return (
        'Install from a requirements file with hashes: `pip install --require-hashes -r requirements.txt` ' +
        '(generate it with `pip-compile --generate-hashes`). For editable installs use `--no-deps` with a local path ' +
        'or a VCS URL pinned to a full commit hash.'
      );
    case 'npmCommand':
      return (
        'Use `npm ci` with a committed package-lock.json so every package is checked against its integrity hash; ' +
        'for CLI tools, add them as devDependencies of a locked project instead of `npm install -g`.'
      );
    case 'chocoCommand':
      return 'Add `--requirechecksums` (with `--checksum`/`--checksum64` for URLs) so Chocolatey refuses packages whose checksum does not match.';
    case 'nugetCommand':
      return p.detail.endsWith('restore')
        ? 'Restore in locked mode against a committed packages.lock.json: `dotnet restore --locked-mode`, `nuget restore -LockedMode` or `msbuild /t:restore /p:RestoreLockedMode=true`.'
        : 'Pin the package version (`dotnet add package X --version 1.2.3`, `nuget install X -Version 1.2.3`) and restore in locked mode with a committed packages.lock.json.';
  }
}

/** The command text as one trimmed line of at most ~200 characters. */
function oneLine(s: string): string {
  const flat = s
    .replace(/\\\r?\n/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return flat.length > MAX_SNIPPET ? flat.slice(0, MAX_SNIPPET - 1) + '…' : flat;
}
