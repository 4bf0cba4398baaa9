// Putting a tick's claimed jobs into the shared queue (or a lane), in the tick's order.
import type { Queue } from "bullmq";
import type { CallJob } from "../queue/schema";
import type { Claimed } from "./store";

/** Jobs per addBulk: small enough that preparing one chunk overlaps Redis running the one before. */
export const PUBLISH_CHUNK = 500;

/** A tick's jobs for one place in the queue: the back (after what waits), or the front (before it). */
export interface PublishBatch {
  jobs: Claimed[];
  front?: boolean;
}

/**
 * Publishes the batches in the order given: each front batch ends up ahead of everything added before it, so a
 * tick passes back, front, head. The attempt id is the job id: re-publishing an attempt cannot create a second job.
 *
 * Every chunk's addBulk is started before any is awaited, so this process builds the next chunk's commands while
 * Redis runs the last (about a third off a 2,000-job publish, bench scenario 7). The order still holds: the
 * chunks go out on one connection, each addBulk reaches its pipeline through the same steps, so they are written
 * in call order, and Redis runs them in that order. publish.int.test.ts checks the resulting queue order on Redis,
 * so a BullMQ change that broke this would fail there.
 */
export async function publishInOrder(queue: Queue<CallJob>, batches: PublishBatch[]): Promise<void> {
  const adds: Promise<unknown>[] = [];
  for (const batch of batches) {
    // LIFO adds go to the head one by one, so add them in reverse to keep their order at the head.
    const jobs = batch.front ? [...batch.jobs].reverse() : batch.jobs;
    for (let i = 0; i < jobs.length; i += PUBLISH_CHUNK) {
      const chunk = jobs.slice(i, i + PUBLISH_CHUNK);
      adds.push(queue.addBulk(chunk.map((c) => ({ name: "call", data: c, opts: { jobId: c.attemptId, lifo: batch.front === true } }))));
    }
  }
  await Promise.all(adds);
}
