// A tenant on a dedicated lane is served only by callers started for that lane; with none online its calls
// wait, so the tenant is told instead of watching a campaign that silently does not move.
import type { Redis } from "ioredis";
import { db } from "../db";
import { EngineState } from "../dispatch/engine-state";
import { env } from "../env";
import { log } from "../log";
import { redis } from "../redis";

/** Long enough for a healthy Redis; a page must not wait on a sick one. */
const LOOKUP_MS = 1000;

/**
 * True only when the tenant is on a dedicated lane and, as far as the callers' heartbeats tell, nobody serves
 * it. Unknown (Redis unreachable) counts as served: the page says nothing rather than something false.
 */
export async function laneUnserved(tenantId: string, engine: { redis?: Redis; queuePrefix?: string } = {}): Promise<boolean> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { dedicatedLane: true } });
  if (!tenant?.dedicatedLane) return false;
  const state = new EngineState(engine.redis ?? redis(), engine.queuePrefix ?? env().QUEUE_PREFIX);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`live callers not read within ${LOOKUP_MS} ms`)), LOOKUP_MS);
    });
    const callers = await Promise.race([state.liveCallers(), timeout]);
    return !callers.some((c) => c.lane === tenantId);
  } catch (err) {
    log.warn({ err, tenantId }, "could not read the live callers; not showing the lane status");
    return false;
  } finally {
    clearTimeout(timer);
  }
}
