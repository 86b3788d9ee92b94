// Production start: fills in the settings adapter-node needs, then serves the built app with
// adapter-node's handler, behind the review lane (src/lib/server/http/review-lane.ts).
import { existsSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';

const build = (/** @type {string} */ file) =>
	fileURLToPath(new URL(`../build/${file}`, import.meta.url));
if (!existsSync(build('handler.js'))) {
	console.error('No build found. Run `npm run build` first (or `npm run demo` to try it out).');
	process.exit(1);
}

/** @param {string} message */
function refuse(message) {
	console.error(message);
	process.exit(1);
}

/**
 * A number of seconds from the environment, as adapter-node reads its timeouts.
 * @template {number | undefined} F
 * @param {string} name
 * @param {F} fallback
 * @returns {number | F}
 */
function seconds(name, fallback) {
	const raw = process.env[name];
	if (raw === undefined || raw === '') return fallback;
	const value = Number(raw);
	if (!Number.isFinite(value) || value < 0) {
		refuse(`${name} must be a number of seconds, 0 or more (it is "${raw}").`);
	}
	return value;
}

process.env.HOST ??= '127.0.0.1';
// Imports stream files of hundreds of MB to disk; hooks.server.ts counts every body as it
// arrives and holds all but a lead's uploads to MAX_BODY_KB.
process.env.BODY_SIZE_LIMIT ??= 'Infinity';
// Behind a proxy on the same machine, a Unix socket instead of a port. The proxy's public URL
// is then the only origin there is, so it must be given.
const socketPath = process.env.SOCKET_PATH || undefined;
if (socketPath && !process.env.ORIGIN) {
	refuse('SOCKET_PATH needs ORIGIN: the URL people open, e.g. https://review.example.org.');
}
if (!socketPath) process.env.PORT ??= '3000';
const host = process.env.HOST === '0.0.0.0' ? '127.0.0.1' : process.env.HOST;
// After SIGTERM or SIGINT, requests under way get this long to finish.
const shutdownSeconds = seconds('SHUTDOWN_TIMEOUT', 30);
const keepAliveSeconds = seconds('KEEP_ALIVE_TIMEOUT', undefined);
const headersSeconds = seconds('HEADERS_TIMEOUT', undefined);

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
if (keepAliveSeconds !== undefined) server.keepAliveTimeout = keepAliveSeconds * 1000;
if (headersSeconds !== undefined) server.headersTimeout = headersSeconds * 1000;
// A socket file left by a server that was killed would refuse the new one.
if (socketPath && existsSync(socketPath) && statSync(socketPath).isSocket()) rmSync(socketPath);
await new Promise((resolve, reject) => {
	server.once('error', reject);
	const where = socketPath
		? { path: socketPath }
		: { port: Number(process.env.PORT), host: process.env.HOST };
	server.listen(where, () => resolve(undefined));
}).catch((/** @type {Error} */ e) => refuse(`Cannot listen: ${e.message}`));
if (!socketPath) {
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	process.env.PORT = String(port);
	// adapter-node rejects form posts whose Origin differs from ORIGIN, so it must match the URL.
	process.env.ORIGIN ??= `http://${host}:${port}`;
}
console.log(
	`Trait Review on ${process.env.ORIGIN} (database: ${process.env.DATABASE_PATH ?? './data/trait-review.db'})`
);

// Loading the handler starts the app: its init hook publishes the review lane.
const { handler } = await import(build('handler.js'));
loaded({
	handler,
	reviewLane: /** @type {any} */ (globalThis)[Symbol.for('trait-review.review-lane')]
});
// Shutting down, as adapter-node does: take no new connection, let the requests under way
// finish (a review is answered only once it is on disk), and close each kept-alive connection
// as it falls idle. After SHUTDOWN_TIMEOUT seconds, whatever is left (an upload that stalled,
// say) is cut off: work not yet answered is rolled back, as after a crash. A second signal
// changes nothing (npm passes a terminal's Ctrl-C on to the server, which has it already).
let stopping = false;
/** @param {NodeJS.Signals} signal */
function shutDown(signal) {
	if (stopping) return;
	stopping = true;
	server.close(() => {
		/** @type {any} */ (process).emit('sveltekit:shutdown', signal);
		process.exit(0);
	});
	server.closeIdleConnections();
	setTimeout(() => server.closeAllConnections(), shutdownSeconds * 1000).unref();
}
process.on('SIGINT', shutDown);
process.on('SIGTERM', shutDown);
console.log(
	socketPath ? `Listening on ${socketPath}` : `Listening on http://${host}:${process.env.PORT}`
);
