import pino from "pino";
import { env } from "./env";

// Structured logs; callers add tenantId / campaignId / leadId / attemptId as fields.
export const log = pino({ level: env().LOG_LEVEL });
