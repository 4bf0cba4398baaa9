import type { Logger } from "pino";
import { env } from "@/lib/env";
import { startWebhooksRuntime } from "@/lib/webhooks/runtime";

// Webhook deliveries, in their own role: `--role webhooks` runs them apart from dialing; any number may run.
export async function startWebhooks(log: Logger): Promise<() => Promise<void>> {
  const runtime = await startWebhooksRuntime(env(), log.child({ role: "webhooks" }));
  return () => runtime.stop();
}
