import { postStep } from '../../step-client';

/**
 * Saves the draft a moment after each change, and on demand. Saves never overlap: a change
 * made while one is in flight is saved right after it.
 */
export class DraftSaver {
	savedAt = $state<string | null>(null);
	saving = $state(false);
	error = $state<string | null>(null);
	private timer: ReturnType<typeof setTimeout> | undefined;
	private dirty = false;
	private stopped = false;

	constructor(
		private readonly payload: () => unknown,
		initialSavedAt: string | null,
		/** The item's save endpoint (steps.server.ts): fixed, so a late save never hits another item. */
		private readonly url: string,
		private readonly delayMs = 800
	) {
		this.savedAt = initialSavedAt;
	}

	/** While a submit is under way, autosave must not race it. */
	stop() {
		this.stopped = true;
		clearTimeout(this.timer);
	}

	resume() {
		this.stopped = false;
	}

	changed() {
		if (this.stopped) return;
		this.dirty = true;
		clearTimeout(this.timer);
		this.timer = setTimeout(() => this.save(), this.delayMs);
	}

	async save(): Promise<void> {
		clearTimeout(this.timer);
		if (this.stopped) return;
		if (this.saving) {
			this.dirty = true;
			return;
		}
		this.saving = true;
		this.dirty = false;
		try {
			const result = await postStep(this.url, { payload: this.payload() });
			if (result.type === 'error' && result.status === undefined) throw result.error;
			if (result.type === 'success') {
				this.savedAt = String(result.data?.savedAt ?? '');
				this.error = null;
			} else if (result.type === 'failure') {
				const errors = result.data?.errors as Record<string, string> | undefined;
				this.error = errors?.form ?? 'The draft could not be saved.';
			} else {
				this.error = 'The draft could not be saved: are you still signed in?';
			}
		} catch {
			this.error = 'The draft could not be saved: check your connection. It will retry.';
			this.dirty = true;
		} finally {
			this.saving = false;
		}
		if (this.dirty) this.changed();
	}

	/** Whether there are changes not yet saved. */
	get pending(): boolean {
		return this.dirty || this.saving;
	}
}
