// The credential form of an SAP S/4HANA connection and its validation.
import { z } from 'zod';
import type { CredentialField } from '../types.ts';

const sapClient = z
  .string()
  .regex(/^\d{3}$/, 'sap_client is three digits, e.g. 100')
  .optional()
  .describe(
    'SAP client (Mandant), three digits; sent as ?sap-client= on every call. Leave empty on S/4HANA Cloud.',
  );

const basic = z.object({
  auth_type: z.literal('basic').describe('HTTP Basic with a communication user'),
  username: z
    .string()
    .min(1)
    .describe('User of the communication arrangement (or a technical user on-premise)'),
  password: z.string().min(1).describe('Password of that user'),
  sap_client: sapClient,
});

const oauth2 = z.object({
  auth_type: z.literal('oauth2').describe('OAuth 2.0 client credentials'),
  client_id: z.string().min(1).describe('OAuth client id'),
  client_secret: z.string().min(1).describe('OAuth client secret'),
  token_url: z
    .url({ protocol: /^https?$/ })
    .optional()
    .describe('Token endpoint; default <instance URL>/sap/bc/sec/oauth2/token (on-premise)'),
  sap_client: sapClient,
});

export const credentialsSchema = z
  .discriminatedUnion('auth_type', [basic, oauth2])
  .describe('Credentials of an SAP S/4HANA connection');

export type SapCredentials = z.infer<typeof credentialsSchema>;

export const credentialFields: CredentialField[] = [
  {
    name: 'auth_type',
    label: 'Authentication',
    type: 'select',
    required: true,
    secret: false,
    options: ['basic', 'oauth2'],
    description: 'Basic (communication user) or OAuth 2.0 client credentials',
  },
  {
    name: 'username',
    label: 'User',
    type: 'text',
    required: true,
    secret: false,
    when: { field: 'auth_type', equals: 'basic' },
  },
  {
    name: 'password',
    label: 'Password',
    type: 'password',
    required: true,
    secret: true,
    when: { field: 'auth_type', equals: 'basic' },
  },
  {
    name: 'client_id',
    label: 'OAuth client id',
    type: 'text',
    required: true,
    secret: false,
    when: { field: 'auth_type', equals: 'oauth2' },
  },
  {
    name: 'client_secret',
    label: 'OAuth client secret',
    type: 'password',
    required: true,
    secret: true,
    when: { field: 'auth_type', equals: 'oauth2' },
  },
  {
    name: 'token_url',
    label: 'Token URL',
    type: 'url',
    required: false,
    secret: false,
    description: 'Default: <instance URL>/sap/bc/sec/oauth2/token',
    when: { field: 'auth_type', equals: 'oauth2' },
  },
  {
    name: 'sap_client',
    label: 'SAP client',
    type: 'text',
    required: false,
    secret: false,
    description: 'Three digits (e.g. 100); on-premise systems usually need it',
  },
];
