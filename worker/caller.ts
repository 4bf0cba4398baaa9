import { Worker } from "bullmq";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { CALLS_QUEUE } from "@/lib/queue/names";
import { callJobSchema, type CallJob } from "@/lib/queue/schema";
import { workerRedis } from "@/lib/redis";

// One thin processor per queue: parse the payload, hand it to lib/.
export async function startCaller(): Promise<() => Promise<void>> {
  const config = env();
  const connection = workerRedis();
  const worker = new Worker<CallJob>(
    CALLS_QUEUE,
    async (job) => {
      const data = callJobSchema.parse(job.data);
      log.debug({ attemptId: data.attemptId, tenantId: data.tenantId }, "call job received");
    },
    { connection, prefix: config.QUEUE_PREFIX, concurrency: config.CALLER_CONCURRENCY },
  );
  worker.on("failed", (job, err) => log.error({ err, jobId: job?.id }, "call job failed"));
  await worker.waitUntilReady();
  return async () => {
    await worker.close();
    connection.disconnect();
  };
}
