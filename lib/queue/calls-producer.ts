import { Queue, type JobsOptions } from "bullmq";
import { env } from "../env";
import { producerRedis } from "../redis";
import { CALLS_QUEUE } from "./names";
import { callJobSchema, type CallJob } from "./schema";

// Postgres is the source of truth; a job is only a pointer to a claimed attempt, so failed jobs are
// not retried by BullMQ (the caller decides retries by outcome) and completed ones are dropped quickly.
export const callJobDefaults: JobsOptions = {
  attempts: 1,
  removeOnComplete: { count: 1000, age: 3600 },
  removeOnFail: { count: 5000, age: 24 * 3600 },
};

export function createCallsQueue(name: string = CALLS_QUEUE) {
  return new Queue<CallJob>(name, {
    connection: producerRedis({ maxRetriesPerRequest: 3 }),
    prefix: env().QUEUE_PREFIX,
    defaultJobOptions: callJobDefaults,
  });
}

/** The attempt id is the job id, so publishing the same attempt twice cannot create a second job. */
export async function publishCalls(queue: Queue<CallJob>, jobs: CallJob[]) {
  if (jobs.length === 0) return;
  await queue.addBulk(jobs.map((data) => ({ name: "call", data: callJobSchema.parse(data), opts: { jobId: data.attemptId } })));
}
