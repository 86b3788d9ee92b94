import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir } from '../../../../tests/support/temp';
import { createGroupCommit } from './group-commit';
import { createLogSync, createSyncQueue } from './log-sync';

describe('createGroupCommit', () => {
	let path: string;
	let client: Database.Database;
	let other: Database.Database;

	beforeEach(() => {
		path = join(makeTempDir('group-'), 'test.db');
		client = new Database(path);
		client.pragma('journal_mode = WAL');
		client.exec('CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)');
		other = new Database(path, { readonly: true });
	});
	afterEach(() => {
		other.close();
		client.close();
	});

	const insert = (text: string) => () =>
		client.transaction(() => {
			client.prepare('INSERT INTO notes (text) VALUES (?)').run(text);
			if (text === 'bad') throw new Error('refused');
			return text;
		})();
	const committed = () =>
		(other.prepare('SELECT text FROM notes ORDER BY id').all() as { text: string }[]).map(
			(r) => r.text
		);

	it('runs work queued in the same turn in one transaction, and settles after the commit', async () => {
		const grouped = createGroupCommit(client);
		const seen: string[][] = [];
		const track = <T>(p: Promise<T>) => p.then((v) => (seen.push(committed()), v));
		const results = await Promise.all([
			track(grouped(insert('a'))),
			track(grouped(() => client.inTransaction && committed().length === 0)),
			track(grouped(insert('b')))
		]);
		expect(results).toEqual(['a', true, 'b']);
		// Another connection saw nothing while the group ran, and everything once any settled.
		expect(seen).toEqual([
			['a', 'b'],
			['a', 'b'],
			['a', 'b']
		]);
	});

	it('shares one commit among the group, and starts a new group on a later turn', async () => {
		const grouped = createGroupCommit(client);
		const watcher = new Database(path);
		const version = () => watcher.pragma('data_version', { simple: true }) as number;
		const before = version();
		await Promise.all([grouped(insert('a')), grouped(insert('b')), grouped(insert('c'))]);
		expect(version() - before).toBe(1);
		await grouped(insert('d'));
		expect(version() - before).toBe(2);
		watcher.close();
	});

	it('rolls back and rejects only the work that fails', async () => {
		const grouped = createGroupCommit(client);
		const settled = await Promise.allSettled([
			grouped(insert('a')),
			grouped(insert('bad')),
			grouped(insert('c'))
		]);
		expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
		expect((settled[1] as PromiseRejectedResult).reason.message).toBe('refused');
		expect(committed()).toEqual(['a', 'c']);
	});

	it('rejects the whole group, and runs nothing more, when the transaction is lost', async () => {
		const grouped = createGroupCommit(client);
		const ran: string[] = [];
		const settled = await Promise.allSettled([
			grouped(insert('a')),
			grouped(() => client.exec('ROLLBACK')),
			grouped(() => ran.push('after'))
		]);
		expect(settled.every((s) => s.status === 'rejected')).toBe(true);
		expect(ran).toEqual([]);
		expect(committed()).toEqual([]);
		// The next group works normally.
		await expect(grouped(insert('d'))).resolves.toBe('d');
		expect(committed()).toEqual(['d']);
	});
	it('acknowledges only once the log is synced, off the main thread, and keeps FULL', async () => {
		client.pragma('synchronous = FULL');
		let finishSync = () => {};
		let syncs = 0;
		const grouped = createGroupCommit(client, () => {
			syncs += 1;
			return new Promise((resolve) => (finishSync = resolve));
		});
		let settled = false;
		const pending = Promise.all([grouped(insert('a')), grouped(insert('b'))]).then((v) => {
			settled = true;
			return v;
		});
		// Committed and readable by others, but not acknowledged before its sync.
		while (syncs === 0) await new Promise((r) => setImmediate(r));
		expect(committed()).toEqual(['a', 'b']);
		await new Promise((r) => setImmediate(r));
		expect(settled).toBe(false);
		expect(client.pragma('synchronous', { simple: true })).toBe(2);
		finishSync();
		expect(await pending).toEqual(['a', 'b']);
		expect(syncs).toBe(1);
	});

	it('rejects the group when its log cannot be synced', async () => {
		client.pragma('synchronous = FULL');
		const grouped = createGroupCommit(client, () => Promise.reject(new Error('EIO')));
		const settled = await Promise.allSettled([grouped(insert('a')), grouped(insert('b'))]);
		expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
	});
});

describe('createSyncQueue', () => {
	/** A sync that runs until the test ends it, recording when each starts. */
	function manualSyncs() {
		const started: { finish: () => void; fail: (e: Error) => void }[] = [];
		const sync = () =>
			new Promise<void>((resolve, reject) => started.push({ finish: resolve, fail: reject }));
		return { started, sync };
	}
	const settledState = async (p: Promise<void>) => {
		let state = 'pending';
		p.then(
			() => (state = 'fulfilled'),
			() => (state = 'rejected')
		);
		for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
		return state;
	};

	it('gives each call a sync that starts after it, two at most at once, shared by who waits', async () => {
		const { started, sync } = manualSyncs();
		const synced = createSyncQueue(sync, 2);
		const a = synced();
		const b = synced();
		expect(started).toHaveLength(2);
		// Two run: the calls that come now wait for the next, and share it.
		const c = synced();
		const d = synced();
		expect(d).toBe(c);
		expect(started).toHaveLength(2);
		started[1].finish();
		expect(await settledState(b)).toBe('fulfilled');
		// The next sync started once a slot freed, after c and d were called: it is theirs alone.
		expect(started).toHaveLength(3);
		expect(await settledState(c)).toBe('pending');
		expect(await settledState(a)).toBe('pending');
		// A call now may not share the sync c and d wait for, which started before it.
		started[0].finish();
		expect(await settledState(a)).toBe('fulfilled');
		const e = synced();
		expect(e).not.toBe(c);
		expect(started).toHaveLength(4);
		started[2].finish();
		expect(await settledState(c)).toBe('fulfilled');
		expect(await settledState(e)).toBe('pending');
		started[3].finish();
		expect(await settledState(e)).toBe('fulfilled');
	});

	it('rejects the calls of a sync that fails, and syncs again for the next', async () => {
		const { started, sync } = manualSyncs();
		const synced = createSyncQueue(sync, 1);
		const a = synced();
		const b = synced();
		started[0].fail(new Error('EIO'));
		await expect(a).rejects.toThrow('EIO');
		// b waited for a sync of its own, which now runs.
		await new Promise((r) => setImmediate(r));
		expect(started).toHaveLength(2);
		started[1].finish();
		await expect(b).resolves.toBeUndefined();
	});
});

describe('createLogSync', () => {
	it('syncs the log file, and says so when it cannot', async () => {
		const path = join(makeTempDir('log-sync-'), 'test.db-wal');
		writeFileSync(path, 'frames');
		const synced = createLogSync(path);
		await Promise.all([synced(), synced(), synced()]);
		await synced();
		await expect(createLogSync(path + '-missing')()).rejects.toThrow(/ENOENT/);
	});
});
