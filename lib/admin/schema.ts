import { isSupportedCountry } from "libphonenumber-js";
import { z } from "zod";

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
