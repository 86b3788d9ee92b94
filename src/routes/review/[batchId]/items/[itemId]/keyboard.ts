export type ReviewKeys = {
	score: (value: number) => void;
	move: (delta: -1 | 1) => void;
	/** Moves the current response up (-1) or down (1) in the ranking. */
	rank: (delta: -1 | 1) => void;
	/** Ties the current response with the one above it in the ranking, or unties it. */
	tie: () => void;
	submit: () => void;
	save: () => void;
	skip: () => void;
	help: () => void;
};

function isTyping(target: EventTarget | null): boolean {
	if (!(target instanceof HTMLElement)) return false;
	if (target.isContentEditable || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT')
		return true;
	return (
		target.tagName === 'INPUT' &&
		!['radio', 'checkbox', 'button'].includes((target as HTMLInputElement).type)
	);
}

/** A control that does its own thing with Enter: a link, a button, a field. */
function isControl(target: EventTarget | null): boolean {
	return (
		target instanceof HTMLElement &&
		Boolean(target.closest('a, button, input, select, textarea, summary'))
	);
}

/** The review page's shortcuts, listed in its `?` overlay. */
export function handleReviewKey(event: KeyboardEvent, keys: ReviewKeys, points: number): void {
	const ctrl = event.ctrlKey || event.metaKey;
	if (ctrl && event.key === 'Enter') {
		event.preventDefault();
		keys.submit();
		return;
	}
	if (ctrl && event.key.toLowerCase() === 's') {
		event.preventDefault();
		keys.save();
		return;
	}
	if (ctrl || isTyping(event.target)) return;
	if (document.querySelector('dialog[open]')) return;
	if (event.altKey) {
		if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
			event.preventDefault();
			keys.rank(event.key === 'ArrowUp' ? -1 : 1);
		}
		return;
	}
	const onRadio = event.target instanceof HTMLInputElement && event.target.type === 'radio';
	if (/^[0-9]$/.test(event.key)) {
		const value = event.key === '0' ? 10 : Number(event.key);
		if (value <= points) {
			event.preventDefault();
			keys.score(value);
		}
		return;
	}
	const action = (
		{
			j: () => keys.move(1),
			k: () => keys.move(-1),
			u: () => keys.rank(-1),
			d: () => keys.rank(1),
			t: keys.tie,
			s: keys.skip,
			'?': keys.help,
			...(!onRadio && { ArrowDown: () => keys.move(1), ArrowUp: () => keys.move(-1) })
		} as Record<string, () => void>
	)[event.key];
	if (action) {
		event.preventDefault();
		action();
	}
}

/**
 * Once a calibration review shows its reference labels, the page has one thing left to do:
 * Enter or Ctrl+Enter goes on to the next item (Enter on another link or button keeps its own
 * meaning), and `?` still lists the keys.
 */
export function handleRevealKey(
	event: KeyboardEvent,
	keys: { next: () => void; help: () => void }
) {
	if (document.querySelector('dialog[open]')) return;
	const ctrl = event.ctrlKey || event.metaKey;
	if (
		event.key === 'Enter' &&
		(ctrl || !isControl(event.target) || (event.target as HTMLElement).dataset.next !== undefined)
	) {
		event.preventDefault();
		keys.next();
	} else if (event.key === '?' && !ctrl && !isTyping(event.target)) {
		event.preventDefault();
		keys.help();
	}
}
