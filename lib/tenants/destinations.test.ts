import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js/max";
import { describe, expect, it } from "vitest";
import { refusedDestination, refusedNumber } from "./destinations";

const ALL = { countries: ["US", "CA", "GB", "DE", "FR", "IT", "ES", "AU"], allowPremium: false };

describe("refusedDestination", () => {
  it.each([
    ["+19005550199", "premium-rate numbers are not allowed for this account"],
    ["+448712345678", "premium-rate numbers are not allowed for this account"],
    ["+4918012345678", "shared-cost numbers are not allowed for this account"],
    ["+12125550100", null],
    ["+442079460958", null],
    ["+4930901820", null],
  ])("%s → %s", (e164, reason) => {
    expect(refusedDestination(e164, ALL)).toBe(reason);
  });

  it("allows costly numbers when the account may call them, and refuses countries not on the list", () => {
    expect(refusedDestination("+19005550199", { ...ALL, allowPremium: true })).toBeNull();
    expect(refusedDestination("+81312345678", ALL)).toBe("destination country JP is not allowed for this account (allowed: US, CA, GB, DE, FR, IT, ES, AU)");
  });

  it("agrees with libphonenumber's number type for every valid number of a prefix sweep (the fast path is exact)", { timeout: 30_000 }, () => {
    let costly = 0;
    for (const country of ALL.countries as CountryCode[]) {
      for (let prefix = 100; prefix <= 999; prefix++) {
        for (const rest of ["1234567", "12345678", "123456"]) {
          const number = parsePhoneNumberFromString(`${prefix}${rest}`, country);
          if (!number?.isValid() || number.country !== country) continue;
          const type = number.getType();
          const expected = type === "PREMIUM_RATE" || type === "SHARED_COST";
          if (expected) costly++;
          expect(refusedNumber(number, ALL) !== null, `${number.number} (${type})`).toBe(expected);
        }
      }
    }
    // The sweep must reach costly numbers at all, or it proves nothing.
    expect(costly).toBeGreaterThan(20);
  });
});
