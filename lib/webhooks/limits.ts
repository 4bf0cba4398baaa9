export const MAX_URL_LENGTH = 2048;
