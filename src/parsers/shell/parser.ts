/**
 * A pragmatic bash parser: enough of the grammar to find every simple command (inside pipes,
 * lists, compound commands, `$(…)`, `<(…)`, backquotes and unquoted here-documents) and to reject
 * the malformed scripts mvdan.cc/sh rejects (Scorecard skips those with a processing error).
 * Single pass, bounded nesting, no regex backtracking over the input.
 */
import type { Assign, CallExpr, Command, Compound, DblQuoted, Lit, Redirect, SglQuoted, Span, Stmt, Word, WordPart } from './ast.js';

export class ShellParseError extends Error {
  constructor(
    readonly offset: number,
    message: string,
  ) {
    super(message);
    this.name = 'ShellParseError';
  }
}

/** Shared empty list for nodes without assignments or redirects (never mutated). */
const NONE: never[] = [];

/** Nesting bound: deep enough for real scripts, far below the JS stack limit. */
const MAX_DEPTH = 100;

/** Words that close a construct; seeing one where it is not expected is a syntax error. */
const CLOSERS = new Set(['then', 'elif', 'else', 'fi', 'do', 'done', 'esac', '}']);
const RESERVED = new Set([...CLOSERS, 'if', 'while', 'until', 'for', 'select', 'case', 'function', 'time', 'coproc', '{', '!', '[[', 'in']);
/** Reserved words by first character code, longest first. */
const RESERVED_BY_FIRST = new Map<number, string[]>();
for (const w of [...RESERVED].sort((a, b) => b.length - a.length)) {
  const list = RESERVED_BY_FIRST.get(w.charCodeAt(0)) ?? [];
  list.push(w);
  RESERVED_BY_FIRST.set(w.charCodeAt(0), list);
}
const CLOSER_OWNER: Record<string, string> = {
  then: 'if',
  elif: 'if',
  else: 'if',
  fi: 'if',
  do: 'a loop',
  done: 'a loop',
  esac: 'case',
  '}': '{',
};

interface PendingHeredoc {
  redirect: Redirect;
  delim: string;
  stripTabs: boolean;
  quoted: boolean;
}

/**
 * Parses a whole script. Throws ShellParseError on a syntax error. With `emit`, top-level
 * statements are handed over one by one as soon as they are complete (here-documents included)
 * instead of being returned, so a huge script is never held in memory as one tree; a later syntax
 * error still throws, so callers must be ready to discard what they did with earlier statements.
 */
export function parseShell(src: string, emit?: (stmt: Stmt) => void): Stmt[] {
  return new Parser(src).program(emit);
}

const enum Ch {
  Tab = 9,
  Nl = 10,
  Cr = 13,
  Space = 32,
  Bang = 33,
  Dq = 34,
  Hash = 35,
  Dollar = 36,
  Amp = 38,
  Sq = 39,
  LParen = 40,
  RParen = 41,
  Star = 42,
  Plus = 43,
  Semi = 59,
  Lt = 60,
  Gt = 62,
  Quest = 63,
  At = 64,
  Backslash = 92,
  Backtick = 96,
  LBrace = 123,
  Pipe = 124,
  RBrace = 125,
}

function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.Cr;
}

/** Characters that end an unquoted word. */
function isWordEnd(c: number): boolean {
  return (
    isBlank(c) ||
    c === Ch.Nl ||
    c === Ch.Semi ||
    c === Ch.Amp ||
    c === Ch.Pipe ||
    c === Ch.Lt ||
    c === Ch.Gt ||
    c === Ch.LParen ||
    c === Ch.RParen
  );
}

/** Characters that are literal text in an unquoted word. */
function isPlainWordChar(c: number): boolean {
  return !isWordEnd(c) && c !== Ch.Backslash && c !== Ch.Sq && c !== Ch.Dq && c !== Ch.Backtick && c !== Ch.Dollar;
}

function isExtglobChar(c: number): boolean {
  return c === Ch.At || c === Ch.Bang || c === Ch.Star || c === Ch.Plus || c === Ch.Quest;
}

/** `export`, `local`, `declare`, `typeset`, `readonly`, `nameref` as a plain word (no Set lookup: hot path). */
function isDeclWord(w: Word): boolean {
  const p = w.parts.length === 1 ? w.parts[0] : undefined;
  if (p?.kind !== 'lit') return false;
  const v = p.value;
  switch (v.length) {
    case 5:
      return v === 'local';
    case 6:
      return v === 'export';
    case 7:
      return v === 'declare' || v === 'typeset' || v === 'nameref';
    case 8:
      return v === 'readonly';
    default:
      return false;
  }
}

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

class Parser {
  private i = 0;
  private limit: number;
  private depth = 0;
  private heredocs: PendingHeredoc[] = [];

  constructor(private readonly src: string) {
    this.limit = src.length;
  }

  program(emit?: (stmt: Stmt) => void): Stmt[] {
    const stmts = this.list([], emit);
    if (this.i < this.limit) this.unexpected();
    if (this.heredocs.length > 0) {
      this.fail(this.heredocs[0].redirect.start, `unclosed here-document '${this.heredocs[0].delim}'`);
    }
    if (!emit) return stmts;
    for (const s of stmts) emit(s);
    return [];
  }

