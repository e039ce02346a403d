/**
 * shields.io endpoint JSON (`--format shields`, e.g. `-o slsa-scorecard.shields.json`): host the
 * file anywhere public and point https://img.shields.io/endpoint?url=<its URL> at it. Same label,
 * message and colour as the SVG badge (https://shields.io/badges/endpoint-badge).
 */
import type { Assessment } from '../assessment.js';
import { badgeContent } from './badge.js';
import { oneLine } from './escape.js';

const NAMED: Record<string, string> = { good: 'green', fair: 'yellow', poor: 'red', none: 'lightgrey' };

export function renderShields(a: Assessment): string {
  const c = badgeContent(a);
  return `${JSON.stringify({ schemaVersion: 1, label: oneLine(c.label, 40), message: oneLine(c.message, 80), color: NAMED[c.grade] }, null, 2)}\n`;
}
