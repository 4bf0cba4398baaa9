import type { Logger } from "pino";
import { env } from "@/lib/env";
import { startCallerRuntime } from "@/lib/dispatch/runtime";

// Callers on the shared queue, or on one tenant's dedicated lane with --lane <tenantId>.
export async function startCaller(log: Logger, lane: string | null): Promise<() => Promise<void>> {
  const runtime = await startCallerRuntime(env(), log.child({ role: "caller", lane }), { lane });
  return () => runtime.stop();
}
