/** The requirement tables, in report order. */
import type { FrameworkSpec } from '../model.js';
import { v01 } from './v0.1.js';
import { v12Build } from './v1.2-build.js';
import { v12Source } from './v1.2-source.js';

export const FRAMEWORKS: readonly FrameworkSpec[] = [v12Build, v12Source, v01];

export { v01, v12Build, v12Source };
