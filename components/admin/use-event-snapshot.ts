"use client";
import { useEffect, useState } from "react";

/** Keeps the latest `progress` snapshot from an SSE endpoint; EventSource reconnects by itself. */
export function useEventSnapshot<T>(url: string, initial: T) {
  const [snapshot, setSnapshot] = useState(initial);
  const [connected, setConnected] = useState(false);
  useEffect(() => {
    const source = new EventSource(url);
    source.addEventListener("open", () => setConnected(true));
    source.addEventListener("error", () => setConnected(false));
    source.addEventListener("progress", (e) => setSnapshot(JSON.parse((e as MessageEvent).data)));
    return () => source.close();
  }, [url]);
  return { snapshot, connected };
}
