// Rows in PostgreSQL's COPY text format: tab-separated, \N for NULL, and backslash escapes for the four
// characters that would otherwise end a field or a row (https://www.postgresql.org/docs/current/sql-copy.html).
// NUL cannot be represented at all; byte-guard.ts refuses files containing it before they get here.

const SPECIAL = /[\\\t\n\r]/;
const SPECIAL_ALL = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

export function copyText(value: string): string {
  // Most cells need no escaping; test first so they are not copied by replace().
  return SPECIAL.test(value) ? value.replace(SPECIAL_ALL, (c) => ESCAPES[c]!) : value;
}

export function copyNullable(value: string | null): string {
  return value === null ? "\\N" : copyText(value);
}

/** One JSON value as a COPY field: JSON.stringify already escapes control characters, only backslashes remain. */
export function copyJson(value: unknown): string {
  const json = JSON.stringify(value);
  return json.includes("\\") ? json.replaceAll("\\", "\\\\") : json;
}
