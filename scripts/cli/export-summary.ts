import { describeDrops } from '../../src/lib/server/exports';
import type { Export } from '../../src/lib/server/db/schema';

/**
 * The card sections that hold what the content checks and the conflict detection found and
 * left out. They are read back from the card rather than re-described, so the terminal says
 * exactly what the export recorded (describeScreening writes them; raw reviews have none).
 */
const SCREENING_SECTIONS = ['## Content checks', '## Conflicts between traits'];

/** A markdown table's header rule, which says nothing on a terminal. */
const TABLE_RULE = /^\|( --- \|)+$/;

/** The card's content-check and conflict sections as terminal lines: headings, then indented. */
export function screeningLines(card: string): string[] {
	const lines: string[] = [];
	let inside = false;
	for (const line of card.split('\n')) {
		if (line.startsWith('## ')) {
			inside = SCREENING_SECTIONS.includes(line);
			if (inside) lines.push(`${line.slice(3)}:`);
		} else if (inside && line.trim() && !TABLE_RULE.test(line)) {
			lines.push(`  ${line}`);
		}
	}
	return lines;
}

/** What the export wrote and where, what it left out and why, and its checksum. */
export function printExportSummary(record: Export, out: string, folder: boolean) {
	console.log(
		`Export ${record.id}: ${record.rowCount} lines from ${record.itemsIn} items written to ${folder ? 'the folder ' : ''}${out}.`
	);
	for (const d of describeDrops(record.itemsOut))
		console.log(`  ${d.count} items left out: ${d.reason}.`);
	for (const line of screeningLines(record.card)) console.log(line);
	console.log(`SHA-256 ${record.sha256}`);
}
