// Account administration from the shell, for the first admin or when locked out.
//   npm run admin -- create-user --username NAME --role admin [--display-name "Full Name"]
//   npm run admin -- reset-password --username NAME
//   npm run admin -- create-token --username NAME --name LABEL
// The password is prompted for (hidden), or read from stdin when piped.
import password from '@inquirer/password';
import { parseArgs } from 'node:util';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../src/lib/server/db';
import { DomainError } from '../src/lib/server/errors';
import { hasRole, ROLES, type Role } from '../src/lib/roles';
import { createApiToken } from '../src/lib/server/api-tokens';
import { createUser, findUserForLogin, resetPassword } from '../src/lib/server/users';
import { isBackupCommand, runBackupCommand } from './admin-backup';

const USAGE = `Usage:
  npm run admin -- create-user --username NAME --role ${ROLES.join('|')} [--display-name NAME]
  npm run admin -- reset-password --username NAME
  npm run admin -- create-token --username NAME --name LABEL
The password is asked for, or read from standard input when it is piped.
create-token prints an API token acting as that lead or admin, once, on standard output.`;

async function readPassword(): Promise<string> {
	if (process.stdin.isTTY) {
		const first = await password({ message: 'Password', mask: '*' });
		const again = await password({ message: 'Password again', mask: '*' });
		if (first !== again) throw new DomainError('The two passwords differ.');
		return first;
	}
	let input = '';
	for await (const chunk of process.stdin) input += chunk;
	// Only the first line: `echo secret | npm run admin …` adds a newline.
	return input.split(/\r?\n/)[0];
}

async function main(): Promise<number> {
	if (isBackupCommand(process.argv[2])) return runBackupCommand(process.argv.slice(2));
	const { positionals, values } = parseArgs({
		allowPositionals: true,
		options: {
			username: { type: 'string' },
			role: { type: 'string' },
			'display-name': { type: 'string' },
			name: { type: 'string' },
			help: { type: 'boolean', short: 'h' }
		}
	});
	const command = positionals[0];
	if (values.help || !command) {
		console.log(USAGE);
		return values.help ? 0 : 2;
	}
	if (!values.username) {
		console.error(`--username is required.\n\n${USAGE}`);
		return 2;
	}
	if (command === 'create-token' && !values.name) {
		console.error(`--name is required: say what will use the token.\n\n${USAGE}`);
		return 2;
	}
	const db = openDatabase(process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH);

	if (command === 'create-user') {
		const role = values.role as Role;
		if (!ROLES.includes(role)) {
			console.error(`--role must be one of: ${ROLES.join(', ')}.`);
			return 2;
		}
		const user = await createUser(db, null, {
			username: values.username,
			displayName: values['display-name'],
			role,
			password: await readPassword()
		});
		console.log(`Created ${user.role} "${user.username}" (id ${user.id}).`);
		return 0;
	}
	if (command === 'reset-password') {
		const user = findUserForLogin(db, values.username);
		if (!user) {
			console.error(`There is no user "${values.username}".`);
			return 1;
		}
		await resetPassword(db, null, user.id, await readPassword());
		console.log(`Password reset for "${user.username}"; their sessions have ended.`);
		return 0;
	}
	if (command === 'create-token') {
		const user = findUserForLogin(db, values.username);
		if (!user) {
			console.error(`There is no user "${values.username}".`);
			return 1;
		}
		// The API takes imports and exports, which only leads and admins may do.
		if (!hasRole(user.role, 'lead')) {
			console.error(
				`Only leads and admins can have API tokens; "${user.username}" is a ${user.role}.`
			);
			return 1;
		}
		const { id, token } = createApiToken(db, null, user.id, values.name ?? '');
		console.error(
			`Created API token ${id} "${values.name}" acting as ${user.role} "${user.username}".\n` +
				'It is shown only this once; revoke it on the API tokens page.'
		);
		console.log(token);
		return 0;
	}
	console.error(`Unknown command "${command}".\n\n${USAGE}`);
	return 2;
}

main().then(
	(code) => process.exit(code),
	(e) => {
		if (e instanceof DomainError) {
			console.error(e.message);
			process.exit(1);
		}
		throw e;
	}
);
