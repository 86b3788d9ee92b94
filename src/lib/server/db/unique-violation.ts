/**
 * Whether `e` is SQLite refusing a duplicate on `column` (written `table.column`, as SQLite names
 * it in the message). Races between two requests end here: the database is the only judge of
 * uniqueness, so callers insert first and turn this into a friendly message after.
 */
export function isUniqueViolation(e: unknown, column: string): boolean {
	return e instanceof Error && e.message.includes(`UNIQUE constraint failed: ${column}`);
}
