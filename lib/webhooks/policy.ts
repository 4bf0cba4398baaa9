import type { Env } from "../env";
import type { TargetPolicy } from "./target";

/** Plain http is for development and tests; production sends only over https, and only to public addresses unless allow-listed. */
export function targetPolicy(config: Pick<Env, "NODE_ENV" | "WEBHOOK_ALLOWED_TARGETS">): TargetPolicy {
  return { allowed: config.WEBHOOK_ALLOWED_TARGETS, allowHttp: config.NODE_ENV !== "production" };
}
