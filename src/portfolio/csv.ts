/**
 * CSV (RFC 4180): CRLF line ends, a field is quoted when it holds `"`, `,`, CR or LF, and quotes
 * inside are doubled. Spreadsheet formula injection: a text cell starting with `=`, `+`, `-`, `@`,
 * tab or CR is prefixed with `'`, so Excel / LibreOffice / Sheets show it as text instead of
 * evaluating it (OWASP "CSV Injection"); so is one where such a character follows leading spaces. Numbers are written as numbers.
 */
import { cleanText } from '../report/escape.js';

export type Cell = string | number | null | undefined;

export function csvCell(v: Cell): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = cleanText(v);
  if (/^[\s]*[=+\-@]/.test(s) || /^[\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvRow(cells: Cell[]): string {
  return `${cells.map(csvCell).join(',')}\r\n`;
}
