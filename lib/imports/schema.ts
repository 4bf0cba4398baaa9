import { z } from "zod";
import { isSupportedCountry } from "libphonenumber-js/min";
import { campaignScheduleInputSchema } from "../rules/schema";

// Shared by the upload form (browser), the server action and the REST route: one schema, one set of messages.
// The min metadata knows the same country list as the max metadata that phone.ts validates with, at half the size.

const columnName = z.string().trim().min(1, "Choose a column");

export const columnMappingSchema = z
  .object({
    phoneColumn: columnName,
    nameColumn: columnName.optional(),
    timezoneColumn: columnName.optional(),
  })
  .refine((m) => new Set(mappedColumns(m)).size === mappedColumns(m).length, {
    message: "Map each column to one field only",
  });
export type ColumnMapping = z.infer<typeof columnMappingSchema>;

export const countryCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{2}$/, "Use a two-letter country code such as US or GB")
  .refine(isSupportedCountry, "Not a supported ISO 3166 country code");

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, "Choose a time zone")
  .max(64)
  .refine((zone) => {
    try {
      new Intl.DateTimeFormat("en-US", { timeZone: zone });
      return true;
    } catch {
      return false;
    }
  }, "Not a time zone; use an IANA name such as America/Chicago");

export const importOptionsSchema = z.object({
  name: z.string().trim().min(1, "Give the campaign a name").max(120, "Use at most 120 characters"),
  defaultCountry: countryCodeSchema,
  /** The campaign's time zone: for leads whose zone neither the file nor the number tells. */
  timezone: timeZoneSchema.default("UTC"),
  /** The campaign's calling schedule in each lead's local time; omitted = every day, all day (platform hours still apply). */
  schedule: campaignScheduleInputSchema.optional(),
  /** Omitted = guessed from the header row (see guessMapping). */
  mapping: columnMappingSchema.optional(),
});
export type ImportOptions = z.infer<typeof importOptionsSchema>;

export const importResultSchema = z.object({
  campaignId: z.string(),
  imported: z.number().int().nonnegative(),
  rejected: z.number().int().nonnegative(),
  duplicates: z.number().int().nonnegative(),
  /** Imported as SUPPRESSED: on the tenant's or the platform's do-not-call list. */
  suppressed: z.number().int().nonnegative(),
  /** Imported leads whose time-zone cell is not a time zone: their zone came from the number or the campaign. */
  ignoredTimeZones: z.number().int().nonnegative(),
  /** The first few of them (IGNORED_ZONE_SAMPLES), with the value as written. */
  ignoredTimeZoneSamples: z.array(z.object({ line: z.number().int(), value: z.string() })),
});
export type ImportResult = z.infer<typeof importResultSchema>;

/** How many ignored time-zone values an import result lists (it counts them all). */
export const IGNORED_ZONE_SAMPLES = 5;

export const importErrorCodes = [
  "empty_file",
  "no_data_rows",
  "not_utf8",
  "missing_phone_column",
  "unknown_column",
  "duplicate_column",
  "line_too_long",
  "malformed_csv",
  "too_large",
  "too_many_rows",
  "too_many_columns",
  // Not the file's fault: the account or the server is busy, or the upload was too slow.
  "too_many_imports",
  "upload_timeout",
  "server_busy",
] as const;
export type ImportErrorCode = (typeof importErrorCodes)[number];

/** Why a file cannot be imported, written for the person who uploaded it (mostly: something to fix in the file). */
export class ImportError extends Error {
  constructor(
    readonly code: ImportErrorCode,
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = "ImportError";
  }
}

/** too_large is a request-size problem (413); the busy and timeout codes are what they say; the rest is unprocessable content (422). */
export function importErrorStatus(code: ImportErrorCode): 408 | 413 | 422 | 429 | 503 {
  return STATUS[code] ?? 422;
}

const STATUS: Partial<Record<ImportErrorCode, 408 | 413 | 429 | 503>> = {
  too_large: 413,
  too_many_imports: 429,
  upload_timeout: 408,
  server_busy: 503,
};

function mappedColumns(m: { phoneColumn: string; nameColumn?: string; timezoneColumn?: string }) {
  return [m.phoneColumn, m.nameColumn, m.timezoneColumn].filter((c): c is string => c !== undefined);
}
