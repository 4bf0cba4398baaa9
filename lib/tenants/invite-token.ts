import { createHash, randomBytes } from "node:crypto";

// Invite links carry a random token; only its hash is stored, so a database leak exposes no usable links.
export function newInviteToken() {
  const token = randomBytes(24).toString("base64url");
  return { token, tokenHash: hashInviteToken(token) };
}

export function hashInviteToken(token: string) {
  return createHash("sha256").update(token).digest("hex");
}
