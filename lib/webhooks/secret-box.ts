// Endpoint secrets must be readable by the sender (it signs with them), so they are stored encrypted, not hashed:
// AES-256-GCM under a key derived from NEXTAUTH_SECRET. A database dump alone does not reveal them; rotating
// NEXTAUTH_SECRET makes existing secrets unreadable (deliveries then fail with a clear error: roll the endpoint's secret).
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { env } from "../env";

const VERSION = "v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", env().NEXTAUTH_SECRET, "fairdial", "webhook endpoint secrets", 32));
}

export function sealSecret(secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const sealed = Buffer.concat([cipher.update(secret, "utf8"), cipher.final()]);
  return [VERSION, iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), sealed.toString("base64url")].join(".");
}

export function openSecret(stored: string): string {
  const [version, iv, tag, sealed] = stored.split(".");
  if (version !== VERSION || !iv || !tag || !sealed) throw new Error("unrecognised webhook secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(sealed, "base64url")), decipher.final()]).toString("utf8");
}
