// The attempts list's page cursor: the (leadId, attemptNumber) of the last attempt a page returned. Opaque to a
// client (base64url), so the order behind it can change without a new parameter; stable, because both values of
// an attempt never change. btoa/atob rather than Buffer: schema.ts, which parses it, is safe in the browser.

export type AttemptPosition = { leadId: bigint; attemptNumber: number };

const MAX_ATTEMPT_NUMBER = 2 ** 31 - 1;

export function encodeAttemptCursor(p: AttemptPosition): string {
  return btoa(`${p.leadId}:${p.attemptNumber}`).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** The position a cursor names, or null for anything a previous page did not hand out. */
export function decodeAttemptCursor(cursor: string): AttemptPosition | null {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(cursor)) return null;
  let text: string;
  try {
    text = atob(cursor.replaceAll("-", "+").replaceAll("_", "/"));
  } catch {
    return null;
  }
  const match = /^(\d{1,19}):(\d{1,10})$/.exec(text);
  if (!match) return null;
  const leadId = BigInt(match[1]!);
  const attemptNumber = Number(match[2]);
  // Lead ids are Postgres bigints and attempt numbers ints: anything outside would fail in the query, not here.
  if (leadId > 2n ** 63n - 1n || attemptNumber > MAX_ATTEMPT_NUMBER) return null;
  return { leadId, attemptNumber };
}
