/**
 * A chart's category label in lines of at most `width` characters, broken after an
 * underscore, hyphen, slash or space, so that trait keys such as
 * `follow_all_applicable_instructions` stay whole on a phone: chart.js gives the category axis
 * at most half the chart's width and cuts off whatever is longer. A single word longer than a
 * line is split where the line ends.
 */
export function wrapLabel(label: string, width: number): string | string[] {
	if (label.length <= width) return label;
	const lines: string[] = [];
	let line = '';
	for (const part of label.match(/[^_\s/-]*[_\s/-]*/g) ?? []) {
		if (line !== '' && (line + part).trimEnd().length > width) {
			lines.push(line.trimEnd());
			line = '';
		}
		line += part;
		while (line.length > width) {
			lines.push(line.slice(0, width));
			line = line.slice(width);
		}
	}
	if (line.trim() !== '') lines.push(line.trimEnd());
	return lines;
}

/**
 * About how many characters of the axis font (12 px) fit on the category axis of a chart this
 * wide: chart.js gives that axis at most half the width, less its title and padding.
 */
export function labelWidthFor(chartWidth: number): number {
	return Math.max(10, Math.floor((chartWidth / 2 - 30) / 6.5));
}

/** Pixels per bar: room for a label of up to two lines, more for one that wraps further. */
const ROW = 34;
const LINE = 15;

/** The height of a horizontal chart's rows once its labels are wrapped to `width` characters. */
export function rowsHeight(labels: readonly string[], width: number): number {
	return labels.reduce((sum, label) => {
		const wrapped = wrapLabel(label, width);
		const lines = typeof wrapped === 'string' ? 1 : wrapped.length;
		return sum + Math.max(ROW, lines * LINE + 4);
	}, 0);
}
