import { env } from "../env";
import { verifyTwilioSignature } from "./twilio";

/**
 * Parses and authenticates a Twilio webhook. Twilio signs the public URL it called, so the URL is rebuilt
 * from PUBLIC_BASE_URL (behind a proxy the request's own URL is the internal one).
 */
export async function readTwilioWebhook(req: Request): Promise<{ ok: true; params: Record<string, string>; url: URL } | { ok: false; status: number; message: string }> {
  const config = env();
  if (!config.TWILIO_AUTH_TOKEN || !config.PUBLIC_BASE_URL) return { ok: false, status: 404, message: "Twilio is not configured" };
  const incoming = new URL(req.url);
  const publicUrl = new URL(incoming.pathname + incoming.search, config.PUBLIC_BASE_URL);
  const form = await req.formData();
  const params = Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)]));
  const valid = verifyTwilioSignature(config.TWILIO_AUTH_TOKEN, publicUrl.toString(), params, req.headers.get("x-twilio-signature"), req.headers.get("x-twilio-webhooks-signature-settings"));
  if (!valid) return { ok: false, status: 403, message: "Invalid Twilio signature" };
  return { ok: true, params, url: publicUrl };
}