  // ── errors and low-level scanning ────────────────────────────────────────────────────────

  private fail(offset: number, message: string): never {
    throw new ShellParseError(offset, message);
  }

  private unexpected(): never {
    const c = this.src.slice(this.i, this.i + 2);
    this.fail(this.i, `unexpected ${JSON.stringify(c)}`);
  }

  /** The character code at the cursor, -1 at the end. */
  private cur(): number {
    return this.i < this.limit ? this.src.charCodeAt(this.i) : -1;
  }

  private code(at: number): number {
    return at < this.limit ? this.src.charCodeAt(at) : -1;
  }

  private startsWith(s: string, at = this.i): boolean {
    return at + s.length <= this.limit && this.src.startsWith(s, at);
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.fail(this.i, `nesting deeper than ${MAX_DEPTH} levels`);
  }

  private leave(): void {
    this.depth--;
  }

  /** Skips blanks and `\<newline>` continuations (not newlines). */
  private skipBlanks(): void {
    for (;;) {
      const c = this.cur();
      if (isBlank(c)) this.i++;
      else if (c === Ch.Backslash && this.code(this.i + 1) === Ch.Nl) this.i += 2;
      else if (c === Ch.Backslash && this.code(this.i + 1) === Ch.Cr && this.code(this.i + 2) === Ch.Nl) this.i += 3;
      else return;
    }
  }

  /** Skips blanks, newlines (reading pending here-documents) and comments. */
  private skipSpace(): void {
    for (;;) {
      this.skipBlanks();
      const c = this.cur();
      if (c === Ch.Nl) {
        this.i++;
        this.readHeredocs();
      } else if (c === Ch.Hash) {
        this.skipComment();
      } else {
        return;
      }
    }
  }

  private skipComment(): void {
    const nl = this.src.indexOf('\n', this.i);
    this.i = nl < 0 || nl > this.limit ? this.limit : nl;
  }

  /** The reserved word at the cursor (only when it stands alone as a word), else undefined. */
  private peekReserved(): string | undefined {
    const candidates = RESERVED_BY_FIRST.get(this.cur());
    if (candidates === undefined) return undefined;
    for (const w of candidates) {
      if (!this.startsWith(w)) continue;
      const after = this.code(this.i + w.length);
      // `{`, `!`, `[[` need a blank after them (`{a,b}` is a word); the others any word end.
      const ok = w === '{' || w === '!' || w === '[[' ? after < 0 || isBlank(after) || after === Ch.Nl : after < 0 || isWordEnd(after);
      if (ok) return w;
    }
    return undefined;
  }

  private expectReserved(word: string, context: string): void {
    this.skipSpace();
    if (this.peekReserved() !== word) this.fail(this.i, `${context} must be followed by "${word}"`);
    this.i += word.length;
  }

  // ── statement lists ──────────────────────────────────────────────────────────────────────

  /**
   * Statements until EOF or one of `closers` (reserved words, `)` or `;;`). A closer that does
   * not belong here is a syntax error, as in bash and mvdan.
   */
  private list(closers: string[], emit?: (stmt: Stmt) => void): Stmt[] {
    let stmts: Stmt[] = [];
    for (;;) {
      this.skipSpace();
      if (emit && stmts.length > 0 && this.heredocs.length === 0) {
        for (const s of stmts) emit(s);
        stmts = [];
      }
      if (this.i >= this.limit) break;
      if (this.atCloser(closers)) break;
      const c = this.cur();
      if (c === Ch.Semi || c === Ch.Amp || c === Ch.Pipe) {
        this.fail(this.i, `${String.fromCharCode(c)} can only immediately follow a statement`);
      }
      stmts.push(this.andOr());
      this.skipBlanks();
      const d = this.cur();
      if (d === Ch.Semi && this.code(this.i + 1) !== Ch.Semi && this.code(this.i + 1) !== Ch.Amp) {
        this.i++;
      } else if (d === Ch.Amp && this.code(this.i + 1) !== Ch.Amp && this.code(this.i + 1) !== Ch.Gt) {
        this.i++;
      } else if (d === Ch.Nl || d === Ch.Hash || d < 0 || d === Ch.RParen || d === Ch.Semi) {
        // newline / comment / end / a closer: handled at the top of the loop
      } else {
        this.fail(this.i, 'statements must be separated by &, ; or a newline');
      }
    }
    return stmts;
  }

  private atCloser(closers: string[]): boolean {
    const c = this.cur();
    if (c === Ch.RParen) {
      if (closers.includes(')')) return true;
      this.fail(this.i, 'unexpected ")"');
    }
    if (c === Ch.Semi && (this.code(this.i + 1) === Ch.Semi || this.code(this.i + 1) === Ch.Amp)) {
      if (closers.includes(';;')) return true;
      this.fail(this.i, `${this.src.slice(this.i, this.i + 2)} can only be used in a case clause`);
    }
    const w = this.peekReserved();
    if (w !== undefined && CLOSERS.has(w)) {
      if (closers.includes(w)) return true;
      this.fail(this.i, `"${w}" can only be used to close ${CLOSER_OWNER[w]}`);
    }
    return false;
  }

