// Who may use each page, form action and endpoint under src/routes, and for each action and
// write endpoint a VALID request, made fresh for every call: a refusal then proves the guard,
// not a bad body, and a permitted call proves the request would have written. The single
// source for authorization.test.ts; a new route fails that test until it is added here.
import { createApiToken } from '../../src/lib/server/api-tokens';
import { adjudicateItem } from '../../src/lib/server/adjudication';
import { lockBatch, requireVisibleBatch } from '../../src/lib/server/batches';
import { createTrait } from '../../src/lib/server/catalog';
import { markGold } from '../../src/lib/server/gold';
import type { AppDB } from '../../src/lib/server/db';
import type { Role } from '../../src/lib/roles';
import {
	assignResearcher,
	claimNextItem,
	setOverlap,
	submitReview
} from '../../src/lib/server/reviews';
import { claimed, completeInput } from '../../src/lib/server/reviews/testing';
import { resetPassword } from '../../src/lib/server/users';
import { makeUser, TEST_PASSWORD } from '../support/factories';
import { COMPARE_ACCESS } from './routes';
import { importGeneratedBatch } from '../support/review-batches';
import { reviewOfItem, reviewsJsonl } from '../support/review-lines';

export type Access = 'public' | Role;

/** What the walk's beforeAll built: one batch every role reviews, and a fixed cast. */
export type Fixture = {
	adminId: number;
	leadId: number;
	researcherId: number;
	batchId: number;
	itemId: number;
	constitutionId: number;
	traitId: number;
	claimedItemId: number;
	exportId: number;
};

export type WalkContext = {
	db: AppDB;
	fixture: Fixture;
	/** Who the request runs as; null when anonymous. */
	actorId: number | null;
};

/** A request made ready: route parameters (else the rule's own) and the form's fields. */
export type Prepared = { params?: Record<string, string>; fields: Record<string, string> };

export type ActionRule = {
	access: Access;
	prepare?: (ctx: WalkContext) => Prepared | Promise<Prepared>;
	/** Reads only: a permitted call need not change the database. */
	readOnly?: true;
	/** What a permitted, valid call still answers, and why (the default: success or redirect). */
	permitted?: { type: 'failure'; status: number; why: string };
};

/** A write endpoint's body: its query string, content type and content (and route parameters). */
export type Sent = { query: string; type: string; body: string; params?: Record<string, string> };

export type EndpointRule = {
	access: Access;
	send?: (ctx: WalkContext) => Sent | Promise<Sent>;
};

export type RouteRule = {
	page?: Access;
	actions?: Record<string, ActionRule>;
	endpoints?: Record<string, EndpointRule>;
	params?: (f: Fixture) => Record<string, string>;
};

let serial = 0;
const unique = (what: string) => `walk-${what}-${++serial}`;
const NEW_PASSWORD = 'a different long password';

/** A fresh open batch of two items, assigned to nobody. */
async function freshBatch(ctx: WalkContext, options: { draft?: boolean; lock?: boolean } = {}) {
	const { batchId, itemIds } = await importGeneratedBatch(ctx.db, ctx.fixture.leadId, {
		items: 2,
		overlap: 3,
		draft: options.draft
	});
	if (options.lock) lockBatch(ctx.db, ctx.fixture.leadId, batchId, true);
	return { batchId: String(batchId), itemId: String(itemIds[0]) };
}

/** Someone to own the work when the request is anonymous: the fixture's researcher. */
const reviewerOf = (ctx: WalkContext) => ctx.actorId ?? ctx.fixture.researcherId;

/** A fresh batch the request's user is assigned to, with an item the queue handed them. */
async function heldItem(ctx: WalkContext, stage: 'held' | 'submitted' = 'held') {
	const reviewer = reviewerOf(ctx);
	const { batchId } = await freshBatch(ctx);
	assignResearcher(ctx.db, ctx.fixture.adminId, Number(batchId), reviewer, null);
	const itemId = claimed(claimNextItem(ctx.db, reviewer, Number(batchId)));
	if (stage === 'submitted') submitReview(ctx.db, reviewer, itemId, completeInput(ctx.db, itemId));
	const payload = { ...completeInput(ctx.db, itemId), overallComment: 'on a second look' };
	return {
		params: { batchId, itemId: String(itemId) },
		fields: { payload: JSON.stringify(payload) }
	};
}

