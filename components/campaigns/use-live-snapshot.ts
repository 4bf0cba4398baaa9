"use client";
import { useEffect, useState } from "react";

export type LiveConnection = "connecting" | "live" | "reconnecting" | "closed";

/**
 * Follows a Server-Sent Events endpoint that sends `progress` events with a JSON snapshot. The browser's
 * EventSource reconnects by itself (the server's `retry:`), and the server answers a reconnect with the
 * current snapshot, so nothing is missed. A fresh server render (e.g. after an action) replaces the state.
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
    const source = new EventSource(url);
    source.onopen = () => setConnection("live");
    source.onerror = () => setConnection(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
    source.addEventListener("progress", (e) => {
      setSnapshot(JSON.parse((e as MessageEvent<string>).data) as T);
      setConnection("live");
    });
    source.addEventListener("gone", () => {
      source.close();
      setConnection("closed");
    });
    return () => source.close();
  }, [url]);

  return { snapshot, setSnapshot, connection };
}
