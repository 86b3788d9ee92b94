// Applies pending migrations to DATABASE_PATH without starting the app.
import { resolve } from 'node:path';
import { DEFAULT_DATABASE_PATH, openDatabase } from '../src/lib/server/db';

const path = process.env.DATABASE_PATH || DEFAULT_DATABASE_PATH;
const db = openDatabase(path);
db.$client.close();
console.log(`Database ${resolve(path)} is up to date.`);