/** The review page's JSON endpoint (steps.server.ts) for a held item: its body as the page sends it. */
async function heldItemJson(ctx: WalkContext, extra: Record<string, unknown> = {}): Promise<Sent> {
	const { params, fields } = await heldItem(ctx);
	const body = JSON.stringify({ payload: JSON.parse(fields.payload), ...extra });
	return { params, query: '', type: 'application/json', body };
}

/** A JSONL file no earlier request sent, so an import of it is never a duplicate. */
function uniqueFile(): string {
	const tag = unique('file');
	return [1, 2]
		.map((n) =>
			JSON.stringify({
				trait: 'warmth',
				prompt: `Prompt ${n} of ${tag}`,
				responses: [{ content: `First answer ${n}` }, { content: `Second answer ${n}` }]
			})
		)
		.join('\n');
}

const batchParams = (f: Fixture) => ({ id: String(f.batchId) });

export const ACCESS: Record<string, RouteRule> = {
	...COMPARE_ACCESS,
	'/': { page: 'researcher' },
	'/account': {
		page: 'researcher',
		actions: {
			password: {
				access: 'researcher',
				prepare: async (ctx) => {
					// Each call starts from the known password, whatever an earlier one changed.
					if (ctx.actorId) await resetPassword(ctx.db, null, ctx.actorId, TEST_PASSWORD);
					return {
						fields: {
							currentPassword: TEST_PASSWORD,
							newPassword: NEW_PASSWORD,
							confirm: NEW_PASSWORD
						}
					};
				}
			}
		}
	},
	'/admin/assignments': {
		page: 'admin',
		actions: {
			assign: {
				access: 'admin',
				prepare: async (ctx) => ({
					fields: {
						batchId: String(ctx.fixture.batchId),
						userId: String((await makeUser(ctx.db)).id),
						quota: '5'
					}
				})
			},
			remove: {
				access: 'admin',
				prepare: async (ctx) => {
					const user = await makeUser(ctx.db);
					assignResearcher(ctx.db, ctx.fixture.adminId, ctx.fixture.batchId, user.id, null);
					return { fields: { batchId: String(ctx.fixture.batchId), userId: String(user.id) } };
				}
			},
			overlap: {
				access: 'admin',
				prepare: async (ctx) => ({
					fields: { batchId: (await freshBatch(ctx)).batchId, overlap: '5' }
				})
			},
			open: {
				access: 'admin',
				prepare: async (ctx) => ({
					fields: { batchId: (await freshBatch(ctx, { draft: true })).batchId }
				})
			}
		}
	},
	'/admin/audit': { page: 'admin' },
	'/admin/users': {
		page: 'admin',
		actions: {
			create: {
				access: 'admin',
				prepare: () => ({
					fields: { username: unique('user'), role: 'admin', password: NEW_PASSWORD }
				})
			}
		}
	},
	'/admin/users/[id]': {
		page: 'admin',
		actions: {
			role: {
				access: 'admin',
				prepare: async (ctx) => ({
					params: { id: String((await makeUser(ctx.db)).id) },
					fields: { role: 'admin' }
				})
			},
			disabled: {
				access: 'admin',
				prepare: async (ctx) => ({
					params: { id: String((await makeUser(ctx.db)).id) },
					fields: { disabled: 'on' }
				})
			},
			password: {
				access: 'admin',
				prepare: async (ctx) => ({
					params: { id: String((await makeUser(ctx.db)).id) },
					fields: { password: NEW_PASSWORD, confirm: NEW_PASSWORD }
				})
			}
		},
		params: (f) => ({ id: String(f.researcherId) })
	},
	'/admin/tokens': {
		page: 'admin',
		actions: {
			create: {
				access: 'admin',
				prepare: (ctx) => ({
					fields: { name: unique('token'), userId: String(ctx.fixture.leadId) }
				})
			},
			revoke: {
				access: 'admin',
				prepare: (ctx) => {
					const { id } = createApiToken(ctx.db, null, ctx.fixture.leadId, unique('token'));
					return { fields: { id: String(id) } };
				}
			}
		}
	},
	'/api/health': { endpoints: { GET: { access: 'public' } } },
	'/api/v1/batches/[id]/report': { endpoints: { GET: { access: 'lead' } }, params: batchParams },
	'/api/v1/exports': {
		endpoints: {
			POST: {
				access: 'lead',
				send: (ctx) => ({
					query: '',
					type: 'application/json',
					body: JSON.stringify({
						batchIds: [ctx.fixture.batchId],
						format: 'trl',
						lockedOnly: false
					})
				})
			}
		}
	},
	'/api/v1/exports/[id]/download': {
		endpoints: { GET: { access: 'lead' } },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/api/v1/imports': {
		endpoints: {
			POST: {
				access: 'lead',
				send: () => ({
					query: `batch=${unique('batch')}&constitution=${unique('constitution')}`,
					type: 'application/x-ndjson',
					body: uniqueFile()
				})
			}
		}
	},
	'/api/v1/openapi.json': { endpoints: { GET: { access: 'public' } } },
	'/api/v1/batches/[id]/reviews': {
		endpoints: {
			POST: {
				access: 'lead',
				// A reviewer no earlier request named (a new source), of the fixture's item, with the
				// overlap raised only if the item is full.
				send: (ctx) => {
					const { line, room } = reviewOfItem(ctx.db, ctx.fixture.itemId, 'reviewer-1');
					if (room < 1) {
						const { overlap } = requireVisibleBatch(ctx.db, ctx.fixture.batchId);
						setOverlap(ctx.db, ctx.fixture.adminId, ctx.fixture.batchId, overlap + 1);
					}
					return {
						query: `source=${unique('lab')}`,
						type: 'application/x-ndjson',
						body: reviewsJsonl([line])
					};
				}
			}
		},
		params: batchParams
	},
	'/batches': { page: 'lead' },
	'/batches/[id]': {
		page: 'lead',
		actions: {
			open: {
				access: 'lead',
				prepare: async (ctx) => ({
					params: { id: (await freshBatch(ctx, { draft: true })).batchId },
					fields: {}
				})
			},
			lock: {
				access: 'lead',
				prepare: async (ctx) => ({
					params: { id: (await freshBatch(ctx)).batchId },
					fields: { confirm: 'on' }
				})
			},
			unlock: {
				access: 'admin',
				prepare: async (ctx) => ({
					params: { id: (await freshBatch(ctx, { lock: true })).batchId },
					fields: {}
				})
			},
			goldRate: {
				access: 'lead',
				prepare: async (ctx) => ({
					params: { id: (await freshBatch(ctx)).batchId },
					fields: { goldRate: '12.5' }
				})
			},
			goldFromReferences: {
				access: 'lead',
				prepare: async (ctx) => ({ params: { id: (await freshBatch(ctx)).batchId }, fields: {} })
			}
		},
		params: batchParams
	},
	'/batches/[id]/dashboard': { page: 'lead', params: batchParams },
	'/batches/[id]/import-reviews': {
		page: 'lead',
		actions: {
			import: {
				access: 'lead',
				// Refused for want of a file, it writes nothing.
				readOnly: true,
				permitted: {
					type: 'failure',
					status: 400,
					why: 'the walk posts fields, not a file; review-imports.test.ts uploads one'
				}
			}
		},
		params: batchParams
	},
	'/batches/[id]/adjudicate': { page: 'lead', params: batchParams },
	'/batches/[id]/adjudicate/[itemId]': {
		page: 'lead',
		actions: {
			decide: {
				access: 'lead',
				prepare: async (ctx) => {
					const { batchId, itemId } = await freshBatch(ctx);
					return {
						params: { id: batchId, itemId },
						fields: { decision: 'exclude', note: 'off-topic prompt' }
					};
				}
			},
			clear: {
				access: 'lead',
				prepare: async (ctx) => {
					const { batchId, itemId } = await freshBatch(ctx);
					adjudicateItem(ctx.db, ctx.fixture.leadId, Number(batchId), Number(itemId), {
						decision: 'exclude',
						note: 'off-topic prompt'
					});
					return { params: { id: batchId, itemId }, fields: {} };
				}
			}
		},
		params: (f) => ({ id: String(f.batchId), itemId: String(f.itemId) })
	},
	'/batches/[id]/items/[itemId]': {
		page: 'lead',
		actions: {
			markGold: {
				access: 'lead',
				prepare: async (ctx) => {
					const { batchId, itemId } = await freshBatch(ctx);
					const ids = Object.keys(completeInput(ctx.db, Number(itemId)).ranks);
					const fields = Object.fromEntries(ids.map((id, i) => [`rank-${id}`, String(i + 1)]));
					return { params: { id: batchId, itemId }, fields };
				}
			},
			unmarkGold: {
				access: 'lead',
				prepare: async (ctx) => {
					const { batchId, itemId } = await freshBatch(ctx);
					const ids = Object.keys(completeInput(ctx.db, Number(itemId)).ranks).map(Number);
					markGold(ctx.db, ctx.fixture.leadId, Number(batchId), Number(itemId), [
						[ids[0]],
						ids.slice(1)
					]);
					return { params: { id: batchId, itemId }, fields: {} };
				}
			}
		},
		params: (f) => ({ id: String(f.batchId), itemId: String(f.itemId) })
	},
	'/constitutions': {
		page: 'lead',
		actions: {
			create: {
				access: 'lead',
				prepare: () => ({ fields: { name: unique('constitution'), description: 'Tone.' } })
			}
		}
	},
	'/constitutions/[id]': {
		page: 'lead',
		actions: {
			createTrait: {
				access: 'lead',
				prepare: () => ({
					fields: { key: unique('trait'), title: 'Candour', description: 'Says what it thinks.' }
				})
			}
		},
		params: (f) => ({ id: String(f.constitutionId) })
	},
	'/constitutions/[id]/traits/[traitId]': {
		page: 'lead',
		actions: {
			edit: {
				access: 'lead',
				prepare: (ctx) => ({
					params: freshTrait(ctx),
					fields: { title: 'Warmth, revised', description: 'Kind without flattery.' }
				})
			},
			archive: {
				access: 'lead',
				prepare: (ctx) => ({ params: freshTrait(ctx), fields: { archived: 'true' } })
			}
		},
		params: (f) => ({ id: String(f.constitutionId), traitId: String(f.traitId) })
	},
	'/dashboard': { page: 'lead' },
	'/exports': { page: 'lead' },
	'/exports/new': {
		page: 'lead',
		actions: {
			preview: { access: 'lead', prepare: (ctx) => exportForm(ctx), readOnly: true },
			run: { access: 'lead', prepare: (ctx) => exportForm(ctx) }
		}
	},
	'/exports/[id]': {
		page: 'lead',
		actions: { verify: { access: 'lead', readOnly: true } },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/exports/[id]/download': {
		endpoints: { GET: { access: 'lead' } },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/exports/[id]/card': {
		endpoints: { GET: { access: 'lead' } },
		params: (f) => ({ id: String(f.exportId) })
	},
	'/imports/new': {
		page: 'lead',
		actions: {
			open: {
				access: 'lead',
				prepare: async (ctx) => ({
					fields: { batchId: (await freshBatch(ctx, { draft: true })).batchId }
				})
			}
		}
	},
	'/imports/upload': {
		endpoints: {
			POST: {
				access: 'lead',
				send: () => ({
					query: `format=native&batch=${unique('batch')}&constitution=${unique('constitution')}&fileName=walk.jsonl`,
					type: 'application/octet-stream',
					body: uniqueFile()
				})
			}
		}
	},
	'/login': {
		page: 'public',
		actions: {
			default: {
				access: 'public',
				prepare: async (ctx) => ({
					fields: { username: (await makeUser(ctx.db)).username, password: TEST_PASSWORD }
				})
			}
		}
	},
	'/logout': { page: 'public', actions: { default: { access: 'public' } } },
	'/review/[batchId]': {
		page: 'researcher',
		actions: {
			next: {
				access: 'researcher',
				prepare: async (ctx) => {
					const { batchId } = await freshBatch(ctx);
					assignResearcher(ctx.db, ctx.fixture.adminId, Number(batchId), reviewerOf(ctx), null);
					return { params: { batchId }, fields: {} };
				}
			}
		},
		params: (f) => ({ batchId: String(f.batchId) })
	},
	'/review/[batchId]/next': {
		endpoints: {
			POST: {
				access: 'researcher',
				send: async (ctx) => {
					const { batchId } = await freshBatch(ctx);
					assignResearcher(ctx.db, ctx.fixture.adminId, Number(batchId), reviewerOf(ctx), null);
					return { params: { batchId }, query: '', type: 'application/json', body: '{}' };
				}
			}
		}
	},
	'/review/[batchId]/items/[itemId]/save': {
		endpoints: { POST: { access: 'researcher', send: (ctx) => heldItemJson(ctx) } }
	},
	'/review/[batchId]/items/[itemId]/submit': {
		endpoints: { POST: { access: 'researcher', send: (ctx) => heldItemJson(ctx) } }
	},
	'/review/[batchId]/items/[itemId]/skip': {
		endpoints: {
			POST: { access: 'researcher', send: (ctx) => heldItemJson(ctx, { reason: 'not my field' }) }
		}
	},
	'/review/[batchId]/items/[itemId]': {
		page: 'researcher',
		actions: {
			save: { access: 'researcher', prepare: (ctx) => heldItem(ctx) },
			submit: { access: 'researcher', prepare: (ctx) => heldItem(ctx) },
			update: { access: 'researcher', prepare: (ctx) => heldItem(ctx, 'submitted') },
			skip: {
				access: 'researcher',
				prepare: async (ctx) => {
					const held = await heldItem(ctx);
					return { ...held, fields: { ...held.fields, reason: 'not my field' } };
				}
			},
			next: { access: 'researcher', prepare: (ctx) => heldItem(ctx), readOnly: true },
			renew: { access: 'researcher', prepare: (ctx) => heldItem(ctx) }
		},
		params: (f) => ({ batchId: String(f.batchId), itemId: String(f.claimedItemId) })
	},
	'/reviews': { page: 'researcher' },
	'/setup': {
		page: 'public',
		actions: {
			default: {
				access: 'public',
				prepare: () => ({
					fields: {
						username: unique('first-admin'),
						password: NEW_PASSWORD,
						confirm: NEW_PASSWORD
					}
				}),
				permitted: { type: 'failure', status: 409, why: 'this app has its first admin already' }
			}
		}
	},
	'/batches/[id]/judge': {
		page: 'lead',
		actions: {
			send: {
				access: 'lead',
				// A fresh batch: the fixture's is exported, and an exported batch's items cannot be sent.
				prepare: async (ctx) => {
					const { batchId, itemId } = await freshBatch(ctx);
					return { params: { id: batchId }, fields: { itemId } };
				}
			}
		},
		params: batchParams
	}
};

function freshTrait(ctx: WalkContext) {
	const { trait } = createTrait(ctx.db, null, ctx.fixture.constitutionId, {
		key: unique('trait'),
		title: 'Warmth',
		description: 'Kind.'
	});
	return { id: String(ctx.fixture.constitutionId), traitId: String(trait.id) };
}

function exportForm(ctx: WalkContext): Prepared {
	// No `lockedOnly`: an unchecked box, so the open fixture batch may be exported.
	return {
		fields: { batchIds: String(ctx.fixture.batchId), format: 'trl', strategy: 'best-vs-worst' }
	};
}
