// The live views' event-stream responses: the per-user stream cap, the snapshot shared by every viewer of a key,
// and the periodic re-check that the viewer may still watch. Routes resolve the user and say what to watch.
import { createHash } from "node:crypto";
import { apiError, errorResponse } from "../api/handler";
import { env } from "../env";
import { key, redis, subscriberRedis } from "../redis";
import { snapshotEventStream, SSE_HEADERS } from "../sse";
import { SnapshotHub } from "./hub";
import { StreamSlots } from "./stream-slots";

/**
 * Each stream re-checks its viewer this often, reusing a check of the same session and access made at most this
 * long ago: a revoked session or a removed member is noticed within two intervals (30 s), and ten tabs of one
 * browser cost one lookup per interval rather than ten.
 */
const RECHECK_MS = 15_000;
/** A refused page comes back after this (and then less and less often): soon enough once a tab is closed. */
const RETRY_AFTER_SEC = 10;

export interface LiveView {
  /** Whose streams count against the cap. */
  userId: string;
  /** What is watched, scoped by tenant where the data is: every viewer of one key gets the same snapshot. */
  key: string;
  load: () => Promise<unknown>;
  /** Re-run on an open stream; false ends it (signed out, session revoked, removed, moved to another tenant). */
  stillAllowed: () => Promise<boolean>;
  /** What `stillAllowed` checks, e.g. `member:<tenantId>`: streams of one session with the same access share checks. */
  access: string;
  context?: Record<string, string>;
}

export async function liveEventResponse(req: Request, view: LiveView, deps: { hub?: SnapshotHub; slots?: StreamSlots; recheckMs?: number } = {}): Promise<Response> {
  const { hub = liveHub(), slots = streamSlots(), recheckMs = RECHECK_MS } = deps;
  const slot = await slots.acquire(view.userId);
  if (!slot) {
    return apiError(
      429,
      "too_many_streams",
      `Too many live views open: at most ${slots.max} per user across all tabs and devices. Close one, then reload this page.`,
      undefined,
      { "retry-after": String(RETRY_AFTER_SEC) },
    );
  }
  try {
    // A foreign or unknown id is a 404 before the stream opens (EventSource then stops retrying).
    const first = await hub.snapshot(view.key, view.load);
    if (first.kind === "gone") {
      slot.release();
      return apiError(404, "not_found", "Not found");
    }
  } catch (err) {
    slot.release();
    return errorResponse(err);
  }
  const body = snapshotEventStream((listener) => hub.subscribe(view.key, view.load, listener), req.signal, {
    recheck: sharedCheck(req, view, recheckMs),
    recheckMs,
    onClose: () => slot.release(),
    context: view.context,
  });
  return new Response(body, { headers: SSE_HEADERS });
}

const recentChecks = new Map<string, { at: number; allowed: Promise<boolean> }>();

/** The view's check, shared by the streams that carry the same cookies (the same session) for the same access. */
function sharedCheck(req: Request, view: LiveView, maxAgeMs: number): () => Promise<boolean> {
  const cookie = req.headers.get("cookie");
  if (!cookie) return view.stillAllowed;
  const key = createHash("sha256").update(`${view.userId}\n${view.access}\n${cookie}`).digest("base64url");
  return () => {
    const now = Date.now();
    const hit = recentChecks.get(key);
    if (hit && now - hit.at < maxAgeMs) return hit.allowed;
    if (recentChecks.size > 10_000) for (const [k, v] of recentChecks) if (now - v.at >= maxAgeMs) recentChecks.delete(k);
    const entry = { at: now, allowed: view.stillAllowed() };
    recentChecks.set(key, entry);
    entry.allowed.catch(() => {
      if (recentChecks.get(key) === entry) recentChecks.delete(key);
    });
    return entry.allowed;
  };
}

const g = globalThis as unknown as { fairdialLiveHub?: SnapshotHub; fairdialStreamSlots?: StreamSlots };

/** This process's hub: one per process, so every viewer in it shares the topics. */
export function liveHub(): SnapshotHub {
  g.fairdialLiveHub ??= new SnapshotHub({ redis: redis(), subscriber: subscriberRedis(), prefix: key("live") });
  return g.fairdialLiveHub;
}

export function streamSlots(): StreamSlots {
  g.fairdialStreamSlots ??= new StreamSlots(redis(), key("live"), env().SSE_MAX_STREAMS_PER_USER);
  return g.fairdialStreamSlots;
}
