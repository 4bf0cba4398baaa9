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
