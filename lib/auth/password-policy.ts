// Server-side password rules on top of the browser-safe ones in lib/tenants/schema.ts: refuse the passwords that
// credential-stuffing and guessing try first. The list is zxcvbn-ts's "passwords-common" (about 49,000 entries
// from public breach corpora, maintained with zxcvbn-ts); loading it costs ~40 ms and ~10 MB once per process.
import { dictionary } from "@zxcvbn-ts/language-common";
import { acceptInviteSchema, changePasswordSchema, passwordSchema, signupSchema } from "../tenants/schema";

let common: Set<string> | undefined;

/** The list is lowercase; "Password123" is as guessable as "password123". */
export function isCommonPassword(password: string) {
  common ??= new Set(dictionary["passwords-common"]);
  return common.has(password.toLowerCase()) || common.has(password.trim().toLowerCase());
}

export const serverPasswordSchema = passwordSchema.refine(
  (p) => !isCommonPassword(p),
  "This is one of the most common passwords, so it is guessed first; choose another",
);

export const serverSignupSchema = signupSchema.extend({ password: serverPasswordSchema });
export const serverAcceptInviteSchema = acceptInviteSchema.extend({ password: serverPasswordSchema });
export const serverChangePasswordSchema = changePasswordSchema.extend({ newPassword: serverPasswordSchema });
