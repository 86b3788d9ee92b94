// Production start: fills in the settings adapter-node needs, then serves the built app with
// adapter-node's handler, behind the review lane (src/lib/server/http/review-lane.ts).
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const build = (/** @type {string} */ file) =>
	fileURLToPath(new URL(`../build/${file}`, import.meta.url));
if (!existsSync(build('handler.js'))) {
	console.error('No build found. Run `npm run build` first (or `npm run demo` to try it out).');
	process.exit(1);
}

process.env.HOST ??= '127.0.0.1';
// Imports stream files of hundreds of MB to disk; hooks.server.ts counts every body as it
// arrives and holds all but a lead's uploads to MAX_BODY_KB.
process.env.BODY_SIZE_LIMIT ??= 'Infinity';
process.env.PORT ??= '3000';
const host = process.env.HOST === '0.0.0.0' ? '127.0.0.1' : process.env.HOST;

// PORT=0 takes any free port, picked by the system as it binds (the tests run many servers at
// once). ORIGIN must name the port, and adapter-node reads ORIGIN as its handler loads, so
// listen first, then load the handler (adapter-node's entry for custom servers). Requests that
// arrive meanwhile wait for it.
/** @type {(app: { handler: Function, reviewLane?: Function }) => void} */
let loaded = () => {};
const app = new Promise((resolve) => (loaded = resolve));
const server = createServer(async (req, res) => {
	const { handler, reviewLane } = await app;
	// The lane answers the review page's JSON posts it is sure of, and leaves the rest alone.
	if (reviewLane && (await reviewLane(req, res))) return;
	handler(req, res, () => {
		res.statusCode = 404;
		res.end('Not found');
	});
});
await new Promise((resolve, reject) => {
	server.once('error', reject);
	server.listen({ port: Number(process.env.PORT), host: process.env.HOST }, () =>
		resolve(undefined)
	);
});
const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
process.env.PORT = String(port);
// adapter-node rejects form posts whose Origin differs from ORIGIN, so it must match the URL.
process.env.ORIGIN ??= `http://${host}:${port}`;
console.log(
	`Trait Review on ${process.env.ORIGIN} (database: ${process.env.DATABASE_PATH ?? './data/trait-review.db'})`
);

// Loading the handler starts the app: its init hook publishes the review lane.
const { handler } = await import(build('handler.js'));
loaded({
	handler,
	reviewLane: /** @type {any} */ (globalThis)[Symbol.for('trait-review.review-lane')]
});
for (const signal of ['SIGINT', 'SIGTERM']) {
	// As adapter-node does: let requests in flight finish, drop idle keep-alive connections.
	process.once(signal, () => {
		server.close(() => process.exit(0));
		server.closeIdleConnections();
	});
}
console.log(`Listening on http://${host}:${port}`);
