import type { LiveConnection } from "./use-live-snapshot";

export function LiveIndicator({ connection }: { connection: LiveConnection }) {
  const view = {
    connecting: { text: "Connecting…", dot: "bg-slate-400" },
    live: { text: "Live", dot: "bg-emerald-500" },
    reconnecting: { text: "Reconnecting…", dot: "bg-amber-500" },
    limited: { text: "Paused: too many live views open in your tabs. Close one; this view resumes by itself.", dot: "bg-amber-500" },
    "signed-out": { text: "Live updates stopped: sign in again", dot: "bg-rose-500" },
    closed: { text: "Live updates stopped; reload the page", dot: "bg-rose-500" },
  }[connection];
  return (
    <span className="inline-flex items-center gap-1.5 text-xs text-slate-500" data-testid="live-status" role="status">
      <span aria-hidden className={`h-2 w-2 rounded-full ${view.dot}`} />
      {view.text}
    </span>
  );
}
