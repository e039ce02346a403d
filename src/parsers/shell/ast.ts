/**
 * A small shell AST, shaped like the parts of mvdan.cc/sh's syntax tree that Scorecard's
 * Pinned-Dependencies analysis looks at. Offsets are UTF-16 indexes into the parsed text.
 */

export interface Span {
  start: number;
  /** Exclusive. */
  end: number;
}

/** Unquoted literal text, as written (backslash escapes kept, `\<newline>` dropped) — like mvdan's Lit. */
export interface Lit extends Span {
  kind: 'lit';
  value: string;
}
/** `'…'` or `$'…'`: the raw content between the quotes. */
export interface SglQuoted extends Span {
  kind: 'sgl';
  value: string;
}
export interface DblQuoted extends Span {
  kind: 'dbl';
  parts: WordPart[];
}
/** `$x`, `${…}`: opaque. */
export interface ParamExp extends Span {
  kind: 'param';
}
/** `$(…)` or a backquoted command. */
export interface CmdSubst extends Span {
  kind: 'cmdsubst';
  stmts: Stmt[];
}
/** `<(…)` or `>(…)`. */
export interface ProcSubst extends Span {
  kind: 'procsubst';
  op: '<(' | '>(';
  stmts: Stmt[];
}
/** `$((…))`, extglob `@(…)`: opaque. */
export interface Opaque extends Span {
  kind: 'arith' | 'extglob';
}

export type WordPart = Lit | SglQuoted | DblQuoted | ParamExp | CmdSubst | ProcSubst | Opaque;

export interface Word extends Span {
  t: 'word';
  parts: WordPart[];
}

export interface Redirect extends Span {
  /** `>`, `>>`, `<`, `<<`, `<<-`, `<<<`, `>&`, `<&`, `&>`, `&>>`, `>|`, `<>`. */
  op: string;
  /** The file descriptor written before the operator (`2>`), if any. */
  n?: string;
  word: Word;
  /** Here-document body (unquoted delimiters only: its substitutions are parsed). */
  hdoc?: Word;
}

export interface Assign extends Span {
  t: 'assign';
  name: string;
  value?: Word;
  array?: Word[];
}

export interface Stmt extends Span {
  t: 'stmt';
  /** Undefined for a statement made only of redirects (`> file`). */
  cmd?: Command;
  redirs: Redirect[];
}

/** A simple command — mvdan's CallExpr. */
export interface CallExpr extends Span {
  kind: 'call';
  assigns: Assign[];
  args: Word[];
}

/**
 * `a | b | c` — mvdan builds left-associative BinaryCmds ((a|b)|c); kept flat here so long
 * chains cannot exhaust the stack. `ops[i]` joins `stmts[i]` and `stmts[i+1]`.
 */
export interface Pipeline extends Span {
  kind: 'pipeline';
  stmts: Stmt[];
  ops: string[];
}

/** `a && b || c`, flat for the same reason. */
export interface AndOr extends Span {
  kind: 'andor';
  stmts: Stmt[];
  ops: string[];
}

/**
 * Everything else (if, while, for, case, subshell, block, function, [[ ]], (( )), time, coproc,
 * declarations, let): children in source order, which is also mvdan's walk order.
 */
export interface Compound extends Span {
  kind: 'compound';
  keyword: string;
  children: Array<Stmt | Word | Assign>;
}

export type Command = CallExpr | Pipeline | AndOr | Compound;
