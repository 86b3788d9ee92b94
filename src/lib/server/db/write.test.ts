import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { makeConstitution, makeTrait, makeUser } from '../../../../tests/support/factories';
import { makeTempDir } from '../../../../tests/support/temp';
import { editTrait, getTrait } from '../catalog';
import { changeRole, getUser } from '../users';
import { openDatabase, type AppDB } from './index';
import * as schema from './schema';

/**
 * Issue #12: a lead's write while another process writes the same file waits its turn. The
 * other process is a second connection that commits a write at the worst moment for a deferred
 * transaction: after the lead's write has read, before it writes. A drizzle logger, which runs
 * just before each statement, gives that moment without threads or timing.
 */

const opened: { close(): void }[] = [];
afterEach(() => {
	for (const connection of opened.splice(0).reverse()) connection.close();
});

async function twoConnections() {
	const path = join(makeTempDir('write-'), 'shared.db');
	const db = openDatabase(path);
	const other = new Database(path);
	// The other process's own writes must not wait here: this test runs on one thread.
	other.pragma('busy_timeout = 0');
	opened.push(db.$client, other);
	const lead = await makeUser(db, { role: 'lead' });
	return { db, other, lead };
}

/**
 * `db` seen through a logger that lets `other` commit an audit row right before the first write
 * statement. When the lead holds the write lock already (an immediate transaction), the other
 * process cannot write then, and does so once the lead's transaction is over, as it would wait
 * its turn. `finish()` runs that late write and says when the other write happened.
 */
function withInterleavedWriter(db: AppDB, other: Database.Database) {
	const otherWrite = other.prepare(
		`INSERT INTO audit_events (action, target_type, created_at) VALUES ('other.process', 'test', 0)`
	);
	let state: 'not yet' | 'before the lead wrote' | 'waited' = 'not yet';
	const interleaved = drizzle(db.$client, {
		schema,
		logger: {
			logQuery(query) {
				if (state !== 'not yet' || !/^\s*(insert|update|delete)\b/i.test(query)) return;
				// The other process holds a read snapshot, then writes and commits.
				other.prepare('BEGIN').run();
				other.prepare('SELECT count(*) FROM users').get();
				try {
					otherWrite.run();
					other.prepare('COMMIT').run();
					state = 'before the lead wrote';
				} catch (e) {
					other.prepare('ROLLBACK').run();
					if ((e as { code?: string }).code !== 'SQLITE_BUSY') throw e;
					state = 'waited';
				}
			}
		}
	});
	return {
		db: interleaved,
		finish() {
			if (state === 'waited') otherWrite.run();
			return state;
		}
	};
}

describe('a lead write while another process writes', () => {
	it('edits a trait: waits its turn instead of failing with "database is locked"', async () => {
		const { db, other, lead } = await twoConnections();
		const { trait } = makeTrait(db, makeConstitution(db).id, { title: 'Warmth' });
		const writer = withInterleavedWriter(db, other);

		editTrait(writer.db, lead.id, trait.id, { title: 'Warmth, revised' });

		expect(writer.finish()).toBe('waited');
		expect(getTrait(db, trait.id)?.current.title).toBe('Warmth, revised');
		const others = other
			.prepare(`SELECT count(*) FROM audit_events WHERE action = 'other.process'`)
			.pluck()
			.get();
		expect(others).toBe(1);
	});

	it('changes a role: waits its turn instead of failing with "database is locked"', async () => {
		const { db, other, lead } = await twoConnections();
		const researcher = await makeUser(db, { role: 'researcher' });
		const writer = withInterleavedWriter(db, other);

		changeRole(writer.db, lead.id, researcher.id, 'lead');

		expect(writer.finish()).toBe('waited');
		expect(getUser(db, researcher.id)?.role).toBe('lead');
	});
});