  private andOr(): Stmt {
    const first = this.pipeline();
    this.skipBlanks();
    if (!this.startsWith('&&') && !this.startsWith('||')) return first;
    const stmts = [first];
    const ops: string[] = [];
    while (this.startsWith('&&') || this.startsWith('||')) {
      const op = this.src.slice(this.i, this.i + 2);
      this.i += 2;
      this.skipSpace();
      this.requireCommand(op);
      ops.push(op);
      stmts.push(this.pipeline());
      this.skipBlanks();
    }
    return this.wrap({ kind: 'andor', stmts, ops, start: first.start, end: stmts[stmts.length - 1].end });
  }

  private requireCommand(after: string): void {
    const c = this.cur();
    if (c < 0 || c === Ch.Semi || c === Ch.Amp || c === Ch.Pipe || c === Ch.RParen) {
      this.fail(this.i, `${after} must be followed by a statement`);
    }
    const w = this.peekReserved();
    if (w !== undefined && CLOSERS.has(w)) this.fail(this.i, `${after} must be followed by a statement`);
  }

  private pipeline(): Stmt {
    this.skipBlanks();
    const start = this.i;
    const w = this.peekReserved();
    if (w === 'time') {
      this.i += 4;
      this.skipBlanks();
      if (this.startsWith('-p') && isWordEnd(this.code(this.i + 2))) this.i += 2;
      this.skipBlanks();
      const c = this.cur();
      const children: Stmt[] = [];
      if (!(c < 0 || c === Ch.Nl || c === Ch.Semi || c === Ch.Amp || c === Ch.RParen)) children.push(this.pipeline());
      return this.wrap({ kind: 'compound', keyword: 'time', children, start, end: this.i });
    }
    if (w === '!') {
      this.i++;
      this.skipBlanks();
      this.requireCommand('!');
    }
    const first = this.commandStmt();
    this.skipBlanks();
    if (!this.atPipe()) return first;
    const stmts = [first];
    const ops: string[] = [];
    while (this.atPipe()) {
      const op = this.code(this.i + 1) === Ch.Amp ? '|&' : '|';
      this.i += op.length;
      this.skipSpace();
      this.requireCommand(op);
      ops.push(op);
      stmts.push(this.commandStmt());
      this.skipBlanks();
    }
    return this.wrap({ kind: 'pipeline', stmts, ops, start: first.start, end: stmts[stmts.length - 1].end });
  }

  private atPipe(): boolean {
    return this.cur() === Ch.Pipe && this.code(this.i + 1) !== Ch.Pipe;
  }

  private wrap(cmd: Command): Stmt {
    return { t: 'stmt', cmd, redirs: NONE, start: cmd.start, end: cmd.end };
  }

  // ── commands ─────────────────────────────────────────────────────────────────────────────

  private commandStmt(): Stmt {
    this.enter();
    try {
      this.skipBlanks();
      const start = this.i;
      const compound = this.compoundCommand();
      if (compound === undefined) return this.simpleCommand();
      const redirs: Redirect[] = [];
      for (;;) {
        this.skipBlanks();
        if (!this.atRedirect()) break;
        redirs.push(this.redirect());
      }
      const c = this.cur();
      if (!(c < 0 || c === Ch.Nl || c === Ch.Semi || c === Ch.Amp || c === Ch.Pipe || c === Ch.RParen || c === Ch.Hash)) {
        this.fail(this.i, 'a compound command can only be followed by redirects, ;, & or a newline');
      }
      return { t: 'stmt', cmd: compound, redirs, start, end: this.i };
    } finally {
      this.leave();
    }
  }

  /** A compound command at the cursor, or undefined when it is a simple command. */
  private compoundCommand(): Compound | undefined {
    const start = this.i;
    if (this.cur() === Ch.LParen) {
      if (this.code(this.i + 1) === Ch.LParen) return this.arithCommand(start);
      this.i++;
      const stmts = this.list([')']);
      if (this.cur() !== Ch.RParen) this.fail(start, 'reached EOF without matching ( with )');
      if (stmts.length === 0) this.fail(start, '( must be followed by a statement list');
      this.i++;
      return { kind: 'compound', keyword: '(', children: stmts, start, end: this.i };
    }
    const w = this.peekReserved();
    switch (w) {
      case 'if':
        return this.ifClause(start);
      case 'while':
      case 'until':
        return this.whileClause(start, w);
      case 'for':
      case 'select':
        return this.forClause(start, w);
      case 'case':
        return this.caseClause(start);
      case '{':
        return this.block(start);
      case '[[':
        return this.testClause(start);
      case 'function':
        return this.functionKeyword(start);
      case 'coproc': {
        this.i += 6;
        this.skipBlanks();
        const body = this.commandStmt();
        return { kind: 'compound', keyword: 'coproc', children: [body], start, end: this.i };
      }
      default:
        if (w !== undefined && CLOSERS.has(w)) this.fail(start, `"${w}" can only be used to close ${CLOSER_OWNER[w]}`);
        return undefined;
    }
  }

