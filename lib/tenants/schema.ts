import { z } from "zod";

// Shared by the forms (browser), the server actions and the REST API: one schema, one set of messages.
export const emailSchema = z.string().trim().toLowerCase().max(254, "Email is too long").pipe(z.email("Enter a valid email address"));

export const passwordSchema = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(128, "Use at most 128 characters")
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
export const renameTenantSchema = z.object({ name: tenantNameSchema });

/** Platform-admin settings of a tenant (weight, caps). Empty cap = unlimited. */
export const tenantLimitsSchema = z.object({
  weight: z.coerce.number().int().min(1, "Weight is at least 1").max(1000, "Weight is at most 1000"),
  maxConcurrent: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().int().min(1).max(100_000).nullable()),
  maxCps: z.preprocess((v) => (v === "" || v === undefined ? null : v), z.coerce.number().min(0.1).max(10_000).nullable()),
});
export type TenantLimits = z.infer<typeof tenantLimitsSchema>;
