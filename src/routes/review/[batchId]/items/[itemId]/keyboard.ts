export type ReviewKeys = {
	score: (value: number) => void;
	move: (delta: number) => void;
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
	if (ctrl || event.altKey || isTyping(event.target)) return;
	if (document.querySelector('dialog[open]')) return;
	const onRadio = event.target instanceof HTMLInputElement && event.target.type === 'radio';
	if (/^[0-9]$/.test(event.key)) {
		const value = event.key === '0' ? 10 : Number(event.key);
		if (value <= points) {
			event.preventDefault();
			keys.score(value);
		}
	} else if (event.key === 'j' || (event.key === 'ArrowDown' && !onRadio)) {
		event.preventDefault();
		keys.move(1);
	} else if (event.key === 'k' || (event.key === 'ArrowUp' && !onRadio)) {
		event.preventDefault();
		keys.move(-1);
	} else if (event.key === 's') {
		event.preventDefault();
		keys.skip();
	} else if (event.key === '?') {
		event.preventDefault();
		keys.help();
	}
}
