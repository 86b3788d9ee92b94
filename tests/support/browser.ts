import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

function findChromium(): string | null {
	const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
	return candidates.find((path): path is string => Boolean(path && existsSync(path))) ?? null;
}

export const chromiumPath = findChromium();

if (!chromiumPath) {
	const help =
		'No Chromium found for the browser tests. Install one (Debian/Ubuntu: `sudo apt-get install chromium`) ' +
		'or point CHROMIUM_PATH at a Chromium or Chrome binary.';
	if (process.env.CI === 'true')
		throw new Error(`${help} Under CI the browser tests are required.`);
	console.warn(`\n${'!'.repeat(100)}\n!! BROWSER TESTS SKIPPED. ${help}\n${'!'.repeat(100)}\n`);
}

/** Headless Chromium with the flags that keep it off the network (there is none here). */
export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath ?? undefined,
		headless: true,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync',
			'--disable-dev-shm-usage'
		]
	});
}
