// Postgres is the source of truth and Redis may lose anything (FLUSHALL, a restart without persistence, a
// caller killed with -9 after its job was given up). Leads sitting in queued/dialing with no live job are
// returned: never dialed → back to pending (or cancelled with their campaign); dialed → the provider says
// how the call ended, or, if it never got the call, back to pending as well.
import type { Queue } from "bullmq";
import type { Logger } from "pino";
import type { TelephonyProvider } from "../telephony/provider";
import type { CallJob } from "../queue/schema";
import { finishFromResult, finishWithOutcome } from "./outcomes";
import type { DispatchStore, StaleAttempt } from "./store";

const LIVE_STATES = new Set(["waiting", "active", "delayed", "prioritized", "waiting-children"]);
/** A call the provider still reports as in progress this long after dialing is given up on. */
const MAX_CALL_MS = 2 * 3600 * 1000;

export interface ReconcileReport {
  checked: number;
  alive: number;
  requeued: number;
  finished: number;
  orphans: number;
}

export async function reconcile(deps: { store: DispatchStore; provider: TelephonyProvider; queueFor: (attempt: StaleAttempt) => Queue<CallJob>; log: Logger }, staleAfterMs: number): Promise<ReconcileReport> {
  const { store, provider, log } = deps;
  const stale = await store.staleInFlight(staleAfterMs);
  const report: ReconcileReport = { checked: stale.length, alive: 0, requeued: 0, finished: 0, orphans: 0 };
  const alive: string[] = [];
  const undialed: string[] = [];
  const finishes = [];
  for (const chunk of chunks(stale, 100)) {
    const states = await Promise.all(chunk.map((a) => deps.queueFor(a).getJobState(a.attemptId).catch(() => "unknown")));
    for (let i = 0; i < chunk.length; i++) {
      const attempt = chunk[i]!;
      if (LIVE_STATES.has(states[i]!)) {
        alive.push(attempt.leadId);
        continue;
      }
      if (!attempt.dialedAt) {
        undialed.push(attempt.attemptId);
        continue;
      }
      const result = await provider.lookup(attempt.attemptId, attempt.providerCallId).catch(() => null);
      if (result?.kind === "finished") {
        finishes.push(finishFromResult(context(attempt), result));
      } else if (result?.kind === "pending") {
        if (Date.now() - new Date(attempt.dialedAt).getTime() > MAX_CALL_MS) {
          finishes.push(finishWithOutcome(context(attempt), "PROVIDER_ERROR", { answeredAt: null, endedAt: new Date(), durationSec: null, providerCallId: result.providerCallId }));
        } else {
          alive.push(attempt.leadId);
        }
      } else {
        // The provider never got this call: undo the dial mark so the attempt can be released.
        await store.undoDial(attempt.attemptId);
        undialed.push(attempt.attemptId);
      }
    }
  }
  await store.touchLeads(alive);
  report.alive = alive.length;
  report.requeued = await store.releaseUndialed(undialed);
  await store.finishAttempts(finishes);
  report.finished = finishes.length;
  report.orphans = await store.orphanedInFlight(staleAfterMs);
  if (report.requeued || report.finished || report.orphans) log.warn({ ...report }, "reconciler returned stuck leads");
  return report;
}

function context(a: StaleAttempt) {
  return { attemptId: a.attemptId, tenantId: a.tenantId, leadId: a.leadId, attemptNumber: a.attemptNumber, maxAttempts: a.maxAttempts, retryDelaySec: a.retryDelaySec, retryOutcomes: a.retryOutcomes };
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
