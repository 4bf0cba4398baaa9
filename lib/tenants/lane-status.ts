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
export async function laneUnserved(tenantId: string, engine: EngineRef = {}): Promise<boolean> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { dedicatedLane: true } });
  if (!tenant?.dedicatedLane) return false;
  const callers = await liveCallers(tenantId, engine);
  return callers !== null && !callers.some((c) => c.lane === tenantId);
}

/**
 * Whether any live caller serves this tenant (a lane caller for a lane tenant, a shared caller otherwise): with
 * none, nothing dials however much is pending. Null when Redis cannot tell in time.
 */
export async function callersServe(tenantId: string, engine: EngineRef = {}): Promise<boolean | null> {
  const tenant = await db.tenant.findUnique({ where: { id: tenantId }, select: { dedicatedLane: true } });
  const callers = await liveCallers(tenantId, engine);
  return callers === null ? null : callers.some((c) => (tenant?.dedicatedLane ? c.lane === tenantId : !c.lane));
}

type EngineRef = { redis?: Redis; queuePrefix?: string };

/** The callers' heartbeats, or null when Redis does not answer within LOOKUP_MS. */
async function liveCallers(tenantId: string, engine: EngineRef) {
  const state = new EngineState(engine.redis ?? redis(), engine.queuePrefix ?? env().QUEUE_PREFIX);
  let timer: NodeJS.Timeout | undefined;
  try {
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`live callers not read within ${LOOKUP_MS} ms`)), LOOKUP_MS);
    });
    return await Promise.race([state.liveCallers(), timeout]);
  } catch (err) {
    log.warn({ err, tenantId }, "could not read the live callers");
    return null;
  } finally {
    clearTimeout(timer);
  }
}
