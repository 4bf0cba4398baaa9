import { Queue, Worker } from "bullmq";
import { afterAll, describe, expect, it } from "vitest";
import { db } from "./db";
import { workerRedis } from "./redis";
import { CALLS_QUEUE } from "./queue/names";
import { callJobSchema, type CallJob } from "./queue/schema";
import { createTenant, uniqueId } from "./test/factories";

afterAll(async () => {
  await db.$disconnect();
});

describe("foundation on real services", () => {
  it("Prisma writes and reads a tenant in Postgres", async () => {
    const tenant = await createTenant({ name: "Acme Foundation" });
    const read = await db.tenant.findUniqueOrThrow({ where: { id: tenant.id } });
    expect(read.name).toBe("Acme Foundation");
    expect(read.weight).toBe(1);
  });

  it("a job added to the calls queue is processed by a worker", async () => {
    const prefix = uniqueId("test");
    const connection = workerRedis();
    const queue = new Queue<CallJob>(CALLS_QUEUE, { connection, prefix });
    const seen: CallJob[] = [];
    const done = new Promise<void>((resolve) => {
      const worker = new Worker<CallJob>(CALLS_QUEUE, async (job) => {
        seen.push(callJobSchema.parse(job.data));
      }, { connection: workerRedis(), prefix });
      worker.on("completed", async () => {
        await worker.close();
        resolve();
      });
    });
    await queue.add("call", { attemptId: "a1", leadId: "1", tenantId: "t1", campaignId: "c1" }, { jobId: "a1" });
    await done;
    expect(seen).toEqual([{ attemptId: "a1", leadId: "1", tenantId: "t1", campaignId: "c1" }]);
    await queue.obliterate({ force: true });
    await queue.close();
    connection.disconnect();
  });
});
