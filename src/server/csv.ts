// One CSV cell (RFC 4180) that a spreadsheet shows as text, never runs: values from devices and
// people (field names, string samples, twin names) may start like a formula.

/** Characters that make Excel, LibreOffice or Sheets read a cell as a formula (OWASP CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * The cell for `value`: numbers and booleans as they are (a negative number stays a number), text
 * that could start a formula behind a single quote, and quoted when it holds a comma, quote or line break.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  let text = String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
