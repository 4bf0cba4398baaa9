// Server-Sent Events for live pages (campaign progress, tenant dashboard, admin dashboard).
import type { LiveListener } from "./live/hub";
import { log } from "./log";

const encoder = new TextEncoder();

/** Subscribes to snapshots (the current one first, then each change); returns the unsubscribe function. */
export type SnapshotSource = (listener: LiveListener) => () => void;

export interface SnapshotStreamOptions {
  heartbeatMs?: number;
  /** Whether the viewer may still watch; false ends the stream with `event: unauthorized`. */
  recheck?: () => Promise<boolean>;
  recheckMs?: number;
  /** Runs once when the stream ends, whoever ends it. */
  onClose?: () => void;
  context?: Record<string, string>;
}

/**
 * An SSE body that sends `progress` with the snapshot whenever it differs from the last one sent, `gone` (and
 * ends) when the subject was deleted, a heartbeat comment every 15 s so proxies keep the connection, and
 * `retry:` for the browser's reconnects. A reconnect is a new stream, so it starts with the current snapshot.
 * While open, `recheck` runs every 30 s: a signed-out or removed viewer stops receiving at the next check.
 */
export function snapshotEventStream(source: SnapshotSource, signal: AbortSignal, opts: SnapshotStreamOptions = {}) {
  const { heartbeatMs = 15_000, recheckMs = 30_000, recheck, onClose, context = {} } = opts;
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let last = "";
      let unsubscribe = () => {};
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), heartbeatMs);
      const rechecks = recheck ? setInterval(() => void checkViewer(), recheckMs) : undefined;
      stop = () => {
        if (closed) return;
        closed = true;
        clearInterval(heartbeat);
        clearInterval(rechecks);
        unsubscribe();
        signal.removeEventListener("abort", stop);
        onClose?.();
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      const checkViewer = async () => {
        let allowed: boolean;
        try {
          allowed = await recheck!();
        } catch (err) {
          // A failed check is not a verdict: the next one decides.
          log.warn({ err, ...context }, "live view re-check failed");
          return;
        }
        if (!allowed) {
          send("event: unauthorized\ndata: {}\n\n");
          stop();
        }
      };
      signal.addEventListener("abort", stop);
      send("retry: 2000\n\n");
      unsubscribe = source((event) => {
        if (event.kind === "gone") {
          // Deleted meanwhile: tell the page, and end without inviting a reconnect.
          send("event: gone\ndata: {}\n\n");
          return stop();
        }
        if (event.data === last) return;
        last = event.data;
        send(`id: ${Date.now()}\nevent: progress\ndata: ${event.data}\n\n`);
      });
      // The source may have delivered `gone` before it returned its unsubscribe function.
      if (closed) unsubscribe();
      if (signal.aborted) stop();
    },
    cancel() {
      stop();
    },
  });
}

export const SSE_HEADERS = {
  "content-type": "text/event-stream; charset=utf-8",
  // no-transform keeps the compression middleware from buffering events; no-cache keeps proxies out.
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
  "x-accel-buffering": "no",
};
