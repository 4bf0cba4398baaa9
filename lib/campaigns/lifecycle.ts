import type { CampaignStatus } from "@prisma/client";
import { ConflictError } from "../errors";

// draft → running ⇄ paused → completed; cancelled from draft, running or paused. Completion is the engine's
// decision (no lead can be dialed any more), never a user action.
export const CAMPAIGN_ACTIONS = ["start", "pause", "resume", "cancel"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

const TRANSITIONS: Record<CampaignAction, { from: CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ["DRAFT"], to: "RUNNING" },
  pause: { from: ["RUNNING"], to: "PAUSED" },
  resume: { from: ["PAUSED"], to: "RUNNING" },
  cancel: { from: ["DRAFT", "RUNNING", "PAUSED"], to: "CANCELLED" },
};

export function nextStatus(current: CampaignStatus, action: CampaignAction): CampaignStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) throw new ConflictError(transitionError(current, action), "invalid_transition");
  return rule.to;
}

export function allowedActions(current: CampaignStatus): CampaignAction[] {
  return CAMPAIGN_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(current));
}

function transitionError(current: CampaignStatus, action: CampaignAction) {
  const state = current.toLowerCase();
  if (action === "start" && (current === "RUNNING" || current === "PAUSED")) return `Campaign was already started (it is ${state}).`;
  if (action === "pause" && current === "PAUSED") return "Campaign is already paused.";
  if (action === "resume" && current === "RUNNING") return "Campaign is already running.";
  if (action === "resume" && current === "DRAFT") return "Cannot resume a campaign that was never started; start it instead.";
  return `Cannot ${action} a ${state} campaign.`;
}
