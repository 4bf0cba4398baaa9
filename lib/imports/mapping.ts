// Which column holds what, guessed from the header row so the upload form can pre-fill its choices.
// Pure and browser-safe.
import type { ColumnMapping } from "./schema";

export type GuessedMapping = Partial<ColumnMapping> & {
  /** Every column that is not phone, name or timezone; each becomes a per-lead variable. */
  variables: string[];
};

// In order of preference: "phone" beats "mobile" beats the vaguer "number" when a file has several.
const PHONE = [
  "phone", "phonenumber", "phoneno", "mobile", "mobilenumber", "mobilephone", "cell", "cellphone", "cellnumber",
  "telephone", "telephonenumber", "tel", "telefon", "telefono", "telefone", "handy", "celular", "number", "msisdn",
];
const NAME = ["name", "fullname", "contactname", "customername", "firstname", "givenname"];
const TIMEZONE = ["timezone", "tz"];

export function guessMapping(headers: readonly string[]): GuessedMapping {
  const keys = headers.map(normaliseHeader);
  const phoneColumn = pick(headers, keys, PHONE, []);
  const nameColumn = pick(headers, keys, NAME, [phoneColumn]);
  const timezoneColumn = pick(headers, keys, TIMEZONE, [phoneColumn, nameColumn]);
  const mapping = { phoneColumn, nameColumn, timezoneColumn };
  return {
    ...(phoneColumn !== undefined && { phoneColumn }),
    ...(nameColumn !== undefined && { nameColumn }),
    ...(timezoneColumn !== undefined && { timezoneColumn }),
    variables: variableColumns(headers, mapping),
  };
}

/** The columns that become variables once phone, name and timezone are taken. */
export function variableColumns(headers: readonly string[], mapping: Partial<ColumnMapping>): string[] {
  const taken = new Set([mapping.phoneColumn, mapping.nameColumn, mapping.timezoneColumn]);
  return headers.filter((h) => !taken.has(h));
}

/** "Phone Number", "phone_number" and "PHONE-NUMBER" are the same column to a human. */
export function normaliseHeader(header: string): string {
  return header.toLowerCase().replace(/[\s_\-.]+/g, "");
}

function pick(headers: readonly string[], keys: string[], wanted: string[], taken: (string | undefined)[]) {
  for (const w of wanted) {
    const i = keys.findIndex((k, j) => k === w && !taken.includes(headers[j]));
    if (i !== -1) return headers[i];
  }
  return undefined;
}
