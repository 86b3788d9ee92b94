// The audit log as a person reads it: names instead of ids, and each event's old and new
// values as "field: old → new" lines instead of raw JSON.
import type { DB } from '../db';
import type { AuditRow } from './list';
import {
	BATCH_LIST_FIELDS,
	isRecord,
	numericId,
	PER_RESPONSE_FIELDS,
	readNames,
	RESPONSE_ORDER_FIELDS,
	USER_FIELDS,
	type Names
} from './names';

/** One line of an event's details. `from` is null for what was created, `to` for what went. */
export type AuditChange = { field: string; from: string | null; to: string | null };

export type AuditEntry = {
	id: number;
	createdAt: Date;
	actor: string | null;
	action: string;
	target: { type: string; label: string; href: string | null };
	changes: AuditChange[];
};

const TARGET_TYPES: Record<string, string> = {
	user: 'User',
	batch: 'Batch',
	export: 'Export',
	trait: 'Trait',
	constitution: 'Constitution',
	item: 'Item',
	review: 'Review',
	api_token: 'API token'
};

/** How the log names a kind of target, e.g. "API token" for `api_token`. */
export function auditTargetTypeLabel(type: string): string {
	return TARGET_TYPES[type] ?? type;
}

/** Comments can be long: the log shows their start. */
const LONGEST_VALUE = 300;

/** "overallComment" → "overall comment". */
const fieldName = (key: string) => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();

function formatValue(value: unknown): string {
	if (value === null || value === undefined) return '—';
	if (typeof value === 'boolean') return value ? 'yes' : 'no';
	if (Array.isArray(value)) return value.length ? value.map(formatValue).join(', ') : 'none';
	if (isRecord(value)) return JSON.stringify(value);
	const text = String(value);
	if (text === '') return '(empty)';
	return text.length > LONGEST_VALUE ? `${text.slice(0, LONGEST_VALUE)}…` : text;
}

function nameOf(map: Map<number, string>, id: unknown, kind: string): string {
	return map.get(numericId(id) ?? -1) ?? `${kind} #${String(id)}`;
}

/** "response A > response B = response C": best first, ties joined. */
function orderText(order: unknown[], names: Names): string {
	return order
		.map((group) =>
			(Array.isArray(group) ? group : [group])
				.map((id) => nameOf(names.responses, id, 'response'))
				.join(' = ')
		)
		.join(' > ');
}

/** A value as field → text: nested objects flattened ("a, b"), ids named. */
function flatten(value: unknown, names: Names, prefix = ''): Map<string, string> {
	const lines = new Map<string, string>();
	if (!isRecord(value)) {
		if (value !== null && value !== undefined) lines.set(prefix || 'value', formatValue(value));
		return lines;
	}
	for (const [key, v] of Object.entries(value)) {
		const field = prefix ? `${prefix}, ${fieldName(key)}` : fieldName(key);
		if (USER_FIELDS.has(key)) lines.set(prefix ? field : 'user', nameOf(names.users, v, 'user'));
		else if (BATCH_LIST_FIELDS.has(key) && Array.isArray(v))
			lines.set(field, v.map((id) => nameOf(names.batches, id, 'batch')).join(', '));
		else if (RESPONSE_ORDER_FIELDS.has(key) && Array.isArray(v))
			lines.set(field, orderText(v, names));
		else if (PER_RESPONSE_FIELDS.has(key) && isRecord(v))
			for (const [id, each] of Object.entries(v))
				lines.set(`${field}, ${nameOf(names.responses, id, 'response')}`, formatValue(each));
		else if (isRecord(v)) for (const [f, text] of flatten(v, names, field)) lines.set(f, text);
		else lines.set(field, formatValue(v));
	}
	return lines;
}

/** The lines that differ between old and new: a field that kept its value is left out. */
function describeChanges(oldValue: unknown, newValue: unknown, names: Names): AuditChange[] {
	const before = flatten(oldValue, names);
	const after = flatten(newValue, names);
	return [...new Set([...before.keys(), ...after.keys()])]
		.filter((field) => before.get(field) !== after.get(field))
		.map((field) => ({ field, from: before.get(field) ?? null, to: after.get(field) ?? null }));
}

/**
 * A page of the audit log as a person reads it: the target and the ids in the details named
 * (users, batches, exports, traits, items, responses…), and the details as "field: old → new"
 * lines. A target that no longer exists keeps its id.
 */
export function describeAuditEvents(db: DB, rows: AuditRow[]): AuditEntry[] {
	const names = readNames(db, rows);
	return rows.map((row) => {
		const named = names.targets.get(`${row.targetType}:${row.targetId}`);
		return {
			id: row.id,
			createdAt: row.createdAt,
			actor: row.actor,
			action: row.action,
			target: {
				type: auditTargetTypeLabel(row.targetType),
				label: named?.label ?? (row.targetId ? `#${row.targetId}` : ''),
				href: named?.href ?? null
			},
			changes: describeChanges(row.oldValue, row.newValue, names)
		};
	});
}
