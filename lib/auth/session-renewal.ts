/**
 * How often an open, visible page renews its session (a new token with a fresh SESSION_MAX_AGE_SEC): sessions
 * slide while the user is active and expire after that long idle. Browser-safe.
 */
export const SESSION_RENEW_SEC = 15 * 60;
