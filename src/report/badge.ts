/**
 * SVG badge (`--format badge`): "slsa-scorecard | 7.4 · Build L2 · Source L1" — the aggregate score
 * and the confirmed SLSA v1.2 Build and Source levels (`<title>` has the full story, attainable
 * levels included). Flat style like shields.io: text widths come from Verdana 11px advance widths
 * (the font shields measures with), and `textLength` pins each text to its measured width, so a
 * fallback font can neither overflow nor leave gaps. White text on colours with at least 4.5:1
 * contrast; `role="img"`, `aria-label` and `<title>`; every string XML-escaped.
 */
import type { Assessment } from '../assessment.js';
import { escapeXml, oneLine } from './escape.js';
import { formatScore, frameworkShort, levelLabel } from './view.js';

/** Verdana advance widths in font units (2048/em), printable ASCII from 0x20. */
// prettier-ignore
const VERDANA = [
  720, 806, 940, 1676, 1302, 2204, 1488, 550, 1056, 1056, 1302, 1676, 720, 868, 720, 1302, // space ! " # $ % & ' ( ) * + , - . /
  1302, 1302, 1302, 1302, 1302, 1302, 1302, 1302, 1302, 1302, 868, 868, 1676, 1676, 1676, 1117, // 0-9 : ; < = > ?
  2048, 1400, 1404, 1430, 1578, 1295, 1177, 1588, 1539, 862, 941, 1423, 1151, 1727, 1532, 1612, // @ A-O
  1233, 1612, 1424, 1400, 1245, 1499, 1400, 2025, 1403, 1245, 1403, 1056, 1302, 1056, 1676, 1302, // P-Z [ \ ] ^ _
  1302, 1229, 1270, 1066, 1270, 1220, 720, 1270, 1300, 556, 677, 1198, 556, 1993, 1300, 1233, // ` a-o
  1270, 1270, 874, 1067, 807, 1300, 1198, 1675, 1198, 1198, 1051, 1300, 1056, 1300, 1676, // p-z { | } ~
];
const EXTRA: Record<string, number> = { '·': 720, '–': 1302, '—': 2048, '…': 1800, '→': 1676, '≥': 1676, '✓': 1480 };
/** Anything else (CJK, emoji…): a full em, so the badge errs on the wide side. */
const WIDE = 2048;

/** Width of `text` in px at Verdana 11px. */
export function textWidth(text: string): number {
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += code >= 0x20 && code < 0x7f ? VERDANA[code - 0x20] : (EXTRA[ch] ?? WIDE);
  }
  return (units * 11) / 2048;
}

export const BADGE_COLORS = { good: '#1a7f37', fair: '#9a6700', poor: '#cf222e', none: '#57606a', label: '#24292f' } as const;

export interface BadgeContent {
  label: string;
  message: string;
  /** Long form for `<title>` and screen readers. */
  title: string;
  grade: keyof typeof BADGE_COLORS;
}

export function badgeContent(a: Assessment): BadgeContent {
  const score = formatScore(a.score);
  const fws = (a.slsa?.frameworks ?? []).filter((f) => f.id === 'slsa-v1.2-build' || f.id === 'slsa-v1.2-source');
  const levels = fws.map((f) => `${frameworkShort(f.id)} L${f.confirmed}`);
  const message = [score === '?' ? 'score ?' : score, ...levels].join(' · ');
  const details = (a.slsa?.frameworks ?? []).map(
    (f) =>
      `${oneLine(f.name, 60)}: ${levelLabel(f, f.confirmed)} confirmed${f.attainable > f.confirmed ? `, ${levelLabel(f, f.attainable)} attainable` : ''}`,
  );
  const grade = a.score === null ? 'none' : a.score >= 8 ? 'good' : a.score >= 5 ? 'fair' : 'poor';
  const repo = a.target.repo ? `${oneLine(a.target.repo, 100)}: ` : '';
  return {
    label: a.tool.name,
    message,
    title: `${repo}${a.tool.name} score ${score} of 10${details.length ? `; ${details.join('; ')}` : ''}`,
    grade,
  };
}

export function renderBadge(a: Assessment): string {
  const c = badgeContent(a);
  return svgBadge(oneLine(c.label, 40), oneLine(c.message, 80), c.title, BADGE_COLORS[c.grade]);
}

export function svgBadge(label: string, message: string, title: string, color: string): string {
  const pad = 6;
  const lw = Math.ceil(textWidth(label)) + 2 * pad;
  const mw = Math.ceil(textWidth(message)) + 2 * pad;
  const w = lw + mw;
  const L = escapeXml(label);
  const M = escapeXml(message);
  const T = escapeXml(title);
  const text = (x: number, width: number, s: string) =>
    `<text x="${x}" y="15" fill="#010101" fill-opacity=".3" textLength="${width - 2 * pad}" aria-hidden="true">${s}</text>` +
    `<text x="${x}" y="14" textLength="${width - 2 * pad}">${s}</text>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="20" viewBox="0 0 ${w} 20" role="img" aria-label="${L}: ${M}">`,
    `<title>${T}</title>`,
    `<linearGradient id="s" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>`,
    `<clipPath id="r"><rect width="${w}" height="20" rx="3" fill="#fff"/></clipPath>`,
    `<g clip-path="url(#r)"><rect width="${lw}" height="20" fill="${BADGE_COLORS.label}"/><rect x="${lw}" width="${mw}" height="20" fill="${color}"/><rect width="${w}" height="20" fill="url(#s)"/></g>`,
    `<g fill="#fff" text-anchor="middle" font-family="Verdana,Geneva,DejaVu Sans,sans-serif" text-rendering="geometricPrecision" font-size="11">`,
    text(lw / 2, lw, L),
    text(lw + mw / 2, mw, M),
    `</g>`,
    `</svg>`,
    '',
  ].join('\n');
}
