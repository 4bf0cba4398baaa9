// POST /api/telephony/twilio/status — Twilio's status callback: verifies the signature, records outcomes
import { recordTwilioStatus } from "@/lib/dispatch/provider-callbacks";
import { log } from "@/lib/log";
import { parseTwilioTimestamp } from "@/lib/telephony/twilio";
import { readTwilioWebhook } from "@/lib/telephony/twilio-webhook";

export async function POST(req: Request) {
  const hook = await readTwilioWebhook(req);
  if (!hook.ok) return new Response(hook.message, { status: hook.status });
  const attemptId = hook.url.searchParams.get("attemptId");
  if (!attemptId) return new Response("attemptId missing", { status: 400 });
  const duration = hook.params.CallDuration ? Number(hook.params.CallDuration) : null;
  const result = await recordTwilioStatus({
    attemptId,
    callSid: hook.params.CallSid ?? null,
    callStatus: hook.params.CallStatus ?? "",
    answeredBy: hook.params.AnsweredBy ?? null,
    durationSec: Number.isFinite(duration) ? duration : null,
    timestamp: parseTwilioTimestamp(hook.params.Timestamp),
    sequence: hook.params.SequenceNumber !== undefined && /^\d+$/.test(hook.params.SequenceNumber) ? Number(hook.params.SequenceNumber) : null,
  });
  log.info({ attemptId, callStatus: hook.params.CallStatus, result }, "twilio status callback");
  return new Response(null, { status: 204 });
}
