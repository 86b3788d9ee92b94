// Production start: fills in the settings adapter-node needs, then runs the built server.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = fileURLToPath(new URL('../build/index.js', import.meta.url));
if (!existsSync(entry)) {
	console.error('No build found. Run `npm run build` first (or `npm run demo` to try it out).');
	process.exit(1);
}

process.env.HOST ??= '127.0.0.1';
// Imports stream files of hundreds of MB to disk; hooks.server.ts counts every body as it
// arrives and holds all but a lead's uploads to MAX_BODY_KB.
process.env.BODY_SIZE_LIMIT ??= 'Infinity';
process.env.PORT ??= '3000';
// adapter-node rejects form posts whose Origin differs from ORIGIN, so it must match the URL.
process.env.ORIGIN ??= `http://${process.env.HOST === '0.0.0.0' ? '127.0.0.1' : process.env.HOST}:${process.env.PORT}`;

console.log(
	`Trait Review on ${process.env.ORIGIN} (database: ${process.env.DATABASE_PATH ?? './data/trait-review.db'})`
);
await import(entry);
