import { env } from "../env";
import { BodyTooLargeError, readCappedText } from "../http/body";
import { verifyTwilioSignature } from "./twilio";

/** Twilio's callbacks are a few hundred bytes of form fields; anything near this is not Twilio. */
export const TWILIO_WEBHOOK_MAX_BYTES = 16 * 1024;

/**
 * Parses and authenticates a Twilio webhook. Twilio signs the public URL it called, so the URL is rebuilt
 * from PUBLIC_BASE_URL (behind a proxy the request's own URL is the internal one). The route is public,
 * so the body is read under a cap before the signature can be checked.
 */
export async function readTwilioWebhook(req: Request): Promise<{ ok: true; params: Record<string, string>; url: URL } | { ok: false; status: number; message: string }> {
  const config = env();
  if (!config.TWILIO_AUTH_TOKEN || !config.PUBLIC_BASE_URL) return { ok: false, status: 404, message: "Twilio is not configured" };
  const incoming = new URL(req.url);
  const publicUrl = new URL(incoming.pathname + incoming.search, config.PUBLIC_BASE_URL);
  let text: string;
  try {
    text = await readCappedText(req, TWILIO_WEBHOOK_MAX_BYTES);
  } catch (err) {
    if (err instanceof BodyTooLargeError) return { ok: false, status: 413, message: `${err.message} Twilio callbacks are form posts of a few hundred bytes.` };
    throw err;
  }
  // Twilio posts application/x-www-form-urlencoded; a repeated field keeps its last value, as formData() did.
  const params = Object.fromEntries(new URLSearchParams(text));
  const valid = verifyTwilioSignature(config.TWILIO_AUTH_TOKEN, publicUrl.toString(), params, req.headers.get("x-twilio-signature"), req.headers.get("x-twilio-webhooks-signature-settings"));
  if (!valid) return { ok: false, status: 403, message: "Invalid Twilio signature" };
  return { ok: true, params, url: publicUrl };
}
