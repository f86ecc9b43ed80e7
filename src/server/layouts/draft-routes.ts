// /api/v1/layouts/drafts/{draft}: a design draft read and edited over plain HTTP, for scripts and
// optimisers that propose a layout without speaking Yjs. Edits go into the same shared document the
// world page's design mode edits, so people in the draft see them at once.
import type { FastifyInstance } from 'fastify';
import { AuthError, ValidationError } from '../../core/errors.js';
import { DraftDoc } from '../../core/wire-draft.js';
import {
  ADDED_PREFIX,
  DRAFT_NAME_PATTERN,
  DRAFT_ROOM_PREFIX,
  LAYOUT_FIELDS,
} from '../../core/wire-layout.js';
import { draftChangeCount, readDraft } from '../../world/layout-draft.js';
import type { RouteDeps } from '../route-deps.js';
import { mayCollaborate } from '../collab/collab-routes.js';
import { scopeKey } from '../collab/CollabHub.js';

/** Objects one request may change: a whole line's worth, not a bulk import. */
const MAX_OBJECTS_PER_EDIT = 1000;

const draftParams = {
  type: 'object',
  required: ['draft'],
  properties: { draft: { type: 'string', pattern: DRAFT_NAME_PATTERN } },
} as const;

const override = {
  oneOf: [
    {
      type: 'object',
      additionalProperties: false,
      minProperties: 1,
      properties: Object.fromEntries(LAYOUT_FIELDS.map((field) => [field, { type: 'number' }])),
    },
    {
      type: 'object',
      additionalProperties: false,
      required: ['removed'],
      properties: { removed: { const: true } },
    },
    { type: 'null', description: 'Back to the plant as it is (the twin’s overrides are dropped)' },
  ],
} as const;

type Override = Partial<Record<(typeof LAYOUT_FIELDS)[number], number>> | { removed: true } | null;

interface EditBody {
  set: Record<string, Override>;
}

export async function draftRoutes(app: FastifyInstance, { collab }: RouteDeps): Promise<void> {
  const tags = ['layouts'];
  const answer = (doc: Parameters<typeof readDraft>[0], draft: string) => {
    const plain = readDraft(doc);
    return { draft, changes: draftChangeCount(plain), ...plain };
  };

  app.get<{ Params: { draft: string } }>(
    '/api/v1/layouts/drafts/:draft',
    {
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary:
          'A design draft as it is now: each twin’s overridden layout fields (or removed), and added equipment',
        params: draftParams,
      },
    },
    async (request) => {
      const { draft } = request.params;
      // Reading a draft nobody made answers an empty one; only editors create rooms.
      return answer(
        collab.read(scopeKey(request.principal!.prefixes), `${DRAFT_ROOM_PREFIX}${draft}`),
        draft,
      );
    },
  );

  app.patch<{ Params: { draft: string }; Body: EditBody }>(
    '/api/v1/layouts/drafts/:draft',
    {
      // Whoever may edit a draft in the world page may edit it here (writers, admins, the local demo).
      config: { permission: 'layouts:read' },
      schema: {
        tags,
        summary:
          'Change twins in a design draft: {"set": {TWIN: {x?, y?, rotation?, width?, depth?, height?} | ' +
          '{"removed": true} | null}}. Values are absolute (metres, degrees); null drops the overrides. ' +
          'People in the draft see the change at once.',
        params: draftParams,
        body: {
          type: 'object',
          required: ['set'],
          additionalProperties: false,
          properties: {
            set: {
              type: 'object',
              minProperties: 1,
              maxProperties: MAX_OBJECTS_PER_EDIT,
              additionalProperties: override,
            },
          },
        },
      },
    },
    async (request) => {
      const principal = request.principal!;
      if (!mayCollaborate(request.access)) {
        throw new AuthError('IMV_AUTH_FORBIDDEN', `Role ${principal.role} may not edit layout drafts`);
      }
      const { draft } = request.params;
      const edits = Object.entries(request.body.set);
      for (const [id, fields] of edits) {
        if (id.startsWith(ADDED_PREFIX)) {
          throw new ValidationError(
            'IMV_LAYOUT_DRAFT_INVALID',
            `${id}: added equipment is edited in the world page`,
            {
              path: `/set/${id}`,
            },
          );
        }
        for (const value of Object.values(fields ?? {})) {
          if (typeof value === 'number' && !Number.isFinite(value)) {
            throw new ValidationError(
              'IMV_LAYOUT_DRAFT_INVALID',
              `${id}: layout values must be finite numbers`,
            );
          }
        }
      }
      const scope = scopeKey(principal.prefixes);
      const room = `${DRAFT_ROOM_PREFIX}${draft}`;
      const doc = collab.document(scope, room);
      // Dropping overrides is always accepted, so a full draft can be made room in.
      if (edits.some(([, fields]) => fields !== null)) {
        collab.ensureSpace(scope, room, JSON.stringify(request.body).length);
      }
      const editor = new DraftDoc(doc, `http:${principal.name}`);
      try {
        doc.transact(() => {
          for (const [id, fields] of edits) {
            if (fields === null) editor.reset(id);
            else editor.set(id, fields);
          }
        }, editor.origin);
      } finally {
        editor.dispose();
      }
      request.log.info({ draft, objects: edits.length, by: principal.name }, 'layout draft edited');
      return answer(doc, draft);
    },
  );
}
