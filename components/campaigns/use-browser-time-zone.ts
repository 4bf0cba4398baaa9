"use client";
import { useSyncExternalStore } from "react";

/** The browser's own time zone; "UTC" during the server render and hydration, which cannot know it. */
export function useBrowserTimeZone() {
  return useSyncExternalStore(subscribe, browserTimeZone, () => "UTC");
}

function subscribe() {
  return () => {};
}

function browserTimeZone() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
