import { createHash, randomBytes } from "node:crypto";

// Keys look like `fdk_live_<32 base62>`: the fixed prefix makes a leaked key recognisable (secret scanners),
// the first 12 characters are stored in clear for lists, and only a SHA-256 of the whole key is stored.
// SHA-256 (not bcrypt) is right here: keys carry 190 bits of entropy, and lookups happen on every request.
export const KEY_PREFIX = "fdk_live_";
const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function generateApiKey() {
  let body = "";
  while (body.length < 32) {
    // Rejection sampling keeps every character equally likely (256 is not a multiple of 62).
    for (const b of randomBytes(48)) if (b < 248 && body.length < 32) body += ALPHABET[b % ALPHABET.length];
  }
  const key = KEY_PREFIX + body;
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 4), hash: hashApiKey(key) };
}

export function hashApiKey(key: string) {
  return createHash("sha256").update(key).digest("hex");
}

export function looksLikeApiKey(value: string) {
  return value.startsWith(KEY_PREFIX) && /^[0-9A-Za-z]{32}$/.test(value.slice(KEY_PREFIX.length));
}
