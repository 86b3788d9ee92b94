/**
 * A canvas does not follow CSS: a chart reads the design tokens when it draws, so it has to draw
 * again when the system switches between light and dark. Read `version` in the drawing effect.
 * Create it while a component initialises (it sets up an effect).
 */
export class ColorScheme {
	version = $state(0);

	constructor() {
		$effect(() => {
			const query = matchMedia('(prefers-color-scheme: dark)');
			const redraw = () => this.version++;
			query.addEventListener('change', redraw);
			return () => query.removeEventListener('change', redraw);
		});
	}
}