  private ifClause(start: number): Compound {
    this.i += 2;
    const children: Stmt[] = [];
    let keyword = 'if';
    for (;;) {
      const cond = this.list(['then']);
      if (cond.length === 0) this.fail(this.i, `"${keyword}" must be followed by a statement list`);
      this.expectReserved('then', `"${keyword} <cond>"`);
      children.push(...cond, ...this.list(['elif', 'else', 'fi']));
      const w = this.peekReserved();
      if (w === 'elif') {
        this.i += 4;
        keyword = 'elif';
        continue;
      }
      if (w === 'else') {
        this.i += 4;
        children.push(...this.list(['fi']));
      }
      if (this.peekReserved() !== 'fi') this.fail(start, 'if statement must end with a "fi"');
      this.i += 2;
      return { kind: 'compound', keyword: 'if', children, start, end: this.i };
    }
  }

  private whileClause(start: number, keyword: string): Compound {
    this.i += keyword.length;
    const cond = this.list(['do']);
    if (cond.length === 0) this.fail(this.i, `"${keyword}" must be followed by a statement list`);
    this.expectReserved('do', `"${keyword} <cond>"`);
    const body = this.list(['done']);
    if (this.peekReserved() !== 'done') this.fail(start, `${keyword} statement must end with a "done"`);
    this.i += 4;
    return { kind: 'compound', keyword, children: [...cond, ...body], start, end: this.i };
  }

