import type { CampaignStatus } from "@prisma/client";
import { ConflictError } from "../errors";

// draft → running ⇄ paused → completed; cancelled from draft, running or paused. Completion is the engine's
// decision (no lead can be dialed any more), never a user action. Archiving is no status of its own: any campaign
// that is not running may be archived (and unarchived), and an archived one is never started or resumed.
export const CAMPAIGN_ACTIONS = ["start", "pause", "resume", "cancel"] as const;
export type CampaignAction = (typeof CAMPAIGN_ACTIONS)[number];

const TRANSITIONS: Record<CampaignAction, { from: CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ["DRAFT"], to: "RUNNING" },
  pause: { from: ["RUNNING"], to: "PAUSED" },
  resume: { from: ["PAUSED"], to: "RUNNING" },
  cancel: { from: ["DRAFT", "RUNNING", "PAUSED"], to: "CANCELLED" },
};

/** Actions that would make the campaign dial: refused while it is archived. */
const DIALING_ACTIONS: CampaignAction[] = ["start", "resume"];
/** A running campaign is dialing: it is paused, cancelled or completed before it may be archived. */
export const ARCHIVABLE_STATUSES: CampaignStatus[] = ["DRAFT", "PAUSED", "COMPLETED", "CANCELLED"];

export function nextStatus(current: CampaignStatus, action: CampaignAction, { archived = false } = {}): CampaignStatus {
  const rule = TRANSITIONS[action];
  if (!rule.from.includes(current)) throw new ConflictError(transitionError(current, action), "invalid_transition");
  if (archived && DIALING_ACTIONS.includes(action)) throw new ConflictError(`Cannot ${action} an archived campaign; unarchive it first.`, "campaign_archived");
  return rule.to;
}

export function allowedActions(current: CampaignStatus, { archived = false } = {}): CampaignAction[] {
  return CAMPAIGN_ACTIONS.filter((a) => TRANSITIONS[a].from.includes(current) && !(archived && DIALING_ACTIONS.includes(a)));
}

/** Why a campaign in this status may not be archived, or null when it may. */
export function archiveRefusal(current: CampaignStatus): string | null {
  return ARCHIVABLE_STATUSES.includes(current) ? null : "Cannot archive a running campaign; pause or cancel it first, or let it complete.";
}

function transitionError(current: CampaignStatus, action: CampaignAction) {
  const state = current.toLowerCase();
  if (action === "start" && (current === "RUNNING" || current === "PAUSED")) return `Campaign was already started (it is ${state}).`;
  if (action === "pause" && current === "PAUSED") return "Campaign is already paused.";
  if (action === "resume" && current === "RUNNING") return "Campaign is already running.";
  if (action === "resume" && current === "DRAFT") return "Cannot resume a campaign that was never started; start it instead.";
  return `Cannot ${action} a ${state} campaign.`;
}
