// A BullMQ worker that does nothing with its jobs, spawned by scenario 6 as the ceiling a caller process could
// reach on this Redis: `tsx bench/noop-worker.ts <prefix> <queue> <concurrency>`. Prints "ready" once connected.
import { Worker } from "bullmq";
import { workerRedis } from "../lib/redis";

const [prefix, queue, concurrency] = process.argv.slice(2);
const connection = workerRedis();
const worker = new Worker(queue!, async () => undefined, { connection, prefix, concurrency: Number(concurrency) });
worker.on("error", (err) => console.error("noop worker:", err));
await worker.waitUntilReady();
console.log("ready");

process.on("SIGTERM", async () => {
  await worker.close();
  connection.disconnect();
  process.exit(0);
});
