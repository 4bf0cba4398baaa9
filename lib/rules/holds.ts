// Why a due lead is held back (Lead.holdReason), shared by the caller that writes it and the settings that read it.
// Pure and browser-safe: the campaign page and the dashboard word their "why isn't it dialing?" from it.
import type { FrequencyCaps } from "./presets";

/** Every frequency-cap hold reason starts so: a raised cap frees the leads held under the old one. */
export const FREQUENCY_CAP_HOLD = "frequency cap:";

/** A hold by the 24-hour cap, the 30-day cap, or because another of the tenant's campaigns is calling the number. */
export type HoldKind = "cap24h" | "cap30d" | "numberInUse";

/** The reasons the caller (lib/dispatch/caller.ts, holdFor) writes on a held lead, one per kind. */
export const HOLD_REASONS: Record<HoldKind, string> = {
  cap24h: `${FREQUENCY_CAP_HOLD} the most calls to this number in 24 hours`,
  cap30d: `${FREQUENCY_CAP_HOLD} the most calls to this number in 30 days`,
  numberInUse: "another of your campaigns is calling this number",
};

/**
 * Which hold a reason is: one of HOLD_REASONS, or an older wording of them (a frequency-cap reason naming no
 * period is taken as the 24-hour one, the tighter of the two).
 */
export function holdKind(reason: string): HoldKind {
  const exact = (Object.keys(HOLD_REASONS) as HoldKind[]).find((k) => HOLD_REASONS[k] === reason);
  if (exact) return exact;
  if (!reason.startsWith(FREQUENCY_CAP_HOLD)) return "numberInUse";
  return reason.includes("30 days") ? "cap30d" : "cap24h";
}

/** Held leads by why, and when the first frequency-capped one is due again. */
export interface HeldLeads {
  /** Held by the 24-hour cap, by the 30-day cap. */
  cap24h: number;
  cap30d: number;
  /** Held because another campaign of the tenant is calling the same number (tried again within a minute). */
  numberInUse: number;
  /** ISO; when the first frequency-capped lead becomes due again. */
  nextCapReleaseAt: string | null;
  /** The tenant's caps now (null = off). */
  caps: FrequencyCaps;
}

export const NO_HELD_LEADS: HeldLeads = { cap24h: 0, cap30d: 0, numberInUse: 0, nextCapReleaseAt: null, caps: { per24h: null, per30d: null } };

export function frequencyCapped(h: HeldLeads): number {
  return h.cap24h + h.cap30d;
}

/** "3 calls per 24 h", "4 calls per 30 days", "3 calls per 24 h and 4 per 30 days": the caps that hold these leads. */
export function frequencyCapWords(h: Pick<HeldLeads, "cap24h" | "cap30d" | "caps">): string {
  const parts: string[] = [];
  if (h.cap24h > 0) parts.push(`${h.caps.per24h ?? "the most"} calls per 24 h`);
  if (h.cap30d > 0) parts.push(`${h.caps.per30d ?? "the most"} ${parts.length > 0 ? "" : "calls "}per 30 days`);
  return parts.join(" and ");
}
