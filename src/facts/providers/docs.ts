/**
 * Repository documents Scorecard looks at: the security policy (SECURITY.md and its variants) and
 * license files. File names follow Scorecard (checks/raw/security_policy.go, checks/raw/license.go);
 * the license text is recognised here so a local run can tell an FSF/OSI-approved license the way
 * GitHub's license API does.
 */
import { known, type Fact } from '../fact.js';
import type { FileEntry, ParseIssue } from '../model.js';
import type { FactContext } from '../store.js';
import { decode, isTextFile, pool } from './files.js';

export interface SecurityPolicyFile {
  path: string;
  /** Where the file lives when it is not in the assessed repository (the owner's `.github` repository). */
  url?: string;
  /** Size in bytes of the whole file (only its head is read when it is very large). */
  size: number;
  /** The text, or null when it could not be read (symlink, permissions…: see issues). */
  text: string | null;
  issues: ParseIssue[];
}

export type LicenseDetection = 'spdx-tag' | 'text' | 'filename' | 'api';

export interface LicenseFile {
  path: string;
  /** SPDX identifier or expression of the license, when recognised. */
  spdxId?: string;
  detectedBy?: LicenseDetection;
  /** The license is FSF-free or OSI-approved (per the SPDX license list). */
  approved: boolean;
  issues: ParseIssue[];
}

/** A SECURITY.md larger than this is judged on its head (Scorecard reads it whole; a policy is never that big). */
export const MAX_POLICY_BYTES = 1024 * 1024;
/** License texts identify themselves in their first pages. */
export const LICENSE_HEAD_BYTES = 64 * 1024;
/** A tree with more license files than this (vendored LICENSES/…) is judged on the first ones. */
const MAX_LICENSE_FILES = 20;

// ---------------------------------------------------------------------------------------------
// Security policy

/**
 * Scorecard's isSecurityPolicyFilename, in GitHub's precedence for community health files
 * (.github/, root, docs/); Scorecard itself takes whichever its listing yields first. Note the
 * asymmetry it has: `doc/` only for .rst.
 */
const POLICY_DIRS = ['.github/', '', 'docs/'];
const POLICY_EXTS = ['md', 'markdown', 'adoc', 'rst'];
export const SECURITY_POLICY_NAMES: readonly string[] = [
  ...POLICY_DIRS.flatMap((d) => POLICY_EXTS.map((e) => `${d}security.${e}`)),
  'doc/security.rst',
];
const POLICY_RANK = new Map(SECURITY_POLICY_NAMES.map((n, i) => [n, i]));

/** Rank of a path among Scorecard's policy names (case-insensitive), or undefined when it is not one. */
export function securityPolicyRank(path: string): number | undefined {
  return POLICY_RANK.get(path.toLowerCase());
}

export async function securityPolicies(ctx: FactContext): Promise<Fact<SecurityPolicyFile[]>> {
  const files = await ctx.get('files');
  if (!files.known) return files;
  const found = files.value
    .filter((f) => securityPolicyRank(f.path) !== undefined)
    .sort((a, b) => securityPolicyRank(a.path)! - securityPolicyRank(b.path)! || (a.path < b.path ? -1 : 1));
  return known(await pool(found, 8, (f) => readPolicy(ctx, f)));
}

async function readPolicy(ctx: FactContext, f: FileEntry): Promise<SecurityPolicyFile> {
  const loc = { path: f.path, line: 1, column: 1 };
  if (f.kind === 'symlink')
    return { path: f.path, size: f.size ?? 0, text: null, issues: [{ message: 'symbolic link, not followed', loc }] };
  const r = await ctx.source.readFile(f.path, { maxBytes: MAX_POLICY_BYTES, head: true });
  if (!r.ok) return { path: f.path, size: f.size ?? 0, text: null, issues: [{ message: `not read: ${r.reason}`, loc }] };
  const t = decode(f.path, r.data);
  if (!isTextFile(t)) return { path: f.path, size: r.size, text: null, issues: [t.issue] };
  const issues = [...t.issues];
  if (r.size > r.data.length) issues.push({ message: `only the first ${MAX_POLICY_BYTES} bytes of ${r.size} were read`, loc });
  return { path: f.path, size: r.size, text: t.text, issues };
}

// ---------------------------------------------------------------------------------------------
// License files

