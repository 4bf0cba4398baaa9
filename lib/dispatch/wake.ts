import type { Redis } from "ioredis";
import { env } from "../env";
import { redis } from "../redis";

// Starting or resuming a campaign wakes the scheduler at once, so a new tenant's first call does not wait
// for the next 5-second tick.
export function wakeChannel(prefix = env().QUEUE_PREFIX) {
  return `${prefix}:scheduler:wake`;
}

export async function wakeScheduler(client: Redis = redis(), prefix?: string) {
  try {
    await client.publish(wakeChannel(prefix), String(Date.now()));
  } catch {
    // The tick is the fallback: a lost wake-up costs at most one tick, never a lead.
  }
}
