import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { backupDatabase } from './backup';
import { syncToDisk } from './files';
import { dataLocations, isInside, type DataLocations } from './locations';
import { summarizeBackup, type Manifest } from './manifest';

export type BackupSchedule = { dir: string; intervalHours: number; keep: number };

const DEFAULT_INTERVAL_HOURS = 24;
const DEFAULT_KEEP = 7;
const MAX_INTERVAL_HOURS = 24 * 366;

/**
 * BACKUP_DIR, BACKUP_INTERVAL_HOURS and BACKUP_KEEP, checked: null when BACKUP_DIR is unset
 * (no scheduled backups). A bad value throws, so that the server refuses to start rather than
 * run for weeks without the backups its operator asked for.
 */
export function readBackupSchedule(
	env: Record<string, string | undefined> = process.env,
	locations: DataLocations = dataLocations()
): BackupSchedule | null {
	const dir = env.BACKUP_DIR?.trim();
	const interval = env.BACKUP_INTERVAL_HOURS?.trim();
	const keep = env.BACKUP_KEEP?.trim();
	if (!dir) {
		const stray = [interval && 'BACKUP_INTERVAL_HOURS', keep && 'BACKUP_KEEP'].filter(Boolean);
		if (stray.length > 0) {
			throw new Error(
				`${stray.join(' and ')} ${stray.length > 1 ? 'are' : 'is'} set but BACKUP_DIR is not: set BACKUP_DIR to the folder for scheduled backups.`
			);
		}
		return null;
	}
	const intervalHours = interval ? Number(interval) : DEFAULT_INTERVAL_HOURS;
	if (!Number.isFinite(intervalHours) || intervalHours <= 0 || intervalHours > MAX_INTERVAL_HOURS) {
		throw new Error(
			`BACKUP_INTERVAL_HOURS must be a number of hours above 0 and at most ${MAX_INTERVAL_HOURS} (e.g. 24, or 0.5 for every half hour), not "${interval}".`
		);
	}
	const kept = keep ? Number(keep) : DEFAULT_KEEP;
	if (!Number.isInteger(kept) || kept < 1) {
		throw new Error(`BACKUP_KEEP must be a whole number of backups, 1 or more, not "${keep}".`);
	}
	const resolved = resolve(dir);
	if (isInside(resolved, locations.exportsDir)) {
		throw new Error(
			`BACKUP_DIR (${resolved}) is inside the exports folder (${locations.exportsDir}): each backup would copy the ones before it.`
		);
	}
	return { dir: resolved, intervalHours, keep: kept };
}

/** A backup's folder name: its start time in UTC, which sorts in time order. */
export function backupFolderName(date: Date): string {
	return date
		.toISOString()
		.replace(/\.\d{3}Z$/, 'Z')
		.replaceAll(':', '-');
}

const FOLDER_NAME = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})Z$/;
const PARTIAL = '.partial-';

function folderTime(name: string): number | null {
	const m = FOLDER_NAME.exec(name);
	return m ? Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}Z`) : null;
}

/** The finished backups in `dir`, newest first. */
export async function listBackups(dir: string): Promise<{ name: string; time: number }[]> {
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return [];
	}
	return names
		.map((name) => ({ name, time: folderTime(name) }))
		.filter((b): b is { name: string; time: number } => b.time !== null)
		.sort((a, b) => b.time - a.time);
}

/**
 * Takes one scheduled backup into a timestamped folder of `schedule.dir`, then removes all but
 * the newest `keep`. It is written under a `.partial-` name and renamed once its manifest is
 * on disk, so a folder with a timestamp is always a finished backup; partial ones left by a
 * crash are removed.
 */
export async function runScheduledBackup(
	schedule: BackupSchedule,
	from: DataLocations,
	now = new Date()
): Promise<{ path: string; manifest: Manifest; removed: string[] }> {
	await mkdir(schedule.dir, { recursive: true });
	for (const name of await readdir(schedule.dir)) {
		if (name.startsWith(PARTIAL))
			await rm(join(schedule.dir, name), { recursive: true, force: true });
	}
	const name = backupFolderName(now);
	const partial = join(schedule.dir, PARTIAL + name);
	const manifest = await backupDatabase(from, partial);
	const path = join(schedule.dir, name);
	await rename(partial, path);
	await syncToDisk(schedule.dir);
	const removed = (await listBackups(schedule.dir)).slice(schedule.keep).map((b) => b.name);
	for (const old of removed) await rm(join(schedule.dir, old), { recursive: true, force: true });
	return { path, manifest, removed };
}

/**
 * When the next backup is due: an interval after the newest one in the folder, so a restart
 * neither skips nor repeats one; now when there is none.
 */
export async function nextBackupDue(schedule: BackupSchedule, now = Date.now()): Promise<number> {
	const [newest] = await listBackups(schedule.dir);
	return newest ? newest.time + schedule.intervalHours * 3_600_000 : now;
}

/** setTimeout's longest delay (about 24.8 days); longer waits are taken in steps. */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Starts the scheduled backups set by BACKUP_DIR (nothing when it is unset; throws on bad
 * settings). A backup still running is never overlapped by the next.
 */
export function startBackupSchedule(
	schedule = readBackupSchedule(),
	from: DataLocations = dataLocations()
): { stop: () => void } | null {
	if (!schedule) return null;
	const intervalMs = schedule.intervalHours * 3_600_000;
	let timer: NodeJS.Timeout | undefined;
	let stopped = false;

	async function tick(): Promise<void> {
		const due = await nextBackupDue(schedule!);
		if (Date.now() >= due) {
			const started = performance.now();
			try {
				const { path, manifest } = await runScheduledBackup(schedule!, from);
				console.log(
					`Backup written to ${path} (${summarizeBackup(manifest)}) in ${((performance.now() - started) / 1000).toFixed(1)} s.`
				);
			} catch (e) {
				console.error(
					`The scheduled backup into ${schedule!.dir} failed; next try in one interval:`,
					e
				);
				return wait(intervalMs);
			}
			return wait(intervalMs);
		}
		wait(due - Date.now());
	}

	function wait(ms: number): void {
		if (stopped) return;
		timer = setTimeout(() => void tick(), Math.min(Math.max(ms, 0), MAX_DELAY_MS));
		// A pending backup never keeps the process alive.
		timer.unref();
	}

	wait(0);
	return {
		stop: () => {
			stopped = true;
			clearTimeout(timer);
		}
	};
}
