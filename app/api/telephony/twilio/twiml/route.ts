// POST /api/telephony/twilio/twiml — the default call script when a campaign has no TwiML URL of its own
import { attemptScript } from "@/lib/dispatch/provider-callbacks";
import { readTwilioWebhook } from "@/lib/telephony/twilio-webhook";

export async function POST(req: Request) {
  const hook = await readTwilioWebhook(req);
  if (!hook.ok) return new Response(hook.message, { status: hook.status });
  const script = await attemptScript(hook.url.searchParams.get("attemptId") ?? "");
  const greeting = script?.name ? `Hello ${script.name}.` : "Hello.";
  const body = `<?xml version="1.0" encoding="UTF-8"?><Response><Say>${escapeXml(greeting)} This is an automated call placed by fairdial.</Say></Response>`;
  return new Response(body, { headers: { "content-type": "text/xml" } });
}

function escapeXml(text: string) {
  return text.replace(/[<>&"']/g, (c) => ({ "<": "&lt;", ">": "&gt;", "&": "&amp;", '"': "&quot;", "'": "&apos;" })[c]!);
}
