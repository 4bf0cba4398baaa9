import type { Redis } from "ioredis";
import { key, redis } from "../redis";

// Starting or resuming a campaign wakes the scheduler at once, so a new tenant's first call does not wait
// for the next 5-second tick.
export function wakeChannel() {
  return key("scheduler", "wake");
}

export async function wakeScheduler(client: Redis = redis()) {
  try {
    await client.publish(wakeChannel(), String(Date.now()));
  } catch {
    // The tick is the fallback: a lost wake-up costs at most one tick, never a lead.
  }
}
