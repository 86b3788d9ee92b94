import type { DraftSaver } from './draft-saver.svelte';

/** Time on the item, counted only while the page is visible (`watch` from onMount). */
export class TimeOnItem {
	private spentMs: number;
	private visibleSince = performance.now();

	constructor(alreadySpentMs: number) {
		this.spentMs = alreadySpentMs;
	}

	get ms(): number {
		const visible = typeof document !== 'undefined' && !document.hidden;
		return Math.round(this.spentMs + (visible ? performance.now() - this.visibleSince : 0));
	}

	watch(): () => void {
		const onVisibility = () => {
			if (document.hidden) this.spentMs += performance.now() - this.visibleSince;
			else this.visibleSince = performance.now();
		};
		document.addEventListener('visibilitychange', onVisibility);
		return () => document.removeEventListener('visibilitychange', onVisibility);
	}
}

/**
 * While the page is open: keeps the item's lease alive as long as it is being reviewed, and
 * asks before leaving with a draft not yet saved. Returns the cleanup, for onMount.
 */
export function holdItem(saver: DraftSaver, reviewing: () => boolean): () => void {
	const heartbeat = setInterval(() => {
		if (reviewing())
			fetch('?/renew', {
				method: 'POST',
				body: new FormData(),
				headers: { 'x-sveltekit-action': 'true' }
			});
	}, 5 * 60_000);
	const beforeUnload = (e: BeforeUnloadEvent) => {
		if (saver.pending) e.preventDefault();
	};
	window.addEventListener('beforeunload', beforeUnload);
	return () => {
		window.removeEventListener('beforeunload', beforeUnload);
		clearInterval(heartbeat);
	};
}
