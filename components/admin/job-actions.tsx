"use client";
import { useTransition } from "react";
import { removeJobAction, retryJobAction } from "@/lib/admin/actions";

export function JobActions({ queue, jobId, canRetry }: { queue: string; jobId: string; canRetry: boolean }) {
  const [pending, start] = useTransition();
  return (
    <span className="flex justify-end gap-2">
      {canRetry && (
        <button type="button" disabled={pending} className="text-indigo-600 hover:underline" onClick={() => start(async () => void (await retryJobAction(queue, jobId)))}>Retry</button>
      )}
      <button type="button" disabled={pending} className="text-rose-600 hover:underline" onClick={() => start(async () => void (await removeJobAction(queue, jobId)))}>Remove</button>
    </span>
  );
}
