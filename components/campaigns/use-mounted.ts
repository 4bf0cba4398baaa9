"use client";
import { useSyncExternalStore } from "react";

/** False during the server render and hydration, true after: for output that depends on the viewer's clock or zone. */
export function useMounted() {
  return useSyncExternalStore(subscribe, () => true, () => false);
}

function subscribe() {
  return () => {};
}
