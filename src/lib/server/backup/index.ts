// Backups: a consistent online copy of the database and the exports folder with a manifest,
// the restore that checks it, and the schedule the server runs (BACKUP_DIR).
export { backupDatabase } from './backup';
export { restoreBackup } from './restore';
export {
	backupFolderName,
	listBackups,
	nextBackupDue,
	readBackupSchedule,
	runScheduledBackup,
	startBackupSchedule,
	type BackupSchedule
} from './schedule';
export { dataLocations, type DataLocations } from './locations';
export { MANIFEST_FILE, summarizeBackup, type Manifest } from './manifest';
