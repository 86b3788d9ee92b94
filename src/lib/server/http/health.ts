import { sql } from 'drizzle-orm';
import type { DB } from '../db';

/**
 * What the liveness check (`/api/health`) asks: that the database answers a query. It throws
 * when it cannot, so the check fails with a 500 and the error is logged with its id.
 */
export function checkDatabase(db: DB): void {
	db.get(sql`select 1`);
}
