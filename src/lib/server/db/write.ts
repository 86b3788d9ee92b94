import type { DB } from './index';

/** The transaction handle a write runs on: a DB like any other, for the domain functions. */
export type WriteTx = Parameters<Parameters<DB['transaction']>[0]>[0];

/**
 * Runs a lead's or admin's write in one IMMEDIATE transaction: it takes the write lock at
 * BEGIN, waiting its turn (the connection's busy timeout) while the server, the command line or
 * an admin command writes the same file. A deferred transaction would take the lock only at its
 * first write; if another process committed after its first read, that write fails at once with
 * SQLITE_BUSY_SNAPSHOT, which no busy timeout can wait out. Inside another transaction it is a
 * savepoint, as any nested transaction.
 */
export function inWriteTransaction<T>(db: DB, work: (tx: WriteTx) => T): T {
	return db.transaction(work, { behavior: 'immediate' });
}
