// The background process: `npm run worker [-- --role scheduler|caller|webhooks|all] [--lane <tenantId>]`.
// Callers scale out to many processes against one Redis and one Postgres; one scheduler leads at a time.
import "./check-env";
import { createServer } from "node:http";
import { parseArgs } from "node:util";
import { db } from "@/lib/db";
import { env } from "@/lib/env";
import { log as baseLog } from "@/lib/log";
import { closePgPool } from "@/lib/pg";
import { startCaller } from "./caller";
import { startScheduler } from "./scheduler";
import { startWebhooks } from "./webhooks";

const log = baseLog.child({ service: "worker" });
const { values } = parseArgs({ options: { role: { type: "string", default: "all" }, lane: { type: "string" } } });
const role = values.role ?? "all";
if (!["all", "scheduler", "caller", "webhooks"].includes(role)) {
  console.error(`unknown --role "${role}" (all, scheduler, caller, webhooks)`);
  process.exit(2);
}

async function main() {
  const config = env();
  await db.$queryRaw`SELECT 1`;
  const stoppers: (() => Promise<void>)[] = [];
  if (role === "all" || role === "caller") stoppers.push(await startCaller(log, values.lane ?? null));
  if (role === "all" || role === "scheduler") stoppers.push(await startScheduler(log));
  if (role === "all" || role === "webhooks") stoppers.push(await startWebhooks(log));
  const health = config.WORKER_HEALTH_PORT ? serveHealth(config.WORKER_HEALTH_PORT) : null;
  log.info({ role, lane: values.lane ?? null, mode: config.DISPATCH_MODE, provider: config.TELEPHONY_PROVIDER, concurrency: config.CALLER_CONCURRENCY, tickMs: config.SCHEDULER_TICK_MS }, "worker ready");

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "worker shutting down: finishing active calls");
    health?.close();
    // Stop taking work first (the scheduler, then callers let active calls finish), then close connections.
    for (const stop of stoppers.reverse()) await stop().catch((err) => log.error({ err }, "error while stopping"));
    await closePgPool();
    await db.$disconnect();
    log.info("worker stopped");
    process.exit(0);
  };
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
  process.on("SIGINT", () => void shutdown("SIGINT"));
}

main().catch((err) => {
  log.fatal({ err }, "worker failed to start");
  process.exit(1);
});

// A liveness endpoint for orchestrators (and the browser tests' process manager).
function serveHealth(port: number) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify({ ok: true, role }));
  });
  server.listen(port, "127.0.0.1");
  return server;
}
