// A queue inspector for platform admins (Bull Board has no Next.js adapter; this covers what operators use:
// counts per state, the jobs in a state with their payload and error, retry and remove).
import { Queue } from "bullmq";
import { db } from "../db";
import { env } from "../env";
import { NotFoundError } from "../errors";
import { CALLS_QUEUE, laneQueue } from "../queue/names";
import type { CallJob } from "../queue/schema";
import { producerRedis } from "../redis";

export const JOB_STATES = ["waiting", "active", "delayed", "failed", "completed"] as const;
export type JobState = (typeof JOB_STATES)[number];

const g = globalThis as unknown as { fairdialInspectorQueues?: Map<string, Queue<CallJob>> };

function queue(name: string) {
  g.fairdialInspectorQueues ??= new Map();
  let q = g.fairdialInspectorQueues.get(name);
  if (!q) {
    q = new Queue<CallJob>(name, { connection: producerRedis({ maxRetriesPerRequest: 3 }), prefix: env().QUEUE_PREFIX });
    g.fairdialInspectorQueues.set(name, q);
  }
  return q;
}

export async function listQueues() {
  const lanes = await db.tenant.findMany({ where: { dedicatedLane: true }, select: { id: true, name: true } });
  const names = [{ name: CALLS_QUEUE, label: "calls (shared)" }, ...lanes.map((t) => ({ name: laneQueue(t.id), label: `lane: ${t.name}` }))];
  return Promise.all(names.map(async (n) => ({ ...n, counts: await queue(n.name).getJobCounts(...JOB_STATES) })));
}

export async function listJobs(name: string, state: JobState, page: number, pageSize = 25) {
  await assertKnownQueue(name);
  const jobs = await queue(name).getJobs([state], page * pageSize, page * pageSize + pageSize - 1, state !== "waiting");
  return jobs.filter(Boolean).map((j) => ({
    id: j.id ?? "",
    name: j.name,
    data: j.data,
    timestamp: j.timestamp,
    processedOn: j.processedOn ?? null,
    finishedOn: j.finishedOn ?? null,
    failedReason: j.failedReason || null,
    attemptsMade: j.attemptsMade,
  }));
}

export async function retryJob(name: string, jobId: string) {
  await assertKnownQueue(name);
  const job = await queue(name).getJob(jobId);
  if (!job) throw new NotFoundError("Job not found");
  await job.retry("failed");
}

export async function removeJob(name: string, jobId: string) {
  await assertKnownQueue(name);
  const job = await queue(name).getJob(jobId);
  if (!job) throw new NotFoundError("Job not found");
  // Removing a job never loses a lead: the reconciler returns its lead to pending.
  await job.remove();
}

async function assertKnownQueue(name: string) {
  const known = (await listQueues()).some((q) => q.name === name);
  if (!known) throw new NotFoundError("Queue not found");
}
