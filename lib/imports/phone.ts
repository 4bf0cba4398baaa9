// Phone numbers to E.164, with a reason a person can act on when a number is refused.
// The max metadata checks the digits against each country's numbering plan, not just the length,
// and is no slower per number than the min metadata.
import { parsePhoneNumberFromString, validatePhoneNumberLength, type CountryCode, type PhoneNumber } from "libphonenumber-js/max";

/** `number` is the parsed number, for checks that would otherwise parse it again (its destination). */
export type PhoneResult = { ok: true; e164: string; number: PhoneNumber } | { ok: false; reason: string };

const LENGTH_REASONS: Record<string, string> = {
  NOT_A_NUMBER: "not a phone number",
  INVALID_COUNTRY: "unknown country calling code",
  TOO_SHORT: "too short",
  TOO_LONG: "too long",
};

/** `defaultCountry` applies to numbers written without a country code, e.g. "(212) 555-0100". */
export function normalisePhone(input: string, defaultCountry: CountryCode): PhoneResult {
  const text = input.trim();
  if (text === "") return { ok: false, reason: "empty" };
  const phone = parsePhoneNumberFromString(text, defaultCountry);
  if (phone?.isValid()) {
    // E.164 has no room for an extension; dialling the main line instead would reach someone else.
    if (phone.ext) return { ok: false, reason: `has an extension (${phone.ext}), which cannot be dialled` };
    return { ok: true, e164: phone.number, number: phone };
  }
  const length = validatePhoneNumberLength(text, defaultCountry);
  if (length && LENGTH_REASONS[length]) return { ok: false, reason: LENGTH_REASONS[length] };
  const where = phone?.country ?? (text.startsWith("+") && phone ? `+${phone.countryCallingCode}` : defaultCountry);
  return { ok: false, reason: `not a valid phone number for ${where}` };
}
