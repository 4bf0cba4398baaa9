import type { Redis } from "ioredis";
import { env } from "../env";
import { redis } from "../redis";

// Starting or resuming a campaign wakes the scheduler at once, so a new tenant's first call does not wait
// for the next 5-second tick.
export function wakeChannel(prefix = env().QUEUE_PREFIX) {
  return `${prefix}:scheduler:wake`;
}

/**
 * `tenantId`: whose campaign started or resumed. Its first round goes ahead of other idle tenants' at the head of
 * the queue (Scheduler.headRound), so the tenant that just pressed start gets the next free line.
 */
export async function wakeScheduler(options: { client?: Redis; prefix?: string; tenantId?: string } = {}) {
  try {
    await (options.client ?? redis()).publish(wakeChannel(options.prefix), options.tenantId ?? "");
  } catch {
    // The tick is the fallback: a lost wake-up costs at most one tick, never a lead.
  }
}

/** The tenant a wake-up message names, if any (older senders published a timestamp). */
export function wokenTenant(message: string): string | null {
  return message === "" || /^\d+$/.test(message) ? null : message;
}
