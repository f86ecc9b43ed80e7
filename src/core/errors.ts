// The registry of stable error codes: each code's HTTP status, title and what the caller should do.
// A code, once published, keeps its meaning; retired codes go to RETIRED_CODES and are never reused.

export interface ErrorSpec {
  readonly status: number;
  readonly title: string;
  /** What the caller can do about it. */
  readonly hint: string;
}

export const ERROR_CODES = {
  IMV_REQUEST_INVALID_JSON: {
    status: 400,
    title: 'Request body is not valid JSON',
    hint: 'Send a well-formed JSON document with Content-Type: application/json.',
  },
  IMV_REQUEST_INVALID: {
    status: 400,
    title: 'Request is invalid',
    hint: 'Correct the field named in "path"; the API reference lists each field and its type.',
  },
  IMV_REQUEST_JSON_TOO_DEEP: {
    status: 400,
    title: 'Request body nests too deeply',
    hint: 'Send JSON whose arrays and objects nest at most jsonMaxDepth levels (64 by default); flatten the structure.',
  },
  IMV_REQUEST_TOO_LARGE: {
    status: 413,
    title: 'Request body is too large',
    hint: 'Split the request, or use the bulk import (`imverse twin import`) for large plants.',
  },
  IMV_POLICY_INVALID: {
    status: 400,
    title: 'Policy is invalid',
    hint: 'Correct the entry named in "path"; docs/security.md describes subjects, resources and actions.',
  },
  IMV_POLICY_NOT_FOUND: {
    status: 404,
    title: 'No such policy',
    hint: 'List the policies with GET /api/v1/policies.',
  },
  IMV_POLICY_BEYOND_REACH: {
    status: 403,
    title: 'Policy grants more than its writer holds',
    hint: 'Grant or revoke only what you may do yourself; rules for a whole role need a caller limited to no tenant.',
  },
  IMV_POLICY_LIMIT: {
    status: 409,
    title: 'Too many policies',
    hint: 'Delete policies no longer needed, or raise maxPolicies in the configuration.',
  },
  IMV_ROUTE_NOT_FOUND: {
    status: 404,
    title: 'No such endpoint',
    hint: 'Check the method and path against /api/v1/openapi.json.',
  },
  IMV_ID_MALFORMED: {
    status: 400,
    title: 'Identifier is malformed',
    hint: 'Use a Handle-style identifier PREFIX/SUFFIX such as 88.100.1/line-2/press-07.',
  },
  IMV_AUTH_REQUIRED: {
    status: 401,
    title: 'Authentication required',
    hint: 'Send "Authorization: Bearer TOKEN"; `imverse start` prints an admin token on first start.',
  },
  IMV_AUTH_FORBIDDEN: {
    status: 403,
    title: 'Not allowed',
    hint: 'This token lacks the role for this action; ask an administrator for a token with it.',
  },
  IMV_TOKEN_NOT_FOUND: {
    status: 404,
    title: 'Token not found',
    hint: 'List the tokens with GET /api/v1/tokens.',
  },
  IMV_MODEL_INVALID: {
    status: 400,
    title: 'Model is not valid DTDL',
    hint: 'Fix each issue listed in "issues" (file, JSON path and rule); `imverse model validate FILE` checks offline.',
  },
  IMV_MODEL_UNKNOWN: {
    status: 400,
    title: 'Model is not known',
    hint: 'Upload the model (POST /api/v1/models) before creating twins of it.',
  },
  IMV_MODEL_NOT_FOUND: {
    status: 404,
    title: 'Model not found',
    hint: 'List the models with GET /api/v1/models.',
  },
  IMV_MODEL_EXISTS: {
    status: 409,
    title: 'Model already exists',
    hint: 'A model version is immutable: publish a new version (…;2) instead.',
  },
  IMV_MODEL_IN_USE: {
    status: 409,
    title: 'Model is in use',
    hint: 'Delete the twins of this model and the models that extend or use it first.',
  },
  IMV_TWIN_NOT_FOUND: {
    status: 404,
    title: 'Twin not found',
    hint: 'Check the identifier; GET /api/v1/twins lists the twins you may read.',
  },
  IMV_TWIN_EXISTS: {
    status: 409,
    title: 'Twin already exists',
    hint: 'Use PATCH to change an existing twin, or pick another identifier.',
  },
  IMV_TWIN_INVALID: {
    status: 400,
    title: 'Twin does not conform to its model',
    hint: 'Fix the value at "path" so that it matches the schema of the twin model.',
  },
  IMV_TWIN_PATCH_INVALID: {
    status: 400,
    title: 'JSON Patch is invalid',
    hint: 'Send an RFC 6902 array of operations; $dtId and $metadata cannot be patched.',
  },
  IMV_PRECONDITION_FAILED: {
    status: 412,
    title: 'Version mismatch',
    hint: 'The resource changed since you read it: read it again, re-apply your change, send the new ETag.',
  },
  IMV_RELATIONSHIP_NOT_FOUND: {
    status: 404,
    title: 'Relationship not found',
    hint: 'List the twin relationships with GET /api/v1/twins/{id}/relationships.',
  },
  IMV_RELATIONSHIP_EXISTS: {
    status: 409,
    title: 'Relationship already exists',
    hint: 'Use another relationship id, or PATCH the existing relationship.',
  },
  IMV_RELATIONSHIP_TARGET_MISSING: {
    status: 400,
    title: 'Relationship target does not exist',
    hint: 'Create the target twin first; relationships never dangle.',
  },
  IMV_RELATIONSHIP_INVALID: {
    status: 400,
    title: 'Relationship does not conform to the model',
    hint: 'Use a relationship name that the source twin model declares, to a target of the declared model.',
  },
  IMV_QUERY_SYNTAX: {
    status: 400,
    title: 'Query has a syntax error',
    hint: 'Fix the query at the position given; docs/query.md describes the supported language.',
  },
  IMV_QUERY_UNSUPPORTED: {
    status: 400,
    title: 'Query uses an unsupported feature',
    hint: 'Rewrite the query with the subset described in docs/query.md.',
  },
  IMV_CONTINUATION_INVALID: {
    status: 400,
    title: 'Continuation token is invalid',
    hint: 'Pass back the continuationToken exactly as the previous page returned it.',
  },
  IMV_IMPORT_INVALID: {
    status: 400,
    title: 'Plant definition is invalid',
    hint: 'Fix the entry named in "path"; docs/plant-format.md describes the file format.',
  },
  IMV_INGEST_PAYLOAD_MALFORMED: {
    status: 400,
    title: 'Device message cannot be decoded',
    hint: 'Send JSON in one of the payload shapes of docs/connectors.md; the message is in the dead letters.',
  },
  IMV_INGEST_PAYLOAD_TOO_LARGE: {
    status: 413,
    title: 'Device message is too large',
    hint: 'Split the message into smaller batches (the limit is in docs/connectors.md).',
  },
  IMV_INGEST_VALUE_INVALID: {
    status: 400,
    title: 'Value does not fit the field',
    hint: 'Send a finite number for numeric fields (never NaN or Infinity), or a value of the field schema.',
  },
  IMV_INGEST_TIMESTAMP_INVALID: {
    status: 400,
    title: 'Timestamp is invalid',
    hint: 'Send epoch milliseconds or ISO 8601, no more than 5 minutes in the future; check the device clock.',
  },
  IMV_INGEST_UNMAPPED: {
    status: 400,
    title: 'No mapping for this topic',
    hint: 'Add a mapping for the topic (docs/connectors.md), or publish to a mapped topic.',
  },
  IMV_INGEST_TOPIC_FORBIDDEN: {
    status: 403,
    title: 'Topic not allowed for this device',
    hint: "A device may publish only under its own topics: check the device's topic filters.",
  },
  IMV_INGEST_TWIN_UNKNOWN: {
    status: 400,
    title: 'No such twin for this value',
    hint: 'Create the twin first, or fix the mapping that produced its identifier.',
  },
  IMV_INGEST_FIELD_UNKNOWN: {
    status: 400,
    title: 'The twin model has no such field',
    hint: "Map the value to a telemetry or property name of the twin's model.",
  },
  IMV_INGEST_SEQUENCE_GAP: {
    status: 400,
    title: 'Sparkplug sequence gap',
    hint: 'Messages from this edge node were lost on the way; its data is kept. Check the network and the broker.',
  },
  IMV_INGEST_PLAIN_PAYLOAD_INVALID: {
    status: 400,
    title: 'Plain payload does not convert to the mapped type',
    hint: "Send the bare value as the type the mapping declares (12.5; true, false, 1 or 0; text up to 4096 characters), or fix the mapping's type (docs/connectors.md).",
  },
  IMV_INGEST_SPARKPLUG_STATE_FULL: {
    status: 507,
    title: 'Too many Sparkplug edge nodes or devices to track',
    hint: 'The message of a new edge node or device was refused because every tracked one is online; raise sparkplugMaxEdgeNodes or sparkplugMaxDevices, or check for a device inventing node or device names.',
  },
  // The embedded MQTT broker: refusals at its edge (counted as imverse_refusals_total{edge="mqtt"}).
  IMV_MQTT_PACKET_TOO_LARGE: {
    status: 413,
    title: 'MQTT packet is larger than the broker accepts',
    hint: 'Send smaller messages (the limit is mqttMaxPacketBytes); the connection was closed before the packet was read.',
  },
  IMV_MQTT_CONNECT_TIMEOUT: {
    status: 408,
    title: 'No MQTT CONNECT in time',
    hint: 'Send CONNECT at once after opening the connection (within mqttConnectTimeoutMs); check that the client speaks MQTT, and TLS on the MQTTS port.',
  },
  IMV_MQTT_CONNECTIONS_FULL: {
    status: 503,
    title: 'The MQTT broker has too many connections',
    hint: 'Retry later; look for clients that open connections without closing them, or raise mqttMaxConnections.',
  },
  IMV_MQTT_CREDENTIALS_INVALID: {
    status: 401,
    title: 'MQTT credentials are missing or wrong',
    hint: "Connect with the device's id as user name and its secret as password, or with a client certificate whose CN is the device id; anonymous connections are refused.",
  },
  IMV_MQTT_CLIENT_ID_FORBIDDEN: {
    status: 403,
    title: 'MQTT client id does not belong to this device',
    hint: "Use the device id as client id, or the device id, a slash and a suffix (st-03/main); a device cannot use another device's session.",
  },
  IMV_MQTT_SUBSCRIBE_FORBIDDEN: {
    status: 403,
    title: 'Subscription not allowed for this device',
    hint: "A device may subscribe only within its own subscribe filters: check the device's topic filters.",
  },
  IMV_MQTT_RETAINED_TOO_LARGE: {
    status: 413,
    title: 'Retained message is larger than the payload limit',
    hint: 'The message was handled as any other but not retained: send retained messages within the payload limit.',
  },
  IMV_MQTT_RETAINED_FULL: {
    status: 507,
    title: 'The broker keeps no more retained messages',
    hint: 'The message was handled as any other but not retained: clear retained messages no longer needed (publish an empty retained message), or raise mqttRetainedMaxMessages or mqttRetainedMaxBytes.',
  },
  IMV_MQTT_TLS_FAILED: {
    status: 400,
    title: 'MQTTS handshake failed',
    hint: "Check that the client trusts the broker's certificate, and that a client certificate is signed by the CA in tlsClientCa and still valid.",
  },
  IMV_AUDIT_LOG_NOT_FOUND: {
    status: 404,
    title: 'No audit log in this data directory',
    hint: 'Check --data: the platform writes audit.sqlite in its data directory from its first start; a data directory that had one and lost it has lost its audit trail.',
  },
  IMV_DATA_DIR_IN_USE: {
    status: 409,
    title: 'The platform is running on this data directory',
    hint: 'Go through the running platform: `imverse plant apply FILE --url URL --token TOKEN`, or stop it first.',
  },
  IMV_CONFIG_INVALID: {
    status: 500,
    title: 'Configuration is invalid',
    hint: 'Fix the setting named in the message (imverse.yaml or IMVERSE_* environment variables).',
  },
  IMV_CONFIG_RELOAD_FAILED: {
    status: 422,
    title: 'Mappings and sources were not reloaded',
    hint: 'Fix each issue listed in "issues" (file and path) and reload again; until then the previous mappings and sources stay active.',
  },
  IMV_LIVE_EVENTS_DROPPED: {
    status: 503,
    title: 'Live events were dropped',
    hint: 'The connection fell behind the event rate: re-read the state you display, and subscribe more narrowly.',
  },
  IMV_UNAVAILABLE: {
    status: 503,
    title: 'Service is not ready',
    hint: 'Retry shortly; GET /readyz says when the service is ready.',
  },
  IMV_INTERNAL: {
    status: 500,
    title: 'Internal error',
    hint: 'Retry; if it persists, report it with the "instance" value of this response.',
  },
  IMV_OPCUA_UNREACHABLE: {
    status: 502,
    title: 'OPC UA server is unreachable',
    hint: 'Check the endpoint host name and port, that the server runs, and that no firewall blocks it.',
  },
  IMV_OPCUA_SESSION_REFUSED: {
    status: 502,
    title: 'OPC UA server refused the connection or session',
    hint: 'Check the user name and password, the security mode and policy the server offers, and that each side trusts the other certificate (see docs/connectors.md).',
  },
  IMV_OPCUA_NODE_UNKNOWN: {
    status: 404,
    title: 'OPC UA node is not in the server address space',
    hint: 'Check the namespace index and identifier; `imverse opcua browse ENDPOINT` shows the node ids.',
  },
  IMV_SIM_PARAMETER_INVALID: {
    status: 400,
    title: 'Simulation parameter is invalid',
    hint: 'Fix the parameter named in "path": each distribution and model parameter must be a finite number in the range the message gives.',
  },
  IMV_SIM_DELAY_INVALID: {
    status: 400,
    title: 'Simulation event has an invalid delay',
    hint: 'Schedule events at a finite, non-negative delay; check the distribution or formula that produced it.',
  },
  IMV_SIM_PROCESS_YIELD_INVALID: {
    status: 400,
    title: 'Simulation process yielded something it cannot wait for',
    hint: 'A process may yield only a delay (a finite number >= 0) or a simulation event (a request, a timeout, another process).',
  },
  IMV_SIM_REQUEST_INVALID: {
    status: 400,
    title: 'Simulation resource request is misused',
    hint: 'Release each request once, on the resource that issued it.',
  },
  IMV_SIM_EVENT_ALREADY_TRIGGERED: {
    status: 400,
    title: 'Simulation event was triggered twice',
    hint: 'Trigger each simulation event once; create a new event for each occurrence.',
  },
  IMV_SIM_PROCESS_INTERRUPTED: {
    status: 400,
    title: 'Simulation process was interrupted and did not handle it',
    hint: 'Catch the Interrupt in the process (try/catch around its yields) where another process may interrupt it, e.g. on a breakdown.',
  },
  IMV_SCHEDULE_INSTANCE_INVALID: {
    status: 400,
    title: 'Scheduling instance is invalid',
    hint: 'Fix the line or job named in the message: OR-Library format (a "jobs machines" line, then one line of "machine time" pairs per job) or Taillard\'s (a size line, then "Times" and "Machines" matrices); docs/scheduling.md.',
  },
  IMV_SCHEDULE_OPTIONS_INVALID: {
    status: 400,
    title: 'Scheduling request is invalid',
    hint: 'Use a known dispatching rule (FIFO, SPT, EDD, CR, ATC), finite non-negative limits, and a start schedule feasible for the instance.',
  },
  IMV_PLANT_SIMULATION_INVALID: {
    status: 400,
    title: 'Plant simulation section is invalid',
    hint: 'Fix each issue listed in "issues" (file, line, column and field of the simulation section); docs/simulation.md gives every field, its unit and default.',
  },
  IMV_STUDY_INVALID: {
    status: 400,
    title: 'Study definition is invalid',
    hint: 'Fix the field named in "path": durations like 30d, 12h, 90m or 3600s, whole replications 1–1000, scenarios as NAME: overrides; docs/studies.md describes the format.',
  },
  IMV_STUDY_NOT_FOUND: {
    status: 404,
    title: 'Study not found',
    hint: 'List the studies with GET /api/v1/studies.',
  },
  IMV_STUDY_NOT_FINISHED: {
    status: 409,
    title: 'Study has no result yet',
    hint: 'Follow GET /api/v1/studies/{id}/progress until the study is done; a failed or cancelled study has no report.',
  },
  IMV_STUDY_CANCELLED: {
    status: 409,
    title: 'Study was cancelled',
    hint: 'Start the study again if you still need its result.',
  },
  IMV_STUDY_RUN_FAILED: {
    status: 500,
    title: 'Study replication failed',
    hint: 'The model failed during a run: check the scenario overrides named in the message, then report the study definition if they are right.',
  },
  IMV_STUDY_QUEUE_FULL: {
    status: 429,
    title: 'Too many studies queued or running',
    hint: 'Wait for a study to finish (GET /api/v1/studies/{id}/progress) or cancel one (DELETE /api/v1/studies/{id}), then submit again; the limits are studyMaxQueuedPerTenant and studyMaxQueued.',
  },
  IMV_STUDY_TOO_LARGE: {
    status: 400,
    title: 'Study is larger than this platform runs',
    hint: 'Use fewer replications or scenarios, or a shorter horizon or warm-up, as the field named in "path" says; the limits are studyMaxReplications, studyMaxScenarios and studyMaxSimulatedDays.',
  },
  IMV_STUDY_STORE_FULL: {
    status: 409,
    title: 'Too many studies kept',
    hint: 'Delete studies you no longer need (DELETE /api/v1/studies/{id}), then submit again; the limit per tenant is studyMaxStored.',
  },
  // Custom glTF models in the 3D world (/api/v1/world/models, /api/v1/world/model-bindings)
  IMV_WORLD_MODEL_INVALID: {
    status: 400,
    title: 'Not a usable glTF 2.0 model',
    hint: 'Export the model as glTF 2.0: a .glb, or a .gltf with its buffers and images embedded as data: URIs, without Draco or meshopt compression.',
  },
  IMV_WORLD_MODEL_DATA_MISMATCH: {
    status: 400,
    title: 'Model declares more data than it holds',
    hint: 'A buffer, buffer view or accessor named in "path" reaches past the data the file carries; export the model again (a truncated or hand-edited file shows this).',
  },
  IMV_WORLD_MODEL_TYPE_UNSUPPORTED: {
    status: 415,
    title: 'Model upload has the wrong content type',
    hint: 'Send a .glb as Content-Type: model/gltf-binary, or a .gltf as model/gltf+json.',
  },
  IMV_WORLD_MODEL_TOO_LARGE: {
    status: 413,
    title: 'Model file is too large',
    hint: 'Models are limited to 32 MiB: reduce textures and polygons (e.g. gltf-transform resize/simplify) and upload again.',
  },
  IMV_WORLD_MODEL_NOT_FOUND: {
    status: 404,
    title: 'Model not found',
    hint: 'List the uploaded models with GET /api/v1/world/models; upload one with PUT /api/v1/world/models/{name}.',
  },
  IMV_WORLD_MODEL_IN_USE: {
    status: 409,
    title: 'Model is still bound',
    hint: 'Delete the bindings named in the message (DELETE /api/v1/world/model-bindings/{target}) first.',
  },
  IMV_WORLD_MODEL_BINDING_NOT_FOUND: {
    status: 404,
    title: 'Model binding not found',
    hint: 'List the bindings with GET /api/v1/world/model-bindings.',
  },
  // Collaboration: the shared rooms for presence, annotations and layout drafts.
  IMV_COLLAB_ROOM_INVALID: {
    status: 400,
    title: 'Collaboration room name is invalid',
    hint: 'Room names are 1–80 letters, digits, dots, dashes or underscores, starting with a letter or digit.',
  },
  IMV_COLLAB_ROOM_LIMIT: {
    status: 503,
    title: 'Too many collaboration rooms',
    hint: 'Reuse existing rooms (e.g. layout drafts) or restart the server to release idle ones.',
  },
  IMV_COLLAB_MESSAGE_INVALID: {
    status: 400,
    title: 'Collaboration message is invalid',
    hint: 'Speak the y-websocket protocol (binary Yjs sync and awareness messages), e.g. with the y-websocket client.',
  },
  IMV_COLLAB_ROOM_NOT_FOUND: {
    status: 404,
    title: 'Collaboration room does not exist',
    hint: 'A room is created by the first caller who may edit (whoever may write layouts: engineer, admin, the local demo) joining it; others join existing rooms.',
  },
  IMV_COLLAB_TENANT_ROOM_LIMIT: {
    status: 409,
    title: 'Too many collaboration rooms for this tenant',
    hint: 'Reuse an existing layout draft, or ask the operator to raise collabMaxRoomsPerTenant.',
  },
  IMV_COLLAB_DOCUMENT_FULL: {
    status: 413,
    title: 'Collaboration document is full',
    hint: 'Delete notes or draft changes you no longer need (deleting is always accepted), or ask the operator to raise collabMaxDocumentBytes.',
  },
  IMV_COLLAB_UPDATE_TOO_LARGE: {
    status: 413,
    title: 'Collaboration edit is too large',
    hint: 'Send smaller edits (collabMaxUpdateBytes); large layout changes go through PATCH /api/v1/layouts/drafts/{draft} in parts.',
  },
  // The WebSocket edge (/api/v1/live, /api/v1/world/collab/{room})
  IMV_ORIGIN_FORBIDDEN: {
    status: 403,
    title: 'WebSocket from another site refused',
    hint: "Open the page from this server's own address, or have the operator list your page's origin in allowedOrigins.",
  },
  IMV_HOST_FORBIDDEN: {
    status: 421,
    title: 'Server is not known by that name',
    hint: 'Reach the server by localhost, its loopback address or its configured host; the operator lists other names in publicHost.',
  },
  IMV_AUTH_CREDENTIAL_REVOKED: {
    status: 401,
    title: 'Credential was revoked',
    hint: 'The token (or session) this connection was opened with is no longer valid: connect again with a valid one.',
  },
  IMV_LIVE_SUBSCRIPTION_LIMIT: {
    status: 429,
    title: 'Too many live subscriptions on this connection',
    hint: 'Unsubscribe what you no longer need, or widen one filter instead of many narrow ones (liveMaxSubscriptions).',
  },
  // Plant KPIs for the dashboard (/api/v1/world/kpis)
  IMV_KPI_RANGE_INVALID: {
    status: 400,
    title: 'KPI window is invalid',
    hint: 'Give "from" and "to" as ISO 8601 or epoch ms, "from" before "to" and before now, at most 31 days apart.',
  },
  IMV_KPI_BUCKET_INVALID: {
    status: 400,
    title: 'KPI bucket width is invalid',
    hint: 'Give "bucket" as a duration of at least 1s (30s, 5m, 1h) that cuts the window into at most 1000 buckets.',
  },
  // Time travel in the 3D world (/api/v1/world/states, /api/v1/world/changes)
  IMV_TIMELINE_TIME_INVALID: {
    status: 400,
    title: 'Time is not a time',
    hint: 'Give "at", "from" and "to" as ISO 8601 (2026-01-01T10:42:13Z) or epoch milliseconds.',
  },
  IMV_TIMELINE_WINDOW_INVALID: {
    status: 400,
    title: 'Replay window is invalid',
    hint: 'Give "from" at or before "to", at most 24 hours apart; page through longer spans with "continuation".',
  },
  IMV_TIMELINE_FIELDS_INVALID: {
    status: 400,
    title: 'Replay fields are invalid',
    hint: 'Name 1–8 fields, comma-separated (state,position.x,position.y), each without "*" or "$".',
  },
  IMV_TELEMETRY_FIELDS_TOO_MANY: {
    status: 400,
    title: 'Too many fields in one history request',
    hint: 'Name at most telemetryMaxFields distinct fields (32 by default), comma-separated; ask for the rest in another request.',
  },
  IMV_TELEMETRY_TOO_LARGE: {
    status: 400,
    title: 'History answer would be too large',
    hint: 'Ask for a shorter window, fewer fields, a lower limit or a wider bucket; one answer holds at most telemetryMaxPoints samples or buckets and telemetryMaxBytes of values.',
  },
  // Layout design: named layout versions, comparison and studies (/api/v1/layouts)
  IMV_LAYOUT_VERSION_NOT_FOUND: {
    status: 404,
    title: 'Layout version not found',
    hint: 'List the saved versions with GET /api/v1/layouts/versions.',
  },
  IMV_LAYOUT_VERSION_EXISTS: {
    status: 409,
    title: 'A layout version of that name exists',
    hint: 'Versions are immutable: save under another name.',
  },
  IMV_LAYOUT_VERSIONS_FULL: {
    status: 409,
    title: 'Too many layout versions kept',
    hint: 'Delete versions you no longer need (DELETE /api/v1/layouts/versions/{id}, with write permission), then save again; the limit per tenant is layoutMaxVersions.',
  },
  IMV_LAYOUT_DRAFT_EMPTY: {
    status: 409,
    title: 'Layout draft has no changes',
    hint: 'Move, rotate, add or remove equipment in the draft (design mode of /world) before saving it as a version.',
  },
  IMV_LAYOUT_DRAFT_INVALID: {
    status: 400,
    title: 'Layout draft holds invalid values',
    hint: 'Fix the objects listed in "issues" in design mode: positions and sizes are finite metres, kinds come from the palette (docs/layout-design.md).',
  },
  IMV_LAYOUT_PLANT_INVALID: {
    status: 400,
    title: 'Plant file cannot take a layout',
    hint: 'Send a plant file (YAML, docs/plant-format.md) with a "prefix" and a "twins" list, or omit it to use the demo plant.',
  },
  // People: accounts, sign-in sessions and OpenID Connect (docs/people.md)
  IMV_SIGNIN_FAILED: {
    status: 401,
    title: 'Name or password is wrong',
    hint: 'Check both and try again; after repeated failures the name is locked for a while (signInLockMinutes).',
  },
  IMV_SIGNIN_LOCKED: {
    status: 429,
    title: 'Too many failed sign-ins',
    hint: 'Wait for the time in Retry-After, then sign in again; an administrator can set a new password with `imverse user set-password`.',
  },
  IMV_CSRF_REJECTED: {
    status: 403,
    title: 'Cross-site request refused',
    hint: 'A request signed in by the session cookie that changes something must come from this site: send the X-CSRF-Token header (the imv_csrf cookie) and a same-origin Origin; services use bearer tokens instead.',
  },
  IMV_USER_NOT_FOUND: {
    status: 404,
    title: 'User not found',
    hint: 'List the users with GET /api/v1/users or `imverse user list`.',
  },
  IMV_USER_EXISTS: {
    status: 409,
    title: 'A user of that name exists',
    hint: 'Choose another name, or change the existing user with PATCH /api/v1/users/{name}.',
  },
  IMV_PASSWORD_WEAK: {
    status: 400,
    title: 'Password is too short or too long',
    hint: 'Use 12 to 256 characters; a passphrase of several words is easiest to remember.',
  },
  IMV_PASSWORD_WRONG: {
    status: 403,
    title: 'Current password is wrong',
    hint: 'Send the password you signed in with as "current"; if it is lost, an administrator sets a new one.',
  },
  IMV_OIDC_NOT_CONFIGURED: {
    status: 404,
    title: 'OpenID Connect sign-in is not configured',
    hint: 'Set oidcIssuer, oidcClientId and oidcRoleMap (docs/people.md), or sign in with a name and password.',
  },
  IMV_OIDC_UNAVAILABLE: {
    status: 502,
    title: 'OpenID Connect provider did not answer',
    hint: "Check oidcIssuer and that this server reaches the provider's /.well-known/openid-configuration.",
  },
  IMV_OIDC_FAILED: {
    status: 400,
    title: 'OpenID Connect sign-in did not complete',
    hint: 'Start again from /signin; the answer from the provider was refused, expired or did not belong to this browser.',
  },
  IMV_OIDC_NO_ROLE: {
    status: 403,
    title: 'No role for this person',
    hint: "None of the person's values of the role claim (oidcRoleClaim) is in oidcRoleMap: ask an administrator to grant one at the provider or map it.",
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CODES;

/** Codes that were published and withdrawn: never reuse them. */
export const RETIRED_CODES: readonly string[] = [];

/** One problem found while validating input, located by a JSON Pointer (or file position). */
export interface Issue {
  readonly path: string;
  readonly message: string;
  /** The rule broken, e.g. a DTDL constraint or a schema keyword. */
  readonly rule?: string;
  /** The file the issue is in, when the input came from files. */
  readonly file?: string;
}

export interface ErrorOptions {
  /** JSON Pointer (or query position) of the part of the input at fault. */
  readonly path?: string;
  readonly issues?: readonly Issue[];
  readonly cause?: unknown;
}

export class ImverseError extends Error {
  override readonly name: string = 'ImverseError';
  readonly code: ErrorCode;
  readonly path: string | undefined;
  readonly issues: readonly Issue[];

  constructor(code: ErrorCode, message: string, options: ErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path ?? options.issues?.[0]?.path;
    this.issues = options.issues ?? [];
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get hint(): string {
    return ERROR_CODES[this.code].hint;
  }
}

export function isImverseError(value: unknown): value is ImverseError {
  return value instanceof ImverseError;
}

export class ValidationError extends ImverseError {
  override readonly name = 'ValidationError';
}

export class NotFoundError extends ImverseError {
  override readonly name = 'NotFoundError';
}

export class ConflictError extends ImverseError {
  override readonly name = 'ConflictError';
}

export class PreconditionFailedError extends ImverseError {
  override readonly name = 'PreconditionFailedError';
  constructor(message: string, options: ErrorOptions = {}) {
    super('IMV_PRECONDITION_FAILED', message, options);
  }
}

export class AuthError extends ImverseError {
  override readonly name = 'AuthError';
}
