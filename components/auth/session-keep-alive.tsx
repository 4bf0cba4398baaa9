"use client";
import { getSession } from "next-auth/react";
import { useEffect } from "react";
import { SESSION_RENEW_SEC } from "@/lib/auth/session-renewal";

/**
 * Slides the session while someone is using the app: reading /api/auth/session re-issues the token with a fresh
 * expiry. Only while the page is visible, so a forgotten background tab does not keep a session alive forever.
 */
export function SessionKeepAlive() {
  useEffect(() => {
    let last = Date.now();
    function renew() {
      if (document.visibilityState !== "visible" || Date.now() - last < SESSION_RENEW_SEC * 1000) return;
      last = Date.now();
      void getSession();
    }
    const timer = setInterval(renew, 60_000);
    document.addEventListener("visibilitychange", renew);
    return () => {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", renew);
    };
  }, []);
  return null;
}
