// Where a tenant may call. Checked at import (the row is rejected with the reason) and again right before each
// dial (an admin may have narrowed the list since): an unrestricted account is a toll-fraud target.
import { Metadata, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from "libphonenumber-js/max";

export interface DestinationPolicy {
  /** ISO 3166 alpha-2 codes, upper case. */
  countries: readonly string[];
  allowPremium: boolean;
}

/** Number types that bill the caller far above a normal call (libphonenumber's classification). */
const COSTLY_TYPES = new Set(["PREMIUM_RATE", "SHARED_COST"]);

/** The tenant's own country list when an admin set one, else the platform default. */
export function destinationPolicy(tenant: { allowedCountries: readonly string[]; allowPremiumNumbers: boolean }, platformCountries: readonly string[]): DestinationPolicy {
  return { countries: tenant.allowedCountries.length > 0 ? tenant.allowedCountries : platformCountries, allowPremium: tenant.allowPremiumNumbers };
}

/** Why `e164` may not be called under `policy`, or null when it may. */
export function refusedDestination(e164: string, policy: DestinationPolicy): string | null {
  const number = parsePhoneNumberFromString(e164);
  if (!number) return "not a valid phone number";
  return refusedNumber(number, policy);
}

/** refusedDestination for a number already parsed: an import parses each one anyway, and parsing is its costliest step. */
export function refusedNumber(number: PhoneNumber, policy: DestinationPolicy): string | null {
  const country = number.country as CountryCode | undefined;
  if (!country || !policy.countries.includes(country)) {
    return `destination country ${country ?? `+${number.countryCallingCode}`} is not allowed for this account (allowed: ${policy.countries.join(", ")})`;
  }
  if (policy.allowPremium || !mayBeCostly(number, country)) return null;
  const type = number.getType();
  if (type && COSTLY_TYPES.has(type)) {
    return `${type === "PREMIUM_RATE" ? "premium-rate" : "shared-cost"} numbers are not allowed for this account`;
  }
  return null;
}

/**
 * A cheap necessary condition for getType() answering a costly type: the national number matches one of the
 * country's costly patterns. getType() compiles a regular expression per type tried (~5 µs a number, a quarter
 * of an import's parsing time), so it only runs for the rare numbers that pass. The patterns are read through
 * libphonenumber's Metadata internals; if those ever change shape, every number takes the exact path.
 */
function mayBeCostly(number: PhoneNumber, country: CountryCode): boolean {
  let pattern = costlyPatterns.get(country);
  if (pattern === undefined) {
    pattern = costlyPattern(country);
    costlyPatterns.set(country, pattern);
  }
  return pattern === "unknown" || (pattern !== null && pattern.test(number.nationalNumber));
}

const costlyPatterns = new Map<CountryCode, RegExp | null | "unknown">();

function costlyPattern(country: CountryCode): RegExp | null | "unknown" {
  try {
    const metadata = new Metadata() as unknown as { selectNumberingPlan(c: string): void; numberingPlan: { type(t: string): { pattern(): string } | undefined } };
    metadata.selectNumberingPlan(country);
    const patterns = [...COSTLY_TYPES].map((t) => metadata.numberingPlan.type(t)?.pattern()).filter((p): p is string => !!p);
    return patterns.length === 0 ? null : new RegExp(`^(?:${patterns.join("|")})$`);
  } catch {
    return "unknown";
  }
}
