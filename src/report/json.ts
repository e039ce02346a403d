/** The assessment as JSON (schema: src/schema/assessment.schema.json). */
import type { Assessment } from '../assessment.js';

export function renderJson(a: Assessment): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}
