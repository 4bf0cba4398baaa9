import type { Logger } from "pino";
import { env } from "@/lib/env";
import { startSchedulerRuntime } from "@/lib/dispatch/runtime";

export async function startScheduler(log: Logger): Promise<() => Promise<void>> {
  const runtime = await startSchedulerRuntime(env(), log.child({ role: "scheduler" }));
  return () => runtime.stop();
}
