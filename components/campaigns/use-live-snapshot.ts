"use client";
import { useEffect, useState } from "react";

export type LiveConnection = "connecting" | "live" | "reconnecting" | "limited" | "signed-out" | "closed";

/** Consecutive errors the browser may retry on its own (every `retry:` ms) before the page backs off instead. */
const BROWSER_RETRIES = 3;
const FIRST_BACKOFF_MS = 2_000;
const MAX_BACKOFF_MS = 120_000;

/**
 * Follows a Server-Sent Events endpoint that sends `progress` events with a JSON snapshot. The browser's
 * EventSource reconnects by itself (the server's `retry:`), and the server answers a reconnect with the
 * current snapshot, so nothing is missed. A fresh server render (e.g. after an action) replaces the state.
 *
 * The browser gives up for good on any answer but 200 and cannot say why, so the page asks once with fetch:
 * signed out (401/403) and not found (404) stop; too many open views (429) and server trouble come back later,
 * with a growing delay and never before the server's Retry-After, so a thousand refused tabs do not hammer it.
 */
export function useLiveSnapshot<T>(url: string, initial: T) {
  const [snapshot, setSnapshot] = useState(initial);
  const [seenInitial, setSeenInitial] = useState(initial);
  const [connection, setConnection] = useState<LiveConnection>("connecting");
  if (initial !== seenInitial) {
    setSeenInitial(initial);
    setSnapshot(initial);
  }

  useEffect(() => {
    let source: EventSource | null = null;
    let retryTimer: ReturnType<typeof setTimeout> | undefined;
    let probe: AbortController | null = null;
    let disposed = false;
    let errors = 0;
    let backoffs = 0;

    const stop = (state: LiveConnection) => {
      source?.close();
      setConnection(state);
    };
    const connect = () => {
      const es = new EventSource(url);
      source = es;
      es.onopen = () => {
        errors = 0;
        backoffs = 0;
        setConnection("live");
      };
      es.onerror = () => {
        errors++;
        if (es.readyState !== EventSource.CLOSED && errors < BROWSER_RETRIES) return setConnection("reconnecting");
        es.close();
        void backOff();
      };
      es.addEventListener("progress", (e) => {
        setSnapshot(JSON.parse((e as MessageEvent<string>).data) as T);
        setConnection("live");
      });
      es.addEventListener("gone", () => stop("closed"));
      es.addEventListener("unauthorized", () => stop("signed-out"));
    };
    const backOff = async () => {
      probe = new AbortController();
      const res = await fetch(url, { cache: "no-store", signal: probe.signal }).catch(() => null);
      // Only the status is wanted: a probe that got a stream must not keep it (nor a slot of the user's cap).
      probe.abort();
      if (disposed) return;
      const status = res?.status ?? 0;
      if (status === 401 || status === 403) return setConnection("signed-out");
      if (status === 404) return setConnection("closed");
      setConnection(status === 429 ? "limited" : "reconnecting");
      const retryAfterMs = Number(res?.headers.get("retry-after") ?? 0) * 1000 || 0;
      const backoffMs = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS * 2 ** backoffs++);
      // Jitter, so tabs refused together do not all come back in the same second.
      retryTimer = setTimeout(connect, Math.max(retryAfterMs, backoffMs) * (1 + Math.random() / 2));
    };

    connect();
    return () => {
      disposed = true;
      clearTimeout(retryTimer);
      probe?.abort();
      source?.close();
    };
  }, [url]);

  return { snapshot, setSnapshot, connection };
}
