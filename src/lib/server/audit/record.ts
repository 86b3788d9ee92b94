import type { DB } from '../db';
import { auditEvents } from '../db/schema';

export type AuditInput = {
	actorId: number | null;
	action: string;
	targetType: string;
	targetId?: string | number | null;
	oldValue?: unknown;
	newValue?: unknown;
};

export function recordAudit(db: DB, event: AuditInput, now = new Date()): void {
	db.insert(auditEvents)
		.values({
			actorId: event.actorId,
			action: event.action,
			targetType: event.targetType,
			targetId: event.targetId == null ? null : String(event.targetId),
			oldValue: event.oldValue ?? null,
			newValue: event.newValue ?? null,
			createdAt: now
		})
		.run();
}

/** Who took a copy of which training file: recorded once the file is found and being sent. */
export function recordExportDownload(db: DB, actorId: number, exportId: number): void {
	recordAudit(db, { actorId, action: 'export.download', targetType: 'export', targetId: exportId });
}
