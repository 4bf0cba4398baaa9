// Picks the telephony provider named by TELEPHONY_PROVIDER. A new provider is one file plus one line in `factories`.
import type { Redis } from "ioredis";
import { EnvError, type Env } from "../env";
import type { TelephonyProvider } from "./provider";
import { SIM_PRESETS, SimulatedProvider } from "./simulated";
import { TwilioProvider } from "./twilio";

const factories: Record<Env["TELEPHONY_PROVIDER"], (env: Env, redis: Redis, keyPrefix: string) => TelephonyProvider> = {
  simulated: (env, redis, keyPrefix) => new SimulatedProvider(redis, keyPrefix, simulatedOptions(env)),
  twilio: (env) => new TwilioProvider(twilioConfig(env)),
};

export function createProvider(env: Env, redis: Redis): TelephonyProvider {
  return factories[env.TELEPHONY_PROVIDER](env, redis, `${env.QUEUE_PREFIX}:telephony`);
}

function simulatedOptions(env: Env) {
  const errorRate = env.SIM_PROVIDER_ERROR_RATE;
  return { ...SIM_PRESETS[env.SIM_PROFILE], seed: env.SIM_SEED, providerErrorRates: { rateLimited: errorRate / 2, server: errorRate / 2 }, optOutRate: env.SIM_OPT_OUT_RATE };
}

function twilioConfig(env: Env) {
  const required = { TWILIO_ACCOUNT_SID: env.TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN: env.TWILIO_AUTH_TOKEN, TWILIO_FROM_NUMBER: env.TWILIO_FROM_NUMBER, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL };
  const missing = Object.entries(required).filter(([, v]) => !v).map(([k]) => k);
  if (missing.length > 0) throw new EnvError(`TELEPHONY_PROVIDER=twilio needs ${missing.join(", ")}`);
  return {
    accountSid: required.TWILIO_ACCOUNT_SID!,
    authToken: required.TWILIO_AUTH_TOKEN!,
    fromNumber: required.TWILIO_FROM_NUMBER!,
    publicBaseUrl: required.PUBLIC_BASE_URL!,
    apiBase: env.TWILIO_API_BASE,
    requestTimeoutMs: env.TWILIO_REQUEST_TIMEOUT_MS,
  };
}