/** License-family prefixes that may precede the license word (GPL-2.0-LICENSE, MIT-COPYING, LPPL-1.3clicences). */
const LICENSE_PREFIXES =
  '0bsd|afl|agpl|apache|apsl|artistic|blueoak|boost|bsd|bsl|cc0|cc|cddl|cecill|cpal|cpl|ecl|efl|epl|eupl|fdl|gfdl|gpl|' +
  'hpnd|isc|lgpl|lppl|mit|mpl|ms-?pl|ms-?rl|mulan(?:psl)?|ncsa|odbl|ofl|osl|php|postgresql|psf|python|ruby|sil|' +
  'unicode|upl|vim|w3c|wtfpl|x11|zlib|zpl';
const LICENSE_CORE = '(?:un)?licen[sc]es?|copy(?:ing|right)s?|patents';
/**
 * A top-level license file name (lowercased): an optional license-family prefix, the license word,
 * then anything but whitespace (LICENSE-MIT, LICENSE_RELEASE, LICENSETEXT.md, license-CC-BY-4.0.xml).
 */
const LICENSE_NAME = new RegExp(`^(?:(?:${LICENSE_PREFIXES})[a-z0-9.+_-]*?[-_.]?)?(?:${LICENSE_CORE})[^\\s/]*$`);
/** Extensions that make a license-looking name configuration or code (license.yaml, .licenserc.yaml, license.go). */
const NOT_LICENSE_EXTS = new Set([
  'yaml',
  'yml',
  'json',
  'json5',
  'toml',
  'ini',
  'cfg',
  'conf',
  'lock',
  'js',
  'mjs',
  'cjs',
  'ts',
  'tsx',
  'jsx',
  'py',
  'rb',
  'go',
  'java',
  'kt',
  'rs',
  'c',
  'h',
  'cc',
  'cpp',
  'hpp',
  'cs',
  'php',
  'sh',
  'bash',
  'ps1',
  'swift',
  'scala',
  'gradle',
  'sql',
  'css',
  'scss',
  'png',
  'jpg',
  'jpeg',
  'gif',
  'svg',
  'ico',
]);

/** Whether a path is a license file: a top-level license-named file, or any file directly in LICENSES/ (REUSE). */
export function isLicensePath(path: string): boolean {
  if (/^licenses\/[^/]+$/i.test(path)) return true;
  if (path.includes('/')) return false;
  const name = path.toLowerCase();
  if (!LICENSE_NAME.test(name)) return false;
  const dot = name.lastIndexOf('.');
  return dot < 0 || !NOT_LICENSE_EXTS.has(name.slice(dot + 1));
}

/** Order in which license files are presented: LICENSE before COPYING before COPYRIGHT/PATENTS, top level before LICENSES/. */
function licenseRank(path: string): number {
  const name = path.toLowerCase();
  const dir = name.includes('/') ? 100 : 0;
  const kind = /licen[sc]e/.test(name) ? 0 : /copying/.test(name) ? 1 : /copyright/.test(name) ? 2 : 3;
  const bare = /^(?:un)?licen[sc]es?(?:\.(?:md|markdown|txt|rst|adoc|html))?$|^copying(?:\.\w+)?$/.test(name) ? 0 : 10;
  return dir + bare + kind;
}

export async function licenseFiles(ctx: FactContext): Promise<Fact<LicenseFile[]>> {
  const files = await ctx.get('files');
  if (!files.known) return files;
  const found = files.value
    .filter((f) => isLicensePath(f.path))
    .sort((a, b) => licenseRank(a.path) - licenseRank(b.path) || (a.path < b.path ? -1 : 1))
    .slice(0, MAX_LICENSE_FILES);
  return known(await pool(found, 8, (f) => readLicense(ctx, f)));
}

async function readLicense(ctx: FactContext, f: FileEntry): Promise<LicenseFile> {
  const loc = { path: f.path, line: 1, column: 1 };
  const issues: ParseIssue[] = [];
  let text: string | undefined;
  if (f.kind === 'symlink') issues.push({ message: 'symbolic link, not followed', loc });
  else {
    const r = await ctx.source.readFile(f.path, { maxBytes: LICENSE_HEAD_BYTES, head: true });
    if (!r.ok) issues.push({ message: `not read: ${r.reason}`, loc });
    else {
      const t = decode(f.path, r.data);
      if (isTextFile(t)) text = t.text;
      else issues.push(t.issue);
    }
  }
  const id = (text !== undefined ? licenseFromText(text) : undefined) ?? licenseFromFilename(f.path);
  return id
    ? { path: f.path, spdxId: id.spdxId, detectedBy: id.by, approved: isApprovedExpression(id.spdxId), issues }
    : { path: f.path, approved: false, issues };
}

// ---------------------------------------------------------------------------------------------
// License recognition

/**
 * SPDX ids that are OSI-approved or FSF-free (SPDX license list `isOsiApproved` / `isFsfLibre`),
 * including the deprecated bare GPL-family ids GitHub's license API still returns.
 */
