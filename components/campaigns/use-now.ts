"use client";
import { useSyncExternalStore } from "react";

// One clock for every component that says "in 3 h": ticks while anything listens, stops when nothing does.
const TICK_MS = 15_000;
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;
const listeners = new Set<() => void>();

/**
 * The viewer's clock, to the tick. The server render and hydration use `renderedAt` (the page's render time),
 * so both produce the same text; the browser's clock takes over right after.
 */
export function useNow(renderedAt: number) {
  return useSyncExternalStore(subscribe, () => now, () => renderedAt);
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, TICK_MS);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
