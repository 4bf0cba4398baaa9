import { z } from "zod";

// Shared by the forms (browser), the server actions and the REST API: one schema, one set of messages.
export const emailSchema = z.string().trim().toLowerCase().max(254, "Email is too long").pipe(z.email("Enter a valid email address"));

/** bcrypt ignores everything after the 72nd byte, so a longer password would be silently cut short. */
export const PASSWORD_MAX_BYTES = 72;

// The most-common-passwords check runs on the server only (lib/auth/password-policy.ts): its list is too large
// to ship to every browser that opens the sign-up form.
export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters")
  .refine((p) => new TextEncoder().encode(p).byteLength <= PASSWORD_MAX_BYTES, `Use at most ${PASSWORD_MAX_BYTES} bytes (72 plain letters; accented letters and emoji count as 2–4)`)
  .refine((p) => new Set(p).size >= 4, "This password is too repetitive; mix more characters");

export const personNameSchema = z.string().trim().min(1, "Enter your name").max(80, "Use at most 80 characters");
export const tenantNameSchema = z.string().trim().min(2, "Use at least 2 characters").max(80, "Use at most 80 characters");

export const signupSchema = z.object({
  organisation: tenantNameSchema,
  name: personNameSchema,
  email: emailSchema,
  password: passwordSchema,
});
export type SignupInput = z.infer<typeof signupSchema>;

export const signInSchema = z.object({ email: emailSchema, password: z.string().min(1, "Enter your password").max(128) });

export const roleSchema = z.enum(["OWNER", "MEMBER"]);
export const inviteSchema = z.object({ email: emailSchema, role: roleSchema.default("MEMBER") });
export const acceptInviteSchema = z.object({ name: personNameSchema, password: passwordSchema });
export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, "Enter your current password").max(128),
  newPassword: passwordSchema,
});
export const renameTenantSchema = z.object({ name: tenantNameSchema });

/** Platform-admin settings of a tenant (weight, caps). Empty cap = unlimited. */
export const tenantLimitsSchema = z.object({
  weight: z.coerce.number().int().min(1, "Weight is at least 1").max(1000, "Weight is at most 1000"),
  maxConcurrent: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().min(1).max(100_000).nullable()),
  maxCps: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().min(0.1).max(10_000).nullable()),
});
export type TenantLimits = z.infer<typeof tenantLimitsSchema>;

/** The highest frequency cap an owner may set: a cap above it would not protect anyone. */
export const MAX_CALLS_PER_WINDOW = 100;
const capMessage = `Enter a whole number from 1 to ${MAX_CALLS_PER_WINDOW}, or leave it empty for no limit`;

/**
 * One frequency cap: at most this many calls to one number per rolling window; null = off. A form sends "" for
 * off and digits as text; JSON sends null or a number. A missing value is refused rather than read as "off", so a
 * REST client that leaves a field out does not switch a cap off by accident.
 */
export const frequencyCapSchema = z.preprocess(
  (v) => (typeof v === "string" ? (v.trim() === "" ? null : /^\d+$/.test(v.trim()) ? Number(v.trim()) : v) : v),
  z
    .number({ error: (issue) => (issue.input === undefined ? "Required: a number of calls, or null for no limit" : capMessage) })
    .int(capMessage)
    .min(1, capMessage)
    .max(MAX_CALLS_PER_WINDOW, capMessage)
    .nullable(),
);

/** The settings form and setFrequencyCaps: calls to one number per rolling 24 hours and per rolling 30 days. */
export const frequencyCapsSchema = z.object({ per24h: frequencyCapSchema, per30d: frequencyCapSchema });
export type FrequencyCapsInput = z.infer<typeof frequencyCapsSchema>;

/** Body of PUT /api/v1/settings/calling-rules: the caps under the names GET answers with. */
export const callingRulesBodySchema = z.object({ callsPer24h: frequencyCapSchema, callsPer30d: frequencyCapSchema });
