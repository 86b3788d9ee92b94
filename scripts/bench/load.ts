/** A fixed-concurrency load loop against one server, timing each step. */
import { setTimeout as sleep } from 'node:timers/promises';
import { mulberry32 } from '../../src/lib/prng';

export type Step = 'claim' | 'save' | 'submit';
export type StepClient = {
	claim(user: number): Promise<number | null>;
	save(user: number, itemId: number): Promise<void>;
	submit(user: number, itemId: number): Promise<void>;
};

export type LoadResult = {
	/** Latencies of the steps that started after the warm-up. */
	timings: Record<Step, number[]>;
	/** Submits acknowledged after the warm-up, over `seconds`. */
	submits: number;
	seconds: number;
	/** Every acknowledged submit, warm-up included: each must be in the database. */
	acknowledged: [number, number][];
	errors: number;
};

/**
 * Runs the loop for `warmUp + seconds`. The first `warmUp` seconds are not measured: they
 * load the server's code and warm its caches, as the first minutes of a working day would.
 *
 * With `thinkMs`, each researcher pauses before every step, for a time drawn evenly between
 * half and one and a half times `thinkMs` (seeded, so runs offer the same load): people read
 * and score between requests, and do not all act in the same millisecond. Without it the loop
 * keeps the server saturated, and latency measures the queue rather than the work.
 */
export async function runLoad(
	client: StepClient,
	users: number[],
	seconds: number,
	warmUp = 0,
	thinkMs = 0
): Promise<LoadResult> {
	const timings: Record<Step, number[]> = { claim: [], save: [], submit: [] };
	const acknowledged: [number, number][] = [];
	let submits = 0;
	let errors = 0;
	const start = performance.now() + warmUp * 1000;
	const deadline = start + seconds * 1000;
	const random = mulberry32(thinkMs);
	const timed = async <T>(step: Step, fn: () => Promise<T>): Promise<T> => {
		if (thinkMs > 0) await sleep(thinkMs * (0.5 + random()));
		const begun = performance.now();
		const value = await fn();
		if (begun >= start) timings[step].push(performance.now() - begun);
		return value;
	};
	await Promise.all(
		users.map(async (user) => {
			while (performance.now() < deadline) {
				try {
					const itemId = await timed('claim', () => client.claim(user));
					if (itemId === null) return;
					await timed('save', () => client.save(user, itemId));
					await timed('submit', () => client.submit(user, itemId));
					acknowledged.push([user, itemId]);
					if (performance.now() >= start) submits += 1;
				} catch (e) {
					errors += 1;
					if (errors < 5) console.error(String(e));
					if (errors > 100) throw e;
				}
			}
		})
	);
	return {
		timings,
		submits,
		seconds: (performance.now() - start) / 1000,
		acknowledged,
		errors
	};
}

export function percentile(values: number[], p: number): number {
	if (!values.length) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

import { Agent, request } from 'node:http';

const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/**
 * A POST over a keep-alive connection with node:http: lighter than fetch, so the load
 * generator, which shares the machine, takes less CPU from the server under test.
 */
export function httpPost(
	url: string,
	headers: Record<string, string>,
	body: string
): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{ method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (chunk) => (text += chunk));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
			}
		);
		req.on('error', reject);
		req.end(body);
	});
}
