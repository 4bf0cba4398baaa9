"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/actions/result";
import { Button } from "../ui/button";
import { CopyField } from "../ui/copy-field";
import { FormMessage } from "../ui/field";

type Actions = {
  setEnabled: (enabled: boolean) => Promise<ActionResult>;
  rollSecret: () => Promise<ActionResult<{ secret: string }>>;
  remove: () => Promise<ActionResult>;
};

/** Enable/disable, roll the secret, delete: an owner's controls on one endpoint. */
export function EndpointControls({ enabled, listPath, actions }: { enabled: boolean; listPath: string; actions: Actions }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  const run = (fn: () => Promise<ActionResult<unknown>>, after?: (data: unknown) => void) =>
    start(async () => {
      const result = await fn();
      if (!result.ok) return setError(result.message);
      setError(null);
      after?.(result.data);
      router.refresh();
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" disabled={pending} onClick={() => run(() => actions.setEnabled(!enabled))}>{enabled ? "Disable" : "Enable"}</Button>
        <Button
          variant="secondary"
          disabled={pending}
          onClick={() => {
            if (confirm("Roll the signing secret? The current one stops working at once.")) run(actions.rollSecret, (d) => setSecret((d as { secret: string }).secret));
          }}
        >
          Roll secret
        </Button>
        <Button
          variant="danger"
          disabled={pending}
          onClick={() => {
            if (confirm("Delete this endpoint and its delivery log?")) run(actions.remove, () => router.push(listPath));
          }}
        >
          Delete
        </Button>
      </div>
      {secret && <CopyField label="New signing secret, shown only once." value={secret} testId="endpoint-secret" />}
      <FormMessage message={error} />
    </div>
  );
}

/** Sends one delivery's event again. */
export function RedeliverButton({ action }: { action: () => Promise<ActionResult> }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [state, setState] = useState<string | null>(null);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="ghost"
        disabled={pending}
        onClick={() =>
          start(async () => {
            const result = await action();
            setState(result.ok ? "Queued" : result.message);
            router.refresh();
          })
        }
      >
        Redeliver
      </Button>
      {state && <span className="text-xs text-slate-500" role="status">{state}</span>}
    </span>
  );
}
