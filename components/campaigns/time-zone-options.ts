/** Every IANA zone this runtime knows, for the campaign time-zone select; "UTC" is not in Intl's list but is a zone. */
export function timeZoneOptions(): string[] {
  return [...new Set(["UTC", ...Intl.supportedValuesOf("timeZone")])].sort((a, b) => (a === "UTC" ? -1 : b === "UTC" ? 1 : a.localeCompare(b, "en")));
}
