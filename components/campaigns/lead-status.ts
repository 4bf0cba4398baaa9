import type { LeadStatusName } from "@/lib/campaigns/schema";

// How each lead status is named and coloured wherever it appears, in the order a lead moves through them.
export const LEAD_STATUS_VIEW: Record<LeadStatusName, { label: string; testId: string; tone: string; dot: string }> = {
  PENDING: { label: "Pending", testId: "pending", tone: "bg-slate-100 text-slate-700", dot: "bg-slate-400" },
  SCHEDULED: { label: "Scheduled retry", testId: "scheduled", tone: "bg-sky-50 text-sky-700", dot: "bg-sky-400" },
  QUEUED: { label: "Queued", testId: "queued", tone: "bg-indigo-50 text-indigo-700", dot: "bg-indigo-400" },
  DIALING: { label: "Dialing", testId: "dialing", tone: "bg-violet-100 text-violet-800", dot: "bg-violet-500" },
  COMPLETED: { label: "Completed", testId: "completed", tone: "bg-emerald-50 text-emerald-700", dot: "bg-emerald-500" },
  NO_ANSWER: { label: "No answer", testId: "no-answer", tone: "bg-amber-50 text-amber-800", dot: "bg-amber-400" },
  BUSY: { label: "Busy", testId: "busy", tone: "bg-orange-50 text-orange-800", dot: "bg-orange-500" },
  VOICEMAIL: { label: "Voicemail", testId: "voicemail", tone: "bg-teal-50 text-teal-800", dot: "bg-teal-500" },
  FAILED: { label: "Failed", testId: "failed", tone: "bg-rose-50 text-rose-700", dot: "bg-rose-500" },
  CANCELLED: { label: "Cancelled", testId: "cancelled", tone: "bg-slate-100 text-slate-500", dot: "bg-slate-300" },
  SUPPRESSED: { label: "Do not call", testId: "suppressed", tone: "bg-zinc-800 text-white", dot: "bg-zinc-800" },
};

export const OUTCOME_LABEL: Record<string, string> = {
  COMPLETED: "Answered",
  NO_ANSWER: "No answer",
  BUSY: "Busy",
  VOICEMAIL: "Voicemail",
  FAILED: "Failed",
  PROVIDER_ERROR: "Provider error",
};
