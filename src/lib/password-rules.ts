/** Shared with the browser so forms can say the rule up front; the server enforces it. */
export const MIN_PASSWORD_LENGTH = 10;
export const MAX_PASSWORD_LENGTH = 256;
