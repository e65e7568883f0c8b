// JSON schemas for every call's parameters: both transports validate each message with ajv before it
// reaches the service, so a compromised or buggy renderer cannot pass anything unexpected.
import Ajv, { ValidateFunction } from 'ajv';
import type { MethodName } from './api';

const sessionId = { type: 'string', pattern: '^s[0-9]{1,9}$' };
const path = { type: 'string', minLength: 1, maxLength: 4096 };
const frame = { type: 'integer', minimum: 1, maximum: 4294967295 };
const sortColumn = { enum: ['number', 'time', 'capture', 'source', 'destination', 'tenant', 'vteps', 'protocol', 'length', 'info'] };

function object(properties: Record<string, object>): object {
  return { type: 'object', properties, required: Object.keys(properties), additionalProperties: false };
}

/** The object schema with `names` not required. */
function optional(schema: object, ...names: string[]): object {
  const s = schema as { required: string[] };
  return { ...schema, required: s.required.filter((r) => !names.includes(r)) };
}

const displayFilter = { type: 'string', maxLength: 8192 };

const PARAM_SCHEMAS: Record<MethodName, object> = {
  openCapture: object({ path }),
  openCaptures: object({ paths: { type: 'array', items: path, minItems: 1, maxItems: 256 } }),
  cancelOpen: object({ sessionId }),
  closeCapture: object({ sessionId }),
  sessionInfo: object({ sessionId }),
  openSessions: object({}),
  setView: object({ sessionId, filter: { type: 'string', maxLength: 8192 }, sortColumn, sortDirection: { enum: ['asc', 'desc'] } }),
  cancelView: object({ sessionId }),
  getRows: {
    ...object({
      sessionId,
      viewVersion: { type: 'integer', minimum: 0 },
      start: { type: 'integer', minimum: 0 },
      count: { type: 'integer', minimum: 0, maximum: 5000 },
      fields: { type: 'array', maxItems: 32, items: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9_.]{0,99}$' } },
    }),
    required: ['sessionId', 'viewVersion', 'start', 'count'],
  },
  rowOfFrame: object({ sessionId, frame }),
  validateFilter: object({ text: { type: 'string', maxLength: 8192 } }),
  completeField: object({ prefix: { type: 'string', maxLength: 200 }, limit: { type: 'integer', minimum: 1, maximum: 500 } }),
  frameDetail: object({ sessionId, frame }),
  tenants: optional(object({ sessionId, displayFilter }), 'displayFilter'),
  vtepTimeline: object({ sessionId }),
  vtepTable: object({
    sessionId,
    table: { enum: ['fdb', 'pairs', 'groups'] },
    frame,
    search: { type: 'string', maxLength: 200 },
    sortColumn: { type: 'string', pattern: '^[A-Za-z]{0,32}$' },
    sortDirection: { enum: ['asc', 'desc'] },
    start: { type: 'integer', minimum: 0 },
    count: { type: 'integer', minimum: 0, maximum: 5000 },
  }),
  captureStatistics: optional(object({ sessionId, displayFilter }), 'displayFilter'),
  analysisProgress: object({ sessionId }),
  decodeAs: object({ sessionId, rules: { type: 'array', maxItems: 32, items: { type: 'string', maxLength: 200 } } }),
  cancelAnalysis: object({ sessionId }),
  vtepEvents: optional(object({
    sessionId,
    from: { type: 'number' },
    to: { type: 'number' },
    bins: { type: 'integer', minimum: 1, maximum: 10000 },
    tenant: { type: 'string', maxLength: 64 },
    mac: { type: 'string', maxLength: 64 },
    vtep: { type: 'string', maxLength: 64 },
    laneStart: { type: 'integer', minimum: 0 },
    laneCount: { type: 'integer', minimum: 0, maximum: 100000 },
    merged: { type: 'boolean' },
  }), 'laneStart', 'laneCount', 'merged'),
  forwarding: object({ sessionId, frame }),
  followStream: object({ sessionId, frame }),
  saveFrames: object({ sessionId, path, format: { enum: ['pcap', 'pcapng'] }, filter: { type: 'string', maxLength: 8192 }, tenant: { type: 'string', maxLength: 64 }, decap: { type: 'boolean' } }),
  exportReport: object({ sessionId, path, filter: { type: 'string', maxLength: 8192 }, conversations: { type: 'boolean' } }),
  statistics: optional(object({
    sessionId,
    table: { enum: ['conversations', 'endpoints'] },
    kind: { enum: ['eth', 'ipv4', 'ipv6', 'tcp', 'udp'] },
    tenant: { type: 'string', maxLength: 64 },
    search: { type: 'string', maxLength: 200 },
    sortColumn: { type: 'string', pattern: '^[A-Za-z]{1,32}$' },
    sortDirection: { enum: ['asc', 'desc'] },
    start: { type: 'integer', minimum: 0 },
    count: { type: 'integer', minimum: 0, maximum: 5000 },
    displayFilter,
  }), 'displayFilter'),
  // Paths may be empty: the service answers which one is missing in plain words.
  switchReplay: object({ sessionId, mode: { enum: ['flows', 'vtep'] }, flowsPath: { type: 'string', maxLength: 4096 }, bridgePath: { type: 'string', maxLength: 4096 }, localVtep: { type: 'string', maxLength: 64 } }),
  switchReplayFrames: object({ sessionId, start: { type: 'integer', minimum: 0 }, count: { type: 'integer', minimum: 0, maximum: 5000 }, onlyDisagreements: { type: 'boolean' } }),
  switchReplayFrame: object({ sessionId, frame }),
  listDirectory: object({ path }),
  capturePaths: object({ paths: { type: 'array', items: path, minItems: 1, maxItems: 256 } }),
  recentFiles: object({}),
  saveAs: object({ sessionId, path, format: { enum: ['pcap', 'pcapng'] }, displayedOnly: { type: 'boolean' } }),
  captureSetup: object({}),
  startCapture: object({
    // Interface names: at most 15 characters on Linux, no slashes or spaces ("any" captures on all).
    iface: { type: 'string', pattern: '^[A-Za-z0-9_.:@-]{1,64}$' },
    filter: { type: 'string', maxLength: 4096 },
    snaplen: { type: 'integer', minimum: 0, maximum: 262144 },
    durationSeconds: { anyOf: [{ type: 'null' }, { type: 'number', exclusiveMinimum: 0, maximum: 31_536_000 }] },
    packetCount: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 1, maximum: 4_294_967_295 }] },
    fileKilobytes: { anyOf: [{ type: 'null' }, { type: 'integer', minimum: 1, maximum: 1_000_000_000 }] },
  }),
  stopCapture: object({ sessionId }),
  restartCapture: object({ sessionId }),
  saveCapture: object({ sessionId, path }),
  liveStatus: object({ sessionId }),
};

const CALL_SCHEMA = {
  type: 'object',
  properties: { method: { enum: Object.keys(PARAM_SCHEMAS) }, params: { type: 'object' } },
  required: ['method', 'params'],
  additionalProperties: false,
};

const ajv = new Ajv({ allErrors: false, strict: true });
const validateEnvelope = ajv.compile(CALL_SCHEMA);
const validators = new Map<string, ValidateFunction>(Object.entries(PARAM_SCHEMAS).map(([name, schema]) => [name, ajv.compile(schema)]));

export class InvalidMessage extends Error {}

/** Checks one call message; returns it typed, or throws InvalidMessage naming the first problem. */
export function validateCall(message: unknown): { method: MethodName; params: Record<string, unknown> } {
  if (!validateEnvelope(message)) throw new InvalidMessage(`bad call: ${ajv.errorsText(validateEnvelope.errors)}`);
  const { method, params } = message as { method: MethodName; params: Record<string, unknown> };
  const validate = validators.get(method)!;
  if (!validate(params)) throw new InvalidMessage(`bad ${method} parameters: ${ajv.errorsText(validate.errors, { dataVar: 'params' })}`);
  return { method, params };
}

export const METHOD_NAMES = Object.keys(PARAM_SCHEMAS) as MethodName[];
