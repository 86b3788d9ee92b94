/**
 * A yes/no choice this browser keeps for one user (localStorage), so that it holds across
 * items and reloads. The server renders the default; the stored choice applies once the page
 * runs (`load`, from onMount), since the server cannot read it.
 */
export class RememberedFlag {
	value = $state(false);

	constructor(private readonly key: string) {}

	load() {
		try {
			const stored = localStorage.getItem(this.key);
			if (stored !== null) this.value = stored === 'true';
		} catch {
			// Storage can be off (private windows, policies): the choice then lasts for the page.
		}
	}

	set(value: boolean) {
		this.value = value;
		try {
			localStorage.setItem(this.key, String(value));
		} catch {
			// As in load: nothing to keep it in.
		}
	}
}
