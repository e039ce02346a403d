/** SVG badge and shields.io endpoint JSON: content, well-formedness, accessibility, text widths, contrast. */
import { describe, expect, it } from 'vitest';
import { BADGE_COLORS, renderBadge, svgBadge, textWidth } from '../../src/report/badge.js';
import { renderShields } from '../../src/report/shields.js';
import { inferFormat } from '../../src/report/index.js';
import { realistic } from './fixtures.js';
import { checkXml } from './xml.js';

/** WCAG 2 contrast ratio. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5]
      .map((i) => parseInt(hex.slice(i, i + 2), 16) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

describe('SVG badge', () => {
  it('score and confirmed SLSA levels; title and aria-label for screen readers; well-formed', () => {
    const svg = renderBadge(realistic());
    checkXml(svg);
    expect(svg).toMatch(
      /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="20" viewBox="0 0 \d+ 20" role="img" aria-label="slsa-scorecard: 6\.4 · Build L1 · Source L1">/,
    );
    expect(svg).toContain(
      '<title>acme/widget: slsa-scorecard score 6.4 of 10; SLSA v1.2 Build track: L1 confirmed, L2 attainable; SLSA v1.2 Source track: L1 confirmed, L4 attainable; SLSA v0.1: none confirmed, L2 attainable</title>',
    );
    expect(svg).toContain(`fill="${BADGE_COLORS.fair}"`);
  });

  it('widths come from Verdana 11px metrics and textLength pins them, so text never overflows', () => {
    expect(textWidth('slsa-scorecard')).toBeCloseTo(78.4, 0);
    expect(textWidth('W')).toBeGreaterThan(textWidth('i') * 3);
    expect(textWidth('界')).toBe(11);
    const svg = svgBadge('label', 'a much longer message · Build L3', 't', BADGE_COLORS.good);
    const widths = [...svg.matchAll(/<rect (?:x="\d+(?:\.\d+)?" )?width="(\d+)"/g)].map((m) => Number(m[1]));
    const [clip, lw, mw, total] = widths;
    expect(clip).toBe(total);
    expect(total).toBe(lw + mw);
    expect(mw).toBeGreaterThanOrEqual(Math.ceil(textWidth('a much longer message · Build L3')) + 12);
    for (const m of svg.matchAll(/textLength="(\d+)"/g)) expect(Number(m[1])).toBeGreaterThan(0);
  });

  it('white text has at least 4.5:1 contrast on every colour', () => {
    for (const c of Object.values(BADGE_COLORS)) expect(contrast('#ffffff', c), c).toBeGreaterThanOrEqual(4.5);
  });

  it('without SLSA results or a score it still says what it knows', () => {
    const svg = renderBadge(realistic({ slsa: undefined, score: null }));
    checkXml(svg);
    expect(svg).toContain('aria-label="slsa-scorecard: score ?"');
    expect(svg).toContain(`fill="${BADGE_COLORS.none}"`);
  });
});

describe('shields.io endpoint JSON', () => {
  it('schemaVersion 1 with label, message and a named colour', () => {
    expect(JSON.parse(renderShields(realistic()))).toEqual({
      schemaVersion: 1,
      label: 'slsa-scorecard',
      message: '6.4 · Build L1 · Source L1',
      color: 'yellow',
    });
    expect(JSON.parse(renderShields(realistic({ score: 9.1 }))).color).toBe('green');
    expect(JSON.parse(renderShields(realistic({ score: 2 }))).color).toBe('red');
    expect(JSON.parse(renderShields(realistic({ score: null, slsa: undefined })))).toEqual({
      schemaVersion: 1,
      label: 'slsa-scorecard',
      message: 'score ?',
      color: 'lightgrey',
    });
  });
});

describe('-o FILE picks the format from the longest matching extension', () => {
  it.each([
    ['report.md', 'md'],
    ['REPORT.MARKDOWN', 'md'],
    ['r.html', 'html'],
    ['r.htm', 'html'],
    ['r.sarif', 'sarif'],
    ['r.sarif.json', 'sarif'],
    ['badge.svg', 'badge'],
    ['x.shields.json', 'shields'],
    ['x.json', 'json'],
    ['x.txt', 'table'],
    ['x.pdf', undefined],
  ])('%s → %s', (file, format) => expect(inferFormat(file)).toBe(format));
});
