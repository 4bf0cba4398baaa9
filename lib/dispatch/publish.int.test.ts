// A tick's jobs land in the queue in the tick's order, on a real Redis, even though publishInOrder sends its
// chunks without waiting for each other: the head round first, then the front, then what waited already, then the
// back. Sizes span several chunks, so a reordering of chunks shows.
import { Queue } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashTagged } from "../env";
import type { CallJob } from "../queue/schema";
import { workerRedis } from "../redis";
import { PUBLISH_CHUNK, publishInOrder } from "./publish";
import type { Claimed } from "./store";

const redis = workerRedis();
let queue: Queue<CallJob>;

beforeAll(() => {
  queue = new Queue<CallJob>("calls", { connection: redis, prefix: hashTagged(`publish-test-${Date.now().toString(36)}`) });
});

afterAll(async () => {
  await queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

const jobs = (tag: string, n: number): Claimed[] =>
  Array.from({ length: n }, (_, i) => ({ attemptId: `${tag}-${i}`, leadId: String(i + 1), tenantId: `tenant-${tag}`, campaignId: `campaign-${tag}` }));

async function waitingOrder() {
  return (await queue.getWaiting(0, -1)).map((j) => j.data.attemptId);
}

describe("publishInOrder", () => {
  it("puts the head round first, the front next and the back last, each in its own order, across chunks", async () => {
    const back = jobs("back", 3 * PUBLISH_CHUNK + 17);
    const front = jobs("front", 2 * PUBLISH_CHUNK + 3);
    const head = jobs("head", PUBLISH_CHUNK + 1);
    await publishInOrder(queue, [{ jobs: back }, { jobs: front, front: true }, { jobs: head, front: true }]);
    const ids = (list: Claimed[]) => list.map((j) => j.attemptId);
    expect(await waitingOrder()).toEqual([...ids(head), ...ids(front), ...ids(back)]);

    // The next tick's front goes ahead of everything waiting, its back behind it.
    const back2 = jobs("back2", PUBLISH_CHUNK + 5);
    const front2 = jobs("front2", PUBLISH_CHUNK + 7);
    await publishInOrder(queue, [{ jobs: back2 }, { jobs: front2, front: true }]);
    expect(await waitingOrder()).toEqual([...ids(front2), ...ids(head), ...ids(front), ...ids(back), ...ids(back2)]);
  });

  it("adds an attempt once however often it is published", async () => {
    await queue.obliterate({ force: true });
    const once = jobs("again", 10);
    await publishInOrder(queue, [{ jobs: once }]);
    await publishInOrder(queue, [{ jobs: once, front: true }]);
    expect(await waitingOrder()).toEqual(once.map((j) => j.attemptId));
  });
});