const APPROVED = [
  '0BSD',
  'AAL',
  'AFL-1.1',
  'AFL-1.2',
  'AFL-2.0',
  'AFL-2.1',
  'AFL-3.0',
  'AGPL-1.0',
  'AGPL-3.0',
  'AGPL-3.0-only',
  'AGPL-3.0-or-later',
  'Apache-1.0',
  'Apache-1.1',
  'Apache-2.0',
  'APL-1.0',
  'APSL-1.0',
  'APSL-1.1',
  'APSL-1.2',
  'APSL-2.0',
  'Artistic-1.0',
  'Artistic-1.0-cl8',
  'Artistic-1.0-Perl',
  'Artistic-2.0',
  'BitTorrent-1.1',
  'BlueOak-1.0.0',
  'BSD-1-Clause',
  'BSD-2-Clause',
  'BSD-2-Clause-Patent',
  'BSD-3-Clause',
  'BSD-3-Clause-Clear',
  'BSD-3-Clause-LBNL',
  'BSD-4-Clause',
  'BSL-1.0',
  'CAL-1.0',
  'CAL-1.0-Combined-Work-Exception',
  'CATOSL-1.1',
  'CC-BY-4.0',
  'CC-BY-SA-4.0',
  'CC0-1.0',
  'CDDL-1.0',
  'CECILL-2.0',
  'CECILL-2.1',
  'CECILL-B',
  'CECILL-C',
  'CERN-OHL-P-2.0',
  'CERN-OHL-S-2.0',
  'CERN-OHL-W-2.0',
  'ClArtistic',
  'CNRI-Python',
  'Condor-1.1',
  'CPAL-1.0',
  'CPL-1.0',
  'CUA-OPL-1.0',
  'ECL-1.0',
  'ECL-2.0',
  'eCos-2.0',
  'EFL-1.0',
  'EFL-2.0',
  'Entessa',
  'EPL-1.0',
  'EPL-2.0',
  'EUDatagrid',
  'EUPL-1.1',
  'EUPL-1.2',
  'Fair',
  'Frameworx-1.0',
  'FTL',
  'GFDL-1.1',
  'GFDL-1.1-only',
  'GFDL-1.1-or-later',
  'GFDL-1.2',
  'GFDL-1.2-only',
  'GFDL-1.2-or-later',
  'GFDL-1.3',
  'GFDL-1.3-only',
  'GFDL-1.3-or-later',
  'GPL-2.0',
  'GPL-2.0-only',
  'GPL-2.0-or-later',
  'GPL-3.0',
  'GPL-3.0-only',
  'GPL-3.0-or-later',
  'HPND',
  'iMatix',
  'IJG',
  'Imlib2',
  'Intel',
  'IPA',
  'IPL-1.0',
  'ISC',
  'Jam',
  'LGPL-2.0',
  'LGPL-2.0-only',
  'LGPL-2.0-or-later',
  'LGPL-2.1',
  'LGPL-2.1-only',
  'LGPL-2.1-or-later',
  'LGPL-3.0',
  'LGPL-3.0-only',
  'LGPL-3.0-or-later',
  'LiLiQ-P-1.1',
  'LiLiQ-R-1.1',
  'LiLiQ-Rplus-1.1',
  'LPL-1.0',
  'LPL-1.02',
  'LPPL-1.2',
  'LPPL-1.3a',
  'LPPL-1.3c',
  'MirOS',
  'MIT',
  'MIT-0',
  'MIT-Modern-Variant',
  'Motosoto',
  'MPL-1.0',
  'MPL-1.1',
  'MPL-2.0',
  'MPL-2.0-no-copyleft-exception',
  'MS-PL',
  'MS-RL',
  'MulanPSL-2.0',
  'Multics',
  'NASA-1.3',
  'Naumen',
  'NCSA',
  'NGPL',
  'Nokia',
  'NOSL',
  'NPL-1.0',
  'NPL-1.1',
  'NPOSL-3.0',
  'NTP',
  'OCLC-2.0',
  'ODbL-1.0',
  'OFL-1.0',
  'OFL-1.1',
  'OFL-1.1-no-RFN',
  'OFL-1.1-RFN',
  'OGTSL',
  'OLDAP-2.3',
  'OLDAP-2.7',
  'OLDAP-2.8',
  'OpenSSL',
  'OSET-PL-2.1',
  'OSL-1.0',
  'OSL-1.1',
  'OSL-2.0',
  'OSL-2.1',
  'OSL-3.0',
  'PHP-3.0',
  'PHP-3.01',
  'PostgreSQL',
  'Python-2.0',
  'Python-2.0.1',
  'QPL-1.0',
  'RPL-1.1',
  'RPL-1.5',
  'RPSL-1.0',
  'RSCPL',
  'Ruby',
  'SGI-B-2.0',
  'SimPL-2.0',
  'SISSL',
  'Sleepycat',
  'SMLNJ',
  'SPL-1.0',
  'StandardML-NJ',
  'UCL-1.0',
  'Unicode-3.0',
  'Unicode-DFS-2016',
  'Unlicense',
  'UPL-1.0',
  'Vim',
  'VSL-1.0',
  'W3C',
  'Watcom-1.0',
  'WTFPL',
  'X11',
  'XFree86-1.1',
  'Xnet',
  'xinetd',
  'YPL-1.1',
  'Zend-2.0',
  'Zimbra-1.3',
  'Zlib',
  'ZPL-2.0',
  'ZPL-2.1',
];
/** Recognised ids that are neither OSI-approved nor FSF-free. */
const NOT_APPROVED = [
  'CC-BY-NC-4.0',
  'CC-BY-ND-4.0',
  'CC-BY-NC-SA-4.0',
  'CC-BY-NC-ND-4.0',
  'CC-BY-3.0',
  'CC-BY-SA-3.0',
  'BUSL-1.1',
  'Elastic-2.0',
  'SSPL-1.0',
  'PolyForm-Noncommercial-1.0.0',
  'JSON',
  'GPL-1.0',
  'GPL-1.0-only',
  'GPL-1.0-or-later',
];
const APPROVED_CI = new Map(APPROVED.map((id) => [id.toLowerCase(), id]));
const KNOWN_CI = new Map([...APPROVED, ...NOT_APPROVED].map((id) => [id.toLowerCase(), id]));

