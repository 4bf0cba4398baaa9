import bcrypt from "bcryptjs";

// bcrypt cost 11 ≈ 150 ms per hash here: slow enough to hurt offline guessing, fast enough for sign-in.
const COST = Number(process.env.BCRYPT_COST ?? 11);

export function hashPassword(password: string) {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string) {
  return bcrypt.compare(password, hash);
}
