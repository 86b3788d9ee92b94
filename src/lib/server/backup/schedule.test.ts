import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { waitFor } from '../../../../tests/support/wait';
import { openDatabase } from '../db';
import {
	backupFolderName,
	listBackups,
	nextBackupDue,
	readBackupSchedule,
	runScheduledBackup,
	startBackupSchedule
} from './index';

const locations = { databasePath: '/srv/review/app.db', exportsDir: '/srv/review/exports' };
const read = (env: Record<string, string>) => readBackupSchedule(env, locations);

describe('readBackupSchedule', () => {
	it('is off without BACKUP_DIR, and takes 24 hours and 7 backups by default', () => {
		expect(read({})).toBeNull();
		expect(read({ BACKUP_DIR: '/srv/backups' })).toEqual({
			dir: '/srv/backups',
			intervalHours: 24,
			keep: 7
		});
		expect(read({ BACKUP_DIR: '/b', BACKUP_INTERVAL_HOURS: '0.5', BACKUP_KEEP: '30' })).toEqual({
			dir: '/b',
			intervalHours: 0.5,
			keep: 30
		});
	});

	it('refuses bad settings with a message that names the variable', () => {
		expect(() => read({ BACKUP_KEEP: '3' })).toThrow(/BACKUP_KEEP is set but BACKUP_DIR is not/);
		for (const hours of ['0', '-1', 'daily', '1e9', 'Infinity']) {
			expect(() => read({ BACKUP_DIR: '/b', BACKUP_INTERVAL_HOURS: hours })).toThrow(
				/^BACKUP_INTERVAL_HOURS must be a number of hours/
			);
		}
		for (const keep of ['0', '2.5', 'all']) {
			expect(() => read({ BACKUP_DIR: '/b', BACKUP_KEEP: keep })).toThrow(/^BACKUP_KEEP must be/);
		}
		expect(() => read({ BACKUP_DIR: '/srv/review/exports/backups' })).toThrow(
			/inside the exports folder/
		);
	});
});

function appDatabase() {
	const root = mkdtempSync(join(tmpdir(), 'backup-schedule-'));
	const from = { databasePath: join(root, 'app.db'), exportsDir: join(root, 'exports') };
	openDatabase(from.databasePath).$client.close();
	return { root, from, dir: join(root, 'backups') };
}

describe('runScheduledBackup', () => {
	it('writes timestamped folders, keeps the newest, and clears what a crash left', async () => {
		const { from, dir } = appDatabase();
		mkdirSync(join(dir, '.partial-2020-01-01T00-00-00Z'), { recursive: true });
		const schedule = { dir, intervalHours: 1, keep: 2 };
		const times = ['2026-01-01T10:00:00Z', '2026-01-01T11:00:00Z', '2026-01-01T12:00:00.250Z'];
		for (const time of times) await runScheduledBackup(schedule, from, new Date(time));
		expect(readdirSync(dir).sort()).toEqual(['2026-01-01T11-00-00Z', '2026-01-01T12-00-00Z']);
		expect((await listBackups(dir)).map((b) => b.name)).toEqual([
			'2026-01-01T12-00-00Z',
			'2026-01-01T11-00-00Z'
		]);
		expect(readdirSync(join(dir, '2026-01-01T12-00-00Z')).sort()).toEqual([
			'database.sqlite',
			'manifest.json'
		]);
	});
});

describe('startBackupSchedule', () => {
	it('takes a backup at once when there is none, and the next one an interval later', async () => {
		const { from, dir } = appDatabase();
		const schedule = { dir, intervalHours: 2, keep: 3 };
		expect(await nextBackupDue(schedule, 1234)).toBe(1234);
		const running = startBackupSchedule(schedule, from)!;
		await waitFor(async () => (await listBackups(dir)).length > 0, 'the first backup', {
			timeoutMs: 20_000,
			everyMs: 20
		});
		running.stop();
		const [taken] = await listBackups(dir);
		// A restart finds it, and waits for the rest of the interval.
		expect(await nextBackupDue(schedule)).toBe(taken.time + 2 * 3_600_000);
		expect(backupFolderName(new Date('2026-03-04T05:06:07.890Z'))).toBe('2026-03-04T05-06-07Z');
	});
});