export function isApprovedLicense(spdxId: string): boolean {
  return APPROVED_CI.has(spdxId.trim().replace(/\+$/, '').toLowerCase());
}

/** An SPDX expression is approved when some OR-alternative has every AND-part approved (exceptions ignored). */
export function isApprovedExpression(expr: string): boolean {
  const alternatives = expr.replace(/[()]/g, ' ').split(/\s+or\s+/i);
  return alternatives.some((alt) =>
    alt
      .split(/\s+and\s+/i)
      .map((part) => part.split(/\s+with\s+/i)[0].trim())
      .every((id) => id !== '' && isApprovedLicense(id)),
  );
}

/** Text signatures, most specific first (LGPL/AGPL texts mention the GPL; GPL-3.0 mentions the AGPL). */
const SIGNATURES: Array<[string, RegExp[]]> = [
  ['AGPL-3.0', [/gnu affero general public license version 3, 19 november 2007/]],
  ['LGPL-3.0', [/gnu lesser general public license version 3, 29 june 2007/]],
  ['LGPL-2.1', [/gnu lesser general public license version 2\.1, february 1999/]],
  ['LGPL-2.0', [/gnu library general public license version 2, june 1991/]],
  ['GPL-3.0', [/gnu general public license version 3, 29 june 2007/]],
  ['GPL-2.0', [/gnu general public license version 2, june 1991/]],
  ['AGPL-3.0-or-later', [/gnu affero general public license as published by the free software foundation, either version 3/]],
  ['LGPL-3.0-or-later', [/gnu lesser general public license as published by the free software foundation, either version 3/]],
  ['GPL-3.0-or-later', [/gnu general public license as published by the free software foundation, either version 3/]],
  ['GPL-2.0-or-later', [/gnu general public license as published by the free software foundation; either version 2/]],
  ['Apache-2.0', [/apache license,? version 2\.0/]],
  ['MPL-2.0', [/mozilla public license,? (?:version|v\.?) ?2\.0/]],
  ['EPL-2.0', [/eclipse public license -? ?v(?:ersion)? ?2\.0/]],
  ['EPL-1.0', [/eclipse public license -? ?v(?:ersion)? ?1\.0/]],
  ['EUPL-1.2', [/european union public licen[cs]e v(?:\.|ersion)? ?1\.2/]],
  ['EUPL-1.1', [/european union public licen[cs]e v(?:\.|ersion)? ?1\.1/]],
  ['BSL-1.0', [/boost software license -? ?version 1\.0/]],
  ['CDDL-1.0', [/common development and distribution license \(cddl\) version 1\.0/]],
  ['Artistic-2.0', [/the artistic license 2\.0/]],
  ['Unlicense', [/this is free and unencumbered software released into the public domain/]],
  ['CC0-1.0', [/cc0 1\.0 universal/]],
  ['CC-BY-SA-4.0', [/creative commons attribution-sharealike 4\.0 international/]],
  ['CC-BY-NC-4.0', [/creative commons attribution-noncommercial(?:-\w+)? 4\.0 international/]],
  ['CC-BY-ND-4.0', [/creative commons attribution-noderivatives 4\.0 international/]],
  ['CC-BY-4.0', [/creative commons attribution 4\.0 international/]],
  ['WTFPL', [/do what the fuck you want to public license/]],
  ['UPL-1.0', [/universal permissive license \(upl\),? version 1\.0/]],
  ['BlueOak-1.0.0', [/blue oak model license/, /version 1\.0\.0/]],
  ['OFL-1.1', [/sil open font license,? version 1\.1/]],
  ['LPPL-1.3c', [/latex project public license/, /lppl version 1\.3c/]],
  ['GFDL-1.3', [/gnu free documentation license version 1\.3/]],
  ['Zlib', [/provided as-is, without any express or implied warranty/, /altered source versions must be plainly marked as such/]],
  ['BUSL-1.1', [/business source license 1\.1/]],
  ['SSPL-1.0', [/server side public license version 1/]],
  ['Elastic-2.0', [/elastic license 2\.0/]],
];

