"use client";
import type { IdleReason } from "@/lib/campaigns/progress";
import { concurrentLimitWords, heldBackWords } from "@/lib/campaigns/why-not-dialing";
import { formatClock, formatDayClock } from "../campaigns/format";
import { useMounted } from "../campaigns/use-mounted";

/** One sentence on whether calls are going out and, when they are not, why. */
export function DispatchStatus({ idle, linesInUse }: { idle: IdleReason | null; linesInUse: number }) {
  const mounted = useMounted();
  const { tone, title, detail } = describe(idle, linesInUse, mounted);
  return (
    <div className={`flex items-start gap-3 rounded-lg border px-4 py-3 text-sm ${tone}`} data-testid="dispatch-status" role="status">
      <span aria-hidden className="mt-1 h-2.5 w-2.5 shrink-0 rounded-full bg-current" />
      <div>
        <p className="font-medium">{title}</p>
        {detail && <p className="mt-0.5 opacity-80">{detail}</p>}
      </div>
    </div>
  );
}

const TONE = {
  ok: "border-emerald-200 bg-emerald-50 text-emerald-800",
  warn: "border-amber-200 bg-amber-50 text-amber-900",
  idle: "border-slate-200 bg-white text-slate-700",
};

function describe(idle: IdleReason | null, linesInUse: number, mounted: boolean): { tone: string; title: string; detail?: string } {
  if (!idle) return { tone: TONE.ok, title: `Dialing on ${linesInUse} ${linesInUse === 1 ? "line" : "lines"}.` };
  switch (idle.kind) {
    case "paused":
      return { tone: TONE.warn, title: "Dialing is paused for your organisation.", detail: "The platform operator paused your account; no new calls start until they resume it. Contact support if this is unexpected." };
    case "at_cap":
      if (idle.limit === 0) return { tone: TONE.warn, title: `Nothing is dialing: your account is ${concurrentLimitWords(0)}.`, detail: "The platform operator sets this limit; no call starts until they raise it." };
      return { tone: TONE.warn, title: `All your lines are busy: your account is ${concurrentLimitWords(idle.limit)}.`, detail: "The next call starts as soon as one ends." };
    case "no_running_campaigns":
      return { tone: TONE.idle, title: "Nothing is dialing: no campaign is running.", detail: "Start or resume a campaign to place calls." };
    case "waiting_for_dispatch":
      return { tone: TONE.idle, title: "Calls are about to start.", detail: "Pending leads are waiting for the dispatcher to hand them a line." };
    case "retries_scheduled":
      return {
        tone: TONE.idle,
        title: "Nothing is dialing: every remaining lead is a scheduled retry.",
        detail: idle.nextAt ? `The next retry is due ${mounted ? `at ${formatClock(idle.nextAt)}` : "soon"}.` : undefined,
      };
    case "frequency_capped":
      return {
        tone: TONE.idle,
        title: `Nothing is dialing: every remaining lead is ${heldBackWords(idle.held, idle.retries) ?? "at its frequency cap"}${idle.nextAt && mounted ? `; the next becomes dialable at ${formatDayClock(idle.nextAt)}` : ""}.`,
        detail: "Each number gets its next call once the oldest counted call ages out of the cap's period (Settings → Calling rules).",
      };
    case "no_callers":
      return { tone: TONE.warn, title: "Nothing is dialing: no callers are online.", detail: "Leads are waiting, but no caller process that serves your account is running; calls start as soon as one is back." };
    case "outside_window":
      return {
        tone: TONE.idle,
        title: idle.localTime && idle.zone ? `Nothing is dialing: every remaining lead is outside its calling hours until ${idle.localTime} ${idle.zone}.` : "Nothing is dialing: every remaining lead is outside its calling hours.",
        detail: `${idle.waiting.toLocaleString("en-US")} ${idle.waiting === 1 ? "lead waits" : "leads wait"} for their local calling window${idle.at && mounted ? `; the first opens at ${formatClock(idle.at)} your time` : ""}.`,
      };
    case "all_suppressed":
      return { tone: TONE.idle, title: "Nothing is dialing: all remaining leads are on a do-not-call list.", detail: `${idle.suppressed.toLocaleString("en-US")} ${idle.suppressed === 1 ? "lead is" : "leads are"} suppressed and will not be called.` };
    case "no_pending_leads":
      return { tone: TONE.idle, title: "Nothing is dialing: running campaigns have no leads left to call.", detail: "Calls still in progress finish; campaigns complete on their own." };
  }
}
