import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";
import { countryCodeSchema } from "../imports/schema";
import { intervalSchema } from "../rules/schema";

const checkbox = z.preprocess((v) => v === true || v === "on" || v === "true", z.boolean());
const unknownCountries = (codes: string[]) => codes.filter((c) => !/^[A-Z]{2}$/.test(c) || !isSupportedCountry(c));

/** Where a tenant may call, as a platform admin sets it. An empty country list = the platform default. */
export const tenantDestinationsSchema = z.object({
  allowedCountries: z.preprocess(
    (v) => (typeof v === "string" ? [...new Set(v.split(/[\s,;]+/).map((c) => c.trim().toUpperCase()).filter(Boolean))] : v),
    z
      .array(z.string())
      .max(250)
      .refine((codes) => unknownCountries(codes).length === 0, {
        error: (issue) => `Not a country code: ${unknownCountries(issue.input as string[]).join(", ")}. Use ISO codes such as US, CA, GB.`,
      }),
  ),
  allowPremiumNumbers: checkbox,
});
export type TenantDestinations = z.infer<typeof tenantDestinationsSchema>;

/** A platform calling-hours rule as the admin's editor sends it: the intervals arrive as one JSON field. */
export const callingRuleSchema = z.object({
  country: countryCodeSchema,
  intervals: z.preprocess(
    (v) => (typeof v === "string" ? parseJson(v) : v),
    z
      .array(intervalSchema)
      .min(1, "Add at least one interval, or remove the country to lift its restriction")
      .max(28, "Use at most 28 intervals"),
  ),
});
export type CallingRuleInput = z.infer<typeof callingRuleSchema>;

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
