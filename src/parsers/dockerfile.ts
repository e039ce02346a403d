/**
 * Dockerfiles: the instructions that matter for supply-chain checks — FROM (with ARG defaults and
 * multi-stage names resolved) and RUN (its shell text, mapped back to file lines).
 */
import type { Location, ParseIssue } from '../facts/model.js';

export interface FromInstruction {
  /** The image as written, e.g. `${BASE}` or `node:20 AS build`'s `node:20`. */
  raw: string;
  /** After ARG substitution; undefined when an ARG has no default. */
  image?: string;
  stageName?: string;
  /** Refers to an earlier build stage (not a registry image). */
  isStage: boolean;
  loc: Location;
}

export interface RunInstruction {
  /** The shell text (continuations joined with newlines so lines map back); '' for an exec form that runs a program directly. */
  script: string;
  /** Exec form `RUN ["/bin/sh","-c","..."]` is analysed as its -c argument; other exec forms are not shell (see `argv`). */
  execForm: boolean;
  /** The JSON array of an exec form. */
  argv?: string[];
  loc: Location;
  /** File line (1-based) of each script line. */
  lineMap: number[];
  /** Shell form: file column (1-based) where the script's first line starts (after `RUN` and its flags). */
  column?: number;
}

export interface Dockerfile {
  path: string;
  froms: FromInstruction[];
  runs: RunInstruction[];
  issues: ParseIssue[];
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
  column: number;
  /** File column (1-based) where the arguments start on the first line. */
  argColumn: number;
  /** Physical lines of the arguments (continuations kept apart) and their file lines. */
  argLines: string[];
  argLineNos: number[];
}

export const DOCKERFILE_PATH = /(^|\/)(dockerfile[^/]*|[^/]*\.dockerfile|containerfile[^/]*)$/i;

export function parseDockerfile(path: string, text: string): Dockerfile {
  const df: Dockerfile = { path, froms: [], runs: [], issues: [] };
  const args = new Map<string, string | undefined>();
  const stages = new Set<string>();
  for (const ins of instructions(text)) {
    const loc = { path, line: ins.line, column: ins.column };
    switch (ins.keyword) {
      case 'ARG': {
        // `ARG NAME=default` (several per line allowed); later ARGs override earlier defaults.
        for (const tok of splitWords(ins.args)) {
          const eq = tok.indexOf('=');
          const name = eq < 0 ? tok : tok.slice(0, eq);
          const val = eq < 0 ? undefined : unquote(tok.slice(eq + 1));
          if (eq >= 0 || !args.has(name)) args.set(name, val);
        }
        break;
      }
      case 'FROM': {
        const words = splitWords(ins.args).filter((w) => !w.startsWith('--'));
        if (words.length === 0) {
          df.issues.push({ message: 'FROM without an image', loc });
          break;
        }
        const raw = words[0];
        const asIdx = words.findIndex((w) => w.toLowerCase() === 'as');
        const stageName = asIdx > 0 ? words[asIdx + 1] : undefined;
        const image = substitute(raw, args);
        const isStage = image !== undefined && stages.has(image.toLowerCase());
        df.froms.push({ raw, image, stageName, isStage, loc });
        if (stageName) stages.add(stageName.toLowerCase());
        break;
      }
      case 'RUN': {
        const run = runInstruction(ins, loc);
        if (run) df.runs.push(run);
        break;
      }
    }
  }
  return df;
}

function runInstruction(ins: Instruction, loc: Location): RunInstruction | undefined {
  // Drop RUN flags (--mount=…, --network=…) from the first line only.
  const flags = /^(\s*--\S+\s*)+/.exec(ins.argLines[0] ?? '')?.[0].length ?? 0;
  const first = ins.argLines[0]?.slice(flags) ?? '';
  const lines = [first, ...ins.argLines.slice(1)];
  const joined = lines.join('\n').trim();
  if (joined.startsWith('[')) {
    try {
      const argv = JSON.parse(lines.join(' ')) as unknown;
      if (Array.isArray(argv) && argv.every((a) => typeof a === 'string')) {
        const c = argv.indexOf('-c');
        if (c > 0 && /(^|\/)(ba|da|z|k)?sh$/.test(argv[0]) && argv[c + 1] !== undefined) {
          return { script: argv[c + 1], execForm: true, argv, loc, lineMap: [ins.line] };
        }
        return { script: '', execForm: true, argv, loc, lineMap: [ins.line] }; // runs argv[0] directly, no shell
      }
    } catch {
      // Not JSON: Docker runs it as shell form.
    }
  }
  return { script: lines.join('\n'), execForm: false, loc, lineMap: ins.argLineNos, column: ins.argColumn + flags };
}

/** Logical instructions: comments skipped, `\` continuations joined (comment lines inside them dropped). */
function* instructions(text: string): Generator<Instruction> {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const trimmed = line.trimStart();
    if (i === 0 || /^#\s*escape\s*=/.test(trimmed)) {
      const m = /^#\s*escape\s*=\s*([\\`])/i.exec(trimmed);
      if (m) escape = m[1];
    }
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const m = /^([A-Za-z]+)(\s+|$)/.exec(trimmed);
    if (!m) continue;
    const column = line.length - trimmed.length + 1;
    const startLine = i + 1;
    const keyword = m[1].toUpperCase();
    const argLines: string[] = [];
    const argLineNos: number[] = [];
    let cur = trimmed.slice(m[0].length);
    let lineNo = i + 1;
    for (;;) {
      const cont = cur.trimEnd().endsWith(escape);
      argLines.push(cont ? cur.trimEnd().slice(0, -1) : cur);
      argLineNos.push(lineNo);
      if (!cont || i + 1 >= lines.length) break;
      // Continuation: skip comment-only and empty lines inside it (Docker does).
      do {
        i++;
      } while (i + 1 < lines.length && /^\s*(#.*)?$/.test(lines[i]));
      cur = lines[i];
      lineNo = i + 1;
    }
    yield { keyword, args: argLines.join(' '), line: startLine, column, argColumn: column + m[0].length, argLines, argLineNos };
  }
}

function splitWords(s: string): string[] {
  return s.trim().split(/\s+/).filter(Boolean);
}

function unquote(s: string): string {
  return s.replace(/^(["'])(.*)\1$/, '$2');
}

/** `${VAR}`, `$VAR`, `${VAR:-default}`; undefined when a variable has no value. */
function substitute(raw: string, args: Map<string, string | undefined>): string | undefined {
  let missing = false;
  const out = raw.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (_m, a, def, b) => {
    const name = (a ?? b) as string;
    const v = args.get(name);
    if (v !== undefined && v !== '') return v;
    if (def !== undefined) return def as string;
    missing = true;
    return '';
  });
  return missing ? undefined : out;
}
