// JSON Schema (draft-07, ajv's default) of the JSON report.
// The tenants and vteps parts follow issue 3's contracts: the fields it names are required, more are allowed.
const count = { type: 'integer', minimum: 0 } as const;
const seconds = { type: 'number' } as const;
const tenantRef = {
  type: 'object',
  required: ['type', 'id'],
  properties: { type: { enum: ['vxlan', 'nvgre', 'gre', 'geneve'] }, id: count },
} as const;

const conversation = {
  type: 'object',
  required: ['layer', 'a', 'b', 'packets', 'bytes', 'firstFrame', 'lastFrame', 'firstTime', 'lastTime'],
  properties: {
    layer: { enum: ['eth', 'ip', 'tcp', 'udp'] },
    a: { type: 'string' },
    b: { type: 'string' },
    packets: count,
    bytes: count,
    firstFrame: { type: 'integer', minimum: 1 },
    lastFrame: { type: 'integer', minimum: 1 },
    firstTime: seconds,
    lastTime: seconds,
  },
} as const;

const tenantsDocument = {
  type: 'object',
  required: ['frames', 'mtu', 'underlay', 'tenants', 'findings'],
  properties: {
    frames: count,
    mtu: count,
    underlay: { type: 'object', required: ['packets', 'bytes'], properties: { packets: count, bytes: count } },
    tenants: {
      type: 'array',
      items: {
        type: 'object',
        required: ['type', 'id', 'name', 'packets', 'bytes', 'firstFrame', 'lastFrame', 'firstTime', 'lastTime', 'vteps', 'flood', 'conversations'],
        properties: {
          ...tenantRef.properties,
          name: { type: 'string' },
          packets: count,
          bytes: count,
          firstTime: seconds,
          lastTime: seconds,
          vteps: { type: 'array', items: { type: 'string' } },
          flood: { type: 'object', required: ['packets', 'share'], properties: { packets: count, share: { type: 'number', minimum: 0, maximum: 1 } } },
          conversations: { type: 'array', items: conversation },
        },
      },
    },
    findings: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'severity', 'message', 'firstFrame'],
        properties: {
          kind: { enum: ['duplicate-ip', 'mac-in-two-tenants', 'vxlan-no-i-flag', 'mtu-exceeded', 'underlay-fragmentation'] },
          severity: { enum: ['warning', 'error'] },
          message: { type: 'string' },
          tenant: tenantRef,
          firstFrame: { type: 'integer', minimum: 1 },
        },
      },
    },
  },
} as const;

const vtepsDocument = {
  type: 'object',
  required: ['frames', 'atFrame', 'vteps', 'groups', 'events', 'fdb', 'notes'],
  properties: {
    vteps: { type: 'array', items: { type: 'object', required: ['ip', 'tenants'], properties: { ip: { type: 'string' }, tenants: { type: 'array' } } } },
    groups: {
      type: 'array',
      items: { type: 'object', required: ['group', 'members'], properties: { group: { type: 'string' }, members: { type: 'array', items: { type: 'string' } } } },
    },
    events: {
      type: 'array',
      items: {
        type: 'object',
        required: ['frame', 'ts', 'kind', 'vtep', 'tenant', 'mac'],
        properties: {
          frame: { type: 'integer', minimum: 1 },
          ts: seconds,
          kind: { enum: ['learn', 'move', 'flood', 'local', 'migrate', 'age'] },
          vtep: { type: 'string' },
          tenant: tenantRef,
          mac: { type: 'string' },
          remoteVtep: { type: 'string' },
          previousVtep: { type: 'string' },
        },
      },
    },
  },
} as const;

const vtepPair = {
  type: 'object',
  additionalProperties: false,
  required: ['from', 'to', 'toGroup', 'packets', 'bytes'],
  properties: { from: { type: 'string' }, to: { type: 'string' }, toGroup: { type: 'boolean' }, packets: count, bytes: count },
} as const;

const trafficTenant = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'id', 'packets', 'bytes', 'firstTime', 'lastTime', 'firstFrame', 'lastFrame', 'vteps', 'packetsOverTime', 'matrix'],
  properties: {
    ...tenantRef.properties,
    packets: count,
    bytes: count,
    firstTime: seconds,
    lastTime: seconds,
    firstFrame: { type: 'integer', minimum: 1 },
    lastFrame: { type: 'integer', minimum: 1 },
    vteps: { type: 'array', items: { type: 'string' } },
    packetsOverTime: { type: 'array', items: count },
    matrix: { type: 'array', items: vtepPair },
  },
} as const;

export const REPORT_JSON_SCHEMA = {
  $id: 'https://tunnelscope.invalid/schemas/report-v1.json',
  title: 'tunnelscope report (JSON)',
  type: 'object',
  additionalProperties: false,
  required: ['generator', 'version', 'generatedAt', 'capture', 'tenants', 'vteps', 'traffic', 'unavailable'],
  properties: {
    generator: { const: 'tunnelscope report' },
    version: { const: 1 },
    generatedAt: { type: 'string' },
    capture: {
      type: 'object',
      additionalProperties: false,
      required: ['file', 'format', 'fileBytes', 'frames', 'interfaces', 'filter', 'problem'],
      properties: {
        file: { type: 'string' },
        format: { enum: ['pcap', 'pcapng'] },
        fileBytes: count,
        frames: count,
        interfaces: {
          type: 'array',
          items: { type: 'object', additionalProperties: false, required: ['name', 'linkType'], properties: { name: { type: 'string' }, linkType: count } },
        },
        filter: { type: ['string', 'null'] },
        problem: { type: ['string', 'null'] },
      },
    },
    tenants: { oneOf: [{ type: 'null' }, tenantsDocument] },
    vteps: { oneOf: [{ type: 'null' }, vtepsDocument] },
    traffic: {
      type: 'object',
      additionalProperties: false,
      required: ['frames', 'bytes', 'underlayFrames', 'underlayBytes', 'startTime', 'endTime', 'binSeconds', 'bins', 'tenants'],
      properties: {
        frames: count,
        bytes: count,
        underlayFrames: count,
        underlayBytes: count,
        startTime: seconds,
        endTime: seconds,
        binSeconds: { type: 'number', exclusiveMinimum: 0 },
        bins: { type: 'integer', minimum: 1 },
        tenants: { type: 'array', items: trafficTenant },
      },
    },
    unavailable: { type: 'array', items: { type: 'string' } },
  },
} as const;
