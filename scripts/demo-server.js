// `npm run demo`'s server: `npm start`'s script, stopped once the demo is gone however it went.
// The demo holds this process's stdin, a pipe, open for as long as it lives; if the demo is
// killed outright, the pipe closes and the server shuts down as it would on SIGTERM. Unref'd:
// the pipe alone never keeps the server alive.
import process from 'node:process';

process.stdin.on('end', () => process.kill(process.pid, 'SIGTERM'));
process.stdin.resume();
process.stdin.unref();
await import('./start.js');
