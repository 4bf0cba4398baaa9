import { z } from "zod";
import { countryCodeSchema } from "../imports/schema";

// Browser-safe shapes of the do-not-call lists, shared by the settings page, its actions, the admin page and the
// REST API (and its OpenAPI document).

export const SUPPRESSION_SOURCES = ["MANUAL", "UPLOAD", "API", "OPT_OUT"] as const;
export const suppressionSourceSchema = z.enum(SUPPRESSION_SOURCES);
export type SuppressionSourceName = z.infer<typeof suppressionSourceSchema>;

/** A tenant's own list, or the platform-wide one (rows with tenantId null) that applies to every tenant. */
export type SuppressionScope = { tenantId: string } | { platform: true };

/** Numbers per JSON request; more go in a CSV upload. */
export const MAX_NUMBERS_PER_REQUEST = 10_000;
/** A do-not-call CSV is a column of numbers: far smaller than a lead file, so far lower limits. */
export const SUPPRESSION_CSV_MAX_BYTES = 5 * 1024 * 1024;
export const SUPPRESSION_CSV_MAX_ROWS = 200_000;
/** Rejected lines reported back for an upload; the count covers all of them. */
export const MAX_REJECTED_LISTED = 100;
export const MAX_REASON_LENGTH = 200;

export const suppressionInputSchema = z.object({
  phone: z.string().trim().min(1, "Enter a phone number").max(64, "Use at most 64 characters"),
  reason: z.string().trim().max(MAX_REASON_LENGTH, `Use at most ${MAX_REASON_LENGTH} characters`).optional(),
});
export type SuppressionInput = z.infer<typeof suppressionInputSchema>;

/** The add form: one number, and the country assumed when it is written without +country code. */
export const suppressionFormSchema = suppressionInputSchema.extend({ defaultCountry: countryCodeSchema.default("US") });

export const suppressionsQuerySchema = z.object({
  cursor: z.string().regex(/^\d+$/, "cursor must be the nextCursor of a previous page").optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  q: z
    .string()
    .trim()
    .max(32, "Use at most 32 characters")
    .regex(/^\+?[\d\s().-]*$/, "Search by the start of a number in international format, e.g. +1212")
    .optional(),
});
export type SuppressionsQuery = z.infer<typeof suppressionsQuerySchema>;

const defaultCountry = countryCodeSchema.optional().meta({ description: "Country assumed for numbers written without +country code (default US)" });

/** JSON body of POST /api/v1/suppressions: one number… */
export const addSuppressionJsonSchema = suppressionInputSchema.extend({ defaultCountry });
/** …or many; a bare string is a number without a reason. */
export const addSuppressionsJsonSchema = z.object({
  numbers: z
    .array(z.preprocess((v) => (typeof v === "string" ? { phone: v } : v), suppressionInputSchema))
    .min(1, "Send at least one number")
    .max(MAX_NUMBERS_PER_REQUEST, `Send at most ${MAX_NUMBERS_PER_REQUEST.toLocaleString("en-US")} numbers per JSON request; upload a CSV for more`),
  defaultCountry,
});

/** Either JSON body, told apart by `numbers`, so a bad entry is reported at its own path (numbers.3.phone). */
export function parseAddSuppressionsBody(body: unknown): { entries: SuppressionInput[]; defaultCountry?: string } {
  if (body !== null && typeof body === "object" && "numbers" in body) {
    const { numbers, defaultCountry } = addSuppressionsJsonSchema.parse(body);
    return { entries: numbers, defaultCountry };
  }
  const { defaultCountry, ...entry } = addSuppressionJsonSchema.parse(body);
  return { entries: [entry], defaultCountry };
}

/** Body of POST /api/v1/calls/{attemptId}/opt-out (may be empty). */
export const optOutJsonSchema = z.object({ reason: suppressionInputSchema.shape.reason });

/** The counts an add or an upload answers with. */
export const suppressionResultSchema = z.object({
  added: z.number().int().nonnegative().meta({ description: "Numbers newly put on the list" }),
  alreadyListed: z.number().int().nonnegative().meta({ description: "Numbers that were on the list already (or repeated in the request)" }),
  rejected: z
    .array(z.object({ input: z.string(), reason: z.string(), line: z.number().int().optional().meta({ description: "For a CSV: the line of the file" }) }))
    .meta({ description: "Entries that are not valid phone numbers, with the reason (for a CSV: the first 100)" }),
  leadsSuppressed: z.number().int().nonnegative().meta({ description: "Leads not yet dialed (pending or scheduled for a retry) that will now never be called" }),
});
export type SuppressionResult = z.infer<typeof suppressionResultSchema>;
export type SuppressionImportResult = SuppressionResult & { rejectedCount: number };