const MIT_GRANT = /permission is hereby granted, free of charge, to any person obtaining a copy/;
const MIT_NOTICE = /the above copyright notice and this permission notice shall be included/;
const ISC_GRANT =
  /permission to use, copy, modify,? and\/?or distribute this software for any purpose with or without fee is hereby granted/;
const ISC_NOTICE = /provided that the above copyright notice and this permission notice appear in all copies/;
const BSD_GRANT = /redistribution and use in source and binary forms, with or without modification, are permitted provided that/;
const BSD_ADVERTISING = /all advertising materials mentioning features or use of this software must display/;
const BSD_ENDORSE = /neither the name|names? of (?:its|the|their) contributors may (?:not )?be used|may be used to endorse or promote/;
const SPDX_TAG = /SPDX-License-Identifier:[ \t]*([^\r\n]+)/i;

/** Lowercased, quote- and markup-free, single-spaced text, so wording is compared and layout is not. */
export function normalizeLicenseText(text: string): string {
  return text
    .toLowerCase()
    .replace(/[\u2018\u2019\u201c\u201d"'`*_#>|]/g, ' ')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ');
}

/** The license a text states: its SPDX tag, else a known text's signature. */
export function licenseFromText(text: string): { spdxId: string; by: LicenseDetection } | undefined {
  const tag = SPDX_TAG.exec(text)?.[1]
    .replace(/\*\/.*$|-->.*$/, '')
    .trim();
  if (tag) return { spdxId: tag, by: 'spdx-tag' };
  const t = normalizeLicenseText(text);
  for (const [id, res] of SIGNATURES) if (res.every((re) => re.test(t))) return { spdxId: id, by: 'text' };
  if (MIT_GRANT.test(t)) return { spdxId: MIT_NOTICE.test(t) ? 'MIT' : 'MIT-0', by: 'text' };
  if (ISC_GRANT.test(t)) return { spdxId: ISC_NOTICE.test(t) ? 'ISC' : '0BSD', by: 'text' };
  if (BSD_GRANT.test(t)) {
    const id = BSD_ADVERTISING.test(t) ? 'BSD-4-Clause' : BSD_ENDORSE.test(t) ? 'BSD-3-Clause' : 'BSD-2-Clause';
    return { spdxId: id, by: 'text' };
  }
  return undefined;
}

/** An SPDX id spelled in the file name: LICENSES/Apache-2.0.txt, GPL-2.0-LICENSE, LICENSE-MIT. */
export function licenseFromFilename(path: string): { spdxId: string; by: LicenseDetection } | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const candidates: string[] = [];
  if (/^licenses\//i.test(path)) candidates.push(name.replace(/\.(?:txt|md|markdown|rst|adoc|html)$/i, ''));
  else {
    const core = new RegExp(LICENSE_CORE, 'i').exec(name);
    if (core) {
      candidates.push(name.slice(0, core.index).replace(/[-_.]+$/, ''));
      candidates.push(
        name
          .slice(core.index + core[0].length)
          .replace(/^[-_.]+/, '')
          .replace(/\.(?:txt|md|markdown|rst|adoc|html|xml)$/i, ''),
      );
    }
  }
  for (const c of candidates) {
    const id = KNOWN_CI.get(c.toLowerCase());
    if (id) return { spdxId: id, by: 'filename' };
  }
  return undefined;
}
