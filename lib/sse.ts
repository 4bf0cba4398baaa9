// Server-Sent Events for live pages (campaign progress, tenant dashboard, admin dashboard).
import { NotFoundError } from "./errors";
import { log } from "./log";

const encoder = new TextEncoder();

/**
 * An SSE body that sends `progress` with the snapshot whenever it differs from the last one sent (checked
 * every second), a heartbeat comment every 15 s so proxies keep the connection, and `retry:` for the
 * browser's reconnects. A reconnect is a new stream, so it starts with the current snapshot.
 */
export function snapshotEventStream<T>(load: () => Promise<T>, signal: AbortSignal, opts: { intervalMs?: number; heartbeatMs?: number; context?: Record<string, string> } = {}) {
  const { intervalMs = 1000, heartbeatMs = 15_000, context = {} } = opts;
  let stop = () => {};
  return new ReadableStream<Uint8Array>({
    start(controller) {
      let closed = false;
      let last = "";
      let timer: ReturnType<typeof setTimeout> | undefined;
      const send = (text: string) => {
        if (closed) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop();
        }
      };
      const heartbeat = setInterval(() => send(": heartbeat\n\n"), heartbeatMs);
      stop = () => {
        if (closed) return;
        closed = true;
        clearTimeout(timer);
        clearInterval(heartbeat);
        signal.removeEventListener("abort", stop);
        try {
          controller.close();
        } catch {
          // already closed by the client going away
        }
      };
      const tick = async () => {
        try {
          const data = JSON.stringify(await load());
          if (data !== last) {
            last = data;
            send(`id: ${Date.now()}\nevent: progress\ndata: ${data}\n\n`);
          }
        } catch (err) {
          if (err instanceof NotFoundError) {
            // Deleted meanwhile: tell the page, and end without inviting a reconnect.
            send("event: gone\ndata: {}\n\n");
            return stop();
          }
          log.warn({ err, ...context }, "progress snapshot failed; retrying");
        }
        if (!closed) timer = setTimeout(tick, intervalMs);
      };
      signal.addEventListener("abort", stop);
      send("retry: 2000\n\n");
      void tick();
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