  private forClause(start: number, keyword: string): Compound {
    this.i += keyword.length;
    this.skipBlanks();
    const children: Array<Stmt | Word> = [];
    if (this.startsWith('((')) {
      this.skipArith(this.i, '((');
    } else {
      const name = this.word();
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(this.src.slice(name.start, name.end))) {
        this.fail(name.start, `invalid ${keyword} loop variable`);
      }
      this.skipSpace();
      if (this.peekReserved() === 'in') {
        this.i += 2;
        for (;;) {
          this.skipBlanks();
          const c = this.cur();
          if (c < 0 || c === Ch.Nl || c === Ch.Semi || c === Ch.Hash) break;
          if (isWordEnd(c)) this.unexpected();
          children.push(this.word());
        }
      }
    }
    this.skipBlanks();
    if (this.cur() === Ch.Semi) this.i++;
    this.skipSpace();
    if (this.peekReserved() === '{') {
      const body = this.block(this.i);
      return { kind: 'compound', keyword, children: [...children, this.wrap(body)], start, end: this.i };
    }
    this.expectReserved('do', `"${keyword} <vars>"`);
    const body = this.list(['done']);
    if (this.peekReserved() !== 'done') this.fail(start, `${keyword} statement must end with a "done"`);
    this.i += 4;
    return { kind: 'compound', keyword, children: [...children, ...body], start, end: this.i };
  }

  private caseClause(start: number): Compound {
    this.i += 4;
    this.skipBlanks();
    const children: Array<Stmt | Word> = [this.word()];
    this.skipSpace();
    if (this.peekReserved() !== 'in') this.fail(this.i, '"case x" must be followed by "in"');
    this.i += 2;
    for (;;) {
      this.skipSpace();
      if (this.i >= this.limit) this.fail(start, 'case statement must end with "esac"');
      if (this.peekReserved() === 'esac') {
        this.i += 4;
        return { kind: 'compound', keyword: 'case', children, start, end: this.i };
      }
      if (this.cur() === Ch.LParen) this.i++;
      for (;;) {
        this.skipBlanks();
        const c = this.cur();
        if (c < 0 || isWordEnd(c)) this.fail(this.i, 'case patterns must be words');
        children.push(this.word());
        this.skipBlanks();
        if (this.cur() === Ch.Pipe) {
          this.i++;
          continue;
        }
        if (this.cur() !== Ch.RParen) this.fail(this.i, 'case patterns must be separated by | and end with )');
        this.i++;
        break;
      }
      children.push(...this.list(['esac', ';;']));
      if (this.startsWith(';;&')) this.i += 3;
      else if (this.startsWith(';;') || this.startsWith(';&')) this.i += 2;
    }
  }

  private block(start: number): Compound {
    this.i += 1;
    const stmts = this.list(['}']);
    if (this.peekReserved() !== '}') this.fail(start, 'reached EOF without matching { with }');
    this.i += 1;
    return { kind: 'compound', keyword: '{', children: stmts, start, end: this.i };
  }

  private arithCommand(start: number): Compound {
    this.skipArith(start, '((');
    return { kind: 'compound', keyword: '((', children: [], start, end: this.i };
  }

  /** Skips `((…))` / `$((…))` starting at `at` (which points at `open`). */
  private skipArith(at: number, open: string): void {
    let depth = 0;
    let j = at + open.length - 2;
    for (; j < this.limit; j++) {
      const c = this.src.charCodeAt(j);
      if (c === Ch.LParen) depth++;
      else if (c === Ch.RParen) {
        depth--;
        if (depth === 0) {
          this.i = j + 1;
          return;
        }
      } else if (c === Ch.Backslash) j++;
    }
    this.fail(at, `reached EOF without matching ${open} with ))`);
  }

  private testClause(start: number): Compound {
    this.i += 2;
    const children: Word[] = [];
    let regexNext = false;
    for (;;) {
      this.skipSpace();
      if (this.i >= this.limit) this.fail(start, 'reached EOF without matching [[ with ]]');
      if (this.startsWith(']]') && (this.i + 2 >= this.limit || isWordEnd(this.code(this.i + 2)))) {
        this.i += 2;
        return { kind: 'compound', keyword: '[[', children, start, end: this.i };
      }
      if (this.startsWith('&&') || this.startsWith('||')) {
        this.i += 2;
        continue;
      }
      const c = this.cur();
      if (c === Ch.LParen || c === Ch.RParen || c === Ch.Lt || c === Ch.Gt || c === Ch.Bang) {
        this.i++;
        continue;
      }
      if (regexNext) {
        children.push(this.regexWord());
        regexNext = false;
        continue;
      }
      if (isWordEnd(c)) this.unexpected();
      const w = this.word();
      regexNext = w.parts.length === 1 && w.parts[0].kind === 'lit' && w.parts[0].value === '=~';
      children.push(w);
    }
  }

  /** The right side of `=~`: raw text up to a blank outside parentheses and quotes. */
  private regexWord(): Word {
    const start = this.i;
    let depth = 0;
    while (this.i < this.limit) {
      const c = this.cur();
      if (c === Ch.Backslash) this.i += 2;
      else if (c === Ch.Sq || c === Ch.Dq) this.skipQuoted(c);
      else if (c === Ch.LParen) {
        depth++;
        this.i++;
      } else if (c === Ch.RParen && depth > 0) {
        depth--;
        this.i++;
      } else if (depth === 0 && (isBlank(c) || c === Ch.Nl || c === Ch.RParen)) break;
      else this.i++;
    }
    const end = Math.min(this.i, this.limit);
    return { t: 'word', parts: [{ kind: 'lit', value: this.src.slice(start, end), start, end }], start, end };
  }

  private skipQuoted(q: number): void {
    const close = this.src.indexOf(String.fromCharCode(q), this.i + 1);
    if (close < 0 || close >= this.limit) this.fail(this.i, 'reached EOF without closing quote');
    this.i = close + 1;
  }

  private functionKeyword(start: number): Compound {
    this.i += 8;
    this.skipBlanks();
    const name = this.word();
    this.skipBlanks();
    if (this.cur() === Ch.LParen) {
      this.i++;
      this.skipBlanks();
      if (this.cur() !== Ch.RParen) this.fail(this.i, 'function name( must be followed by )');
      this.i++;
    }
    return this.functionBody(start, name);
  }

  private functionBody(start: number, name: Word): Compound {
    this.skipSpace();
    if (this.i >= this.limit) this.fail(start, 'a function must be followed by a statement');
    const body = this.commandStmt();
    return { kind: 'compound', keyword: 'function', children: [name, body], start, end: this.i };
  }

  private simpleCommand(): Stmt {
    const start = this.i;
    // Allocated on first use: most commands have no assignments, redirects or declarations.
    let assigns: Assign[] = NONE;
    let redirs: Redirect[] = NONE;
    let declArgs: Array<Word | Assign> | undefined;
    const args: Word[] = [];
    for (;;) {
      this.skipBlanks();
      const c = this.cur();
      if (c < 0 || c === Ch.Nl || c === Ch.Semi || c === Ch.Pipe || c === Ch.RParen || c === Ch.Hash) break;
      if (c === Ch.Amp && this.code(this.i + 1) !== Ch.Gt) break;
      if (this.atRedirect()) {
        if (redirs === NONE) redirs = [];
        redirs.push(this.redirect());
        continue;
      }
      if (c === Ch.LParen) {
        if (args.length === 1 && assigns.length === 0 && !declArgs && this.isFuncName(args[0])) {
          this.i++;
          this.skipBlanks();
          if (this.cur() !== Ch.RParen) this.fail(this.i, `${this.text(args[0])}( must be followed by )`);
          this.i++;
          const fn = this.functionBody(start, args[0]);
          return { t: 'stmt', cmd: fn, redirs, start, end: this.i };
        }
        this.fail(this.i, 'a command can only contain words and redirects; encountered (');
      }
      if ((args.length === 0 || declArgs) && this.atAssign()) {
        const a = this.assign();
        if (declArgs) declArgs.push(a);
        else if (assigns === NONE) assigns = [a];
        else assigns.push(a);
        continue;
      }
      const w = this.word();
      if (declArgs) {
        declArgs.push(w);
      } else {
        args.push(w);
        if (args.length === 1 && assigns.length === 0 && isDeclWord(w)) declArgs = [];
      }
    }
    const end = Math.max(this.i, start);
    if (declArgs) {
      const cmd: Compound = { kind: 'compound', keyword: 'declare', children: [...args, ...declArgs], start, end };
      return { t: 'stmt', cmd, redirs, start, end };
    }
    if (assigns.length === 0 && args.length === 0) {
      if (redirs.length === 0) this.fail(this.i, 'expected a command');
      return { t: 'stmt', cmd: undefined, redirs, start, end };
    }
    const first: Span = assigns.length > 0 ? assigns[0] : args[0];
    const last: Span = args.length > 0 ? args[args.length - 1] : assigns[assigns.length - 1];
    const call: CallExpr = { kind: 'call', assigns, args, start: first.start, end: last.end };
    return { t: 'stmt', cmd: call, redirs, start, end };
  }

  private text(w: Span): string {
    return this.src.slice(w.start, w.end);
  }

  private isFuncName(w: Word): boolean {
    return w.parts.length === 1 && w.parts[0].kind === 'lit' && /^[^\s$`'"\\]+$/.test(w.parts[0].value);
  }

  // ── assignments and redirects ────────────────────────────────────────────────────────────

  private atAssign(): boolean {
    if (!isNameStart(this.cur())) return false;
    let j = this.i + 1;
    while (isNameChar(this.code(j))) j++;
    if (this.code(j) === 91 /* [ */) {
      // `a[i]=x`: the index ends within this word (a bounded scan keeps `export x[ x[ …` linear).
      while (j < this.limit && this.src.charCodeAt(j) !== 93 /* ] */ && !isWordEnd(this.src.charCodeAt(j))) j++;
      if (this.code(j) !== 93) return false;
      j++;
    }
    if (this.code(j) === Ch.Plus) j++;
    return this.code(j) === 61; /* = */
  }

  private assign(): Assign {
    const start = this.i;
    const eq = this.src.indexOf('=', this.i);
    const name = this.src.slice(this.i, eq).replace(/\+$/, '');
    this.i = eq + 1;
    if (this.cur() === Ch.LParen) {
      this.i++;
      const array: Word[] = [];
      for (;;) {
        this.skipSpace();
        const c = this.cur();
        if (c < 0) this.fail(start, 'reached EOF without matching ( with )');
        if (c === Ch.RParen) break;
        if (isWordEnd(c)) this.unexpected();
        array.push(this.word());
      }
      this.i++;
      return { t: 'assign', name, array, start, end: this.i };
    }
    const c = this.cur();
    if (c < 0 || isWordEnd(c)) return { t: 'assign', name, start, end: this.i };
    const value = this.word();
    return { t: 'assign', name, value, start, end: this.i };
  }

  private atRedirect(): boolean {
    let j = this.i;
    while (isDigit(this.code(j))) j++;
    const c = this.code(j);
    if (c === Ch.Amp) return j === this.i && this.code(j + 1) === Ch.Gt;
    if (c !== Ch.Lt && c !== Ch.Gt) return false;
    // `<(` / `>(` at a word start is a process substitution, not a redirect.
    return !(j === this.i && this.code(j + 1) === Ch.LParen);
  }

  private redirect(): Redirect {
    const start = this.i;
    let j = this.i;
    while (isDigit(this.code(j))) j++;
    const n = j > this.i ? this.src.slice(this.i, j) : undefined;
    this.i = j;
    const ops = ['&>>', '&>', '<<<', '<<-', '<<', '<>', '<&', '>>', '>&', '>|', '<', '>'];
    const op = ops.find((o) => this.startsWith(o)) ?? this.unexpected();
    this.i += op.length;
    this.skipBlanks();
    const c = this.cur();
    const procSubst = (c === Ch.Lt || c === Ch.Gt) && this.code(this.i + 1) === Ch.LParen; // `< <(cmd)`
    if (c < 0 || (isWordEnd(c) && !procSubst)) this.fail(this.i, `${op} must be followed by a word`);
    const word = this.word();
    const r: Redirect = { op, n, word, start, end: this.i };
    if (op === '<<' || op === '<<-') this.heredocs.push(this.heredocSpec(r, op === '<<-'));
    return r;
  }

  private heredocSpec(redirect: Redirect, stripTabs: boolean): PendingHeredoc {
    let delim = '';
    let quoted = false;
    for (const p of redirect.word.parts) {
      if (p.kind === 'lit') {
        if (p.value.includes('\\')) quoted = true;
        delim += p.value.replace(/\\(.)/g, '$1');
      } else if (p.kind === 'sgl') {
        quoted = true;
        delim += p.value;
      } else if (p.kind === 'dbl') {
        quoted = true;
        for (const q of p.parts) if (q.kind === 'lit') delim += q.value;
      } else {
        delim += this.text(p);
      }
    }
    return { redirect, delim, stripTabs, quoted };
  }

  /** Reads the bodies of here-documents whose redirect was on the line just ended. */
  private readHeredocs(): void {
    if (this.heredocs.length === 0) return;
    const pending = this.heredocs;
    this.heredocs = [];
    for (const h of pending) {
      const bodyStart = this.i;
      let j = this.i;
      for (;;) {
        if (j >= this.limit) this.fail(h.redirect.start, `unclosed here-document '${h.delim}'`);
        let e = this.src.indexOf('\n', j);
        if (e < 0 || e > this.limit) e = this.limit;
        let line = this.src.slice(j, e);
        if (line.endsWith('\r')) line = line.slice(0, -1);
        if (h.stripTabs) line = line.replace(/^\t+/, '');
        if (line === h.delim) {
          if (!h.quoted && j > bodyStart) h.redirect.hdoc = this.heredocBody(bodyStart, j);
          this.i = Math.min(e + 1, this.limit);
          break;
        }
        j = e + 1;
      }
    }
  }

  private heredocBody(start: number, end: number): Word {
    const saved = { i: this.i, limit: this.limit };
    this.i = start;
    this.limit = end;
    try {
      const parts = this.dblContent(-1);
      return { t: 'word', parts, start, end };
    } finally {
      this.i = saved.i;
      this.limit = saved.limit;
    }
  }

  // ── words ────────────────────────────────────────────────────────────────────────────────

  private word(): Word {
    this.enter(); // not restored on a throw: a syntax error abandons the parser
    const start = this.i;
    const src = this.src;
    const parts: WordPart[] = [];
    let lit = '';
    let litStart = -1;
    while (this.i < this.limit) {
      const at = this.i;
      const c = src.charCodeAt(at);
      if (isPlainWordChar(c)) {
        let j = at + 1;
        while (j < this.limit && isPlainWordChar(src.charCodeAt(j))) j++;
        if (litStart < 0) litStart = at;
        lit += src.slice(at, j);
        this.i = j;
        continue;
      }
      if ((c === Ch.Lt || c === Ch.Gt) && at === start && this.code(at + 1) === Ch.LParen) {
        parts.push(this.procSubst());
        continue;
      }
      if (c === Ch.LParen && litStart >= 0 && isExtglobChar(src.charCodeAt(at - 1))) {
        // `@(…)`, `!(…)`, `*(…)`, `+(…)`, `?(…)`: the marker was read as literal text.
        lit = lit.slice(0, -1);
        if (lit !== '') parts.push({ kind: 'lit', value: lit, start: litStart, end: at - 1 });
        lit = '';
        litStart = -1;
        this.skipBalancedParens(at);
        parts.push({ kind: 'extglob', start: at - 1, end: this.i });
        continue;
      }
      if (isWordEnd(c)) break;
      if (c === Ch.Backslash) {
        const n = this.code(at + 1);
        if (n === Ch.Nl) this.i += 2;
        else if (n === Ch.Cr && this.code(at + 2) === Ch.Nl) this.i += 3;
        else {
          if (litStart < 0) litStart = at;
          lit += src.slice(at, Math.min(at + 2, this.limit));
          this.i = Math.min(at + 2, this.limit);
        }
        continue;
      }
      const part = this.quotedOrDollar(c, at);
      if (part === undefined) {
        // A lone `$`: literal.
        if (litStart < 0) litStart = at;
        lit += '$';
        this.i++;
        continue;
      }
      if (litStart >= 0) parts.push({ kind: 'lit', value: lit, start: litStart, end: at });
      lit = '';
      litStart = -1;
      parts.push(part);
    }
    if (litStart >= 0) parts.push({ kind: 'lit', value: lit, start: litStart, end: this.i });
    if (parts.length === 0 && this.i === start) this.unexpected();
    this.leave();
    return { t: 'word', parts, start, end: this.i };
  }

  /** A quoted part or an expansion starting at `at` (a quote, backquote or `$`). */
  private quotedOrDollar(c: number, at: number): WordPart | undefined {
    if (c === Ch.Sq) return this.sglQuoted(at, at + 1);
    if (c === Ch.Dq) return this.dblQuoted(at, at + 1);
    if (c === Ch.Backtick) return this.backquote();
    const n = this.code(at + 1);
    if (n === Ch.Sq) return this.sglQuoted(at, at + 2);
    if (n === Ch.Dq) return this.dblQuoted(at, at + 2);
    return this.dollar();
  }

  private sglQuoted(start: number, contentStart: number): SglQuoted {
    const dollar = contentStart - start === 2;
    let j = contentStart;
    for (;;) {
      if (j >= this.limit) this.fail(start, "reached EOF without closing quote '");
      const c = this.src.charCodeAt(j);
      if (c === Ch.Sq) break;
      j += dollar && c === Ch.Backslash ? 2 : 1;
    }
    this.i = j + 1;
    return { kind: 'sgl', value: this.src.slice(contentStart, j), start, end: this.i };
  }

  private dblQuoted(start: number, contentStart: number): DblQuoted {
    this.i = contentStart;
    const parts = this.dblContent(Ch.Dq);
    if (this.cur() !== Ch.Dq) this.fail(start, 'reached EOF without closing quote "');
    this.i++;
    return { kind: 'dbl', parts, start, end: this.i };
  }

  /** Double-quoted content up to `close` (or the limit when close is -1, for here-documents). */
  private dblContent(close: number): WordPart[] {
    const src = this.src;
    const parts: WordPart[] = [];
    let litStart = -1;
    let lit = '';
    while (this.i < this.limit) {
      const at = this.i;
      const c = src.charCodeAt(at);
      if (c === close) break;
      if (c !== Ch.Backslash && c !== Ch.Backtick && c !== Ch.Dollar) {
        let j = at + 1;
        while (j < this.limit) {
          const d = src.charCodeAt(j);
          if (d === close || d === Ch.Backslash || d === Ch.Backtick || d === Ch.Dollar) break;
          j++;
        }
        if (litStart < 0) litStart = at;
        lit += src.slice(at, j);
        this.i = j;
        continue;
      }
      if (c === Ch.Backslash) {
        if (this.code(at + 1) === Ch.Nl) {
          this.i += 2;
          continue;
        }
        if (litStart < 0) litStart = at;
        lit += src.slice(at, Math.min(at + 2, this.limit));
        this.i = Math.min(at + 2, this.limit);
        continue;
      }
      const part = c === Ch.Backtick ? this.backquote() : this.dollar();
      if (part === undefined) {
        if (litStart < 0) litStart = at;
        lit += '$';
        this.i++;
        continue;
      }
      if (litStart >= 0) parts.push({ kind: 'lit', value: lit, start: litStart, end: at } satisfies Lit);
      lit = '';
      litStart = -1;
      parts.push(part);
    }
    if (litStart >= 0) parts.push({ kind: 'lit', value: lit, start: litStart, end: this.i } satisfies Lit);
    return parts;
  }

  /** `$(…)`, `$((…))`, `${…}`, `$name`, `$1`, `$@`…; undefined for a lone `$`. */
  private dollar(): WordPart | undefined {
    const start = this.i;
    const n = this.code(start + 1);
    if (n === Ch.LParen) {
      if (this.code(start + 2) === Ch.LParen) {
        this.skipArith(start + 1, '((');
        return { kind: 'arith', start, end: this.i };
      }
      this.enter();
      try {
        this.i = start + 2;
        const stmts = this.list([')']);
        if (this.cur() !== Ch.RParen) this.fail(start, 'reached EOF without matching $( with )');
        this.i++;
        return { kind: 'cmdsubst', stmts, start, end: this.i };
      } finally {
        this.leave();
      }
    }
    if (n === Ch.LBrace) {
      this.skipBraced(start + 1);
      return { kind: 'param', start, end: this.i };
    }
    if (isNameStart(n)) {
      let j = start + 2;
      while (isNameChar(this.code(j))) j++;
      this.i = j;
      return { kind: 'param', start, end: j };
    }
    if (isDigit(n) || (n >= 0 && '@*#?$!-'.includes(String.fromCharCode(n)))) {
      this.i = start + 2;
      return { kind: 'param', start, end: this.i };
    }
    return undefined;
  }

  /** Skips `{…}` at `at`, honouring nesting, quotes and escapes. */
  private skipBraced(at: number): void {
    this.skipBalanced(at, Ch.LBrace, Ch.RBrace, at - 1, 'reached EOF without matching ${ with }');
  }

  /** Skips `(…)` at `at`, honouring nesting, quotes and escapes. */
  private skipBalancedParens(at: number): void {
    this.skipBalanced(at, Ch.LParen, Ch.RParen, at, 'reached EOF without matching ( with )');
  }

  /** Skips a balanced `open … close` run at `at` (quotes and backslash escapes are opaque); fails at `failAt` when unclosed. */
  private skipBalanced(at: number, open: number, close: number, failAt: number, message: string): void {
    let depth = 0;
    let j = at;
    while (j < this.limit) {
      const c = this.src.charCodeAt(j);
      if (c === Ch.Backslash) j += 2;
      else if (c === Ch.Sq || c === Ch.Dq) {
        const end = this.src.indexOf(String.fromCharCode(c), j + 1);
        if (end < 0 || end >= this.limit) break;
        j = end + 1;
      } else if (c === open) {
        depth++;
        j++;
      } else if (c === close) {
        depth--;
        j++;
        if (depth === 0) {
          this.i = j;
          return;
        }
      } else j++;
    }
    this.fail(failAt, message);
  }

  private procSubst(): WordPart {
    const start = this.i;
    const op = this.cur() === Ch.Lt ? '<(' : '>(';
    this.enter();
    try {
      this.i += 2;
      const stmts = this.list([')']);
      if (this.cur() !== Ch.RParen) this.fail(start, `reached EOF without matching ${op} with )`);
      this.i++;
      return { kind: 'procsubst', op, stmts, start, end: this.i };
    } finally {
      this.leave();
    }
  }

  /** A backquoted command: its raw content is parsed in place (escaped backquotes stay literal). */
  private backquote(): WordPart {
    const start = this.i;
    let j = start + 1;
    while (j < this.limit && this.src.charCodeAt(j) !== Ch.Backtick) {
      j += this.src.charCodeAt(j) === Ch.Backslash ? 2 : 1;
    }
    if (j >= this.limit) this.fail(start, 'reached EOF without closing quote `');
    const saved = this.limit;
    this.enter();
    try {
      this.limit = j;
      this.i = start + 1;
      const stmts = this.list([]);
      if (this.i < j) this.unexpected();
      if (this.heredocs.length > 0) this.fail(start, 'here-document inside backquotes is not supported');
      this.i = j + 1;
      return { kind: 'cmdsubst', stmts, start, end: this.i };
    } finally {
      this.limit = saved;
      this.leave();
    }
  }
}
