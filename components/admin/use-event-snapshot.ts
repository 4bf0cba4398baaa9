"use client";
import { useLiveSnapshot } from "../campaigns/use-live-snapshot";

/** Keeps the latest `progress` snapshot from an SSE endpoint, reconnecting and backing off as the campaign page does. */
export function useEventSnapshot<T>(url: string, initial: T) {
  const { snapshot, connection } = useLiveSnapshot(url, initial);
  return { snapshot, connection };
}
